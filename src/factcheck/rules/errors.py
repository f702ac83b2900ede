"""Errors of rule files (kept apart from the schema so that a run need not import pydantic)."""

from __future__ import annotations


class RuleError(Exception):
    """A bad rule file: names the file, the line when known, the key and the reason."""

    def __init__(self, path: str, key: str, reason: str, line: int | None = None):
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {key}: {reason}" if key else f"{where}: {reason}")
        self.path, self.key, self.reason, self.line = path, key, reason, line
