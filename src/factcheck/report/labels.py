"""Small shared helpers of the renderers: readable roles, figure ends, archived articles."""

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


def archived(chk) -> dict | None:
    """The archived article of a check against the claim archive (its details["archived"]: path, title,
    date, source, line, column), or None."""
    a = (getattr(chk, "details", None) or {}).get("archived")
    return a if isinstance(a, dict) and a.get("path") else None


def archived_note(a: dict, width: int = 40, lang: str | None = None) -> str:
    """How a finding names an archived article, in the run's language, bracketed: `(archived: 《title》,
    2024-05-20)` / `（存档稿件：《title》，2024-05-20）`. width: the title's most characters (0: whole)."""
    title = " ".join(str(a.get("title") or "").split())
    if width and len(title) > width:
        title = title[: width - 1] + "…"
    return i18n.gettext("(archived: {title}, {date})", lang).format(
        title=f"《{title}》" if title else i18n.gettext("untitled", lang),
        date=a.get("date") or i18n.gettext("undated", lang))


def archived_at(a: dict, lang: str | None = None) -> str:
    """Where an archived article's figure is and which article it is, for a one-line finding: `(archived
    at path:line:column: 《title》, 2024-05-20)`."""
    title = " ".join(str(a.get("title") or "").split())
    return i18n.gettext("(archived at {where}: {title}, {date})", lang).format(
        where=f"{a['path']}:{a.get('line')}:{a.get('column')}",
        title=f"《{title}》" if title else i18n.gettext("untitled", lang),
        date=a.get("date") or i18n.gettext("undated", lang))
