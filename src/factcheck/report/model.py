"""The report contract (JSON): a pydantic model with a schema version.

`factcheck schema` prints its JSON Schema (draft 2020-12, with an `$id` and a description of every
field); a copy is kept in report/schema.json and checked by the tests.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from factcheck import PROJECT_URL

SCHEMA_VERSION = "2.0"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = f"{PROJECT_URL}/blob/main/src/factcheck/report/schema.json"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClaimOut(Model):
    """A numeric claim read from an article: where it is, its raw text and what factcheck read in it."""

    path: str = Field(description="The file, as factcheck names it in every output (relative to the working "
                                  "folder when given so; <stdin> for standard input).")
    start: int = Field(description="Offset of the claim's first character in the file's text (0-based, in "
                                   "characters of the text as decoded, end exclusive with `end`).")
    end: int = Field(description="Offset just past the claim's last character.")
    line: int = Field(description="Line of the claim's first character (1-based).")
    column: int = Field(description="Column of the claim's first character (1-based, in characters).")
    text: str = Field(description="The claim as written in the file (it may span a line break).")
    value: str = Field(description="The figure's value as a decimal, in `unit` (六百亿元: 600 in 亿元).")
    unit: str = Field(description="The unit the figure is written in: 亿元, 个, %, 个百分点 …")
    value_high: str | None = Field(None, description="The upper end of a range (3-5个), else null.")
    qualifier: str | None = Field(None, description="approx (约, 左右), lower (超过, 以上), lower_bounded (余, 多), "
                                                    "upper (不超过, 以内), range, or null.")
    modality: str = Field(description="actual (a figure reached) or target (a goal: 力争, 计划).")
    time: str | None = Field(None, description="The time expression the figure belongs to (2023年, 今年上半年, "
                                               "截至6月底), or null.")
    subject: str = Field(description="The noun phrase the figure is about (重大产业项目, 地区生产总值); "
                                     "empty when the text names none.")
    threshold: str | None = Field(None, description="A threshold that qualifies the figure (1000万元以上 of "
                                                    "1000万元以上重点项目360个), or null.")


class CheckClaim(ClaimOut):
    """A claim as one of the figures of a check."""

    role: str = Field(description="The figure's name in the rule's formula: total, parts[0], part, whole, pct, "
                                  "first, second …")


class Difference(Model):
    """The plain difference between the stated figure and the recomputed one, as a reader subtracts them."""

    value: str = Field(description="The difference as a decimal (never negative), to the decimals of the figures "
                                   "it is computed from.")
    unit: str = Field(description="Its unit: the stated figure's (亿元, 个), or 个百分点 for shares and rates.")
    text: str = Field(description="Value and unit, as the message gives it: 9亿元, 5.8个百分点.")


class CheckOut(Model):
    """One check of a rule: passed (ok), failed (discrepancy) or could not be made (unverifiable)."""

    rule: str = Field(description="The rule's id (FC101).")
    name: str = Field(description="The rule's name (breakdown-sum).")
    kind: str = Field(description="The rule's kind: breakdown, share, rate, growth, pp_diff, average, repeat, "
                                  "conflict.")
    severity: Literal["error", "warning", "info"] = Field(description="How serious a discrepancy is; a "
                                                                      "cross-article one may be lowered.")
    status: Literal["ok", "discrepancy", "unverifiable"] = Field(description="The outcome.")
    message: str = Field(description="The finding as an editor's note, in the run's language "
                                     "(configuration.lang).")
    stated: str | None = Field(None, description="The figure the text states, with its unit (69个).")
    recomputed: str | None = Field(None, description="What the other figures give for it, with its unit (70个, "
                                                     "10.23%).")
    difference: Difference | None = Field(None, description="The plain difference of a discrepancy, in the "
                                                            "stated figure's unit; null otherwise.")
    tolerance: str | None = Field(None, description="The values the stated figure admits (its rounding and "
                                                    "qualifier) against those the recomputation admits, both in "
                                                    "the stated figure's unit: [68.5, 69.5]个 vs [70, 70]个.")
    miss: str | None = Field(None, description="How far the two are apart beyond all rounding, in the stated "
                                               "figure's unit (percentage points for percentages).")
    note: str = Field("", description="How the figures were bound (the whole of a share, the subject key and "
                                      "time scope of a repeated figure).")
    details: dict = Field({}, description="Data of the check: the formula, the subject key and time scope of "
                                          "a cross-article comparison …")
    fingerprint: str = Field(description="Stable across edits elsewhere in the article: the rule and the files, "
                                         "raw texts and subjects of the figures.")
    claims: list[CheckClaim] = Field(description="The figures of the check, in the order of the formula's names.")


class Suppression(Model):
    """Why a finding is not reported."""

    kind: Literal["inline", "per-file-ignores", "baseline"] = Field(
        description="inline: a <!-- factcheck: ignore … --> comment; per-file-ignores: the configuration; "
                    "baseline: a --baseline file.")
    reason: str = Field(description="The comment and its place, the glob and its file, or the baseline file.")


class SuppressedOut(CheckOut):
    """A discrepancy that was found and is not reported, with the reason."""

    suppression: Suppression = Field(description="What suppressed it.")


class FileOut(Model):
    """One checked file."""

    path: str = Field(description="The file, as named in the rest of the report.")
    chars: int = Field(description="Characters of its text.")
    claims: int = Field(description="Claims read in it.")
    checks: int = Field(description="Checks with a figure in it (a cross-article check counts for each of its "
                                    "files).")
    encoding: str | None = Field(None, description="Reserved; null.")
    meta: dict = Field({}, description="Its front matter: title, date, source.")
    error: str | None = Field(None, description="Why it could not be read or checked, else null.")


class ErrorOut(Model):
    """An input that could not be read (the run exits 2)."""

    path: str = Field(description="The file or folder.")
    reason: str = Field(description="Why.")


class Summary(Model):
    """The run in numbers."""

    files: int = Field(description="Files checked.")
    claims: int = Field(description="Claims read.")
    checks: int = Field(description="Checks made (ok, discrepancy or unverifiable), suppressed ones excepted.")
    ok: int = Field(description="Checks that passed.")
    discrepancies: dict[str, int] = Field(description="Discrepancies by severity: error, warning, info.")
    unverifiable: int = Field(description="Checks that could not be made.")
    errors: int = Field(description="Inputs that could not be read.")
    suppressed: int = Field(0, description="Discrepancies suppressed (listed in `suppressed`).")


class Tool(Model):
    """The program that wrote the report."""

    name: str = Field("factcheck", description="factcheck.")
    version: str = Field(description="Its version.")


class Report(Model):
    """factcheck's report of one run (`factcheck check --format json`): every file, claim and check, sorted
    and byte-identical for the same input."""

    model_config = ConfigDict(extra="forbid",
                              json_schema_extra={"$schema": SCHEMA_DIALECT, "$id": SCHEMA_ID})

    schema_version: str = Field(description=f"The version of this format ({SCHEMA_VERSION}); a reader checks "
                                            "its major version.")
    tool: Tool = Field(description="The program that wrote the report.")
    configuration: dict = Field(description="The run's settings: rules, fail_on, lang, date, select, ignore, "
                                            "include, exclude, baseline …")
    files: list[FileOut] = Field(description="The files checked, sorted by path.")
    claims: list[ClaimOut] = Field(description="Every claim read, by file and position.")
    checks: list[CheckOut] = Field(description="Every check made (ok, discrepancy, unverifiable), in text order.")
    suppressed: list[SuppressedOut] = Field([], description="The discrepancies suppressed by inline comments, "
                                                            "per-file ignores or a baseline, with the reason.")
    errors: list[ErrorOut] = Field(description="Inputs that could not be read.")
    summary: Summary = Field(description="The run in numbers.")
