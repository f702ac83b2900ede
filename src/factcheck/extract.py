"""Numeric mentions → Claims: value, precision, unit, qualifier, modality, time, subject and span."""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Final

from factcheck.documents import Document
from factcheck.fastre import ascii_digits, compile_fast, compile_prefixed
from factcheck.lexicon import lexicon, strip_affixes, word_suffix
from factcheck.normalize import Normalized, normalize
from factcheck.numbers import CN_DIGITS, NumberError, parse_arabic, parse_chinese
from factcheck.units import UnitInfo, table

INF: Final = Decimal("Infinity")
DEFAULT_APPROX: Final = Decimal("0.05")

CN_NUM: Final = "零〇一二两三四五六七八九十百千万亿"
CANDIDATE_ARABIC: Final = r"百分之[零〇一二两三四五六七八九十百千点.\d]++|(?<![\d.])\d++(?:,\d{3})++(?:\.\d++)?(?![\d,])|(?<![\d.])\d++(?:\.\d++)?"
CANDIDATE: Final = re.compile(CANDIDATE_ARABIC + "|[" + CN_NUM + "]+")


def _candidate_pattern(plain: bool = False) -> str:
    """Numbers that can start a claim: each is followed by the first character of a unit, 余/多/几, a
    magnitude (万, 亿) or a range sign. Any other number (a date, 第3, a code) cannot become a claim, and
    is passed over by the engine rather than read and turned down one by one.

    plain: the same candidates without the test on the next character (the tests compare the two)."""
    firsts = set(u[0] for u in _units()[0]) | set("余多几万亿-~～至到—")
    follow = "(?=[" + re.escape("".join(sorted(firsts - set("0123456789.,")))) + "])"
    arabic = CANDIDATE_ARABIC if plain else "|".join(
        alt if alt.startswith("百分之") else alt + follow for alt in CANDIDATE_ARABIC.split("|"))
    # a run of Chinese numerals is tried once, from its first character, and never backtracked into:
    # a long run (1 MB of 亿) costs linear time
    return arabic + "|(?<![" + CN_NUM + "])[" + CN_NUM + "]++" + follow


@lru_cache(maxsize=2)
def _candidates(plain: bool = False) -> re.Pattern:
    return compile_fast(_candidate_pattern(plain))


@lru_cache(maxsize=1)
def _candidates_ascii() -> re.Pattern:
    """The candidates in a text whose digits are all 0-9: the same matches, found faster
    (fastre.compile_prefixed)."""
    return compile_prefixed(_candidate_pattern()) or _candidates()


RANGE_SEP: Final = "-~～至到—"
CLAUSE_DELIMS: Final = "，,；;：:。！？!?、（）()《》【】\n"
CLAUSE_DELIM_RE: Final = re.compile("[" + re.escape(CLAUSE_DELIMS) + "]")
# Where sentences and segments end (_boundaries finds the ends of their matches in one pass, and
# tests/test_extract.py compares the two). Each opens with a character class and means the same as the
# plainer form in the comment above it; tests/test_fastre.py checks it.
# [。！？!?]+[”’」』]?|\n\n
SENTENCE_END: Final = re.compile(r"[。！？!?\n](?:(?<=[。！？!?])[。！？!?]*[”’」』]?|(?<=\n)\n)")
# [；;。！？!?]|\n\n
SEGMENT_END: Final = re.compile(r"[；;。！？!?\n](?:(?<=\n)\n|(?<!\n))")
MAGNITUDE_ONLY: Final = set("万亿千百")
DATE_CHARS: Final = set("月日号时点")
DURATION_LEAD: Final = re.compile(r"(?:连续|近|未来|用了|用|历时|经过|满|长达|达|已)$")
CLAUSE_REACH: Final = 120  # a clause is read at most this far on either side of its figure
PLACE_TIME_ONLY: Final = re.compile(r"(?:全[区县市省]|[\u4e00-\u9fff]{2,3}[区县市镇])?(?:(?:19|20)\d{2}年|今年|去年|全年|"
                             r"上半年|下半年|前三季度|第?[一二三四]季度|年初|年末|年底)?(?:共|累计|共计)?")
