"""The claim archive under the command line's input and output policy (issue 14): the archive is an input
no output may replace, and what an archived article says about itself (its title, its path) reaches
a terminal or a CI log escaped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from archive_helpers import cli

SEED_001 = "seeds/001_5eba1bd811c369dd.txt"
SEED_003 = "seeds/003_a7e8c9d2e0f9aae0.txt"


def test_an_output_never_replaces_the_archive(work, tmp_path):
    url = str(tmp_path / "a.sqlite")
    assert cli("index", "seeds/", "--archive", url, "--no-progress", cwd=work).returncode == 0
    before = (tmp_path / "a.sqlite").read_bytes()
    for option in ("-o", "--timings", "--write-baseline"):
        r = cli("check", SEED_001, "--archive", url, option, url, "--no-progress", cwd=work)
        assert r.returncode == 2, (option, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr
    assert (tmp_path / "a.sqlite").read_bytes() == before
    r = cli("check", SEED_001, "--archive", url, "--no-progress", cwd=work)
    assert r.returncode == 1 and "为1208亿元，相差144亿元" in r.stdout


def test_an_archived_title_is_shown_escaped(work, tmp_path):
    body = (work / SEED_003).read_text(encoding="utf-8")
    title = "三轴\x1b]0;pwned\x07项目\u202e建设"
    (work / "old.md").write_text(f"---\ntitle: \"{title.encode('unicode_escape').decode()}\"\n---\n" + body,
                                 encoding="utf-8")
    url = str(tmp_path / "a.sqlite")
    assert cli("index", "old.md", "--archive", url, "--no-progress", cwd=work).returncode == 0
    for fmt in ("text", "github"):
        r = cli("check", SEED_001, "--archive", url, "--format", fmt, "--no-progress", "--no-color", cwd=work)
        assert r.returncode == 1, (fmt, r.stderr)
        assert "\x1b" not in r.stdout and "\x07" not in r.stdout and "\u202e" not in r.stdout, fmt
        assert "\\x1b]0;pwned\\x07" in r.stdout and "\\u202e" in r.stdout, fmt
    # the JSON report keeps the title as it is (JSON escapes it)
    data = json.loads(cli("check", SEED_001, "--archive", url, "--format", "json", "--no-progress", cwd=work).stdout)
    arch = [c["details"]["archived"] for c in data["checks"] if c["status"] == "discrepancy"]
    assert arch and arch[0]["title"] == title
    for what in (["show", "old.md"], ["search", "产业项目"]):
        r = cli("archive", *what, "--archive", url, cwd=work)
        assert r.returncode == 0 and "\x1b" not in r.stdout and "\u202e" not in r.stdout, what


def test_archive_show_with_a_closed_stdout_and_a_reader_gone(work, tmp_path):
    """The archive's commands run under runtime.run_command as check does: no traceback."""
    url = str(tmp_path / "a.sqlite")
    assert cli("index", "seeds/", "--archive", url, "--no-progress", cwd=work).returncode == 0
    p = subprocess.run(f"{sys.executable} -m factcheck archive search 项目 --archive {url} | head -c 10",
                       shell=True, capture_output=True, text=True, cwd=work)
    assert "Traceback" not in p.stderr and "Broken pipe" not in p.stderr


def test_index_refuses_a_file_of_more_figures_than_an_article(work, tmp_path):
    from factcheck.documents import MAX_FIGURES

    (work / "dense.txt").write_text("项目1个，" * (MAX_FIGURES + 10), encoding="utf-8")
    url = str(tmp_path / "a.sqlite")
    r = cli("index", "dense.txt", SEED_003, "--archive", url, "--no-progress", cwd=work)
    assert r.returncode == 2 and f"dense.txt: more than {MAX_FIGURES} figures" in r.stderr, r.stderr
    assert "1 article indexed" in r.stdout
    assert cli("archive", "show", "dense.txt", "--archive", url, cwd=work).returncode == 2


