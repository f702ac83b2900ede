"""--format json: the reviewer's report. Pure, deterministic, valid against its JSON Schema, whose
copy in the repository (src/factcheck/report/schema.json) is current.

FACTCHECK_UPDATE_GOLDEN=1 rewrites the schema copy (as it rewrites the golden files)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from factcheck import __version__
from factcheck.cli import main
from factcheck.report.model import Report

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_COPY = ROOT / "src" / "factcheck" / "report" / "schema.json"
BAD = "全区共有重大产业项目69个。其中，沿嵩山路项目22个，沿大学路项目29个，沿京广路项目19个。\n"
GOOD = BAD.replace("69个", "70个")


def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()


def schema_text() -> str:
    return json.dumps(Report.model_json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def test_schema_copy_is_current():
    if os.environ.get("FACTCHECK_UPDATE_GOLDEN") == "1":
        SCHEMA_COPY.write_text(schema_text(), encoding="utf-8")
    assert SCHEMA_COPY.read_text(encoding="utf-8") == schema_text(), (
        "src/factcheck/report/schema.json is stale: run `factcheck schema > src/factcheck/report/schema.json` "
        "(and bump SCHEMA_VERSION in report/model.py if the change is not backward compatible)")


def test_schema_command_prints_the_schema():
    r = runner().invoke(main, ["schema"])
    assert r.exit_code == 0
    assert r.stdout == schema_text()
    assert json.loads(r.stdout)["title"] == "Report"


@pytest.fixture()
def articles(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    return tmp_path


def run_json(*args) -> tuple[int, str]:
    r = runner().invoke(main, [*args, "--format", "json", "--no-progress"])
    return r.exit_code, r.stdout


def test_report_content(articles):
    code, out = run_json("good.txt", "bad.txt")
    assert code == 1
    data = json.loads(out)
    jsonschema.validate(data, json.loads(SCHEMA_COPY.read_text(encoding="utf-8")))
    Report.model_validate(data)  # the model accepts its own output
    assert data["schema_version"] == "2.0"
    assert data["tool"] == {"name": "factcheck", "version": __version__}
    cfg = data["configuration"]
    assert cfg["fail_on"] == "error" and "FC101" in cfg["rules"] and cfg["approx_tolerance"] == "0.05"
    assert [f["path"] for f in data["files"]] == ["bad.txt", "good.txt"]  # sorted
    assert {c["path"] for c in data["claims"]} == {"bad.txt", "good.txt"}
    statuses = {(c["rule"], c["claims"][0]["path"], c["status"]) for c in data["checks"]}
    assert ("FC101", "bad.txt", "discrepancy") in statuses
    assert ("FC101", "good.txt", "ok") in statuses  # passing checks are in the report too
    disc = next(c for c in data["checks"] if c["status"] == "discrepancy")
    assert disc["stated"] and disc["recomputed"] and disc["fingerprint"]
    assert [c["role"] for c in disc["claims"]][0] == "total"
    s = data["summary"]
    assert s["files"] == 2 and s["claims"] == len(data["claims"]) and s["checks"] == len(data["checks"])
    assert s["ok"] + sum(s["discrepancies"].values()) + s["unverifiable"] == s["checks"]


def test_seeds_report_has_every_kind_of_check(monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out = run_json("seeds/")
    data = json.loads(out)
    jsonschema.validate(data, json.loads(SCHEMA_COPY.read_text(encoding="utf-8")))
    assert {c["status"] for c in data["checks"]} <= {"ok", "discrepancy", "unverifiable"}
    assert {"ok", "discrepancy"} <= {c["status"] for c in data["checks"]}
    assert code == (1 if data["summary"]["discrepancies"]["error"] else 0)


def test_same_input_gives_byte_identical_output(articles):
    first = run_json("good.txt", "bad.txt")[1]
    assert run_json("good.txt", "bad.txt")[1] == first
    folder = run_json(".")[1]
    assert folder == run_json(".")[1]
    paths = [f["path"] for f in json.loads(folder)["files"]]
    assert paths == [f["path"] for f in json.loads(first)["files"]] == ["bad.txt", "good.txt"]


def test_parallel_run_gives_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for i in range(12):  # more than 8 files: the run uses worker processes
        (tmp_path / f"{i:02d}.txt").write_text(BAD if i % 3 == 0 else GOOD, encoding="utf-8")
    (tmp_path / "x.txt").write_text("二七区有效运作产业项目97个、总投资1352亿元。\n", encoding="utf-8")
    serial = run_json(".", "--jobs", "1")
    parallel = run_json(".", "--jobs", "2")
    assert serial[0] == parallel[0] == 1
    assert serial[1] == parallel[1]
    assert json.loads(serial[1])["summary"]["discrepancies"]["error"] == 4


# --- the item encoders ------------------------------------------------------------------------------

def test_orjson_and_the_standard_encoder_write_the_same_bytes(articles):
    # the report does not depend on which encoder wrote an item: the fallback is set to orjson's output
    orjson = pytest.importorskip("orjson")
    from factcheck.report import json_out

    code, out = run_json("good.txt", "bad.txt")
    data = json.loads(out)
    items = data["claims"] + data["checks"] + data["files"] + [data["summary"], data["configuration"]]
    assert len(items) > 10
    for x in items:
        assert json_out._std(x) == orjson.dumps(x, option=orjson.OPT_SORT_KEYS).decode("utf-8")


def test_an_item_orjson_refuses_is_written_by_the_standard_encoder():
    # an integer past 64 bits (orjson refuses it): the item is still written, exactly
    from factcheck.report import json_out

    item = {"b": 123456789012345678901234567890, "a": "二七区"}
    assert json_out._item(item) == '{"a":"二七区","b":123456789012345678901234567890}'


def test_collector_is_enabled_again_after_a_paused_step():
    import gc

    from factcheck.pipeline import collector_paused

    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with collector_paused():
            assert not gc.isenabled()
            raise RuntimeError("a step fails")
    assert gc.isenabled()


def test_only_the_command_line_freezes_the_process(articles):
    # gc.freeze acts on the whole process: a program that calls run() keeps its collector as it was
    import gc

    from factcheck.pipeline import run
    from factcheck.rules.loader import rules_for_run

    gc.unfreeze()
    run(["good.txt", "bad.txt"], rules_for_run())
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    run(["good.txt", "bad.txt"], rules_for_run(), settle=True)
    assert gc.get_freeze_count() > 0 and gc.isenabled()
    gc.unfreeze()


# --- items encoded with their file (in the workers) ---------------------------------------------------

@pytest.mark.parametrize("jobs", [1, 2])
def test_items_encoded_with_their_files_give_the_same_report(jobs):
    # `--format json` encodes each file's claims and checks where the file is checked; the report is
    # byte for byte the one rendered from build_report's dicts (conflicts, sorting and summary included)
    from factcheck.pipeline import run
    from factcheck.report.build import build_report
    from factcheck.report.json_out import render_json_bytes
    from factcheck.rules.loader import rules_for_run

    rules = rules_for_run()
    paths = [str(ROOT / "seeds"), str(ROOT / "tests" / "articles"), str(ROOT / "tests" / "holdout")]
    plain = run(paths, rules, jobs=1)
    encoded = run(paths, rules, jobs=jobs, encode=True)
    assert all(r.claims_json is None for r in plain.files)
    assert sum(len(r.claims_json) for r in encoded.files) == sum(len(r.claims) for r in plain.files) > 100
    assert all(isinstance(x, bytes) for r in encoded.files for x in r.claims_json + r.checks_json)
    a = render_json_bytes(build_report(plain, {}))
    b = render_json_bytes(build_report(encoded, {}))
    assert a == b
    assert any(c["kind"] == "conflict" for c in json.loads(b)["checks"])


def test_a_lone_surrogate_is_written_escaped():
    # a file name that is not UTF-8 reaches the report as a lone surrogate: the item is still JSON
    from factcheck.report import json_out

    item = {"path": "bad\udcff.txt", "n": 1}
    out = json_out.encode_item(item)
    assert out == b'{"n":1,"path":"bad\\udcff.txt"}'
    assert json.loads(out) == item


# --- the contract (issue 15) --------------------------------------------------------------------------

def test_schema_has_an_id_a_dialect_descriptions_and_a_required_version():
    schema = Report.model_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    from factcheck import PROJECT_URL

    assert schema["$id"].startswith(PROJECT_URL) and schema["$id"].endswith("schema.json")
    assert "schema_version" in schema["required"]
    assert schema["description"]
    missing = []
    for name, model in [("Report", schema)] + list(schema["$defs"].items()):
        assert model.get("description"), name
        for prop, spec in model["properties"].items():
            ref = spec.get("$ref", "").rsplit("/", 1)[-1]
            if not spec.get("description") and not schema["$defs"].get(ref, {}).get("description"):
                missing.append(f"{name}.{prop}")
    assert missing == []
    # the schema's own meta-schema accepts it, and a report without its version is refused
    jsonschema.Draft202012Validator.check_schema(schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({k: v for k, v in json.loads(run_json_report()).items() if k != "schema_version"}, schema)


def run_json_report() -> str:
    return runner().invoke(main, [str(ROOT / "seeds"), "--format", "json", "--no-progress"]).stdout


def test_recomputed_and_difference_carry_units(articles):
    (articles / "share.txt").write_text("全年完成投资267.37亿元，其中工业投资27.36亿元，占16%。\n", encoding="utf-8")
    _, out = run_json("bad.txt", "good.txt", "share.txt")
    data = json.loads(out)
    bad = next(c for c in data["checks"] if c["status"] == "discrepancy" and c["rule"] == "FC101")
    assert (bad["stated"], bad["recomputed"], bad["miss"]) == ("69个", "70个", "1个")
    assert bad["difference"] == {"value": "1", "unit": "个", "text": "1个"}
    assert bad["tolerance"] == "[69, 69]个 vs [70, 70]个"
    ok = next(c for c in data["checks"] if c["status"] == "ok" and c["rule"] == "FC101")
    assert ok["recomputed"] == "70个" and ok["difference"] is None
    share = next((c for c in data["checks"] if c["rule"] == "FC201"), None)
    assert share is not None and share["status"] == "discrepancy", data["checks"]
    assert share["recomputed"] == "10.23%" and share["difference"]["unit"] == "个百分点"
    assert share["difference"]["text"] == "5.8个百分点" and share["miss"].endswith("个百分点")
    assert share["message"] == "占比与数字不符：文中为16%，27.36亿元 / 267.37亿元 = 10.2%，相差5.8个百分点。"
    assert share["tolerance"].endswith("%") and "亿" not in share["tolerance"]


def test_a_cross_article_check_counts_for_each_of_its_files(articles):
    (articles / "a.txt").write_text("二七区2024年工作回顾\n\n二七区有效运作产业项目97个、总投资1352亿元。\n", encoding="utf-8")
    (articles / "b.txt").write_text("二七区项目建设\n\n围绕“三轴”谋划推进总投资\n1208亿元的产业项目97个。\n", encoding="utf-8")
    data = json.loads(run_json("a.txt", "b.txt")[1])
    conflict = [c for c in data["checks"] if c["rule"] == "FC801" and c["status"] == "discrepancy"]
    assert len(conflict) == 1 and {x["path"] for x in conflict[0]["claims"]} == {"a.txt", "b.txt"}
    checks = {f["path"]: f["checks"] for f in data["files"]}
    assert checks["a.txt"] >= 1 and checks["b.txt"] >= 1