GENERIC_NOUNS: Final = {"项目", "企业", "事项", "单位", "家", "个", "人"}
# (?<![\d.])((?:19|20)\d{2})(?:年|(?=[】\]」“”]))
YEAR_IN_TIME: Final = re.compile(r"((?:19|20)(?<![\d.]..)\d{2})(?:年|(?=[】\]」“”]))")
SECTION_YEAR: Final = compile_fast(r"【[^】\n]{0,12}?((?:19|20)\d{2})[^】\n]{0,12}】|(?:^|\n)#+[^\n]*?((?:19|20)\d{2})年?[^\n]*")
LATER_FIGURE: Final = re.compile(r"\d+(?:\.\d+)?(?:万|亿)?[个项家户人名条件次套所座元亩吨]|[两三四五六七八九十]+[个项家户人名条件次套所座]")
EXACT_DIMS: Final = {"[count]", "[person]", "[visit]", "[occurrence]"}
# unit strings that are not read as units in running text (dates, phases, word parts)
NOT_TEXT_UNITS: Final = {"日", "度", "期", "部", "单", "头", "工作日", "周"}
POST_CUT: Final = re.compile("[" + re.escape("，,；;：:。！？!?、（）()《》【】\n") + "]|[^\u4e00-\u9fff“”]")
STOP_AFTER: Final = re.compile(r"[\u4e00-\u9fff]{2}了|同时|共同|正在|已经|分别|陆续|先后|积极|主动|全部|总投资|投资总额|的|和|与|及|已|将|实现|进行|完成|开工|竣工|签约|落地|投产|建成|获|被|在|于|为|是|达|共|累计|同比|比|较|占|，|。")


@dataclass(slots=True)
class Claim:
    """One numeric claim with its provenance (original span) and what the rules need to know."""

    path: str
    start: int  # original offsets, end exclusive
    end: int
    line: int
    column: int
    text: str  # raw text of the span in the original file
    nstart: int  # normalized offsets
    nend: int
    value: Decimal
    exp: int  # the stated precision: the figure is known to 10**exp of its unit
    unit: str
    info: UnitInfo
    value_high: Decimal | None = None  # for ranges
    qualifier: str | None = None  # approx / lower / lower_bounded / upper / range
    qualifier_text: str = ""
    modality: str = "actual"  # actual / target
    time: str | None = None
    pre: str = ""  # clause text before the number
    post: str = ""  # noun after the unit
    subject: str = ""
    threshold: str | None = None
    para: int = 0
    sent: int = 0
    seg: int = 0  # segment (；-delimited) index
    clause_start: int = 0
    clause: str = ""  # the whole clause around the figure
    in_paren: bool = False
    index: int = 0
    extra: dict = field(default_factory=dict)  # values the checks work out once per figure (natural interval)

    def __reduce__(self):
        """Pickled (to and from the workers) as the tuple of its fields: a quarter to a third less time than
        the attribute dict of the default (tests/test_extract.py checks that every field is in it)."""
        return (Claim, (self.path, self.start, self.end, self.line, self.column, self.text, self.nstart, self.nend,
                        self.value, self.exp, self.unit, self.info, self.value_high, self.qualifier,
                        self.qualifier_text, self.modality, self.time, self.pre, self.post, self.subject,
                        self.threshold, self.para, self.sent, self.seg, self.clause_start, self.clause,
                        self.in_paren, self.index, self.extra))

    @property
    def dim(self) -> str:
        return self.info.dim

    @property
    def classifier(self) -> str:
        return _classifier(self.unit)

    def interval(self, approx: Decimal = DEFAULT_APPROX, as_stated: bool = False) -> tuple[Decimal, Decimal]:
        """The values the stated figure admits, in the unit's base (元, 个, …; % as a fraction)."""
        f = self.info.factor
        # a whole count without a magnitude (69个, 38个项目) is exact; other figures are rounded
        exact = self.exp == 0 and f == 1 and self.info.dim in EXACT_DIMS
        half = Decimal(0) if exact else Decimal(5).scaleb(self.exp - 1)
        v = self.value
        lo, hi = v - half, (self.value_high if self.value_high is not None else v) + half
        q = self.qualifier
        if as_stated and q in ("lower", "upper"):
            q = None
        if q == "lower_bounded":  # 20余 = 20 … 29
            step = Decimal(1).scaleb(_last_place(v))
            lo, hi = v, v + step
        elif q == "lower":
            hi = INF
        elif q == "upper":
            lo = Decimal(0)
        elif q == "approx":
            lo, hi = min(lo, v * (1 - approx)), max(hi, v * (1 + approx))
        lo = max(lo, Decimal(0)) if v >= 0 else lo
        return lo * f, (hi * f if hi != INF else INF)

    def base_value(self) -> Decimal:
        return self.value * self.info.factor

    def display(self) -> str:
        return self.text.replace("\n", "")


