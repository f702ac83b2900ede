"""The API's OpenAPI 3.1 description (GET /openapi.json). The report's schema is the one `factcheck schema`
prints (report/model.py), with "pass" added; everything else is written out here."""

from __future__ import annotations

from factcheck import __version__
from factcheck.serve.inputs import FAIL_ON, LANGS, MAX_META, MAX_PATH

PASS_DOC = ("The gate's answer: true when the report has no discrepancy at or above fail_on and no input error "
            "(the exit code of `factcheck check` would be 0).")


def report_schemas() -> dict:
    """components.schemas: CheckReport (the --format json report and "pass") and the models it uses."""
    from pydantic import Field

    from factcheck.report.model import Report

    class CheckReport(Report):
        """The report of `factcheck check --format json` for the article, and the gate's answer."""

        pass_: bool = Field(alias="pass", description=PASS_DOC)

    schema = CheckReport.model_json_schema(by_alias=True, ref_template="#/components/schemas/{model}")
    defs = schema.pop("$defs", {})
    return {**defs, "CheckReport": schema}


def _article_fields(index: bool) -> dict:
    s: dict = {
        "text": {"type": "string", "minLength": 1, "description": "The article: plain text or Markdown (front "
                 "matter title/date/source is read). Offsets in the report count its code points, line ends as \\n."},
        "path": {"type": "string", "maxLength": MAX_PATH, "description": "The article's name in the report"
                 + (" and its key in the archive: the CMS's id or address of the article" if index else
                    " (default article.md; Markdown inline ignore comments apply to .md names)")
                 + ". Never opened."},
        "title": {"type": "string", "maxLength": MAX_META, "description": "Wins over the front matter's title."},
        "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "description": "The article's date, "
                 "YYYY-MM-DD: the year its 今年/去年 speak of. Wins over the front matter's date."},
        "source": {"type": "string", "maxLength": MAX_META},
    }
    if not index:
        sel = {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]}
        s.update({
            "select": {**sel, "description": "Only these rules: ids (FC101), id prefixes (FC1) or names "
                       "(breakdown-sum); a list or one comma-separated string."},
            "ignore": {**sel, "description": "Skip these rules (as select)."},
            "fail_on": {"type": "string", "enum": list(FAIL_ON), "default": "error",
                        "description": "The lowest severity that makes \"pass\" false."},
            "lang": {"type": "string", "enum": list(LANGS), "default": "zh",
                     "description": "The language of the report's messages (as factcheck check --lang)."},
        })
    return s


def _error_responses(*codes: int) -> dict:
    why = {400: "The body is not JSON, not a form, or not text factcheck can read.",
           401: "No bearer token, or not the server's (servers started with --token-file).",
           403: "Indexing is not enabled (--allow-index).",
           404: "The server has no claim archive (--archive).",
           413: "The body is larger than the server's limit (--max-body, 1 MB by default).",
           415: "A Content-Type other than JSON, a form, text/plain or text/markdown.",
           422: "A field is missing, of the wrong type or not valid (an unknown rule, a date that is not one).",
           500: "An internal error (logged by the server; the answer has no traceback).",
           503: "The request took longer than the time limit (--timeout), the server has as many requests under "
                "way as it takes (--max-queue; Retry-After), or the archive cannot be used."}
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    return {str(c): {"description": why[c], "content": ref} for c in codes}


def _body(index: bool) -> dict:
    name = "IndexRequest" if index else "CheckRequest"
    return {"required": True, "content": {
        "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}},
        "application/x-www-form-urlencoded": {"schema": {"$ref": f"#/components/schemas/{name}"},
                                              "description": "A form with the same fields, or a JSON body sent "
                                                             "as a form (curl -d @article.json)."},
        "text/markdown": {"schema": {"type": "string"}, "description": "The article itself; options in the query."},
        "text/plain": {"schema": {"type": "string"}, "description": "The article itself; options in the query."},
    }}


