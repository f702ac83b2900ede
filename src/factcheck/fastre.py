"""Faster scanning with regular expressions whose first character is known.

Python's regex engine tries every alternative of a pattern at every position of the text. A pattern
such as the time words (`2023年上半年|今年以来|去年同期|…`) or the numeric candidates then costs
several times what its matches are worth. When the set of characters a match can start with is known,
a lookahead on that set rejects almost every position with one test. `first_class` works the set out
from the parsed pattern; `compile_fast` adds the lookahead, or returns the plain pattern when the set
cannot be known (a pattern that may match the empty string, or opens with `.`, a negated class or a
backreference) or when the engine already skips ahead by itself (a pattern that opens with a
character or a class).
The matches are the same either way: the lookahead only states what every match already starts with.
"""

from __future__ import annotations

import re

try:  # the parser is internal to re; without it, patterns are compiled as they are
    from re import _parser as _P  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - other Python implementations
    _P = None

_CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_SPACE": r"\s", "CATEGORY_WORD": r"\w"}


class _Unknown(Exception):
    """The first characters of a pattern cannot be stated as a character class."""


def _char(code: int) -> str:
    ch = chr(code)
    if ch.isalnum() and code < 0x10000 or ch in "_，。":
        return ch
    return f"\\U{code:08x}" if code > 0xFFFF else f"\\u{code:04x}"


def _in_items(items) -> list[str]:
    out = []
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            out.append(_char(av))
        elif name == "RANGE":
            out.append(f"{_char(av[0])}-{_char(av[1])}")
        elif name == "CATEGORY" and str(av) in _CATEGORIES:
            out.append(_CATEGORIES[str(av)])
        else:  # NEGATE, other categories
            raise _Unknown(name)
    return out


def _firsts(seq) -> tuple[list[str], bool]:
    """(class items a match of seq can start with, whether seq can match the empty string)."""
    out: list[str] = []
    for op, av in seq:
        name = str(op)
        if name == "LITERAL":
            return out + [_char(av)], False
        if name == "IN":
            return out + _in_items(av), False
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # zero width: the next item starts the match
        if name == "SUBPATTERN":
            group, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                raise _Unknown("flags")
            items, empty = _firsts(sub)
        elif name == "ATOMIC_GROUP":
            items, empty = _firsts(av)
        elif name == "BRANCH":
            items, empty = [], False
            for alt in av[1]:
                i, e = _firsts(alt)
                items += i
                empty = empty or e
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            lo, _, sub = av
            items, empty = _firsts(sub)
            empty = empty or lo == 0
        else:  # ANY, NOT_LITERAL, GROUPREF, conditional groups …
            raise _Unknown(name)
        out += items
        if not empty:
            return out, False
    return out, True


def _engine_has_prefix(parsed) -> bool:
    """The engine finds candidate positions itself when a pattern opens with a character, a class or
    alternatives that each open with a character; a lookahead would only slow it down."""
    if not len(parsed.data):
        return False
    op, av = parsed.data[0]
    if str(op) in ("LITERAL", "IN"):
        return True
    return str(op) == "BRANCH" and all(alt.data and str(alt.data[0][0]) == "LITERAL" for alt in av[1])


def first_class(pattern: str, flags: int = 0) -> str | None:
    """A character class (`[…]`) every match of pattern starts with, or None when it cannot be known."""
    if _P is None or flags & re.IGNORECASE or not isinstance(pattern, str):
        return None
    try:
        parsed = _P.parse(pattern, flags)
        if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
            return None
        items, empty = _firsts(parsed)
    except (_Unknown, re.error, AttributeError, TypeError, ValueError):
        return None
    if empty or not items or _engine_has_prefix(parsed):
        return None
    return "[" + "".join(dict.fromkeys(items)) + "]"


def compile_fast(pattern: str, flags: int = 0) -> re.Pattern:
    """re.compile(pattern, flags), with a first-character lookahead where one can be worked out."""
    cls = first_class(pattern, flags)
    if cls is not None:
        try:
            return re.compile(f"(?={cls})(?:{pattern})", flags)
        except re.error:  # pragma: no cover - the plain pattern below is always right
            pass
    return re.compile(pattern, flags)
