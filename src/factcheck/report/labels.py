"""Small shared helpers of the renderers (GitHub, SARIF, HTML): readable roles and figure ends."""

from __future__ import annotations

from factcheck import i18n


def role_label(role: str, lang: str | None = None) -> str:
    """A figure's role as a reader says it, in the run's language: `parts[0]` → `分项1` / `part 1`,
    `total` → `合计` / `total`."""
    return i18n.role_word(role, lang)


def end_of(claim) -> tuple[int, int]:
    """(line, column) just past a figure, which may span lines (311.2亿 / blank line / 元)."""
    pieces = claim.text.split("\n")
    if len(pieces) == 1:
        return claim.line, claim.column + len(claim.text)
    return claim.line + len(pieces) - 1, len(pieces[-1]) + 1
