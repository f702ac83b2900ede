"""The docs install what they mean (issue 15): the distribution's own name (factcheck on PyPI is another
project), the project's repository in every install line, the pre-commit example pinned to the tag of
this version, SARIF and the JSON Schema pointing at the project, the limits of a staged-files run said."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

from factcheck import PROJECT_URL, __version__

ROOT = Path(__file__).resolve().parent.parent
DOCS = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "README.md", ROOT / "docs" / "ci.md")}
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
TAG = f"v{__version__}"


def test_distribution_name_and_version():
    project = PYPROJECT["project"]
    assert project["name"] == "factcheck-zh"
    assert project["version"] == __version__
    assert project["scripts"] == {"factcheck": "factcheck.cli:main"}  # the command stays factcheck
    assert project["urls"]["Repository"] == project["urls"]["Homepage"] == PROJECT_URL


def test_every_install_line_installs_the_tagged_release_under_its_own_name():
    lines = [(name, ln.strip()) for name, text in DOCS.items() for ln in text.splitlines()
             if re.search(r"\bpip install\b", ln)]
    assert lines
    for name, ln in lines:
        if "'.[test]'" in ln or "pip install -e" in ln or "pip install .`" in ln:
            continue  # from the repository root (quick start, development)
        assert f'"factcheck-zh @ git+{PROJECT_URL}@{TAG}"' in ln, (name, ln)
    assert not any(re.search(r"pip install factcheck(\s|$|`)", ln) for _, ln in lines)


def test_the_pre_commit_example_pins_this_version_and_names_the_hook():
    block = re.search(r"```yaml\n(repos:.*?)```", DOCS["ci.md"], re.S).group(1)
    repo = yaml.safe_load(block)["repos"][0]
    assert repo["repo"] == PROJECT_URL and repo["rev"] == TAG
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in repo["hooks"]] == [h["id"] for h in hooks] == ["factcheck"]
    comment = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert f"rev: {TAG}" in comment and PROJECT_URL in comment


def test_the_pre_commit_docs_say_what_a_staged_files_run_cannot_see():
    ci = " ".join(DOCS["ci.md"].split())
    assert "cannot find a conflict between a new article and one committed earlier" in ci
    assert "--archive archive.sqlite" in ci


def test_the_project_url_is_the_one_the_reports_name():
    from factcheck.report.model import SCHEMA_ID
    from factcheck.report.sarif import INFO_URI

    assert INFO_URI == PROJECT_URL and SCHEMA_ID.startswith(PROJECT_URL)
    assert "pypi.org/project/factcheck" not in (ROOT / "src" / "factcheck" / "report" / "sarif.py").read_text()


def test_readme_documents_the_dates_and_keeps_two_quick_start_lines():
    readme = DOCS["README.md"]
    assert "date:" in readme and "--date" in readme and "截至6月底" in readme
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.search(r"```sh\n(.*?)```", quick, re.S).group(1).strip().splitlines()
    assert len(commands) == 2 and commands[0].endswith("factcheck seeds/") and "pytest" in commands[1]
    assert quick.count("```sh") == 1
