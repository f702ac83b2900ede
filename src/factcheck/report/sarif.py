"""SARIF 2.1.0 for code scanning (GitHub's upload-sarif and other SARIF viewers).

One run; the driver lists the rules of the run (with their documentation when the rules are given);
each discrepancy is a result at its first figure, with the other figures as related locations; a
finding with figures in several files (a cross-article conflict) is a result in each of them, so that
every file it touches is annotated. Suppressed findings are results with `suppressions` (an inline
comment: inSource; per-file ignores or a baseline: external) and the reason as its justification.
Messages and the rules' descriptions are in the run's language.
Regions count columns in Unicode code points (run.columnKind), as factcheck's columns do. Paths are
relative URIs (against %SRCROOT%, the checkout) when the checked paths are relative, `file:` URIs when
absolute. Passing and unverifiable checks are not results: code scanning shows problems.
"""

from __future__ import annotations

import json
import os
from pathlib import PurePosixPath
from urllib.parse import quote

from factcheck import PROJECT_URL, i18n
from factcheck.report.labels import archived, archived_note, end_of, role_label

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
INFO_URI = PROJECT_URL  # the project's repository (README, docs/ci.md)
SUPPRESSION_KINDS = {"inline": "inSource", "per-file-ignores": "external", "baseline": "external"}


def artifact_uri(path: str) -> tuple[str, str | None]:
    """(uri, uriBaseId) of a report path."""
    p = path.replace(os.sep, "/")
    if os.path.isabs(path):
        return "file://" + quote(p if p.startswith("/") else "/" + p, safe="/:"), None
    p = str(PurePosixPath(p))
    return quote(p, safe="/"), "%SRCROOT%"


def _location(claim, index: dict, message: str | None = None, loc_id: int | None = None) -> dict:
    uri, base = artifact_uri(claim.path)
    art = {"uri": uri}
    if base:
        art["uriBaseId"] = base
    if claim.path in index:
        art["index"] = index[claim.path]
    end_line, end_col = end_of(claim)
    region = {"startLine": claim.line, "startColumn": claim.column, "endLine": end_line, "endColumn": end_col,
              "snippet": {"text": claim.text}}
    loc: dict = {"physicalLocation": {"artifactLocation": art, "region": region}}
    if loc_id is not None:
        loc["id"] = loc_id
    if message:
        loc["message"] = {"text": message}
    return loc


def _link_text(claim) -> str:
    raw = f"{role_label(claim.role)}: {claim.text.replace(chr(10), '')}"
    return raw.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _rule_descriptor(rule_id: str, name: str, severity: str, kind: str, rule=None) -> dict:
    d: dict = {"id": rule_id, "name": name, "defaultConfiguration": {"level": LEVELS.get(severity, "warning")},
               "properties": {"kind": kind, "tags": ["factcheck", kind]}}
    if rule is not None:
        docs = i18n.rule_docs(rule)
        what = " ".join(docs["what"].split())
        why = " ".join(docs["why"].split())
        d["shortDescription"] = {"text": docs["title"] or what.split(". ")[0].rstrip(".") + "."}
        d["fullDescription"] = {"text": what}
        fail = "\n".join(f"    {x}" for x in rule.examples.fail)
        ok = "\n".join(f"    {x}" for x in rule.examples.pass_)
        why_h, fails_h, passes_h = (i18n.gettext("Why it matters"), i18n.gettext("Example that fails"),
                                    i18n.gettext("Example that passes"))
        colon = i18n.gettext(": ")
        d["help"] = {"text": f"{what}\n\n{why_h}{colon}{why}\n\n{fails_h}{colon}\n{fail}\n\n{passes_h}{colon}\n{ok}",
                     "markdown": f"{what}\n\n**{why_h}{colon}** {why}\n\n**{fails_h}{colon}**\n\n{fail}\n\n"
                                 f"**{passes_h}{colon}**\n\n{ok}"}
    else:
        d["shortDescription"] = {"text": f"{rule_id} {name}"}
    return d


def build_sarif(report, rules=None) -> dict:
    """The SARIF log as one dict (render_sarif_chunks writes the same without holding every result)."""
    log, indexes = _frame(report, rules)
    log["runs"][0]["results"] = list(_results(report, *indexes))
    return log


_RESULTS = "\x00results\x00"  # where the results go in the frame's text


