"""Hostile and careless input, round two: each case is a reproduction that failed before its fix.

The numbers in the test names follow the list of defects they come from (crashes 1-11, hangs and
runaway time or memory 12-19, lost data and wrong results 20-26, injection 28, misleading messages
29-44). Most run the command line in a subprocess (real streams, real signals, real exit codes); a few
run in-process where a limit or a function has to be made small. What scales with the size of the
input (12, 13, 14) is measured in tests/test_scaling.py under the `slow` marker.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import main

ROOT = Path(__file__).resolve().parent.parent
A = "项目总数69个，其中A项目22个，B项目29个，C项目19个。\n"  # one discrepancy (FC101): exit 1
CLEAN = A.replace("69个", "70个")  # exit 0
CONFLICT_A = "二七区2024年工作回顾\n\n二七区2024年有效运作产业项目97个、总投资1352亿元，加快构建重点项目产业带。\n"
CONFLICT_B = "二七区项目建设\n\n2024年围绕“三轴”谋划推进总投资\n1208亿元的产业项目97个。\n"


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("fc-cache")


@pytest.fixture()
def work(tmp_path):
    (tmp_path / "a.txt").write_text(A, encoding="utf-8")
    (tmp_path / "clean.txt").write_text(CLEAN, encoding="utf-8")
    return tmp_path


def env_for(cache_dir, extra=None) -> dict:
    e = dict(os.environ)
    e["FACTCHECK_CACHE_DIR"] = str(cache_dir)
    e.pop("NO_COLOR", None)
    e.update(extra or {})
    return e


def fc(args, cache_dir, cwd=None, stdin=None, input=None, timeout=120, **kw) -> subprocess.CompletedProcess:
    """`factcheck ARGS` in a subprocess; stdout and stderr as bytes."""
    return subprocess.run([sys.executable, "-m", "factcheck", *map(str, args)], cwd=cwd, stdin=stdin, input=input,
                          capture_output=kw.pop("capture_output", True), timeout=timeout,
                          env=env_for(cache_dir), **kw)


def err(r) -> str:
    return r.stderr.decode("utf-8", "replace") if isinstance(r.stderr, bytes) else (r.stderr or "")


def out(r) -> str:
    return r.stdout.decode("utf-8", "replace") if isinstance(r.stdout, bytes) else (r.stdout or "")


def no_traceback(r) -> None:
    assert "Traceback" not in err(r) and "Traceback" not in out(r), err(r)[-2000:]


def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # click < 8.2
    except TypeError:
        return CliRunner()


def rule_folder(tmp_path: Path, name: str = "extra") -> Path:
    d = tmp_path / name
    d.mkdir()
    return d


def copy_rule(src: str, folder: Path, new_id: str, new_name: str, **replace) -> Path:
    text = (ROOT / "rules" / f"{src}.yaml").read_text(encoding="utf-8")
    lines = []
    for ln in text.splitlines():
        if ln.startswith("id:"):
            ln = f"id: {new_id}"
        elif ln.startswith("name:"):
            ln = f"name: {new_name}"
        for key, value in replace.items():
            if ln.startswith(f"{key}:"):
                ln = f"{key}: {value}"
        lines.append(ln)
    path = folder / f"{new_id}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- crashes --------------------------------------------------------------------------------------------

def _closing(*fds):
    def pre():
        for fd in fds:
            os.close(fd)
    return pre


def test_01_closed_stdout_without_output_is_an_error(work, cache_dir):
    r = subprocess.run([sys.executable, "-m", "factcheck", "clean.txt"], cwd=work, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, preexec_fn=_closing(1), env=env_for(cache_dir), timeout=60)
    assert r.returncode == 2
    assert b"standard output is closed" in r.stderr
    no_traceback(r)


def test_01_closed_stdout_with_output_file_writes_it(work, cache_dir):
    r = subprocess.run([sys.executable, "-m", "factcheck", "clean.txt", "-o", "r.txt"], cwd=work,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=_closing(1),
                       env=env_for(cache_dir), timeout=60)
    assert r.returncode == 0, r.stderr
    assert "1 项无误" in (work / "r.txt").read_text(encoding="utf-8")


def test_01_closed_stderr_on_clean_input_exits_0(work, cache_dir):
    r = subprocess.run([sys.executable, "-m", "factcheck", "clean.txt"], cwd=work, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, preexec_fn=_closing(2), env=env_for(cache_dir), timeout=60)
    assert r.returncode == 0


def test_01_closed_stderr_with_discrepancies_exits_1(work, cache_dir):
    r = subprocess.run([sys.executable, "-m", "factcheck", "a.txt"], cwd=work, stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, preexec_fn=_closing(2), env=env_for(cache_dir), timeout=60)
    assert r.returncode == 1
    assert b"FC101" in r.stdout


def test_02_full_disk_on_stdout_is_exit_2_with_a_message(work, cache_dir):
    with open("/dev/full", "wb") as full:
        r = subprocess.run([sys.executable, "-m", "factcheck", "clean.txt"], cwd=work, stdout=full,
                           stderr=subprocess.PIPE, env=env_for(cache_dir), timeout=60)
    assert r.returncode == 2
    assert b"cannot write the report to standard output: No space left on device" in r.stderr
    no_traceback(r)


@pytest.mark.parametrize("target", ["nodir/t.json", "/dev/full", "/proc/t.json"])
def test_03_timings_that_cannot_be_written(work, cache_dir, target):
    r = fc(["clean.txt", "--timings", target], cache_dir, cwd=work)
    assert r.returncode == 2
    assert target.encode() in r.stderr or b"nodir" in r.stderr
    no_traceback(r)


def test_04_baseline_nested_100000_deep(work, cache_dir):
    (work / "b.json").write_text("[" * 100000 + "]" * 100000, encoding="utf-8")
    r = fc(["a.txt", "--baseline", "b.json"], cache_dir, cwd=work)
    assert r.returncode == 2
    assert b"b.json" in r.stderr and b"nested too deeply" in r.stderr
    no_traceback(r)


@pytest.mark.parametrize("raw", [b'# \xb2\xe2\xca\xd4\nfail-on = "error"\n', b"\xff\xfefail-on = 1\n"],
                         ids=["gbk-comment", "ff-fe-start"])
def test_05_configuration_that_is_not_utf8(work, cache_dir, raw):
    (work / "factcheck.toml").write_bytes(raw)
    r = fc(["clean.txt"], cache_dir, cwd=work)
    assert r.returncode == 2
    assert b"factcheck.toml" in r.stderr and b"not UTF-8" in r.stderr
    no_traceback(r)


@pytest.mark.parametrize("value", ["[" * 100000 + "]" * 100000, "{a = " * 100000 + "1" + "}" * 100000],
                         ids=["arrays", "inline-tables"])
def test_06_configuration_nested_100000_deep(work, cache_dir, value):
    (work / "factcheck.toml").write_text(f"x = {value}\n", encoding="utf-8")
    r = fc(["clean.txt"], cache_dir, cwd=work)
    assert r.returncode == 2
    assert b"nested too deeply" in r.stderr
    assert len(r.stderr) < 1000  # one line, not 200 KB of traceback
    no_traceback(r)


def test_07_config_pyproject_whose_tool_is_not_a_table(work, cache_dir):
    (work / "pyproject.toml").write_text("tool = 5\n", encoding="utf-8")
    r = fc(["clean.txt", "--config", "pyproject.toml"], cache_dir, cwd=work)
    assert r.returncode == 2
    assert b"pyproject.toml: tool: must be a table" in r.stderr
    no_traceback(r)


def _make_entry(kind: str, path: Path) -> None:
    if kind == "directory":
        path.mkdir()
    elif kind == "dangling-link":
        path.symlink_to(path.parent / "nowhere.yaml")
    elif kind == "looping-link":
        path.symlink_to(path)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "link-to-dev-zero":
        path.symlink_to("/dev/zero")


RULE_FOLDER_ENTRIES = {"directory": "is a directory", "dangling-link": "broken symbolic link",
                       "looping-link": "symbolic link loop", "fifo": "not a regular file",
                       "link-to-dev-zero": "not a regular file"}


@pytest.mark.parametrize("kind", sorted(RULE_FOLDER_ENTRIES))
@pytest.mark.parametrize("command", ["check", "validate"])
def test_08_rule_folder_entry_that_is_not_a_rule_file(work, tmp_path, kind, command):
    folder = rule_folder(work)
    _make_entry(kind, folder / "FC950.yaml")
    cache = tmp_path / "cache"
    args = ["a.txt", "--rules", folder] if command == "check" else ["rules", "--validate", folder]
    r = fc(args, cache, cwd=work, timeout=60)  # a FIFO or /dev/zero used to hang here
    assert r.returncode == 2
    assert b"FC950.yaml" in r.stderr and RULE_FOLDER_ENTRIES[kind].encode() in r.stderr
    no_traceback(r)


def test_08_unreadable_rule_file(work, tmp_path, monkeypatch):
    """Root reads any file: the permission error is made by the reader's open."""
    folder = rule_folder(work)
    copy_rule("FC101", folder, "FC950", "unreadable-copy")
    import factcheck.safeio as safeio

    real_open = safeio.os.open

    def refusing_open(path, *a, **k):
        if str(path).endswith("FC950.yaml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *a, **k)

    monkeypatch.setattr(safeio.os, "open", refusing_open)
    monkeypatch.setenv("FACTCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(work)
    r = runner().invoke(main, ["a.txt", "--rules", str(folder), "--no-progress", "--jobs", "1"])
    assert r.exit_code == 2
    assert "FC950.yaml: permission denied" in r.stderr


@pytest.mark.parametrize("digits", [30, 40])
def test_09_figure_beyond_28_digits_is_checked(work, cache_dir, digits):
    (work / "big.txt").write_text(f"项目总数69个，其中A项目{'1' * digits}个，B项目29个，C项目19个。\n", encoding="utf-8")
    r = fc(["big.txt", "--format", "json"], cache_dir, cwd=work)
    assert r.returncode == 0, err(r)
    report = json.loads(r.stdout)
    assert report["errors"] == [] and report["summary"]["claims"] == 4
    assert "1" * digits in json.dumps(report["checks"], ensure_ascii=False)


@pytest.mark.parametrize("text", [
    "去年全区地区生产总值481.3亿元。今年实现地区生产总值512.6亿元，同比增长8.5" + "0" * 37 + "1%。",
    "共有规上企业120家，实现总产值" + "3" * 40 + "亿元，平均每家4亿元。",
    "占比从45.2" + "0" * 36 + "1%提高到48.7" + "0" * 36 + "1%，提高3.5个百分点。",
], ids=["growth", "average", "pp-diff"])
def test_09_forty_digit_figures_in_other_sentences(work, cache_dir, text):
    (work / "g.txt").write_text(text + "\n", encoding="utf-8")
    r = fc(["g.txt", "--format", "json"], cache_dir, cwd=work)
    assert r.returncode in (0, 1), err(r)
    report = json.loads(r.stdout)
    assert report["errors"] == []
    assert report["summary"]["checks"] >= 1
    no_traceback(r)


def test_09_a_part_of_five_thousand_zeros_is_not_a_figure(work, cache_dir):
    (work / "t.txt").write_text("项目总数69个，其中A项目0." + "0" * 5000 + "1个，B项目29个，C项目19个。\n",
                                encoding="utf-8")
    r = fc(["t.txt", "--format", "json"], cache_dir, cwd=work)
    assert r.returncode == 0, err(r)
    report = json.loads(r.stdout)
    assert report["errors"] == [] and report["summary"]["claims"] == 3


def test_09_formula_constant_beyond_28_digits(work, tmp_path):
    folder = rule_folder(work)
    copy_rule("FC101", folder, "FC950", "huge-constant", formula='"total == 1e30 * sum(parts)"')
    cache = tmp_path / "cache"
    r = fc(["a.txt", "--rules", folder, "--format", "json"], cache, cwd=work)
    assert r.returncode in (0, 1), err(r)
    assert json.loads(r.stdout)["errors"] == []
    v = fc(["rules", "--validate", folder], cache, cwd=work)
    no_traceback(v)
    assert v.returncode in (0, 2) and b"InvalidOperation" not in v.stderr


def test_10_front_matter_with_a_5000_digit_hex_title(work, cache_dir):
    (work / "h.md").write_text("---\ntitle: 0x" + "f" * 5000 + "\n---\n\n" + A, encoding="utf-8")
    r = fc(["h.md", "--format", "json"], cache_dir, cwd=work)
    assert r.returncode == 1, err(r)
    report = json.loads(r.stdout)
    assert report["errors"] == [] and report["summary"]["claims"] == 4


GBK_NAME = "测试".encode("gbk") + b".txt"  # b'\xb2\xe2\xca\xd4.txt'


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "html"])
def test_11_file_name_that_is_not_utf8_is_checked_and_shown_escaped(tmp_path, cache_dir, fmt):
    folder = tmp_path / "n"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), GBK_NAME), "wb") as f:
        f.write(A.encode("utf-8"))
    r = fc([folder, "--format", fmt], cache_dir)
    assert r.returncode == 1, err(r)
    no_traceback(r)
    text = out(r)
    if fmt == "sarif":  # a URI: the backslashes percent-encoded
        assert "n/%5Cxb2%5Cxe2%5Cxca%5Cxd4.txt" in text
    else:
        assert "\\xb2\\xe2\\xca\\xd4.txt" in text.replace("\\\\", "\\")
    if fmt == "json":
        assert json.loads(r.stdout)["summary"]["discrepancies"]["error"] == 1


