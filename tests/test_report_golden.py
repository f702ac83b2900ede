"""Golden files: the terminal (colour off), JSON, SARIF and GitHub output on the seeds.

They change only on purpose. When a change of the rules or of a renderer changes the output, look at
the diff, then rewrite them with

    FACTCHECK_UPDATE_GOLDEN=1 pytest tests/test_report_golden.py

and commit the new files with the change that explains them.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
UPDATE = os.environ.get("FACTCHECK_UPDATE_GOLDEN") == "1"
FORMATS = {"text": "seeds.txt", "json": "seeds.json", "sarif": "seeds.sarif.json", "github": "seeds.github.txt"}


def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()


def run_seeds(fmt: str):
    return runner().invoke(main, ["seeds/", "--format", fmt, "--no-color", "--no-progress"])


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)  # paths in the output are relative to the repository
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_golden(fmt):
    r = run_seeds(fmt)
    assert r.exit_code in (0, 1), r.stderr
    path = GOLDEN / FORMATS[fmt]
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(r.stdout, encoding="utf-8")
    assert path.exists(), f"{path} is missing: FACTCHECK_UPDATE_GOLDEN=1 pytest tests/test_report_golden.py"
    expected = path.read_text(encoding="utf-8")
    if r.stdout != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), r.stdout.splitlines(True),
                                            f"golden/{path.name}", "now", n=2))
        pytest.fail(f"output differs from {path.relative_to(ROOT)} (if on purpose: FACTCHECK_UPDATE_GOLDEN=1 "
                    f"pytest tests/test_report_golden.py):\n{diff[:6000]}")


def test_golden_files_agree_with_each_other():
    """The four goldens describe one run: the same discrepancies, and the exit code that follows from them."""
    data = json.loads((GOLDEN / FORMATS["json"]).read_text(encoding="utf-8"))
    sarif = json.loads((GOLDEN / FORMATS["sarif"]).read_text(encoding="utf-8"))
    github = (GOLDEN / FORMATS["github"]).read_text(encoding="utf-8")
    text = (GOLDEN / FORMATS["text"]).read_text(encoding="utf-8")
    from factcheck import i18n

    disc = [c for c in data["checks"] if c["status"] == "discrepancy"]
    # SARIF and GitHub annotate a finding in each file it has a figure in (a cross-article conflict: both)
    touched = sum(len({x["path"] for x in c["claims"]}) for c in disc)
    assert len(sarif["runs"][0]["results"]) == touched > len(disc)
    assert sum(line.startswith(("::error ", "::warning ", "::notice ")) for line in github.splitlines()) == touched
    for c in disc:
        first = c["claims"][0]
        word = i18n.severity_word(c["severity"], "zh")
        assert f"{first['path']}:{first['line']}:{first['column']}: {word} {c['rule']} {c['message']}" in text
    assert run_seeds("json").exit_code == (1 if data["summary"]["discrepancies"]["error"] else 0)
