"""JSON renderer: the report, deterministic (sorted keys, no clock, no locale).

Each top-level list (files, claims, checks, errors) is written one item per line: readable in a diff,
and encoded by the C encoder item by item, so a report of a whole archive is written quickly and
without holding its whole text.
"""

from __future__ import annotations

import json

_item = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(", ", ": ")).encode


def render_json(report) -> str:
    return "".join(render_json_chunks(report))


def render_json_chunks(report):
    data = report.model_dump(mode="json")
    keys = sorted(data)
    yield "{\n"
    for n, k in enumerate(keys):
        v = data[k]
        yield f"  {_item(k)}: "
        if isinstance(v, list) and v:
            buf = ["[\n"]
            for i, x in enumerate(v):
                buf.append("    " + _item(x) + (",\n" if i < len(v) - 1 else "\n"))
                if len(buf) >= 512:
                    yield "".join(buf)
                    buf = []
            buf.append("  ]")
            yield "".join(buf)
        else:
            yield _item(v)
        yield ",\n" if n < len(keys) - 1 else "\n"
    yield "}\n"
