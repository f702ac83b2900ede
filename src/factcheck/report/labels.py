"""Small shared helpers of the renderers (GitHub, SARIF, HTML): readable roles and figure ends."""

from __future__ import annotations

import re

_INDEXED = re.compile(r"^(\w+?)s?\[(\d+)\]$")


def role_label(role: str) -> str:
    """`parts[0]` → `part 1`; other roles (total, first, pct …) as they are."""
    m = _INDEXED.match(role)
    return f"{m.group(1)} {int(m.group(2)) + 1}" if m else role


def end_of(claim) -> tuple[int, int]:
    """(line, column) just past a figure, which may span lines (311.2亿 / blank line / 元)."""
    pieces = claim.text.split("\n")
    if len(pieces) == 1:
        return claim.line, claim.column + len(claim.text)
    return claim.line + len(pieces) - 1, len(pieces[-1]) + 1
