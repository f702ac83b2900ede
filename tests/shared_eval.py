"""The evaluation material shared beside the repository (../shared/eval: the relation scorer, the seeds'
gold, the dev corpus). Outside CI a test that needs it skips when it is missing; in CI (the environment
variable CI is true, as CI services and .ci/run set it) a missing piece is a failure, never a silent skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_EVAL = ROOT.parent / "shared" / "eval"
SCORER = SHARED_EVAL / "score.py"
SEEDS_GOLD = SHARED_EVAL / "seeds-gold.yaml"
DEV_ARTICLES = SHARED_EVAL / "dev" / "articles"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def require(path: Path, what: str, folder: bool = False) -> Path:
    """path when it is there; else a failure in CI and a skip elsewhere, naming what is missing."""
    if path.is_dir() if folder else path.is_file():
        return path
    if in_ci():
        pytest.fail(f"{what} is missing at {path} (CI=true: the shared evaluation material is required)")
    pytest.skip(f"{what} is not at {path}")