@lru_cache(maxsize=1024)
def _classifier(u: str) -> str:
    """个 of 万个, 元 of 亿元: the unit without its magnitude."""
    for p in ("万亿", "千万", "百万", "十万", "万", "亿"):
        if u.startswith(p) and len(u) > len(p):
            return u[len(p):]
    return u


def _last_place(v: Decimal) -> int:
    """Power of ten of the last nonzero digit of a figure (20 → 1, 121 → 0, 1.2 → -1)."""
    t = v.normalize().as_tuple()
    return t.exponent if isinstance(t.exponent, int) else 0  # 1.2万余 = 1.2万 … 1.3万


@lru_cache(maxsize=1)
def _units() -> tuple[dict[str, UnitInfo], int, frozenset]:
    t = {u: i for u, i in table().items() if u not in NOT_TEXT_UNITS}
    return t, max(map(len, t)), frozenset(u[0] for u in t)


def _match_unit(text: str, p: int) -> tuple[str, UnitInfo] | None:
    units, longest, first = _units()
    if p >= len(text) or text[p] not in first:
        return None
    return _unit_at_start(text[p:p + longest])


@lru_cache(maxsize=8192)
def _unit_at_start(s: str) -> tuple[str, UnitInfo] | None:
    """The longest unit s starts with."""
    units = _units()[0]
    for L in range(len(s), 0, -1):
        info = units.get(s[:L])
        if info is not None:
            return s[:L], info
    return None


class _Lexicon:
    """The lexicon's word lists as extraction uses them (rules/lexicon.yaml), read once."""

    def __init__(self, lx: dict) -> None:
        before = sorted(((w, k) for k, ws in lx["qualifiers_before"].items() for w in ws), key=lambda x: -len(x[0]))
        after = sorted(((w, k) for k, ws in lx["qualifiers_after"].items() for w in ws), key=lambda x: -len(x[0]))
        self.before: dict[str, str] = dict(before)  # qualifier word before a figure → its kind
        self.after: dict[str, str] = dict(after)  # qualifier word after a unit → its kind
        self.target: re.Pattern[str] = compile_fast("|".join(lx["target_words"]))
        self.actual: re.Pattern[str] = compile_fast("|".join(map(re.escape, lx["actual_words"])))
        times = "|".join(f"(?:{p})" for p in lx["time_patterns"])
        self.time: re.Pattern[str] = compile_fast(times)
        self.time_ascii: re.Pattern[str] = compile_prefixed(times) or self.time  # digits all 0-9
        strip_left = sorted(lx["subject_strip_left"], key=len, reverse=True)
        strip_right = sorted(lx["subject_strip_right"], key=len, reverse=True)
        self.strip_left: re.Pattern[str] = re.compile("^(?:" + "|".join(map(re.escape, strip_left)) + ")")
        self.strip_right: re.Pattern[str] = re.compile("(?:" + "|".join(map(re.escape, strip_right)) + ")$")
        self.verbs: tuple[str, ...] = tuple(sorted(lx["verb_endings"], key=len, reverse=True))
        self.target_after: tuple[str, ...] = tuple(lx["target_after"])
        self.back_refs: tuple[str, ...] = tuple(lx["back_references"])
        self.before_re: re.Pattern[str] = re.compile("(?:" + "|".join(re.escape(w) for w, _ in before) + ")$")
        # a subject made only of a verb (同比增长, 提高到, 完成): not a noun phrase
        alt = lambda ws: "|".join(map(re.escape, sorted(ws, key=len, reverse=True)))  # noqa: E731
        self.verb_subject: re.Pattern[str] = re.compile(
            f"(?:{alt(lx['verb_subject_prefixes'])})?(?:{alt(lx['verb_subjects'])})(?:{alt(lx['verb_subject_suffixes'])})?"
            f"|(?:{alt(lx['verb_subject_prefixes'])})")
        self.deeds: frozenset[str] = frozenset(lx["deed_subjects"])
        # numerals inside a word or a slogan (三次产业, 两个维护)
        self.not_figures: re.Pattern[str] = re.compile(alt(lx["not_figures"]))
        self.after_re: re.Pattern[str] = re.compile("|".join(re.escape(w) for w, _ in after))


@lru_cache(maxsize=1)
def _lex() -> _Lexicon:
    return _Lexicon(lexicon())