def test_11_write_baseline_with_a_file_name_that_is_not_utf8(tmp_path, cache_dir):
    folder = tmp_path / "n"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), GBK_NAME), "wb") as f:
        f.write(A.encode("utf-8"))
    r = fc([folder, "--write-baseline", tmp_path / "b.json"], cache_dir)
    assert r.returncode == 1, err(r)
    no_traceback(r)
    findings = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["findings"]
    assert len(findings) == 1 and findings[0]["path"] == "n/\\xb2\\xe2\\xca\\xd4.txt"
    again = fc([folder, "--baseline", tmp_path / "b.json"], cache_dir)
    assert again.returncode == 0, err(again)


# --- hangs and runaway time or memory ---------------------------------------------------------------

def test_12_unclosed_suppression_comment_is_no_directive():
    """The scanner finds comments with str.find (the pattern it replaces was quadratic on this text;
    its time is measured in tests/test_scaling.py)."""
    from factcheck.suppress import directives

    text = "<!-- factcheck: ignore " + " \n" * 50_000 + A
    assert directives(text) == []
    assert directives("<!-- factcheck: ignore FC101 -->\n" + A)[0][2] == "FC101"


def test_13_a_run_of_chinese_numerals_is_not_a_number():
    from factcheck.numbers import NumberError, parse_chinese

    with pytest.raises(NumberError):
        parse_chinese("一" + "亿" * 1000)  # it used to grow a 8000-digit integer, one multiplication per 亿
    assert parse_chinese("三千五百万")[0] == 35_000_000


