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
from functools import lru_cache

try:  # the parser is internal to re; without it, patterns are compiled as they are
    from re import _parser as _P  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - other Python implementations
    _P = None

# Every character \d matches (str.isdecimal: Unicode category Nd), as ranges, in Unicode 15.1. In a
# lookahead class the engine tests these with a bitmap; \d asks the Unicode database at every position
# of the text. A later Unicode may add digits: there the class keeps \d (the same matches, slower).
# The class may admit more than \d (it only filters the positions where the pattern is tried).
_DECIMAL_RANGES = (
    (0x30, 0x39), (0x660, 0x669), (0x6F0, 0x6F9), (0x7C0, 0x7C9), (0x966, 0x96F), (0x9E6, 0x9EF),
    (0xA66, 0xA6F), (0xAE6, 0xAEF), (0xB66, 0xB6F), (0xBE6, 0xBEF), (0xC66, 0xC6F), (0xCE6, 0xCEF),
    (0xD66, 0xD6F), (0xDE6, 0xDEF), (0xE50, 0xE59), (0xED0, 0xED9), (0xF20, 0xF29), (0x1040, 0x1049),
    (0x1090, 0x1099), (0x17E0, 0x17E9), (0x1810, 0x1819), (0x1946, 0x194F), (0x19D0, 0x19D9),
    (0x1A80, 0x1A89), (0x1A90, 0x1A99), (0x1B50, 0x1B59), (0x1BB0, 0x1BB9), (0x1C40, 0x1C49),
    (0x1C50, 0x1C59), (0xA620, 0xA629), (0xA8D0, 0xA8D9), (0xA900, 0xA909), (0xA9D0, 0xA9D9),
    (0xA9F0, 0xA9F9), (0xAA50, 0xAA59), (0xABF0, 0xABF9), (0xFF10, 0xFF19), (0x104A0, 0x104A9),
    (0x10D30, 0x10D39), (0x11066, 0x1106F), (0x110F0, 0x110F9), (0x11136, 0x1113F), (0x111D0, 0x111D9),
    (0x112F0, 0x112F9), (0x11450, 0x11459), (0x114D0, 0x114D9), (0x11650, 0x11659), (0x116C0, 0x116C9),
    (0x11730, 0x11739), (0x118E0, 0x118E9), (0x11950, 0x11959), (0x11C50, 0x11C59), (0x11D50, 0x11D59),
    (0x11DA0, 0x11DA9), (0x11F50, 0x11F59), (0x16A60, 0x16A69), (0x16AC0, 0x16AC9), (0x16B50, 0x16B59),
    (0x1D7CE, 0x1D7FF), (0x1E140, 0x1E149), (0x1E2F0, 0x1E2F9), (0x1E4F0, 0x1E4F9), (0x1E950, 0x1E959),
    (0x1FBF0, 0x1FBF9),
)
DECIMAL_UNICODE = (15, 1, 0)


@lru_cache(maxsize=1)
def _digit_class() -> str:
    import unicodedata

    if tuple(int(x) for x in unicodedata.unidata_version.split(".")) > DECIMAL_UNICODE:
        return r"\d"
    # the digits beyond the BMP as one range of every such character (a class with characters beyond
    # the BMP is tested range by range; this keeps one range beside the BMP bitmap)
    return "".join(f"{_char(a)}-{_char(b)}" for a, b in _DECIMAL_RANGES if b <= 0xFFFF) + r"\U00010000-\U0010ffff"


_CATEGORIES = {"CATEGORY_SPACE": r"\s", "CATEGORY_WORD": r"\w"}


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
        elif name == "CATEGORY" and str(av) == "CATEGORY_DIGIT":
            out.append(_digit_class())
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


# ---------------------------------------------------------------- literal-first alternatives
#
# The engine skips ahead fastest for a pattern whose alternatives each open with a literal: it scans the
# text for their first characters in a tight loop and tries the pattern only there, failing each
# alternative on its first character. A lookahead (compile_fast) is still tried at every position.
# compile_prefixed rewrites a pattern into that form: groups and alternatives at the start are
# distributed ((?:A|B)C → AC|BC), a repeat of one character at the start gives up its first repetition
# (\d{1,2} → \d\d{0,1}; x? → x|), a lookbehind at the start moves after the first character (it then
# looks back over that character too), and a class at the start becomes one alternative per character.
# Each rewrite keeps the matches and their order of preference. A class holding \d becomes 0-9 only:
# the pattern is then for texts whose digits are all ASCII (ascii_digits tells), which after width
# folding is nearly every article; other texts use the pattern as written.

_MAX_CLASS = 64  # a class at the start with more characters than this is left as it is


