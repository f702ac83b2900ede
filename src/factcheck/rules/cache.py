"""A run does not import pydantic or PyYAML: validated rules and the lexicon are cached as JSON.

The cache key is a hash of every rule file's name and bytes, the schema code and the factcheck
version, so an edited rule is validated again (with the pydantic schema) on its next run. Formulas
are parsed again from the cached text by the same ast whitelist: the cache never holds code.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from types import SimpleNamespace

from factcheck import __version__

HERE = Path(__file__).resolve().parent


def cache_dir() -> Path:
    root = os.environ.get("FACTCHECK_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "factcheck")
    return Path(root)


def _files(dirs) -> list[Path]:
    out = []
    for d in dirs:
        d = Path(d)
        if d.is_dir():
            out.extend(sorted(list(d.glob("*.yaml")) + list(d.glob("*.yml"))))
    return out


def key_of(dirs) -> str:
    h = hashlib.sha256(__version__.encode())
    for code in ("schema.py", "formula.py", "cache.py"):
        h.update((HERE / code).read_bytes())
    for d in dirs:
        h.update(str(Path(d).resolve()).encode())
    for f in _files(dirs):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:24]


class RuleSpec:
    """A validated rule, as read back from the cache: the same attributes the pydantic Rule has."""

    def __init__(self, data: dict):
        from factcheck.rules.formula import parse_formula
        from factcheck.rules.schema_names import KIND_NAMES

        self.id, self.name, self.kind = data["id"], data["name"], data["kind"]
        self.severity, self.window = data["severity"], data["window"]
        self.formula, self.message = data["formula"], data["message"]
        self.ok_message = data.get("ok_message", "{arithmetic}")
        self.plausible_ratio = data.get("plausible_ratio", 2.0)
        self.path = data["path"]
        self.params = data["params"]
        self.docs = SimpleNamespace(**data["docs"])
        ex = data["examples"]
        self.examples = SimpleNamespace(fail=ex["fail"], pass_=ex["pass"])
        self.p = SimpleNamespace(**data["params"])
        names = KIND_NAMES[self.kind]
        self._compiled = {"formula": parse_formula(self.formula, names)}
        for extra in ("partial_formula", "delta_formula"):
            if extra in data["params"]:
                self._compiled[extra] = parse_formula(data["params"][extra], names)

    @property
    def compiled(self):
        return self._compiled["formula"]

    def extra_formula(self, key: str):
        return self._compiled[key]


def dump_rule(rule) -> dict:
    data = rule.model_dump(by_alias=True)
    data["params"] = rule.p.model_dump()
    data["path"] = rule.path
    return data


def load(dirs) -> list[RuleSpec] | None:
    path = cache_dir() / f"rules-{key_of(dirs)}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [RuleSpec(d) for d in data["rules"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(dirs, rules) -> None:
    path = cache_dir() / f"rules-{key_of(dirs)}.json"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"rules": [dump_rule(r) for r in rules]}, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home: rules are validated on every run instead


def cached_yaml(path: Path):
    """A YAML data file (the lexicon) through a JSON cache keyed by its bytes."""
    raw = path.read_bytes()
    cpath = cache_dir() / f"yaml-{hashlib.sha256(raw).hexdigest()[:24]}.json"
    try:
        return json.loads(cpath.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    import yaml

    data = yaml.load(raw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    try:
        cpath.parent.mkdir(parents=True, exist_ok=True)
        tmp = cpath.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, cpath)
    except (OSError, TypeError, ValueError):
        pass
    return data
