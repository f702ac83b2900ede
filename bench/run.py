#!/usr/bin/env python3
"""factcheck benchmark: one command, prints a table and writes JSON.

    python bench/run.py [--n 10000] [--out bench/out] [--factcheck-cmd "factcheck"]

See bench/README.md for what each figure means and the targets.  Standard library
only; jionlp runs in its own venv (bench/.venv-jionlp) via bench/baselines.py.
A step that fails prints its error and is marked `failed`; the others still run.
"""
import argparse
import json
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import baselines  # noqa: E402
import gen_corpus  # noqa: E402

OK_EXIT = (0, 1)  # 1 = discrepancies found, which the seeds and the corpus do contain
TARGET_CPS = 1_000_000
TARGET_RSS_KB = 1024 * 1024
LINEAR_SLACK = 1.5  # "about linear": growth ratio <= 1.5 x the growth in files
TARGET_REAL_RATIO = 0.5  # real text: end-to-end >= 0.5 x jionlp's money-only extraction on the same text
DEFAULT_REAL = ROOT.parent / "shared" / "eval" / "dev" / "articles"  # ../shared/eval/dev/articles
DEFAULT_REAL_CHARS = 1_000_000

# Runs the command in a fresh process so RUSAGE_CHILDREN covers only it (and its workers).
WRAPPER = r"""
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
with open(sys.argv[2], "wb") as out:
    p = subprocess.run(json.loads(sys.argv[1]), stdout=out, stderr=subprocess.PIPE)
wall = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.buffer.write(p.stderr[-4000:])
print(json.dumps({"rc": p.returncode, "wall_s": wall, "maxrss_kb": ru.ru_maxrss,
                  "user_s": ru.ru_utime, "sys_s": ru.ru_stime}))
"""


class StepFailed(Exception):
    pass


def check_exit(rc, ok, cmd, stderr):
    # exit 1 means "discrepancies found", but an uncaught Python exception also exits 1
    if rc not in ok or "Traceback (most recent call last)" in stderr:
        raise StepFailed(f"exit {rc}: {shlex.join(cmd)}\n{stderr[-2000:]}")


def check_json(path):
    """factcheck --format json output must parse (one document, or JSON lines).

    Returns the report's `summary` object (claims, checks, discrepancies ...) when it has one, else None."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        docs = [json.loads(text)]
    except ValueError:
        try:
            docs = [json.loads(ln) for ln in text.splitlines() if ln.strip()]
        except ValueError as e:
            raise StepFailed(f"--format json output is not JSON ({e}): {text[:300]!r}") from None
        if not docs:
            raise StepFailed("--format json output is empty")
    summaries = [d["summary"] for d in docs if isinstance(d, dict) and isinstance(d.get("summary"), dict)]
    return summaries[-1] if len(summaries) == 1 else None


# ---------------------------------------------------------------- process helpers


def run(cmd, env, timeout, ok=OK_EXIT):
    """Run cmd from the repo root; return wall seconds. Raise StepFailed on a bad exit."""
    t0 = time.perf_counter()
    try:
        p = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, start_new_session=True)
    except FileNotFoundError as e:
        raise StepFailed(f"command not found: {cmd[0]} ({e})") from None
    _, err = communicate(p, timeout, cmd)
    wall = time.perf_counter() - t0
    check_exit(p.returncode, ok, cmd, err.decode("utf-8", "replace"))
    return wall


def communicate(p, timeout, cmd):
    """p.communicate(); on timeout kill p's process group (p and its workers) and fail."""
    try:
        return p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        raise StepFailed(f"timed out after {timeout}s: {shlex.join(cmd)}") from None


def tree_rss_kb(root_pid):
    """Sum of RSS over the descendants of root_pid (Linux /proc), in KiB."""
    kids = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                stat = Path(f"/proc/{d}/stat").read_text()
                kids.setdefault(int(stat[stat.rindex(")") + 2:].split()[1]), []).append(int(d))
            except (OSError, ValueError):
                pass
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    total, todo = 0, list(kids.get(root_pid, []))
    while todo:
        pid = todo.pop()
        todo.extend(kids.get(pid, []))
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page_kb
        except (OSError, ValueError, IndexError):
            pass
    return total


