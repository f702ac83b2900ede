#!/usr/bin/env python3
"""Baselines that factcheck is compared with in bench/run.py.

(a) regex_scan: read + decode each file and run one regular expression for numbers
    with units -- the floor any extractor must pay.
(b) jionlp's ner.extract_money, run in its own virtual environment (bench/.venv-jionlp)
    in subprocesses: jionlp is never a dependency of factcheck.

Standard library only.  This file is also the worker script executed by the jionlp
venv's interpreter (`python baselines.py _worker ...`); it never imports jionlp at
module level.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

NUMBER_WITH_UNIT = re.compile(r"\d+(?:\.\d+)?(?:万|亿)?(?:元|个|家|项|%|亩|人)")
HERE = Path(__file__).resolve().parent
DEFAULT_VENV = HERE / ".venv-jionlp"
# Whole-process probe: interpreter start + import jionlp + extract_money on argv files.
SEEDS_PROBE = ("import sys, jionlp as jio\n"
               "for f in sys.argv[1:]:\n"
               "    jio.ner.extract_money(open(f, encoding='utf-8').read())\n")


def regex_scan(files, pattern=NUMBER_WITH_UNIT):
    """Read every file and find all numbers with units; time includes reading."""
    t0 = time.perf_counter()
    chars = matches = 0
    for f in files:
        text = Path(f).read_text(encoding="utf-8")
        chars += len(text)
        matches += len(pattern.findall(text))
    dt = time.perf_counter() - t0
    return {"files": len(files), "chars": chars, "matches": matches, "seconds": dt,
            "chars_per_s": chars / dt if dt else None}


# ---------------------------------------------------------------- jionlp


def venv_python(venv):
    return Path(venv) / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_jionlp_venv(venv=DEFAULT_VENV, log=print):
    """Create the venv and pip install jionlp unless it already imports; return its python.

    Raises RuntimeError with pip's output if installation fails."""
    py = venv_python(venv)
    if py.exists() and subprocess.run([str(py), "-c", "import jionlp"],
                                      capture_output=True).returncode == 0:
        return py
    log(f"creating {venv} and installing jionlp (one-off) ...")
    steps = [] if py.exists() else [[sys.executable, "-m", "venv", str(venv)]]
    steps.append([str(py), "-m", "pip", "install", "--disable-pip-version-check", "-q", "jionlp"])
    for cmd in steps:
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed (exit {p.returncode}):\n"
                               + (p.stdout + p.stderr)[-3000:])
    return py


def _worker_json(py, *args, timeout=None):
    p = subprocess.run([str(py), str(Path(__file__).resolve()), "_worker", *map(str, args)],
                       capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError(f"jionlp worker {args[0]} failed (exit {p.returncode}):\n{p.stderr[-3000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])  # jionlp prints a banner first


def jionlp_measure(seeds, files, venv=DEFAULT_VENV, max_files=None, runs=3, timeout=3600, log=print,
                   probes=True):
    """Measure jionlp: import time, whole-process seeds run, extract_money throughput.

    probes=False measures the throughput only (seeds unused): the import and seeds figures do not
    depend on the files, so a second corpus need not pay for them again."""
    py = ensure_jionlp_venv(venv, log)
    res = {}
    if probes:
        imports = [_worker_json(py, "import")["import_s"] for _ in range(runs)]
        walls = []
        for _ in range(runs):
            t0 = time.perf_counter()
            p = subprocess.run([str(py), "-c", SEEDS_PROBE, *map(str, seeds)], capture_output=True, text=True)
            walls.append(time.perf_counter() - t0)
            if p.returncode != 0:
                raise RuntimeError(f"jionlp seeds probe failed:\n{p.stderr[-3000:]}")
        inproc = _worker_json(py, "seeds", *seeds)
        res = {"import_s": statistics.median(imports), "import_runs_s": imports,
               "seeds_wall_s": statistics.median(walls), "seeds_wall_runs_s": walls,
               "seeds_inprocess": inproc}
    files = list(files)[:max_files] if max_files else list(files)
    lst = Path(venv) / "files.txt"
    lst.write_text("\n".join(map(str, files)) + "\n", encoding="utf-8")
    thr = _worker_json(py, "throughput", lst, timeout=timeout)
    return {"version": thr["version"], **res, "throughput": thr}


# ---------------------------------------------------------------- worker (runs inside the venv)


def _worker(args):
    mode = args[0]
    t0 = time.perf_counter()
    import jionlp as jio  # noqa: only ever imported inside the jionlp venv
    t_import = time.perf_counter() - t0
    out = {"import_s": t_import, "version": getattr(jio, "__version__", "?")}
    if mode == "seeds":
        t1 = time.perf_counter()
        n = sum(len(jio.ner.extract_money(Path(f).read_text(encoding="utf-8"))) for f in args[1:])
        out.update(extract_s=time.perf_counter() - t1, total_s=time.perf_counter() - t0, entities=n)
    elif mode == "throughput":
        files = [ln for ln in Path(args[1]).read_text(encoding="utf-8").splitlines() if ln]
        texts = [Path(f).read_text(encoding="utf-8") for f in files]
        jio.ner.extract_money("预热1亿元")  # the extractor compiles its patterns on first call
        t1 = time.perf_counter()
        n = sum(len(jio.ner.extract_money(t)) for t in texts)
        dt = time.perf_counter() - t1
        chars = sum(map(len, texts))
        out.update(files=len(texts), chars=chars, entities=n, seconds=dt,
                   chars_per_s=chars / dt if dt else None)
    print(json.dumps(out))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_worker":
        _worker(sys.argv[2:])
    else:  # quick manual check: python bench/baselines.py FILE_OR_DIR ...
        fs = [str(q) for a in sys.argv[1:] for q in (sorted(Path(a).rglob("*.txt")) if Path(a).is_dir() else [a])]
        print(json.dumps(regex_scan(fs), indent=2))
