"""One article as the archive stores it: its metadata and a row per claim, made where the article is read
(in a worker), with no database code.

The facts are the cross-article step's own (conflicts.article_facts: grouping key, period, identified
set, readable key), made from the same stages as `factcheck check` makes them (read, normalize,
extract, article time and place), so a fact of a new article and the archived fact it restates have
the same grouping key. The grouping key is stored whole (fact_key, as JSON) and as a 64-bit hash
(group_key), on which the archive is indexed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from factcheck import __version__

# the version of what a claim row holds and how its keys are made: a change here, in the word lists
# or in the cross-article rule's parameters makes `factcheck index` read unchanged articles again
FACTS_FORMAT = "2"  # 2: facts keep the line(s) of their figure (frame)

CLAIM_COLUMNS: tuple[str, ...] = (
    "idx", "start", "end", "line", "col", "text", "value", "value_high", "exp", "unit", "dim", "base", "factor",
    "qualifier", "qualifier_text", "modality", "time", "subject", "threshold", "metric", "noun", "period",
    "base_value", "group_key", "fact_key", "is_set", "shown", "sort_path", "ignore", "frame")
FRAME_LINE = 160  # a longer line is kept as a window around the figure (a code frame shows ±24 characters)
FRAME_MARGIN = 48


@dataclass
class ArticleRecord:
    path: str
    content_hash: str = ""
    title: str = ""
    date: str | None = None
    source: str | None = None
    place: str = ""
    year: int | None = None
    chars: int = 0
    claims: list[tuple] = field(default_factory=list)  # in CLAIM_COLUMNS order
    error: str | None = None  # the file could not be read: a one-line reason
    internal: str | None = None  # the traceback of an internal error

    @property
    def facts(self) -> int:
        k = CLAIM_COLUMNS.index("group_key")
        return sum(1 for row in self.claims if row[k] is not None)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_hash(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def key_hash(fact_key_json: str) -> int:
    """The 64-bit signed integer the archive indexes a grouping key by."""
    return int.from_bytes(hashlib.sha256(fact_key_json.encode("utf-8")).digest()[:8], "big", signed=True)


def key_json(gk: tuple) -> str:
    return json.dumps(list(gk), ensure_ascii=False, separators=(",", ":"))


def conflict_rule(rules):
    """The cross-article rule whose parameters make the facts (the first of kind conflict), or None."""
    return next((r for r in rules if r.kind == "conflict"), None)


@lru_cache(maxsize=8)
def _fingerprint(params_json: str) -> str:
    from factcheck.lexicon import builtin_rules_dir
    from factcheck.units import TABLE

    h = hashlib.sha256(f"{__version__}|{FACTS_FORMAT}|{params_json}|".encode())
    for f in (builtin_rules_dir() / "lexicon.yaml", TABLE):  # the word lists and the unit table, as files
        try:
            h.update(f.read_bytes())
        except OSError:
            pass
    return h.hexdigest()[:16]


def extractor_fingerprint(rule) -> str:
    """What made an article's rows: factcheck's version, the row format, the word lists, the unit table
    and the cross-article rule's parameters. Rows made otherwise may key facts otherwise."""
    params = json.dumps(getattr(rule, "params", None) or {}, ensure_ascii=False, sort_keys=True, default=str)
    return _fingerprint(params)


def article_record(path: str, rule, approx: Decimal) -> ArticleRecord:
    """Read and extract one file into its archive record (an unreadable file: a record with error).

    The archive keys an article by the path it was read from, as given (reports show it escaped,
    display.display_path; the lookups and the incremental plan of `factcheck index` compare it as given)."""
    from factcheck.documents import InputError, read_document
    from factcheck.pipeline import collector_paused

    try:
        digest = file_hash(path)
        doc = read_document(path)
    except InputError as e:
        return ArticleRecord(path, error=e.reason)
    except OSError as e:
        return ArticleRecord(path, error=f"cannot read: {e.strerror or e}")
    with collector_paused():  # the claims and facts live to the article's end, as in pipeline.process
        return _article(path, digest, doc, rule, approx)


def document_record(doc, digest: str, rule, approx: Decimal) -> ArticleRecord:
    """The archive record of an article that is not a file (sent to factcheck serve), under its path."""
    from factcheck.pipeline import collector_paused

    with collector_paused():
        return _article(doc.path, digest, doc, rule, approx)


