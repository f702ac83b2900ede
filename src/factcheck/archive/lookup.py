"""`factcheck check NEW... --archive URL`: the new articles' facts against the archive.

Each fact of a new article (conflicts.article_facts, made with the article) is compared with
- the archive's first statement of the same fact (the smallest path), as the cross-article step
  compares every statement of a fact inside one run with the group's first, and
- the archive's first statement of the same fact in the same period, when that is another one: the
  archive holds many periods of one fact, and a figure of this period is what can contradict it.
Each is one index seek (schema.py), whatever the size of the archive. The comparison is the
cross-article step's own (conflicts.compare_members): same place, same metric, the same period known
on both sides for an error; an unknown or different period is never one. The archived articles are
not read again: their figures, lines, titles and dates come from the archive.

An archived article that is a file being checked (the same path: its earlier version; or the same
content: the file indexed from another folder) is not compared with it.
A hash collision of two grouping keys cannot pair two facts: the whole key is compared too.

This module does not import SQLAlchemy: the statements are compiled in advance (sql.py) and run with
the driver, sqlite3 or psycopg2.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from factcheck.archive import ArchiveError
from factcheck.archive.records import conflict_rule, extractor_fingerprint, key_hash, key_json
from factcheck.archive.url import ArchiveURL, parse
from factcheck.archive.version import HEAD, REVISIONS


@dataclass
class Findings:
    checks: list = field(default_factory=list)
    # the discrepancies an ignore comment or per-file-ignores accept: (check, {"kind", "reason"}), as
    # suppress.split_inline gives them
    suppressed: list = field(default_factory=list)
    lines: dict = field(default_factory=dict)  # archived path → {line number: text} for code frames
    warnings: list[str] = field(default_factory=list)
    archive: str = ""  # the archive as shown (password masked)


@lru_cache(maxsize=1)
def _sql() -> dict:
    from factcheck.archive.sql import load

    return load()


class _Conn:
    """A driver connection and the archive's statements for its dialect."""

    def __init__(self, url: ArchiveURL):
        self.url = url
        sql = _sql()
        if sql.get("head") != HEAD:
            raise ArchiveError("factcheck's compiled archive statements are stale (python -m factcheck.archive.sql)")
        self.columns: list[str] = sql["columns"]
        self.q: dict[str, str] = sql[url.backend]
        self.con: Any = None
        if url.backend == "sqlite":
            import sqlite3

            from factcheck.archive.sqlitefile import BUSY_TIMEOUT_S, ro_uri, sqlite_state

            self.version = sqlite_state(url.path, create=False)
            self.errors: tuple = (sqlite3.Error,)
            try:
                self.con = sqlite3.connect(ro_uri(url.path), uri=True, timeout=BUSY_TIMEOUT_S)
                self.con.execute("PRAGMA query_only = ON")
            except sqlite3.Error as e:
                raise self.error(e) from None
        else:
            try:
                import psycopg2
            except ImportError:
                raise ArchiveError(f"{url.shown}: the PostgreSQL driver (psycopg2) is not installed") from None
            self.errors = (psycopg2.Error,)
            try:
                self.con = psycopg2.connect(url.libpq_dsn())
                self.con.set_session(readonly=True, autocommit=True)
            except psycopg2.Error as e:
                raise self.error(e, "cannot connect") from None
            self.version = None

    def error(self, e: BaseException, doing: str = "") -> ArchiveError:
        msg = " ".join(str(e).split("\n")[0].split()) or type(e).__name__
        return ArchiveError(self.url.scrub(f"{self.url.shown}: {doing + ': ' if doing else ''}{msg}"))

    def rows(self, key: str, params: dict) -> list[tuple]:
        try:
            cur = self.con.cursor()
            try:
                cur.execute(self.q[key], params)
                return cur.fetchall()
            finally:
                cur.close()
        except self.errors as e:
            raise self.error(e) from None

    def close(self) -> None:
        try:
            self.con.close()
        except Exception:
            pass


