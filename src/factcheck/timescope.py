"""Time scopes: the year an article speaks of, and the period a figure covers."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

YEAR: Final = re.compile(r"((?:19|20)\d{2})年")
GOAL_YEAR: Final = re.compile(r"((?:19|20)\d{2})[“\"]?(?:小目标|年度)")
DATE_YEAR: Final = re.compile(r"((?:19|20)\d{2})")
ZODIAC: Final = {"龙年": 2024, "兔年": 2023, "蛇年": 2025, "虎年": 2022, "马年": 2026}


def _first_line(text: str) -> str:
    """The first line with more than spaces (without splitting the whole text)."""
    pos, n = 0, len(text)
    while pos <= n:
        end = text.find("\n", pos)
        if end < 0:
            end = n
        if not text[pos:end].isspace() and end > pos:
            return text[pos:end]
        pos = end + 1
    return ""


def article_time(doc, text: str, reference: int | None = None) -> int | None:
    """The article's own year: a year in its title, else its front matter date, else the run's reference
    date (reference: the year of --date or `date` in the configuration), else the latest year it
    states (a year spoken of as past, 2023年 next to 龙年, still yields the year after it), else None."""
    # a report titled with its year (云溪区2023年国民经济和社会发展统计公报) speaks of that year
    title = (doc.meta or {}).get("title", "") or _first_line(text)[:80]
    m = YEAR.search(title)
    if m:
        return int(m.group(1))
    date = (doc.meta or {}).get("date", "")
    m = DATE_YEAR.match(date)
    if m:
        return int(m.group(1))
    if reference is not None:
        return reference
    years = [int(y) for y in YEAR.findall(text)]
    if "年度" in text or "小目标" in text:  # what GOAL_YEAR needs: a quick test before the scan
        years += [int(y) for y in GOAL_YEAR.findall(text)]
    z = [y for k, y in ZODIAC.items() if k in text]
    cands = years + z
    return max(cands) if cands else None


def claim_period(claim, art_year: int | None, default_to_year: bool = True) -> str | None:
    """A figure's period as 'YYYY' or 'YYYY-H1' …, resolved against the article's year; None if unknown.

    default_to_year: a figure with no time of its own is taken to be of the article's year."""
    return _period(claim.time, art_year, default_to_year)


@lru_cache(maxsize=4096)
def _period(t: str | None, art_year: int | None, default_to_year: bool) -> str | None:
    """claim_period of a time expression (the same few recur: each is read once)."""
    if not t:
        return str(art_year) if art_year and default_to_year else None
    m = re.match(r"((?:19|20)\d{2})年?(.*)", t)
    if m:
        y, rest = int(m.group(1)), m.group(2)
    elif t.startswith(("过去一年", "上一年度")):
        if art_year is None:
            return None
        y, rest = art_year - 1, ""
    elif t.startswith("今年"):
        if art_year is None:
            return "this-year" + t[2:]  # no year known: still not last year
        y, rest = art_year, t[2:]
    elif t.startswith(("去年", "上年")):
        if art_year is None:
            return "last-year" + t[2:]
        y, rest = art_year - 1, t[2:]
    else:
        if art_year is None:
            return None
        y, rest = art_year, t
    part = ""
    for k, v in (("上半年", "H1"), ("下半年", "H2"), ("前三季度", "Q1-3"), ("一季度", "Q1"), ("二季度", "Q2"),
                 ("三季度", "Q3"), ("四季度", "Q4")):
        if k in rest:
            part = v
            break
    else:
        mm = re.search(r"(\d{1,2})[-—~至到](\d{1,2})月", rest)
        day = re.search(r"(\d{1,2})月(?:(底|末)|(\d{1,2})日)?", rest)
        if mm:
            part = f"M{mm.group(1)}-{mm.group(2)}"
        elif day and day.group(3):  # 截至7月23日, 2018年10月23日: the year up to that day
            part = f"D{day.group(1)}-{day.group(3)}"
        elif day and (day.group(2) or "截至" in rest):  # 截至6月底, 到2018年10月底: the months from January
            part = f"M1-{day.group(1)}"
        elif day:  # 2018年10月: that month
            part = f"M{day.group(1)}"
        elif "截至" in rest:
            part = "todate"
    return f"{y}-{part}" if part else str(y)
