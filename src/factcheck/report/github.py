"""GitHub Actions workflow annotations: one `::error file=…,line=…,col=…,title=…::message` per discrepancy.

Escaping follows the Actions toolkit (`@actions/core` command.ts): in the message `%`, CR and LF become
`%25`, `%0D`, `%0A`; in property values also `:` and `,` become `%3A` and `%2C`.
"""

from __future__ import annotations

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


def _message(chk) -> str:
    lines = [chk.message]
    first = chk.claims[0] if chk.claims else None
    arch = archived(chk)
    for c in chk.claims:
        raw = c.text.replace("\n", "")
        where = f"{c.line}:{c.column}" if first is not None and c.path == first.path else f"{c.path}:{c.line}:{c.column}"
        note = f" ({archived_note(arch, 0)})" if arch and c.path == arch["path"] else ""
        lines.append(f"{role_label(c.role)}: {raw} at {where}{note}")
    if chk.miss:
        lines.append(f"misses by {chk.miss} beyond the rounding of the stated figures")
    return "\n".join(lines)


def annotation(chk) -> str:
    level = LEVELS.get(chk.severity, "warning")
    title = f"{chk.rule} {chk.name}"
    if not chk.claims:
        return command(level, _message(chk), title=title)
    c = chk.claims[0]
    end_line, end_col = end_of(c)
    one_line = end_line == c.line  # GitHub takes col/endColumn only for a single line
    props = {"file": c.path, "line": c.line, "col": c.column if one_line else None, "endLine": end_line,
             "endColumn": end_col if one_line else None, "title": title}
    return command(level, _message(chk), **props)


def render_github(report) -> str:
    out = [command("error", e.reason, file=e.path, title="factcheck input error") for e in report.errors]
    out += [annotation(chk) for chk in report.checks if chk.status == "discrepancy"]
    s = report.summary
    d = s.discrepancies
    total = sum(d.values())
    out.append(f"factcheck: {s.files} files, {s.claims} claims, {s.checks} checks, {total} discrepancies "
               f"({d.get('error', 0)} error, {d.get('warning', 0)} warning, {d.get('info', 0)} info), "
               f"{s.unverifiable} unverifiable, {s.ok} ok" + (f", {s.suppressed} suppressed" if s.suppressed else ""))
    return "\n".join(out) + "\n"