def measure(cmd, env, timeout, stdout_path=os.devnull):
    """Wall time and peak memory of cmd, run inside a fresh wrapper process."""
    w = subprocess.Popen([sys.executable, "-c", WRAPPER, json.dumps(cmd), str(stdout_path)], cwd=ROOT, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    peak, done = [0], threading.Event()

    def sample():
        while not done.wait(0.1):
            try:
                peak[0] = max(peak[0], tree_rss_kb(w.pid))
            except OSError:
                return

    t = threading.Thread(target=sample, daemon=True)
    if os.path.isdir("/proc"):
        t.start()
    try:
        out, err = communicate(w, timeout, cmd)
    finally:
        done.set()
    err = err.decode("utf-8", "replace")
    if w.returncode != 0:
        raise StepFailed(f"wrapper failed (exit {w.returncode}): {err[-2000:]}")
    r = json.loads(out.decode().strip().splitlines()[-1])
    check_exit(r["rc"], OK_EXIT, cmd, err)
    r["tree_peak_rss_kb"] = peak[0] or None
    return r


# ---------------------------------------------------------------- factcheck installs

BUILDS = {"compiled": "auto", "pure": "0"}  # bench venv → FACTCHECK_NATIVE for `pip install .`


def installed_env():
    """The environment an installed build runs in: this one without PYTHONPATH, which would put another
    copy of factcheck (src/ of a checkout, say) ahead of the venv's and measure that instead."""
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return env


def source_stamp():
    """A hash of everything a wheel is built from: a venv is rebuilt when the tree changed."""
    import hashlib

    h = hashlib.sha256()
    files = [ROOT / "setup.py", ROOT / "pyproject.toml"] + sorted((ROOT / "_build").glob("*.py")) \
        + sorted(p for p in (ROOT / "src").rglob("*") if p.is_file() and "__pycache__" not in p.parts
                 and p.suffix not in (".so", ".pyc")) + sorted((ROOT / "rules").glob("*.yaml"))
    for f in files:
        h.update(str(f.relative_to(ROOT)).encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def ensure_factcheck_venv(build, log=print):
    """bench/.venv-factcheck-BUILD with factcheck installed from this tree as a user installs it
    (`pip install .`: a wheel, compiled unless FACTCHECK_NATIVE=0); rebuilt when the tree changed.
    Returns the command that runs it and the build it reports (factcheck --version)."""
    venv = HERE / f".venv-factcheck-{build}"
    py = baselines.venv_python(venv)
    stamp_file, stamp = venv / "factcheck-source.sha256", source_stamp()
    if not (py.exists() and stamp_file.exists() and stamp_file.read_text().strip() == stamp):
        log(f"installing factcheck ({build}) from {ROOT} into {venv} ...")
        t0 = time.perf_counter()
        env = dict(installed_env(), FACTCHECK_NATIVE=BUILDS[build])
        wheels = venv / "wheel"
        shutil.rmtree(wheels, ignore_errors=True)

        def sh(cmd):
            p = subprocess.run(cmd, capture_output=True, text=True, env=env)
            if p.returncode != 0:
                raise StepFailed(f"{shlex.join(cmd)} failed (exit {p.returncode}):\n" + (p.stdout + p.stderr)[-3000:])

        if not py.exists():
            sh([sys.executable, "-m", "venv", str(venv)])
        pip = [str(py), "-m", "pip", "--disable-pip-version-check", "-q"]
        sh(pip + ["wheel", "--no-deps", "-w", str(wheels), str(ROOT)])
        wheel = str(next(wheels.glob("factcheck*.whl")))  # factcheck_zh-…whl
        sh(pip + ["install", "--force-reinstall", "--no-deps", wheel])
        sh(pip + ["install", wheel])  # its dependencies
        stamp_file.write_text(stamp + "\n")
        log(f"  done in {time.perf_counter() - t0:.1f}s")
    fc = [str(venv / "bin" / "factcheck")]
    v = subprocess.run(fc + ["--version"], capture_output=True, text=True, env=installed_env())
    if v.returncode != 0:
        raise StepFailed(f"{fc[0]} --version failed: {v.stderr[-2000:]}")
    return fc, v.stdout.strip()


# ---------------------------------------------------------------- steps


def corpus_files(d):
    return sorted(Path(d).rglob("*.txt"))


def ensure_corpus(n, root):
    d = root / str(n)
    if len(corpus_files(d)) == n:
        return d
    tmp = root / f"{n}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"generating {n} articles into {d} ...", flush=True)
    t0 = time.perf_counter()
    gen_corpus.generate(str(tmp), n, seed=1)
    print(f"  done in {time.perf_counter() - t0:.1f}s", flush=True)
    shutil.rmtree(d, ignore_errors=True)
    os.replace(tmp, d)
    return d


def build_real_corpus(src, dest, target_chars):
    """Copy the articles of src (its *.txt, sorted) into dest, one file per copy, round after round,
    until the copies hold at least target_chars characters; every article is copied at least once.

    Copies are byte-identical to their article and flat in dest, named ROUND_INDEX_NAME
    (`003_0041_agr-05.txt`: the fourth copy of the 42nd article), so no two share a name.
    dest is emptied first.  Returns (files written in order, their total characters)."""
    sources = [(f, f.read_bytes()) for f in sorted(Path(src).glob("*.txt"))]
    sizes = [len(f.read_text(encoding="utf-8")) for f, _ in sources]  # counted as the corpus step counts
    if not sum(sizes):
        raise StepFailed(f"no text in {src}/*.txt")
    dest = Path(dest)
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    files, chars, rnd = [], 0, 0
    while rnd == 0 or chars < target_chars:
        for i, ((f, data), n) in enumerate(zip(sources, sizes)):
            if rnd and chars >= target_chars:
                break
            out = dest / f"{rnd:03d}_{i:04d}_{f.name}"
            out.write_bytes(data)
            files.append(out)
            chars += n
        rnd += 1
    return files, chars


def timings_run(fc, path, env, timeout, tmpdir):
    tf = Path(tmpdir) / f"timings_{Path(path).name}.json"
    cmd = fc + [str(path), "--format", "json", "--jobs", "1", "--timings", str(tf), "--output", os.devnull]
    wall = run(cmd, env, timeout)
    try:
        t = json.loads(tf.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise StepFailed(f"no usable --timings file {tf}: {e}") from None
    missing = {"files", "chars", "claims", "conflicts_s", "total_s"} - set(t)
    if missing:
        raise StepFailed(f"--timings file lacks keys {sorted(missing)}: {t}")
    return {"wall_s": wall, "timings": t}


def main(argv=None):
    ap = argparse.ArgumentParser(description="factcheck benchmark")
    ap.add_argument("--n", type=int, default=10000, help="corpus size in articles (default 10000)")
    ap.add_argument("--out", default=str(HERE / "out"), help="where results.json goes")
    ap.add_argument("--factcheck-cmd", default=None,
                    help="command that runs factcheck (default: `factcheck` on PATH, "
                         "else `python -m factcheck` with src/ on PYTHONPATH)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel run's --jobs")
    ap.add_argument("--jionlp-max-files", type=int, default=None,
                    help="jionlp throughput on the first K corpus files only (default all)")
    ap.add_argument("--skip-jionlp", action="store_true")
    ap.add_argument("--skip-pure", action="store_true",
                    help="do not measure the pure-Python build beside the compiled one")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per factcheck run")
    ap.add_argument("--real", default=str(DEFAULT_REAL),
                    help="folder of real articles (*.txt) for the real-text steps "
                         "(default ../shared/eval/dev/articles from the project root); skipped if absent")
    ap.add_argument("--real-chars", type=int, default=DEFAULT_REAL_CHARS,
                    help="repeat the real articles into files until this many characters (default 1000000)")
    a = ap.parse_args(argv)

    env = dict(os.environ) if a.factcheck_cmd else installed_env()  # a given command keeps PYTHONPATH
    if not a.factcheck_cmd and "PYTHONPATH" in os.environ:
        print(f"PYTHONPATH={os.environ['PYTHONPATH']} is left out of the installed builds' runs", flush=True)
    builds = {}  # build → (command, what its --version says)
    if a.factcheck_cmd:
        fc = shlex.split(a.factcheck_cmd)
    else:
        try:
            for build in ("compiled",) + (() if a.skip_pure else ("pure",)):
                builds[build] = ensure_factcheck_venv(build, log=lambda m: print(m, flush=True))
        except StepFailed as e:
            print(f"cannot install factcheck from this tree: {e}", file=sys.stderr)
            return 2
        fc = builds["compiled"][0]
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    tmpdir = tempfile.mkdtemp(prefix="fcbench-")
    res = {"meta": {"n": a.n, "factcheck_cmd": fc, "cpu_count": os.cpu_count(), "jobs": a.jobs,
                    "real": a.real, "real_chars_target": a.real_chars,
                    "python": sys.version.split()[0], "platform": platform.platform(),
                    "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "builds": {b: v for b, (_, v) in builds.items()}},
           "steps": {}}
    steps = res["steps"]

    def step(name, fn):
        print(f"[{name}] ...", flush=True)
        try:
            steps[name] = {"status": "ok", **fn()}
        except Exception as e:  # noqa: BLE001 -- a failing step must not stop the others
            msg = str(e) if isinstance(e, (StepFailed, RuntimeError)) else traceback.format_exc()
            print(f"[{name}] FAILED: {msg}", flush=True)
            steps[name] = {"status": "failed", "error": msg}

    print(f"factcheck command: {shlex.join(fc)}")
    for b, (cmd, version) in builds.items():
        print(f"  {b}: {version}  ({cmd[0]})")
    corpus = {}

    def s_corpus():
        d = ensure_corpus(a.n, HERE / "corpus")
        files = corpus_files(d)
        chars = sum(len(f.read_text(encoding="utf-8")) for f in files)
        subset = sorted(p for p in d.iterdir() if p.is_dir())[0]  # first folder = first 1,000 files
        corpus.update(dir=d, files=files, chars=chars, subset=subset)
        return {"dir": str(d), "files": len(files), "chars": chars,
                "subset_dir": str(subset), "subset_files": len(corpus_files(subset))}

    step("corpus", s_corpus)
    seeds = sorted((ROOT / "seeds").glob("*.txt"))

    def s_startup(fc=fc):
        walls = [run(fc + ["--version"], env, 60, ok=(0,)) for _ in range(5)]
        return {"median_s": statistics.median(walls), "runs_s": walls}

    def s_seeds(fc=fc):
        walls = [run(fc + ["seeds/"], env, a.timeout) for _ in range(3)]
        return {"median_s": statistics.median(walls), "runs_s": walls}

    def s_throughput(jobs, fc=fc, corp=corpus, tag=""):
        def f():
            if not corp:
                raise StepFailed("no corpus")
            report = Path(tmpdir) / f"report_{tag}jobs{jobs}.json"
            r = measure(fc + [str(corp["dir"]), "--format", "json", "--jobs", str(jobs), "--no-progress"],
                        env, a.timeout, report)
            r["report_bytes"] = report.stat().st_size
            r["report_summary"] = check_json(report)
            report.unlink()
            r["chars"] = corp["chars"]
            r["chars_per_s"] = corp["chars"] / r["wall_s"]
            r["chars_per_s_per_job"] = r["chars_per_s"] / jobs
            return r
        return f

    def s_conflicts():
        if not corpus:
            raise StepFailed("no corpus")
        full = timings_run(fc, corpus["dir"], env, a.timeout, tmpdir)
        if corpus["subset"] == corpus["dir"] or len(corpus["files"]) <= 1000:
            return {"full": full, "small": None, "growth": None, "files_growth": None}
        small = timings_run(fc, corpus["subset"], env, a.timeout, tmpdir)
        c1, c2 = small["timings"]["conflicts_s"], full["timings"]["conflicts_s"]
        nf = full["timings"]["files"] / max(1, small["timings"]["files"])
        return {"small": small, "full": full, "files_growth": nf, "growth": c2 / c1 if c1 else None}

    def s_regex():
        if not corpus:
            raise StepFailed("no corpus")
        return baselines.regex_scan(corpus["files"])

    def s_jionlp(corp=corpus, max_files=a.jionlp_max_files, probes=True):
        if not corp:
            raise StepFailed("no corpus")
        return baselines.jionlp_measure(seeds, corp["files"], max_files=max_files, probes=probes,
                                        timeout=a.timeout, log=lambda m: print("  " + m, flush=True))

    real = {}
    real_src = Path(a.real)

    def s_real_corpus():
        d = out / "tmp" / f"real-{a.real_chars}"
        files, chars = build_real_corpus(real_src, d, a.real_chars)
        real.update(dir=d, files=files, chars=chars)
        return {"source": str(real_src), "source_files": len(list(real_src.glob("*.txt"))),
                "dir": str(d), "files": len(files), "chars": chars}

    step("startup", s_startup)
    step("seeds_cold", s_seeds)
    step("throughput_jobs1", s_throughput(1))
    if a.jobs != 1:
        step(f"throughput_jobs{a.jobs}", s_throughput(a.jobs))
    step("conflicts", s_conflicts)
    if "pure" in builds:  # the same rows for the pure-Python build (an editable install, no C compiler)
        pure = builds["pure"][0]
        step("pure_startup", lambda: s_startup(pure))
        step("pure_seeds_cold", lambda: s_seeds(pure))
        step("pure_throughput_jobs1", s_throughput(1, pure))
        if a.jobs != 1:
            step(f"pure_throughput_jobs{a.jobs}", s_throughput(a.jobs, pure))
    step("regex_floor", s_regex)
    if not a.skip_jionlp:
        step("jionlp", s_jionlp)
    # real text: the dev articles repeated to --real-chars, the same measurements (compiled build)
    real_steps = ["real_corpus", "real_throughput_jobs1"] + ([f"real_throughput_jobs{a.jobs}"] if a.jobs != 1 else []) \
        + ([] if a.skip_jionlp else ["real_jionlp"])
    if real_src.is_dir():
        step("real_corpus", s_real_corpus)
        step("real_throughput_jobs1", s_throughput(1, corp=real, tag="real_"))
        if a.jobs != 1:
            step(f"real_throughput_jobs{a.jobs}", s_throughput(a.jobs, corp=real, tag="real_"))
        if not a.skip_jionlp:  # every file: the ratio is on the same text
            step("real_jionlp", lambda: s_jionlp(real, max_files=None, probes=False))
    else:
        why = f"no folder {real_src} (give one with --real DIR)"
        print(f"[real text] skipped: {why}", flush=True)
        for name in real_steps:
            steps[name] = {"status": "skipped", "reason": why}
    shutil.rmtree(tmpdir, ignore_errors=True)

    res["summary"] = summarize(steps, a.jobs)
    (out / "results.json").write_text(json.dumps(res, indent=2, ensure_ascii=False, default=str) + "\n",
                                      encoding="utf-8")
    print_table(res["summary"])
    print(f"\nresults: {out / 'results.json'}")
    return 0


# ---------------------------------------------------------------- summary


def get(steps, name, *path):
    """steps[name][path...] if that step succeeded, else None."""
    v = steps.get(name)
    if not v or v.get("status") != "ok":
        return None
    for k in path:
        if not isinstance(v, dict) or v.get(k) is None:
            return None
        v = v[k]
    return v


def summarize(steps, jobs):
    g = lambda *p: get(steps, *p)  # noqa: E731
    cps1, cpsn = g("throughput_jobs1", "chars_per_s"), g(f"throughput_jobs{jobs}", "chars_per_s")
    rx, jio = g("regex_floor", "chars_per_s"), g("jionlp", "throughput", "chars_per_s")
    seeds, jio_seeds = g("seeds_cold", "median_s"), g("jionlp", "seeds_wall_s")
    rss1 = g("throughput_jobs1", "maxrss_kb")
    growth, nf = g("conflicts", "growth"), g("conflicts", "files_growth")
    small_files = g("conflicts", "small", "timings", "files")
    full_files = g("conflicts", "full", "timings", "files")

    def verdict(ok):
        return None if ok is None else ("pass" if ok else "FAIL")

    def both(x, y, f):
        return None if x is None or y is None else f(x, y)

    rows = [
        # (key, label, value, unit, target, verdict, step that feeds it)
        ("startup_s", "startup: factcheck --version (median of 5)", g("startup", "median_s"), "s",
         "report (lower is better)", None, "startup"),
        ("seeds_cold_s", "factcheck seeds/ cold (median of 3)", seeds, "s",
         "< jionlp import+extract on seeds", verdict(both(seeds, jio_seeds, lambda x, y: x < y)), "seeds_cold"),
        ("jionlp_seeds_s", "jionlp: python + import + extract_money(5 seeds)", jio_seeds, "s", "", None, "jionlp"),
        ("jionlp_import_s", "jionlp: import jionlp (median of 3)", g("jionlp", "import_s"), "s", "", None, "jionlp"),
        ("cps_jobs1", "factcheck --jobs 1 end-to-end", cps1, "chars/s", ">= 1,000,000 per core",
         verdict(None if cps1 is None else cps1 >= TARGET_CPS), "throughput_jobs1"),
        (f"cps_jobs{jobs}", f"factcheck --jobs {jobs} end-to-end", cpsn, "chars/s",
         "" if cpsn is None else f"per core: {cpsn / jobs:,.0f}", None, f"throughput_jobs{jobs}"),
        ("maxrss_jobs1_mb", "peak RSS, --jobs 1 (max RSS of child)", rss1 and rss1 / 1024, "MB", "< 1024 MB",
         verdict(None if rss1 is None else rss1 < TARGET_RSS_KB), "throughput_jobs1"),
        (f"maxrss_jobs{jobs}_mb", f"peak RSS, --jobs {jobs} (largest process)",
         (lambda v: v and v / 1024)(g(f"throughput_jobs{jobs}", "maxrss_kb")), "MB", "", None, f"throughput_jobs{jobs}"),
        (f"treerss_jobs{jobs}_mb", f"peak RSS, --jobs {jobs} (all processes, sampled)",
         (lambda v: v and v / 1024)(g(f"throughput_jobs{jobs}", "tree_peak_rss_kb")), "MB", "", None,
         f"throughput_jobs{jobs}"),
        ("conflicts_small_s", f"conflicts_s on {small_files or '1000'} files",
         g("conflicts", "small", "timings", "conflicts_s"), "s", "", None, "conflicts"),
        ("conflicts_full_s", f"conflicts_s on {full_files or 'all'} files",
         g("conflicts", "full", "timings", "conflicts_s"), "s", "", None, "conflicts"),
        ("conflicts_growth", f"conflicts_s growth (files x{nf or '?'})", growth, "x",
         f"about linear (<= {LINEAR_SLACK} x files growth)",
         verdict(both(growth, nf, lambda x, y: x <= LINEAR_SLACK * y)), "conflicts"),
        ("regex_cps", "regex floor (read + scan)", rx, "chars/s", "", None, "regex_floor"),
        ("jionlp_cps", "jionlp extract_money", jio, "chars/s",
         f"{g('jionlp', 'throughput', 'files') or '?'} files", None, "jionlp"),
        ("ratio_regex", "factcheck (--jobs 1) / regex floor", both(cps1, rx, lambda x, y: x / y), "x", "",
         None, "throughput_jobs1"),
        ("ratio_jionlp", "factcheck (--jobs 1) / jionlp", both(cps1, jio, lambda x, y: x / y), "x",
         "> 1 (faster than jionlp)", verdict(both(cps1, jio, lambda x, y: x > y)), "throughput_jobs1"),
        (f"ratio_jionlp_jobs{jobs}", f"factcheck (--jobs {jobs}) per core / jionlp",
         both(cpsn, jio, lambda x, y: x / jobs / y), "x", "scaling shown (the cores also run the parent)",
         None, f"throughput_jobs{jobs}"),
    ]
    rows += per_kchar_rows(steps, "", "generated corpus")
    # real text: the dev articles repeated (--real, --real-chars), same measurements, same build
    rcps1, rcpsn = g("real_throughput_jobs1", "chars_per_s"), g(f"real_throughput_jobs{jobs}", "chars_per_s")
    rjio = g("real_jionlp", "throughput", "chars_per_s")
    rows += [
        ("real_chars", f"real text: characters ({g('real_corpus', 'files') or '?'} files)",
         g("real_corpus", "chars"), "chars", "", None, "real_corpus"),
        ("real_cps_jobs1", "real text: factcheck --jobs 1 end-to-end", rcps1, "chars/s", "", None,
         "real_throughput_jobs1"),
        (f"real_cps_jobs{jobs}", f"real text: factcheck --jobs {jobs} end-to-end", rcpsn, "chars/s",
         "" if rcpsn is None else f"per core: {rcpsn / jobs:,.0f}", None, f"real_throughput_jobs{jobs}"),
        ("real_jionlp_cps", "real text: jionlp extract_money", rjio, "chars/s",
         f"{g('real_jionlp', 'throughput', 'files') or '?'} files", None, "real_jionlp"),
        ("real_ratio_jionlp", "real text: factcheck (--jobs 1) / jionlp", both(rcps1, rjio, lambda x, y: x / y),
         "x", f">= {TARGET_REAL_RATIO} x jionlp money-only",
         verdict(both(rcps1, rjio, lambda x, y: x >= TARGET_REAL_RATIO * y)), "real_throughput_jobs1"),
        (f"real_ratio_jionlp_jobs{jobs}", f"real text: factcheck (--jobs {jobs}) per core / jionlp",
         both(rcpsn, rjio, lambda x, y: x / jobs / y), "x", "", None, f"real_throughput_jobs{jobs}"),
    ] + per_kchar_rows(steps, "real_", "real text")
    pure1, puren = g("pure_throughput_jobs1", "chars_per_s"), g(f"pure_throughput_jobs{jobs}", "chars_per_s")
    if "pure_startup" in steps:  # the pure-Python build, measured the same way
        rows += [
            ("pure_startup_s", "pure Python: factcheck --version", g("pure_startup", "median_s"), "s", "", None,
             "pure_startup"),
            ("pure_seeds_cold_s", "pure Python: factcheck seeds/ cold", g("pure_seeds_cold", "median_s"), "s",
             "< jionlp import+extract on seeds",
             verdict(both(g("pure_seeds_cold", "median_s"), jio_seeds, lambda x, y: x < y)), "pure_seeds_cold"),
            ("pure_cps_jobs1", "pure Python: --jobs 1 end-to-end", pure1, "chars/s", ">= 1,000,000 per core",
             verdict(None if pure1 is None else pure1 >= TARGET_CPS), "pure_throughput_jobs1"),
            (f"pure_cps_jobs{jobs}", f"pure Python: --jobs {jobs} end-to-end", puren, "chars/s",
             "" if puren is None else f"per core: {puren / jobs:,.0f}", None, f"pure_throughput_jobs{jobs}"),
            ("pure_ratio_jionlp", "pure Python (--jobs 1) / jionlp", both(pure1, jio, lambda x, y: x / y), "x",
             "", None, "pure_throughput_jobs1"),
            ("compiled_speedup", "compiled / pure Python (--jobs 1)", both(cps1, pure1, lambda x, y: x / y), "x",
             "", None, "pure_throughput_jobs1"),
        ]
    return [{"key": k, "label": lab, "value": v, "unit": u, "target": t, "verdict": ver,
             "status": (steps.get(st) or {}).get("status", "skipped")}
            for k, lab, v, u, t, ver, st in rows]


def per_kchar_rows(steps, prefix, what):
    """What each tool finds per 1,000 characters of a corpus: factcheck's claims, checks and
    discrepancies (the `summary` of its --jobs 1 JSON report) and jionlp's money entities."""
    fc_step, jio_step = f"{prefix}throughput_jobs1", f"{prefix}jionlp"
    chars = get(steps, fc_step, "chars")

    def per_k(n, c):
        return None if n is None or not c else n * 1000 / c

    disc = get(steps, fc_step, "report_summary", "discrepancies")
    return [
        (f"{prefix}claims_per_kchar", f"{what}: factcheck claims per 1,000 chars",
         per_k(get(steps, fc_step, "report_summary", "claims"), chars), "per 1k", "", None, fc_step),
        (f"{prefix}checks_per_kchar", f"{what}: factcheck checks per 1,000 chars",
         per_k(get(steps, fc_step, "report_summary", "checks"), chars), "per 1k", "", None, fc_step),
        (f"{prefix}discrepancies_per_kchar", f"{what}: factcheck discrepancies per 1,000 chars",
         per_k(sum(disc.values()) if isinstance(disc, dict) else None, chars), "per 1k", "", None, fc_step),
        (f"{prefix}jionlp_money_per_kchar", f"{what}: jionlp money entities per 1,000 chars",
         per_k(get(steps, jio_step, "throughput", "entities"), get(steps, jio_step, "throughput", "chars")),
         "per 1k", "", None, jio_step),
    ]


def fmt(v, unit):
    if v is None:
        return "-"
    if unit in ("chars/s", "chars"):
        return f"{v:,.0f}"
    if unit == "s":
        return f"{v:.3f}" if v >= 0.001 else f"{v:.2e}"
    return f"{v:,.1f}" if unit == "MB" else f"{v:.2f}"


def print_table(rows):
    print()
    w = max(len(r["label"]) for r in rows)
    print(f"{'metric':<{w}}  {'value':>14}  {'unit':<7}  {'verdict':<7}  target")
    print("-" * (w + 50))
    for r in rows:
        val = "failed" if r["status"] == "failed" else ("skipped" if r["status"] == "skipped" and r["value"] is None
                                                        else fmt(r["value"], r["unit"]))
        print(f"{r['label']:<{w}}  {val:>14}  {r['unit']:<7}  {r['verdict'] or '':<7}  {r['target']}")


if __name__ == "__main__":
    sys.exit(main())
