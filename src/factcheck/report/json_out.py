"""JSON renderer: the report model, deterministic (sorted keys, no clock, no locale)."""

from __future__ import annotations

import json


def render_json(report) -> str:
    data = report.model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
