"""Names and text echoed to a terminal or a CI log, made safe to show.

A file name or an article's text can hold control characters (ESC sequences that retitle or clear a
terminal, a newline that starts a forged `::error` workflow command in a CI log), bidirectional
controls (U+202E reverses the rest of a line) and, on POSIX, bytes that are not UTF-8 (a GB18030 file
name: Python keeps them as lone surrogates, which no UTF-8 output can hold). Each is shown as an
escape that reads as what it is: `\\x1b`, `\\n`, `\\u202e`, `\\xb2` (the byte of a non-UTF-8 name).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

# C0 and C1 controls, DEL; bidirectional marks, embeddings, overrides and isolates; line and paragraph
# separators; lone surrogates (undecodable bytes of a file name)
_UNSAFE: Final = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
# the same, less tab and newline (kept in multi-line text where a renderer lays them out itself)
_UNSAFE_TEXT: Final = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED: Final = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


@lru_cache(maxsize=256)
def _escape(ch: str) -> str:
    got = _NAMED.get(ch)
    if got is not None:
        return got
    o = ord(ch)
    if 0xDC80 <= o <= 0xDCFF:  # a byte of a name that is not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{o - 0xDC00:02x}"
    return f"\\x{o:02x}" if o <= 0xFF else f"\\u{o:04x}"


def shown(s: str) -> str:
    """s with every control, bidirectional control and undecodable byte escaped (a name: one line)."""
    if not isinstance(s, str):
        s = str(s)
    return _UNSAFE.sub(lambda m: _escape(m.group()), s) if _UNSAFE.search(s) else s


def shown_text(s: str) -> str:
    """Like shown, but newlines and tabs stay (a message laid out over lines by its renderer)."""
    return _UNSAFE_TEXT.sub(lambda m: _escape(m.group()), s) if _UNSAFE_TEXT.search(s) else s


def is_unsafe(ch: str) -> bool:
    """Whether one character would be escaped by shown()."""
    return _UNSAFE.match(ch) is not None


def display_path(path: str) -> str:
    """How a file is named in reports and messages: escaped (shown); a file literally named `<stdin>`
    is `./<stdin>`, so that it is not taken for standard input."""
    if path == "<stdin>":
        return "./<stdin>"
    return shown(path)
