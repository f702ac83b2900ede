"""Units: one pint registry built from units_zh.txt alone, reduced to a cached conversion table.

pint costs a quarter of a second to import, so a run does not import it: the table of every unit
string the extractor recognises (its dimension, its base unit and its exact factor) is derived from
the registry once and stored in data/units_table.json together with a hash of the definitions.
When the definitions change, the table is rebuilt from pint on first use (and `python -m
factcheck.units` rewrites the shipped copy).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFINITIONS = HERE / "units_zh.txt"
TABLE = HERE / "data" / "units_table.json"
PREFIXES = ("万亿", "千万", "百万", "十万", "万", "亿")
# base units that take magnitude prefixes in text (万元, 亿元, 万户, 万亩, 万人次 …)
PREFIXABLE_DIMS = {"[money]", "[count]", "[person]", "[visit]", "[area]", "[mass]", "[energy]", "[length]",
                   "[occurrence]", "[usd]"}


@dataclass(frozen=True, slots=True)
class UnitInfo:
    unit: str  # as written, e.g. 亿元
    dim: str  # pint dimensionality, e.g. [money]; '' for ratios
    base: str  # base unit, e.g. 元
    factor: Decimal  # unit = factor * base


def _definitions_hash() -> str:
    return hashlib.sha256(DEFINITIONS.read_bytes()).hexdigest()[:16]


def _defined_names() -> list[str]:
    names = []
    for line in DEFINITIONS.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or "=" not in line:
            continue
        parts = [p.strip() for p in line.split("=")]
        if parts[0].endswith("-"):
            continue
        names.append(parts[0])
        names.extend(p for p in parts[2:] if p and not p.startswith("["))
    return names


def build_table() -> dict:
    """Derive the conversion table from the pint registry (slow: imports pint)."""
    import pint

    ureg: Any = pint.UnitRegistry(None, non_int_type=Decimal, autoconvert_offset_to_baseunit=False)
    ureg.load_definitions(str(DEFINITIONS))
    units = {}
    for name in _defined_names():
        forms = [name]
        q = ureg.Quantity(Decimal(1), name).to_base_units()
        dim = "".join(sorted(str(k) for k in q.dimensionality)) if q.dimensionality else ""
        if dim in PREFIXABLE_DIMS:
            forms += [p + name for p in PREFIXES]
        for form in forms:
            b = ureg.Quantity(Decimal(1), form).to_base_units()
            base = format(b.units, "~") if dim else ""
            units[form] = {"dim": dim, "base": base or "1", "factor": str(Decimal(b.magnitude).normalize())}
    return {"definitions_sha256": _definitions_hash(), "pint_units": len(units), "units": units}


def _cache_path() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root) / "factcheck" / f"units_table-{_definitions_hash()}.json"


@lru_cache(maxsize=1)
def table() -> dict[str, UnitInfo]:
    want = _definitions_hash()
    data = None
    for path in (TABLE, _cache_path()):
        try:
            cand = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if cand.get("definitions_sha256") == want:
            data = cand
            break
    if data is None:
        data = build_table()
        try:
            path = _cache_path()
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass
    return {u: UnitInfo(u, v["dim"], v["base"], Decimal(v["factor"])) for u, v in data["units"].items()}


def unit_info(unit: str) -> UnitInfo | None:
    return table().get(unit)


def write_shipped_table() -> None:
    data = build_table()
    TABLE.parent.mkdir(parents=True, exist_ok=True)
    TABLE.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_shipped_table()
    print(f"wrote {TABLE}")