def _query(index: bool) -> list:
    names = ["path", "title", "date", "source"] + ([] if index else ["select", "ignore", "fail_on", "lang"])
    return [{"name": n, "in": "query", "required": False, "schema": {"type": "string"},
             "description": f"As the JSON field {n!r}, for a text/plain or text/markdown body."} for n in names]


def document(settings) -> dict:
    schemas = report_schemas()
    schemas["CheckRequest"] = {"type": "object", "required": ["text"], "additionalProperties": False,
                               "properties": _article_fields(False)}
    schemas["IndexRequest"] = {"type": "object", "required": ["text", "path"], "additionalProperties": False,
                               "properties": _article_fields(True)}
    schemas["IndexResult"] = {"type": "object", "required": ["path", "status", "archive"], "properties": {
        "path": {"type": "string"}, "status": {"type": "string", "enum": ["indexed", "replaced", "unchanged"]},
        "archive": {"type": "string", "description": "The archive, its password masked."},
        "claims": {"type": "integer"}, "facts": {"type": "integer"}, "title": {"type": "string"},
        "date": {"type": ["string", "null"]}}}
    schemas["Error"] = {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["status", "code", "message"], "properties": {
            "status": {"type": "integer"}, "code": {"type": "string"}, "message": {"type": "string"}}}}}
    schemas["Health"] = {"type": "object", "required": ["status", "version"], "properties": {
        "status": {"const": "ok"}, "version": {"type": "string"}, "build": {"type": "string"},
        "rules": {"type": "array", "items": {"type": "object"}}, "archive": {"type": "boolean"},
        "index": {"type": "boolean"}, "token": {"type": "boolean"}, "max_body": {"type": "integer"},
        "timeout": {"type": "number"}, "workers": {"type": "integer"}, "under_way": {"type": "integer"},
        "max_queue": {"type": "integer"}}}
    secured: list[dict] = [{"bearer": []}] if settings.token_file else []
    auth_errors = (401,) if settings.token_file else ()
    doc: dict = {
        "openapi": "3.1.0",
        "info": {"title": "factcheck", "version": __version__,
                 "description": "Checks the arithmetic of the figures in a news article (Chinese first): the "
                                "report of `factcheck check --format json`, and \"pass\" for a pre-publication "
                                "gate. See docs/serve.md."},
        "paths": {
            "/v1/check": {"post": {
                "summary": "Check an article", "operationId": "check", "security": secured,
                "parameters": _query(False), "requestBody": _body(False),
                "responses": {"200": {"description": "The report (also when the article does not pass).",
                                      "content": {"application/json": {
                                          "schema": {"$ref": "#/components/schemas/CheckReport"}}}},
                              **_error_responses(400, *auth_errors, 413, 415, 422, 500, 503)}}},
            "/v1/index": {"post": {
                "summary": "Add a published article to the claim archive", "operationId": "index",
                "security": secured, "parameters": _query(True), "requestBody": _body(True),
                "responses": {"200": {"description": "Indexed, replaced (its text changed) or unchanged.",
                                      "content": {"application/json": {
                                          "schema": {"$ref": "#/components/schemas/IndexResult"}}}},
                              **_error_responses(400, *auth_errors, 403, 404, 413, 415, 422, 500, 503)}}},
            "/healthz": {"get": {"summary": "Liveness, and what the server runs", "operationId": "health",
                                 "responses": {"200": {"description": "The server answers.", "content": {
                                     "application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}}}}},
            "/openapi.json": {"get": {"summary": "This description", "operationId": "openapi",
                                      "responses": {"200": {"description": "OpenAPI 3.1",
                                                            "content": {"application/json": {}}}}}},
            "/": {"get": {"summary": "The editors' page", "operationId": "page",
                          "responses": {"200": {"description": "HTML", "content": {"text/html": {}}}}}},
        },
        "components": {"schemas": schemas},
    }
    if settings.token_file:
        doc["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
    return doc
