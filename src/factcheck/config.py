"""Configuration: [tool.factcheck] in pyproject.toml or a factcheck.toml, found upward from the checked path.

    [tool.factcheck]                 # in factcheck.toml: the same keys at the top level
    select = ["FC1", "FC801"]        # rule ids, id prefixes or rule names
    ignore = ["FC303"]
    fail-on = "warning"              # error | warning | info | never
    lang = "en"                      # zh (the default) | en: the language of the reports
    date = 2024-07-01                # reference date: the year of 今年, 去年, 截至6月底 (YYYY-MM-DD)
    rules = ["my-rules"]             # extra rule folders, relative to this file
    approx-tolerance = 0.05          # relative tolerance for 约/近/左右, from 0 to 1
    include = ["*.md"]               # globs of files read in folders
    exclude = ["drafts/*"]
    archive = "archive.sqlite"       # the claim archive: an SQLite file (relative to this file) or postgresql://…
    [tool.factcheck.per-file-ignores]
    "archive/*.md" = ["FC801"]       # globs relative to this file (or as the path is shown)

Keys may be spelt with - or _. A bad key or value is a ConfigError that names the file and the key.
"""

from __future__ import annotations

import os
import tomllib
from decimal import Decimal, InvalidOperation
from pathlib import Path

FAIL_ON = ("error", "warning", "info", "never")
LANGS = ("zh", "en")
KEYS = ("select", "ignore", "fail_on", "rules", "approx_tolerance", "per_file_ignores", "include", "exclude",
        "archive", "lang", "date")


class ConfigError(Exception):
    pass


def _read_toml(path: Path) -> dict:
    """A TOML file under the input policy (a regular file of at most safeio.CONFIG_LIMIT bytes, UTF-8),
    parsed; ConfigError names the file and the problem."""
    from factcheck.display import shown
    from factcheck.safeio import CONFIG_LIMIT, ReadError, read_text

    try:
        text = read_text(path, CONFIG_LIMIT)
    except ReadError as e:
        raise ConfigError(f"{shown(str(path))}: cannot read: {e.reason}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{shown(str(path))}: invalid TOML: {e}") from None
    except (RecursionError, MemoryError):  # arrays or inline tables nested thousands deep
        raise ConfigError(f"{shown(str(path))}: invalid TOML: nested too deeply") from None


def _has_section(p: Path) -> bool:
    try:
        tool = _read_toml(p).get("tool", {})
    except ConfigError:
        return False
    return isinstance(tool, dict) and "factcheck" in tool


def find_config(start: Path) -> Path | None:
    """The nearest factcheck.toml, or pyproject.toml with a [tool.factcheck] table, from start upward."""
    d = start if start.is_dir() else start.parent
    d = d.resolve()
    for folder in [d, *d.parents]:
        p = folder / "factcheck.toml"
        if p.is_file():
            return p
        p = folder / "pyproject.toml"
        if p.is_file() and _has_section(p):
            return p
    return None


_find = find_config  # the earlier name


def load_config(explicit: str | None, paths) -> dict:
    """The configuration as a dict of the keys above (with _ spelling); empty when there is no file.

    "_file" holds the path of the file read and "_dir" its folder (per-file ignores are relative to it).
    """
    path = Path(explicit) if explicit else None
    if path is None:
        first = next((p for p in paths if p != "-"), None)
        path = find_config(Path(first) if first and os.path.exists(first) else Path.cwd())
    if path is None:
        return {}
    data = _read_toml(path)
    is_pyproject = path.name == "pyproject.toml"
    prefix = "tool.factcheck." if is_pyproject else ""
    tool = data.get("tool", {}) if is_pyproject else {}
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: tool: must be a table, got {type(tool).__name__} {tool!r:.40}")
    section = tool.get("factcheck", {}) if is_pyproject else data
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: {prefix.rstrip('.') or 'factcheck'}: must be a table")
    cfg = parse_section(section, path, prefix)
    cfg["_file"] = _display(path)
    cfg["_dir"] = str(path.resolve().parent)
    cfg["_prefix"] = prefix
    return cfg


