"""A check against the claim archive in the run's language (issue 15): the cross-article message and the
archived article's note come from the message catalog, every format names the archived article, and what
a suppression accepts is listed with its reason."""

from __future__ import annotations

import json

import pytest
from archive_helpers import cli

SEED_001 = "seeds/001_5eba1bd811c369dd.txt"
SEED_003 = "seeds/003_a7e8c9d2e0f9aae0.txt"
NOTE = {"zh": "（存档稿件：《二七区三轴项目建设》，2024-05-20）", "en": "(archived: 《二七区三轴项目建设》, 2024-05-20)"}
# worded as one run over both articles words it: the smaller path first
MESSAGE = {"zh": f"published/roads.md为1208亿元，{SEED_001}为1352亿元，相差144亿元",
           "en": f"1208亿元 in published/roads.md, 1352亿元 in {SEED_001}, a difference of 144亿元"}


@pytest.fixture
def archived(work, tmp_path):
    (work / "published").mkdir()
    body = (work / SEED_003).read_text(encoding="utf-8")
    (work / "published" / "roads.md").write_text("---\ntitle: 二七区三轴项目建设\ndate: 2024-05-20\n---\n" + body,
                                                 encoding="utf-8")
    url = str(tmp_path / "a.sqlite")
    assert cli("index", "published", "--archive", url, "--no-progress", cwd=work).returncode == 0
    return url


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_format_in_the_run_language(work, archived, lang):
    out = {}
    for fmt in ("text", "concise", "github", "sarif", "html", "json"):
        r = cli("check", SEED_001, "--archive", archived, "--format", fmt, "--lang", lang, "--no-progress",
                "--no-color", cwd=work)
        assert r.returncode == 1, (fmt, r.stderr)
        out[fmt] = r.stdout
    for fmt in ("text", "concise", "github", "sarif", "html"):
        text = out[fmt] if fmt != "sarif" else json.dumps(json.loads(out[fmt]), ensure_ascii=False)
        assert MESSAGE[lang] in text, fmt
        assert "published/roads.md" in text and "二七区三轴项目建设" in text and "2024-05-20" in text, fmt
    for fmt in ("text", "github", "html"):
        assert NOTE[lang] in out[fmt], fmt
    assert "published/roads.md:105:1" in out["concise"]  # the archived figure's place, on the finding's one line
    other = NOTE["en" if lang == "zh" else "zh"]
    assert all(other not in text for text in out.values())
    # annotations and SARIF results are on the checked article only
    assert [ln for ln in out["github"].splitlines() if ln.startswith("::")] and all(
        "file=seeds/001" in ln for ln in out["github"].splitlines() if ln.startswith("::error"))
    sarif = json.loads(out["sarif"])["runs"][0]["results"]
    assert len(sarif) == 1
    assert sarif[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(SEED_001)
    data = json.loads(out["json"])
    assert data["configuration"]["lang"] == lang
    disc = [c for c in data["checks"] if c["status"] == "discrepancy"]
    assert disc[0]["difference"]["text"] == "144亿元" and MESSAGE[lang] in disc[0]["message"]


def test_a_suppressed_archive_conflict_is_listed_with_its_reason(work, archived):
    (work / "factcheck.toml").write_text('[per-file-ignores]\n"seeds/001_*" = ["FC801"]\n', encoding="utf-8")
    r = cli("check", SEED_001, "--archive", archived, "--format", "json", "--lang", "en", "--no-progress", cwd=work)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["summary"]["suppressed"] == 1
    (item,) = data["suppressed"]
    assert item["suppression"]["kind"] == "per-file-ignores"
    assert item["suppression"]["reason"].startswith('per-file-ignores "seeds/001_*" in ')
    assert item["details"]["archived"]["path"] == "published/roads.md"
