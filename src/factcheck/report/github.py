"""GitHub Actions workflow annotations: one `::error file=…,line=…,col=…,title=…::message` per discrepancy
and file it has a figure in (a cross-article conflict is annotated on both articles), in the run's language.

Escaping follows the Actions toolkit (`@actions/core` command.ts): in the message `%`, CR and LF become
`%25`, `%0D`, `%0A`; in property values also `:` and `,` become `%3A` and `%2C`.
"""

from __future__ import annotations

from factcheck import i18n
from factcheck.report.labels import archived, archived_note, end_of, role_label

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **props) -> str:
    """One workflow command line; properties with a None value are left out. Control characters other
    than line breaks (ESC sequences) and bidirectional controls are shown escaped (display.shown_text)."""
    from factcheck.display import shown, shown_text

    listed = ",".join(f"{k}={escape_property(shown(str(v)))}" for k, v in props.items() if v is not None)
    return f"::{level}{' ' + listed if listed else ''}::{escape_data(shown_text(message))}"


def _message(chk, at=None) -> str:
    """The annotation's text: the finding, then each figure and where it is (a place in the annotated
    file as line:column, in another file with its path)."""
    lines = [chk.message]
    first = at if at is not None else (chk.claims[0] if chk.claims else None)
    arch = archived(chk)
    for c in chk.claims:
        raw = c.text.replace("\n", "")
        where = f"{c.line}:{c.column}" if first is not None and c.path == first.path else f"{c.path}:{c.line}:{c.column}"
        if arch and c.path == arch["path"]:  # a figure of an archived article: which article
            where += " " + archived_note(arch, 0)
        lines.append(i18n.gettext("{role}: {text} at {where}").format(role=role_label(c.role), text=raw, where=where))
    return "\n".join(lines)


def annotation(chk, at=None) -> str:
    """One annotation of a finding, at its first figure (or at the figure `at`)."""
    level = LEVELS.get(chk.severity, "warning")
    title = f"{chk.rule} {chk.name}"
    if not chk.claims:
        return command(level, _message(chk), title=title)
    c = at if at is not None else chk.claims[0]
    end_line, end_col = end_of(c)
    one_line = end_line == c.line  # GitHub takes col/endColumn only for a single line
    props = {"file": c.path, "line": c.line, "col": c.column if one_line else None, "endLine": end_line,
             "endColumn": end_col if one_line else None, "title": title}
    return command(level, _message(chk, c), **props)


def annotations_of(chk) -> list[str]:
    """A finding's annotations: one in each file it has a figure in (a cross-article conflict is shown
    on every article it touches), at its first figure there; a conflict with the claim archive only on
    the checked article (the archived one is named in the message)."""
    seen: dict[str, object] = {}
    arch = archived(chk)
    for c in chk.claims:
        if arch and c.path == arch["path"]:
            continue  # an archived article is not one of the run's files: its figure is named, not annotated
        seen.setdefault(c.path, c)
    if len(seen) <= 1:
        return [annotation(chk)]
    return [annotation(chk, c) for c in seen.values()]


def render_github(report) -> str:
    title = i18n.gettext("factcheck input error")
    out = [command("error", e.reason, file=e.path, title=title) for e in report.errors]
    for chk in report.checks:
        if chk.status == "discrepancy":
            out.extend(annotations_of(chk))
    out.append("factcheck: " + i18n.summary_line(report.summary))
    return "\n".join(out) + "\n"