def _frame(report, rules=None) -> tuple[dict, tuple[dict, dict]]:
    """The log without its results, and the rule and artifact indexes the results refer to."""
    by_id = {r.id: r for r in rules or ()}
    used: dict[str, dict] = {}
    for r in rules or ():
        used[r.id] = _rule_descriptor(r.id, r.name, r.severity, r.kind, r)
    for chk in list(report.checks) + list(getattr(report, "suppressed", None) or ()):
        if chk.rule not in used:
            used[chk.rule] = _rule_descriptor(chk.rule, chk.name, chk.severity, chk.kind, by_id.get(chk.rule))
    rule_ids = sorted(used)
    rule_index = {rid: i for i, rid in enumerate(rule_ids)}
    artifacts: list[dict] = []
    index: dict[str, int] = {}
    for f in report.files:
        uri, base = artifact_uri(f.path)
        loc = {"uri": uri, **({"uriBaseId": base} if base else {})}
        index[f.path] = len(artifacts)
        artifacts.append({"location": loc, "roles": ["analysisTarget"]})
    notifications = []
    for e in report.errors:
        uri, base = artifact_uri(e.path)
        art = {"uri": uri, **({"uriBaseId": base} if base else {})}
        notifications.append({"level": "error", "message": {"text": f"{e.path}: {e.reason}"},
                              "locations": [{"physicalLocation": {"artifactLocation": art}}]})
    invocation = {"executionSuccessful": not report.errors, "toolExecutionNotifications": notifications}
    run = {
        "tool": {"driver": {"name": "factcheck", "version": report.tool.version, "semanticVersion": report.tool.version,
                            "informationUri": INFO_URI, "rules": [used[r] for r in rule_ids]}},
        "invocations": [invocation],
        "artifacts": artifacts,
        "results": _RESULTS,
        "columnKind": "unicodeCodePoints",
        "properties": {"summary": report.summary.model_dump(mode="json"),
                       "configuration": report.configuration, "schema_version": report.schema_version},
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, (rule_index, index)


def difference_text(chk) -> str | None:
    """The plain difference of a check as its message gives it (9亿元), or None."""
    d = getattr(chk, "difference", None)
    if d is None:
        return None
    return d["text"] if isinstance(d, dict) else d.text


def _results(report, rule_index: dict, index: dict):
    """The results, one at a time: each discrepancy in each file it has a figure in, then the suppressed
    ones."""
    for chk in report.checks:
        if chk.status == "discrepancy":
            yield from _results_of(chk, rule_index, index)
    for chk in getattr(report, "suppressed", None) or ():
        why = chk.suppression
        for res in _results_of(chk, rule_index, index):
            res["suppressions"] = [{"kind": SUPPRESSION_KINDS.get(why.kind, "external"), "status": "accepted",
                                    "justification": why.reason}]
            yield res


def _results_of(chk, rule_index: dict, index: dict):
    """A finding as results: one at its first figure, and one at the first figure in each other file it
    has a figure in (each with the other figures as related locations)."""
    arch = archived(chk)  # a conflict with the claim archive: a result on the checked article only

    def said(c) -> str:
        note = " " + archived_note(arch, 0) if arch and c.path == arch["path"] else ""
        return f"{role_label(c.role)}: {c.text}{note}"

    files: list[str] = []
    for c in chk.claims:
        if c.path not in files and not (arch and c.path == arch["path"]):
            files.append(c.path)
    for n, path in enumerate(files or [""]):
        claims = list(chk.claims)
        if n:  # the figures of this file first
            claims = [c for c in claims if c.path == path] + [c for c in claims if c.path != path]
        text = chk.message
        if len(claims) > 1:  # embedded links to the related locations (SARIF 3.11.6)
            text += i18n.gettext(" Figures: ") + i18n.listing(
                [f"[{_link_text(c)}]({i})" for i, c in enumerate(claims[1:], start=1)])
        fp = chk.fingerprint if not n else f"{chk.fingerprint}:{n + 1}"
        res: dict = {"ruleId": chk.rule, "ruleIndex": rule_index[chk.rule], "level": LEVELS.get(chk.severity, "warning"),
                     "kind": "fail", "message": {"text": text},
                     "partialFingerprints": {"factcheck/v1": fp},
                     "properties": {"stated": chk.stated, "recomputed": chk.recomputed,
                                    "difference": difference_text(chk),
                                    "tolerance": chk.tolerance, "miss": chk.miss, "note": chk.note, "kind": chk.kind}}
        if arch:
            res["properties"]["archived"] = arch
        if claims:
            res["locations"] = [_location(claims[0], index, said(claims[0]))]
            related = [_location(c, index, said(c), i) for i, c in enumerate(claims[1:], start=1)]
            if related:
                res["relatedLocations"] = related
        yield res


def render_sarif(report, rules=None) -> str:
    return "".join(render_sarif_chunks(report, rules))


def render_sarif_chunks(report, rules=None):
    """The SARIF log as text, in pieces: the frame, then each result encoded as it is made, so that a
    report of many findings is never held whole (the same text as json.dumps of build_sarif)."""
    log, indexes = _frame(report, rules)
    results = _results(report, *indexes)
    text = json.dumps(log, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    mark = json.dumps(_RESULTS)
    at = text.index(mark)
    line_start = text.rindex("\n", 0, at) + 1
    indent = len(text[line_start:at]) - len(text[line_start:at].lstrip(" "))
    pad = " " * (indent + 2)
    yield text[:at]
    first = True
    for res in results:
        item = json.dumps(res, ensure_ascii=False, indent=2, sort_keys=True)
        yield ("[\n" if first else ",\n") + pad + item.replace("\n", "\n" + pad)
        first = False
    yield "[]" if first else "\n" + " " * indent + "]"
    yield text[at + len(mark):]