class _Layout:
    """Paragraph, sentence and segment boundaries of a normalized text, and the positions of the
    words extraction looks back for: found once per article, then looked up by bisection."""

    def __init__(self, text: str):
        self.para_starts, self.sent_starts, self.seg_starts = _boundaries(text)

    def prepare(self, text: str, ascii: bool = False) -> None:
        """ascii: every digit of text is 0-9 (fastre.ascii_digits)."""
        lx = _lex()
        self.reversed = text[::-1]  # the last delimiter before a figure is the first one found in it
        self.opens = _positions(text, "（(")
        self.closes = _positions(text, "）)")
        self.targets = [(m.start(), m.end()) for m in lx.target.finditer(text)]
        self.target_starts = [a for a, _ in self.targets]
        self.actuals = [m.start() for m in lx.actual.finditer(text)]
        self.times = [(m.start(), m.end(), m.group()) for m in (lx.time_ascii if ascii else lx.time).finditer(text)]
        self.time_starts = [t[0] for t in self.times]
        self.years = [(m.start(), m.group(1)) for m in YEAR_IN_TIME.finditer(text)]
        self.year_starts = [y[0] for y in self.years]
        self.sections = [(m.start(), m.group(1) or m.group(2)) for m in SECTION_YEAR.finditer(text)] \
            if "【" in text or "#" in text else []
        self.section_starts = [y[0] for y in self.sections]

    @staticmethod
    def index(starts: list[int], pos: int) -> int:
        return bisect.bisect_right(starts, pos) - 1


_BOUNDARY: Final = re.compile("[；;。！？!?\n]")
_TERMINAL: Final = "。！？!?"
_CLOSING: Final = "”’」』"


def _boundaries(text: str) -> tuple[list[int], list[int], list[int]]:
    """Where paragraphs, sentences and segments start, in one pass: the ends of the matches of
    `\n\n`, of SENTENCE_END and of SEGMENT_END (tests/test_extract.py compares them)."""
    para, sent, seg = [0], [0], [0]
    n = len(text)
    pos = 0
    while True:
        m = _BOUNDARY.search(text, pos)
        if m is None:
            break
        i = m.start()
        ch = text[i]
        if ch == "\n":
            if i + 1 < n and text[i + 1] == "\n":  # a blank line ends all three
                para.append(i + 2)
                sent.append(i + 2)
                seg.append(i + 2)
                pos = i + 2
            else:
                pos = i + 1
        elif ch in "；;":
            seg.append(i + 1)
            pos = i + 1
        else:  # a run of sentence ends: each ends a segment, the run (and a closing quote) a sentence
            j = i
            while j < n and text[j] in _TERMINAL:
                j += 1
                seg.append(j)
            if j < n and text[j] in _CLOSING:
                j += 1
            sent.append(j)
            pos = j
    return para, sent, seg


def _positions(text: str, chars: str) -> list[int]:
    """Where any of a few characters occur, in order (str.find is faster than a regex for rare ones)."""
    out = []
    for ch in chars:
        i = text.find(ch)
        while i >= 0:
            out.append(i)
            i = text.find(ch, i + 1)
    out.sort()
    return out


def extract(doc: Document, norm: Normalized | None = None, approx: Decimal = DEFAULT_APPROX,
            layout: _Layout | None = None, limit: int = 0) -> list[Claim]:
    """All numeric claims of a document, in text order. Never raises on any text.

    layout: the boundaries of norm.text when the caller has them already (they are found once).
    limit: stop after this many claims (0: no limit)."""
    norm = norm or normalize(doc.text, doc.body_start)
    text = norm.text
    layout = layout or _Layout(text)
    ascii = ascii_digits(text)
    layout.prepare(text, ascii)
    line_starts = [0, *itertools.accumulate(len(ln) + 1 for ln in doc.text.split("\n"))][:-1]
    claims: list[Claim] = []
    pending_threshold: str | None = None
    pos = 0
    n = len(text)
    candidates = _candidates_ascii() if ascii else _candidates()
    quotes = tuple(pair for pair in QUOTE_PAIRS if pair[0] in text)
    while True:
        m = candidates.search(text, pos)
        if not m:
            break
        pos = m.end()
        claim = _read_claim(doc, norm, text, m, line_starts, quotes)
        if claim is None:
            continue
        pos = max(pos, claim.nend)
        if claim.threshold == "__self__":
            pending_threshold = claim.display()
            continue
        if pending_threshold and claims is not None:
            claim.threshold = pending_threshold
            pending_threshold = None
        _annotate(claim, text, layout, claims)
        claim.index = len(claims)
        claims.append(claim)
        if pos >= n or len(claims) == limit:
            break
    return claims


