"""Issue 6, property tests (hypothesis) of the whole checker.

1. On arbitrary text (any Unicode; text built from the seeds' own characters with random line breaks and
   full-width forms; seed paragraphs with line breaks and full-width digits dropped in) pipeline.process
   never fails, every claim's span lies inside the file and is its figure's own (tests/spans.py), and holds the
   number's digits (after removing line breaks and spaces and folding full-width digits).
2. Re-wrapping one paragraph of a seed differently (its line breaks removed and put back at another
   width, and a few more inserted, never next to a number, a unit or after a sentence end) changes no
   value and no verdict.
3. Interval arithmetic through the real rule engine (a breakdown and a share rule made from the fixture
   rules in tests/data/rules when the tests run, checked with factcheck.rules.validate.run_example): a
   relation built to hold from random Decimals rounded to random precisions is never a discrepancy; one
   perturbed by more than its tolerance always is.

Example counts are explicit (max_examples) and modest so that the suite stays fast; EXAMPLES lists them.
"""

from __future__ import annotations

import functools
import re
import shutil
import tempfile
import unicodedata
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

from factcheck.extract import CN_NUM
from factcheck.normalize import CLOSERS, TERMINAL, UNIT_START, normalize
from factcheck.pipeline import process
from factcheck.rules.loader import rules_for_run
from factcheck.rules.validate import run_example
from rulefixtures import load, rule_data
from spans import span_problems

ROOT = Path(__file__).resolve().parent.parent
SEED_FILES = sorted((ROOT / "seeds").glob("*.txt"))
SEED_TEXTS = {p.name: p.read_text(encoding="utf-8") for p in SEED_FILES}

EXAMPLES = {  # max_examples of each property (reported in the issue)
    "never_fails_arbitrary_unicode": 150,
    "never_fails_seed_alphabet": 150,
    "never_fails_seed_paragraphs": 60,
    "rewrap_changes_nothing": 40,
    "breakdown_counts_hold": 80,
    "breakdown_counts_perturbed": 80,
    "breakdown_amounts_hold": 80,
    "breakdown_amounts_perturbed": 80,
    "share_holds": 80,
    "share_perturbed": 80,
}
COMMON = dict(deadline=None, derandomize=False, suppress_health_check=[HealthCheck.too_slow])

_TMP = Path(tempfile.mkdtemp(prefix="fc-props-"))


@pytest.fixture(scope="module", autouse=True)
def _cleanup():
    yield
    shutil.rmtree(_TMP, ignore_errors=True)


@functools.lru_cache(maxsize=1)
def builtin_rules():
    """The built-in rules, loaded by the first test that runs the whole checker (not at import)."""
    return rules_for_run()