def test_figures_beyond_28_digits_are_compared_exactly(work, archive_url):
    """Two 40-digit figures that differ in their last two digits conflict, as they do inside one run (at the
    usual 28 digits they would round to one value and agree)."""
    big, other = "1" * 40, "1" * 38 + "99"
    old = (work / SEED_003).read_text(encoding="utf-8").replace("1208亿元", f"{big}亿元")
    new = (work / SEED_001).read_text(encoding="utf-8").replace("1352亿元", f"{other}亿元")
    (work / "old.txt").write_text(old, encoding="utf-8")
    (work / "new.txt").write_text(new, encoding="utf-8")
    in_one_run = cli("check", "new.txt", "old.txt", "--no-progress", "--no-color", cwd=work)
    assert f"new.txt为{other}亿元，old.txt为{big}亿元，相差88亿元" in in_one_run.stdout, in_one_run.stdout
    assert cli("index", "old.txt", "--archive", archive_url, "--no-progress", cwd=work).returncode == 0
    r = cli("check", "new.txt", "--archive", archive_url, "--no-progress", "--no-color", cwd=work)
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"new.txt为{other}亿元，old.txt为{big}亿元，相差88亿元" in r.stdout and "--> old.txt:101:1" in r.stdout
    assert "Traceback" not in r.stderr and "InvalidOperation" not in r.stderr


SLOW_INDEX = """
import os, signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)  # whatever the test runner's parent ignores
import factcheck.archive.indexer as ix
MARKS = sys.argv[3]
real = ix._record
def slow(path, *a, **k):
    if "slow" in os.path.basename(path):
        open(os.path.join(MARKS, f"worker-{os.getpid()}"), "w").close()
        time.sleep(120)
    return real(path, *a, **k)
ix._record = slow
from factcheck.cli import main
sys.argv = ["factcheck", "index", sys.argv[1], "--archive", sys.argv[2], "--jobs", "2", "--no-progress"]
main()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["term", "int"])
def test_an_interrupted_index_stops_its_workers_and_keeps_what_it_wrote(work, tmp_path, sig):
    folder = work / "many"
    folder.mkdir()
    text = (work / SEED_003).read_text(encoding="utf-8")
    for i in range(2):
        (folder / f"a{i}-fast.txt").write_text(text, encoding="utf-8")
    for i in range(6):
        (folder / f"b{i}-slow.txt").write_text(text, encoding="utf-8")
    marks = tmp_path / "marks"
    marks.mkdir()
    url = str(tmp_path / "a.sqlite")
    env = dict(os.environ, FACTCHECK_CACHE_DIR=str(tmp_path / ".fc-cache"))
    env.pop("FACTCHECK_ARCHIVE", None)
    p = subprocess.Popen([sys.executable, "-c", SLOW_INDEX, str(folder), url, str(marks)], cwd=work, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(os.listdir(marks)) < 2:
            time.sleep(0.05)
        workers = [int(m.split("-")[1]) for m in os.listdir(marks)]
        assert workers, "the workers did not start"
        time.sleep(0.5)  # the fast articles are written by now
        p.send_signal(sig)
        out, err = p.communicate(timeout=60)
        assert p.returncode == (143 if sig == signal.SIGTERM else 130), err
        assert "Traceback" not in err, err
        assert ("terminated" if sig == signal.SIGTERM else "interrupted") in err
        assert "run the same command again to finish" in err
        for pid in workers:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and os.path.exists(f"/proc/{pid}") and \
                    open(f"/proc/{pid}/stat").read().split()[2] != "Z":
                time.sleep(0.05)
            assert not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split()[2] == "Z", \
                "a worker outlived the interrupted index"
        shown = json.loads(cli("archive", "stats", "--archive", url, "--format", "json", cwd=work).stdout)
        assert shown["articles"] == 2  # the fast ones, whole
    finally:
        if p.poll() is None:
            p.kill()
        for pid in workers:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
