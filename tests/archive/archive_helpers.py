"""Helpers of the claim-archive tests: factcheck as real processes, a generated corpus."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def cli(*args, cwd=None, env=None, timeout=600) -> subprocess.CompletedProcess:
    """factcheck as a user runs it: a real process."""
    e = dict(os.environ, **(env or {}))
    e.pop("FACTCHECK_ARCHIVE", None)
    e.setdefault("FACTCHECK_CACHE_DIR", str(Path(cwd or os.getcwd()) / ".fc-cache"))
    return subprocess.run([sys.executable, "-m", "factcheck", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=e, timeout=timeout)


def popen(*args, cwd=None) -> subprocess.Popen:
    e = dict(os.environ)
    e.pop("FACTCHECK_ARCHIVE", None)
    e.setdefault("FACTCHECK_CACHE_DIR", str(Path(cwd or os.getcwd()) / ".fc-cache"))
    return subprocess.Popen([sys.executable, "-m", "factcheck", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=cwd, env=e)


def gen_corpus(out: Path, n: int, seed: int = 3) -> Path:
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), str(out), "-n", str(n), "--seed", str(seed)],
                   check=True, capture_output=True)
    return out