def run_text(text: str, name: str = "a.txt"):
    """pipeline.process on text written to a real file (UTF-8), as a run reads it."""
    p = _TMP / name
    p.write_bytes(text.encode("utf-8", "surrogatepass"))
    return process(str(p), builtin_rules()), p.read_bytes().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def fold(s: str) -> str:
    """Line breaks and spaces removed, full-width forms folded (NFKC), thousands separators dropped."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", s) if not ch.isspace()).replace(",", "")


def check_result(res, text: str) -> None:
    assert res.error is None, res.error + "\n" + (res.internal or "")
    norm = normalize(text)
    ids = set()
    for c in res.claims:
        assert 0 <= c.start < c.end <= len(text), (c.start, c.end, len(text))
        assert not (bad := span_problems(text, c, norm)), bad
        assert c.line == text.count("\n", 0, c.start) + 1
        assert c.value.is_finite()
        span = fold(c.text)
        if span[:1].isdigit():  # an Arabic figure: its digits are in the span (311.2亿 / blank line / 元)
            digits = format(c.value, "f")
            assert digits in span, (c.text, c.value)
        ids.add((c.start, c.end))
    for chk in res.checks:
        assert chk.status in ("ok", "discrepancy", "unverifiable")
        for _, c in chk.claims:
            assert (c.start, c.end) in ids  # a check is made of the file's own claims


# --- 1. never fails; spans hold -------------------------------------------------------------------------

FULLWIDTH = "０１２３４５６７８９．％，：；（）－～＋"
SEED_CHARS = sorted(set("".join(SEED_TEXTS.values())) | set(FULLWIDTH) | {"\n", "\n", "\u3000", " "})


@settings(max_examples=EXAMPLES["never_fails_arbitrary_unicode"], **COMMON)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=300))
def test_never_fails_on_arbitrary_unicode(text):
    res, read = run_text(text)
    check_result(res, read)


@settings(max_examples=EXAMPLES["never_fails_seed_alphabet"], **COMMON)
@given(st.text(alphabet=st.sampled_from(SEED_CHARS), max_size=400))
def test_never_fails_on_text_of_the_seeds_characters(text):
    res, read = run_text(text)
    check_result(res, read)


@st.composite
def mangled_seed_paragraph(draw):
    """A stretch of a seed with random line breaks (single and blank) and some digits made full-width."""
    name = draw(st.sampled_from(sorted(SEED_TEXTS)))
    text = SEED_TEXTS[name]
    start = draw(st.integers(0, len(text) - 1))
    chunk = list(text[start:start + draw(st.integers(20, 600))])
    for _ in range(draw(st.integers(0, 12))):
        chunk.insert(draw(st.integers(0, len(chunk))), draw(st.sampled_from(["\n", "\n", "\n\n", " ", "\u3000"])))
    widen = draw(st.booleans())
    out = "".join(chr(ord(ch) + 0xFEE0) if widen and ch.isdigit() and ch.isascii() and draw(st.booleans()) else ch
                  for ch in chunk)
    return out


@settings(max_examples=EXAMPLES["never_fails_seed_paragraphs"], **COMMON)
@given(mangled_seed_paragraph())
def test_never_fails_on_mangled_seed_paragraphs(text):
    res, read = run_text(text)
    check_result(res, read)


# --- 2. re-wrapping a paragraph changes no value and no verdict ------------------------------------------

NUMBERISH = set("0123456789.,%‰") | set(FULLWIDTH) | set(CN_NUM) | UNIT_START | set("第约近超逾余多几之点")
MD_START = set("#>|-*+")


def _safe_break(s: str, i: int) -> bool:
    """A line break may go before s[i]: between two CJK ideographs, neither a numeral, a unit or close to
    a number, not after a sentence end or a closing quote, not before a Markdown block marker."""
    if not 2 <= i <= len(s) - 2:
        return False
    a, b = s[i - 1], s[i]
    if not ("\u4e00" <= a <= "\u9fff" and "\u4e00" <= b <= "\u9fff"):
        return False
    near = s[max(0, i - 3):i + 3]
    if any(ch in NUMBERISH for ch in near):
        return False
    return a not in TERMINAL and a not in CLOSERS and b not in MD_START


def _paragraph_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each block of non-blank lines that ends a sentence (so that the block's own end,
    whatever its width, is a paragraph end) and holds at least one figure."""
    out = []
    for m in re.finditer(r"(?:^[^\n]*\S[^\n]*(?:\n|$))+", text, re.M):
        block = m.group().rstrip("\n")
        if block.rstrip(CLOSERS)[-1:] in "。！？" and re.search(r"\d", block):
            out.append((m.start(), m.start() + len(block)))
    return out


BLOCKS = [(name, s, e) for name, t in sorted(SEED_TEXTS.items()) for s, e in _paragraph_blocks(t)]


def _rewrap(block: str, width: int, extra: list[int]) -> str:
    joined = [ln.strip() for ln in block.split("\n")]
    # remove the block's own line breaks (only where no ASCII letters/digits meet, which would get a space)
    s = joined[0]
    for ln in joined[1:]:
        if s[-1:].isascii() and s[-1:].isalnum() and ln[:1].isascii() and ln[:1].isalnum():
            s += "\n" + ln
        else:
            s += ln
    breaks = set()
    for target in range(width, len(s), width):
        for d in (0, 1, -1, 2, -2, 3, -3):
            if _safe_break(s, target + d):
                breaks.add(target + d)
                break
    breaks |= {i for i in extra if i < len(s) and _safe_break(s, i)}
    out, prev = [], 0
    for i in sorted(breaks):
        out.append(s[prev:i])
        prev = i
    out.append(s[prev:])
    return "\n".join(out)


def _outcome(res):
    claims = [(format(c.value, "f"), format(c.value_high, "f") if c.value_high is not None else None, c.unit,
               c.qualifier, c.modality, c.time) for c in res.claims]
    checks = sorted((chk.rule, chk.status, chk.stated, chk.recomputed,
                     tuple((role, format(c.value, "f"), c.unit) for role, c in chk.claims)) for chk in res.checks)
    return claims, checks


