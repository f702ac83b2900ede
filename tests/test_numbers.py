"""numbers: Arabic and Chinese numerals → exact Decimal + the precision they were stated to;
magnitudes, percentages, per mille and percentage points as the extractor reads them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.numbers import NumberError, parse_arabic, parse_chinese, parse_number, to_chinese

D = Decimal


# --- Arabic -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value, exp", [
    ("213", "213", 0),
    ("311.2", "311.2", -1),
    ("3541.07", "3541.07", -2),
    ("0.35", "0.35", -2),
    ("1,234", "1234", 0),
    ("1,234,567.89", "1234567.89", -2),
    ("28545", "28545", 0),
    ("1234.50", "1234.50", -2),  # a stated trailing zero is kept: known to 0.01
])
def test_arabic(text, value, exp):
    v, e = parse_arabic(text)
    assert v == D(value) and isinstance(v, Decimal)
    assert e == exp
    assert parse_number(text) == (v, e)


def test_arabic_keeps_stated_trailing_zero():
    assert str(parse_arabic("1234.50")[0]) == "1234.50"


@pytest.mark.parametrize("text", ["", ".", "1.", ".5", "1..2", "1.2.3", "12a", "一"])
def test_arabic_rejects(text):
    with pytest.raises(NumberError):
        parse_arabic(text)


# --- Chinese numerals -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("三", 3), ("十三", 13), ("二十", 20), ("两万", 20000), ("一百二十", 120), ("三千五百万", 35000000),
    ("一万零五", 10005), ("一万五", 15000), ("三百五", 350), ("一千零一", 1001), ("五万亿", 5 * 10**12),
    ("一亿", 10**8), ("两亿三千万", 230000000), ("零", 0),
])
def test_chinese_value(text, value):
    v, _ = parse_chinese(text)
    assert v == value and isinstance(v, Decimal)
    assert parse_number(text)[0] == value


@pytest.mark.parametrize("text, exp", [
    ("三", 0), ("十三", 0), ("一千零一", 0), ("一百二十", 1), ("二十", 1), ("两万", 4), ("一万五", 3),
    ("一亿", 8), ("五万亿", 12),
])
def test_chinese_precision(text, exp):
    """The figure is known to the place of its last stated digit."""
    assert parse_chinese(text)[1] == exp


@pytest.mark.parametrize("text, value, exp", [
    ("三千万", 30000000, 7),
    ("一百二十万", 1200000, 5),
    ("十万", 100000, 5),
    ("两亿三千万", 230000000, 7),
])
def test_chinese_precision_under_magnitude(text, value, exp):
    """三千万 states its 3 at the 千万 place, as 两万 states its 2 at the 万 place (BUGS_FOUND.md #1)."""
    assert parse_chinese(text) == (Decimal(value), exp)


@pytest.mark.parametrize("text", ["二七", "七一三", "三三", "", "abc", "十十", "万x"])
def test_chinese_rejects_names_and_junk(text):
    """A run of bare digits (二七区, 七一三) is a name, not a number."""
    with pytest.raises(NumberError):
        parse_chinese(text)


# --- as the extractor reads them: magnitudes, 余, percentages, per mille, percentage points ----------

@pytest.mark.parametrize("text, value, unit, base", [
    ("新增1.1万户", "1.1", "万户", "11000"),
    ("累计达17.1万户", "17.1", "万户", "171000"),
    ("扶持资金3541.07万元", "3541.07", "万元", "35410700"),
    ("总投资2380亿元", "2380", "亿元", "238000000000"),
    ("总投资311.2亿元", "311.2", "亿元", "31120000000"),
    ("投资3千万元", "3", "千万元", "30000000"),
    ("金额2万亿元", "2", "万亿元", "2000000000000"),
    ("两万人参加", "2", "万人", "20000"),  # an amount keeps the unit it is written in (issue 15)
    ("全年签约六百亿元", "600", "亿元", "60000000000"),
    ("完成投资一亿二千万元", "1.2", "亿元", "120000000"),
    ("带动就业十万人", "10", "万人", "100000"),
    ("一百二十个项目", "120", "个", "120"),
    ("十三个部门", "13", "个", "13"),
    ("三个关键词", "3", "个", "3"),
    ("共有1,234家企业", "1234", "家", "1234"),
])
def test_magnitudes(one_claim, text, value, unit, base):
    c = one_claim(text)
    assert (c.value, c.unit) == (D(value), unit)
    assert c.base_value() == D(base)


@pytest.mark.parametrize("text, value, unit, base", [
    ("市场主体达17.1万，", "17.1", "万", "171000"),
    ("投资2380亿，", "2380", "亿", "238000000000"),
])
def test_bare_magnitude(one_claim, text, value, unit, base):
    """A figure with 万/亿 and no unit after it keeps its magnitude."""
    c = one_claim(text)
    assert (c.value, c.unit, c.base_value()) == (D(value), unit, D(base))
    lo, hi = c.interval()
    assert lo < D(base) < hi


def test_chinese_about_twenty(one_claim):
    c = one_claim("二十余家企业")
    assert (c.value, c.unit, c.qualifier) == (20, "家", "lower_bounded")
    lo, hi = c.interval()
    assert lo == 20 and 20 < hi <= 30


@pytest.mark.parametrize("text, value, unit, factor", [
    ("占比60%", "60", "%", "0.01"),
    ("占比３０％", "30", "%", "0.01"),
    ("百分之三十", "30", "%", "0.01"),
    ("百分之三十点五", "30.5", "%", "0.01"),
    ("下降百分之五", "5", "%", "0.01"),
    ("占比5‰", "5", "‰", "0.001"),
])
def test_percent_and_per_mille(one_claim, text, value, unit, factor):
    c = one_claim(text)
    assert (c.value, c.unit, c.info.factor) == (D(value), unit, D(factor))
    assert c.info.dim == ""  # a ratio


@pytest.mark.parametrize("text", ["增长了3个百分点", "提高3百分点"])
def test_percentage_points_are_not_percent(one_claim, text):
    c = one_claim(text)
    assert c.value == 3
    assert c.unit in ("个百分点", "百分点")
    assert c.info.dim == "[percentage_point]"
    assert c.info.dim != one_claim("增长了3%").info.dim


# --- precision as an interval ------------------------------------------------------------------------

@pytest.mark.parametrize("text, exp, lo, hi", [
    ("总投资311.2亿元", -1, "31115000000", "31125000000"),  # known to 0.1亿
    ("签约金额213亿元", 0, "21250000000", "21350000000"),  # known to 1亿
    ("占比60%", 0, "0.595", "0.605"),  # known to 1 point
    ("占比99.67%", -2, "0.99665", "0.99675"),
    ("新增1.1万户", -1, "10500", "11500"),
])
def test_stated_precision(one_claim, text, exp, lo, hi):
    c = one_claim(text)
    assert c.exp == exp
    assert c.interval() == (D(lo), D(hi))


def test_whole_count_is_exact(one_claim):
    assert one_claim("重大产业项目69个").interval() == (69, 69)


@pytest.mark.parametrize("chinese, arabic", [("两万人", "2万人"), ("三千万元", "3千万元")])
def test_same_statement_same_interval(one_claim, chinese, arabic):
    """两万人 and 2万人 state the same figure to the same precision (BUGS_FOUND.md #1, #2)."""
    a, b = one_claim(chinese), one_claim(arabic)
    assert a.base_value() == b.base_value()
    assert a.interval() == b.interval()


# --- round trip: a Decimal rendered as digits or Chinese numerals parses back to itself --------------

decimals = st.decimals(min_value=0, max_value=10**12, places=4, allow_nan=False, allow_infinity=False)


@settings(max_examples=400, deadline=None)
@given(decimals)
def test_digits_round_trip(d):
    text = format(d, "f")
    v, e = parse_arabic(text)
    assert v == d
    assert e == d.as_tuple().exponent


@settings(max_examples=400, deadline=None)
@given(decimals, st.booleans())
def test_thousands_separators_round_trip(d, group):
    text = f"{d:,f}" if group else format(d, "f")
    assert parse_arabic(text)[0] == d


@settings(max_examples=500, deadline=None)
@given(st.integers(min_value=0, max_value=10**16 - 1))
def test_chinese_round_trip(n):
    text = to_chinese(n)
    assert set(text) <= set("零一二三四五六七八九十百千万亿")
    assert parse_chinese(text)[0] == n


@pytest.mark.parametrize("n, text", [(10, "十"), (13, "十三"), (120, "一百二十"), (20000, "二万"),
                                     (10005, "一万零五"), (100000000, "一亿"), (12345678, "一千二百三十四万五千六百七十八")])
def test_to_chinese_examples(n, text):
    assert to_chinese(n) == text


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=D("0.01"), max_value=D(99999), places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from([("万元", 10**4), ("亿元", 10**8), ("万户", 10**4), ("万亿元", 10**12)]))
def test_magnitude_round_trip_through_extraction(extract_text, d, unit_factor):
    """Digits with 万/亿 read back to the same Decimal and the same base value."""
    unit, factor = unit_factor
    text = format(d, "f")
    claims = extract_text(f"总计{text}{unit}。")
    assert [(c.value, c.unit) for c in claims] == [(d, unit)]
    assert claims[0].base_value() == d * factor


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=2, max_value=10**12))
def test_chinese_numerals_round_trip_through_extraction(extract_text, n):
    """A Chinese-numeral figure (with 万/亿 inside) before a classifier reads back to its value."""
    claims = extract_text(f"共有{to_chinese(n)}家企业。")
    assert len(claims) == 1
    assert claims[0].base_value() == n
