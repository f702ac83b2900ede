"""The shared word lists (rules/lexicon.yaml): qualifiers, target words, time patterns, subjects."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


def builtin_rules_dir() -> Path:
    """The rules that ship with factcheck: the package's copy, or the repository's rules/ folder."""
    here = Path(__file__).resolve().parent
    shipped = here / "rules_builtin"
    if (shipped / "lexicon.yaml").exists():
        return shipped
    return here.parent.parent / "rules"


@lru_cache(maxsize=4)
def lexicon(path: str | None = None) -> dict:
    from factcheck.rules.cache import cached_yaml

    p = Path(path) if path else builtin_rules_dir() / "lexicon.yaml"
    return cached_yaml(p)
