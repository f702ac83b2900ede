"""JSON renderer: the report model, deterministic (sorted keys, no clock, no locale)."""

from __future__ import annotations

import json


def render_json(report) -> str:
    return "".join(render_json_chunks(report))


def render_json_chunks(report):
    """The JSON report piece by piece: a large report is written without holding all of its text."""
    data = report.model_dump(mode="json")
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2, sort_keys=True)
    buf: list[str] = []
    size = 0
    for chunk in encoder.iterencode(data):
        buf.append(chunk)
        size += len(chunk)
        if size >= 1 << 16:
            yield "".join(buf)
            buf, size = [], 0
    buf.append("\n")
    yield "".join(buf)
