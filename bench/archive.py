#!/usr/bin/env python3
"""The claim archive's benchmark: indexing cost, the time an archive adds to a check, archive size.

    python bench/archive.py [--n 10000] [--big 100000] [--new 20] [--postgres URL] [--out bench/out]

- index vs check: `factcheck index CORPUS` into a new SQLite archive against `factcheck CORPUS
  --format json` over the same N articles (target: index <= 2 x check); the archive's size; with
  --postgres, the same index into PostgreSQL and its size.
- check against a big archive: the first BIG articles of a corpus of BIG + NEW are indexed (SQLite,
  and PostgreSQL with --postgres); each of the last NEW articles is checked alone, with and without
  --archive, alternately, REPEAT times; the time the archive adds is the difference of the fastest
  runs (the least disturbed on a shared machine; the difference of the medians is shown too), target
  <= 100 ms. `archive_s` (from --timings) is the same step measured inside the process.

factcheck is installed as a user installs it (bench/run.py's compiled build, bench/.venv-factcheck-
compiled), or given by --factcheck-cmd. --postgres names a server where the benchmark may create
databases (it creates fcbench_* and drops them at the end unless --keep). Standard library only, as
bench/run.py; PostgreSQL is reached through the factcheck install's own driver.
"""
import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import run as bench  # noqa: E402

TARGET_INDEX_RATIO = 2.0
TARGET_ADDED_MS = 100.0


def python_of(fc: list[str]) -> str:
    """The Python of the factcheck command (its venv), which has the PostgreSQL driver."""
    exe = Path(fc[0])
    if exe.name == "factcheck" and (exe.parent / "python").exists():
        return str(exe.parent / "python")
    return fc[0] if "python" in exe.name else sys.executable


def pg(py: str, url: str, sql: str, autocommit: bool = True) -> str:
    code = ("import psycopg2, sys; c = psycopg2.connect(sys.argv[1]); c.autocommit = True; cur = c.cursor(); "
            "cur.execute(sys.argv[2]); print(cur.fetchone()[0] if cur.description else '')")
    p = subprocess.run([py, "-c", code, url, sql], capture_output=True, text=True)
    if p.returncode != 0:
        raise bench.StepFailed(f"PostgreSQL: {sql}: {p.stderr[-800:]}")
    return p.stdout.strip()


def pg_database(url: str, name: str) -> str:
    head, _, tail = url.partition("://")
    netloc, _, rest = tail.partition("/")
    query = ("?" + rest.split("?", 1)[1]) if "?" in rest else ""
    return f"{head}://{netloc}/{name}{query}"


def sqlite_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(str(path) + "-wal")) if p.exists())


def pg_bytes(py: str, url: str) -> int:
    return int(pg(py, url, "SELECT pg_total_relation_size('factcheck_articles') + "
                           "pg_total_relation_size('factcheck_claims')"))


def timed(cmd, env, timeout) -> float:
    return bench.run(cmd, env, timeout)


def timed_cpu(cmd, env) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of cmd: the CPU time (user + system, from the process's own
    resource usage) is hardly moved by other load on a shared machine; the wall time is."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read() if p.stderr else b""
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    bench.check_exit(p.returncode, bench.OK_EXIT, cmd, err.decode("utf-8", "replace"))
    return wall, ru.ru_utime + ru.ru_stime


