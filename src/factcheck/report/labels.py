"""Small shared helpers of the renderers: readable roles, figure ends, archived articles."""

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


def archived(chk) -> dict | None:
    """The archived article of a check against the claim archive (its details["archived"]: path, title,
    date, source, line, column), or None."""
    a = (getattr(chk, "details", None) or {}).get("archived")
    return a if isinstance(a, dict) and a.get("path") else None


def archived_note(a: dict, width: int = 40) -> str:
    """How a finding names an archived article: `archived: 《title》, 2024-05-20`."""
    title = " ".join(str(a.get("title") or "").split())
    if width and len(title) > width:
        title = title[: width - 1] + "…"
    return "archived: " + (f"《{title}》" if title else "untitled") + ", " + (a.get("date") or "undated")
