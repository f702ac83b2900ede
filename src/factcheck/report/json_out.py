"""JSON renderer: the report, deterministic (sorted keys, no clock, no locale).

Each top-level list (files, claims, checks, errors) is written one item per line, compact (no spaces
after separators): readable in a diff, and encoded item by item, so a report of a whole archive is
written quickly and without holding its whole text. orjson encodes the items; the standard library's
encoder, set to give the same bytes, takes any item orjson refuses (an integer past 64 bits in a
file's front matter, say).
"""

from __future__ import annotations

import json

_std = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
_ascii = json.JSONEncoder(ensure_ascii=True, sort_keys=True, separators=(",", ":")).encode


def _std_bytes(x) -> bytes:
    try:
        return _std(x).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (a file name that is not UTF-8): escaped, still JSON
        return _ascii(x).encode("ascii")

try:  # orjson writes the same bytes as the encoder above, about four times faster
    import orjson

    _OPTIONS = orjson.OPT_SORT_KEYS

    def encode_item(x) -> bytes:
        """One item as UTF-8 JSON: sorted keys, compact, not ASCII-escaped."""
        try:
            return orjson.dumps(x, option=_OPTIONS)
        except (TypeError, orjson.JSONEncodeError):  # an integer past 64 bits, a lone surrogate …
            return _std_bytes(x)
except ImportError:  # pragma: no cover - orjson is a dependency; the standard encoder is the same
    def encode_item(x) -> bytes:
        return _std_bytes(x)


def _item(x) -> str:
    return _bytes(x).decode("utf-8")


def _bytes(x) -> bytes:
    """An item of the report; one that is bytes was encoded already (by encode_item, in the worker
    that checked its file) and is written as it is."""
    return x if isinstance(x, bytes) else encode_item(x)


_BATCH = 1024


def render_json(report) -> str:
    return render_json_bytes(report).decode("utf-8")


def render_json_bytes(report) -> bytes:
    return b"".join(render_json_chunks(report))


def render_json_chunks(report):
    """The report as UTF-8 chunks, one list item a line: a large report is never one string."""
    data = report.model_dump(mode="json")
    keys = sorted(data)
    yield b"{\n"
    for n, k in enumerate(keys):
        v = data[k]
        yield b"  " + _bytes(k) + b": "
        if isinstance(v, list) and v:
            yield b"[\n"
            for at in range(0, len(v), _BATCH):  # one join per batch of items, not one write per item
                batch = [_bytes(x) for x in v[at:at + _BATCH]]
                yield b"    " + b",\n    ".join(batch) + (b",\n" if at + _BATCH < len(v) else b"\n")
            yield b"  ]"
        else:
            yield _bytes(v)
        yield b",\n" if n < len(keys) - 1 else b"\n"
    yield b"}\n"
