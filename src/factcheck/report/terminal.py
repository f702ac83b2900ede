"""The editor's view: compiler-style diagnostics with code frames and a summary line, in the run's
language; the concise view (one line per finding) and the statistics (findings per rule)."""

from __future__ import annotations

import unicodedata

from factcheck import i18n
from factcheck.display import is_unsafe
from factcheck.display import shown as _esc
from factcheck.report.labels import archived, archived_at, archived_note

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


FRAME_WIDTH = 100  # the width of a report that is not shown on a terminal (a file, a pipe, a CI log)
FRAME_CONTEXT = 24  # characters shown either side of the figures in a cut line (at most)


def _n(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _c(color: bool, name: str, s: str) -> str:
    return f"{COLORS[name]}{s}{COLORS['reset']}" if color else s


# ---------------------------------------------------------------- wrapping

# a line never starts with closing punctuation, nor ends with opening punctuation
_NO_START = set("，。、；：？！）】」』”’》〉,.;:?!)]}%…")
_NO_END = set("（【「『“‘《〈([{")


def _tokens(text: str) -> list[str]:
    """Pieces a line may break between: a run of characters without spaces outside CJK text (a word, a
    number with its unit), each CJK character alone, and each run of spaces; closing punctuation stays
    with what comes before it, opening punctuation with what follows."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == " ":
            j = i
            while j < n and text[j] == " ":
                j += 1
        elif char_width(ch) == 2 or ch in _NO_START or ch in _NO_END:
            j = i + 1
        else:
            j = i
            while j < n and text[j] != " " and char_width(text[j]) != 2 and text[j] not in _NO_START \
                    and text[j] not in _NO_END:
                j += 1
        tok = text[i:j]
        if out and (tok[0] in _NO_START or (out[-1] and out[-1][-1] in _NO_END)) and not out[-1].isspace():
            out[-1] += tok
        else:
            out.append(tok)
        i = j
    return out


def wrap(text: str, columns: int, indent: str = "", first_indent: str | None = None) -> list[str]:
    """Lines of at most columns cells (East Asian width aware), broken between words or between CJK
    characters, never inside a word or before closing punctuation (a word longer than a line is cut).
    Existing line breaks are kept."""
    first = indent if first_indent is None else first_indent
    out: list[str] = []
    for para in text.split("\n"):
        line, used = first if not out else indent, width(first if not out else indent)
        lead = line
        for tok in _tokens(para):
            w = width(tok)
            if tok.isspace():
                if line != lead:
                    line, used = line + tok, used + w
                continue
            if used + w > columns and line.strip():
                out.append(line.rstrip())
                line, used = indent, width(indent)
                lead = line
            while used + w > columns and width(indent) + 1 < columns:  # a word longer than the line
                room = columns - used
                k, cw = 0, 0
                while k < len(tok) and cw + char_width(tok[k]) <= room:
                    cw += char_width(tok[k])
                    k += 1
                if k == 0:
                    break
                out.append(line + tok[:k])
                tok, w = tok[k:], width(tok[k:])
                line, used = indent, width(indent)
                lead = line
            line, used = line + tok, used + w
        out.append(line.rstrip())
    return out


# ---------------------------------------------------------------- code frames

def _windows(text: str, spans, room: int) -> list[tuple[str, int, bool, bool, list]]:
    """The pieces of a line to show around its marked spans, each at most room cells wide with its
    ellipses: (shown text, offset of its first character in the line, cut at the start, cut at the end,
    the spans in it). A line that fits is shown whole; figures too far apart for one piece get one each."""
    if not spans or width(text) <= room:
        return [(text, 0, False, False, list(spans))]
    groups: list[list[tuple[int, int]]] = []
    for a, b in spans:  # spans are 1-based columns [a, b)
        if groups:
            g0 = groups[-1][0][0]
            if width(text[g0 - 1:b - 1]) + 2 <= room:
                groups[-1].append((a, b))
                continue
        groups.append([(a, b)])
    out = []
    for g in groups:
        lo, hi = g[0][0] - 1, max(b for _, b in g) - 1  # 0-based [lo, hi)
        used = width(text[lo:hi]) + (lo > 0) + (hi < len(text))
        left = right = 0
        while True:  # widen evenly both sides while there is room, at most FRAME_CONTEXT characters each
            grew = False
            if lo - left > 0 and left < FRAME_CONTEXT:
                w = char_width(text[lo - left - 1]) - (1 if lo - left - 1 == 0 else 0)
                if used + w <= room:
                    left += 1
                    used += w
                    grew = True
            if hi + right < len(text) and right < FRAME_CONTEXT:
                w = char_width(text[hi + right]) - (1 if hi + right + 1 == len(text) else 0)
                if used + w <= room:
                    right += 1
                    used += w
                    grew = True
            if not grew:
                break
        a, b = lo - left, hi + right
        out.append((text[a:b], a, a > 0, b < len(text), g))
    return out


def _frame(claims, lines: dict, color: bool, main_path: str | None = None, columns: int = FRAME_WIDTH,
           notes: dict | None = None) -> list[str]:
    """Each involved line once, with every involved figure underlined (East Asian width aware), cut to
    fit in columns cells.

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
    room = max(20, columns - gutter - 4)  # " 84 | " takes gutter + 4 cells
    multi = len(by_path) > 1 or (by_path and main_path not in by_path)
    order = sorted(by_path, key=lambda p: (p != main_path, p))
    for path in order:
        lns = by_path[path]
        file_lines = lines.get(path, {})
        if multi:
            ln0, col0 = first_at[path]
            note = f" {_esc(notes[path])}" if notes and path in notes else ""
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
            for shown, off, cut_a, cut_b, in_piece in _windows(text, spans, room):
                lead = "…" if cut_a else ""
                out.append(_c(color, "dim", f" {ln:>{gutter}} | ") + lead + shown + ("…" if cut_b else ""))
                under = [" " * width(lead)]
                pos = 1
                for a, b in in_piece:
                    a, b = a - off, b - off
                    if a < pos:
                        continue
                    under.append(" " * width(shown[pos - 1:a - 1]))
                    under.append("^" * max(1, width(shown[a - 1:b - 1])))
                    pos = b
                out.append(_c(color, "dim", f" {'':>{gutter}} | ") + _c(color, "mark", "".join(under).rstrip()))
    return out


# ---------------------------------------------------------------- the reports

def _shown_checks(report, show_ok: bool) -> dict[str, list]:
    """The checks to list, by the file of their first figure, each file's in text order."""
    by_file: dict[str, list] = {}
    for chk in report.checks:
        if chk.status == "discrepancy" or (show_ok and chk.status in ("ok", "unverifiable")):
            by_file.setdefault(chk.claims[0].path if chk.claims else "", []).append(chk)
    for path, checks in by_file.items():
        checks.sort(key=lambda c: (c.claims[0].line, c.claims[0].column) if c.claims else (0, 0))
    return by_file


def _head(chk, color: bool, lang: str | None) -> tuple[str, str]:
    """A finding's heading, `path:line:col: 错误 FC101` (in English with the rule's name,
    `error FC101 [breakdown-sum]`), and its message, each escaped."""
    first = chk.claims[0] if chk.claims else None
    status_name = chk.severity if chk.status == "discrepancy" else chk.status
    label = (i18n.severity_word(chk.severity, lang) if chk.status == "discrepancy"
             else i18n.status_word(chk.status, lang))
    where = f"{_esc(first.path)}:{first.line}:{first.column}" if first else "factcheck"
    name = f" [{_esc(chk.name)}]" if (lang or i18n.language()) == "en" else ""
    return f"{where}: {_c(color, status_name, label)} {_c(color, 'bold', _esc(chk.rule))}{name}", _esc(chk.message)


def render_text(report, lines: dict, color: bool = False, show_ok: bool = False, columns: int | None = None,
                lang: str | None = None) -> str:
    """The editor's report. columns: the terminal's width (None: not a terminal): code frames are cut to
    it, and a message that does not fit beside its heading goes on lines of its own, wrapped."""
    out: list[str] = []
    by_file = _shown_checks(report, show_ok)
    for e in report.errors:
        out.append(f"{_c(color, 'error', i18n.severity_word('error', lang))}: {_esc(e.path)}: {_esc(e.reason)}")
    if report.errors:
        out.append("")
    for path in sorted(by_file):
        out.append(_c(color, "bold", _esc(path)))
        for chk in by_file[path]:
            head, msg = _head(chk, color, lang)
            plain_head = _head(chk, False, lang)[0]
            if columns is None or width(plain_head) + 1 + width(msg) <= columns:
                out.append(f"{head} {msg}")
            else:
                out.append(head)
                out.extend(wrap(msg, columns, "  "))
            if chk.status == "discrepancy":
                arch = archived(chk)
                notes = {arch["path"]: archived_note(arch, lang=lang)} if arch else None
                out.extend(_frame(chk.claims, lines, color, columns=columns or FRAME_WIDTH, notes=notes))
            out.append("")
    summary = i18n.summary_line(report.summary, lang)
    out.append(_c(color, "bold", summary) if color else summary)
    return "\n".join(out) + "\n"


def render_concise(report, color: bool = False, show_ok: bool = False, lang: str | None = None) -> str:
    """One line per finding (`path:line:col: 错误 FC101 message`), then the summary line."""
    out: list[str] = []
    for e in report.errors:
        out.append(f"{_esc(e.path)}: {_c(color, 'error', i18n.severity_word('error', lang))}: {_esc(e.reason)}")
    by_file = _shown_checks(report, show_ok)
    for path in sorted(by_file):
        for chk in by_file[path]:
            head, msg = _head(chk, color, lang)
            arch = archived(chk)  # a conflict with the archive: which archived article, where
            out.append(f"{head} {msg}" + (f" {_esc(archived_at(arch, lang))}" if arch else ""))
    summary = i18n.summary_line(report.summary, lang)
    out.append(_c(color, "bold", summary) if color else summary)
    return "\n".join(out) + "\n"


def render_statistics(report, rules=None, color: bool = False, lang: str | None = None) -> str:
    """The findings counted per rule, most first (`2  FC101  breakdown-sum  分项之和等于合计`), then the
    summary line."""
    titles = {r.id: i18n.rule_title(r, lang) for r in rules or ()}
    counts: dict[tuple[str, str], int] = {}
    for chk in report.checks:
        if chk.status == "discrepancy":
            counts[(chk.rule, chk.name)] = counts.get((chk.rule, chk.name), 0) + 1
    rows = sorted(counts.items(), key=lambda x: (-x[1], x[0]))
    out: list[str] = []
    if rows:
        nw = max(len(str(n)) for _, n in rows)
        name_w = max(len(name) for (_, name), _ in rows)
        for (rule, name), n in rows:
            line = f"{n:>{nw}}  {_c(color, 'bold', _esc(rule))}  {_esc(name):<{name_w}}  {_esc(titles.get(rule, ''))}"
            out.append(line.rstrip())
    summary = i18n.summary_line(report.summary, lang)
    out.append(_c(color, "bold", summary) if color else summary)
    return "\n".join(out) + "\n"
