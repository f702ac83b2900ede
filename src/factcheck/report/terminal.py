"""The editor's view: compiler-style diagnostics with code frames and a summary line."""

from __future__ import annotations

import unicodedata

from factcheck.display import is_unsafe
from factcheck.display import shown as _esc
from factcheck.report.labels import archived, archived_note

COLORS = {"error": "\033[1;31m", "warning": "\033[1;33m", "info": "\033[1;34m", "ok": "\033[32m",
          "unverifiable": "\033[35m", "dim": "\033[2m", "bold": "\033[1m", "reset": "\033[0m", "mark": "\033[1;36m"}


def char_width(ch: str) -> int:
    """Terminal columns of one character: 2 for East Asian wide/full-width, 0 for combining marks and
    zero-width format characters, else 1."""
    if unicodedata.east_asian_width(ch) in "WF":
        return 2
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 1


def width(s: str) -> int:
    return sum(char_width(ch) for ch in s)


def _printable(line: str) -> str:
    """Tabs and other control characters become one space each, so columns stay one character each; a
    bidirectional control (U+202E would reverse the rest of the line) or another character a terminal
    must not be sent becomes U+FFFD, one column, in its place."""
    if not any(ch < " " or ch == "\x7f" or is_unsafe(ch) for ch in line):
        return line
    return "".join(" " if (ch < " " or ch == "\x7f") else "\ufffd" if is_unsafe(ch) else ch for ch in line)


FRAME_WIDTH = 100  # longer lines (unwrapped paragraphs) are cut to a window around the figures
FRAME_CONTEXT = 24  # characters shown either side of the figures in a cut line


def _n(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _c(color: bool, name: str, s: str) -> str:
    return f"{COLORS[name]}{s}{COLORS['reset']}" if color else s


def _window(text: str, spans) -> tuple[str, int, bool, bool]:
    """A long line cut around its marked spans: (shown text, offset of its first character in the line,
    cut at the start, cut at the end)."""
    if not spans or width(text) <= FRAME_WIDTH:
        return text, 0, False, False
    a = max(0, min(x for x, _ in spans) - 1 - FRAME_CONTEXT)
    b = min(len(text), max(y for _, y in spans) - 1 + FRAME_CONTEXT)
    return text[a:b], a, a > 0, b < len(text)


def _frame(claims, lines: dict, color: bool, main_path: str | None = None, notes: dict | None = None) -> list[str]:
    """Each involved line once, with every involved figure underlined (East Asian width aware).

    A figure split across lines (311.2亿 / blank line / 元) is underlined on each of its lines; claims in
    another file than the diagnostic's get a `--> path:line:column` header of their own, followed by
    notes[path] when there is one (an archived article's title and date)."""
    marks: dict[tuple[str, int], list[tuple[int, int]]] = {}
    first_at: dict[str, tuple[int, int]] = {}
    for c in claims:
        col = c.column
        ln = c.line
        first_at[c.path] = min(first_at.get(c.path, (ln, col)), (ln, col))
        for piece in c.text.split("\n"):
            line_marks = marks.setdefault((c.path, ln), [])  # a blank line inside a figure is shown too
            if piece:
                line_marks.append((col, col + len(piece)))
            ln += 1
            col = 1
    out = []
    by_path: dict[str, list[int]] = {}
    for (path, ln) in sorted(marks):
        by_path.setdefault(path, []).append(ln)
    main_path = main_path if main_path is not None else (claims[0].path if claims else None)
    gutter = max((len(str(n)) for lns in by_path.values() for n in lns), default=1)
    multi = len(by_path) > 1 or (by_path and main_path not in by_path)
    order = sorted(by_path, key=lambda p: (p != main_path, p))
    for path in order:
        lns = by_path[path]
        file_lines = lines.get(path, {})
        if multi:
            ln0, col0 = first_at[path]
            note = f" ({_esc(notes[path])})" if notes and path in notes else ""
            out.append(_c(color, "dim", f"{'':>{gutter}}--> {_esc(path)}:{ln0}:{col0}{note}"))
        prev = None
        for ln in lns:
            if prev is not None and ln > prev + 1:
                out.append(_c(color, "dim", f" {'.' * gutter} |"))
            prev = ln
            text = _printable(file_lines.get(ln, ""))
            spans = sorted(marks[(path, ln)])
            if not spans:
                out.append(_c(color, "dim", f" {ln:>{gutter}} |") + (" " + text if text.strip() else ""))
                continue
            shown, off, cut_a, cut_b = _window(text, spans)
            lead = "…" if cut_a else ""
            out.append(_c(color, "dim", f" {ln:>{gutter}} | ") + lead + shown + ("…" if cut_b else ""))
            under = [" " * width(lead)]
            pos = 1
            for a, b in spans:
                a, b = a - off, b - off
                if a < pos:
                    continue
                under.append(" " * width(shown[pos - 1:a - 1]))
                under.append("^" * max(1, width(shown[a - 1:b - 1])))
                pos = b
            out.append(_c(color, "dim", f" {'':>{gutter}} | ") + _c(color, "mark", "".join(under).rstrip()))
    return out


def render_text(report, lines: dict, color: bool = False, show_ok: bool = False) -> str:
    out: list[str] = []
    by_file: dict[str, list] = {}
    for chk in report.checks:
        if chk.status == "discrepancy" or (show_ok and chk.status in ("ok", "unverifiable")):
            by_file.setdefault(chk.claims[0].path if chk.claims else "", []).append(chk)
    for e in report.errors:
        out.append(f"{_c(color, 'error', 'error')}: {_esc(e.path)}: {_esc(e.reason)}")
    if report.errors:
        out.append("")
    for path in sorted(by_file):
        out.append(_c(color, "bold", _esc(path)))
        for chk in by_file[path]:
            first = chk.claims[0] if chk.claims else None
            label = chk.severity if chk.status == "discrepancy" else chk.status
            color_name = chk.severity if chk.status == "discrepancy" else chk.status
            where = f"{_esc(first.path)}:{first.line}:{first.column}" if first else "factcheck"
            out.append(f"{where}: {_c(color, color_name, label)} "
                       f"{_c(color, 'bold', _esc(chk.rule))} [{_esc(chk.name)}] {_esc(chk.message)}")
            if chk.status == "discrepancy":
                arch = archived(chk)
                notes = {arch["path"]: archived_note(arch)} if arch else None
                out.extend(_frame(chk.claims, lines, color, notes=notes))
                if chk.miss:
                    out.append(_c(color, "dim", f"   = misses by {_esc(chk.miss)} beyond the rounding of the stated figures"))
            out.append("")
    s = report.summary
    d = s.discrepancies
    total_disc = sum(d.values())
    parts = [_n(s.files, "file"), _n(s.claims, "claim"), _n(s.checks, "check"),
             f"{total_disc} discrepanc{'ies' if total_disc != 1 else 'y'} ({_n(d.get('error', 0), 'error')}, "
             f"{_n(d.get('warning', 0), 'warning')}, {d.get('info', 0)} info)", f"{s.unverifiable} unverifiable",
             f"{s.ok} ok"]
    if s.errors:
        parts.append(_n(s.errors, "input error"))
    if s.suppressed:
        parts.append(f"{s.suppressed} suppressed")
    summary = ", ".join(parts)
    out.append(_c(color, "bold", summary) if color else summary)
    return "\n".join(out) + "\n"
