"""Per-rule test cases kept as data: tests/rules/FCxxx.yaml (in the style of sqlfluff's pass_str / fail_str).

Each case file names one rule and lists its cases:

    rule: FC101
    cases:
      - name: three-part breakdown that adds up
        text: "全区共有重点项目45个，其中工业项目20个、服务业项目15个、基础设施项目10个。"
        expect: ok              # ok | discrepancy | unverifiable | none
        figures: ["45个", "20个", "15个", "10个"]
        xfail: "why factcheck gets it wrong"   # a case factcheck fails, with what it does instead

The text runs through factcheck.rules.validate.run_example with that one rule (for the cross-article rule
FC801, a line ``---`` separates the articles). What each expectation asserts about the rule's checks:

* ``discrepancy``: some check of the rule is a discrepancy (and, with ``figures``, covers all of them).
* ``ok``: some check of the rule is ok (covering ``figures``) **and no check of the rule is a
  discrepancy**: an ok case is a text a careful reader finds correct, so a false report anywhere in it
  fails the case, just as the project's own ``examples.pass`` do (validate.check_examples).
* ``unverifiable``: some check of the rule is unverifiable (covering ``figures``) and none is a
  discrepancy (the rule cannot know the figures, so it cannot know they disagree).
* ``none``: **no check of the rule at all**, whatever its status. These texts hold nothing the rule
  should test (a threshold, per-capita figures that are not parts, overlapping categories, last year's
  figures, another period or place); a spurious ok or unverifiable check means the rule bound figures that
  do not belong together, which is as wrong as a false discrepancy, only quieter. A text that has
  something to test beside such a trap is an ``ok`` case with ``figures`` instead.

``figures`` are the raw texts of figures (line breaks removed) that one single check must cover.

Cases factcheck gets wrong keep the expectation a reader would hold; they carry ``xfail: "reason"`` (what
factcheck does instead, and why) and run as pytest.mark.xfail(strict=True), so they turn red once fixed
until the mark is removed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from factcheck.rules.errors import RuleError
from factcheck.rules.loader import rules_for_run
from factcheck.rules.schema import load_rule_file, load_rules
from factcheck.rules.validate import check_examples, run_example

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "rules"
CASES_DIR = Path(__file__).resolve().parent / "rules"

EXPECTS = ("ok", "discrepancy", "unverifiable", "none")
CASE_KEYS = {"name", "text", "expect", "figures", "xfail"}
MIN_CASES, MAX_CASES = 6, 12


def _flat(s: str) -> str:
    return s.replace("\r", "").replace("\n", "")


def _case_files() -> dict[str, tuple[Path, dict]]:
    out = {}
    for path in sorted(CASES_DIR.glob("FC*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[path.stem] = (path, data)
    return out


CASE_FILES = _case_files()


def _rule_ids() -> list[str]:
    """The built-in rules' ids as their files give them, not validated here: a rule file that does not load
    fails the tests of that rule (rules_by_id), not the collection of the whole suite."""
    ids = []
    for p in sorted(RULES_DIR.glob("*.yaml")):
        if p.name == "lexicon.yaml":
            continue
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            data = None
        ids.append(str(data["id"]) if isinstance(data, dict) and data.get("id") else p.stem)
    return sorted(ids)


RULE_IDS = _rule_ids()


def _all_cases():
    for rule_id, (_, data) in CASE_FILES.items():
        for case in (data or {}).get("cases") or []:
            yield rule_id, case


def _case_params():
    params = []
    for rule_id, case in _all_cases():
        marks = []
        if case.get("xfail"):
            marks.append(pytest.mark.xfail(strict=True, reason=str(case["xfail"])))
        params.append(pytest.param(rule_id, case, id=f"{rule_id}:{case.get('name')}", marks=marks))
    return params


@pytest.fixture(scope="module")
def rules_by_id():
    return {r.id: r for r in rules_for_run()}


def _describe(checks) -> str:
    if not checks:
        return "  (no check of the rule)"
    return "\n".join(
        f"  {c.status}: {c.message} [{', '.join(f'{r}={_flat(x.text)}' for r, x in c.claims)}]" for c in checks)


def _covers(check, figures) -> bool:
    texts = [_flat(x.text) for _, x in check.claims]
    return all(f in texts for f in figures)


# ---------------------------------------------------------------- the cases


@pytest.mark.parametrize("rule_id,case", _case_params())
def test_rule_case(rule_id, case, rules_by_id):
    rule = rules_by_id[rule_id]
    checks = [c for c in run_example(rule, case["text"]) if c.rule == rule_id]
    expect = case["expect"]
    figures = case.get("figures") or []
    shown = f"{rule_id} {case['name']!r}: expected {expect}" + (f" covering {figures}" if figures else "") + \
        f"; factcheck made:\n{_describe(checks)}"
    if expect == "none":
        assert checks == [], shown
        return
    assert any(c.status == expect and _covers(c, figures) for c in checks), shown
    if expect in ("ok", "unverifiable"):
        assert not any(c.status == "discrepancy" for c in checks), shown


# ---------------------------------------------------------------- the case files themselves


@pytest.mark.parametrize("rule_id", sorted(CASE_FILES))
def test_case_file_is_well_formed(rule_id):
    path, data = CASE_FILES[rule_id]
    assert isinstance(data, dict) and set(data) == {"rule", "cases"}, f"{path}: needs exactly the keys rule, cases"
    assert data["rule"] == rule_id == path.stem, f"{path}: rule {data['rule']!r} is not named by the file name"
    assert rule_id in RULE_IDS, f"{path}: there is no rule {rule_id} in {RULES_DIR}"
    cases = data["cases"]
    assert MIN_CASES <= len(cases) <= MAX_CASES, f"{path}: {len(cases)} cases, want {MIN_CASES}–{MAX_CASES}"
    names = [c.get("name") for c in cases]
    assert len(set(names)) == len(names), f"{path}: duplicated case names"
    for case in cases:
        where = f"{path}: case {case.get('name')!r}"
        assert set(case) <= CASE_KEYS, f"{where}: unknown keys {set(case) - CASE_KEYS}"
        assert isinstance(case.get("name"), str) and case["name"].strip(), f"{where}: needs a name"
        assert isinstance(case.get("text"), str) and case["text"].strip(), f"{where}: needs a text"
        assert case.get("expect") in EXPECTS, f"{where}: expect must be one of {EXPECTS}"
        figures = case.get("figures")
        if figures is not None:
            assert case["expect"] != "none", f"{where}: a none case has no check to cover figures"
            assert isinstance(figures, list) and figures and all(isinstance(f, str) and f for f in figures), \
                f"{where}: figures must be a non-empty list of strings"
            for f in figures:  # a typo in the data would make the case fail for the wrong reason
                assert f in _flat(case["text"]), f"{where}: figure {f!r} is not in the text"
        if "xfail" in case:
            assert isinstance(case["xfail"], str) and case["xfail"].strip(), f"{where}: xfail needs a reason"
        if rule_id == "FC801":
            assert "\n---\n" in case["text"], f"{where}: a cross-article case separates its articles by ---"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_has_ok_and_discrepancy_cases(rule_id):
    assert rule_id in CASE_FILES, f"no case file tests/rules/{rule_id}.yaml"
    expects = [c.get("expect") for c in CASE_FILES[rule_id][1]["cases"]]
    assert "ok" in expects, f"{rule_id}: no ok case"
    assert "discrepancy" in expects, f"{rule_id}: no discrepancy case"


@pytest.mark.xfail(strict=True, reason="the unverifiable rate binds 十件 (how many projects there are) as its "
                                       "numerator: a count of items is not the number completed")
def test_an_unverifiable_rate_binds_only_its_own_figures(rules_by_id):
    text = "截至11月底，全市十件民生实事项目完成率达到96.5%。"
    checks = [(c.status, [x.text for _, x in c.claims]) for c in run_example(rules_by_id["FC302"], text)]
    assert checks == [("unverifiable", ["96.5%"])]


# ---------------------------------------------------------------- the rules' own examples


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_documented_examples_behave_as_documented(rule_id, rules_by_id):
    rule = rules_by_id[rule_id]
    assert rule.examples.fail and rule.examples.pass_
    assert check_examples([rule]) == []


def test_check_examples_reports_swapped_examples(tmp_path):
    """check_examples is not vacuous: a rule whose fail and pass examples are swapped has problems."""
    data = yaml.safe_load((RULES_DIR / "FC301.yaml").read_text(encoding="utf-8"))
    data["examples"] = {"fail": data["examples"]["pass"], "pass": data["examples"]["fail"]}
    path = tmp_path / "FC301.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    problems = check_examples([load_rule_file(path)])
    assert any("examples.fail" in p for p in problems), problems
    assert any("examples.pass" in p for p in problems), problems


# ---------------------------------------------------------------- a rule file must have examples


def test_rule_file_without_examples_is_rejected(tmp_path):
    data = yaml.safe_load((RULES_DIR / "FC101.yaml").read_text(encoding="utf-8"))
    good = tmp_path / "good" / "FC101.yaml"
    good.parent.mkdir()
    good.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_rule_file(good).id == "FC101"  # the same file with its examples loads

    del data["examples"]
    bad = tmp_path / "bad" / "FC101.yaml"
    bad.parent.mkdir()
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_rule_file(bad)
    assert err.value.key == "examples"
    assert str(bad) in str(err.value)
    with pytest.raises(RuleError):
        load_rules([bad.parent])


def test_rule_file_with_empty_examples_is_rejected(tmp_path):
    data = yaml.safe_load((RULES_DIR / "FC101.yaml").read_text(encoding="utf-8"))
    data["examples"] = {"fail": [], "pass": data["examples"]["pass"]}
    path = tmp_path / "FC101.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_rule_file(path)
    assert err.value.key.startswith("examples")