def test_14_article_sentences_and_parts_are_worked_out_once():
    """functools.cached_property did not cache in the compiled build (a new dict on every access)."""
    from factcheck.documents import Document
    from factcheck.extract import _Layout, extract
    from factcheck.normalize import normalize
    from factcheck.rules.kinds import Article

    doc = Document("t.txt", A * 3)
    norm = normalize(doc.text)
    art = Article(doc.path, norm.text, _Layout(norm.text), extract(doc, norm))
    assert art.sentences is art.sentences
    assert art.part_ids is art.part_ids
    assert sorted(art.sentences) == [0, 1, 2]
    import functools

    assert not [name for name, v in vars(Article).items() if isinstance(v, functools.cached_property)]


def test_15_nested_repetition_in_a_rule_pattern_is_refused(work, tmp_path):
    folder = rule_folder(work)
    path = copy_rule("FC101", folder, "FC950", "backtracking")
    text = path.read_text(encoding="utf-8").replace("  markers: [", "  markers: ['(x+x+)+y', ", 1)
    path.write_text(text, encoding="utf-8")
    (work / "x.txt").write_text("项目总数69个，" + "x" * 34 + "，A项目22个。\n", encoding="utf-8")
    cache = tmp_path / "cache"
    v = fc(["rules", "--validate", folder], cache, cwd=work, timeout=60)
    assert v.returncode == 2
    assert b"FC950.yaml" in v.stderr and b"params.markers.0" in v.stderr and b"repetition inside a repetition" in v.stderr
    r = fc(["x.txt", "--rules", folder], cache, cwd=work, timeout=60)
    assert r.returncode == 2 and b"params.markers.0" in r.stderr


