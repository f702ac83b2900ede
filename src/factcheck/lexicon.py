"""The shared word lists (rules/lexicon.yaml): qualifiers, target words, time patterns, subjects."""

from __future__ import annotations

import re
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


def strip_affixes(s: str, left: re.Pattern[str], right: re.Pattern[str], on_step=None) -> str:
    """Strip function words from both ends of a phrase (left and right are compiled alternations);
    on_step(s) sees each intermediate form. A phrase made only of such words becomes empty."""
    for _ in range(8):
        if on_step is not None:
            on_step(s)
        ml = left.match(s)
        if ml and ml.end() < len(s):
            s = s[ml.end():]
            continue
        mr = right.search(s)
        if mr and mr.start() > 0:
            s = s[: mr.start()]
            continue
        return "" if (ml or mr) else s
    return s


def word_suffix(s: str, words: frozenset | set, lengths: tuple[int, ...]) -> str | None:
    """The longest of words that s ends with, or None (lengths: the words' lengths, longest first).
    A set lookup per length, instead of an endswith per word."""
    size = len(s)
    for n in lengths:
        if n <= size and s[size - n:] in words:
            return s[size - n:]
    return None
