"""Turn a run's results into the report (deterministic ordering, every check kept).

The report is plain data with the field names of the pydantic model in report/model.py, which is
its schema (`factcheck schema`) and validates it in the tests; building it does not import pydantic,
which would cost a run a tenth of a second of start-up.
"""

from __future__ import annotations

import hashlib
from typing import Final

from factcheck import __version__
from factcheck.extract import Claim
from factcheck.report.obj import Obj
from factcheck.rules.engine import Check

SCHEMA_VERSION: Final = "2.0"


def _construct(**fields) -> Obj:
    return Obj(fields)


def claim_dict(c: Claim) -> dict:
    return {"path": c.path, "start": c.start, "end": c.end, "line": c.line, "column": c.column, "text": c.text,
            "value": format(c.value, "f"), "unit": c.unit,
            "value_high": format(c.value_high, "f") if c.value_high is not None else None,
            "qualifier": c.qualifier, "modality": c.modality, "time": c.time, "subject": c.subject,
            "threshold": c.threshold}


def fingerprint(chk: Check) -> str:
    """Stable across edits elsewhere in the article: rule, files and the figures' raw texts and subjects."""
    parts = [chk.rule] + [f"{role}|{c.path}|{c.text.replace(chr(10), '')}|{c.subject}" for role, c in chk.claims]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def check_dict(chk: Check, made: dict | None = None) -> Obj:
    """One check of the report; made: the dicts of claims made already, by id."""
    d = _check_fields(chk, made)
    d["claims"] = [Obj(x) for x in d["claims"]]
    return Obj(d)


def _check_fields(chk: Check, made: dict | None) -> dict:
    """A check's report item as plain dicts (what the JSON report encodes)."""
    cc = []
    for role, c in chk.claims:
        x = dict((made.get(id(c)) if made else None) or claim_dict(c))
        x["role"] = role
        cc.append(x)
    # the plain difference is a field of its own (the kinds keep it in the check's details)
    details = {k: v for k, v in sorted(chk.details.items()) if k != "difference"}
    return {"rule": chk.rule, "name": chk.name, "kind": chk.kind, "severity": chk.severity, "status": chk.status,
            "message": chk.message, "stated": chk.stated, "recomputed": chk.recomputed,
            "difference": chk.details.get("difference"), "tolerance": chk.tolerance,
            "miss": chk.miss, "note": chk.note, "details": details,
            "fingerprint": fingerprint(chk), "claims": cc}


def encode_file(res) -> None:
    """A checked file's items of the JSON report, encoded where the file was checked (in its worker,
    in parallel): its claims in text order, and its checks (in the order of res.checks). The report
    then writes them as they are: the same bytes as items encoded from build_report's dicts."""
    from factcheck.report.json_out import encode_item

    made: dict = {}
    out = []
    for c in sorted(res.claims, key=lambda c: c.start):
        d = made[id(c)] = claim_dict(c)
        out.append(_kept(encode_item(d)))
    res.claims_json = out
    res.checks_json = [_kept(encode_item(_check_fields(chk, made))) for chk in res.checks]


def _kept(b: bytes) -> bytes:
    """A copy of the exact size to keep: orjson's own result holds on to a page of memory, which adds
    up to gigabytes over the items of an archive kept until the report is written."""
    return bytes(memoryview(b))


def build_report(run, configuration: dict, suppressed=0, checks=None) -> Obj:
    """The report of a run. A file whose items were encoded already (encode_file) gives them as bytes,
    which only the JSON renderer reads; the other renderers get reports of files checked without.
    suppressed: the suppressed findings as (check, {"kind", "reason"}) pairs (suppress.split_inline,
    split_baseline), listed in the report, or only their number."""
    kept_aside = [] if isinstance(suppressed, int) else list(suppressed)
    n_suppressed = suppressed if isinstance(suppressed, int) else len(kept_aside)
    files = sorted(run.files, key=lambda r: r.path)
    all_checks = checks if checks is not None else [c for r in files for c in r.checks] + list(run.conflicts)
    all_checks.sort(key=lambda c: c.sort_key())
    claims: list = []
    made: dict = {}  # id of a claim (alive in the results) → its dict, made once for the list and its checks
    encoded: dict = {}  # id of a check (alive in the results) → its item, encoded with its file
    for r in files:
        if r.claims_json is not None and r.checks_json is not None:
            claims.extend(r.claims_json)
            encoded.update(zip(map(id, r.checks), r.checks_json))
            continue
        for c in sorted(r.claims, key=lambda c: c.start):
            d = made[id(c)] = Obj(claim_dict(c))
            claims.append(d)
    check_out = [encoded.get(id(chk)) or check_dict(chk, made) for chk in all_checks]
    errors = sorted([_construct(path=e.path, reason=e.reason) for e in run.input_errors] +
                    [_construct(path=r.path, reason=r.error) for r in files if r.error],
                    key=lambda e: (e.path, e.reason))
    per_file: dict[str, int] = {}
    for chk in all_checks:  # a check counts for every file it has a figure in (a cross-article one: each)
        for path in {c.path for _, c in chk.claims} or {chk.path}:
            per_file[path] = per_file.get(path, 0) + 1
    file_out = [_construct(path=r.path, chars=r.chars, claims=len(r.claims),
                                        checks=per_file.get(r.path, 0), encoding=None,
                                        meta=dict(sorted(r.meta.items())), error=r.error) for r in files]
    disc = {"error": 0, "warning": 0, "info": 0}
    for c in all_checks:
        if c.status == "discrepancy":
            disc[c.severity] += 1
    summary = _construct(
        files=len(files), claims=len(claims), checks=len(all_checks),
        ok=sum(c.status == "ok" for c in all_checks), discrepancies=disc,
        unverifiable=sum(c.status == "unverifiable" for c in all_checks), errors=len(errors),
        suppressed=n_suppressed)
    aside = []
    for chk, why in sorted(kept_aside, key=lambda x: x[0].sort_key()):
        item = check_dict(chk, made)
        item["suppression"] = Obj({"kind": why["kind"], "reason": why["reason"]})
        aside.append(item)
    return _construct(schema_version=SCHEMA_VERSION, tool=_construct(name="factcheck", version=__version__),
                                  configuration=configuration, files=file_out, claims=claims, checks=check_out,
                                  suppressed=aside, errors=errors, summary=summary)