_BASELINE: dict = {}


def _baseline(name: str):
    if name not in _BASELINE:
        res, _ = run_text(SEED_TEXTS[name], "base-" + name)
        assert res.error is None
        _BASELINE[name] = _outcome(res)
    return _BASELINE[name]


@settings(max_examples=EXAMPLES["rewrap_changes_nothing"], **COMMON)
@given(block=st.sampled_from(BLOCKS), width=st.integers(6, 45), extra=st.lists(st.integers(0, 400), max_size=5))
def test_rewrapping_a_paragraph_changes_no_value_and_no_verdict(block, width, extra):
    name, s, e = block
    text = SEED_TEXTS[name]
    rewrapped = _rewrap(text[s:e], width, extra)
    assume(rewrapped != text[s:e])
    new_text = text[:s] + rewrapped + text[e:]
    note(f"{name} [{s}:{e}] rewrapped:\n{rewrapped}")
    res, read = run_text(new_text, "wrap-" + name)
    check_result(res, read)
    before, after = _baseline(name), _outcome(res)
    assert after[0] == before[0]  # every value (and unit, qualifier, modality, time) as before
    assert after[1] == before[1]  # every verdict as before


def test_rewrap_blocks_exist():
    """The property above is not vacuous: the seeds have paragraphs with figures to re-wrap, and a re-wrap
    really moves line breaks."""
    assert len(BLOCKS) >= 20
    name, s, e = BLOCKS[0]
    assert _rewrap(SEED_TEXTS[name][s:e], 7, []).count("\n") > SEED_TEXTS[name][s:e].count("\n")


# --- 3. interval arithmetic through the rule engine ---------------------------------------------------------

NAMES = ["甲类", "乙类", "丙类", "丁类"]


@pytest.fixture(scope="module")
def breakdown_rule(tmp_path_factory):
    """tests/data/rules/breakdown.yaml as it is (its parameters at their defaults)."""
    return load(tmp_path_factory.mktemp("breakdown-rule"), rule_data("breakdown"))


@pytest.fixture(scope="module")
def share_rule(tmp_path_factory):
    return load(tmp_path_factory.mktemp("share-rule"), rule_data("share"))


def statuses(rule, text: str) -> list[str]:
    return [c.status for c in run_example(rule, text)]


def half(places: int) -> Decimal:
    return Decimal(5).scaleb(-places - 1)


def q(d: Decimal, places: int, rounding=ROUND_HALF_EVEN) -> Decimal:
    return d.quantize(Decimal(1).scaleb(-places), rounding=rounding)


def plausible(stated: Decimal, lo: Decimal, hi: Decimal, rule) -> bool:
    """The engine calls a miss beyond the rule's plausible_ratio a mismatched pairing (unverifiable), not a
    discrepancy; perturbations stay inside that ratio."""
    ratio = Decimal(str(rule.plausible_ratio))
    nearest = min(max(stated, lo), hi)
    return stated / ratio <= nearest <= stated * ratio


def breakdown_text(total: str, parts: list[str], unit: str, lead: str = "全区共有项目") -> str:
    return f"{lead}{total}{unit}，其中" + "，".join(f"{NAMES[i]}项目{p}{unit}" for i, p in enumerate(parts)) + "。"


@settings(max_examples=EXAMPLES["breakdown_counts_hold"], **COMMON)
@given(st.lists(st.integers(1, 10**6), min_size=2, max_size=4))
def test_breakdown_of_counts_that_add_up_is_never_a_discrepancy(breakdown_rule, parts):
    text = breakdown_text(str(sum(parts)), [str(p) for p in parts], "个")
    note(text)
    s = statuses(breakdown_rule, text)
    assert "discrepancy" not in s
    assert "ok" in s  # the rule did test it


@settings(max_examples=EXAMPLES["breakdown_counts_perturbed"], **COMMON)
@given(st.lists(st.integers(1, 10**6), min_size=2, max_size=4), st.integers(1, 10**6), st.booleans())
def test_breakdown_of_counts_that_miss_is_always_a_discrepancy(breakdown_rule, parts, delta, up):
    s_ = sum(parts)
    total = s_ + delta if up else s_ - delta
    assume(total >= 1)
    coverage = Decimal(str(breakdown_rule.p.exhaustive_min_coverage))
    assume(Decimal(s_) / Decimal(total) >= coverage)  # still a full breakdown, not a partial one (其中 one item)
    assume(plausible(Decimal(total), Decimal(s_), Decimal(s_), breakdown_rule))
    text = breakdown_text(str(total), [str(p) for p in parts], "个")
    note(text)
    assert "discrepancy" in statuses(breakdown_rule, text)  # counts are exact: any miss is one


