"""A request's body → the article to check and the check's options, or a RequestError with the HTTP
status and a message that says what is wrong.

Bodies:
- application/json: {"text": …, "path", "title", "date", "source", "select", "ignore", "fail_on", "lang"};
- text/plain, text/markdown (or text/x-markdown): the article itself, read as factcheck reads a file
  (UTF-8 with or without BOM, UTF-16 with BOM, else GB18030), the options in the query string
  (?path=a.md&fail_on=warning&select=FC1,FC801);
- application/x-www-form-urlencoded: what `curl -d @article.json` sends (a JSON body, its line breaks
  taken out by curl), or form fields with the JSON body's names;
- no Content-Type: JSON when the body starts with "{", else the article as text.

The path is the article's name in the report (and its key in the archive); it is never opened.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

FAIL_ON = ("error", "warning", "info", "never")
LANGS = ("zh", "en")
FIELDS = ("text", "path", "title", "date", "source", "select", "ignore", "fail_on", "lang")
OPTION_FIELDS = tuple(f for f in FIELDS if f != "text")
INDEX_FIELDS = ("text", "path", "title", "date", "source")  # an article to archive: no check options
TEXT_TYPES = ("text/plain", "text/markdown", "text/x-markdown")
MAX_PATH = 1024
MAX_META = 1000
# control characters (C0, DEL, C1) and the bidirectional controls, which would reorder a report's text
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class RequestError(Exception):
    """A request that cannot be answered: status (400, 413, 415, 422 …), a short code and a message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Article:
    text: str
    path: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str = "error"
    lang: str = "zh"

    def as_dict(self) -> dict:
        return {"text": self.text, "path": self.path, "title": self.title, "date": self.date, "source": self.source,
                "select": list(self.select), "ignore": list(self.ignore), "fail_on": self.fail_on, "lang": self.lang}

    @classmethod
    def from_dict(cls, d: dict) -> Article:
        return cls(d["text"], d["path"], d["title"], d["date"], d["source"], tuple(d["select"]), tuple(d["ignore"]),
                   d["fail_on"], d["lang"])

    @property
    def meta(self) -> dict:
        """The request's metadata, which wins over the article's front matter."""
        return {k: v for k, v in (("title", self.title), ("date", self.date), ("source", self.source)) if v}


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def parse_body(content_type: str | None, body: bytes, query: list[tuple[str, str]],
               require_path: bool = False) -> Article:
    """The article of a POST /v1/check or /v1/index body (query: the URL's query parameters). Without a
    path, an article is named article.md (article.txt when sent as text/plain); require_path: an article
    to index must have one (its key in the archive)."""
    kind = media_type(content_type)
    need = "" if require_path else None
    if kind == "application/json" or kind.endswith("+json"):
        return _from_fields(_json_object(body), query, "the JSON body", need)
    if kind in TEXT_TYPES:
        return _from_text(body, query, need if require_path else "article.txt" if kind == "text/plain" else None)
    if kind == "application/x-www-form-urlencoded":
        if body.lstrip()[:1] == b"{":  # curl -d @article.json
            return _from_fields(_json_object(body), query, "the JSON body", need)
        return _from_fields(_form(body), query, "the form", need)
    if not kind:
        if body.lstrip()[:1] == b"{":
            return _from_fields(_json_object(body), query, "the JSON body", need)
        return _from_text(body, query, need)
    raise RequestError(415, "unsupported_media_type",
                       f"cannot read a body of type {kind!r}: send application/json ({{\"text\": …}}), "
                       "text/plain or text/markdown")


def _json_object(body: bytes) -> dict:
    import orjson

    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as e:
        raise RequestError(400, "invalid_json", f"the body is not valid JSON: {e}") from None
    if not isinstance(data, dict):
        raise RequestError(422, "invalid_request",
                           f"the JSON body must be an object such as {{\"text\": \"…\"}}, not {_kind(data)}")
    return data


def _form(body: bytes) -> dict:
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body.strip()),
                          errors="strict", max_num_fields=100)
    except (UnicodeDecodeError, ValueError) as e:
        raise RequestError(400, "invalid_form", f"the body is not a URL-encoded form in UTF-8: {e}") from None
    data: dict = {}
    for k, v in pairs:
        if k in data and k not in ("select", "ignore"):
            raise RequestError(422, "invalid_request", f"the form gives {k!r} more than once")
        data[k] = data[k] + "," + v if k in data else v
    return data


