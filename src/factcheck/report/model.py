"""The report contract (JSON): a pydantic model with a schema version."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

SCHEMA_VERSION = "1.0"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClaimOut(Model):
    path: str
    start: int
    end: int
    line: int
    column: int
    text: str
    value: str
    unit: str
    value_high: str | None = None
    qualifier: str | None = None
    modality: str
    time: str | None = None
    subject: str
    threshold: str | None = None


class CheckClaim(ClaimOut):
    role: str


class CheckOut(Model):
    rule: str
    name: str
    kind: str
    severity: Literal["error", "warning", "info"]
    status: Literal["ok", "discrepancy", "unverifiable"]
    message: str
    stated: str | None = None
    recomputed: str | None = None
    tolerance: str | None = None
    miss: str | None = None
    note: str = ""
    details: dict = {}
    fingerprint: str
    claims: list[CheckClaim]


class FileOut(Model):
    path: str
    chars: int
    claims: int
    checks: int
    encoding: str | None = None
    meta: dict = {}
    error: str | None = None


class ErrorOut(Model):
    path: str
    reason: str


class Summary(Model):
    files: int
    claims: int
    checks: int
    ok: int
    discrepancies: dict[str, int]
    unverifiable: int
    errors: int
    suppressed: int = 0


class Tool(Model):
    name: str = "factcheck"
    version: str


class Report(Model):
    schema_version: str = SCHEMA_VERSION
    tool: Tool
    configuration: dict
    files: list[FileOut]
    claims: list[ClaimOut]
    checks: list[CheckOut]
    errors: list[ErrorOut]
    summary: Summary