def _open(url: ArchiveURL) -> _Conn:
    """A connection to an archive at the newest schema version: an older one is upgraded first (by
    store.py, with Alembic), a newer one is an error."""
    conn = _Conn(url)
    version = conn.version
    if url.backend == "postgresql":
        try:
            version = conn.rows("version", {})[0][0]
        except ArchiveError as e:
            conn.close()
            if "factcheck_schema_version" in str(e):
                raise ArchiveError(f"{url.shown}: no archive in this database (`factcheck index PATH... --archive "
                                   "URL` makes one)") from None
            raise
        except IndexError:
            version = None
        if version not in REVISIONS:
            conn.close()
            from factcheck.archive.version import known_version

            known_version(url.shown, version)
    if version != HEAD:
        conn.close()
        from factcheck.archive.store import open_store

        open_store(url, create=False).close()  # upgrades it
        conn = _Conn(url)
    return conn


def check_against_archive(value: str, results, rules, approx: Decimal, base_dir: str | None = None,
                          per_file_ignores: dict | None = None, config_dir: str | None = None,
                          config_file: str | None = None, sent: dict | None = None) -> Findings:
    """The conflicts of the checked files (results: pipeline.run's FileResults) with the archive.
    sent: articles that are not files (sent to factcheck serve; their ignore comments are in their
    results): path → records.content_hash of the text's UTF-8 bytes. Their paths are names, never opened."""
    url = parse(value, base_dir)
    out = Findings(archive=url.shown)
    rule = conflict_rule(rules)
    if rule is None:
        return out  # the cross-article rule is not selected: nothing to compare
    conn = _open(url)
    try:
        _compare(conn, url, results, rule, approx, out, per_file_ignores or {}, config_dir, config_file, sent or {})
    finally:
        conn.close()
    return out


def _compare(conn: _Conn, url: ArchiveURL, results, rule, approx: Decimal, out: Findings, per_file_ignores: dict,
             config_dir: str | None, config_file: str | None = None, sent: dict | None = None) -> None:
    from factcheck.conflicts import _decimal, compare_members, facts_of
    from factcheck.numbers import USUAL_PRECISION, decimal_context
    from factcheck.suppress import MARKDOWN, _ranges_with_lines as ignored_ranges

    fp = extractor_fingerprint(rule)
    stale = conn.rows("stale", {"fp": fp})[0][0]
    if stale:
        from factcheck.archive.sql import STALE_CAP

        n_stale = f"{stale} or more" if stale >= STALE_CAP else str(stale)
        out.warnings.append(f"{url.shown}: {n_stale} archived article{'s were' if stale != 1 else ' was'} indexed by "
                            "another version of factcheck or with other word lists, so their facts may be keyed "
                            "differently: run `factcheck index` on them again")
    files = [r for r in results if not r.error and r.claims]
    checked = {_read_from(r) for r in results}
    mine = _versions_of(conn, checked, sent or {})
    n = 1 + len(mine)
    ratio = _decimal(rule.p.max_ratio)
    col = {name: i for i, name in enumerate(conn.columns)}
    facts = [(res, fact, key_json(fact[0])) for res in files for fact in facts_of(rule, res)]
    found = _lookups(conn, [(key_hash(kj), fact[2]) for _, fact, kj in facts], n)
    ranges: dict[str, list] = {}
    for k, (res, (gk, idx, period, is_set, shown), kj) in enumerate(facts):
        if res.path not in ranges:
            ranges[res.path] = _ignored(res, MARKDOWN, ignored_ranges)
        seen: set[str] = set()
        new = res.claims[idx]
        for rows in found[k]:
            row = _first(rows, col, mine)
            if row is None:
                continue
            path = row[col["path"]]
            if path in seen or row[col["fact_key"]] != kj:
                continue
            seen.add(path)
            old = _claim(row, col)
            mine_m = (new, period, is_set, shown)
            theirs = (old, row[col["period"]] or None, bool(row[col["is_set"]]), row[col["shown"]])
            # the two in the order one run over both articles takes them (the smaller path first: its
            # period and unit are the comparison's), so that the finding is the one that run makes
            archived_first = (old.path, old.start) < (new.path, new.start)
            pair = (theirs, mine_m) if archived_first else (mine_m, theirs)
            # as precise as the figures of both articles need (a figure of more than 28 digits, exactly)
            with decimal_context(max(res.precision, USUAL_PRECISION, _precision(old))):
                chk = compare_members(rule, pair[0], pair[1], approx, ratio,
                                      dated={new.path: res.article_time is not None,
                                             old.path: row[col["year"]] is not None})
            if chk is None:
                continue
            if archived_first:  # the finding is the checked article's: its figure first, where it is reported
                chk.claims = chk.claims[1:] + chk.claims[:1]
            chk.details["archived"] = {"path": old.path, "title": row[col["title"]], "date": row[col["date"]],
                                       "source": row[col["source"]], "line": old.line, "column": old.column}
            why = (_suppressed(chk, row[col["ignore"]], new, ranges[res.path], per_file_ignores, config_dir,
                               config_file) if chk.status == "discrepancy" else None)
            if why is not None:
                out.suppressed.append((chk, why))
                continue
            out.checks.append(chk)
            _frame(out.lines, old, row, col)


