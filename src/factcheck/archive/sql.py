"""The statements of `factcheck check --archive`, built with SQLAlchemy Core and compiled per dialect.

Importing SQLAlchemy costs a check about 0.2 s, twice the time the archive may add to it. So the few
statements the check path runs are built here from the tables in schema.py, compiled once for each
dialect (SQLite, PostgreSQL with psycopg2) with named bound parameters, and shipped as
data/archive_sql.json; lookup.py runs them with the driver (sqlite3, psycopg2) directly. A test
compiles them again and compares; `python -m factcheck.archive.sql` rewrites the file after a change.
"""

from __future__ import annotations

import json
from pathlib import Path

SQL_FILE = Path(__file__).resolve().parent.parent / "data" / "archive_sql.json"

# what a check reads of an archived fact: enough to make its Claim and to show its article
LOOKUP_COLUMNS: tuple[str, ...] = (
    "idx", "start", "end", "line", "col", "text", "value", "value_high", "exp", "unit", "dim", "base", "factor",
    "qualifier", "qualifier_text", "modality", "time", "subject", "threshold", "noun", "period", "fact_key",
    "is_set", "shown", "ignore", "frame", "path", "title", "date", "source", "extractor", "year")


def statements(dialect: str = "sqlite") -> dict:
    from sqlalchemy import Integer, bindparam, select

    from factcheck.archive.schema import articles, claims, version_table as version

    a, c = articles.c, claims.c
    cols = [getattr(a if name in ("path", "title", "date", "source", "extractor", "year") else c, name)
            for name in LOOKUP_COLUMNS]
    fact = select(*cols).select_from(claims.join(articles, a.id == c.article_id))
    n = bindparam("n", type_=Integer)  # with an explicit OFFSET (:skip, 0): SQLite's compiler adds one of its own
    skip = bindparam("skip", type_=Integer)
    out: dict = {
        "version": select(version.c.version_num),
        "archived": select(a.path).where(a.path == bindparam("path")),
        "same_content": select(a.path).where(a.content_hash == bindparam("h")),
        # articles indexed by another factcheck: two range searches of the extractor index, each stopped
        # after STALE_CAP rows (a check's cost does not grow with the archive, even a wholly stale one)
        "stale": select(_capped(a.extractor < bindparam("fp")) + _capped(a.extractor > bindparam("fp"))),
        # the first statement (smallest path) of a fact in a period, and of a fact in any period
        "first_in_period": fact.where(c.group_key == bindparam("g"), c.period == bindparam("p"))
                               .order_by(c.sort_path).limit(n).offset(skip),
        "first": fact.where(c.group_key == bindparam("g")).order_by(c.sort_path).limit(n).offset(skip),
    }
    if dialect == "postgresql":
        out["first_batch"] = _first_batch(cols, n)
    return out


def _first_batch(cols: list, n):
    """PostgreSQL: the two lookups of every fact of a check in one round trip (a server shared with other
    work answers each round trip after its own wait). Rows: (kind 0 = first, 1 = first in its period,
    the fact's number, the LOOKUP_COLUMNS …), from arrays of grouping keys (gs), periods (ps) and the
    facts' numbers (is_, pis)."""
    from sqlalchemy import BigInteger, Integer, Text, bindparam, cast, func, literal_column, select, true, union_all
    from sqlalchemy.dialects.postgresql import ARRAY

    from factcheck.archive.schema import articles, claims

    a, c = articles.c, claims.c
    joined = claims.join(articles, a.id == c.article_id)
    k1 = func.unnest(cast(bindparam("gs"), ARRAY(BigInteger)), cast(bindparam("is_"), ARRAY(Integer))) \
        .table_valued("g", "i").render_derived(name="k1")
    r1 = select(*cols).select_from(joined).where(c.group_key == k1.c.g).order_by(c.sort_path).limit(n).lateral("r1")
    k2 = func.unnest(cast(bindparam("pgs"), ARRAY(BigInteger)), cast(bindparam("ps"), ARRAY(Text)),
                     cast(bindparam("pis"), ARRAY(Integer))).table_valued("g", "p", "i").render_derived(name="k2")
    r2 = select(*cols).select_from(joined).where(c.group_key == k2.c.g, c.period == k2.c.p) \
        .order_by(c.sort_path).limit(n).lateral("r2")
    return union_all(select(literal_column("0").label("kind"), k1.c.i, r1).select_from(k1.join(r1, true())),
                     select(literal_column("1").label("kind"), k2.c.i, r2).select_from(k2.join(r2, true())))


STALE_CAP = 1000


def _capped(cond):
    from sqlalchemy import func, literal_column, select

    from factcheck.archive.schema import articles

    # constants written into the statement (literal_column): the check binds only its own values
    inner = (select(literal_column("1").label("one")).select_from(articles).where(cond)
             .limit(literal_column(str(STALE_CAP))).offset(literal_column("0")).subquery())
    return select(func.count()).select_from(inner).scalar_subquery()


def compile_all() -> dict:
    from sqlalchemy.dialects import postgresql, sqlite

    from factcheck.archive.version import HEAD

    dialects = {"sqlite": sqlite.pysqlite.dialect(paramstyle="named"), "postgresql": postgresql.psycopg2.dialect()}
    out: dict = {"head": HEAD, "columns": list(LOOKUP_COLUMNS)}
    for name, dialect in dialects.items():
        out[name] = {key: str(stmt.compile(dialect=dialect)) for key, stmt in statements(name).items()}
    return out


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def load() -> dict:
    return json.loads(SQL_FILE.read_text(encoding="utf-8"))


if __name__ == "__main__":
    SQL_FILE.write_text(dumps(compile_all()), encoding="utf-8")
    print(f"wrote {SQL_FILE}")
