"""The CI gate: exit codes, --fail-on, --output, configuration files, baselines, inline suppression,
GitHub annotations, the pre-commit hook, and stdout that stays pure JSON.

Every run is in-process (click's CliRunner) on small articles written here, so the tests do not depend
on the seeds' findings, which change as the rules improve.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from factcheck.cli import main

ROOT = Path(__file__).resolve().parent.parent
# a breakdown that does not add up (FC101, an error) and one that does
BAD = "全区共有重大产业项目69个。其中，沿嵩山路项目22个，沿大学路项目29个，沿京广路项目19个。\n"
GOOD = BAD.replace("69个", "70个")
# the same fact with two values in two articles, period unknown (FC801, a warning)
CONFLICT_A = "二七区2024年工作回顾\n\n二七区有效运作产业项目97个、总投资1352亿元，加快构建重点项目产业带。\n"
CONFLICT_B = "二七区项目建设\n\n围绕“三轴”谋划推进总投资\n1208亿元的产业项目97个。\n"


def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # click < 8.2
    except TypeError:
        return CliRunner()


def fc(*args):
    """Run `factcheck ARGS` in-process (without a progress bar unless --progress is given)."""
    extra = [] if "--progress" in args else ["--no-progress"]
    return runner().invoke(main, [*args, *extra])


@pytest.fixture()
def work(tmp_path, monkeypatch):
    """A folder of articles as the working folder: bad.txt, good.txt, a.txt + b.txt (a conflict)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    (tmp_path / "bad.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "a.txt").write_text(CONFLICT_A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(CONFLICT_B, encoding="utf-8")
    return tmp_path


def summary(result) -> dict:
    return json.loads(result.stdout)["summary"]


# --- exit codes -------------------------------------------------------------------------------------

def test_exit_0_when_clean(work):
    r = fc("good.txt")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert "0 处不符" in r.stdout  # Chinese by default
    r = fc("good.txt", "--lang", "en")
    assert r.exit_code == 0 and "0 discrepancies" in r.stdout


def test_exit_1_on_an_error(work):
    r = fc("bad.txt")
    assert r.exit_code == 1
    assert "FC101" in r.stdout


@pytest.mark.parametrize("fail_on, expected", [("error", 0), ("warning", 1), ("never", 0)])
def test_fail_on_with_a_warning_only(work, fail_on, expected):
    r = fc("a.txt", "b.txt", "--fail-on", fail_on, "--format", "json")
    assert summary(r)["discrepancies"]["warning"] >= 1 and summary(r)["discrepancies"]["error"] == 0
    assert r.exit_code == expected


@pytest.mark.parametrize("fail_on, expected", [("error", 1), ("warning", 1), ("never", 0)])
def test_fail_on_with_an_error(work, fail_on, expected):
    assert fc("bad.txt", "--fail-on", fail_on).exit_code == expected


def test_default_fail_on_is_error(work):
    assert fc("a.txt", "b.txt").exit_code == 0


@pytest.mark.parametrize("args", [
    [],  # no input
    ["bad.txt", "--format", "xml"],
    ["bad.txt", "--fail-on", "fatal"],
    ["bad.txt", "--lang", "fr"],
    ["bad.txt", "--date", "2024-13-01"],
    ["bad.txt", "--date", "今年"],
    ["bad.txt", "--format", "json", "--statistics"],
    ["bad.txt", "--no-such-option"],
    ["bad.txt", "--approx-tolerance", "2"],
    ["bad.txt", "--approx-tolerance", "abc"],
    ["bad.txt", "--select", "FC999"],
    ["bad.txt", "--ignore", "no-such-rule"],
    ["bad.txt", "--jobs", "-1"],
])
def test_usage_errors_exit_2(work, args):
    r = runner().invoke(main, args)
    assert r.exit_code == 2, (args, r.stdout, r.stderr)
    assert r.stdout == "" or "Usage" not in r.stdout


def test_unknown_selector_is_named(work):
    r = fc("bad.txt", "--select", "FC1,FC999")
    assert r.exit_code == 2
    assert "--select" in r.stderr and "FC999" in r.stderr


def test_select_and_ignore_take_effect(work):
    assert fc("bad.txt", "--ignore", "FC101").exit_code == 0
    assert fc("bad.txt", "--ignore", "breakdown-sum").exit_code == 0
    assert fc("bad.txt", "--select", "fc1").exit_code == 1  # ids are case-insensitive
    assert fc("bad.txt", "--select", "FC8").exit_code == 0


def test_input_errors_exit_2_even_with_findings(work):
    (work / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    for args in (["missing.txt"], ["bad.txt", "missing.txt"], ["bin.txt"], ["bad.txt", "bin.txt", "--fail-on", "never"]):
        r = fc(*args)
        assert r.exit_code == 2, args
    r = fc("bad.txt", "missing.txt", "--format", "json")
    assert "missing.txt" in r.stderr
    assert json.loads(r.stdout)["errors"][0]["path"] == "missing.txt"


def test_rule_error_exits_2_and_names_the_file(work):
    rules = work / "myrules"
    rules.mkdir()
    (rules / "FC901.yaml").write_text("id: FC901\nname: broken\nkind: nonsense\n", encoding="utf-8")
    r = fc("bad.txt", "--rules", str(rules))
    assert r.exit_code == 2
    assert "FC901.yaml" in r.stderr


# --- --output -------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "html"])
def test_output_file_keeps_the_exit_code(work, fmt):
    out = work / f"report.{fmt}"
    r = fc("bad.txt", "--format", fmt, "--output", str(out))
    assert r.exit_code == 1
    assert r.stdout == ""
    body = out.read_text(encoding="utf-8")
    assert "FC101" in body
    if fmt in ("json", "sarif"):
        json.loads(body)
    assert (out.stat().st_mode & 0o777) != 0o600  # not the temporary file's private mode
    assert fc("good.txt", "--format", fmt, "-o", str(out)).exit_code == 0


def test_output_to_a_missing_folder_exits_2(work):
    r = fc("bad.txt", "--output", str(work / "no" / "such" / "dir" / "r.json"), "--format", "json")
    assert r.exit_code == 2


# --- stdout is pure JSON ----------------------------------------------------------------------------

def test_json_stdout_is_pure_even_with_progress_and_warnings(work):
    (work / "bin.txt").write_bytes(b"\x00binary")
    r = fc("bad.txt", "a.txt", "b.txt", "bin.txt", "--format", "json", "--progress")
    assert r.exit_code == 2
    data = json.loads(r.stdout)  # raises on any stray byte
    assert data["summary"]["discrepancies"]["error"] >= 1
    assert "factcheck" in r.stderr and "files" in r.stderr  # the progress bar went to stderr
    assert "bin.txt" in r.stderr  # and so did the warning about the unreadable file
    assert r.stdout.startswith("{") and r.stdout.endswith("}\n")


@pytest.mark.parametrize("fmt", ["sarif", "github"])
def test_machine_formats_on_stdout_have_no_progress(work, fmt):
    r = fc("bad.txt", "--format", fmt, "--progress")
    assert "factcheck [" in r.stderr  # the bar was drawn, on stderr
    assert "factcheck [" not in r.stdout and "\r" not in r.stdout
    if fmt == "sarif":
        json.loads(r.stdout)
    else:
        assert all(x.startswith(("::", "factcheck: ")) for x in r.stdout.splitlines())


def test_no_progress_by_default_when_not_a_terminal(work):
    r = runner().invoke(main, ["bad.txt", "a.txt", "b.txt", "--format", "json"])  # stderr is not a terminal
    assert r.exit_code == 1
    assert r.stderr == ""


# --- configuration ----------------------------------------------------------------------------------

def test_pyproject_config_is_found_upward(work):
    (work / "pyproject.toml").write_text('[tool.factcheck]\nfail-on = "warning"\n', encoding="utf-8")
    sub = work / "articles" / "2024"
    sub.mkdir(parents=True)
    for name in ("a.txt", "b.txt"):
        (sub / name).write_text((work / name).read_text(encoding="utf-8"), encoding="utf-8")
    r = fc("articles/", "--format", "json")
    assert r.exit_code == 1  # the warning fails the run through the configuration
    cfg = json.loads(r.stdout)["configuration"]
    assert cfg["fail_on"] == "warning" and cfg["config_file"] == "pyproject.toml"
    assert fc("articles/", "--fail-on", "error").exit_code == 0  # the command line wins


def test_factcheck_toml_select_ignore_tolerance_and_rules(work):
    rules = work / "extra"
    rules.mkdir()
    (work / "factcheck.toml").write_text('ignore = ["FC101"]\napprox-tolerance = 0.1\nrules = ["extra"]\n',
                                         encoding="utf-8")
    r = fc("bad.txt", "--format", "json")
    assert r.exit_code == 0
    cfg = json.loads(r.stdout)["configuration"]
    assert cfg["ignore"] == ["FC101"] and "FC101" not in cfg["rules"]
    assert cfg["approx_tolerance"] == "0.1"
    assert cfg["rule_dirs"] == [str(rules.resolve())]
    (work / "factcheck.toml").write_text('select = ["FC1"]\n', encoding="utf-8")
    assert fc("bad.txt").exit_code == 1


def test_config_extra_rule_folder_is_loaded(work):
    house = work / "house"
    house.mkdir()
    text = (ROOT / "rules" / "FC101.yaml").read_text(encoding="utf-8")
    text = text.replace("id: FC101", "id: FC901").replace("name: breakdown-sum", "name: house-breakdown")
    (house / "FC901.yaml").write_text(text, encoding="utf-8")
    (work / "factcheck.toml").write_text('rules = ["house"]\nselect = ["FC901"]\n', encoding="utf-8")
    r = fc("bad.txt")
    assert r.exit_code == 1
    assert "bad.txt:1:11: 错误 FC901 分项之和与合计不符" in r.stdout
    assert "bad.txt:1:11: error FC901 [house-breakdown]" in fc("bad.txt", "--lang", "en").stdout


def test_per_file_ignores(work):
    (work / "archive").mkdir()
    (work / "archive" / "old.txt").write_text(BAD, encoding="utf-8")
    (work / "factcheck.toml").write_text('[per-file-ignores]\n"archive/*" = ["FC101"]\n', encoding="utf-8")
    r = fc("archive/old.txt", "--format", "json")
    assert r.exit_code == 0 and summary(r)["suppressed"] == 1
    assert fc("bad.txt").exit_code == 1  # other files are still checked
    # the glob is relative to the configuration file, also when factcheck runs from another folder
    os.chdir(work / "archive")
    r = fc("old.txt", "--format", "json")
    assert r.exit_code == 0 and summary(r)["suppressed"] == 1


@pytest.mark.parametrize("body, key", [
    ('fail_on = "sometimes"\n', "fail_on"),
    ('fail-on = 1\n', "fail-on"),
    ('colour = true\n', "colour"),
    ('select = "FC1"\nignore = [1]\n', "ignore"),
    ('approx-tolerance = true\n', "approx-tolerance"),
    ('approx-tolerance = 1.5\n', "approx-tolerance"),
    ('approx-tolerance = "lots"\n', "approx-tolerance"),
    ('rules = ["no-such-folder"]\n', "rules"),
    ('per-file-ignores = ["x"]\n', "per-file-ignores"),
    ('[per-file-ignores]\n"*.md" = [3]\n', "per-file-ignores"),
    ('[per-file-ignores]\n"*.txt" = ["FC999"]\n', "per-file-ignores"),
    ('select = ["FC999"]\n', "select"),
    ('fail-on = "error"\nfail_on = "warning"\n', "fail_on"),
])
def test_bad_config_names_file_and_key(work, body, key):
    (work / "factcheck.toml").write_text(body, encoding="utf-8")
    r = fc("bad.txt")
    assert r.exit_code == 2, r.stdout
    assert "factcheck.toml" in r.stderr and key in r.stderr, r.stderr


def test_bad_key_in_pyproject_is_prefixed(work):
    (work / "pyproject.toml").write_text('[tool.factcheck]\nfial-on = "error"\n', encoding="utf-8")
    r = fc("bad.txt")
    assert r.exit_code == 2
    assert "pyproject.toml: tool.factcheck.fial-on: unknown key" in r.stderr


def test_invalid_toml_and_missing_explicit_config(work):
    (work / "factcheck.toml").write_text("select = [\n", encoding="utf-8")
    r = fc("bad.txt")
    assert r.exit_code == 2 and "factcheck.toml" in r.stderr and "invalid TOML" in r.stderr
    r = fc("bad.txt", "--config", str(work / "nope.toml"))
    assert r.exit_code == 2 and "nope.toml" in r.stderr


def test_nearest_config_wins_and_factcheck_toml_before_pyproject(work):
    from factcheck.config import find_config

    sub = work / "a" / "b"
    sub.mkdir(parents=True)
    (work / "factcheck.toml").write_text('fail-on = "never"\n', encoding="utf-8")
    (work / "a" / "pyproject.toml").write_text('[tool.factcheck]\nfail-on = "warning"\n', encoding="utf-8")
    assert find_config(sub) == (work / "a" / "pyproject.toml").resolve()
    (work / "a" / "factcheck.toml").write_text('fail-on = "error"\n', encoding="utf-8")
    assert find_config(sub) == (work / "a" / "factcheck.toml").resolve()
    (sub / "bad.txt").write_text(BAD, encoding="utf-8")
    assert fc(str(sub / "bad.txt")).exit_code == 1
    assert fc(str(sub / "bad.txt"), "--config", str(work / "factcheck.toml")).exit_code == 0


def test_pyproject_without_section_is_skipped(work):
    (work / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    r = fc("bad.txt", "--format", "json")
    assert r.exit_code == 1
    assert json.loads(r.stdout)["configuration"]["config_file"] is None


# --- baselines -------------------------------------------------------------------------------------

ARTICLE = (
    "# 全区项目建设情况\n\n"
    "今年以来，全区坚持项目为王，持续优化营商环境。\n\n"
    + BAD +
    "\n下一步，全区将继续推进重点项目建设。\n"
)


def test_baseline_accepts_current_findings_and_survives_unrelated_edits(work):
    art = work / "news.md"
    art.write_text(ARTICLE, encoding="utf-8")
    r = fc("news.md", "--write-baseline", "baseline.json")
    assert r.exit_code == 1  # writing a baseline still reports and gates on what it found
    data = json.loads((work / "baseline.json").read_text(encoding="utf-8"))
    assert [f["rule"] for f in data["findings"]] == ["FC101"]
    r = fc("news.md", "--baseline", "baseline.json", "--format", "json")
    assert r.exit_code == 0 and summary(r)["suppressed"] == 1
    # an edit elsewhere in the article: new paragraphs above, an unrelated sentence changed
    edited = ARTICLE.replace("今年以来，全区坚持项目为王，持续优化营商环境。",
                             "据悉，全区上半年新开工项目38个。\n\n今年以来，全区坚持项目为王，营商环境持续向好。\n\n另据统计，"
                             "全区新增市场主体1200户。")
    edited = edited.replace("下一步，全区将继续推进重点项目建设。", "下一步，全区将继续推进重点项目建设，确保全年目标完成。")
    art.write_text(edited, encoding="utf-8")
    r = fc("news.md", "--baseline", "baseline.json", "--format", "json")
    assert r.exit_code == 0, r.stdout
    assert summary(r)["suppressed"] == 1
    # the same finding but the article is now checked from another folder: still matched
    (work / "sub").mkdir()
    os.chdir(work / "sub")
    assert fc("../news.md", "--baseline", "../baseline.json").exit_code == 0
    os.chdir(work)
    # changing a figure of the finding makes it a new one
    art.write_text(edited.replace("19个", "17个"), encoding="utf-8")  # 22 + 29 + 17 = 68 ≠ 69
    r = fc("news.md", "--baseline", "baseline.json", "--format", "json")
    assert r.exit_code == 1 and summary(r)["suppressed"] == 0


def test_baseline_counts_repeated_findings(work):
    (work / "news.md").write_text(BAD, encoding="utf-8")
    assert fc("news.md", "--write-baseline", "b.json").exit_code == 1
    (work / "news.md").write_text(BAD + "\n" + BAD, encoding="utf-8")  # the same slip pasted twice
    r = fc("news.md", "--baseline", "b.json", "--format", "json")
    assert r.exit_code == 1
    assert summary(r)["suppressed"] == 1 and summary(r)["discrepancies"]["error"] == 1


def test_rewriting_a_baseline_keeps_accepted_findings(work):
    (work / "news.md").write_text(BAD, encoding="utf-8")
    fc("news.md", "--write-baseline", "b.json")
    fc("news.md", "--baseline", "b.json", "--write-baseline", "b2.json")
    assert json.loads((work / "b2.json").read_text())["findings"] == json.loads((work / "b.json").read_text())["findings"]


@pytest.mark.parametrize("content", [None, "not json", '{"findings": 3}', '{"factcheck_baseline": 99, "findings": []}',
                                     '{"factcheck_baseline": 1, "findings": [{"rule": "FC101"}]}'])
def test_bad_baseline_exits_2(work, content):
    if content is not None:
        (work / "b.json").write_text(content, encoding="utf-8")
    r = fc("bad.txt", "--baseline", "b.json")
    assert r.exit_code == 2
    assert "b.json" in r.stderr


def test_unwritable_baseline_exits_2(work):
    r = fc("bad.txt", "--write-baseline", str(work / "no" / "such" / "b.json"))
    assert r.exit_code == 2 and "b.json" in r.stderr


# --- inline suppression -----------------------------------------------------------------------------

def test_inline_ignore_comment_suppresses_the_next_paragraph_only(work):
    md = "# 标题\n\n<!-- factcheck: ignore FC101 -->\n" + BAD + "\n另有说明。\n"
    (work / "a.md").write_text(md, encoding="utf-8")
    r = fc("a.md", "--format", "json")
    assert r.exit_code == 0 and summary(r)["suppressed"] == 1
    # another rule named: not suppressed
    (work / "a.md").write_text(md.replace("FC101", "FC801"), encoding="utf-8")
    assert fc("a.md").exit_code == 1
    # no rule named: every rule; a blank line between comment and paragraph is allowed
    (work / "a.md").write_text("<!-- factcheck: ignore -->\n\n" + BAD, encoding="utf-8")
    assert fc("a.md").exit_code == 0
    # rule names and prefixes work too
    (work / "a.md").write_text("<!-- factcheck: ignore breakdown-sum -->\n" + BAD, encoding="utf-8")
    assert fc("a.md").exit_code == 0
    # only the next paragraph: the same slip in a later paragraph is still reported
    (work / "a.md").write_text("<!-- factcheck: ignore FC1 -->\n" + BAD + "\n" + BAD, encoding="utf-8")
    r = fc("a.md", "--format", "json")
    assert r.exit_code == 1 and summary(r)["suppressed"] == 1 and summary(r)["discrepancies"]["error"] == 1


def test_inline_ignore_covers_a_hard_wrapped_paragraph(work):
    wrapped = ("全区共有重大产业项目69个。其中，沿嵩山路项目\n22个，沿大学路项目29个，沿京广路项目\n\n19个。\n")
    (work / "w.md").write_text("<!-- factcheck: ignore FC101 -->\n" + wrapped, encoding="utf-8")
    r = fc("w.md", "--format", "json")
    assert r.exit_code == 0 and summary(r)["suppressed"] == 1


def test_inline_comment_in_plain_text_is_not_a_suppression(work):
    (work / "a.txt").write_text("<!-- factcheck: ignore FC101 -->\n" + BAD, encoding="utf-8")
    assert fc("a.txt").exit_code == 1


# --- GitHub annotations ------------------------------------------------------------------------------

def test_github_annotations(work):
    r = fc("bad.txt", "a.txt", "b.txt", "--format", "github")
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    err = next(x for x in lines if x.startswith("::error "))
    assert err.startswith("::error file=bad.txt,line=1,col=11,endLine=1,endColumn=14,title=FC101 breakdown-sum::")
    msg = err.split("::", 2)[2]
    assert "22 + 29 + 19 = 70个，文中合计为69个，相差1个" in msg and "\n" not in msg and "%0A" in msg
    warns = [x for x in lines if x.startswith("::warning ")]
    # a cross-article conflict is annotated on both articles, each naming the figure in the other
    assert [w.split(",", 1)[0] for w in warns] == ["::warning file=a.txt", "::warning file=b.txt"]
    warn = warns[0]
    assert "title=FC801 cross-article-conflict" in warn and "b.txt%3A4%3A1" not in warn  # message, not property
    assert "b.txt:4:1" in warn
    assert "a.txt:" in warns[1] and "line=4" in warns[1]
    # one finding, counted once in the summary, with correct plurals in English
    en = fc("bad.txt", "a.txt", "b.txt", "--format", "github", "--lang", "en").stdout.splitlines()[-1]
    assert en == ("factcheck: 3 files, 8 claims, 3 checks, 2 discrepancies (1 error, 1 warning, 0 info), "
                  "0 unverifiable, 1 ok"), en


def test_github_escaping():
    from factcheck.report.github import command, escape_data, escape_property

    assert escape_data("50%\r\nnext") == "50%25%0D%0Anext"
    assert escape_data("a: b, c") == "a: b, c"
    assert escape_property("dir:x,y%\n") == "dir%3Ax%2Cy%25%0A"
    assert command("error", "a\nb", file="x,y:z.md", line=3, col=None) == "::error file=x%2Cy%3Az.md,line=3::a%0Ab"


def test_github_annotation_for_a_figure_spanning_lines(work):
    split = "全区共有重大项目69个，总投资\n1010亿元。其中，嵩山路项目22个，总投资311.2亿\n\n元；大学路项目29个，总投资300亿元；京广路项目19个，总投资388.8亿元。\n"
    (work / "s.txt").write_text(split, encoding="utf-8")
    r = fc("s.txt", "--format", "github", "--select", "FC101")
    assert "311.2亿元，位于 2:" in r.stdout  # the figure read across the blank line, without the line breaks
    r = fc("s.txt", "--format", "github", "--select", "FC101", "--lang", "en")
    assert "311.2亿元 at 2:" in r.stdout


# --- pre-commit --------------------------------------------------------------------------------------

def test_pre_commit_hook_definition(work):
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "factcheck")
    assert hook["language"] == "python" and hook["require_serial"] is True
    assert re.search(hook["files"], "articles/x.md") and re.search(hook["files"], "a.txt")
    assert not re.search(hook["files"], "setup.py")
    argv = shlex.split(hook["entry"])
    assert argv[0] == "factcheck"
    # the entry runs as pre-commit runs it: the entry's arguments, then the staged file names
    assert runner().invoke(main, argv[1:] + ["bad.txt"]).exit_code == 1
    assert runner().invoke(main, argv[1:] + ["good.txt"]).exit_code == 0
    assert re.search(hook["files"], "ARTICLES/X.MARKDOWN") and re.search(hook["files"], "B.TXT")  # any case


# --- gate semantics (issue 15) ------------------------------------------------------------------------

def _info_rule(work) -> None:
    """FC101 as a house rule FC901 of severity info."""
    house = work / "house"
    house.mkdir(exist_ok=True)
    text = (ROOT / "rules" / "FC101.yaml").read_text(encoding="utf-8")
    text = text.replace("id: FC101", "id: FC901").replace("name: breakdown-sum", "name: house-note") \
        .replace("severity: error", "severity: info")
    (house / "FC901.yaml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("fail_on, expected", [(None, 0), ("error", 0), ("warning", 0), ("info", 1), ("never", 0)])
def test_fail_on_info(work, fail_on, expected):
    _info_rule(work)
    args = ["bad.txt", "--rules", "house", "--select", "FC901", "--format", "json"]
    r = fc(*args, *(["--fail-on", fail_on] if fail_on else []))
    assert summary(r)["discrepancies"] == {"error": 0, "warning": 0, "info": 1}
    assert r.exit_code == expected


def test_fail_on_info_in_the_configuration(work):
    _info_rule(work)
    (work / "factcheck.toml").write_text('fail-on = "info"\nrules = ["house"]\nselect = ["FC901"]\n', encoding="utf-8")
    assert fc("bad.txt").exit_code == 1
    assert fc("good.txt").exit_code == 0


def test_folders_read_md_markdown_and_txt_in_any_letter_case(work):
    folder = work / "articles"
    folder.mkdir()
    for name in ("a.markdown", "B.MARKDOWN", "c.TXT", "d.Md", "e.md", "f.txt"):
        (folder / name).write_text(BAD, encoding="utf-8")
    (folder / "notes.doc").write_text(BAD, encoding="utf-8")
    (folder / "g.mdx").write_text(BAD, encoding="utf-8")
    r = fc("articles", "--format", "json")
    files = [f["path"] for f in json.loads(r.stdout)["files"]]
    assert sorted(Path(f).name for f in files) == ["B.MARKDOWN", "a.markdown", "c.TXT", "d.Md", "e.md", "f.txt"]
    assert r.exit_code == 1
    only = work / "only"
    only.mkdir()
    (only / "draft.markdown").write_text(BAD, encoding="utf-8")
    r = fc("only", "--format", "json")
    assert r.exit_code == 1 and summary(r)["files"] == 1  # a folder of .markdown files alone is checked
    # an include glob matches in any letter case too
    assert summary(fc("articles", "--include", "*.md", "--format", "json"))["files"] == 2


# --- suppressed findings are listed, with their reason (issue 15) -----------------------------------

def test_suppressed_findings_are_listed_with_their_reason(work):
    (work / "a.md").write_text("<!-- factcheck: ignore FC101 -->\n" + BAD, encoding="utf-8")
    (work / "c.txt").write_text(BAD.replace("全区", "全县"), encoding="utf-8")
    (work / "factcheck.toml").write_text('[per-file-ignores]\n"c.txt" = ["FC101"]\n', encoding="utf-8")
    assert fc("bad.txt", "--write-baseline", "base.json").exit_code == 1
    r = fc("a.md", "bad.txt", "c.txt", "--baseline", "base.json", "--format", "json")
    assert r.exit_code == 0, r.stdout + r.stderr
    data = json.loads(r.stdout)
    assert data["summary"]["suppressed"] == 3 and len(data["suppressed"]) == 3
    why = {s["claims"][0]["path"]: s["suppression"] for s in data["suppressed"]}
    assert why["a.md"] == {"kind": "inline", "reason": "a.md:1 的注释 <!-- factcheck: ignore FC101 -->"}
    assert why["c.txt"]["kind"] == "per-file-ignores" and "factcheck.toml" in why["c.txt"]["reason"] \
        and "c.txt" in why["c.txt"]["reason"]
    assert why["bad.txt"] == {"kind": "baseline", "reason": "已记入基线 base.json"}
    assert all(s["status"] == "discrepancy" and s["message"].startswith("分项之和") for s in data["suppressed"])
    assert not [c for c in data["checks"] if c["status"] == "discrepancy"]
    # the same in SARIF: results with suppressions
    sarif = json.loads(fc("a.md", "bad.txt", "c.txt", "--baseline", "base.json", "--format", "sarif").stdout)
    results = sarif["runs"][0]["results"]
    kinds = sorted((res["suppressions"][0]["kind"], res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
                   for res in results)
    assert kinds == [("external", "bad.txt"), ("external", "c.txt"), ("inSource", "a.md")]
    assert all(res["suppressions"][0]["status"] == "accepted" and res["suppressions"][0]["justification"]
               for res in results)
    # and in HTML: a folded section
    html = fc("a.md", "bad.txt", "c.txt", "--baseline", "base.json", "--format", "html").stdout
    section = html.split('<section id="suppressed">', 1)[1].split("</section>", 1)[0]
    assert section.lstrip().startswith("<details>") and "3 处已忽略的不符" in section
    assert "已忽略：已记入基线 base.json" in section and "a.md:1 的注释" in section
    # English
    en = json.loads(fc("bad.txt", "--baseline", "base.json", "--format", "json", "--lang", "en").stdout)
    assert en["suppressed"][0]["suppression"]["reason"] == "accepted in the baseline base.json"