def _lookups(conn: _Conn, keys: list[tuple[int, str | None]], n: int) -> list[list[list[tuple]]]:
    """For each (grouping key, period): the answers of its lookups, each at most n rows in path order:
    the fact's first statements, and its first statements in the period when the period is known.
    PostgreSQL answers all of them in one round trip, SQLite (in the process) one query each."""
    out: list[list[list[tuple]]] = [[] for _ in keys]
    if conn.url.backend == "postgresql":
        if not keys:
            return out
        dated = [(k, g, p) for k, (g, p) in enumerate(keys) if p]
        got: dict[tuple[int, int], list[tuple]] = {}
        for row in conn.rows("first_batch", {"gs": [g for g, _ in keys], "is_": list(range(len(keys))),
                                             "pgs": [g for _, g, _ in dated], "ps": [p for _, _, p in dated],
                                             "pis": [k for k, _, _ in dated], "n": n}):
            got.setdefault((row[0], row[1]), []).append(row[2:])  # in path order within each lookup
        for k in range(len(keys)):
            out[k] = [got.get((0, k), []), got.get((1, k), [])]
        return out
    for k, (g, p) in enumerate(keys):
        out[k].append(conn.rows("first", {"g": g, "n": n, "skip": 0}))
        if p:
            out[k].append(conn.rows("first_in_period", {"g": g, "p": p, "n": n, "skip": 0}))
    return out


def _read_from(res) -> str:
    """The path a checked file was read from (FileResult.path is how reports show it: escaped)."""
    return res.source if res.source and res.source != "-" else res.path


def _ignored(res, markdown: tuple[str, ...], ignored_ranges) -> list:
    """The inline ignore comments of a checked Markdown file, (start, end, selectors, line of the comment):
    as found with the article, else read again."""
    if not res.path.lower().endswith(markdown):
        return []
    if res.ignores is not None:
        return list(res.ignores)
    return ignored_ranges(_read_from(res))


def _precision(c) -> int:
    from factcheck.numbers import precision_for

    return precision_for([c])


def _versions_of(conn: _Conn, paths: set[str], sent: dict) -> set[str]:
    """The archived articles that are the checked files themselves: the same path (an earlier version),
    or the same content under another path (the file indexed from another folder)."""
    from factcheck.archive.records import file_hash

    out: set[str] = set()
    for p in sorted(paths):
        out.update(r[0] for r in conn.rows("archived", {"path": p}))
        if p in sent:
            out.update(r[0] for r in conn.rows("same_content", {"h": sent[p]}))
        elif p != "<stdin>":
            try:
                out.update(r[0] for r in conn.rows("same_content", {"h": file_hash(p)}))
            except OSError:
                pass
    return out


