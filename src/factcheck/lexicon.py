"""The shared word lists (rules/lexicon.yaml): qualifiers, target words, time patterns, subjects."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml


def builtin_rules_dir() -> Path:
    """The rules that ship with factcheck: the package's copy, or the repository's rules/ folder."""
    here = Path(__file__).resolve().parent
    shipped = here / "rules_builtin"
    if (shipped / "lexicon.yaml").exists():
        return shipped
    return here.parent.parent / "rules"


@lru_cache(maxsize=4)
def lexicon(path: str | None = None) -> dict:
    p = Path(path) if path else builtin_rules_dir() / "lexicon.yaml"
    with open(p, encoding="utf-8") as f:
        data = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return data
