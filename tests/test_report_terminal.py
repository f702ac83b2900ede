"""The editor's terminal view: code frames whose underlines sit exactly under the figures (East Asian
width), figures split across lines, claims in other files, long lines, the summary, colour and --show-ok."""

from __future__ import annotations

import os
import re
import pty
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import main
from factcheck.report.model import CheckClaim, CheckOut, Report, Summary, Tool
from factcheck.report.terminal import render_text, width

BREAKDOWN = "全区共有重大产业项目69个。其中，沿嵩山路项目22个，沿大学路项目29个，沿京广路项目19个。\n"
ESC = "\x1b["


def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # click < 8.2
    except TypeError:
        return CliRunner()


def cols(s: str) -> int:
    """Independent reference: East Asian wide/full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def claim(path, line, column, text, role="part", start=0):
    return CheckClaim(path=path, start=start, end=start + len(text), line=line, column=column, text=text, value="1",
                      unit="个", modality="actual", subject="", role=role)


def report_of(*checks) -> Report:
    disc = {"error": 0, "warning": 0, "info": 0}
    for c in checks:
        if c.status == "discrepancy":
            disc[c.severity] += 1
    return Report(schema_version="2.0", tool=Tool(version="test"), configuration={}, files=[], claims=[],
                  checks=list(checks), errors=[],
                  summary=Summary(files=1, claims=4, checks=len(checks), ok=sum(c.status == "ok" for c in checks),
                                  discrepancies=disc, unverifiable=0, errors=0))


def check(*claims, rule="FC101", status="discrepancy", severity="error", message="22 + 29 + 19 = 70 ≠ 69个"):
    return CheckOut(rule=rule, name="breakdown-sum", kind="breakdown", severity=severity, status=status,
                    message=message, fingerprint="x", claims=list(claims))


def frame_pairs(text: str) -> dict[int, tuple[str, str]]:
    """{line number: (code line, underline line)} of the code frames in a rendering, gutters removed."""
    out = {}
    rows = text.split("\n")
    for i, row in enumerate(rows):
        head, sep, code = row.partition(" | ")
        if sep and head.strip().isdigit() and i + 1 < len(rows):
            under = rows[i + 1].partition(" | ")[2]
            out[int(head)] = (code, under)
    return out


def caret_runs(under: str) -> list[tuple[int, int]]:
    """(first column, width) of each run of ^ in an underline (0-based columns)."""
    runs, i = [], 0
    while i < len(under):
        if under[i] == "^":
            j = i
            while j < len(under) and under[j] == "^":
                j += 1
            runs.append((i, j - i))
            i = j
        else:
            i += 1
    return runs


def test_width_is_east_asian_aware():
    assert width("69个") == 4
    assert width("，") == 2  # full-width comma
    assert width("“") == 1  # ambiguous width counts as narrow, as terminals outside CJK locales draw it
    assert width("e\u0301") == 1  # a combining accent takes no column
    assert width("ａ１") == 4  # full-width Latin letter and digit


def test_underline_sits_under_each_figure_in_chinese_text():
    line = "全区共有重大产业项目69个。其中，沿嵩山路项目22个，“大学路”项目29个"
    figs = [("69个", "total"), ("22个", "part"), ("29个", "part")]
    claims = []
    for text, role in figs:
        col = line.index(text) + 1
        claims.append(claim("a.txt", 7, col, text, role))
    out = render_text(report_of(check(*claims)), {"a.txt": {7: line}})
    code, under = frame_pairs(out)[7]
    assert code == line
    expected = [(cols(line[:line.index(t)]), cols(t)) for t, _ in figs]
    assert caret_runs(under) == expected
    # and the same from the rendered line itself: the characters above each run are the figure
    for (start, w), (text, _) in zip(caret_runs(under), figs):
        prefix_chars = next(i for i in range(len(code) + 1) if cols(code[:i]) == start)
        assert code[prefix_chars:prefix_chars + len(text)] == text
        assert cols(text) == w


def test_figure_split_across_lines_is_underlined_on_each_line():
    lines = {1: "中，沿嵩山路项目 22个，总投资 311.2亿", 2: "", 3: "元，包含全球互联网家居品牌中心"}
    c = claim("s.txt", 1, lines[1].index("311.2亿") + 1, "311.2亿\n\n元", "part")
    out = render_text(report_of(check(c)), {"s.txt": lines})
    frames = frame_pairs(out)
    code1, under1 = frames[1]
    assert caret_runs(under1) == [(cols(lines[1][:lines[1].index("311.2亿")]), cols("311.2亿"))]
    assert caret_runs(frames[3][1]) == [(0, 2)]  # 元
    assert " 2 |" in out.split("\n")  # the blank line inside the figure is shown, not skipped


def test_claim_in_another_file_has_its_own_location():
    a = claim("seeds/a.txt", 33, 5, "1352亿元", "first")
    b = claim("seeds/b.txt", 101, 1, "1208亿元", "second")
    lines = {"seeds/a.txt": {33: "有效运作1352亿元。"}, "seeds/b.txt": {101: "1208亿元的产业项目97个。"}}
    out = render_text(report_of(check(a, b, rule="FC801", message="1352亿元 ≠ 1208亿元")), lines)
    assert "seeds/a.txt:33:5: 错误 FC801" in out
    assert "seeds/a.txt:33:5: error FC801" in render_text(report_of(check(a, b, rule="FC801")), lines, lang="en")
    assert "--> seeds/a.txt:33:5" in out
    assert "--> seeds/b.txt:101:1" in out
    rows = out.split("\n")
    i = next(k for k, r in enumerate(rows) if r.lstrip().startswith("101 | "))
    assert rows[i].endswith("| 1208亿元的产业项目97个。")
    assert caret_runs(rows[i + 1].partition(" | ")[2]) == [(0, cols("1208亿元"))]
    # the other file's header comes after the main file's lines
    assert out.index("--> seeds/a.txt") < out.index("--> seeds/b.txt")


def test_long_line_is_cut_around_the_figure_and_stays_aligned():
    line = "前" * 150 + "总投资1352亿元" + "后" * 150
    col = line.index("1352") + 1
    out = render_text(report_of(check(claim("l.txt", 3, col, "1352亿元"))), {"l.txt": {3: line}})
    code, under = frame_pairs(out)[3]
    assert code.startswith("…") and code.endswith("…")
    assert cols(code) < 120
    (start, w), = caret_runs(under)
    assert w == cols("1352亿元")
    prefix = next(i for i in range(len(code) + 1) if cols(code[:i]) == start)
    assert code[prefix:].startswith("1352亿元")


def test_tab_in_a_line_keeps_alignment():
    line = "\t项目\t22个"
    out = render_text(report_of(check(claim("t.txt", 1, line.index("22") + 1, "22个"))), {"t.txt": {1: line}})
    code, under = frame_pairs(out)[1]
    assert "\t" not in code
    (start, _), = caret_runs(under)
    assert start == cols(" 项目 ")


def write(tmp: Path, name: str, text: str) -> str:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_cli_text_on_real_articles(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "bad.txt", "标题\n\n" + BREAKDOWN)
    write(tmp_path, "a.txt", "二七区2024年工作回顾\n\n二七区有效运作产业项目97个、总投资1352亿元，加快构建重点项目产业带。\n")
    write(tmp_path, "b.txt", "二七区项目建设\n\n围绕“三轴”谋划推进总投资\n1208亿元的产业项目97个。\n")
    r = runner().invoke(main, ["bad.txt", "a.txt", "b.txt", "--no-progress"])
    out = r.stdout
    assert r.exit_code == 1, out
    assert ESC not in out  # not a terminal: no colour
    # grouped by file, compiler style, with the arithmetic
    assert "bad.txt\nbad.txt:3:11: 错误 FC101 分项之和与合计不符：22 + 29 + 19 = 70个，文中合计为69个，相差1个。" in out
    frames = frame_pairs(out)
    code, under = frames[3]
    assert code == BREAKDOWN.rstrip("\n")
    assert caret_runs(under) == [(cols(code[:code.index(t)]), cols(t)) for t in ("69个", "22个", "29个", "19个")]
    # the cross-article conflict shows the other file's path and line
    assert "--> b.txt:4:1" in out and "--> a.txt:3:" in out
    last = out.rstrip("\n").split("\n")[-1]
    assert last.startswith("3 个文件，") and "2 处不符（1 个错误，1 个警告，0 个提示）" in last
    assert "项无法核对" in last and "项核对" in last and "个数字" in last
    en = runner().invoke(main, ["bad.txt", "a.txt", "b.txt", "--no-progress", "--lang", "en"]).stdout
    assert "bad.txt\nbad.txt:3:11: error FC101 [breakdown-sum] The parts do not add up to the total: " in en
    last = en.rstrip("\n").split("\n")[-1]
    assert last.startswith("3 files, ") and "2 discrepancies (1 error, 1 warning, 0 info)" in last
    assert "unverifiable" in last and "checks" in last and "claims" in last


def test_show_ok_lists_passing_checks(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "good.txt", BREAKDOWN.replace("69个", "70个"))
    plain = runner().invoke(main, ["good.txt", "--no-progress"])
    shown = runner().invoke(main, ["good.txt", "--no-progress", "--show-ok"])
    assert plain.exit_code == shown.exit_code == 0
    assert " 无误 FC101" not in plain.stdout
    assert "good.txt:1:11: 无误 FC101 核对无误：22 + 29 + 19 = 70个 = 70个。" in shown.stdout
    assert "0 处不符" in shown.stdout and "1 项无误" in shown.stdout
    en = runner().invoke(main, ["good.txt", "--no-progress", "--show-ok", "--lang", "en"]).stdout
    assert "good.txt:1:11: ok FC101 [breakdown-sum]" in en and "0 discrepancies" in en and "1 ok" in en


def test_colour_flags(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "bad.txt", BREAKDOWN)
    coloured = runner().invoke(main, ["bad.txt", "--color"]).stdout
    assert f"{ESC}1;31m错误{ESC}0m" in coloured
    assert ESC not in runner().invoke(main, ["bad.txt", "--no-color"]).stdout


def _run_on_pty(args, env_extra, cwd) -> str:
    """Run factcheck with stdout on a pseudo-terminal (a real TTY); return what it wrote there."""
    try:
        master, slave = pty.openpty()
    except OSError as e:
        pytest.skip(f"no pseudo-terminal available: {e}")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    env.update(env_extra)
    proc = subprocess.Popen([sys.executable, "-m", "factcheck", *args], stdout=slave, stderr=subprocess.PIPE,
                            cwd=cwd, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO once the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def test_colour_on_a_terminal_but_not_with_no_color_or_a_pipe(tmp_path):
    write(tmp_path, "bad.txt", BREAKDOWN)
    on_tty = _run_on_pty(["bad.txt"], {"TERM": "xterm"}, tmp_path)
    assert ESC + "1;31m" in on_tty
    assert ESC not in _run_on_pty(["bad.txt"], {"TERM": "xterm", "NO_COLOR": "1"}, tmp_path)
    piped = subprocess.run([sys.executable, "-m", "factcheck", "bad.txt"], capture_output=True, cwd=tmp_path,
                           env={**os.environ, "TERM": "xterm"})
    assert piped.returncode == 1
    assert b"FC101" in piped.stdout and ESC.encode() not in piped.stdout
    assert b"\r" not in piped.stderr  # no progress bar when stderr is not a terminal


@pytest.mark.parametrize("status", ["ok", "unverifiable"])
def test_only_discrepancies_get_a_frame(status):
    c = claim("a.txt", 1, 1, "69个")
    out = render_text(report_of(check(c, status=status)), {"a.txt": {1: "69个"}}, show_ok=True, lang="en")
    assert f"a.txt:1:1: {status} FC101" in out
    assert "^" not in out


# --- the progress bar ---------------------------------------------------------------------------------

class FakeTTY:
    def __init__(self, tty=True):
        self.tty = tty
        self.data = ""

    def write(self, s):
        self.data += s

    def flush(self):
        pass

    def isatty(self):
        return self.tty


class R:
    chars = 1000


def test_progress_waits_for_slow_runs_then_draws_a_bar(monkeypatch):
    from factcheck import progress as prog

    now = [100.0]
    monkeypatch.setattr(prog.time, "monotonic", lambda: now[0])
    s = FakeTTY()
    bar = prog.Progress(enabled=True, delay=1.0, total=4, stream=s)
    bar.update(R())
    now[0] += 0.5
    bar.update(R())
    assert s.data == ""  # a run shorter than the delay prints nothing
    now[0] += 1.0
    bar.update(R())
    assert "\r" in s.data and "3/4 files" in s.data and "[" + "#" * 18 + "-" * 6 + "]" in s.data
    now[0] += 0.01
    bar.update(R())  # the last file is always drawn
    assert "4/4 files 100%" in s.data
    bar.close()
    assert s.data.endswith("\r\x1b[K")  # the line is cleared at the end


def test_progress_disabled_writes_nothing():
    from factcheck.progress import Progress

    s = FakeTTY()
    bar = Progress(enabled=False, delay=0, total=2, stream=s)
    bar.update(R())
    bar.update(R())
    bar.close()
    assert s.data == "" and bar.n == 2


def test_forced_progress_on_a_pipe_writes_plain_lines():
    from factcheck.progress import Progress

    s = FakeTTY(tty=False)
    bar = Progress(enabled=True, delay=0, total=1, stream=s)
    bar.update(R())
    bar.close()
    assert "\x1b" not in s.data and "\r" not in s.data and s.data.endswith("\n") and "1/1 files" in s.data


# --- fit the terminal (issue 15) ----------------------------------------------------------------------

LONG_LINE = ("二七区坚持项目为王，" * 6 + "全区共有重大产业项目69个。其中，沿嵩山路项目22个，" + "围绕主导产业精准招商，" * 5
             + "沿大学路项目29个，沿京广路项目19个。")


def _frames_fit(out: str, columns: int) -> None:
    """Every line of every code frame fits, and each underline sits under its figure."""
    rows = out.split("\n")
    for i, row in enumerate(rows):
        if " | " in row and row.partition(" | ")[0].strip().isdigit():
            assert width(row) <= columns, row
            code = row.partition(" | ")[2]
            under = rows[i + 1].partition(" | ")[2]
            assert width(rows[i + 1]) <= columns
            for start, w in caret_runs(under):
                k = next(j for j in range(len(code) + 1) if cols(code[:j]) == start)
                assert code[k:].startswith(("69个", "22个", "29个", "19个")), (code, under)


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_excerpts_fit_the_terminal(columns):
    spans = [("69个", "total"), ("22个", "parts[0]"), ("29个", "parts[1]"), ("19个", "parts[2]")]
    claims = [claim("a.txt", 3, LONG_LINE.index(t) + 1, t, role) for t, role in spans]
    out = render_text(report_of(check(*claims)), {"a.txt": {3: LONG_LINE}}, columns=columns)
    _frames_fit(out, columns)
    shown = {t for t, _ in spans if any(t in r for r in out.split("\n") if " | " in r)}
    assert shown == {"69个", "22个", "29个", "19个"}  # figures too far apart for one piece get one each
    assert all(width(r) <= columns for r in out.split("\n") if not r.startswith("1 "))


def test_message_goes_on_its_own_line_when_it_does_not_fit():
    c = claim("seeds/000_3e47b0061565aec6.txt", 84, 14, "69个", "total")
    msg = "分项之和与合计不符：22 + 29 + 19 = 70个，文中合计为69个，相差1个。"
    wide = render_text(report_of(check(c, message=msg)), {}, columns=200)
    assert f"seeds/000_3e47b0061565aec6.txt:84:14: 错误 FC101 {msg}" in wide
    narrow = render_text(report_of(check(c, message=msg)), {}, columns=60).split("\n")
    i = narrow.index("seeds/000_3e47b0061565aec6.txt:84:14: 错误 FC101")
    body = narrow[i + 1:i + 3]
    assert all(r.startswith("  ") and width(r) <= 60 for r in body)
    assert "".join(r.strip() for r in body) == msg.replace(" ", "") or "".join(r[2:] for r in body).replace(" ", "") \
        == msg.replace(" ", "")
    # not a terminal (a file, a pipe): one line, as before
    assert f"84:14: 错误 FC101 {msg}" in render_text(report_of(check(c, message=msg)), {}, columns=None)


def test_wrap_breaks_between_words_and_never_before_closing_punctuation():
    from factcheck.report.terminal import wrap

    text = "A breakdown that does not add up is the most common arithmetic slip in a report: a figure was updated."
    lines = wrap(text, 30, "  ")
    assert all(width(x) <= 30 for x in lines)
    assert " ".join(x.strip() for x in lines).split() == text.split()
    zh = "分项加不拢是报道中最常见的算术差错：一处数字改了，另一处没改，或者漏了一项。"
    lines = wrap(zh, 20, "  ")
    assert all(width(x) <= 20 for x in lines) and "".join(x.strip() for x in lines) == zh
    assert not any(x.strip()[0] in "，。：" for x in lines)


def test_terminal_width_comes_from_columns_or_the_terminal(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "long.txt", LONG_LINE + "\n")
    monkeypatch.setenv("COLUMNS", "70")
    out = runner().invoke(main, ["long.txt", "--no-progress"]).stdout
    _frames_fit(out, 70)
    assert "long.txt:1:71: 错误 FC101\n  分项之和与合计不符" in out
    monkeypatch.delenv("COLUMNS")
    on_tty = _run_on_pty(["long.txt", "--no-color"], {"TERM": "xterm", "COLUMNS": "64"}, tmp_path)
    _frames_fit(on_tty.replace("\r\n", "\n"), 64)


def test_show_ok_lists_checks_in_text_order(monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    monkeypatch.delenv("COLUMNS", raising=False)
    out = runner().invoke(main, ["seeds/", "--no-progress", "--show-ok"]).stdout
    heads = [m for m in (re.match(r"^(seeds/\S+?):(\d+):(\d+): ", ln) for ln in out.split("\n")) if m]
    by_file: dict = {}
    for m in heads:
        by_file.setdefault(m.group(1), []).append((int(m.group(2)), int(m.group(3))))
    assert len(heads) > 20
    for path, places in by_file.items():
        assert places == sorted(places), path


def test_concise_format_is_one_line_per_finding(monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    r = runner().invoke(main, ["seeds/", "--no-progress", "--format", "concise"])
    assert r.exit_code == 1
    lines = r.stdout.rstrip("\n").split("\n")
    assert lines[:-1] == [
        "seeds/000_3e47b0061565aec6.txt:84:14: 错误 FC101 分项之和与合计不符：22 + 29 + 19 = 70个，文中合计为69个，相差1个。",
        "seeds/001_5eba1bd811c369dd.txt:33:165: 错误 FC801 两篇稿件对同一事实的数字不一：seeds/001_5eba1bd811c369dd.txt为"
        "1352亿元，seeds/003_a7e8c9d2e0f9aae0.txt为1208亿元，相差144亿元（同一组对象；同一时期：2024年）。"]
    assert lines[-1].startswith("5 个文件，")
    shown = runner().invoke(main, ["seeds/", "--no-progress", "--format", "concise", "--show-ok"]).stdout
    assert len(shown.split("\n")) > 40 and " 无误 FC" in shown


def test_statistics_count_the_findings_per_rule(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "a.txt", BREAKDOWN)
    write(tmp_path, "b.txt", BREAKDOWN.replace("全区", "全县"))
    write(tmp_path, "c.txt", BREAKDOWN.replace("全区", "全市").replace("69个", "68个"))
    r = runner().invoke(main, [".", "--no-progress", "--statistics"])
    assert r.exit_code == 1
    lines = r.stdout.rstrip("\n").split("\n")
    assert lines[0] == "3  FC101  breakdown-sum  分项之和等于合计"
    assert lines[-1].startswith("3 个文件，") and "3 处不符" in lines[-1]
    en = runner().invoke(main, [".", "--no-progress", "--statistics", "--lang", "en", "--format", "concise"])
    assert en.stdout.split("\n")[0] == "3  FC101  breakdown-sum  the parts add up to the total"