def _first(rows: list[tuple], col: dict, mine: set[str]) -> tuple | None:
    """The first row that is not an earlier version of a checked file (the query asked for one row more
    than there are such versions)."""
    return next((r for r in rows if r[col["path"]] not in mine), None)


def _suppressed(chk, ignore: str | None, new, ranges, per_file_ignores: dict, config_dir: str | None,
                config_file: str | None) -> dict | None:
    """Why a discrepancy is not reported, as suppress.split_inline says it ({"kind", "reason"} in the run's
    language), or None: an inline ignore comment in the archived article or in the checked one, or the
    configuration's per-file ignores, as they would inside one run."""
    from factcheck import i18n
    from factcheck.suppress import _file_ignored as file_ignored, _rule_in as rule_in

    if ignore and rule_in(chk, set(ignore.split()) - {"ALL"}):  # an inline ignore comment in the archived article
        ids = [x for x in ignore.split() if x != "ALL"]
        said = f"<!-- factcheck: ignore {' '.join(ids)} -->" if ids else "<!-- factcheck: ignore -->"
        arch = chk.details.get("archived") or {}
        return {"kind": "inline", "reason": i18n.gettext("{comment} in the archived article {path}").format(
            comment=said, path=arch.get("path", ""))}
    for a, b, ids, line in ranges:
        if a <= new.start < b and rule_in(chk, set(ids)):
            said = f"<!-- factcheck: ignore {' '.join(ids)} -->" if ids else "<!-- factcheck: ignore -->"
            return {"kind": "inline", "reason": i18n.gettext("{comment} at {path}:{line}").format(
                comment=said, path=new.path, line=line)}
    pattern = file_ignored(chk, per_file_ignores, config_dir) if per_file_ignores else None
    if pattern is not None:
        return {"kind": "per-file-ignores", "reason": i18n.gettext("per-file-ignores \"{pattern}\" in {file}").format(
            pattern=pattern, file=config_file or i18n.gettext("the configuration"))}
    return None


def _claim(row: tuple, col: dict):
    from factcheck.display import display_path
    from factcheck.extract import Claim
    from factcheck.units import UnitInfo

    g = row.__getitem__
    value_high = g(col["value_high"])
    return Claim(  # its path shown as the checked files' paths are (display_path: escaped)
        path=display_path(g(col["path"])), start=g(col["start"]), end=g(col["end"]), line=g(col["line"]), column=g(col["col"]),
        text=g(col["text"]), nstart=0, nend=0, value=Decimal(g(col["value"])), exp=g(col["exp"]), unit=g(col["unit"]),
        info=UnitInfo(g(col["unit"]), g(col["dim"]), g(col["base"]), Decimal(g(col["factor"]))),
        value_high=Decimal(value_high) if value_high is not None else None, qualifier=g(col["qualifier"]),
        qualifier_text=g(col["qualifier_text"]), modality=g(col["modality"]), time=g(col["time"]),
        post=g(col["noun"]), subject=g(col["subject"]), threshold=g(col["threshold"]), index=g(col["idx"]))


def _frame(lines: dict, c, row: tuple, col: dict) -> None:
    """The lines a code frame shows for an archived figure: the original lines the archive keeps (a long
    one as a window around the figure, at its offset); an article indexed before the archive kept them
    shows its figure's raw text at its column."""
    have = lines.setdefault(c.path, {})
    frame = row[col["frame"]]
    if frame:
        for n, offset, text in json.loads(frame):
            have[n] = " " * offset + text
        return
    for k, piece in enumerate(c.text.split("\n")):
        at = c.column - 1 if k == 0 else 0
        line = have.get(c.line + k, "")
        line = line + " " * max(0, at - len(line))
        have[c.line + k] = line[:at] + piece + line[at + len(piece):]

