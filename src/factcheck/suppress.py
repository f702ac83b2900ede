"""Accepted discrepancies: inline `<!-- factcheck: ignore FC101 -->` comments, per-file ignores, baselines.

- Inline (Markdown only): the comment suppresses the listed rules (ids, id prefixes, names; none or ALL
  for every rule) in the paragraph that follows it, as factcheck joins it (a hard-wrapped paragraph,
  also across a blank line inside a figure, counts as one). A comment inside a fenced code block
  (``` or ~~~) is code, not a directive. Comments are found with str.find, in linear time.
- Per-file ignores (configuration): glob → rules, the glob matched against the path relative to the
  configuration file's folder and against the path as shown.
- Baseline: a JSON file of the accepted findings, each by a fingerprint made from the rule, the files
  (relative to the baseline file's folder) and the raw text and subject of every figure involved, so
  it survives edits elsewhere in the article (lines and offsets are not part of it). A fingerprint
  that occurs n times in the baseline accepts n findings.

Only discrepancies are ever suppressed; passing and unverifiable checks are kept. A suppressed finding
is not dropped from the report: split_inline and split_baseline set it apart with its reason, and the
reports list it (JSON `suppressed`, SARIF `suppressions`, a folded section of the HTML page).
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import re
from collections import Counter

# the body of a comment (between <!-- and -->) that is a directive; matched from the body's start, once
DIRECTIVE = re.compile(r"\s*factcheck:\s*ignore\b", re.IGNORECASE)
MARKDOWN = (".md", ".markdown")
BASELINE_VERSION = 1
_WS = re.compile(r"\s+")


def _ids(text: str) -> set[str]:
    return {x.strip() for x in re.split(r"[,\s]+", text) if x.strip()}


def _rule_in(chk, ids) -> bool:
    """Whether a check's rule is among ids: empty or ALL = every rule; ids, id prefixes or names."""
    if not ids:
        return True
    for p in ids:
        if p.upper() == "ALL" or p == chk.name or chk.rule.startswith(p.upper()):
            return True
    return False


