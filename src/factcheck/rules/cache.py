"""A run does not import pydantic or PyYAML: validated rules and the lexicon are cached as JSON.

The cache key is a hash of every rule file's name and bytes, the schema code and the factcheck
version, so an edited rule is validated again (with the pydantic schema) on its next run. Formulas
are parsed again from the cached text by the same ast whitelist: the cache never holds code. A cache
file carries a digest of its content: a cache that is damaged (cut short, edited, nested without end,
over its size limit) is not trusted, the rules are validated again and the cache rewritten.
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


def rule_files(dirs) -> list[Path]:
    """The rule files (*.yaml, *.yml) of the folders, sorted in each: every entry of that name,
    whatever it is (reading one that is not a regular file is an error that names it)."""
    out = []
    for d in dirs:
        d = Path(d)
        if d.is_dir():
            out.extend(sorted(list(d.glob("*.yaml")) + list(d.glob("*.yml"))))
    return out


_files = rule_files  # the earlier name


def read_rule_file(path: Path) -> bytes:
    """A rule file's bytes under the input policy (safeio): RuleError when it cannot be read."""
    from factcheck.rules.errors import RuleError
    from factcheck.safeio import LEXICON_LIMIT, RULE_FILE_LIMIT, ReadError, read_regular

    try:
        return read_regular(path, LEXICON_LIMIT if path.name == "lexicon.yaml" else RULE_FILE_LIMIT)
    except ReadError as e:
        raise RuleError(str(path), "", e.reason) from None


def key_of(dirs) -> str:
    h = hashlib.sha256(__version__.encode())
    for code in ("schema.py", "formula.py", "cache.py", "patterns.py"):
        h.update((HERE / code).read_bytes())
    for d in dirs:
        h.update(str(Path(d).resolve()).encode())
    for f in rule_files(dirs):
        h.update(f.name.encode())
        h.update(read_rule_file(f))
    return h.hexdigest()[:24]


def _digest(payload: str) -> str:
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _read_cache(path: Path):
    """The content of a cache file whose digest matches, else None."""
    from factcheck.safeio import CACHE_LIMIT, read_text

    try:
        text = read_text(path, CACHE_LIMIT)
        head, _, payload = text.partition("\n")
        if head != _digest(payload):
            return None
        return json.loads(payload)
    except Exception:  # unreadable, not UTF-8, not JSON, nested too deep: rebuilt
        return None


def _write_cache(path: Path, data) -> None:
    payload = json.dumps(data, ensure_ascii=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(_digest(payload) + "\n" + payload, encoding="utf-8")
    os.replace(tmp, path)


class RuleSpec:
    """A validated rule, as read back from the cache: the same attributes the pydantic Rule has."""

    def __init__(self, data: dict):
        from factcheck.rules.formula import parse_formula
        from factcheck.rules.schema_names import KIND_NAMES

        self.id, self.name, self.kind = data["id"], data["name"], data["kind"]
        self.severity, self.window = data["severity"], data["window"]
        self.formula, self.message = data["formula"], data.get("message", "")
        self.ok_message = data.get("ok_message", "")
        self.plausible_ratio = data.get("plausible_ratio", 2.0)
        self.path = data["path"]
        self.params = data["params"]
        self.docs = SimpleNamespace(**data["docs"])  # docs.zh stays a dict (i18n.rule_docs reads either)
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
    """The cached rules of these folders, or None (no cache, or one that is not to be trusted).
    Raises RuleError for a rule file that cannot be read."""
    path = cache_dir() / f"rules-{key_of(dirs)}.json"
    data = _read_cache(path)
    if data is None:
        return None
    try:
        return [RuleSpec(d) for d in data["rules"]]
    except Exception:  # a cache of another shape: validated again
        return None


def store(dirs, rules) -> None:
    path = cache_dir() / f"rules-{key_of(dirs)}.json"
    try:
        _write_cache(path, {"rules": [dump_rule(r) for r in rules]})
    except OSError:
        pass  # a read-only home: rules are validated on every run instead


def cached_yaml(path: Path):
    """A YAML data file (the lexicon) through a JSON cache keyed by its bytes."""
    raw = read_rule_file(path)
    cpath = cache_dir() / f"yaml-{hashlib.sha256(raw).hexdigest()[:24]}.json"
    got = _read_cache(cpath)
    if got is not None:
        return got
    import yaml

    data = yaml.load(raw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    try:
        _write_cache(cpath, data)
    except (OSError, TypeError, ValueError):
        pass
    return data
