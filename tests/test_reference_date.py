"""A reference date (issue 15): --date and `date` give 今年, 去年 and 截至6月底 a year in articles without a
date of their own; front matter `date:` does so per article; without any, a cross-article comparison of
a flow says in its unverifiable reason that it needs a period."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from factcheck.cli import main

A = "今年以来，河口区举行一季度重大项目集中签约，集中签约项目36个，签约额145.2亿元。\n"
B = "今年以来，河口区举行一季度重大项目集中签约，集中签约项目36个，签约额152.4亿元。\n"


def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()


def fc(*args):
    return runner().invoke(main, [*args, "--no-progress", "--format", "json"])


@pytest.fixture()
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(B, encoding="utf-8")
    return tmp_path


def conflicts(r) -> list[dict]:
    return [c for c in json.loads(r.stdout)["checks"] if c["rule"] == "FC801"]


def test_without_a_date_the_comparison_says_it_needs_a_period(work):
    r = fc("a.txt", "b.txt")
    assert r.exit_code == 0, r.stderr
    found = [c for c in conflicts(r) if c["claims"][0]["text"] == "145.2亿元"]
    assert [c["status"] for c in found] == ["unverifiable"]
    assert "a.txt没有日期" in found[0]["message"] and "--date" in found[0]["message"]
    en = fc("a.txt", "b.txt", "--lang", "en")
    msg = next(c["message"] for c in conflicts(en) if c["status"] == "unverifiable")
    assert "a.txt has no date and no reference date was given (--date" in msg


def test_date_option_gives_this_year_a_year(work):
    r = fc("a.txt", "b.txt", "--date", "2024-07-01")
    assert r.exit_code == 1
    disc = [c for c in conflicts(r) if c["status"] == "discrepancy"]
    assert len(disc) == 1 and disc[0]["severity"] == "error"
    assert disc[0]["details"]["time_scope"] == "same period (2024-Q1)"
    assert "同一时期：2024年一季度" in disc[0]["message"] and "相差7.2亿元" in disc[0]["message"]
    assert json.loads(r.stdout)["configuration"]["date"] == "2024-07-01"


def test_date_in_the_configuration(work):
    (work / "factcheck.toml").write_text("date = 2024-07-01\n", encoding="utf-8")  # a TOML date
    assert fc("a.txt", "b.txt").exit_code == 1
    (work / "factcheck.toml").write_text('date = "2024-07-01"\n', encoding="utf-8")  # or a string
    assert fc("a.txt", "b.txt").exit_code == 1
    (work / "factcheck.toml").write_text('date = "July 2024"\n', encoding="utf-8")
    r = fc("a.txt", "b.txt")
    assert r.exit_code == 2 and "date" in r.stderr and "YYYY-MM-DD" in r.stderr


def test_front_matter_date_wins_over_the_reference_date(work):
    (work / "a.md").write_text("---\ndate: 2023-03-15\n---\n" + A, encoding="utf-8")
    (work / "b.md").write_text("---\ndate: 2024-03-21\n---\n" + B, encoding="utf-8")
    r = fc("a.md", "b.md", "--date", "2024-07-01")
    assert r.exit_code == 0  # 今年 is 2023 in one and 2024 in the other: two years' flows, no conflict
    assert not [c for c in conflicts(r) if c["status"] != "ok"]


def test_until_the_end_of_a_month_is_a_period_of_its_own(work):
    (work / "a.txt").write_text("截至6月底，河口区重大项目完成投资45.2亿元。\n", encoding="utf-8")
    (work / "b.txt").write_text("截至9月底，河口区重大项目完成投资78.4亿元。\n", encoding="utf-8")
    r = fc("a.txt", "b.txt", "--date", "2024-10-08")
    assert r.exit_code == 0 and not [c for c in conflicts(r) if c["status"] == "discrepancy"]
    (work / "b.txt").write_text("截至6月末，河口区重大项目完成投资48.4亿元。\n", encoding="utf-8")
    r = fc("a.txt", "b.txt", "--date", "2024-10-08")
    disc = [c for c in conflicts(r) if c["status"] == "discrepancy"]
    assert r.exit_code == 1 and disc and disc[0]["details"]["time_scope"] == "same period (2024-M1-6)"
    assert "2024年1—6月" in disc[0]["message"]


def test_last_year_is_the_year_before_the_reference_date():
    from factcheck.timescope import _period

    assert _period("去年", 2024, True) == "2023"
    assert _period("今年上半年", 2024, True) == "2024-H1"
    assert _period("截至6月底", 2024, True) == "2024-M1-6"
    assert _period("今年", None, True) == "this-year"  # no year known


@pytest.mark.parametrize("bad", ["2024-13-01", "2024/07/01", "今年", "24-07-01"])
def test_a_bad_date_is_a_usage_error(work, bad):
    r = fc("a.txt", "--date", bad)
    assert r.exit_code == 2 and "--date" in r.stderr


def test_until_a_day_is_the_year_up_to_that_day():
    from factcheck import i18n
    from factcheck.timescope import _period

    assert _period("截至7月23日", 2021, True) == "2021-D7-23" != _period("截至6月2日", 2021, True)
    assert _period("截至6月末", 2021, True) == _period("截至6月底", 2021, True) == "2021-M1-6"
    assert _period("截至目前", 2021, True) == "2021-todate"
    assert i18n.period_text("2021-D7-23", "zh") == "2021年截至7月23日"
