"""Rules for the tests that need one of their own: hostile rule files, the property tests of the engine's
arithmetic, extra rule folders.

Each is made, inside the test that uses it, from a fixture rule in tests/data/rules (one per kind, with
only what that kind must have), never from the built-in rules/*.yaml: editing or renaming anything in a
built-in rule file changes no test rule, and a test that needs a parameter sets it itself, so renaming
a parameter fails the tests that set it and no others.
"""

from __future__ import annotations

from pathlib import Path

import yaml

FIXTURES = Path(__file__).resolve().parent / "data" / "rules"
KINDS = {"breakdown": "breakdown.yaml", "share": "share.yaml", "conflict": "conflict.yaml"}


def rule_data(fixture: str = "breakdown", params: dict | None = None, **changes) -> dict:
    """The fixture rule of a kind (KINDS) as a mapping: params merged into its params, other top-level keys
    replaced (a key given None is removed)."""
    data = yaml.safe_load((FIXTURES / KINDS[fixture]).read_text(encoding="utf-8"))
    if params:
        data["params"] = {**data.get("params", {}), **params}
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def rule_text(data: dict) -> str:
    """A rule file's text: the keys in the fixture's order, one line each (long patterns are not folded)."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**9)


def with_block(text: str, key: str, raw: str | None) -> str:
    """text with a top-level key's block (its line and the indented lines under it) replaced by raw, which
    is written as it is (for text that is not YAML, or YAML a dump cannot make); None removes the block."""
    out: list[str] = []
    skipping = False
    for ln in text.splitlines():
        top = bool(ln) and not ln[0].isspace() and not ln.startswith("- ")
        if top:
            skipping = ln.split(":", 1)[0] == key
            if skipping and raw is not None:
                out.append(raw)
        if not skipping:
            out.append(ln)
    return "\n".join(out) + "\n"


def write_rule(folder: Path, data: dict | str, name: str | None = None) -> Path:
    """A rule file in folder (made if needed), from a mapping or a text; named after its id by default."""
    folder.mkdir(parents=True, exist_ok=True)
    text = data if isinstance(data, str) else rule_text(data)
    if name is None:
        name = f"{yaml.safe_load(text)['id']}.yaml"
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def load(folder: Path, data: dict):
    """The rule a mapping makes, validated and compiled as a run loads it."""
    from factcheck.rules.schema import load_rule_file

    return load_rule_file(write_rule(folder, data))


def line_of(text: str, prefix: str) -> int:
    """The 1-based number of the first line of text that starts with prefix."""
    return next(i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith(prefix))