def test_15_a_pattern_that_backtracks_runs_out_of_its_budget(work, tmp_path, monkeypatch):
    """A shape the check at load does not know ((a|aa)+ backtracks exponentially too) is stopped by the
    regex engine's time budget: the file is an error that names the rule."""
    folder = rule_folder(work)
    path = copy_rule("FC101", folder, "FC950", "backtracking")
    text = path.read_text(encoding="utf-8").replace("  markers: [", "  markers: ['(?:x|xx)+y', ", 1)
    path.write_text(text, encoding="utf-8")
    (work / "x.txt").write_text("项目总数69个，" + "x" * 60 + "，A项目22个，B项目29个。\n", encoding="utf-8")
    import factcheck.rules.patterns as patterns

    monkeypatch.setattr(patterns, "BUDGET_S", 0.5)
    monkeypatch.setattr(patterns, "BUDGET_PER_MCHAR_S", 0.0)
    monkeypatch.setenv("FACTCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(work)
    start = time.monotonic()
    r = runner().invoke(main, ["x.txt", "--rules", str(folder), "--no-progress", "--jobs", "1"])
    assert time.monotonic() - start < 60
    assert r.exit_code == 2
    assert "rule FC950 (params.markers)" in r.stderr and "time budget" in r.stderr


def test_16_standard_input_of_dev_zero_is_refused(work, cache_dir):
    with open("/dev/zero", "rb") as zero:
        r = fc(["-"], cache_dir, cwd=work, stdin=zero)
    assert r.returncode == 2
    assert b"<stdin>: too large" in r.stderr


def test_16_standard_input_over_the_limit_is_refused(work, cache_dir):
    from factcheck.documents import MAX_BYTES

    data = (CLEAN.encode("utf-8") * (MAX_BYTES // len(CLEAN.encode("utf-8")) + 2))
    r = fc(["-"], cache_dir, cwd=work, input=data)
    assert len(data) > MAX_BYTES
    assert r.returncode == 2
    assert b"<stdin>: too large" in r.stderr


@pytest.mark.parametrize("option", ["--baseline", "--config"])
@pytest.mark.parametrize("what", ["/dev/zero", "fifo"])
def test_16_baseline_or_config_that_is_not_a_regular_file(work, cache_dir, option, what):
    target = what
    if what == "fifo":
        os.mkfifo(work / "fifo")  # no writer: opening it used to block forever
    r = fc(["a.txt", option, target], cache_dir, cwd=work, timeout=60)
    assert r.returncode == 2
    assert b"not a regular file" in r.stderr


def test_16_configuration_over_its_size_limit(work, cache_dir):
    from factcheck.safeio import CONFIG_LIMIT

    (work / "factcheck.toml").write_text("# " + "x" * CONFIG_LIMIT + "\n", encoding="utf-8")
    r = fc(["a.txt"], cache_dir, cwd=work)
    assert r.returncode == 2
    assert b"factcheck.toml: cannot read: too large" in r.stderr


def test_17_jobs_are_capped_by_files_and_cores(work, cache_dir):
    from factcheck.pipeline import worker_count

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    assert worker_count(1000, 20) == min(20, cores)
    assert worker_count(1000, 3) <= 3
    assert worker_count(0, 5) == 1
    folder = work / "many"
    folder.mkdir()
    for i in range(20):
        (folder / f"a{i:02d}.txt").write_text(A, encoding="utf-8")
    r = fc([folder, "--jobs", "1000", "--format", "json"], cache_dir, cwd=work)
    assert r.returncode == 1
    assert json.loads(r.stdout)["summary"]["files"] == 20


SLOW_CHILD = r"""
import os, sys, time
import factcheck.pipeline as pl
MARKS = sys.argv[2]
real = pl.process
def process(path, *a, **k):
    open(os.path.join(MARKS, f"worker-{os.getpid()}"), "w").close()
    time.sleep(120)
    return real(path, *a, **k)
pl.process = process
from factcheck.cli import main
sys.argv = ["factcheck", sys.argv[1], "--jobs", "2", "--no-progress", "-o", os.path.join(MARKS, "r.txt")]
main()
"""


def _slow_run(tmp_path, cache_dir):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(12):
        (folder / f"a{i:02d}.txt").write_text(A, encoding="utf-8")
    marks = tmp_path / "marks"
    marks.mkdir()
    p = subprocess.Popen([sys.executable, "-c", SLOW_CHILD, str(folder), str(marks)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env_for(cache_dir))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len([m for m in os.listdir(marks) if m.startswith("worker-")]) < 2:
        time.sleep(0.05)
    workers = [int(m.split("-")[1]) for m in os.listdir(marks) if m.startswith("worker-")]
    assert workers, "the workers did not start"
    return p, workers


def _gone(pid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().split()[2] == "Z":
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=["term", "int", "kill"])
def test_18_workers_end_with_their_parent(tmp_path, cache_dir, sig):
    p, workers = _slow_run(tmp_path, cache_dir)
    try:
        p.send_signal(sig)
        rc = p.wait(30)
        assert all(_gone(pid) for pid in workers), "a worker outlived its parent"
        expected = {signal.SIGTERM: 143, signal.SIGINT: 130, signal.SIGKILL: -signal.SIGKILL}[sig]
        assert rc == expected
        if sig != signal.SIGKILL:
            stderr = p.stderr.read().decode()
            assert "Traceback" not in stderr, stderr
            assert ("terminated" if sig == signal.SIGTERM else "interrupted") in stderr
    finally:
        if p.poll() is None:
            p.kill()
        for pid in workers:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def test_19_a_file_of_more_figures_than_an_article_is_refused(work, cache_dir):
    from factcheck.documents import MAX_FIGURES

    (work / "dense.txt").write_text("项目1个，" * (MAX_FIGURES + 10), encoding="utf-8")
    r = fc(["dense.txt", "--format", "json"], cache_dir, cwd=work)
    assert r.returncode == 2
    report = json.loads(r.stdout)
    assert report["errors"][0]["reason"].startswith(f"more than {MAX_FIGURES} figures")
    assert report["claims"] == []


def test_19_sarif_is_written_in_pieces_with_the_same_bytes(seeds_dir):
    from factcheck.pipeline import run
    from factcheck.report.build import build_report
    from factcheck.report.sarif import build_sarif, render_sarif_chunks
    from factcheck.rules.loader import rules_for_run

    rules = rules_for_run()
    result = run([str(seeds_dir)], rules)
    checks = [c for r in result.files for c in r.checks] + list(result.conflicts)
    report = build_report(result, {}, 0, checks)
    chunks = render_sarif_chunks(report, rules)
    assert not isinstance(chunks, str)
    pieces = list(chunks)
    assert len(pieces) > 3
    assert "".join(pieces) == json.dumps(build_sarif(report, rules), ensure_ascii=False, indent=2,
                                         sort_keys=True) + "\n"


# --- data lost or results wrong -------------------------------------------------------------------------

def test_20_output_never_replaces_an_input(work, cache_dir):
    r = fc(["a.txt", "-o", "a.txt"], cache_dir, cwd=work)
    assert r.returncode == 2
    assert b"is one of the files this run reads" in r.stderr
    assert (work / "a.txt").read_text(encoding="utf-8") == A
    (work / "link.txt").symlink_to(work / "clean.txt")
    r = fc(["a.txt", "clean.txt", "--write-baseline", "link.txt"], cache_dir, cwd=work)
    assert r.returncode == 2
    assert (work / "clean.txt").read_text(encoding="utf-8") == CLEAN


@pytest.mark.parametrize("other", ["--timings", "--write-baseline"])
def test_21_two_outputs_on_one_path(work, cache_dir, other):
    r = fc(["a.txt", "-o", "r.json", other, "r.json"], cache_dir, cwd=work)
    assert r.returncode == 2
    assert b"give each output its own file" in r.stderr
    assert not (work / "r.json").exists()


def test_22_a_pipe_over_the_limit_is_refused_not_cut(tmp_path, monkeypatch):
    import factcheck.documents as documents

    monkeypatch.setattr(documents, "MAX_BYTES", 4096)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    data = CLEAN.encode("utf-8") * 200  # 15 KB

    def feed():
        with open(fifo, "wb") as f:
            try:
                f.write(data)
            except BrokenPipeError:
                pass

    t = threading.Thread(target=feed)
    t.start()
    try:
        with pytest.raises(documents.InputError, match="too large"):
            documents.read_document(str(fifo))
    finally:
        t.join(10)


def test_23_utf32_with_a_bom_is_read(work, cache_dir):
    (work / "u32.txt").write_bytes(A.encode("utf-32"))  # with its BOM, FF FE 00 00
    r = fc(["u32.txt", "--format", "json"], cache_dir, cwd=work)
    assert r.returncode == 1, err(r)
    assert json.loads(r.stdout)["summary"]["claims"] == 4


TERM_DURING_WRITE = r"""
import os, sys, time
import factcheck.atomic as atomic
READY = sys.argv[2]
real = atomic._write_all
def slow(f, text):
    real(f, text if isinstance(text, (str, bytes)) else next(iter(text)))
    f.flush()
    open(READY, "w").close()
    time.sleep(120)
atomic._write_all = slow
from factcheck.cli import main
sys.argv = ["factcheck", sys.argv[1], "--format", "json", "--no-progress", "-o", sys.argv[3]]
main()
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["term", "int"])
def test_24_signal_while_the_report_is_written_leaves_no_temporary_file(work, cache_dir, sig):
    ready = work / "ready"
    outdir = work / "out"
    outdir.mkdir()
    p = subprocess.Popen([sys.executable, "-c", TERM_DURING_WRITE, str(work / "a.txt"), str(ready),
                          str(outdir / "r.json")], stderr=subprocess.PIPE, env=env_for(cache_dir))
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists()
        assert any(n.startswith(".factcheck-") for n in os.listdir(outdir))  # the write is under way
        p.send_signal(sig)
        rc = p.wait(30)
    finally:
        if p.poll() is None:
            p.kill()
    assert rc == (143 if sig == signal.SIGTERM else 130)
    assert os.listdir(outdir) == []


def _conflict_work(work: Path) -> None:
    (work / "cf").mkdir()
    (work / "cf" / "a.txt").write_text(CONFLICT_A, encoding="utf-8")
    (work / "cf" / "b.txt").write_text(CONFLICT_B, encoding="utf-8")


def test_25_a_second_conflict_rule_runs(work, tmp_path):
    _conflict_work(work)
    folder = rule_folder(work)
    copy_rule("FC801", folder, "FC950", "second-conflict")
    r = fc(["cf", "--rules", folder, "--format", "json"], tmp_path / "cache", cwd=work)
    assert r.returncode == 1, err(r)
    found = {(c["rule"], c["severity"]) for c in json.loads(r.stdout)["checks"] if c["status"] == "discrepancy"}
    assert found == {("FC801", "error"), ("FC950", "error")}


def test_26_a_conflict_rules_severity_caps_its_findings(work, tmp_path):
    _conflict_work(work)
    folder = rule_folder(work)
    copy_rule("FC801", folder, "FC950", "second-conflict", severity="info")
    r = fc(["cf", "--rules", folder, "--format", "json", "--select", "FC950"], tmp_path / "cache", cwd=work)
    assert r.returncode == 0, err(r)
    found = [(c["rule"], c["severity"]) for c in json.loads(r.stdout)["checks"] if c["status"] == "discrepancy"]
    assert found == [("FC950", "info")]


# --- injection ------------------------------------------------------------------------------------------

FORGED = "x\n::error file=README.md,line=1::forged\n.txt"
ESCAPES = "e\x1b]0;pwned\x07\x1b[2J.txt"


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "html"])
def test_28_file_names_are_never_printed_raw(tmp_path, cache_dir, fmt):
    folder = tmp_path / "n"
    folder.mkdir()
    for name in (FORGED, ESCAPES):
        (folder / name).write_text(A, encoding="utf-8")
    for name in ("bad\x1b[2J.txt", "y\n::error file=README.md,line=2::forged\n.txt"):
        (folder / name).write_bytes(b"\x00\x01binary")  # an error line on stderr names it
    r = fc([folder, "--format", fmt], cache_dir)
    assert r.returncode == 2, err(r)
    for stream in (out(r), err(r)):
        assert "\x1b" not in stream and "\x07" not in stream
        assert not any(ln.startswith("::error file=README.md") for ln in stream.splitlines())
    if fmt == "text":
        assert "x\\n::error file=README.md,line=1::forged\\n.txt" in out(r)


# --- misleading messages --------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["--include", "*.doc"], ["--exclude", "*"]], ids=["include", "exclude"])
def test_29_a_run_that_checks_no_file_fails(work, cache_dir, args):
    r = fc([".", *args], cache_dir, cwd=work)
    assert r.returncode == 2
    assert b"nothing to check" in r.stderr


def test_29_configuration_that_excludes_every_file(work, cache_dir):
    (work / "factcheck.toml").write_text('exclude = ["*"]\n', encoding="utf-8")
    r = fc(["."], cache_dir, cwd=work)
    assert r.returncode == 2
    assert b"nothing to check" in r.stderr


@pytest.mark.parametrize("command", ["rules", "schema"])
def test_30_a_folder_named_like_a_command(work, cache_dir, command):
    (work / command).mkdir()
    (work / command / "a.txt").write_text(A, encoding="utf-8")
    r = fc([command], cache_dir, cwd=work)
    assert r.returncode == 0
    assert f"to check the folder {command}, run `factcheck check {command}`".encode() in r.stderr
    checked = fc(["check", command], cache_dir, cwd=work)
    assert checked.returncode == 1


def test_31_standard_input_twice_is_refused(work, cache_dir):
    r = fc(["-", "-"], cache_dir, cwd=work, input=A.encode("utf-8"))
    assert r.returncode == 2
    assert b"more than once" in r.stderr


def test_31_code_frame_of_standard_input(work, cache_dir):
    r = fc(["-"], cache_dir, cwd=work, input=A.encode("utf-8"))
    assert r.returncode == 1
    assert " 1 | 项目总数69个" in out(r)


def test_31_a_file_named_stdin_is_not_standard_input(work, cache_dir):
    (work / "<stdin>").write_text(A, encoding="utf-8")
    r = fc(["<stdin>", "-", "--format", "json"], cache_dir, cwd=work, input=CLEAN.encode("utf-8"))
    assert r.returncode == 1, err(r)
    paths = sorted(f["path"] for f in json.loads(r.stdout)["files"])
    assert paths == ["./<stdin>", "<stdin>"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_32_ctrl_c_exits_130(tmp_path, cache_dir):
    p, workers = _slow_run(tmp_path, cache_dir)
    try:
        p.send_signal(signal.SIGINT)
        rc = p.wait(30)
    finally:
        if p.poll() is None:
            p.kill()
    assert rc == 130
    assert "Aborted!" not in p.stderr.read().decode()


@pytest.mark.parametrize("fail_on, code", [("never", 0), ("error", 1)])
def test_32_broken_pipe_is_quiet_and_the_exit_code_follows_the_findings(work, cache_dir, fail_on, code):
    (work / "big.txt").write_text(A * 20000, encoding="utf-8")
    p = subprocess.Popen([sys.executable, "-m", "factcheck", "big.txt", "--fail-on", fail_on, "--format", "json"], cwd=work,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env_for(cache_dir))
    assert p.stdout is not None and p.stderr is not None
    p.stdout.read(100)
    p.stdout.close()  # as `| head -c 100` does
    rc = p.wait(120)
    stderr = p.stderr.read()
    assert rc == code
    assert stderr == b""


def test_33_zero_width_space_inside_a_figure(work, cache_dir):
    (work / "zw.txt").write_text(A.replace("69个", "6\u200b9个"), encoding="utf-8")
    r = fc(["zw.txt", "--format", "json"], cache_dir, cwd=work)
    assert r.returncode == 1
    values = [c["value"] for c in json.loads(r.stdout)["claims"]]
    assert values[0] == "69"


def test_34_bidi_override_is_not_echoed_in_code_frames(work, cache_dir):
    (work / "rlo.txt").write_text(A.replace("，其中", "，\u202e其中"), encoding="utf-8")
    r = fc(["rlo.txt"], cache_dir, cwd=work)
    assert r.returncode == 1
    assert "\u202e" not in out(r)
    assert "\ufffd其中" in out(r)


def test_35_unknown_rule_in_an_inline_comment(work, cache_dir):
    (work / "i.md").write_text("<!-- factcheck: ignore FC999 -->\n" + A, encoding="utf-8")
    r = fc(["i.md"], cache_dir, cwd=work)
    assert r.returncode == 2
    assert b"i.md:1: <!-- factcheck: ignore \xe2\x80\xa6 -->: no rule matches 'FC999'" in r.stderr


def test_35_a_comment_inside_a_code_fence_suppresses_nothing(work, cache_dir):
    (work / "f.md").write_text("```\n<!-- factcheck: ignore FC101 -->\n```\n" + A, encoding="utf-8")
    r = fc(["f.md"], cache_dir, cwd=work)
    assert r.returncode == 1
    (work / "g.md").write_text("<!-- factcheck: ignore FC101 -->\n" + A, encoding="utf-8")
    assert fc(["g.md"], cache_dir, cwd=work).returncode == 0


def test_36_per_file_ignores_with_an_empty_list(work, cache_dir):
    (work / "factcheck.toml").write_text('[per-file-ignores]\n"*" = []\n', encoding="utf-8")
    r = fc(["a.txt"], cache_dir, cwd=work)
    assert r.returncode == 2
    assert b'per-file-ignores.*: an empty list' in r.stderr


def test_37_select_and_ignore_all(work, cache_dir):
    r = fc(["a.txt", "--select", "ALL"], cache_dir, cwd=work)
    assert r.returncode == 1, err(r)
    r = fc(["a.txt", "--ignore", "all", "--format", "json"], cache_dir, cwd=work)
    assert r.returncode == 0, err(r)
    assert json.loads(r.stdout)["summary"]["checks"] == 0


def test_38_output_error_names_the_target_not_the_temporary_file(work, cache_dir):
    r = fc(["a.txt", "-o", "nodir/r.txt"], cache_dir, cwd=work)
    assert r.returncode == 2
    assert b"nodir/r.txt" in r.stderr and b".factcheck-" not in r.stderr


def test_38_a_write_that_fails_names_the_target(tmp_path):
    from factcheck.atomic import write_atomic

    with pytest.raises(OSError) as e:
        write_atomic(str(tmp_path / "gone" / "r.txt"), "x")
    assert e.value.filename == str(tmp_path / "gone" / "r.txt")


def test_39_formula_with_a_nul(work, tmp_path):
    folder = rule_folder(work)
    copy_rule("FC101", folder, "FC950", "nul-formula", formula='"total ==\\0 sum(parts)"')
    r = fc(["rules", "--validate", folder], tmp_path / "cache", cwd=work)
    assert r.returncode == 2
    assert b"None" not in r.stderr
    assert b"formula: the formula holds a control character (U+0000) at column 9" in r.stderr


def test_40_validate_a_file_instead_of_a_folder(work, cache_dir):
    r = fc(["rules", "--validate", "a.txt"], cache_dir, cwd=work)
    assert r.returncode == 2
    assert b"a.txt: is not a folder" in r.stderr and b"not found" not in r.stderr


def test_41_utf16_without_a_bom(work, cache_dir):
    (work / "u16.txt").write_bytes("factcheck 69 items\n".encode("utf-16-le"))
    r = fc(["u16.txt"], cache_dir, cwd=work)
    assert r.returncode == 2
    assert b"UTF-16LE without a byte-order mark" in r.stderr and b"binary" not in r.stderr


def test_41_closed_standard_input(work, cache_dir):
    r = subprocess.run([sys.executable, "-m", "factcheck", "-"], cwd=work, stdin=subprocess.DEVNULL,
                       capture_output=True, preexec_fn=_closing(0), env=env_for(cache_dir), timeout=60)
    assert r.returncode == 2
    assert b"<stdin>: standard input is closed" in r.stderr
    assert b"internal error" not in r.stderr


def test_42_duplicate_keys_in_a_rule_file(work, tmp_path):
    folder = rule_folder(work)
    path = copy_rule("FC101", folder, "FC901", "duplicate-keys")
    path.write_text(path.read_text(encoding="utf-8").replace("id: FC901", "id: FC901\nid: FC902"), encoding="utf-8")
    r = fc(["rules", "--validate", folder], tmp_path / "cache", cwd=work)
    assert r.returncode == 2
    assert b"FC901.yaml:2: id: given twice (first at line 1)" in r.stderr


@pytest.mark.parametrize("damage", ["missing-parameter", "nested", "cut-short"])
def test_43_a_damaged_rule_cache_is_rebuilt(work, tmp_path, damage):
    cache = tmp_path / "cache"
    assert fc(["a.txt"], cache, cwd=work).returncode == 1
    [path] = [p for p in cache.iterdir() if p.name.startswith("rules-")]
    text = path.read_text(encoding="utf-8")
    if damage == "missing-parameter":
        text = text.replace('"markers"', '"markerz"', 1)
    elif damage == "nested":
        text = "[" * 100000 + "]" * 100000
    else:
        text = text[: len(text) // 2]
    path.write_text(text, encoding="utf-8")
    r = fc(["a.txt"], cache, cwd=work)
    assert r.returncode == 1, err(r)
    no_traceback(r)
    assert b"internal error" not in r.stderr
    assert "FC101" in out(r)


def test_44_a_large_stated_figure_is_shown_as_stated(work, cache_dir):
    nines = "9" * 40
    (work / "p.txt").write_text(f"今年收入200万元，比上年的100万元增长{nines}%。\n", encoding="utf-8")
    r = fc(["p.txt", "--show-ok"], cache_dir, cwd=work)
    no_traceback(r)
    assert f"与文中的{nines}相差太远" in out(r)
    assert "1" + "0" * 40 not in out(r)
