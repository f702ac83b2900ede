"""Rule kinds: each finds the groups of claims its rules test. Small pure functions, no printing.

A kind returns Groups: the claims bound to the names of the rule's formula (`total`, `parts`, …),
which formula applies, and what to say when nothing could be bound (unverifiable).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Final

from factcheck.extract import Claim, _Layout
from factcheck.lexicon import lexicon
from factcheck.rules.patterns import compile_rule_pattern

PCT_UNITS: Final = ("%", "‰")
# how many claims back (and ahead) a relation is looked for: relations are local, and a bound keeps a
# hostile text with thousands of figures linear
LOOKBACK: Final = 400


# a rule's word lists are the same for every article: escaped and joined once (re.compile's own
# cache then finds the compiled pattern)
@lru_cache(maxsize=128)
def _words(words: tuple[str, ...], longest_first: bool = True) -> str:
    """An alternation of literal words (the longest first, or in their order)."""
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True) if longest_first else words))


def _rule_patterns(rule, name: str, build):
    """What a rule's patterns compile to, made once per rule (the rule's parameters do not change)."""
    cache = rule.__dict__.setdefault("_patterns", {})
    got = cache.get(name)
    if got is None:
        got = cache[name] = build()
    return got


EARLIER_WORDS: Final = re.compile(r"由|从|上年|去年|上一年|同期|年初")
PAST_RATE: Final = re.compile(r"(?:上年|去年|上一年|同期)[^，,。；;]{0,8}率")
SUBTOTAL: Final = re.compile(r"合计|共计|总计|小计|累计|共$|共计为?$")
BASIS: Final = re.compile(r"^按[^，,。；;]{0,16}(?:计算|计|统计)$")
WHOLE_WORDS: Final = re.compile(r"^(?:全部|全体|所有|全市|全县|全区|全省|全)|(?:总量|总数|总额|总和|总体|合计)$")
INNER_LEAD: Final = re.compile(r"(?:占|完成|完成了|为|达到|相当于)[^，,。；;]{0,12}$")
BARE_SHARE: Final = re.compile(r"占(?:比)?(?:为|达|达到|约)?$")
STEP_FROM: Final = re.compile(r"(?:由|从)(?:上年|去年|上一年|年初)?(?:末|底)?的?$")
STEP_TO: Final = re.compile(r"(?:由|从)[^，。]*(?:提高|增加|上升|下降|降低)(?:到|至)?$")
SHARE_STEP: Final = re.compile(r"(?:提高|上升|增加|提升|下降|降低|回落|扩大|缩小)(?:到|至)$")


@dataclass
class Article:
    """What the kinds see of one article: its normalized text, layout and claims."""

    path: str
    text: str
    layout: _Layout
    claims: list[Claim]
    meta: dict = field(default_factory=dict)

    def sentence_bounds(self, s: int) -> tuple[int, int]:
        st = self.layout.sent_starts
        return st[s], (st[s + 1] if s + 1 < len(st) else len(self.text))

    @property
    def sentences(self) -> dict[int, list[Claim]]:
        got = self._sentences
        if got is None:
            got = {}
            for c in self.claims:
                got.setdefault(c.sent, []).append(c)
            self._sentences = got
        return got

    year: int | None = None  # the year the article speaks of (timescope.article_time)
    # worked out once, on first use (explicit fields: functools.cached_property does not cache in the
    # compiled build, where a native class has no instance __dict__ to keep the value in)
    _sentences: dict[int, list[Claim]] | None = field(default=None, repr=False, compare=False)
    _part_ids: set[int] | None = field(default=None, repr=False, compare=False)

    @property
    def part_ids(self) -> set[int]:
        """Claims listed after 其中 (to the end of its ；-segment, or of the sentence when 其中 opens it)
        and claims of a sentence that lists parts (按…划分): parts of something, never a whole."""
        got = self._part_ids
        if got is None:
            got = self._part_ids = self._find_part_ids()
        return got

    def _find_part_ids(self) -> set[int]:
        out: set[int] = set()
        opener = re.compile(lexicon()["list_openers"])
        for s, cs in self.sentences.items():
            s0, s1 = self.sentence_bounds(s)
            if opener.match(self.text, s0, s1):
                out.update(c.index for c in cs)
                continue
            k = self.text.find("其中", s0, s1)
            while k >= 0:
                whole_sentence = not any(c.nend <= k for c in cs)
                end = s1 if whole_sentence else min([i for i in (self.text.find("；", k, s1), self.text.find(";", k, s1)) if i >= 0] or [s1])
                out.update(c.index for c in cs if k < c.nstart < end)
                k = self.text.find("其中", end, s1) if end < s1 else -1
        return out


@dataclass
class Group:
    roles: dict  # name → Claim | list[Claim]
    formula: str = "formula"  # which compiled formula applies
    unverifiable: str | None = None  # reason, when a needed operand was not stated
    note: str = ""


def key(c: Claim) -> tuple[str, str]:
    return (c.dim, c.classifier if c.dim == "[count]" else "")


def is_pct(c: Claim) -> bool:
    return c.unit in PCT_UNITS


def bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)}


def noun_of(c: Claim) -> str:
    return c.post or c.subject


def nouns_match(a: Claim, b: Claim) -> bool:
    na, nb = noun_of(a), noun_of(b)
    return bool(bigrams(na) & bigrams(nb)) if na and nb else True


def is_back_reference(c: Claim) -> bool:
    """A figure of an earlier period (上年…为481.3亿元, 去年同期)."""
    refs = tuple(lexicon()["back_references"])
    return bool(c.time and c.time.startswith(refs)) or any(w in c.pre for w in refs)


def is_additive(c: Claim) -> bool:
    if is_pct(c) or c.info.dim == "[percentage_point]":
        return False
    words = lexicon()["non_additive_words"]
    return not any(w in c.pre for w in words)


def subjects_match(a: Claim, b: Claim) -> bool:
    from factcheck.subjects import normalize_subject

    sa, sb = normalize_subject(a.subject), normalize_subject(b.subject)
    if not sa or not sb:
        return False
    return sa == sb or (len(sa) >= 2 and len(sb) >= 2 and (sa in sb or sb in sa))


# ---------------------------------------------------------------- breakdown

def _segments(art: Article, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    s = start
    for m in re.finditer(r"[；;]", art.text[start:end]):
        out.append((s, start + m.end()))
        s = start + m.end()
    out.append((s, end))
    return out


def _signature(claims: list[Claim]) -> tuple:
    return tuple(key(c) for c in claims)


def _parallel_parts(art: Article, cs: list[Claim], start: int, end: int, in_paren: bool) -> list[Claim]:
    """Claims after a marker: its segment, then following ；-segments shaped the same way."""
    parts: list[Claim] = []
    sig = None
    for a, b in _segments(art, start, end):
        seg = [c for c in cs if a <= c.nstart < b and c.in_paren == in_paren and is_additive(c)]
        if sig is None:
            if not seg:
                return []
            sig = _signature(seg)
        elif _signature(seg) != sig:
            break
        parts.extend(seg)
    return parts


def _share_listing(art: Article, parts: list[Claim]) -> bool:
    """Parts that each carry their own share (其中A 1352项，占比97.55%；B…) may overlap: not a sum."""
    following = 0
    for c in parts:
        nxt = art.claims[c.index + 1] if c.index + 1 < len(art.claims) else None
        if nxt is not None and is_pct(nxt) and nxt.sent == c.sent and ("占" in nxt.pre or "比重" in nxt.pre):
            following += 1
    return following >= 2


def breakdown(rule, art: Article):
    p = rule.p
    marker_re, list_re = _rule_patterns(rule, "breakdown", lambda: (
        compile_rule_pattern(rule, "|".join(f"(?:{m})" for m in p.markers), "params.markers"),
        compile_rule_pattern(rule, "|".join(f"(?:{m})" for m in p.list_markers), "params.list_markers")
        if p.list_markers else None))
    by_sent = art.sentences
    text = art.text
    sents = sorted(by_sent)
    for si, s in enumerate(sents):
        cs = by_sent[s]
        if len(cs) > LOOKBACK:
            continue  # a "sentence" of hundreds of figures is a table or noise, not a breakdown
        s0, s1 = art.sentence_bounds(s)
        found: list[tuple[list[Claim], list[Claim], str, str | bool]] = []
        for n_marker, m in enumerate(marker_re.finditer(text, s0, s1)):
            if n_marker >= 16:
                break
            mpos = m.start()
            paren = max(text.rfind("（", s0, mpos), text.rfind("(", s0, mpos))
            close = max(text.rfind("）", s0, mpos), text.rfind(")", s0, mpos))
            if paren > close:
                seg_start = max(text.rfind(x, s0, paren) for x in "；;") + 1
                totals = [c for c in cs if seg_start <= c.nstart and c.nend <= paren and not c.in_paren]
                pend = min([i for i in (text.find("）", mpos, s1), text.find(")", mpos, s1)) if i >= 0] or [s1])
                parts = [c for c in cs if m.end() <= c.nstart < pend and c.in_paren and is_additive(c)]
            else:
                seg_start = max(max(text.rfind(x, s0, mpos) for x in "；;") + 1, s0)
                totals = [c for c in cs if seg_start <= c.nstart and c.nend <= mpos and not c.in_paren]
                if not [c for c in cs if c.nend <= mpos]:
                    if m.group() not in ("其中",) and not m.group().startswith("其中"):
                        continue  # other markers need their total in the same sentence
                    totals = _last_segment_of_previous(art, by_sent, s)
                parts = _parallel_parts(art, cs, m.end(), s1, False)
            found.append((totals, parts, m.group(), False))
        if list_re is not None and not found:
            lm = list_re.search(text, s0, min(s1, s0 + 16))
            if lm and cs:
                para = cs[0].para
                prev = [c for back in sents[max(0, si - 3):si] for c in by_sent[back]
                        if s - c.sent <= 3 and c.para >= para - 1 and not c.in_paren and c.index not in art.part_ids]
                parts = _parallel_parts(art, cs, lm.end(), s1, False)
                nxt = by_sent.get(s + 1, [])
                sub = [c for c in nxt if SUBTOTAL.search(text[max(0, c.nstart - 8):c.nstart])]
                found.append((sub or prev, parts, lm.group(), "after" if sub else True))
        for totals, parts, marker, listed in found:
            if _share_listing(art, parts):
                continue
            for k in dict.fromkeys(key(c) for c in parts):
                ps = [c for c in parts if key(c) == k]
                if len(ps) >= 3 and SUBTOTAL.search(art.text[max(0, ps[-1].nstart - 8):ps[-1].nstart]):
                    # 其中A、B、C，三项支出合计152.97亿元: the parts add up to the subtotal, which is one part
                    subtotal = ps[-1]
                    yield Group({"total": subtotal, "parts": ps[:-1]}, "formula", note=f"subtotal after {marker}")
                    ps = [subtotal]
                cands = [c for c in totals if key(c) == k and c not in ps and is_additive(c)
                         and not is_back_reference(c)]
                if not cands or not ps:
                    continue
                subj = {c.subject for c in ps}
                exact = [c for c in cands if c.subject in subj]
                if listed == "after":
                    total = cands[0]  # 分产业看，A…B…C…。三大产业合计…: the subtotal that follows
                elif listed:
                    # a list sentence (按…划分): the total it divides is the largest figure of that kind
                    # in the sentences just before it (a nearer subset, 已开工41个, is not it)
                    total = exact[-1] if exact else max(cands, key=lambda c: (c.base_value(), c.index))
                else:
                    total = (exact or cands)[-1]
                mids = sum((c.base_value() for c in ps), Decimal(0))
                exhaustive = len(ps) >= p.exhaustive_min_parts and \
                    mids >= Decimal(str(p.exhaustive_min_coverage)) * total.base_value()
                yield Group({"total": total, "parts": ps}, "formula" if exhaustive else "partial_formula",
                            note=f"marker {marker}; " + ("exhaustive" if exhaustive else "partial") + " breakdown")


def _last_segment_of_previous(art: Article, by_sent, s: int) -> list[Claim]:
    prev = by_sent.get(s - 1)
    cur = by_sent.get(s)
    if not prev or not cur or prev[0].para != cur[0].para:
        return []
    last_seg = prev[-1].seg
    return [c for c in prev if c.seg == last_seg and not c.in_paren]


# ---------------------------------------------------------------- share

TARGET_HEADS: Final = ("目标", "计划", "任务")


def share(rule, art: Article):
    p = rule.p
    pats = _rule_patterns(rule, "share", lambda: [compile_rule_pattern(rule, x, "params.patterns") for x in p.patterns])
    claims = art.claims
    step_ref: dict[int, tuple[str, str]] = {}  # 比重由上年的50.7%提高到52.0%: the second figure is the share now
    last_whole: dict[int, Claim] = {}  # 教育支出占…的19.8%，卫生健康支出占10.2%: the same whole
    for i, c in enumerate(claims):
        if not is_pct(c):
            continue
        head = art.text[max(c.clause_start - 1, 0):c.nstart]
        stripped = STEP_FROM.sub("", head)
        if stripped != head:
            # 占…的比重由上年的50.7%提高到52.0%: the first figure is the earlier share; remember the
            # subject and whole for the figure it moves to
            m = next((mm for mm in (pt.search(stripped) for pt in pats) if mm), None)
            if m is not None:
                ref = (m.groupdict().get("ref") or "").strip("的")
                zhan = stripped.rfind("占")
                sub = stripped[:zhan].lstrip("，,；;。 ") if zhan > 0 else ""
                step_ref[c.sent] = (sub, ref)
            continue
        m = next((mm for mm in (pt.search(head) for pt in pats) if mm), None)
        inner = None  # 占全年计划350亿元的29.4%: the whole stands between 占 and the figure
        if i >= 1 and claims[i - 1].sent == c.sent:
            w = claims[i - 1]
            between = art.text[w.nend:c.nstart]
            if between in ("的", "的比重为", "的比例为", "的比重", "的比例") and \
                    INNER_LEAD.search(art.text[max(w.clause_start, w.nstart - 14):w.nstart]):
                inner = w  # 占全年计划350亿元的29.4%, 完成年度目标5万人的114.8%
                m = None
        if m is None and inner is None and BARE_SHARE.search(head) and c.sent in last_whole:
            sub = head[: head.rfind("占")].lstrip("，,；;。其中 ")
            part = _part_by_subject(art, sub, c) if sub else None
            if part is not None:
                yield Group({"part": part, "whole": last_whole[c.sent], "pct": c}, note="whole of the share before it")
            continue
        if m is None and inner is None:
            if SHARE_STEP.search(head) and c.sent in step_ref:
                sub, ref = step_ref.pop(c.sent)
                part = _part_by_subject(art, sub, c)
                whole = _named_whole(art, part, ref, c) if part is not None else None
                if part is not None and whole is not None:
                    yield Group({"part": part, "whole": whole, "pct": c}, note=f"whole: {ref}")
                else:
                    yield Group({"pct": c}, unverifiable=f"the figures of the share of “{ref}” are not both stated")
            continue
        ref = (m.groupdict().get("ref") or "").strip("的") if m else ""
        if len(ref) < 2 or ref in p.generic_wholes:
            ref = ""
        before = [x for x in claims[max(0, i - LOOKBACK):i] if not is_pct(x) and x is not inner]
        part = None
        if inner is not None:
            part = next((x for x in reversed(before) if x.sent == c.sent and x.dim == inner.dim
                         and not is_back_reference(x)), None)
            whole = inner
        else:
            zhan = head.rfind("占")
            sub = head[:zhan] if zhan > 0 else ""
            prev_in_sent = next((x for x in reversed(before) if x.sent == c.sent and not is_back_reference(x)), None)
            if sub and not re.search(r"\d", sub) and (prev_in_sent is None or prev_in_sent.nend < c.clause_start - 1):
                part = _part_by_subject(art, sub.lstrip("，,；;。其中 "), c)
            part = part or prev_in_sent
            if part is None:
                whole = None
            elif ref:
                whole = _named_whole(art, part, ref, c)
            else:
                whole = _find_whole(art, part, before)
        if part is None:
            yield Group({"pct": c}, unverifiable="the figure the share is of is not stated in its sentence")
        elif whole is None:
            what = f"“{ref}”" if ref else "the whole"
            yield Group({"part": part, "pct": c}, unverifiable=f"{what} is not stated as a figure in the article")
        else:
            last_whole[c.sent] = whole
            yield Group({"part": part, "whole": whole, "pct": c}, note=f"whole: {ref or whole.subject or whole.post}")


def _part_by_subject(art: Article, sub: str, c: Claim) -> Claim | None:
    from factcheck.subjects import normalize_subject

    want = normalize_subject(sub)
    if len(want) < 2:
        return None
    cands = [x for x in art.claims[max(0, c.index - LOOKBACK):c.index] if not is_pct(x) and x.index < c.index and not is_back_reference(x)
             and _similar(want, normalize_subject(x.subject))]
    return cands[-1] if cands else None


def _similar(a: str, b: str) -> bool:
    """Two subject phrases name the same thing: one contains the other, or they share most bigrams
    (产业项目投资 ~ 产业项目完成投资)."""
    if len(a) < 2 or len(b) < 2:
        return False
    if a in b or b in a:
        return True
    ba, bb = bigrams(a), bigrams(b)
    return len(ba & bb) >= 0.75 * min(len(ba), len(bb)) and len(ba & bb) >= 2


def _named_whole(art: Article, part: Claim, ref: str, c: Claim) -> Claim | None:
    """The whole a share names (年度计划, 规上工业总产值, 年度目标)."""
    from factcheck.subjects import normalize_subject

    same = [x for x in art.claims[max(0, part.index - LOOKBACK):part.index + LOOKBACK] if x is not part and key(x) == key(part) and not is_pct(x)
            and not is_back_reference(x)]
    core = WHOLE_WORDS.sub("", ref) or ref  # 全部完成投资 → 完成投资, 接待游客总量 → 接待游客
    nref = normalize_subject(core)
    named = [x for x in same if ref in x.clause or (len(nref) >= 2 and nref in normalize_subject(x.subject))]
    if not named and len(nref) >= 2:
        named = [x for x in same if _similar(nref, normalize_subject(x.subject)) and x.base_value() >= part.base_value()]
    named = [x for x in named if not (x.value == part.value and x.unit == part.unit)]  # not the part restated
    literal = bool(named)
    if not named and any(h in ref for h in TARGET_HEADS):
        head = next(h for h in TARGET_HEADS if h in ref)
        named = [x for x in same if head in x.clause or x.modality == "target" and subjects_match(x, part)]
        if not named:
            named = [x for x in same if subjects_match(x, part) and x.value != part.value]
    if any(h in ref for h in TARGET_HEADS) and not literal:
        # 完成年度目标的113.9%: the target itself, stated with the same subject, not the result again
        targets = [x for x in same if x.modality == "target" and subjects_match(x, part)]
        named = [x for x in named + targets if x.value != part.value] or named
        if any(x.modality == "target" for x in named):
            named = [x for x in named if x.modality == "target"]
    prior = [x for x in named if x.nstart < part.nstart]
    if prior:
        return prior[-1]
    return named[0] if named else None


def _find_whole(art: Article, part: Claim, before) -> Claim | None:
    if part.index in art.part_ids:
        s0, _ = art.sentence_bounds(part.sent)
        k = art.text.rfind("其中", s0, part.nstart)
        if k >= 0:
            lead = [x for x in before if x.sent == part.sent and x.nend <= k and key(x) == key(part)]
            if lead:
                return lead[-1]
    cands = [x for x in before if x is not part and key(x) == key(part) and x.base_value() >= part.base_value()
             and nouns_match(x, part) and x.index not in art.part_ids and not is_back_reference(x)]
    para = [x for x in cands if x.para == part.para]
    if para:
        return para[0]
    return cands[0] if cands else None


# ---------------------------------------------------------------- rate

def rate(rule, art: Article):
    p = rule.p
    rate_re = _rule_patterns(rule, "rate", lambda: compile_rule_pattern(rule,
        f"(?:{p.rate_pattern})(?:为|达到|达|是|约|了)?$" if p.rate_pattern else
        "(?:" + _words(tuple(p.rate_words), False) + ")(?:为|达到|达|是|约|了)?$", "params.rate_pattern"))
    claims = art.claims
    step: dict[int, str] = {}  # 网办率由上年的93.6%提高到97.9%: the second figure is the rate now
    for i, c in enumerate(claims):
        if not is_pct(c):
            continue
        head = art.text[c.clause_start:c.nstart]
        from_head = STEP_FROM.sub("", head)
        if from_head != head:
            mm = rate_re.search(from_head)
            if mm and not any(w in mm.group() for w in p.exclude_words):
                step[c.sent] = mm.group()
            continue
        if PAST_RATE.search(head):
            continue  # 上年签约率为37.3%: last year's rate, not computed from this year's figures
        m = rate_re.search(head)
        if m is None and SHARE_STEP.search(head) and c.sent in step:
            m = re.match(".*", step.pop(c.sent))
        if not m or any(w in m.group() for w in p.exclude_words):
            continue
        before = [x for x in claims[max(0, i - LOOKBACK):i] if not is_pct(x) and not is_back_reference(x)]
        basis = next((x for x in reversed(before) if x.sent == c.sent and BASIS.search(x.clause)), None)
        if basis is not None:
            # 按常住人口471.2万人计算，签约率39.6%: the figure the rate is computed on is named
            num = next((x for x in reversed(before) if x.sent == c.sent and x is not basis and key(x) == key(basis)), None)
            roles = {"pct": c, "denominator": basis}
            if num is None:
                yield Group(roles, unverifiable="the rate's numerator is not stated in its sentence")
            else:
                roles["numerator"] = num
                yield Group(roles, note=f"rate {m.group()} on the stated basis")
            continue
        if p.denominator_words:
            dens = [x for x in reversed(before) if any(w in x.clause[: x.nend - x.clause_start + 4] for w in p.denominator_words)]
            den = next((x for x in dens if x.index not in art.part_ids), dens[0] if dens else None)
            num = next((x for x in reversed(before) if x is not den and (den is None or key(x) == key(den))
                        and any(w in x.clause for w in p.numerator_words)
                        and not any(w in x.clause for w in p.denominator_words + p.numerator_exclude)), None)
        else:
            num = next((x for x in reversed(before) if x.sent == c.sent), None)
            den = None
            if num is not None:
                den = next((x for x in reversed(before) if x.index < num.index and key(x) == key(num)
                            and x.base_value() >= num.base_value() and x.index not in art.part_ids
                            and num.sent - x.sent <= p.max_sentences_back), None)
        roles = {"pct": c}
        if num is not None:
            roles["numerator"] = num
        if den is not None:
            roles["denominator"] = den
        if num is None or den is None:
            missing = "numerator" if num is None else "denominator"
            yield Group(roles, unverifiable=f"the rate's {missing} is not stated in the article")
        else:
            yield Group(roles, note=f"rate {m.group()}")


# ---------------------------------------------------------------- growth

def growth(rule, art: Article):
    p = rule.p
    claims = art.claims
    updown = _words(tuple(p.up_words + p.down_words))
    pct_re, own_re = _rule_patterns(rule, "growth", lambda: (
        re.compile(f"(?:{updown})了?$"), re.compile(f"(?:同比|比上年|较上年|较去年)?(?:{updown})了?$")))
    prev_words = tuple(p.previous_words)
    for i, c in enumerate(claims):
        if not is_pct(c):
            continue
        head = art.text[c.clause_start:c.nstart]
        if not pct_re.search(head) or STEP_TO.search(head):
            continue
        down = any(head.rstrip("了").endswith(w) for w in p.down_words)
        sent = [x for x in claims[max(0, i - LOOKBACK):i] if x.sent == c.sent and not is_pct(x)]

        def is_prev(x: Claim) -> bool:
            return any(w in x.pre for w in prev_words) or is_back_reference(x)

        current = next((x for x in reversed(sent) if not _is_delta(art, x, pct_re) and not is_prev(x)), None)
        own = own_re.sub("", head).strip("，,、 ")
        if current is not None and current.nend < c.clause_start and len(own) >= 2 and not _names(current, own):
            # 旅游综合收入增长21%: the clause names what grew, and it is not the figure before it
            yield Group({"pct": c}, unverifiable=f"“{own}” is not stated as a figure in its sentence")
            continue
        if current is None:
            yield Group({"pct": c}, unverifiable="the figure that grew is not stated in its sentence")
            continue
        delta = next((x for x in reversed(sent) if _is_delta(art, x, pct_re) and key(x) == key(current)
                      and x.nstart > current.nstart), None)
        # the claims of the two sentences either side (in text order), not a scan of the whole article
        near = [x for s in range(c.sent - 2, c.sent + 3) for x in art.sentences.get(s, ())
                if x.para == c.para and not is_pct(x) and x is not current and x is not delta
                and key(x) == key(current)]
        previous = next((x for x in near if is_prev(x) and (subjects_match(x, current) or
                         (x.sent == c.sent or x.sent == c.sent + 1) and _elliptic(x))), None)
        note = "down" if down else "up"
        if previous is not None:
            yield Group({"current": current, "previous": previous, "pct": c}, note=note)
        elif delta is not None:
            yield Group({"current": current, "delta": delta, "pct": c}, formula="delta_formula", note=note)
        else:
            yield Group({"current": current, "pct": c}, unverifiable="neither the earlier figure nor the change is stated")


def _names(c: Claim, words: str) -> bool:
    from factcheck.subjects import normalize_subject

    a, b = normalize_subject(words), normalize_subject(c.subject)
    return bool(a) and bool(b) and (a in b or b in a or len(bigrams(a) & bigrams(b)) >= 2)


ELLIPTIC: Final = re.compile(r"[，,]?(?:比|较|与|同|而)?(?:上年|去年|上一年|上年同期|去年同期)(?:末|底|同期)?(?:的|为|是|有)?")


def _elliptic(x: Claim) -> bool:
    """上年为92.81亿元, 比上年末的8.76万户: a previous figure that names no subject of its own."""
    return bool(ELLIPTIC.fullmatch(x.pre))


def _is_delta(art: Article, x: Claim, delta_re: re.Pattern[str]) -> bool:
    head = art.text[x.clause_start:x.nstart]
    return bool(delta_re.search(head))


# ---------------------------------------------------------------- percentage points

def pp_diff(rule, art: Article):
    p = rule.p
    claims = art.claims
    for i, c in enumerate(claims):
        if c.info.dim != "[percentage_point]":
            continue
        head = art.text[c.clause_start:c.nstart]
        down = any(w in head for w in p.down_words)
        if not down and not any(w in head for w in p.up_words):
            continue
        pcts = [x for x in claims[max(0, i - LOOKBACK):i] if x.sent == c.sent and is_pct(x)]
        if len(pcts) < 2:
            yield Group({"diff": c}, unverifiable="the two percentages are not both stated in the sentence")
            continue
        # a is the earlier figure (由/从/比上年…的 A%), b the later one; diff == b - a when it rose
        x, y = pcts[-2], pcts[-1]
        earlier = next((z for z in (x, y) if EARLIER_WORDS.search(z.pre)), x)
        later = y if earlier is x else x
        a, b = (later, earlier) if down else (earlier, later)
        yield Group({"a": a, "b": b, "diff": c}, note="down" if down else "up")


# ---------------------------------------------------------------- average

BASIS_PHRASE: Final = re.compile(r"按(?:年平均|平均)?([\u4e00-\u9fff]{2,12}?)(?:计算|计)")
AVG_WORDS: Final = re.compile(r"人次均|平均每[\u4e00-\u9fff]|平均|人均|户均|村均|亩均|校均|每[\u4e00-\u9fff]|[\u4e00-\u9fff]均")
COUNT_DIMS: Final = ("[count]", "[person]", "[visit]", "[area]")


def average(rule, art: Article):
    p = rule.p
    words = sorted(p.average_words, key=len, reverse=True)
    claims = art.claims
    from factcheck.subjects import anchor_of, normalize_subject

    for i, c in enumerate(claims):
        head = art.text[c.clause_start:c.nstart]
        w = next((w for w in words if w in head), None)
        if w is None or is_pct(c):
            continue
        prior = [x for x in claims[max(0, i - LOOKBACK):i] if not is_pct(x) and not is_back_reference(x) and x.index not in art.part_ids]
        para = [x for x in prior if x.para == c.para]
        # 每所学校 → counted in 所; 户均 → 户; 人次均 → 人次; 亩均/亩产 → an area
        mm = re.search(r"人次均|每([\u4e00-\u9fff])|(?<!平)([户人村亩家校企])均", head)
        cls = "人次" if mm and mm.group() == "人次均" else ((mm.group(1) or mm.group(2)) if mm else "")
        same_kind = (lambda x: key(x) == key(c)) if c.dim == "[count]" else (lambda x: x.dim == c.dim)

        def counted(x):
            if x.dim not in COUNT_DIMS or same_kind(x):
                return False
            if not cls or cls in "个单":
                return x.dim != "[area]"
            if cls == "亩":
                return x.dim == "[area]"
            return x.classifier == cls or cls in x.post[:4] or cls in x.subject or \
                (cls == "人" and x.dim in ("[person]", "[visit]"))

        counts = [x for x in para if counted(x)]
        totals = [x for x in prior if same_kind(x) and is_additive(x)]
        # 人均地区生产总值 → 地区生产总值: the total is named by the average's own subject, or by
        # the basis it is computed on (按旅游综合收入计算)
        s0, _ = art.sentence_bounds(c.sent)
        bm = BASIS_PHRASE.search(art.text, s0, c.nstart)
        names = [normalize_subject(bm.group(1))] if bm else []
        names.append(normalize_subject(AVG_WORDS.sub("", head)))
        named = [x for x in totals if any(len(n) >= 2 and _similar(n, normalize_subject(x.subject)) for n in names)]
        near = next((x for x in reversed(counts) if x.seg == c.seg), None) \
            or next((x for x in reversed(counts) if x.sent == c.sent), None)
        total = count = None
        for t in reversed(totals):  # the amount of the counted set (项目45个，总投资120.5亿元)
            a = anchor_of(t, claims, "总投资")
            if a is not None and near is not None and a.value == near.value and a.classifier == near.classifier \
                    and (not named or t in named):
                total, count = t, near
                break
        if total is None and named:
            total = named[-1]
            a = anchor_of(total, claims, "总投资")
            count = a if a is not None and counted(a) else None
        if count is None and total is not None and near is None:
            # no count beside the average: the one stated with the total (接待游客865.3万人次…旅游综合收入92.6亿元)
            count = next((x for x in claims[max(0, i - LOOKBACK):i] if counted(x) and x.sent == total.sent and not is_back_reference(x)), None)
        if count is None:
            count = near or max(counts, key=lambda x: x.base_value(), default=None)
        if total is None and count is not None:
            local = [x for x in totals if x.para == c.para and x is not count]
            total = next((x for x in reversed(local) if x.seg == c.seg), None) \
                or next((x for x in reversed(local) if x.sent == c.sent), None) \
                or (local[-1] if local else None)
        if total is None or count is None:
            yield Group({"avg": c}, unverifiable="the total or the count the average divides is not stated")
        else:
            yield Group({"total": total, "count": count, "avg": c})


# ---------------------------------------------------------------- repeat

def repeat(rule, art: Article, keyer):
    """The same subject twice in one article: every later mention against the first."""
    from factcheck.conflicts import same_fact

    from factcheck.timescope import claim_period

    seen: dict[tuple, list[tuple[Claim, str | None]]] = {}
    for c in art.claims:
        k = keyer(c, art)
        if k is None:
            continue
        period = claim_period(c, art.year, default_to_year=False)
        earlier = seen.setdefault(k, [])
        if len(earlier) > 64:
            continue  # a subject stated this often is a list, not a restatement
        # the same subject in another period is another fact (2023年112个 vs 2024年120个以上)
        first = next((f for f, fp in earlier if fp == period or (fp is None or period is None) and
                      k[4] != "target"), None)
        earlier.append((c, period))
        if first is None or first.sent == c.sent or not same_fact(first, c, rule.p.max_ratio):
            continue  # parts of one sentence are a list, not a restatement
        from factcheck.subjects import readable_key

        yield Group({"first": first, "second": c},
                    note=f"subject key {readable_key(first, art.claims)}; period {period or 'unknown'}")


KINDS: Final = {"breakdown": breakdown, "share": share, "rate": rate, "growth": growth, "pp_diff": pp_diff,
         "average": average}
