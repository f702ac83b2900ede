"""Cross-article conflicts and time scopes (tests/articles/TIME_SCOPES.md, files t21–t28)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from factcheck.cli import main

ARTICLES = Path(__file__).parent / "articles"
SEEDS = Path(__file__).parent.parent / "seeds"


def cases():
    text = (ARTICLES / "TIME_SCOPES.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    return yaml.safe_load(block)["time_scopes"]


def locate(path: Path, operand: str) -> tuple[int, int]:
    """The [bracketed] figure of an operand string, as original offsets (line breaks ignored)."""
    text = path.read_text(encoding="utf-8")
    plain = operand.replace("[", "").replace("]", "")
    joined, index = [], []
    for i, ch in enumerate(text):
        if ch != "\n":
            joined.append(ch)
            index.append(i)
    at = "".join(joined).find(plain)
    assert at >= 0, operand
    lo = operand.index("[")
    hi = lo + len(re.search(r"\[(.*?)\]", operand).group(1))
    return index[at + lo], index[at + hi - 1] + 1


def run_json(paths) -> dict:
    res = CliRunner().invoke(main, [*map(str, paths), "--format", "json", "--jobs", "1", "--fail-on", "never"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def covering(report, spans):
    out = []
    for chk in report["checks"]:
        hits = [any(c["path"].endswith(f) and c["start"] < e and s < c["end"] for c in chk["claims"])
                for f, s, e in spans]
        if all(hits):
            out.append(chk)
    return out


@pytest.mark.parametrize("case", cases(), ids=lambda c: c["case"])
def test_time_scope(case):
    spans = []
    for side in ("a", "b"):
        f = case[side]["file"]
        spans.append((f, *locate(ARTICLES / f, case[side]["operand"])))
    report = run_json([ARTICLES / case["a"]["file"], ARTICLES / case["b"]["file"]])
    found = [c for c in covering(report, spans) if c["status"] == "discrepancy"]
    if case["expected"] == "none":
        assert found == [], [c["message"] for c in found]
    else:
        assert found, f"no conflict reported for case {case['case']}"
        assert {c["severity"] for c in found} == {case["expected"]}, [c["message"] for c in found]
        for c in found:
            assert c["rule"] == "FC801"
            assert c["details"]["subject_key"], "a conflict names the subject key it matched on"
            assert c["details"]["time_scope"], "a conflict says how the time scopes were judged"


def test_seed_conflict_and_agreements():
    """The 97 projects at 1208 vs 1352 亿元 is a conflict; 360个 and 2380亿元 agree across 000 and 004."""
    report = run_json(sorted(SEEDS.glob("*.txt")))
    conflict = covering(report, [("003_a7e8c9d2e0f9aae0.txt", *locate(SEEDS / "003_a7e8c9d2e0f9aae0.txt", "谋划推进总投资[1208亿元]的产业项目97个")),
                                 ("001_5eba1bd811c369dd.txt", *locate(SEEDS / "001_5eba1bd811c369dd.txt", "有效运作产业项目97个、总投资[1352亿元]"))])
    assert [c["status"] for c in conflict] == ["discrepancy"]
    for a, b in (("重点项目 [360个]，涉及总投资 2380亿元", "共谋划推进重点建设项目[360个]"),
                 ("重点项目 360个，涉及总投资 [2380亿元]", "共谋划推进重点建设项目360个，总投资 [2380亿元]")):
        agree = covering(report, [("000_3e47b0061565aec6.txt", *locate(SEEDS / "000_3e47b0061565aec6.txt", a)),
                                  ("004_1e308b5077169801.txt", *locate(SEEDS / "004_1e308b5077169801.txt", b))])
        assert agree and {c["status"] for c in agree} == {"ok"}, "agreeing figures are confirmed as ok checks"


def test_conflict_scales_by_grouping(tmp_path, monkeypatch):
    """Conflict detection hashes fact keys and compares each later mention with the first of its group: n
    articles stating one fact make n - 1 comparisons (all pairs would make n(n - 1)/2), and articles about
    different places make none with each other."""
    from decimal import Decimal

    import factcheck.conflicts as conflicts
    from factcheck import build
    from factcheck.pipeline import process
    from factcheck.rules.loader import rules_for_run

    rules = rules_for_run()
    conflict = [r for r in rules if r.kind == "conflict"]
    assert len(conflict) == 1
    # every comparison is counted where it can be seen: the compiled conflicts module calls evaluate
    # directly, which no patch reaches, so there the checks it returns are counted (each comparison of
    # one period's figures within max_ratio of each other is a check)
    pure = build() == "pure Python"
    real = conflicts.evaluate
    compared: list[tuple[str, str]] = []

    def counting(rule, group, approx):
        compared.append((group.roles["first"].path, group.roles["second"].path))
        return real(rule, group, approx)

    if pure:
        monkeypatch.setattr(conflicts, "evaluate", counting)

    def results(texts):
        out = []
        for i, text in enumerate(texts):
            p = tmp_path / f"{len(list(tmp_path.iterdir())):03d}-{i:02d}.txt"
            p.write_text(text, encoding="utf-8")
            out.append(process(str(p), rules))
        return out

    # 40 articles, each about its own place: no fact is shared, nothing is compared
    places = [a + b + "区" for a in "东西南北中" for b in "桥岭港滩峰塘洲溪"]
    apart = results([f"2024年，{place}实施重点项目{i + 10}个，总投资{i + 100}亿元。" for i, place in enumerate(places)])
    assert len({r.place for r in apart}) == 40
    assert conflicts.find_conflicts(conflict, apart, Decimal("0.05")) == []
    assert compared == []
    # 40 articles about one place and one year, each stating the same facts (the investment 300 or 302亿元)
    same = results([f"2024年，乙区实施重点项目60个，总投资{300 + 2 * (i % 2)}亿元。" for i in range(40)])
    facts = len(conflicts.article_facts(conflict[0], same[0]))
    assert facts >= 1
    checks = conflicts.find_conflicts(conflict, same + apart, Decimal("0.05"))
    pairs = [(dict(c.claims)["first"].path, dict(c.claims)["second"].path) for c in checks]
    assert len(pairs) == facts * (len(same) - 1), (facts, len(pairs))  # all pairs: facts * 780
    assert {first for first, _ in pairs} == {same[0].path}  # each mention against the first of its group
    assert not {second for _, second in pairs} & {r.path for r in apart}
    assert [c.status for c in checks].count("discrepancy") >= 1  # the comparisons are real ones
    if pure:
        assert sorted(compared) == sorted(pairs)  # no comparison made but those reported


# --- comparisons worked out once ---------------------------------------------------------------------

def _checks(paths, monkeypatch, memo: bool):
    from factcheck.pipeline import run
    from factcheck.report.build import build_report
    from factcheck.rules import engine
    from factcheck.rules.loader import rules_for_run

    rules = rules_for_run()
    monkeypatch.setattr(engine, "MEMO_KINDS", ("repeat", "conflict") if memo else ())
    result = run([str(p) for p in paths], rules, jobs=1)
    return build_report(result, {})["checks"]


def test_memoized_comparisons_give_the_same_checks(monkeypatch):
    # repeats and cross-article comparisons of figures stated alike are worked out once; the report is
    # the same as when every comparison is worked out again
    paths = [SEEDS, ARTICLES]
    with_memo = _checks(paths, monkeypatch, True)
    without = _checks(paths, monkeypatch, False)
    assert any(c["kind"] == "conflict" for c in with_memo) and any(c["kind"] == "repeat" for c in with_memo)
    assert with_memo == without


def test_memoized_checks_are_independent():
    from decimal import Decimal

    from factcheck.documents import Document
    from factcheck.extract import extract
    from factcheck.rules.engine import evaluate
    from factcheck.rules.kinds import Group
    from factcheck.rules.loader import rules_for_run

    rule = next(r for r in rules_for_run() if r.kind == "conflict")
    claims = extract(Document("a.txt", "总投资1208亿元。总投资1208亿元。总投资1208亿元。", "utf-8", {}, 0))
    assert len(claims) == 3
    one = evaluate(rule, Group({"first": claims[0], "second": claims[1]}, note="k"), Decimal("0.05"))
    two = evaluate(rule, Group({"first": claims[0], "second": claims[2]}, note="k"), Decimal("0.05"))
    assert one.status == two.status == "ok"
    assert one.claims[1][1] is claims[1] and two.claims[1][1] is claims[2]  # each check keeps its own figures
    one.details["added"] = True  # the cross-article step adds to a check's details
    assert "added" not in two.details


@pytest.mark.parametrize("text, period", [
    ("到2018年10月底，全国地方政府债务余额184043亿元。", "2018-M1-10"),
    ("截至2018年11月末，全国地方政府债务余额182903亿元。", "2018-M1-11"),
    ("2018年10月，全国发行地方政府债券1000亿元。", "2018-M10"),
    ("截至2018年7月23日，全区完成投资50亿元。", "2018-D7-23"),
    ("2018年1—10月，全区完成投资50亿元。", "2018-M1-10"),
])
def test_a_month_end_a_day_and_a_single_month_are_periods_of_their_own(text, period):
    """到2018年10月底 is January to October, 2018年10月 that month alone: two figures of them are
    not one fact stated twice (the issue: a debt balance to the end of October and to the end of
    November reported as a cross-article conflict of the same period)."""
    from factcheck.documents import Document
    from factcheck.extract import extract
    from factcheck.timescope import claim_period

    claims = extract(Document("a.txt", text, "utf-8", {}, 0))
    money = [c for c in claims if c.unit.endswith("元")]
    assert money, claims
    assert claim_period(money[0], 2018) == period


def test_balances_to_two_month_ends_are_not_a_conflict(tmp_path):
    a, b, c = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"
    a.write_text("全国地方政府债务\n\n到2018年10月底，全国地方政府债务余额184043亿元。\n", encoding="utf-8")
    b.write_text("全国地方政府债务\n\n到2018年11月底，全国地方政府债务余额182903亿元。\n", encoding="utf-8")
    c.write_text("全国地方政府债务\n\n到2018年10月底，全国地方政府债务余额182903亿元。\n", encoding="utf-8")
    two = run_json([a, b])
    assert [x for x in two["checks"] if x["rule"] == "FC801" and x["status"] == "discrepancy"] == []
    same = run_json([a, c])  # the same month's end, two values: the conflict stands
    assert [x["status"] for x in same["checks"] if x["rule"] == "FC801"] == ["discrepancy"]
