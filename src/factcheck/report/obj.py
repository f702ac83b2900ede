"""The report's plain-data mapping (kept out of the compiled modules: it subclasses dict)."""

from __future__ import annotations


class Obj(dict):
    """A JSON-ready mapping whose keys read as attributes (report.summary.files)."""

    __slots__ = ()

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def model_dump(self, mode: str = "json") -> dict:
        return self