def _display(path: Path) -> str:
    """The path relative to the working folder when it is inside it, else absolute."""
    a = path.resolve()
    try:
        return str(a.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(a)


def parse_section(section: dict, path: Path, prefix: str = "") -> dict:
    cfg: dict = {}
    spelt: dict[str, str] = {}
    for key, value in section.items():
        k = key.replace("-", "_")
        where = f"{path}: {prefix}{key}"
        if k not in KEYS:
            known = ", ".join(x.replace("_", "-") for x in sorted(KEYS))
            raise ConfigError(f"{where}: unknown key (known: {known})")
        if k in spelt:
            raise ConfigError(f"{where}: given twice (also as {prefix}{spelt[k]})")
        spelt[k] = key
        cfg[k] = _value(k, value, where, path)
    return cfg


def _str_list(value, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
        raise ConfigError(f"{where}: must be a list of non-empty strings, got {value!r}")
    return [x.strip() for x in value]


def _value(k: str, value, where: str, path: Path):
    if k in ("select", "ignore", "include", "exclude"):
        return _str_list(value, where)
    if k == "archive":
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}: must be an SQLite file path or a postgresql:// URL, got a {type(value).__name__}")
        return value.strip()
    if k == "fail_on":
        if value not in FAIL_ON:
            raise ConfigError(f"{where}: must be one of {', '.join(FAIL_ON)}, got {value!r}")
        return value
    if k == "lang":
        if value not in LANGS:
            raise ConfigError(f"{where}: must be one of {', '.join(LANGS)}, got {value!r}")
        return value
    if k == "date":
        day = parse_date(value)
        if day is None:
            raise ConfigError(f"{where}: must be a date, YYYY-MM-DD (a TOML date or a string), got {value!r}")
        return day
    if k == "approx_tolerance":
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ConfigError(f"{where}: must be a number from 0 to 1, got {value!r}")
        try:
            d = Decimal(str(value))
        except InvalidOperation:
            d = None
        if d is None or not d.is_finite() or not (0 <= d < 1):
            raise ConfigError(f"{where}: must be a number from 0 to 1, got {value!r}")
        return str(d)
    if k == "rules":
        out = []
        for r in _str_list(value, where):
            folder = (path.parent / r).resolve()
            if not folder.is_dir():
                raise ConfigError(f"{where}: {r!r} is not a folder (looked for {folder})")
            out.append(str(folder))
        return out
    if k == "per_file_ignores":
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: must be a table of glob = [rule ids], got {value!r}")
        table: dict[str, list[str]] = {}
        for pattern, ids in value.items():
            got = _str_list(ids, f"{where}.{pattern}")
            if not got:  # [] would read as "every rule" to some and "no rule" to others
                raise ConfigError(f"{where}.{pattern}: an empty list; name the rules to ignore there "
                                  '(or ["ALL"] for every rule)')
            table[pattern] = got
        return table
    raise AssertionError(k)  # pragma: no cover


def parse_date(value) -> str | None:
    """A reference date as YYYY-MM-DD (from a TOML date, a datetime or a string), or None when it is not one."""
    import datetime

    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value.strip()).isoformat() if len(value.strip()) == 10 else None
    except ValueError:
        return None


def rule_matches(rule, pattern: str) -> bool:
    """A rule selector: an id (FC101, fc101), an id prefix (FC1), a rule name (breakdown-sum) or ALL."""
    p = pattern.strip()
    if not p:
        return False
    return p.upper() == "ALL" or rule.name == p or rule.id.startswith(p.upper())


def normalize_selectors(patterns, rules) -> tuple[list[str], list[str]]:
    """(selectors spelt as the rule loader matches them, selectors that match no rule). ALL selects
    every rule, as in per-file ignores and inline comments."""
    out, unknown = [], []
    for p in patterns:
        p = p.strip()
        if p.upper() == "ALL":
            out.append("ALL")
        elif any(r.name == p for r in rules):
            out.append(p)
        elif any(rule_matches(r, p) for r in rules):
            out.append(p.upper())
        else:
            unknown.append(p)
    return out, unknown