def _fences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the fenced code blocks (``` or ~~~, up to three spaces in) of a Markdown text."""
    out: list[tuple[int, int]] = []
    pos, n = 0, len(text)
    fence = ""
    start = 0
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        line = text[pos:end]
        lead = line[: len(line) - len(line.lstrip(" "))]
        body = line[len(lead):]
        if len(lead) <= 3 and body[:3] in ("```", "~~~"):
            mark = body[0] * (len(body) - len(body.lstrip(body[0])))
            if not fence:
                fence, start = mark, pos
            elif body.startswith(fence) and mark == body.rstrip() and mark[0] == fence[0]:
                out.append((start, end))
                fence = ""
        pos = end + 1
    if fence:  # an unclosed fence runs to the end of the text
        out.append((start, n))
    return out


def directives(text: str) -> list[tuple[int, int, str, int]]:
    """(start, end, selectors, line) of each `<!-- factcheck: ignore … -->` comment outside fenced code,
    in text order. Linear: each comment is found with str.find and its body matched once."""
    out: list[tuple[int, int, str, int]] = []
    pos = text.find("<!--")
    if pos < 0:
        return out
    fences = _fences(text) if ("```" in text or "~~~" in text) else []
    f = 0
    line, counted = 1, 0
    while pos >= 0:
        close = text.find("-->", pos + 4)
        if close < 0:
            break  # no comment after this one can close either
        body = text[pos + 4:close]
        while f < len(fences) and fences[f][1] < pos:
            f += 1
        fenced = f < len(fences) and fences[f][0] <= pos
        m = DIRECTIVE.match(body)
        if m is not None and not fenced and ">" not in body:
            line += text.count("\n", counted, pos)
            counted = pos
            out.append((pos, close + 3, body[m.end():].strip(), line))
        pos = text.find("<!--", close + 3)
    return out


def _paragraph_ends(text: str, body_start: int, norm=None) -> list[int]:
    """Original end offset of each paragraph as factcheck's normalization joins them."""
    from factcheck.normalize import normalize

    norm = norm if norm is not None else normalize(text, body_start)
    ends, pos = [], 0
    while pos < len(norm.text):
        brk = norm.text.find("\n\n", pos)
        stop = len(norm.text) if brk < 0 else brk
        if stop > pos:
            ends.append(norm.span(pos, stop)[1])
        pos = stop + 2
    return ends


def inline_ignores(text: str, body_start: int = 0, norm=None) -> list[tuple[int, int, tuple[str, ...], int]]:
    """(start, end, rule selectors, line of the comment) of the paragraph after each inline ignore
    comment, in the offsets of the text as factcheck reads it, which the claims' offsets use. norm: the
    text's normalization when the caller has it."""
    found = directives(text)
    if not found:
        return []
    import bisect

    ends = _paragraph_ends(text, body_start, norm)
    out = []
    for start, close, selectors, line in found:
        q = close
        while q < len(text) and text[q] in " \t\r\n":
            q += 1
        k = bisect.bisect_right(ends, q)
        end = ends[k] if k < len(ends) else len(text)
        out.append((start, end, tuple(sorted(_ids(selectors))), line))
    return out


def ignored_ranges(path: str) -> list[tuple[int, int, set[str]]]:
    """(start, end, rule selectors) of the paragraph after each inline ignore comment of a Markdown file,
    read again from disk."""
    if not path.lower().endswith(MARKDOWN):
        return []
    from factcheck.documents import InputError, read_document

    try:
        doc = read_document(path)
    except InputError:
        return []
    return [(a, b, set(ids)) for a, b, ids, _ in inline_ignores(doc.text, doc.body_start)]  # (without lines)


_ignored_ranges = ignored_ranges  # the earlier name


def _relative(path: str, base_dir: str | None) -> str | None:
    if not base_dir or path == "<stdin>":
        return None
    try:
        return os.path.relpath(os.path.abspath(path), base_dir).replace(os.sep, "/")
    except ValueError:  # another drive
        return None


def _file_ignored(chk, per_file_ignores: dict, base_dir: str | None) -> str | None:
    """The per-file-ignores glob that suppresses a check, or None."""
    for _, c in chk.claims:
        names = {c.path.replace(os.sep, "/")}
        rel = _relative(c.path, base_dir)
        if rel:
            names.add(rel)
        for pattern, ids in per_file_ignores.items():
            if any(fnmatch.fnmatchcase(n, pattern) for n in names) and _rule_in(chk, ids or ["ALL"]):
                return pattern
    return None


def split_inline(checks, files, per_file_ignores: dict | None = None, base_dir: str | None = None,
                 config_file: str | None = None) -> tuple[list, list]:
    """The discrepancies suppressed by inline comments or per-file ignores, set apart: (kept, suppressed),
    each suppressed one as (check, {"kind": "inline" | "per-file-ignores", "reason": …}), the reason in
    the run's language."""
    from factcheck import i18n

    per_file_ignores = per_file_ignores or {}
    paths = {c.path for chk in checks if chk.status == "discrepancy" for _, c in chk.claims}
    found = {r.path: r.ignores for r in files if getattr(r, "ignores", None) is not None}
    ranges = {p: (found[p] if p in found else _ranges_with_lines(p))
              for p in sorted(paths) if p.lower().endswith(MARKDOWN)}
    kept, dropped = [], []
    for chk in checks:
        if chk.status == "discrepancy":
            pattern = _file_ignored(chk, per_file_ignores, base_dir)
            if pattern is not None:
                where = config_file or i18n.gettext("the configuration")
                dropped.append((chk, {"kind": "per-file-ignores", "reason": i18n.gettext(
                    "per-file-ignores \"{pattern}\" in {file}").format(pattern=pattern, file=where)}))
                continue
            comment = _inline_ignored(chk, ranges)
            if comment is not None:
                path, line, ids = comment
                said = f"<!-- factcheck: ignore {' '.join(ids)} -->" if ids else "<!-- factcheck: ignore -->"
                dropped.append((chk, {"kind": "inline", "reason": i18n.gettext(
                    "{comment} at {path}:{line}").format(comment=said, path=path, line=line)}))
                continue
        kept.append(chk)
    return kept, dropped


def apply_inline(checks, files, per_file_ignores: dict | None = None, base_dir: str | None = None) -> tuple[list, int]:
    """Drop the discrepancies suppressed by inline comments or per-file ignores: (kept, number dropped)."""
    kept, dropped = split_inline(checks, files, per_file_ignores, base_dir)
    return kept, len(dropped)


def _ranges_with_lines(path: str) -> list[tuple[int, int, tuple[str, ...], int]]:
    """The inline ignore comments of a Markdown file read again from disk (inline_ignores)."""
    from factcheck.documents import InputError, read_document

    try:
        doc = read_document(path)
    except InputError:
        return []
    return inline_ignores(doc.text, doc.body_start)


def _inline_ignored(chk, ranges) -> tuple[str, int, tuple[str, ...]] | None:
    """(file, line, selectors) of the inline comment that suppresses a check, or None."""
    for _, c in chk.claims:
        for a, b, ids, line in ranges.get(c.path, ()):
            if a <= c.start < b and _rule_in(chk, set(ids)):
                return c.path, line, tuple(ids)
    return None


def baseline_fingerprint(chk, base_dir: str) -> str:
    """Rule + for every figure: role, file (relative to base_dir), raw text without whitespace, subject."""
    parts = []
    for role, c in chk.claims:
        rel = _relative(c.path, base_dir) or c.path
        raw = _WS.sub("", c.text)
        parts.append(f"{role}|{rel}|{raw}|{c.subject}")
    return hashlib.sha256("\n".join([chk.rule, *sorted(parts)]).encode("utf-8")).hexdigest()[:20]


def _base_dir(baseline_path: str) -> str:
    return os.path.dirname(os.path.abspath(baseline_path))


def baseline_data(checks, path: str) -> dict:
    from factcheck import __version__

    base = _base_dir(path)
    entries = []
    for chk in checks:
        if chk.status != "discrepancy":
            continue
        first = chk.claims[0][1] if chk.claims else None
        where = (_relative(first.path, base) or first.path) if first else ""
        entries.append({"fingerprint": baseline_fingerprint(chk, base), "rule": chk.rule, "path": where,
                        "message": chk.message})
    entries.sort(key=lambda e: (e["path"], e["rule"], e["fingerprint"], e["message"]))
    return {"factcheck_baseline": BASELINE_VERSION, "tool_version": __version__, "findings": entries}


def write_baseline_file(checks, path: str) -> int:
    """Record the discrepancies among checks as accepted; returns how many."""
    from factcheck.atomic import write_atomic

    data = baseline_data(checks, path)
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return len(data["findings"])


def read_baseline(path: str) -> Counter:
    """The accepted findings of a baseline file. Raises ValueError (the reason) for a file that cannot
    be read, is not a regular file, is over its size limit, or is not a baseline."""
    from factcheck.safeio import BASELINE_LIMIT, ReadError, read_text

    try:
        text = read_text(path, BASELINE_LIMIT)
    except ReadError as e:
        raise ValueError(e.reason) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(f"invalid JSON: {e}") from None
    except RecursionError:
        raise ValueError("invalid baseline: nested too deeply") from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise ValueError("not a factcheck baseline file (no 'findings' list)")
    if data.get("factcheck_baseline") != BASELINE_VERSION:
        raise ValueError(f"unsupported baseline version {data.get('factcheck_baseline')!r} "
                         f"(this factcheck writes version {BASELINE_VERSION}; run --write-baseline again)")
    out: Counter = Counter()
    for i, finding in enumerate(data["findings"]):
        if not isinstance(finding, dict) or not isinstance(finding.get("fingerprint"), str):
            raise ValueError(f"findings[{i}]: no 'fingerprint'")
        out[finding["fingerprint"]] += 1
    return out


def split_baseline(checks, path: str, known: Counter | None = None) -> tuple[list, list]:
    """The discrepancies recorded in the baseline file, set apart: (kept, suppressed), each suppressed one
    as (check, {"kind": "baseline", "reason": …}). known: the file's findings as read_baseline gave them
    (else it is read here). Raises ValueError for a file that cannot be read or is not a baseline."""
    from factcheck import i18n
    from factcheck.display import shown

    known = Counter(known) if known is not None else read_baseline(path)
    base = _base_dir(path)
    kept, dropped = [], []
    reason = i18n.gettext("accepted in the baseline {file}").format(file=shown(path))
    for chk in checks:
        if chk.status == "discrepancy":
            fp = baseline_fingerprint(chk, base)
            if known[fp] > 0:
                known[fp] -= 1
                dropped.append((chk, {"kind": "baseline", "reason": reason}))
                continue
        kept.append(chk)
    return kept, dropped


def apply_baseline(checks, path: str, known: Counter | None = None) -> tuple[list, int]:
    """Drop the discrepancies recorded in the baseline file: (kept, number dropped). known: the file's
    findings as read_baseline gave them (else it is read here).

    Raises ValueError for a file that cannot be read or is not a baseline."""
    kept, dropped = split_baseline(checks, path, known)
    return kept, len(dropped)
