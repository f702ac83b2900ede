"""Issue 6: nothing lost, and output that depends on nothing but the inputs, configuration and rules.

- input files are opened read-only: after a run their bytes and modification times are unchanged and
  no file appears next to them;
- reports (--output) and baselines (--write-baseline) are written atomically: a write that fails midway
  (or is interrupted) leaves the previous file intact and no temporary file behind;
- the JSON report is byte-identical across hash seeds, locales, time zones and --jobs 1 / --jobs 2.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ARTICLES = ROOT / "tests" / "articles"


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("fc-cache")


def cli(args, cache_dir, env=None, cwd=None, timeout=300) -> subprocess.CompletedProcess:
    e = dict(os.environ)
    e["FACTCHECK_CACHE_DIR"] = str(cache_dir)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "factcheck", *map(str, args)], capture_output=True, cwd=cwd,
                          env=e, timeout=timeout)


def snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_mode)
            for p in sorted(folder.rglob("*"))}


# --- input files are only read -----------------------------------------------------------------------------

@pytest.mark.parametrize("jobs", ["1", "2"])
def test_seeds_are_unchanged_by_a_run(tmp_path, cache_dir, jobs):
    src = tmp_path / "seeds"
    shutil.copytree(SEEDS, src)
    for i in range(6):  # more than 8 files, so --jobs 2 really uses worker processes
        shutil.copy(next(iter(sorted(SEEDS.iterdir()))), src / f"copy{i}.txt")
    for p in src.iterdir():
        os.utime(p, ns=(1_500_000_000_000_000_000, 1_500_000_000_000_000_000))  # a distinctive old mtime
    before = snapshot(src)
    out = tmp_path / "out"
    out.mkdir()
    r = cli([src, "--format", "json", "--jobs", jobs, "--output", out / "report.json", "--write-baseline",
             out / "baseline.json", "--timings", out / "timings.json"], cache_dir)
    assert r.returncode == 1, r.stderr  # the seeds have discrepancies: the run really checked them
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["summary"]["files"] == len(before)
    r = cli(["claims", src], cache_dir)
    assert r.returncode == 0
    r = cli([src, "--format", "html", "--jobs", jobs], cache_dir)  # html reads the articles again
    assert r.returncode in (1, 2)
    assert snapshot(src) == before  # same names, bytes, mtimes and modes: nothing written, nothing added


# --- atomic report and baseline writes ------------------------------------------------------------------

class _HalfWriter:
    """A file object that writes half of what it is given, then fails as a full disk would."""

    def __init__(self, f):
        self._f = f

    def write(self, s):
        self._f.write(s[: len(s) // 2])
        self._f.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()
        return False


def _failing_fdopen(monkeypatch, exc=None):
    real = os.fdopen
    calls = []

    def fdopen(fd, *args, **kwargs):
        f = real(fd, *args, **kwargs)
        calls.append(fd)
        if exc is not None:
            class Interrupted(_HalfWriter):
                def write(self, s):
                    self._f.write(s[: len(s) // 2])
                    self._f.flush()
                    raise exc
            return Interrupted(f)
        return _HalfWriter(f)

    monkeypatch.setattr(os, "fdopen", fdopen)
    return calls


def _temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in ("report.json", "baseline.json"))


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_failed_write_leaves_the_previous_file_intact(tmp_path, monkeypatch, option):
    out = tmp_path / "out"
    out.mkdir()
    target = out / ("report.json" if option == "--output" else "baseline.json")
    r = CliRunner().invoke(main, [str(SEEDS), "--format", "json", "--jobs", "1", option, str(target)])
    assert r.exit_code == 1, r.output
    previous = target.read_bytes()
    assert len(previous) > 100 and json.loads(previous)
    calls = _failing_fdopen(monkeypatch)
    r = CliRunner().invoke(main, [str(SEEDS / "000_3e47b0061565aec6.txt"), "--format", "json", "--jobs", "1",
                                  option, str(target)])
    monkeypatch.undo()
    assert calls, "the write did not go through os.fdopen: the simulated failure never happened"
    assert r.exit_code == 2
    assert "No space left on device" in r.stderr and str(target) in r.stderr and "Traceback" not in r.stderr
    assert target.read_bytes() == previous  # the old report is whole, not half of the new one
    assert _temp_files(out) == []  # and no temporary file is left behind


def test_failed_first_write_leaves_no_file(tmp_path, monkeypatch):
    target = tmp_path / "report.json"
    calls = _failing_fdopen(monkeypatch)
    r = CliRunner().invoke(main, [str(SEEDS), "--format", "json", "--jobs", "1", "--output", str(target)])
    monkeypatch.undo()
    assert calls and r.exit_code == 2
    assert list(tmp_path.iterdir()) == []  # no truncated report, no temporary file


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), SystemExit(143)], ids=["ctrl-c", "sigterm-exit"])
def test_interrupted_write_leaves_the_previous_file_intact(tmp_path, monkeypatch, exc):
    """An interrupt in the middle of the write (Ctrl-C, or a SIGTERM handler that exits)."""
    from factcheck.atomic import write_atomic

    target = tmp_path / "report.json"
    target.write_text('{"old": true}\n', encoding="utf-8")
    _failing_fdopen(monkeypatch, exc)
    with pytest.raises(type(exc)):
        write_atomic(str(target), '{"new": true, "padding": "' + "x" * 100_000 + '"}\n')
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == '{"old": true}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_killed_writer_never_leaves_a_truncated_report(tmp_path):
    """SIGKILL cannot be caught: a process killed while writing its temporary file leaves the target as
    it was (it may leave the .tmp file, which is never the report's name)."""
    from factcheck.atomic import write_atomic

    target = tmp_path / "report.json"
    write_atomic(str(target), '{"old": true}\n')
    code = (
        "import os, signal, sys\n"
        "real = os.fdopen\n"
        "class W:\n"
        "    def __init__(s, f): s.f = f\n"
        "    def write(s, t):\n"
        "        s.f.write(t[:len(t)//2]); s.f.flush(); os.kill(os.getpid(), signal.SIGKILL)\n"
        "    def __getattr__(s, n): return getattr(s.f, n)\n"
        "    def __enter__(s): return s\n"
        "    def __exit__(s, *a): return False\n"
        "os.fdopen = lambda fd, *a, **k: W(real(fd, *a, **k))\n"
        "from factcheck.atomic import write_atomic\n"
        f"write_atomic({str(target)!r}, 'new ' * 100000)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert r.returncode == -9  # really killed midway
    assert target.read_text(encoding="utf-8") == '{"old": true}\n'
    leftovers = [p for p in tmp_path.iterdir() if p.name != "report.json"]
    assert all(p.name.startswith(".factcheck-") and p.name.endswith(".tmp") for p in leftovers)


def test_report_write_keeps_a_symlink_and_replaces_the_target(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    r = CliRunner().invoke(main, [str(SEEDS), "--format", "json", "--jobs", "1", "--output", str(link)])
    assert r.exit_code == 1
    assert link.is_symlink() and json.loads(real.read_text(encoding="utf-8"))["summary"]["files"] == 5


# --- deterministic output ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """More than 8 files (so that --jobs 2 uses worker processes): the seeds and the test articles."""
    d = tmp_path_factory.mktemp("corpus")
    for p in sorted(SEEDS.glob("*.txt")) + sorted(ARTICLES.glob("*.txt")):
        shutil.copy(p, d / p.name)
    assert len(list(d.iterdir())) > 8
    return d


VARIANTS = {
    "hashseed-0": {"PYTHONHASHSEED": "0"},
    "hashseed-4242": {"PYTHONHASHSEED": "4242"},
    "hashseed-random": {"PYTHONHASHSEED": "random"},
    "lc-all-c": {"LC_ALL": "C", "PYTHONHASHSEED": "1"},
    "lc-all-c-utf8": {"LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "2"},
    "lang-zh": {"LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8", "PYTHONHASHSEED": "3"},
    "tz-shanghai": {"TZ": "Asia/Shanghai", "PYTHONHASHSEED": "5"},
    "tz-honolulu": {"TZ": "Pacific/Honolulu", "PYTHONHASHSEED": "6"},
}


@pytest.fixture(scope="module")
def outputs(corpus, tmp_path_factory):
    cache = tmp_path_factory.mktemp("fc-cache-det")
    out = {}
    for jobs in ("1", "2"):
        for name, env in VARIANTS.items():
            r = cli([corpus, "--format", "json", "--jobs", jobs], cache, env=env, cwd=corpus.parent)
            assert r.returncode == 1, r.stderr
            out[(name, jobs)] = r.stdout
    return out


def test_json_is_byte_identical_across_hash_seeds_locales_time_zones_and_jobs(outputs):
    reference = outputs[("hashseed-0", "1")]
    report = json.loads(reference)
    assert report["summary"]["files"] > 8 and report["summary"]["checks"] > 20  # a real, busy report
    different = sorted(k for k, v in outputs.items() if v != reference)
    assert different == [], f"JSON differs from hashseed-0/--jobs 1 for {different}"


def test_json_is_the_same_when_the_file_order_on_the_command_line_changes(corpus, cache_dir):
    files = sorted(corpus.iterdir())
    a = cli([*files, "--format", "json", "--jobs", "1"], cache_dir)
    b = cli([*reversed(files), "--format", "json", "--jobs", "1"], cache_dir)
    assert a.returncode == b.returncode == 1
    assert json.loads(a.stdout)["summary"]["files"] == len(files)
    assert a.stdout == b.stdout


def test_text_output_is_the_same_across_hash_seeds(corpus, cache_dir):
    a = cli([corpus, "--jobs", "2", "--no-color"], cache_dir, env={"PYTHONHASHSEED": "11"})
    b = cli([corpus, "--jobs", "1", "--no-color"], cache_dir, env={"PYTHONHASHSEED": "12", "LC_ALL": "C"})
    assert a.returncode == b.returncode == 1
    assert "处不符".encode() in a.stdout and a.stdout == b.stdout
