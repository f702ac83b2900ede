"""Numbers as stated: Arabic and Chinese numerals → exact Decimal plus the precision they were given to."""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal, getcontext, localcontext
from typing import Any, Final, Iterator

CN_DIGITS: Final = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "俩": 2, "三": 3, "叁": 3,
             "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
             "九": 9, "玖": 9}
CN_SMALL: Final = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG: Final = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
CN_CHARS: Final = "".join(CN_DIGITS) + "".join(CN_SMALL) + "".join(CN_BIG)


# A numeral of more digits than this is not a figure an article states (a serial number, a hash, a
# run of digits): it is not read as a number. Below it every figure is computed exactly (decimal_context).
MAX_DIGITS: Final = 50
_CN_LIMIT: Final = 10 ** MAX_DIGITS


class NumberError(ValueError):
    pass


def parse_arabic(s: str) -> tuple[Decimal, int]:
    """'1,234.50' → (Decimal('1234.50'), -2): the value and the exponent of its last stated digit."""
    s = s.replace(",", "")
    if not s or s.count(".") > 1 or not s.replace(".", "").isdigit() or s.startswith(".") or s.endswith("."):
        raise NumberError(s)
    if len(s) - s.count(".") > MAX_DIGITS:
        raise NumberError("more than %d digits" % MAX_DIGITS)
    d = Decimal(s)
    exp = d.as_tuple().exponent
    assert isinstance(exp, int)  # digits and one point: a finite number
    return d, exp


def parse_chinese(s: str) -> tuple[Decimal, int]:
    """Chinese numerals ('三', '十三', '一百二十', '两万', '三千五百万', '一万零五') → (value, exponent).

    The exponent is the power of ten of the last stated unit ('两万' is known to 10**4, '一百二十' to 10).
    A run of bare digits ('二七', '七一三') is not a number: names contain those.
    """
    if not s or any(c not in CN_CHARS for c in s):
        raise NumberError(s)
    total = 0
    section = 0  # below 万
    digit = None
    zero = False  # a 零 since the last unit: 一万零五 is 10005, 一万五 is 15000
    last_unit = 1
    section_unit = 1  # the place of the last stated digit inside the current section (below 万)
    prev_big = None
    for c in s:
        if c in CN_DIGITS:
            d = CN_DIGITS[c]
            if digit is not None and digit != 0 and d != 0:
                raise NumberError(s)  # two digits in a row: a name like 二七
            if d == 0:
                zero = True
            digit = d
        elif c in CN_SMALL:
            u = CN_SMALL[c]
            if digit is None:
                if u == 10 and not section and not total:
                    digit = 1  # 十三
                elif u in (100, 1000) and not section and not total:
                    digit = 1  # 百 / 千 alone
                else:
                    raise NumberError(s)
            section += digit * u
            digit = None
            zero = False
            last_unit = u
            section_unit = u
        else:
            u = CN_BIG[c]
            if digit:
                section += digit
                section_unit = 1
            if section == 0 and total == 0:
                section = 1  # 万 alone
            if prev_big is not None and u >= prev_big:
                total = (total + section) * u  # 万亿
                last_unit = (last_unit if section == 0 else section_unit * prev_big) * u
            else:
                total += section * u
                last_unit = section_unit * u  # 三千万 is stated to 10**7
            section_unit = 1
            prev_big = u
            section = 0
            digit = None
            zero = False
            if total > _CN_LIMIT or last_unit > _CN_LIMIT:  # 一亿亿亿…: stopped before it grows without end
                raise NumberError("more than %d digits" % MAX_DIGITS)
    if digit:
        if not zero and last_unit > 1:
            place = last_unit // 10  # 一万五 = 15000, 三百五 = 350
            section += digit * place
            last_unit = place
        else:
            section += digit
            last_unit = 1
    elif digit == 0 and zero and last_unit > 1 and not total and not section:
        raise NumberError(s)
    value = total + section
    if value == 0 and s not in ("零", "〇", "○"):
        raise NumberError(s)
    exponent = len(str(last_unit)) - 1
    return Decimal(value), exponent


def parse_number(s: str) -> tuple[Decimal, int]:
    """Arabic, Chinese, or mixed ('3.5万' is handled by the caller as number + magnitude)."""
    if s and (s[0].isdigit()):
        return parse_arabic(s)
    return parse_chinese(s)


def to_chinese(value: int) -> str:
    """Render a non-negative integer in Chinese numerals (used by property tests and examples)."""
    if value == 0:
        return "零"
    digits = "零一二三四五六七八九"

    def below_10000(n: int) -> str:
        out: list[str] = []
        zero = False
        for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = n // unit % 10
            if d == 0:
                zero = bool(out)
                continue
            if zero:
                out.append("零")
                zero = False
            out.append(digits[d] + name)
        s = "".join(out)
        return s[1:] if s.startswith("一十") else s

    parts: list[str] = []
    n = value
    for big, name in ((10**8, "亿"), (10**4, "万"), (1, "")):
        chunk = n // big
        n %= big
        if chunk:
            if parts and chunk < 1000 and parts[-1] != "零":
                parts.append("零")
            text = below_10000(chunk) if chunk < 10000 else to_chinese(chunk)
            if parts and text.startswith("十"):
                text = "一" + text
            parts.append(text + name)
        elif parts and parts[-1] != "零":
            parts.append("零")
    while parts and parts[-1] == "零":
        parts.pop()
    return "".join(parts)


# the decimal context's usual precision: figures of this many digits and fewer are computed as always
USUAL_PRECISION: Final = 28


def precision_for(claims: Any) -> int:
    """The precision (significant digits) that computes with these figures exactly: from the highest
    digit of the largest to the last stated digit of the finest, with room for sums and the halves of
    the rounding intervals. The usual 28 for the figures of a news article."""
    hi = lo = 0
    first = True
    for c in claims:
        f = c.info.factor
        shift = f.adjusted() if f else 0
        top = c.value.adjusted() if c.value else 0
        if c.value_high is not None and c.value_high:
            top = max(top, c.value_high.adjusted())
        top += shift
        bottom = c.exp + shift - 1
        if first:
            hi, lo, first = top, bottom, False
        else:
            hi = max(hi, top)
            lo = min(lo, bottom)
    needed = hi - lo + 4
    return USUAL_PRECISION if needed <= USUAL_PRECISION else needed + 8


@contextmanager
def decimal_context(prec: int) -> Iterator[None]:
    """A local decimal context of prec digits where that is more than the context has (else the context
    as it is): computations with figures that precision_for measured, exact."""
    if prec <= getcontext().prec:
        yield
        return
    with localcontext() as ctx:
        ctx.prec = prec
        yield