def _read_claim(doc: Document, norm: Normalized, text: str, m: re.Match[str], line_starts: list[int],
                quotes: tuple[tuple[str, str], ...] | None = None) -> Claim | None:
    s, e = m.start(), m.end()
    nxt0 = text[e:e + 1]
    if nxt0 in DATE_CHARS or (nxt0 == "年" and e - s == 4):
        return None  # 5月20日, 2023年: dates and years are not claims
    raw = m.group()
    prev = text[s - 1] if s else ""
    if prev == "第" or prev == "+" or (prev.isascii() and prev.isalpha()):
        return None
    percent_words = raw.startswith("百分之")
    parsed = _value_of(raw)
    if parsed is None:
        return None
    value, exp = parsed
    chinese = not raw[0].isdigit() and not percent_words
    if chinese:
        if raw == "一" or raw in ("两",) and text[e:e + 1] not in _units()[2]:
            return None
        if _lex().not_figures.match(text, s):
            return None  # 三次产业, 两个维护: a word, not a figure
        if set(raw) <= MAGNITUDE_ONLY and text[max(0, s - 1):s] not in ("近", "约", "上", "数", "逾", "超") \
                and text[e:e + 1] not in ("余", "多"):
            return None
    p = e
    qualifier = None
    qtext = ""
    value_high = None
    # range: 3-5个, 三至五个
    if p < len(text) and text[p] in RANGE_SEP and not percent_words:
        m2 = CANDIDATE.match(text, p + 1)
        if m2 and set(m2.group()) <= MAGNITUDE_ONLY:
            m2 = None  # 3-万元: a bare magnitude is not the end of a range
        if m2:
            try:
                hv, hexp = (parse_arabic(m2.group()) if m2.group()[0].isdigit() else parse_chinese(m2.group()))
            except (NumberError, ArithmeticError, ValueError):
                hv = None
            if hv is not None and hv > value and _match_unit(text, m2.end()):
                value_high, exp = hv, min(exp, hexp)
                qualifier, qtext = "range", text[p]
                p = m2.end()
    if p < len(text) and text[p] in "余多几" and not percent_words:
        qualifier, qtext = "lower_bounded", text[p]
        p += 1
    elif not percent_words and text[p:p + 1] in ("万", "亿") and text[p + 1:p + 2] in ("余", "多") \
            and _match_unit(text, p + 2) and not chinese:
        # 1万余人, 1.2万多户: the magnitude, then 余, then the unit
        mag = text[p]
        mu_after = _match_unit(text, p + 2)
        base = table().get(mag + mu_after[0]) if mu_after is not None else None
        if mu_after is not None and base is not None:
            qualifier, qtext = "lower_bounded", text[p + 1]
            p_unit_end = p + 2 + len(mu_after[0])
            ostart, oend = norm.span(s, p_unit_end)
            line = bisect.bisect_right(line_starts, ostart)
            c = Claim(doc.path, ostart, oend, line, ostart - line_starts[line - 1] + 1, doc.text[ostart:oend], s,
                      p_unit_end, value, exp, mag + mu_after[0], base, qualifier=qualifier, qualifier_text=qtext)
            return c
    if percent_words:
        info = table()["%"]
        unit = "%"
    else:
        mu = _match_unit(text, p)
        if mu is None:
            if p < len(text) and text[p] in "万亿" and not chinese:
                mag = "万亿" if text.startswith("万亿", p) else text[p]
                unit = mag
                info = UnitInfo(mag, "[bare]", "1", Decimal(10) ** (12 if mag == "万亿" else 4 if mag == "万" else 8))
                p += len(mag)
            else:
                return None
        else:
            unit, info = mu
            p += len(unit)
    if chinese and unit in _units()[0]:
        # 六百亿元 is 600 亿元, as written: the amount keeps its magnitude in its unit
        value, exp, unit, info = _in_written_unit(raw, value, exp, unit, info)
    # a 4-digit year, a date, a version: not a claim
    if unit == "年" and (value >= 1000 or chinese and value > 100 or text.startswith(("年底", "年初", "年度", "年末", "年内", "年以来", "年级"), p - 1)):
        return None
    if unit in ("年", "天", "个月") and text[max(0, s - 1):s] in ("每",):
        return None
    if unit == "年" and chinese and not DURATION_LEAD.search(text, max(0, s - 3), s):
        return None  # 学前三年, 三年行动计划: a name, not a span of time
    nxt = text[p:p + 1]
    if nxt.isascii() and nxt.isalnum() and unit not in ("%", "‰"):
        return None
    if _inside_short_quote(text, s, quotes=quotes):
        return None
    lx = _lex()
    before, after = lx.before, lx.after
    # qualifiers before the number
    mb = lx.before_re.search(text, max(0, s - 4), s)
    if mb is not None:
        w = mb.group()
        if not _word_tail(text, s - len(w), w, raw) and qualifier is None:
            qualifier, qtext = before[w], w
    # qualifiers after the unit; a threshold (1000万元以上重点项目 360个) qualifies the next claim
    threshold = None
    ma = lx.after_re.match(text, p)
    if ma is not None:
        w = ma.group()
        k = after[w]
        if k == "lower" and w != "多" and _is_threshold(text, s, p + len(w)):
            threshold = "__self__"
        elif qualifier in (None, "approx") or k == "approx":
            qualifier, qtext = (k if k != "lower" or qualifier != "lower_bounded" else qualifier), w
    if chinese and set(raw) <= MAGNITUDE_ONLY and qualifier is None:
        qualifier, qtext = "approx", text[s - 1]
    ostart, oend = norm.span(s, p)
    line = bisect.bisect_right(line_starts, ostart)
    column = ostart - line_starts[line - 1] + 1
    c = Claim(doc.path, ostart, oend, line, column, doc.text[ostart:oend], s, p, value, exp, unit, info,
              value_high=value_high, qualifier=qualifier, qualifier_text=qtext)
    if threshold:
        c.threshold = "__self__"
    return c