amounts = st.decimals(min_value=Decimal("10"), max_value=Decimal("10000"), places=4)
places = st.integers(0, 2)


@settings(max_examples=EXAMPLES["breakdown_amounts_hold"], **COMMON)
@given(st.lists(st.tuples(amounts, places), min_size=2, max_size=4), places)
def test_breakdown_of_rounded_amounts_is_never_a_discrepancy(breakdown_rule, parts, total_places):
    """True values x_i; the article states each rounded to its own precision, and the total rounded to
    its own: the rounding intervals always contain the truth, so the check must pass."""
    total = q(sum(x for x, _ in parts), total_places)
    text = breakdown_text(str(total), [str(q(x, p)) for x, p in parts], "亿元", "全区完成投资")
    note(text)
    s = statuses(breakdown_rule, text)
    assert "discrepancy" not in s
    assert "ok" in s


@settings(max_examples=EXAMPLES["breakdown_amounts_perturbed"], **COMMON)
@given(st.lists(st.tuples(amounts, places), min_size=2, max_size=4), places, st.integers(0, 50), st.booleans())
def test_breakdown_of_amounts_missing_by_more_than_the_rounding_is_a_discrepancy(breakdown_rule, parts, total_places,
                                                                                 extra, up):
    stated = [q(x, p) for x, p in parts]
    s_ = sum(stated)
    tol = half(total_places) + sum(half(p) for _, p in parts)  # every stated figure's half unit
    unit = Decimal(1).scaleb(-total_places)
    target = s_ + tol + unit * (1 + extra) if up else s_ - tol - unit * (1 + extra)
    total = q(target, total_places, ROUND_CEILING if up else ROUND_FLOOR)
    assert abs(total - s_) > tol
    assume(total > 0 and s_ / total >= Decimal(str(breakdown_rule.p.exhaustive_min_coverage)))
    assume(plausible(total, s_, s_, breakdown_rule))
    text = breakdown_text(str(total), [str(x) for x in stated], "亿元", "全区完成投资")
    note(text)
    assert "discrepancy" in statuses(breakdown_rule, text)


def share_text(part: Decimal, whole: Decimal, pct: Decimal) -> str:
    return f"完成投资{part}亿元，占年度计划{whole}亿元的{pct}%。"


@settings(max_examples=EXAMPLES["share_holds"], **COMMON)
@given(amounts, st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1"), places=4), places, places, places)
def test_share_of_rounded_figures_is_never_a_discrepancy(share_rule, x, ratio, dp, dw, dq):
    y = x / ratio
    part, whole, pct = q(x, dp), q(y, dw), q(100 * x / y, dq)
    text = share_text(part, whole, pct)
    note(text)
    s = statuses(share_rule, text)
    assert "discrepancy" not in s
    assert "ok" in s


@settings(max_examples=EXAMPLES["share_perturbed"], **COMMON)
@given(amounts, st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1"), places=4), places, places, places,
       st.integers(0, 30), st.booleans())
def test_share_missing_by_more_than_the_rounding_is_a_discrepancy(share_rule, x, ratio, dp, dw, dq, extra, up):
    part, whole = q(x, dp), q(x / ratio, dw)
    hp, hw, hq = half(dp), half(dw), half(dq)
    assume(whole - hw > 0)
    lo, hi = 100 * (part - hp) / (whole + hw), 100 * (part + hp) / (whole - hw)  # what the figures admit
    unit = Decimal(1).scaleb(-dq)
    pct = q(hi + hq + unit * (1 + extra), dq, ROUND_CEILING) if up else q(lo - hq - unit * (1 + extra), dq, ROUND_FLOOR)
    assert pct - hq > hi or pct + hq < lo  # outside by more than its own rounding
    assume(pct > 0)
    assume(plausible(pct, lo, hi, share_rule))
    text = share_text(part, whole, pct)
    note(text)
    assert "discrepancy" in statuses(share_rule, text)
