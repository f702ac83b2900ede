"""Accepted discrepancies: inline <!-- factcheck: ignore FC101 --> comments, per-file ignores, baselines."""

from __future__ import annotations

import fnmatch
import json
import re

IGNORE = re.compile(r"<!--\s*factcheck:\s*ignore\s*([A-Za-z0-9_,\s-]*?)\s*-->")


def _ignored_ranges(path: str) -> list[tuple[int, int, set[str]]]:
    """(start, end, rule ids) of the paragraph after each inline ignore comment."""
    if not path.endswith((".md", ".markdown")):
        return []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return []
    out = []
    for m in IGNORE.finditer(text):
        ids = {x.strip().upper() for x in re.split(r"[,\s]+", m.group(1)) if x.strip()}
        start = m.end()
        while start < len(text) and text[start] in " \t\r\n":
            start += 1
        end = text.find("\n\n", start)
        out.append((m.start(), len(text) if end < 0 else end, ids))
    return out


def apply_inline(checks, files, per_file_ignores: dict) -> tuple[list, int]:
    ranges = {r.path: _ignored_ranges(r.path) for r in files if r.path.endswith((".md", ".markdown"))}
    kept, dropped = [], 0
    for chk in checks:
        if chk.status == "discrepancy" and _suppressed(chk, ranges, per_file_ignores):
            dropped += 1
            continue
        kept.append(chk)
    return kept, dropped


def _suppressed(chk, ranges, per_file_ignores) -> bool:
    for role, c in chk.claims:
        for pattern, ids in per_file_ignores.items():
            if fnmatch.fnmatch(c.path, pattern) and (chk.rule in ids or "ALL" in ids):
                return True
        for a, b, ids in ranges.get(c.path, ()):
            if a <= c.start < b and (not ids or chk.rule in ids or "ALL" in ids):
                return True
    return False


def write_baseline_file(report, path: str) -> None:
    from factcheck.atomic import write_atomic

    entries = sorted({(c.fingerprint, c.rule, c.claims[0].path if c.claims else "", c.message)
                      for c in report.checks if c.status == "discrepancy"})
    data = {"factcheck_baseline": 1,
            "findings": [{"fingerprint": f, "rule": r, "path": p, "message": m} for f, r, p, m in entries]}
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def apply_baseline(checks, path: str) -> tuple[list, int]:
    from factcheck.report.build import fingerprint

    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if not isinstance(data, dict) or "findings" not in data:
        raise ValueError("not a factcheck baseline file (no 'findings')")
    known = {e["fingerprint"] for e in data["findings"] if isinstance(e, dict) and "fingerprint" in e}
    kept, dropped = [], 0
    for chk in checks:
        if chk.status == "discrepancy" and fingerprint(chk) in known:
            dropped += 1
        else:
            kept.append(chk)
    return kept, dropped