_MAGNITUDES: Final = (("万亿", 12), ("亿", 8), ("万", 4))


def _in_written_unit(raw: str, value: Decimal, exp: int, unit: str, info: UnitInfo) -> tuple[Decimal, int, str, UnitInfo]:
    """A Chinese numeral with a magnitude (六百亿, 一亿二千万, 十万) before a unit that has a form with that
    magnitude (亿元, 万人): the value in that unit, as a reader reads it (600 亿元, 1.2 亿元, 10 万人)."""
    for mag, power in _MAGNITUDES:
        if mag in raw:
            got = _units()[0].get(mag + unit)
            if got is None or value == 0:
                return value, exp, unit, info
            shown = value.scaleb(-power)
            return shown.quantize(Decimal(1).scaleb(min(0, exp - power))), exp - power, mag + unit, got
    return value, exp, unit, info


SINGLE_QUALIFIER_WORDS: Final = {"约": "签预合节制公条大隐", "近": "附最接将邻", "上": "", "超": "高", "逾": ""}


def _word_tail(text: str, at: int, w: str, raw: str) -> bool:
    """True when a one-character qualifier is really the end of a word (签约, 附近, 线上)."""
    if len(w) != 1:
        return False
    if w == "上":
        return not set(raw) <= MAGNITUDE_ONLY  # 上万 / 上千 only
    prev = text[at - 1:at]
    return bool(prev) and prev in SINGLE_QUALIFIER_WORDS.get(w, "")


@lru_cache(maxsize=8192)
def _value_of(raw: str) -> tuple[Decimal, int] | None:
    """The value and precision of a candidate as written (the same figures recur: read each once)."""
    try:
        if raw.startswith("百分之"):
            return _parse_mixed(raw[3:])
        if raw[0].isdigit():
            return parse_arabic(raw)
        return parse_chinese(raw)
    except (NumberError, ArithmeticError, ValueError):
        return None


def _parse_mixed(s: str) -> tuple[Decimal, int]:
    s = s.replace("点", ".")
    if s and s[0].isdigit():
        return parse_arabic(s)
    if "." in s:
        whole, frac = s.split(".", 1)
        w, _ = parse_chinese(whole)
        digits = "".join(str(CN_DIGITS[c]) for c in frac)
        return parse_arabic(f"{w}.{digits}")
    return parse_chinese(s)


QUOTE_PAIRS: Final = (("“", "”"), ("《", "》"), ("‘", "’"), ("「", "」"))


def _inside_short_quote(text: str, s: int, limit: int = 12, quotes: tuple[tuple[str, str], ...] | None = None) -> bool:
    """A number inside a short quotation or a title (“三个一批”, “12345”, 《…》) is part of a name.

    quotes: the pairs whose opening mark the text has at all (all four when not given)."""
    for open_, close in QUOTE_PAIRS if quotes is None else quotes:
        o = text.rfind(open_, max(0, s - 60), s)
        if o < 0:
            continue
        c_before = text.rfind(close, o, s)
        if c_before >= 0:
            continue
        c = text.find(close, s, s + 60)
        if c < 0:
            continue
        if open_ == "《" or c - o - 1 <= limit:
            return True
    return False


