"""Accepted discrepancies: inline `<!-- factcheck: ignore FC101 -->` comments, per-file ignores, baselines.

- Inline (Markdown only): the comment suppresses the listed rules (ids, id prefixes, names; none or ALL
  for every rule) in the paragraph that follows it, as factcheck joins it (a hard-wrapped paragraph,
  also across a blank line inside a figure, counts as one).
- Per-file ignores (configuration): glob → rules, the glob matched against the path relative to the
  configuration file's folder and against the path as shown.
- Baseline: a JSON file of the accepted findings, each by a fingerprint made from the rule, the files
  (relative to the baseline file's folder) and the raw text and subject of every figure involved, so
  it survives edits elsewhere in the article (lines and offsets are not part of it). A fingerprint
  that occurs n times in the baseline accepts n findings.

Only discrepancies are ever suppressed; passing and unverifiable checks are kept.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import re
from collections import Counter

IGNORE = re.compile(r"<!--\s*factcheck:\s*ignore\b([^>]*?)\s*-->", re.IGNORECASE)
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


def _paragraph_ends(text: str, body_start: int) -> list[int]:
    """Original end offset of each paragraph as factcheck's normalization joins them."""
    from factcheck.normalize import normalize

    norm = normalize(text, body_start)
    ends, pos = [], 0
    while pos < len(norm.text):
        brk = norm.text.find("\n\n", pos)
        stop = len(norm.text) if brk < 0 else brk
        if stop > pos:
            ends.append(norm.span(pos, stop)[1])
        pos = stop + 2
    return ends


def ignored_ranges(path: str) -> list[tuple[int, int, set[str]]]:
    """(start, end, rule selectors) of the paragraph after each inline ignore comment, in the offsets of
    the file's text as factcheck reads it (documents.read_document), which the claims' offsets use."""
    if not path.lower().endswith(MARKDOWN):
        return []
    from factcheck.documents import InputError, read_document

    try:
        doc = read_document(path)
    except InputError:
        return []
    return ignored_ranges_in(doc.text, doc.body_start)


def ignored_ranges_in(text: str, body_start: int = 0) -> list[tuple[int, int, set[str]]]:
    """ignored_ranges of a Markdown article's text as read (an article sent to the server: no file)."""
    found = list(IGNORE.finditer(text))
    if not found:
        return []
    ends = _paragraph_ends(text, body_start)
    out = []
    for m in found:
        q = m.end()
        while q < len(text) and text[q] in " \t\r\n":
            q += 1
        end = next((e for e in ends if e > q), len(text))
        out.append((m.start(), end, _ids(m.group(1))))
    return out


_ignored_ranges = ignored_ranges  # the earlier name


def _relative(path: str, base_dir: str | None) -> str | None:
    if not base_dir or path == "<stdin>":
        return None
    try:
        return os.path.relpath(os.path.abspath(path), base_dir).replace(os.sep, "/")
    except ValueError:  # another drive
        return None


def _file_ignored(chk, per_file_ignores: dict, base_dir: str | None) -> bool:
    for _, c in chk.claims:
        names = {c.path.replace(os.sep, "/")}
        rel = _relative(c.path, base_dir)
        if rel:
            names.add(rel)
        for pattern, ids in per_file_ignores.items():
            if any(fnmatch.fnmatchcase(n, pattern) for n in names) and _rule_in(chk, ids or ["ALL"]):
                return True
    return False


def apply_inline(checks, files, per_file_ignores: dict | None = None, base_dir: str | None = None,
                 ranges: dict | None = None) -> tuple[list, int]:
    """Drop the discrepancies suppressed by inline comments or per-file ignores: (kept, number dropped).
    ranges: path → ignored_ranges of articles not read from files (the Markdown files are read again)."""
    per_file_ignores = per_file_ignores or {}
    if ranges is None:
        paths = {c.path for chk in checks if chk.status == "discrepancy" for _, c in chk.claims}
        ranges = {p: ignored_ranges(p) for p in sorted(paths) if p.lower().endswith(MARKDOWN)}
    kept, dropped = [], 0
    for chk in checks:
        if chk.status == "discrepancy" and (_file_ignored(chk, per_file_ignores, base_dir)
                                            or _inline_ignored(chk, ranges)):
            dropped += 1
            continue
        kept.append(chk)
    return kept, dropped


def _inline_ignored(chk, ranges) -> bool:
    for _, c in chk.claims:
        for a, b, ids in ranges.get(c.path, ()):
            if a <= c.start < b and _rule_in(chk, ids):
                return True
    return False


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
    with open(path, encoding="utf-8") as f:
        try:
            data = json.load(f)
        except json.JSONDecodeError as e:
            raise ValueError(f"invalid JSON: {e}") from None
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


def apply_baseline(checks, path: str) -> tuple[list, int]:
    """Drop the discrepancies recorded in the baseline file: (kept, number dropped).

    Raises OSError or ValueError for a file that cannot be read or is not a baseline."""
    known = read_baseline(path)
    base = _base_dir(path)
    kept, dropped = [], 0
    for chk in checks:
        if chk.status == "discrepancy":
            fp = baseline_fingerprint(chk, base)
            if known[fp] > 0:
                known[fp] -= 1
                dropped += 1
                continue
        kept.append(chk)
    return kept, dropped
