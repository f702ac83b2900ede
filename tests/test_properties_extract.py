"""Extraction properties (hypothesis): it never raises on any string, and every claim's span lies inside
the original text and is the figure's own (tests/spans.py: from its first digit or numeral to its unit's
last character, no space or line break at an edge, the normalized figure maps back to it)."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.documents import Document, front_matter
from factcheck.extract import extract
from factcheck.normalize import normalize
from factcheck.numbers import parse_chinese, to_chinese
from factcheck.units import unit_info
from spans import span_problems

CN_NUMERALS = set("零〇一二两三四五六七八九十百千万亿")
ALPHABET = list("0123456789.,%‰１２３４５６７８９０，．％－～ \u3000\n\n\n万亿千百十一二两三四五六七八九零〇"
                "余多几约近超逾至到-~元个项家户人名次条件套栋支年月日亩吨公里平方米百分之点第届区"
                "以上下内左右不低于足到少最计划力争预计将已截至今年季度其中共“”《》（）。，；：、！？+Gx#")
FRAGMENTS = ["总投资", "311.2亿", "\n\n", "元", "约", "近", "不低于", "以上", "余", "多", "万元", "亿元", "个",
             "项目", "3-5个", "三至五个", "百分之", "三十", "个百分点", "%", "第三届", "二七区", "“12345”", "1+1+12",
             "5G", "5月20日", "2023年", "截至5月19日，", "力争", "。", "，", "１２３，４５６", "\u3000", " ",
             "千万元以上重点项目", "360个", "1,234.5", "两万", "十三", "—", "～", "《", "》"]


def numbers():
    return st.one_of(
        st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False).map(lambda d: format(d, "f")),
        st.integers(min_value=0, max_value=10**12).map(to_chinese),
        st.integers(min_value=1000, max_value=10**9).map(lambda n: f"{n:,}"),
    )


texts = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.sampled_from(ALPHABET), max_size=200),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), numbers()), max_size=30).map("".join),
)


def fold(s: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", s) if not ch.isspace()).replace(",", "")


def check_claims(text: str, claims, body_start: int = 0) -> None:
    norm = normalize(text, body_start)
    prev = -1
    for c in claims:
        assert body_start <= c.start < c.end <= len(text), (c.start, c.end, len(text))
        assert not (bad := span_problems(text, c, norm, body_start)), bad
        assert c.start >= prev
        prev = c.start
        assert c.line == text.count("\n", 0, c.start) + 1
        assert c.column == c.start - (text.rfind("\n", 0, c.start) + 1) + 1
        assert isinstance(c.value, Decimal) and c.value.is_finite()
        span = fold(c.text)
        if span[:1].isdigit():
            assert format(c.value, "f") in span, (c.text, c.value)
            if c.value_high is not None:  # 3-5个, or 3-五个
                assert format(c.value_high, "f") in span or CN_NUMERALS & set(span), (c.text, c.value_high)
        else:
            assert CN_NUMERALS & set(span), c.text
        lo, hi = c.interval()
        assert lo <= c.base_value() <= hi or c.qualifier == "upper" and c.base_value() == hi


@settings(max_examples=500, deadline=None)
@given(texts)
def test_extraction_never_raises_and_spans_hold_the_figure(text):
    claims = extract(Document("t.txt", text))
    check_claims(text, claims)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=40), texts)
def test_spans_after_front_matter(title, body):
    text = "---\ntitle: x\n---\n" + body
    meta, start = front_matter(text)
    claims = extract(Document("t.md", text, meta=meta, body_start=start))
    check_claims(text, claims, body_start=start)


def stated_numbers():
    """Figures as articles state them (a lone 一 is an article word, not a figure: left out)."""
    return st.one_of(
        st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False).map(lambda d: format(d, "f")),
        st.integers(min_value=2, max_value=9999).map(to_chinese),
        st.integers(min_value=1000, max_value=10**9).map(lambda n: f"{n:,}"),
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["总投资", "项目", "签约金额", "企业", "其中，"]), stated_numbers(),
                          st.sampled_from(["亿元", "万元", "个", "家", "%", "万户", "人次"]),
                          st.sampled_from(["，", "。", "；", "\n", "\n\n", "、"])), min_size=1, max_size=8))
def test_stated_figures_are_found(parts):
    """A figure written as subject + number + unit + punctuation is read with its value and unit."""
    text = "".join(a + n + u + p for a, n, u, p in parts)
    claims = extract(Document("t.txt", text))
    check_claims(text, claims)
    assert len(claims) == len(parts), (text, [c.text for c in claims])
    for (_, n, u, _), c in zip(parts, claims):
        value = Decimal(n.replace(",", "")) if n[0].isdigit() else Decimal(parse_chinese(n)[0])
        info = unit_info(u)
        assert c.info.dim == info.dim, (text, n, u, c.unit)
        assert c.base_value() == value * info.factor, (text, n, u, c.value, c.unit)
