"""compile_fast: a first-character lookahead that never changes what a pattern matches."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck import build
from factcheck.extract import SECTION_YEAR, _candidate_pattern, _candidates, _candidates_ascii, _lex
from factcheck.fastre import _digit_class, ascii_digits, compile_fast, compile_prefixed, first_class


def _all(p, text):
    return [(m.span(), m.groups()) for m in p.finditer(text)]


@pytest.mark.parametrize("pattern,expected", [
    (r"(?<![\d.])\d+", "[" + _digit_class() + "]"),
    (r"(?:19|20)\d{2}年|今年", "[12今]"),
    (r"a?b", "[ab]"),
    (r"(?:^|\n)#", r"[\u000a\u0023]"),
    (r"x*y|(?=q)z", "[xyz]"),
])
def test_first_class(pattern, expected):
    assert first_class(pattern) == expected


def test_the_digit_class_admits_every_digit():
    # \d in a lookahead becomes ranges tested with a bitmap: every character \d matches is among them
    digits = re.compile(r"\d")
    cls = re.compile("[" + _digit_class() + "]")
    assert _digit_class() != r"\d"  # this Python's Unicode is covered by the table
    missing = [hex(c) for c in range(0x110000) if digits.match(chr(c)) and not cls.match(chr(c))]
    assert missing == []
    assert not cls.match("a") and not cls.match("一") and cls.match("٣") and cls.match("７")


@pytest.mark.parametrize("pattern", [
    r"a*",  # may match the empty string
    r".b",  # any character
    r"[^a]b",  # a negated class
    r"(a)\1",  # starts with a group, then a backreference: still known
    r"(?i)ab",  # case folding
    r"ab|cd",  # the engine finds a literal opening itself
    r"[ab]c",
])
def test_no_lookahead_where_unknown_or_useless(pattern):
    cls = first_class(pattern)
    if pattern == r"(a)\1":
        assert cls == "[a]"
    else:
        assert cls is None
    assert compile_fast(pattern).pattern == pattern or cls is not None


def test_compile_fast_keeps_groups_and_flags():
    p = compile_fast(r"(?<!\d)((?:19|20)\d{2})年", re.MULTILINE)
    assert p.flags & re.MULTILINE
    assert p.search("在2023年").group(1) == "2023"


_ALPHABET = "0123456789.,，年月今去上下前第一二三四五百千万亿个元%％【】#\n 至到-~季度半全截过以来同期底末力争计划预目标确保将拟"

_PATTERNS = {
    "candidates": _candidates(),
    "time": _lex().time,
    "target": _lex().target,
    "section": SECTION_YEAR,
}


def _plain(pattern: str) -> str:
    """The pattern compile_fast was given: without `(?=[…])(?:` … `)`."""
    if not pattern.startswith("(?=["):
        return pattern
    return pattern[pattern.index("])(?:") + 5:-1]


@pytest.mark.parametrize("name", sorted(_PATTERNS))
@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, max_size=80))
def test_fast_patterns_match_exactly_as_plain(name, text):
    fast = _PATTERNS[name]
    plain = re.compile(_plain(fast.pattern), fast.flags)
    assert _all(fast, text) == _all(plain, text)


def test_the_scanning_patterns_get_a_lookahead():
    # the point of the module: the patterns scanned over every article are the fast kind
    for name in ("candidates", "time"):
        assert _PATTERNS[name].pattern.startswith("(?=["), name
    # the target words each open with a character: the engine skips ahead by itself, no lookahead
    assert not _PATTERNS["target"].pattern.startswith("(?=[")
    assert first_class(_PATTERNS["target"].pattern) is None


_NUMERIC_TEXT = "0123456789.,，年月日号第+-~至个项元万亿亿元%余多几“”《》三两十百千 项目投资占比增长，。\n"


def _claims_with(candidates, monkeypatch, text):
    from factcheck import extract as X
    from factcheck.documents import Document

    monkeypatch.setattr(X, "_candidates", lambda: candidates)
    monkeypatch.setattr(X, "_candidates_ascii", lambda: candidates)
    claims = X.extract(Document("t.txt", text, "utf-8", {}, 0))
    return [(c.start, c.end, c.text, str(c.value), c.unit, c.qualifier, c.threshold, c.subject) for c in claims]


@pytest.mark.skipif(build() == "compiled", reason="patches extract._candidates, which compiled callers bind "
                    "when they are built; the pure-Python run of the suite tests it")
@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=_NUMERIC_TEXT, max_size=120))
def test_candidates_that_cannot_start_a_claim_are_skipped_without_loss(text):
    # the candidates pattern passes over numbers no unit can follow; the claims are the same as when
    # every number is read and turned down
    import pytest as _pytest

    with _pytest.MonkeyPatch.context() as mp:
        fast = _claims_with(_candidates(), mp, text)
    with _pytest.MonkeyPatch.context() as mp:
        plain = _claims_with(_candidates(plain=True), mp, text)
    assert fast == plain


def test_candidates_skip_dates_but_keep_figures():
    text = "2023年5月20日，完成投资12.5亿元，编号A12-3"
    found = [m.group() for m in _candidates().finditer(text)]
    assert found == ["2023", "12.5", "亿", "12"]  # 12-3: a range sign follows (A12 is turned down later)
    plain = [m.group() for m in _candidates(plain=True).finditer(text)]
    assert plain == ["2023", "5", "20", "12.5", "亿", "12", "3"]


_PUNCT_TEXT = "。！？!?；;\n”’」』】]“年19200.5一，"
_REWRITTEN = [  # (the pattern as scanned, the plainer form it must equal)
    ("SENTENCE_END", r"[。！？!?]+[”’」』]?|\n\n"),
    ("SEGMENT_END", r"[；;。！？!?]|\n\n"),
    ("YEAR_IN_TIME", r"(?<![\d.])((?:19|20)\d{2})(?:年|(?=[】\]」“”]))"),
]


@pytest.mark.parametrize("name,plain", _REWRITTEN)
@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=_PUNCT_TEXT, max_size=60))
def test_rewritten_patterns_match_as_their_plain_forms(name, plain, text):
    from factcheck import extract as X

    assert _all(getattr(X, name), text) == _all(re.compile(plain), text)


@given(text=st.text(alphabet="（(）)ab", max_size=40))
def test_positions_of_rare_characters(text):
    from factcheck.extract import _positions

    assert _positions(text, "（(") == [m.start() for m in re.finditer(r"[（(]", text)]


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="年度的计划将力争目标，。变为", max_size=40))
def test_target_words_open_with_their_word(text):
    # the lexicon writes 计划's lookbehinds after the word (so the engine can skip ahead); the matches
    # are those of the lookbehind-first form
    fast = _lex().target
    plain = re.compile(_plain(fast.pattern).replace("计划(?<!年度计划)(?<!年度的计划)(?!的)",
                                                     "(?<!年度)(?<!年度的)计划(?!的)"))
    assert "(?<!年度)(?<!年度的)计划" in plain.pattern
    assert _all(fast, text) == _all(plain, text)


# --- literal-first alternatives (compile_prefixed) ---------------------------------------------------

_PREFIXED = {
    "candidates": (_candidates_ascii(), _candidate_pattern()),
    "time": (_lex().time_ascii, _plain(_lex().time.pattern)),
}


def test_the_scanning_patterns_are_rewritten_for_ascii_digits():
    # a pattern that could not be rewritten falls back to the lookahead form, which would be correct
    # but slower: the two patterns scanned over every article are rewritten
    for name, (fast, plain) in _PREFIXED.items():
        assert fast.pattern is None, name  # compiled from the rewritten parse tree
        assert fast.search("今年3个") is not None


@pytest.mark.parametrize("name", sorted(_PREFIXED))
@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=_ALPHABET + "余多几两零〇十.-—~～(（", max_size=80))
def test_prefixed_patterns_match_exactly_as_written(name, text):
    # on a text whose digits are all 0-9 (the texts they are used for), every match, span and group
    fast, plain = _PREFIXED[name]
    assert ascii_digits(text)
    assert _all(fast, text) == _all(re.compile(plain), text)


@pytest.mark.parametrize("pattern,texts", [
    (r"(?:19|20)\d{2}年|今年(?:上半年)?|第?[一二三四]季度|\d{1,2}[-—~至到]\d{1,2}月",
     ["2023年第一季度 12-3月 今年上半年", "第二季度二季度19991年"]),
    (r"(?<![\d.])\d++(?:,\d{3})++(?:\.\d++)?(?![\d,])|(?<![\d.])\d++", ["1,234.5 3.4 x9 1.2.3", "12,34,567"]),
    (r"a??b|c|(?<!x)d+e", ["ab b c aab xde dde"]),
    (r"a*?b", ["aab b"]),
])
def test_rewrites_keep_the_order_of_preference(pattern, texts):
    fast = compile_prefixed(pattern)
    assert fast is not None
    for t in texts:
        assert _all(fast, t) == _all(re.compile(pattern), t)


@pytest.mark.parametrize("pattern", [
    r"^ab",  # an anchor
    r"(?=a)ab",  # a lookahead first
    r"(a)b",  # a capturing group would repeat in every alternative
    r"a?+b",  # a possessive optional never gives its character back
    r"[^a]b",  # a negated class
    r"(?i)ab",
    r".b",
])
def test_patterns_that_are_not_rewritten(pattern):
    assert compile_prefixed(pattern) is None


def test_ascii_digits():
    assert ascii_digits("2023年，投资12.5亿元") and ascii_digits("")
    assert not ascii_digits("٣个")  # Arabic-Indic three
    assert not ascii_digits("１２")  # full width (normalization folds these first)
    assert not ascii_digits("𝟏")  # beyond the BMP


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="0123456789٠١٢３a一", max_size=20))
def test_ascii_digits_is_whether_every_digit_is_ascii(text):
    assert ascii_digits(text) == all(ch in "0123456789" for ch in text if ch.isdecimal())


@pytest.mark.skipif(build() == "compiled", reason="patches extract.ascii_digits, which compiled callers bind "
                    "when they are built; the pure-Python run of the suite tests it")
@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=_NUMERIC_TEXT + "今去年上半季度截至", max_size=100))
def test_claims_are_the_same_with_the_patterns_as_written(text):
    # extraction on a text of ASCII digits uses the rewritten patterns; with the patterns as written
    # (what a text with other digits gets) it reads the same claims
    import pytest as _pytest

    from factcheck import extract as X
    from factcheck.documents import Document

    def claims():
        return [(c.start, c.end, c.text, str(c.value), c.unit, c.qualifier, c.time, c.subject)
                for c in X.extract(Document("t.txt", text, "utf-8", {}, 0))]

    fast = claims()
    with _pytest.MonkeyPatch.context() as mp:
        mp.setattr(X, "ascii_digits", lambda t: False)
        plain = claims()
    assert fast == plain