def _from_text(body: bytes, query: list[tuple[str, str]], default_path: str | None) -> Article:
    from factcheck.documents import InputError, decode

    try:
        text, _ = decode(body, "the body")
    except InputError as e:
        raise RequestError(400, "unreadable_text", f"{e.reason}") from None
    return _from_fields({"text": text}, query, "the body", default_path)


def _from_fields(data: dict, query: list[tuple[str, str]], where: str, default_path: str | None = None) -> Article:
    """default_path: the name of an article sent without one (None: article.md; "": it must have one)."""
    known = INDEX_FIELDS if default_path == "" else FIELDS
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise RequestError(422, "invalid_request", f"{where}: unknown field{'s' if len(unknown) > 1 else ''} "
                           f"{', '.join(map(repr, unknown))} (known: {', '.join(known)})")
    fields = dict(data)
    for k, v in query:  # the query string may give the options; the body's own fields win
        if k not in known or k == "text":
            raise RequestError(422, "invalid_request", f"unknown query parameter {k!r} "
                               f"(known: {', '.join(f for f in known if f != 'text')})")
        if k in data:
            continue
        if k in fields and k in ("select", "ignore"):
            fields[k] = f"{fields[k]},{v}"
        else:
            fields[k] = v
    text = fields.get("text")
    if text is None:
        raise RequestError(422, "invalid_request", f"{where} has no \"text\": the article to check")
    if not isinstance(text, str):
        raise RequestError(422, "invalid_request", f"\"text\" must be a string, not {_kind(text)}")
    if not text.strip():
        raise RequestError(422, "invalid_request", "\"text\" is empty: there is no article to check")
    path = _string(fields, "path", MAX_PATH)
    if path is None and default_path == "":
        raise RequestError(422, "invalid_request", "an article to index needs its \"path\": its key in the "
                           "archive (the CMS's id or address of the article)")
    return Article(text=text, path=path or default_path or "article.md", title=_string(fields, "title", MAX_META),
                   date=_date(fields.get("date")), source=_string(fields, "source", MAX_META),
                   select=_selectors(fields, "select"), ignore=_selectors(fields, "ignore"),
                   fail_on=_fail_on(fields.get("fail_on")), lang=_lang(fields.get("lang")))


def _kind(v) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null",
            int: "a number", float: "a number"}.get(type(v), type(v).__name__)


def _string(fields: dict, key: str, limit: int) -> str | None:
    v = fields.get(key)
    if v is None:
        return None
    if not isinstance(v, str):
        raise RequestError(422, "invalid_request", f"{key!r} must be a string, not {_kind(v)}")
    if len(v) > limit:
        raise RequestError(422, "invalid_request", f"{key!r} is longer than {limit} characters")
    if _CONTROL.search(v):
        raise RequestError(422, "invalid_request", f"{key!r} contains a control character")
    if key == "path" and not v.strip():
        raise RequestError(422, "invalid_request", "'path' is empty")
    return v or None


def _date(v) -> str | None:
    if v is None or v == "":
        return None
    if not isinstance(v, str) or not _DATE.fullmatch(v):
        raise RequestError(422, "invalid_request", f"'date' must be a date, YYYY-MM-DD (2024-07-01), got {v!r}")
    try:
        datetime.date.fromisoformat(v)
    except ValueError:
        raise RequestError(422, "invalid_request", f"'date' is not a date of the calendar: {v!r}") from None
    return v


def _selectors(fields: dict, key: str) -> tuple[str, ...]:
    v = fields.get(key)
    if v is None:
        return ()
    items = v.split(",") if isinstance(v, str) else v
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        raise RequestError(422, "invalid_request", f"{key!r} must be a list of rule ids, id prefixes or names "
                           f"(or one comma-separated string), not {_kind(v)}")
    out = tuple(x.strip() for x in items if x.strip())
    if len(out) > 200 or any(len(x) > 100 for x in out):
        raise RequestError(422, "invalid_request", f"{key!r}: too many or too long selectors")
    return out


def _lang(v) -> str:
    if v is None or v == "":
        return "zh"
    if v not in LANGS:
        raise RequestError(422, "invalid_request", f"'lang' must be one of {', '.join(LANGS)}, got {v!r}")
    return v


def _fail_on(v) -> str:
    if v is None or v == "":
        return "error"
    if v not in FAIL_ON:
        raise RequestError(422, "invalid_request", f"'fail_on' must be one of {', '.join(FAIL_ON)}, got {v!r}")
    return v
