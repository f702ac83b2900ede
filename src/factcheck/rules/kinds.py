"""Rule kinds: each finds the groups of claims its rules test. Small pure functions, no printing.

A kind returns Groups: the claims bound to the names of the rule's formula (`total`, `parts`, …),
which formula applies, and what to say when nothing could be bound (unverifiable).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from factcheck.extract import Claim

PCT_UNITS = ("%", "‰")


@dataclass
class Article:
    """What the kinds see of one article: its normalized text, layout and claims."""

    path: str
    text: str
    layout: object
    claims: list[Claim]
    meta: dict = field(default_factory=dict)

    def sentence_bounds(self, s: int) -> tuple[int, int]:
        st = self.layout.sent_starts
        return st[s], (st[s + 1] if s + 1 < len(st) else len(self.text))

    def by_sentence(self) -> dict[int, list[Claim]]:
        out: dict[int, list[Claim]] = {}
        for c in self.claims:
            out.setdefault(c.sent, []).append(c)
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
        seg = [c for c in cs if a <= c.nstart < b and c.in_paren == in_paren]
        if sig is None:
            if not seg:
                return []
            sig = _signature(seg)
        elif _signature(seg) != sig:
            break
        parts.extend(seg)
    return parts


def breakdown(rule, art: Article):
    p = rule.p
    marker_re = re.compile("|".join(f"(?:{m})" for m in p.markers))
    list_re = re.compile("|".join(f"(?:{m})" for m in p.list_markers)) if p.list_markers else None
    by_sent = art.by_sentence()
    text = art.text
    part_ids: set[int] = set()
    for s in sorted(by_sent):
        cs = by_sent[s]
        s0, s1 = art.sentence_bounds(s)
        found = []
        for m in marker_re.finditer(text, s0, s1):
            mpos = m.start()
            paren = max(text.rfind("（", s0, mpos), text.rfind("(", s0, mpos))
            close = max(text.rfind("）", s0, mpos), text.rfind(")", s0, mpos))
            in_paren = paren > close
            if in_paren:
                seg_start = max(text.rfind(x, s0, paren) for x in "；;") + 1
                totals = [c for c in cs if seg_start <= c.nstart and c.nend <= paren and not c.in_paren]
                pend = min([i for i in (text.find("）", mpos, s1), text.find(")", mpos, s1)) if i >= 0] or [s1])
                parts = [c for c in cs if m.end() <= c.nstart < pend and c.in_paren]
            else:
                seg_start = max(max(text.rfind(x, s0, mpos) for x in "；;") + 1, s0)
                totals = [c for c in cs if seg_start <= c.nstart and c.nend <= mpos and not c.in_paren]
                if not [c for c in cs if c.nend <= mpos]:
                    totals = _last_segment_of_previous(art, by_sent, s)
                parts = _parallel_parts(art, cs, m.end(), s1, False)
            found.append((totals, parts, m.group()))
        if list_re is not None and not found:
            lm = list_re.search(text, s0, min(s1, s0 + 16))
            if lm and cs:
                prev = [c for c in by_sent.get(s - 1, []) if not c.in_paren and c.para == cs[0].para
                        and c.index not in part_ids]
                parts = _parallel_parts(art, cs, lm.end(), s1, False)
                found.append((prev, parts, lm.group()))
        for totals, parts, marker in found:
            for k in dict.fromkeys(key(c) for c in parts):
                ps = [c for c in parts if key(c) == k]
                cands = [c for c in totals if key(c) == k and c not in ps]
                if not cands or not ps:
                    continue
                subj = {c.subject for c in ps}
                exact = [c for c in cands if c.subject in subj]
                total = (exact or cands)[-1] if exact or marker not in (list_re.pattern if list_re else "") \
                    else cands[0]
                if list_re is not None and list_re.fullmatch(marker):
                    total = exact[0] if exact else cands[0]
                if total.unit in PCT_UNITS:
                    continue
                part_ids.update(c.index for c in ps)
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

def share(rule, art: Article):
    p = rule.p
    pats = [re.compile(x) for x in p.patterns]
    claims = art.claims
    for i, c in enumerate(claims):
        if not is_pct(c):
            continue
        head = art.text[max(c.clause_start - 1, 0):c.nstart]
        m = next((mm for mm in (pt.search(head) for pt in pats) if mm), None)
        inner = None  # 占全年计划350亿元的29.4%: the whole stands between 占 and the figure
        if m is None and i >= 1 and claims[i - 1].sent == c.sent:
            w = claims[i - 1]
            between = art.text[w.nend:c.nstart]
            if between in ("的", "的比重为", "的比例为", "的比重", "的比例") and "占" in art.text[max(0, w.nstart - 12):w.nstart]:
                inner = w
        if m is None and inner is None:
            continue
        ref = (m.groupdict().get("ref") or "").strip("的") if m else ""
        before = [x for x in claims[:i] if not is_pct(x) and x is not inner]
        if inner is not None:
            part = next((x for x in reversed(before) if x.sent == c.sent and x.dim == inner.dim), None)
            whole = inner
        else:
            part = next((x for x in reversed(before) if x.sent == c.sent), None)
            whole = _find_whole(art, part, ref, p.generic_wholes, before) if part is not None else None
        if part is None:
            yield Group({"pct": c}, unverifiable="the figure the share is of is not stated in its sentence")
        elif whole is None:
            what = f"“{ref}”" if ref else "the whole"
            yield Group({"part": part, "pct": c}, unverifiable=f"{what} is not stated as a figure in the article")
        else:
            yield Group({"part": part, "whole": whole, "pct": c}, note=f"whole: {whole.subject or whole.post}")


def _find_whole(art: Article, part: Claim, ref: str, generic, before) -> Claim | None:
    same = [x for x in art.claims if x is not part and x.dim == part.dim and not is_pct(x)]
    if ref and ref not in generic:
        named = [x for x in same if ref in x.pre or ref in x.subject or ref in x.clause[: max(0, x.nstart - x.clause_start)]]
        prior = [x for x in named if x.nstart < part.nstart]
        if prior or named:
            return (prior or named)[-1]
    cands = [x for x in before if x is not part and x.dim == part.dim and key(x) == key(part)
             and x.base_value() >= part.base_value() and nouns_match(x, part)]
    para = [x for x in cands if x.para == part.para]
    if para:
        return para[0]
    return cands[0] if cands else None


# ---------------------------------------------------------------- rate

def rate(rule, art: Article):
    p = rule.p
    words = sorted(p.rate_words, key=len, reverse=True)
    claims = art.claims
    for i, c in enumerate(claims):
        if not is_pct(c):
            continue
        head = art.text[c.clause_start:c.nstart]
        if not any(w in head for w in words):
            continue
        before = claims[:i]
        den = next((x for x in reversed(before) if not is_pct(x)
                    and any(w in x.clause[: x.nend - x.clause_start + 4] for w in p.denominator_words)), None)
        num = next((x for x in reversed(before) if not is_pct(x) and x is not den
                    and any(w in x.clause for w in p.numerator_words)
                    and not any(w in x.clause for w in p.denominator_words + p.numerator_exclude)), None)
        if num is not None and den is not None and num.dim != den.dim:
            num = None
        roles = {"pct": c}
        if num is not None:
            roles["numerator"] = num
        if den is not None:
            roles["denominator"] = den
        if num is None or den is None:
            missing = "numerator" if num is None else "denominator"
            yield Group(roles, unverifiable=f"the rate's {missing} is not stated in the article")
        else:
            yield Group(roles)


# ---------------------------------------------------------------- growth

def growth(rule, art: Article):
    p = rule.p
    claims = art.claims
    updown = "|".join(map(re.escape, p.up_words + p.down_words))
    pct_re = re.compile(f"(?:{updown})了?$")
    for i, c in enumerate(claims):
        if not is_pct(c):
            continue
        head = art.text[c.clause_start:c.nstart]
        if not pct_re.search(head):
            continue
        down = any(head.rstrip("了").endswith(w) for w in p.down_words)
        sent = [x for x in claims[:i] if x.sent == c.sent and not is_pct(x)]
        para = [x for x in claims if x.para == c.para and not is_pct(x) and x is not c]
        current = next((x for x in reversed(sent) if not _is_delta(art, x, updown)), None)
        if current is None:
            yield Group({"pct": c}, unverifiable="the figure that grew is not stated in its sentence")
            continue
        delta = next((x for x in reversed(sent) if _is_delta(art, x, updown) and x.dim == current.dim
                      and x.unit and x.nstart > current.nstart), None)
        previous = next((x for x in para if x is not current and x.dim == current.dim and x is not delta
                         and any(w in x.clause for w in p.previous_words) and not _is_delta(art, x, updown)), None)
        sign = -1 if down else 1
        if previous is not None:
            yield Group({"current": current, "previous": previous, "pct": c}, note="down" if down else "up",
                        formula="formula") if not down else Group(
                {"current": current, "previous": previous, "pct": c}, note="down")
        elif delta is not None:
            yield Group({"current": current, "delta": delta, "pct": c}, formula="delta_formula",
                        note="down" if down else "up")
        else:
            yield Group({"current": current, "pct": c},
                        unverifiable="neither the earlier figure nor the change is stated")
        del sign


def _is_delta(art: Article, x: Claim, updown: str) -> bool:
    head = art.text[x.clause_start:x.nstart]
    return bool(re.search(f"(?:{updown})了?$", head))


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
        pcts = [x for x in claims[:i] if x.sent == c.sent and is_pct(x)]
        if len(pcts) < 2:
            yield Group({"diff": c}, unverifiable="the two percentages are not both stated in the sentence")
            continue
        a, b = pcts[-2], pcts[-1]
        if down:
            a, b = b, a
        yield Group({"a": a, "b": b, "diff": c}, note="down" if down else "up")


# ---------------------------------------------------------------- average

def average(rule, art: Article):
    p = rule.p
    words = sorted(p.average_words, key=len, reverse=True)
    claims = art.claims
    for i, c in enumerate(claims):
        head = art.text[c.clause_start:c.nstart]
        if not any(w in head for w in words) or is_pct(c):
            continue
        para = [x for x in claims[:i] if x.para == c.para and not is_pct(x)]
        total = next((x for x in reversed(para) if x.dim == c.dim and x is not c), None)
        count = next((x for x in reversed(para) if x.dim in ("[count]", "[person]") and x is not total
                      and x.dim != c.dim), None)
        if total is None or count is None:
            yield Group({"avg": c}, unverifiable="the total or the count the average divides is not stated")
        else:
            yield Group({"total": total, "count": count, "avg": c})


# ---------------------------------------------------------------- repeat

def repeat(rule, art: Article, keyer):
    """The same subject twice in one article: every later mention against the first."""
    seen: dict[tuple, Claim] = {}
    for c in art.claims:
        k = keyer(c, art)
        if k is None:
            continue
        first = seen.get(k)
        if first is None:
            seen[k] = c
            continue
        if first.sent == c.sent:
            continue  # parts of one sentence are a list, not a restatement
        from factcheck.conflicts import same_fact

        if not same_fact(first, c, rule.p.max_ratio):
            continue
        yield Group({"first": first, "second": c}, note=f"subject key {k[0]}")


KINDS = {"breakdown": breakdown, "share": share, "rate": rate, "growth": growth, "pp_diff": pp_diff,
         "average": average}