def _article(path: str, digest: str, doc, rule, approx: Decimal) -> ArticleRecord:
    from factcheck.conflicts import article_facts, article_place
    from factcheck.documents import MAX_FIGURES
    from factcheck.extract import _Layout, extract
    from factcheck.normalize import normalize
    from factcheck.numbers import decimal_context, precision_for
    from factcheck.pipeline import FileResult
    from factcheck.subjects import normalize_subject
    from factcheck.suppress import MARKDOWN, inline_ignores
    from factcheck.timescope import article_time, claim_period

    norm = normalize(doc.text, doc.body_start)
    claims = extract(doc, norm, approx, _Layout(norm.text), MAX_FIGURES + 1)
    if len(claims) > MAX_FIGURES:  # as `factcheck check` refuses it
        return ArticleRecord(path, error=f"more than {MAX_FIGURES} figures: a table or a data dump rather than an "
                                         "article, skipped")
    year = article_time(doc, norm.text)
    res = FileResult(path, claims=claims, meta=doc.meta, chars=len(doc.text), article_time=year,
                     place=article_place(norm.text))
    rows: list[tuple] = []
    with decimal_context(precision_for(claims)):  # figures of more than 28 digits, computed exactly
        facts = {f[1]: f for f in article_facts(rule, res)} if rule is not None else {}
        # the paragraphs an inline `<!-- factcheck: ignore … -->` covers in a Markdown article, with their
        # rule selectors ("ALL" for every rule): a conflict with an archived figure there is not reported
        ignored = ([(a, b, " ".join(ids) or "ALL") for a, b, ids, _ in inline_ignores(doc.text, doc.body_start, norm)]
                   if facts and path.lower().endswith(MARKDOWN) and "<!--" in doc.text else [])
        text_lines = doc.text.split("\n") if facts else []
        for c in claims:
            fact = facts.get(c.index)
            if fact is not None:
                gk, _, period, is_set, shown = fact
                kj = key_json(gk)
                group_key: int | None = key_hash(kj)
                fact_key: str | None = kj
                sort_path: str | None = path
                ignore = next((sel for a, b, sel in ignored if a <= c.start < b), None)
                frame: str | None = _frame(c, text_lines)
            else:
                period = claim_period(c, year)
                if period and not period[0].isdigit():
                    period = None
                group_key = fact_key = sort_path = shown = ignore = frame = None  # type: ignore[assignment]
                is_set = False
            info = c.info
            rows.append((
                c.index, c.start, c.end, c.line, c.column, c.text, format(c.value, "f"),
                format(c.value_high, "f") if c.value_high is not None else None, c.exp, c.unit, info.dim, info.base,
                format(info.factor, "f"), c.qualifier, c.qualifier_text, c.modality, c.time, c.subject, c.threshold,
                normalize_subject(c.subject, c.threshold), c.post, period or "", float(c.value * info.factor),
                group_key, fact_key, bool(is_set) if fact is not None else None, shown, sort_path, ignore, frame))
    return ArticleRecord(path, digest, _title(doc), doc.meta.get("date"), doc.meta.get("source"), res.place,
                         year, len(doc.text), rows)


def _frame(c, lines: list[str]) -> str:
    """The original line(s) of a figure as JSON [[line number, offset, text], …]: a long line (an unwrapped
    paragraph) as a window of FRAME_MARGIN characters either side of the figure, at its offset."""
    out = []
    pieces = c.text.split("\n")
    for k, piece in enumerate(pieces):
        n = c.line + k
        line = lines[n - 1] if 0 < n <= len(lines) else ""
        if len(line) <= FRAME_LINE:
            out.append([n, 0, line])
            continue
        a = (c.column - 1) if k == 0 else 0
        lo, hi = max(0, a - FRAME_MARGIN), min(len(line), a + len(piece) + FRAME_MARGIN)
        out.append([n, lo, line[lo:hi]])
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def _title(doc) -> str:
    """The front matter's title, else the article's first line with text (a headline)."""
    t = (doc.meta or {}).get("title")
    if t:
        return " ".join(str(t).split())[:300]
    for line in doc.text[doc.body_start:].split("\n", 40)[:40]:
        line = line.strip().lstrip("#").strip()
        if line:
            return " ".join(line.split())[:300]
    return ""