def _any_char():
    return (_P.IN, [(_P.CATEGORY, _P.CATEGORY_SPACE), (_P.CATEGORY, _P.CATEGORY_NOT_SPACE)])


def _chars(item) -> list[int]:
    """The characters a one-character item matches (\\d as 0-9), for the literal alternatives."""
    op, av = item
    if op is _P.LITERAL:
        return [av]
    if op is not _P.IN:
        raise _Unknown(str(op))
    out: list[int] = []
    for iop, iav in av:
        if iop is _P.LITERAL:
            out.append(iav)
        elif iop is _P.RANGE and iav[1] - iav[0] < _MAX_CLASS:
            out.extend(range(iav[0], iav[1] + 1))
        elif iop is _P.CATEGORY and iav is _P.CATEGORY_DIGIT:
            out.extend(range(0x30, 0x3A))
        else:  # NEGATE, other categories, wide ranges
            raise _Unknown(str(iop))
        if len(out) > _MAX_CLASS:
            raise _Unknown("class")
    return list(dict.fromkeys(out))


def _one_char(sub) -> bool:
    return len(sub.data) == 1 and sub.data[0][0] in (_P.LITERAL, _P.IN)


def _split(seq: list, depth: int = 0) -> list[tuple[tuple, list]]:
    """The alternatives of seq as (first one-character item, what must follow it), in their order."""
    if depth > 8 or not seq:
        raise _Unknown("depth")
    op, av = seq[0]
    rest = list(seq[1:])
    if op in (_P.LITERAL, _P.IN):
        return [((op, av), rest)]
    if op is _P.SUBPATTERN:
        group, add_flags, del_flags, sub = av
        if group is not None or add_flags or del_flags:
            raise _Unknown("group")
        return _split(list(sub.data) + rest, depth + 1)
    if op is _P.BRANCH:
        out = []
        for alt in av[1]:
            out += _split(list(alt.data) + rest, depth + 1)
        return out
    if op in (_P.MAX_REPEAT, _P.MIN_REPEAT, _P.POSSESSIVE_REPEAT):
        lo, hi, sub = av
        if not _one_char(sub) or hi == 0:
            raise _Unknown("repeat")
        item = sub.data[0]
        again = [] if hi == 1 else [(op, (max(lo - 1, 0), hi if hi is _P.MAXREPEAT else hi - 1, sub))]
        if lo >= 1:
            return [(item, again + rest)]
        if op is _P.POSSESSIVE_REPEAT:
            raise _Unknown("possessive optional")  # x?+ never gives the character back
        taken = [(item, again + rest)]
        skipped = _split(rest, depth + 1)
        return taken + skipped if op is _P.MAX_REPEAT else skipped + taken
    if op in (_P.ASSERT, _P.ASSERT_NOT) and av[0] == -1:
        behind = _P.SubPattern(av[1].state, list(av[1].data) + [_any_char()])
        lo, hi = behind.getwidth()
        if lo != hi:
            raise _Unknown("lookbehind width")
        moved = (op, (-1, behind))
        return [(item, [moved] + after) for item, after in _split(rest, depth + 1)]
    raise _Unknown(str(op))  # AT (anchors), lookaheads, ANY, …


def compile_prefixed(pattern: str, flags: int = 0) -> re.Pattern | None:
    """The pattern as alternatives that each open with a literal (see above), for texts whose digits
    are all ASCII; None when it cannot be rewritten (then compile_fast serves)."""
    if _P is None or flags & re.IGNORECASE:
        return None
    try:
        from re import _compiler as _C  # type: ignore[attr-defined]

        parsed = _P.parse(pattern, flags)
        if parsed.state.flags & (re.IGNORECASE | re.VERBOSE) or parsed.state.groups > 1:
            return None  # capturing groups would be repeated in the alternatives
        state = parsed.state
        alts = []
        for item, after in _split(list(parsed.data)):
            for ch in _chars(item):
                alts.append(_P.SubPattern(state, [(_P.LITERAL, ch)] + after))
        if not alts:
            return None
        return _C.compile(_P.SubPattern(state, [(_P.BRANCH, (None, alts))]), flags)
    except (_Unknown, re.error, AttributeError, TypeError, ValueError, ImportError, RecursionError):
        return None


@lru_cache(maxsize=1)
def _other_digits() -> re.Pattern:
    """The digits besides 0-9 (every character beyond the BMP stands in for those there), or \\d
    itself where the table does not cover this Python's Unicode."""
    cls = _digit_class()
    return re.compile(r"(?![0-9])\d" if cls == r"\d" else "[" + cls.replace("0-9", "", 1) + "]")


def ascii_digits(text: str) -> bool:
    """Whether every decimal digit of text (every character \\d matches) is 0-9."""
    return _other_digits().search(text) is None
