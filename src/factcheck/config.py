"""Configuration: [tool.factcheck] in pyproject.toml or factcheck.toml, found upward from the checked path."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

KEYS = {"select": list, "ignore": list, "fail_on": str, "rules": list, "approx_tolerance": (str, float, int),
        "per_file_ignores": dict, "include": list, "exclude": list}
FAIL_ON = ("error", "warning", "never")


class ConfigError(Exception):
    pass


def _find(start: Path) -> Path | None:
    d = start if start.is_dir() else start.parent
    d = d.resolve()
    for folder in [d, *d.parents]:
        for name in ("factcheck.toml", "pyproject.toml"):
            p = folder / name
            if p.is_file():
                if name == "pyproject.toml":
                    try:
                        with open(p, "rb") as f:
                            if "factcheck" not in tomllib.load(f).get("tool", {}):
                                continue
                    except (OSError, tomllib.TOMLDecodeError):
                        continue
                return p
    return None


def load_config(explicit: str | None, paths) -> dict:
    path = Path(explicit) if explicit else None
    if path is None:
        first = next((p for p in paths if p != "-"), None)
        path = _find(Path(first) if first and os.path.exists(first) else Path.cwd())
    if path is None:
        return {}
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except OSError as e:
        raise ConfigError(f"{path}: cannot read: {e.strerror or e}") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML: {e}") from None
    section = data.get("tool", {}).get("factcheck", {}) if path.name == "pyproject.toml" else data
    prefix = "tool.factcheck." if path.name == "pyproject.toml" else ""
    cfg = {}
    for key, value in section.items():
        k = key.replace("-", "_")
        if k not in KEYS:
            raise ConfigError(f"{path}: {prefix}{key}: unknown key (known: {', '.join(sorted(KEYS))})")
        if not isinstance(value, KEYS[k]):
            raise ConfigError(f"{path}: {prefix}{key}: wrong type ({type(value).__name__})")
        cfg[k] = value
    if "fail_on" in cfg and cfg["fail_on"] not in FAIL_ON:
        raise ConfigError(f"{path}: {prefix}fail-on: must be one of {', '.join(FAIL_ON)}, got {cfg['fail_on']!r}")
    if "rules" in cfg:
        cfg["rules"] = [str((path.parent / r).resolve()) for r in cfg["rules"]]
    if "per_file_ignores" in cfg:
        cfg["per_file_ignores"] = {k: [x.upper() for x in v] for k, v in cfg["per_file_ignores"].items()}
    return cfg
