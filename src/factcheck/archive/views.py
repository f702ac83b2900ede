"""Tables of `factcheck archive stats|search|show` (strings; the command line prints them)."""

from __future__ import annotations

import json


def as_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def table(head: list[str], rows: list[list[str]]) -> str:
    """Columns aligned by terminal width (a Chinese character takes two columns); a control or
    bidirectional character of an archived name or text is shown escaped (display.shown)."""
    from factcheck.display import shown
    from factcheck.report.terminal import width

    rows = [[shown(cell) for cell in row] for row in rows]
    widths = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(head)]
    out = []
    for row in [head] + rows:
        out.append("  ".join(cell + " " * (w - width(cell)) for cell, w in zip(row, widths)).rstrip())
    return "\n".join(out) + "\n"


def _size(n: int | None) -> str:
    if n is None:
        return "?"
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def stats_text(d: dict) -> str:
    lines = [
        f"archive         {d['archive']} ({d['backend']}, schema {d['schema_version']}, {_size(d['bytes'])})",
        f"articles        {d['articles']:,} ({d['chars']:,} characters)",
        f"claims          {d['claims']:,}",
        f"facts           {d['facts']:,} in {d['fact_groups']:,} groups (a group: one fact, stated in one or more places)",
        f"indexed         {d['first_indexed'] or '-'} … {d['last_indexed'] or '-'}",
    ]
    if d.get("stale_articles"):
        lines.append(f"stale           {d['stale_articles']:,} articles indexed by another factcheck or other word lists "
                     "(`factcheck index` reads them again)")
    if d["places"]:
        lines.append("places          " + ", ".join(f"{p['place'] or '(none)'} {p['articles']:,}" for p in d["places"]))
    if d["periods"]:
        lines.append("periods (facts) " + ", ".join(f"{p['period'] or 'unknown'} {p['facts']:,}" for p in d["periods"]))
    return "\n".join(lines) + "\n"


def _figure(r: dict) -> str:
    v = r["text"].replace("\n", "")
    return v + (f" ({r['qualifier']})" if r.get("qualifier") else "") + (" target" if r.get("modality") == "target" else "")


def search_text(rows: list[dict], truncated: bool, limit: int) -> str:
    if not rows:
        return "no archived figure matches\n"
    head = ["fact", "period", "figure", "where", "date", "title"]
    body = [[r["subject_key"] or r["metric"] or r["subject"], r["period"] or "?", _figure(r),
             f"{r['path']}:{r['line']}:{r['column']}", r["date"] or "", _short(r["title"])] for r in rows]
    note = f"\n(the first {limit} matches; --limit N shows more)\n" if truncated else ""
    return table(head, body) + note


def show_text(d: dict) -> str:
    from factcheck.display import shown

    head = [f"{d['path']}", f"  title    {d['title']}", f"  date     {d['date'] or '-'}   source {d['source'] or '-'}",
            f"  place    {d['place'] or '-'}   year {d['year'] or '-'}   {d['chars']:,} characters",
            f"  claims   {d['n_claims']} ({d['n_facts']} facts)   indexed {d['indexed_at']}   "
            f"content {d['content_hash'][:16]}", ""]
    head = [shown(line) for line in head]
    rows = [[f"{c['line']}:{c['column']}", _figure(c), c["unit"], c["period"] or "?",
             (c["subject_key"] or "") if c["fact"] else "", c["subject"]] for c in d["claims"]]
    return "\n".join(head) + "\n" + table(["where", "figure", "unit", "period", "fact", "subject"], rows)


def _short(s: str, n: int = 30) -> str:
    s = s or ""
    return s if len(s) <= n else s[: n - 1] + "…"
