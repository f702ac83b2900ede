"""The editor's view: compiler-style diagnostics with code frames and a summary line."""

from __future__ import annotations

import unicodedata

COLORS = {"error": "\033[1;31m", "warning": "\033[1;33m", "info": "\033[1;34m", "ok": "\033[32m",
          "unverifiable": "\033[35m", "dim": "\033[2m", "bold": "\033[1m", "reset": "\033[0m", "mark": "\033[1;36m"}


def width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _c(color: bool, name: str, s: str) -> str:
    return f"{COLORS[name]}{s}{COLORS['reset']}" if color else s


def _frame(claims, lines: dict, color: bool) -> list[str]:
    """Each involved line once, with every involved figure underlined (East Asian width aware)."""
    marks: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for c in claims:
        # a figure may span lines (311.2亿 / blank line / 元): underline its part on each line
        col = c.column
        ln = c.line
        for piece in c.text.split("\n"):
            if piece:
                marks.setdefault((c.path, ln), []).append((col, col + len(piece)))
            ln += 1
            col = 1
    out = []
    by_path: dict[str, list[int]] = {}
    for (path, ln) in sorted(marks):
        by_path.setdefault(path, []).append(ln)
    multi = len(by_path) > 1
    for path, lns in by_path.items():
        file_lines = lines.get(path, {})
        gutter = max(len(str(n)) for n in lns)
        if multi:
            out.append(_c(color, "dim", f"  --> {path}"))
        for ln in lns:
            text = file_lines.get(ln, "")
            spans = sorted(marks[(path, ln)])
            out.append(_c(color, "dim", f" {ln:>{gutter}} | ") + text)
            under = []
            pos = 1
            for a, b in spans:
                if a < pos:
                    continue
                under.append(" " * width(text[pos - 1:a - 1]))
                under.append("^" * max(1, width(text[a - 1:b - 1])))
                pos = b
            out.append(_c(color, "dim", f" {'':>{gutter}} | ") + _c(color, "mark", "".join(under)))
    return out


def render_text(report, lines: dict, color: bool = False, show_ok: bool = False) -> str:
    out: list[str] = []
    by_file: dict[str, list] = {}
    for chk in report.checks:
        if chk.status == "discrepancy" or (show_ok and chk.status in ("ok", "unverifiable")):
            by_file.setdefault(chk.claims[0].path if chk.claims else "", []).append(chk)
    for e in report.errors:
        out.append(f"{_c(color, 'error', 'error')}: {e.path}: {e.reason}")
    if report.errors:
        out.append("")
    for path in sorted(by_file):
        out.append(_c(color, "bold", path))
        for chk in by_file[path]:
            first = chk.claims[0]
            label = chk.severity if chk.status == "discrepancy" else chk.status
            color_name = chk.severity if chk.status == "discrepancy" else chk.status
            out.append(f"{first.path}:{first.line}:{first.column}: {_c(color, color_name, label)} "
                       f"{_c(color, 'bold', chk.rule)} [{chk.name}] {chk.message}")
            if chk.status == "discrepancy":
                out.extend(_frame(chk.claims, lines, color))
                if chk.miss:
                    out.append(_c(color, "dim", f"   = misses by {chk.miss} beyond the rounding of the stated figures"))
            out.append("")
    s = report.summary
    d = s.discrepancies
    total_disc = sum(d.values())
    parts = [f"{s.files} file{'s' if s.files != 1 else ''}", f"{s.claims} claims", f"{s.checks} checks",
             f"{total_disc} discrepanc{'ies' if total_disc != 1 else 'y'} ({d['error']} error, {d['warning']} warning, "
             f"{d['info']} info)", f"{s.unverifiable} unverifiable", f"{s.ok} ok"]
    if s.errors:
        parts.append(f"{s.errors} input error{'s' if s.errors != 1 else ''}")
    if s.suppressed:
        parts.append(f"{s.suppressed} suppressed")
    summary = ", ".join(parts)
    out.append(_c(color, "bold", summary) if color else summary)
    return "\n".join(out) + "\n"
