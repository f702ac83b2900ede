"""The claim archive from the command line: index, check against it, stats, search, show, on SQLite and
PostgreSQL, with real factcheck processes."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from archive_helpers import cli

SEED_001 = "seeds/001_5eba1bd811c369dd.txt"
SEED_003 = "seeds/003_a7e8c9d2e0f9aae0.txt"


def test_new_article_conflicts_with_the_archive(work, archive_url):
    """The 97 projects: 1352亿元 in seed 001, 1208亿元 in the archived seed 003."""
    r = cli("index", "seeds/", "--archive", archive_url, "--no-progress", cwd=work)
    assert r.returncode == 0, r.stderr
    assert re.search(r"5 articles indexed \(208 claims, \d+ facts\), 0 unchanged; the archive holds 5 articles", r.stdout)
    r = cli("check", SEED_001, "--archive", archive_url, "--no-progress", cwd=work)
    assert r.returncode == 1, r.stderr
    assert f"{SEED_001}:33:165: 错误 FC801 " in r.stdout
    assert (f"{SEED_001}为1352亿元，{SEED_003}为1208亿元，相差144亿元（同一组对象；同一时期：2024年）"
            in r.stdout)  # the cross-article message, in the run's language (Chinese by default)
    assert "（存档稿件：《如何在“招”商与“抢”商并》，日期不详）" in r.stdout  # the archived article named
    assert f"--> {SEED_003}:101:1" in r.stdout  # the archived article's place
    assert "1 个文件，" in r.stdout  # seed 003 was not read as an input
    assert "Traceback" not in r.stderr


def test_archive_finds_what_one_run_over_both_finds(work, archive_url):
    """The archive check of 001 finds the in-run conflict of 001 and 003 with the same outcome."""
    cli("index", SEED_003, "--archive", archive_url, "--no-progress", cwd=work)
    both = json.loads(cli("check", SEED_001, SEED_003, "--format", "json", "--no-progress", cwd=work).stdout)
    alone = json.loads(cli("check", SEED_001, "--archive", archive_url, "--format", "json", "--no-progress",
                           cwd=work).stdout)

    def pairs(report):
        return {(c["severity"], frozenset((x["path"], x["line"], x["column"], x["text"]) for x in c["claims"]))
                for c in report["checks"] if c["rule"] == "FC801" and c["status"] == "discrepancy"}

    assert pairs(both) and pairs(alone) == pairs(both)


def test_every_format_names_the_archived_article(work, tmp_path):
    """Path, title, date and line of the archived article, in text, json, github, sarif and html."""
    archived = work / "published"
    archived.mkdir()
    body = (work / SEED_003).read_text(encoding="utf-8")
    (archived / "roads.md").write_text("---\ntitle: 二七区三轴项目建设\ndate: 2024-05-20\nsource: 郑州日报\n---\n" + body,
                                       encoding="utf-8")
    url = str(tmp_path / "a.sqlite")
    assert cli("index", "published", "--archive", url, "--no-progress", cwd=work).returncode == 0
    line = 101 + 5  # the front matter's five lines
    out = {}
    for fmt in ("text", "json", "github", "sarif", "html"):
        r = cli("check", SEED_001, "--archive", url, "--format", fmt, "--no-progress", "--no-color", cwd=work)
        assert r.returncode == 1, (fmt, r.stderr)
        out[fmt] = r.stdout
    for fmt, text in out.items():
        assert "published/roads.md" in text, fmt
        assert "二七区三轴项目建设" in text, fmt
        assert "2024-05-20" in text, fmt
        assert f"roads.md:{line}" in text or f'"startLine": {line}' in text or f'"line":{line}' in text, fmt
    data = json.loads(out["json"])
    disc = [c for c in data["checks"] if c["status"] == "discrepancy"]
    assert len(disc) == 1
    assert disc[0]["details"]["archived"] == {"path": "published/roads.md", "title": "二七区三轴项目建设",
                                               "date": "2024-05-20", "source": "郑州日报", "line": line, "column": 1}
    assert [c["path"] for c in disc[0]["claims"]] == [SEED_001, "published/roads.md"]
    assert data["configuration"]["archive"] == url
    sarif = json.loads(out["sarif"])
    rel = sarif["runs"][0]["results"][0]["relatedLocations"][0]
    assert rel["physicalLocation"]["region"]["startLine"] == line
    assert "二七区三轴项目建设" in rel["message"]["text"]


def test_the_archived_file_is_not_read_again(work, archive_url):
    cli("index", "seeds/", "--archive", archive_url, "--no-progress", cwd=work)
    (work / SEED_003).unlink()  # gone (or changed): the archive still holds what was published
    r = cli("check", SEED_001, "--archive", archive_url, "--no-progress", cwd=work)
    assert r.returncode == 1, r.stderr
    assert "为1208亿元，相差144亿元" in r.stdout
    assert " 101 | 1208亿元的产业项目97个。" in r.stdout  # the archived line, from the archive


def test_a_long_archived_line_is_framed_around_its_figure(work, archive_url):
    cli("index", SEED_001, "--archive", archive_url, cwd=work)  # its line 33 is a whole paragraph
    r = cli("check", SEED_003, "--archive", archive_url, "--no-color", cwd=work)
    assert r.returncode == 1
    # worded as one run over both words it (the smaller path first), reported at the checked article
    assert f"{SEED_003}:101:1: 错误 FC801 " in r.stdout
    assert f"{SEED_001}为1352亿元，{SEED_003}为1208亿元，相差144亿元" in r.stdout
    frame = r.stdout[r.stdout.index(f"--> {SEED_001}:33:165"):]
    # the window one run over both shows (the terminal report cuts a long line to its width)
    assert "  33 | …色商业发展轴，有效运作产业项目97个、总投资1352亿元，加快构建“北研发—南转化”的重点项目产业带…" in frame
    assert "^^^^^^^^" in frame.split("\n")[2]


def test_incremental_index(work, archive_url):
    assert cli("index", "seeds/", "--archive", archive_url, cwd=work).returncode == 0
    r = cli("index", "seeds/", "--archive", archive_url, cwd=work)
    assert "0 articles indexed (0 claims, 0 facts), 5 unchanged" in r.stdout
    p = work / SEED_003
    p.write_text(p.read_text(encoding="utf-8").replace("1208亿元", "1352亿元"), encoding="utf-8")
    r = cli("index", "seeds/", "--archive", archive_url, cwd=work)
    assert re.search(r"1 article indexed \(31 claims, \d+ facts\), 4 unchanged; the archive holds 5 articles", r.stdout)
    r = cli("check", SEED_001, "--archive", archive_url, cwd=work)
    assert r.returncode == 0, r.stdout  # 003 was replaced: it now agrees
    assert "相差144亿元" not in r.stdout


def test_prune_removes_articles_whose_files_are_gone(work, archive_url):
    other = work / "other"
    other.mkdir()
    shutil.copy(work / SEED_003, other / "copy.txt")
    cli("index", "seeds/", "other/", "--archive", archive_url, cwd=work)
    (work / SEED_003).unlink()
    (other / "copy.txt").unlink()
    r = cli("index", "seeds/", "--archive", archive_url, cwd=work)  # without --prune: kept
    assert "the archive holds 6 articles" in r.stdout
    r = cli("index", "seeds/", "--archive", archive_url, "--prune", cwd=work)
    assert "4 unchanged, 1 removed; the archive holds 5 articles" in r.stdout  # other/ was not asked about
    show = cli("archive", "show", SEED_003, "--archive", archive_url, cwd=work)
    assert show.returncode == 2 and "not in the archive" in show.stderr
    assert cli("archive", "show", "other/copy.txt", "--archive", archive_url, cwd=work).returncode == 0


def test_stats_search_show(work, archive_url):
    cli("index", "seeds/", "--archive", archive_url, cwd=work)
    s = json.loads(cli("archive", "stats", "--archive", archive_url, "--format", "json", cwd=work).stdout)
    assert (s["articles"], s["claims"], s["backend"]) == (5, 208, archive_url.split(":")[0] if "://" in archive_url
                                                          else "sqlite")
    assert 0 < s["fact_groups"] <= s["facts"] < s["claims"] and s["bytes"] > 0
    assert s["places"] == [{"place": "二七区", "articles": 5}]
    assert "articles        5" in cli("archive", "stats", "--archive", archive_url, cwd=work).stdout

    r = cli("archive", "search", "产业项目", "--place", "二七区", "--unit", "亿元", "--archive", archive_url,
            "--format", "json", cwd=work)
    rows = json.loads(r.stdout)["results"]
    figures = {(x["path"], x["text"].replace("\n", "")) for x in rows}
    assert (SEED_001, "1352亿元") in figures and (SEED_003, "1208亿元") in figures
    assert all(x["unit"] == "亿元" and x["place"] == "二七区" for x in rows)
    high = json.loads(cli("archive", "search", "产业项目", "--min", "1300亿元", "--max", "2000亿元", "--archive",
                          archive_url, "--format", "json", cwd=work).stdout)["results"]
    assert {x["text"] for x in high} >= {"1352亿元"} and "1208亿元" not in {x["text"] for x in high}
    assert all(1300e8 <= float(x["value"]) * 1e8 <= 2000e8 for x in high if x["unit"] == "亿元")
    none = json.loads(cli("archive", "search", "产业项目", "--period", "1999", "--archive", archive_url,
                          "--format", "json", cwd=work).stdout)
    assert none == {"results": [], "truncated": False}
    table = cli("archive", "search", "产业项目", "--unit", "亿元", "--archive", archive_url, cwd=work).stdout
    assert f"{SEED_003}:101:1" in table and "1208亿元" in table

    shown = json.loads(cli("archive", "show", SEED_003, "--archive", archive_url, "--format", "json", cwd=work).stdout)
    assert shown["path"] == SEED_003 and shown["n_claims"] == len(shown["claims"]) == 31
    assert shown["place"] == "二七区" and shown["title"]
    assert any(c["text"] == "1208亿元" and c["line"] == 101 and c["fact"] for c in shown["claims"])


def test_search_words_are_data_not_sql(work, archive_url):
    cli("index", "seeds/", "--archive", archive_url, cwd=work)
    for words in (["'; DROP TABLE factcheck_articles; --"], ["%"], ["_"], ["\\"], ["产业项目' OR '1'='1"]):
        r = cli("archive", "search", *words, "--archive", archive_url, "--format", "json", cwd=work)
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["results"] == [], words  # % and _ are characters, not wildcards
    assert json.loads(cli("archive", "stats", "--archive", archive_url, "--format", "json", cwd=work).stdout)[
        "articles"] == 5


def test_archive_from_configuration(work):
    (work / "factcheck.toml").write_text('archive = "store/claims.sqlite"\n', encoding="utf-8")
    (work / "store").mkdir()
    r = cli("index", "seeds/", "--no-progress", cwd=work)
    assert r.returncode == 0, r.stderr
    assert (work / "store" / "claims.sqlite").exists()
    sub = work / "seeds"
    r = cli("check", "001_5eba1bd811c369dd.txt", cwd=sub)  # the configuration is found upward; its path is its own
    assert r.returncode == 1 and "为1208亿元，相差144亿元" in r.stdout, r.stdout + r.stderr
    r = cli("check", "001_5eba1bd811c369dd.txt", "--no-archive", cwd=sub)
    assert r.returncode == 0, r.stdout


@pytest.mark.parametrize("value", ["3", '""', "[\"a.sqlite\"]"])
def test_a_bad_archive_key_names_file_and_key(work, value):
    (work / "factcheck.toml").write_text(f"archive = {value}\n", encoding="utf-8")
    r = cli("check", SEED_001, cwd=work)
    assert r.returncode == 2 and "factcheck.toml: archive: must be an SQLite file path or a postgresql:// URL" in r.stderr


def test_bad_archive_arguments_exit_2(work, tmp_path):
    missing = tmp_path / "nowhere.sqlite"
    r = cli("check", SEED_001, "--archive", missing, cwd=work)
    assert r.returncode == 2 and f"{missing}: no archive there" in r.stderr
    assert not missing.exists()  # a check never creates an archive
    for args, why in ((["index", "seeds/", "--archive", "mysql://u@h/db"], "unsupported archive URL"),
                      (["index", "seeds/", "--archive", tmp_path / "no-folder" / "a.sqlite"], "no folder"),
                      (["archive", "stats", "--archive", tmp_path], "is a folder"),
                      (["index", "-", "--archive", tmp_path / "a.sqlite"], "standard input cannot be indexed")):
        r = cli(*args, cwd=work)
        assert r.returncode == 2 and why in r.stderr, (args, r.stderr)
        assert "Traceback" not in r.stderr
    bad = cli("archive", "search", "x", "--min", "12 parsecs", "--archive", tmp_path / "a.sqlite", cwd=work)
    assert bad.returncode == 2 and "--min" in bad.stderr


def test_suppressions_apply_to_archive_conflicts(work, tmp_path):
    url = str(tmp_path / "a.sqlite")
    cli("index", "seeds/", "--archive", url, cwd=work)
    (work / "factcheck.toml").write_text('[per-file-ignores]\n"seeds/001_*" = ["FC801"]\n', encoding="utf-8")
    r = cli("check", SEED_001, "--archive", url, cwd=work)
    assert r.returncode == 0 and "1 处已忽略" in r.stdout, r.stdout
    (work / "factcheck.toml").unlink()
    base = tmp_path / "baseline.json"
    assert cli("check", SEED_001, "--archive", url, "--write-baseline", base, cwd=work).returncode == 1
    r = cli("check", SEED_001, "--archive", url, "--baseline", base, cwd=work)
    assert r.returncode == 0 and "1 处已忽略" in r.stdout


def test_inline_ignore_in_an_archived_article(work, tmp_path):
    body = (work / SEED_003).read_text(encoding="utf-8").replace(
        "\n\n路径更清。", "\n\n<!-- factcheck: ignore FC801 -->\n路径更清。")  # the paragraph of 1208亿元
    (work / "old.md").write_text(body, encoding="utf-8")
    url = str(tmp_path / "a.sqlite")
    cli("index", "old.md", "--archive", url, cwd=work)
    r = cli("check", SEED_001, "--archive", url, cwd=work)
    assert r.returncode == 0 and "1 处已忽略" in r.stdout, r.stdout


def test_stale_archive_rows_are_reindexed_and_warned_about(work, tmp_path):
    import sqlite3

    url = str(tmp_path / "a.sqlite")
    cli("index", "seeds/", "--archive", url, cwd=work)
    con = sqlite3.connect(url)
    with con:
        con.execute("UPDATE factcheck_articles SET extractor = 'older' WHERE path = ?", (SEED_003,))
    con.close()
    r = cli("check", SEED_001, "--archive", url, cwd=work)
    assert "1 archived article was indexed by another version of factcheck" in r.stderr
    r = cli("index", "seeds/", "--archive", url, cwd=work)
    assert "1 article indexed" in r.stdout and "4 unchanged" in r.stdout
    assert "another version" not in cli("check", SEED_001, "--archive", url, cwd=work).stderr


def test_html_report_escapes_archived_titles(work, tmp_path):
    body = (work / SEED_003).read_text(encoding="utf-8")
    (work / "evil.md").write_text('---\ntitle: "<script>alert(1)</script>"\ndate: 2024-01-01\n---\n' + body,
                                  encoding="utf-8")
    url = str(tmp_path / "a.sqlite")
    cli("index", "evil.md", "--archive", url, cwd=work)
    html = cli("check", SEED_001, "--archive", url, "--format", "html", cwd=work).stdout
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_show_and_search_on_an_empty_archive(work, tmp_path, fmt):
    url = str(tmp_path / "a.sqlite")
    (work / "empty").mkdir()
    assert cli("index", "empty", "--archive", url, cwd=work).returncode == 0
    r = cli("archive", "search", "项目", "--archive", url, "--format", fmt, cwd=work)
    assert r.returncode == 0
    assert ("no archived figure matches" in r.stdout) if fmt == "table" else json.loads(r.stdout)["results"] == []