def _is_threshold(text: str, s: int, after: int) -> bool:
    """'1000万元以上重点项目360个': 以上 followed by a noun, and a figure later in the same clause."""
    if after >= len(text) or not ("\u4e00" <= text[after] <= "\u9fff") or text[after] in "的，":
        return False
    pre = text[max(0, s - 4):s]
    if any(pre.endswith(v) for v in ("达到", "达", "超过", "突破", "为", "完成")):
        return False
    end = after
    while end < len(text) and end - after < 30 and text[end] not in "，,；;。！？!?、\n":
        end += 1
    return bool(LATER_FIGURE.search(text, after, end))


def _annotate(c: Claim, text: str, layout: _Layout, claims: list[Claim]) -> None:
    lx = _lex()
    back_refs = lx.back_refs
    s = c.nstart
    bis = bisect.bisect_right
    c.para = bis(layout.para_starts, s) - 1
    c.sent = bis(layout.sent_starts, s) - 1
    c.seg = bis(layout.seg_starts, s) - 1
    sent_start = layout.sent_starts[c.sent]
    para_start = layout.para_starts[c.para]
    # clause: back to the previous delimiter or the previous claim's end
    same_sent = bool(claims) and claims[-1].sent == c.sent
    prev_end = claims[-1].nend if same_sent else sent_start
    n = len(text)
    floor = max(prev_end, s - CLAUSE_REACH)  # the clause starts here at the earliest
    back = CLAUSE_DELIM_RE.search(layout.reversed, n - s, n - floor + 1)  # a delimiter from s - 1 down to floor - 1
    k = n - 1 - back.start() if back else -1
    c.clause_start = max(k + 1, floor)
    pre = text[c.clause_start:s]
    last = claims[-1] if same_sent else None
    if last is not None and last.post and pre.startswith(last.post) and last.nend >= c.clause_start \
            and last.subject == last.post:
        pre = pre[len(last.post):]  # 32个部门1217个事项: 部门 belongs to 32个
    if c.qualifier_text and pre.endswith(c.qualifier_text) and c.qualifier not in ("lower_bounded",):
        pre = pre[: -len(c.qualifier_text)]
    c.pre = pre
    # parentheses: an opening one since the sentence start that is not closed yet
    o = bis(layout.opens, s - 1) - 1
    if o >= 0 and layout.opens[o] >= sent_start:
        cl = bis(layout.closes, s - 1) - 1
        c.in_paren = cl < 0 or layout.closes[cl] < layout.opens[o]
    # noun after the unit
    p = c.nend
    n = len(text)
    while p < n and text[p] in "以上下内左右及多":
        p += 1
    m = STOP_AFTER.search(text, p, min(n, p + 12))
    end = m.start() if m else min(n, p + 8)
    post = text[p:end]
    cut = POST_CUT.search(post)
    c.post = post[: cut.start() if cut else len(post)].replace("“", "").replace("”", "")[:8]
    ahead = CLAUSE_DELIM_RE.search(text, c.nend, c.nend + CLAUSE_REACH)
    e = min(ahead.start() if ahead else n, c.nend + CLAUSE_REACH)
    c.clause = text[c.clause_start:e]
    c.subject = subject_of(c.pre, c.post, lx.strip_left, lx.strip_right, lx.verbs)
    if c.subject in lx.deeds:
        c.subject += "的"  # 已完成8件: 完成的, what was completed (the same subject key: 的 is stripped)
    elif c.subject and lx.verb_subject.fullmatch(c.subject):
        # a verb is not a subject: the words before the figure without the verb after it (比重由上年的48.2%
        # 提高到), else the noun of the figure before it in its sentence (地区生产总值1000亿元，增长8.5%),
        # else none stated
        own = subject_of(c.pre, "", lx.strip_left, lx.strip_right, lx.verbs) if c.post else ""
        prev = claims[-1] if same_sent else None
        if own and not lx.verb_subject.fullmatch(own):
            c.subject = own
        elif prev is not None and not lx.verb_subject.fullmatch(prev.subject):
            c.subject = prev.subject
        else:
            c.subject = ""
    # modality: a target word earlier in the sentence, not cancelled by an actual word after it
    t = bis(layout.target_starts, s - 1) - 1
    while t >= 0 and layout.targets[t][1] > s:
        t -= 1
    if t >= 0 and layout.targets[t][0] >= sent_start:
        a = bis(layout.actuals, s - 1) - 1
        if a < 0 or layout.actuals[a] < layout.targets[t][1]:
            c.modality = "target"
    tail = c.clause[c.nend - c.clause_start:c.nend - c.clause_start + 12]
    if any(w in tail for w in lx.target_after):
        c.modality = "target"
    # time: the last time expression in the sentence before the number, else in the paragraph
    i = bis(layout.time_starts, s - 1) - 1
    while i >= 0 and layout.times[i][1] > s:
        i -= 1
    tm = None
    # a back-reference (比上年增加, 上年同期为) dates only the figure of its own clause
    while i >= 0 and layout.times[i][0] >= sent_start and layout.times[i][2].startswith(back_refs) \
            and layout.times[i][0] < c.clause_start:
        i -= 1
    if i >= 0 and layout.times[i][0] >= sent_start:
        tm = layout.times[i][2]
    else:
        # a time stated earlier in the paragraph carries over, unless it refers back (上年, 去年同期)
        while i >= 0 and layout.times[i][0] >= para_start:
            if not layout.times[i][2].startswith(back_refs):
                tm = layout.times[i][2]
                break
            i -= 1
    c.time = tm
    if tm and not tm[0].isdigit() and not tm.startswith(back_refs + ("过去",)):
        # 全年 / 今年一季度 under a paragraph that names its year (【回眸2023】 …): that year
        year = None
        y = bis(layout.year_starts, s - 1) - 1
        if y >= 0 and layout.years[y][0] >= para_start:
            year = layout.years[y][1]
        if year is None:  # a section heading with a year (【回眸2023】, ## 2024年) governs what follows it
            y = bis(layout.section_starts, para_start - 1) - 1
            if y >= 0:
                year = layout.sections[y][1]
        if year:
            rest = tm[2:] if tm.startswith(("今年", "全年")) else tm
            c.time = f"{year}年{rest}"