def main(argv=None):
    ap = argparse.ArgumentParser(description="claim archive benchmark")
    ap.add_argument("--n", type=int, default=10000, help="articles for index vs check (default 10000)")
    ap.add_argument("--big", type=int, default=100000, help="articles in the big archive (a multiple of 1000)")
    ap.add_argument("--new", type=int, default=20, help="new articles checked against it (fewer than 1000)")
    ap.add_argument("--repeat", type=int, default=5, help="runs of each check, with and without the archive")
    ap.add_argument("--postgres", default=os.environ.get("FACTCHECK_BENCH_POSTGRES"),
                    help="a PostgreSQL server URL where databases may be created (default: $FACTCHECK_BENCH_POSTGRES)")
    ap.add_argument("--factcheck-cmd", default=None, help="command that runs factcheck (default: the compiled build)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--out", default=str(HERE / "out"))
    ap.add_argument("--work", default=None, help="where the archives go (default: a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the archives (and PostgreSQL databases)")
    ap.add_argument("--timeout", type=float, default=7200)
    ap.add_argument("--skip-index-vs-check", action="store_true")
    ap.add_argument("--big-postgres", default=None,
                    help="a PostgreSQL archive of the first BIG articles made before (kept by --keep): reused")
    a = ap.parse_args(argv)
    if a.big % 1000 or not 0 < a.new < 1000:
        ap.error("--big must be a multiple of 1000 and --new less than 1000")

    env = dict(os.environ)
    env.pop("FACTCHECK_ARCHIVE", None)
    if a.factcheck_cmd:
        fc, version = shlex.split(a.factcheck_cmd), ""
    else:
        fc, version = bench.ensure_factcheck_venv("compiled", log=lambda m: print(m, flush=True))
    py = python_of(fc)
    work = Path(a.work or tempfile.mkdtemp(prefix="fcbench-archive-"))
    work.mkdir(parents=True, exist_ok=True)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d%H%M%S")
    res: dict = {"meta": {"factcheck": version or shlex.join(fc), "n": a.n, "big": a.big, "new": a.new,
                          "repeat": a.repeat, "jobs": a.jobs, "cpu_count": os.cpu_count(),
                          "postgres": bool(a.postgres), "date": time.strftime("%Y-%m-%dT%H:%M:%S%z")},
                 "steps": {}}
    steps = res["steps"]
    databases: list[str] = []

    def step(name, fn):
        print(f"[{name}] ...", flush=True)
        t0 = time.perf_counter()
        try:
            steps[name] = {"status": "ok", **fn()}
        except Exception as e:  # noqa: BLE001 - a failing step must not stop the others
            steps[name] = {"status": "failed", "error": str(e)}
            print(f"[{name}] FAILED: {e}", flush=True)
        print(f"[{name}] {time.perf_counter() - t0:.0f}s: {json.dumps(steps[name], ensure_ascii=False)[:400]}",
              flush=True)

    def new_pg(label: str) -> str:
        name = f"fcbench_{label}_{stamp}"
        pg(py, a.postgres, f'CREATE DATABASE "{name}"')
        databases.append(name)
        return pg_database(a.postgres, name)

    jobs = ["--jobs", str(a.jobs)]

    def s_index_vs_check():
        corpus = bench.ensure_corpus(a.n, HERE / "corpus")
        check_s, index_s = [], []
        arch = work / f"index-{a.n}.sqlite"
        for _ in range(2):  # alternately, twice: the machine's speed drifts
            check_s.append(timed(fc + [str(corpus), "--format", "json", "--no-progress", "-o", os.devnull] + jobs,
                                 env, a.timeout))
            for p in (arch, Path(f"{arch}-wal"), Path(f"{arch}-shm")):
                p.unlink(missing_ok=True)
            index_s.append(timed(fc + ["index", str(corpus), "--archive", str(arch), "--no-progress"] + jobs,
                                 env, a.timeout))
        again = timed(fc + ["index", str(corpus), "--archive", str(arch), "--no-progress"] + jobs, env, a.timeout)
        size = sqlite_bytes(arch)
        r = {"articles": a.n, "check_s": min(check_s), "index_s": min(index_s), "runs_check_s": check_s,
             "runs_index_s": index_s, "ratio": min(index_s) / min(check_s), "target_ratio": TARGET_INDEX_RATIO,
             "reindex_unchanged_s": again, "sqlite_bytes": size, "sqlite_bytes_per_10k": size * 10000 / a.n}
        r["met"] = r["ratio"] <= TARGET_INDEX_RATIO
        if a.postgres:
            url = new_pg("index")
            r["postgres_index_s"] = timed(fc + ["index", str(corpus), "--archive", url, "--no-progress"] + jobs,
                                          env, a.timeout)
            r["postgres_bytes"] = pg_bytes(py, url)
            r["postgres_bytes_per_10k"] = r["postgres_bytes"] * 10000 / a.n
        return r

    big: dict = {}

    def s_big_archive():
        corpus = bench.ensure_corpus(a.big + a.new, HERE / "corpus")
        folders = sorted(p for p in corpus.iterdir() if p.is_dir())
        old, new_dir = folders[: a.big // 1000], folders[a.big // 1000]
        big["new"] = sorted(new_dir.glob("*.txt"))[: a.new]
        big["sqlite"] = work / f"archive-{a.big}.sqlite"
        r = {"articles": a.big}
        if not big["sqlite"].exists():
            r["sqlite_index_s"] = timed(fc + ["index", *map(str, old), "--archive", str(big["sqlite"]),
                                              "--no-progress"] + jobs, env, a.timeout)
        r["sqlite_bytes"] = sqlite_bytes(big["sqlite"])
        if a.big_postgres:
            big["postgres"] = a.big_postgres
            r["postgres_bytes"] = pg_bytes(py, big["postgres"])
        elif a.postgres:
            big["postgres"] = new_pg("big")
            r["postgres_index_s"] = timed(fc + ["index", *map(str, old), "--archive", big["postgres"],
                                                "--no-progress"] + jobs, env, a.timeout)
            r["postgres_bytes"] = pg_bytes(py, big["postgres"])
        return r

    def s_added(backend):
        """Each new article checked alone, without and with the archive, alternately, REPEAT times. The
        machine is shared: per article, the least disturbed run of each (the minimum) gives the figure;
        the CPU time of the process (user + system) is shown beside the wall time, and archive_s is the
        archive step timed inside the process (its least disturbed run per article)."""
        def f():
            if backend not in big:
                raise bench.StepFailed("no big archive")
            url = str(big[backend])
            wall, cpu, inside, found = [], [], [], 0
            tf = work / "timings.json"
            for path in big["new"]:
                runs: dict = {"plain": [], "archive": []}
                steps_s = []
                base = fc + ["check", str(path), "--no-progress", "--jobs", "1"]
                timed(base + ["--archive", url], env, 600)  # warm: the archive's pages in the OS cache
                for _ in range(a.repeat):
                    runs["plain"].append(timed_cpu(base, env))
                    runs["archive"].append(timed_cpu(base + ["--archive", url, "--timings", str(tf)], env))
                    steps_s.append(json.loads(tf.read_text(encoding="utf-8"))["archive_s"])
                wall.append((min(w for w, _ in runs["archive"]) - min(w for w, _ in runs["plain"])) * 1000)
                cpu.append((min(c for _, c in runs["archive"]) - min(c for _, c in runs["plain"])) * 1000)
                inside.append(min(steps_s) * 1000)
                rep = subprocess.run(fc + ["check", str(path), "--archive", url, "--format", "json", "--no-progress"],
                                     capture_output=True, text=True, env=env)
                found += sum(1 for c in json.loads(rep.stdout)["checks"] if "archived" in c["details"])
            r = {"articles_checked": len(big["new"]),
                 "added_ms_median": statistics.median(wall), "added_ms_max": max(wall),
                 "added_ms_per_article": [round(x, 1) for x in wall],
                 "added_cpu_ms_median": statistics.median(cpu), "added_cpu_ms_max": max(cpu),
                 "archive_s_median_ms": statistics.median(inside), "archive_s_max_ms": max(inside),
                 "archive_s_per_article_ms": [round(x, 1) for x in inside],
                 "comparisons_with_archived_articles": found, "target_ms": TARGET_ADDED_MS}
            r["met"] = r["added_ms_median"] <= TARGET_ADDED_MS and r["archive_s_max_ms"] <= TARGET_ADDED_MS
            return r
        return f

    if not a.skip_index_vs_check:
        step("index_vs_check", s_index_vs_check)
    step("big_archive", s_big_archive)
    step("added_sqlite", s_added("sqlite"))
    if a.postgres or a.big_postgres:
        step("added_postgres", s_added("postgres"))

    if not a.keep:
        for name in databases:
            try:
                pg(py, a.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except bench.StepFailed as e:
                print(f"could not drop {name}: {e}", file=sys.stderr)
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)
    path = out / "archive.json"
    path.write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {path}\n")
    _table(res)
    return 0 if all(s.get("status") == "ok" for s in steps.values()) else 1


def _table(res):
    s = res["steps"]

    def get(step, key, fmt="{:.2f}"):
        v = s.get(step, {}).get(key)
        return fmt.format(v) if isinstance(v, (int, float)) else "-"

    mb = "{:.1f}".format
    rows = [
        ("index N articles (SQLite) / check N", f"{get('index_vs_check', 'index_s', '{:.1f}')} s / "
         f"{get('index_vs_check', 'check_s', '{:.1f}')} s = {get('index_vs_check', 'ratio')}x", "<= 2x"),
        ("index again, nothing changed", f"{get('index_vs_check', 'reindex_unchanged_s', '{:.1f}')} s", ""),
        ("SQLite archive per 10,000 articles",
         f"{mb(s.get('index_vs_check', {}).get('sqlite_bytes_per_10k', 0) / 1e6)} MB", ""),
        ("PostgreSQL: index N / size per 10,000", f"{get('index_vs_check', 'postgres_index_s', '{:.1f}')} s / "
         f"{mb(s.get('index_vs_check', {}).get('postgres_bytes_per_10k', 0) / 1e6)} MB", ""),
        ("big archive: index (SQLite / PostgreSQL)", f"{get('big_archive', 'sqlite_index_s', '{:.0f}')} s / "
         f"{get('big_archive', 'postgres_index_s', '{:.0f}')} s", ""),
        *[(f"added to a check, {name}: wall / CPU / in-process, median (max)",
           f"{get(k, 'added_ms_median', '{:.0f}')} ({get(k, 'added_ms_max', '{:.0f}')}) / "
           f"{get(k, 'added_cpu_ms_median', '{:.0f}')} ({get(k, 'added_cpu_ms_max', '{:.0f}')}) / "
           f"{get(k, 'archive_s_median_ms', '{:.0f}')} ({get(k, 'archive_s_max_ms', '{:.0f}')}) ms", "<= 100 ms")
          for name, k in (("SQLite", "added_sqlite"), ("PostgreSQL", "added_postgres"))],
    ]
    w = max(len(r[0]) for r in rows)
    for name, val, target in rows:
        print(f"{name:<{w}}  {val:<48} {target}")


if __name__ == "__main__":
    sys.exit(main())