def subject_of(pre: str, post: str, strip_left: re.Pattern[str], strip_right: re.Pattern[str],
               verbs: tuple[str, ...] = ()) -> str:
    """The subject phrase a claim is about: the clause words before it, else the noun after it."""
    s = pre.replace("“", "").replace("”", "").replace(" ", "")
    if post and PLACE_TIME_ONLY.fullmatch(s):
        return _cut_at_verb(post)  # 北塘区一季度45个重点项目: the noun after the figure names it
    if s.endswith("的") and post:
        # 规划确定的40个重大项目: the noun after the figure names it; a bare 项目 keeps what qualifies it
        return s[:-1] + post if post in GENERIC_NOUNS else post
    if "等" in s:
        return "等" + (s[s.rindex("等") + 1:] or post)  # examples of a kind (A、B等项目13个): not one fact
    if "、" in s:
        s = ""
    seen: list[str] = []
    s = strip_affixes(s, strip_left, strip_right, seen.append)
    verb_seen = bool(verbs) and any(map(_verb_ending(verbs), seen))
    if post and (len(s) <= 2 or verb_seen or s.endswith(verbs)):  # 组建3支施工队: the noun follows
        s = post
    return _cut_at_verb(s)


_QUOTED: Final = re.compile(r"“[^”]*”")


@lru_cache(maxsize=8)
def _verb_ending(verbs: tuple[str, ...]):
    """A test whether a phrase ends with one of the verbs (as str.endswith(verbs), by set lookups)."""
    words = frozenset(verbs)
    lengths = tuple(sorted({len(v) for v in verbs}, reverse=True))
    return lambda x: word_suffix(x, words, lengths) is not None


def _cut_at_verb(s: str) -> str:
    """谋划布局重大产业项目 → 重大产业项目: the noun phrase after the last verb that introduces it."""
    masked = _QUOTED.sub(lambda m: "＿" * len(m.group()), s) if "“" in s else s  # no verb inside a name
    m = _split_verbs().match(masked)
    if m and len(s) - m.end() >= 2:
        return s[m.end():]
    return s


@lru_cache(maxsize=1)
def _split_verbs() -> re.Pattern[str]:
    verbs = sorted(lexicon()["subject_split_verbs"], key=len, reverse=True)
    return re.compile("^.*(?:" + "|".join(map(re.escape, verbs)) + ")")
