"""Opening an archive (validated, upgraded), writing articles, pruning, and the reviewers' queries.

An SQLite file is looked at before anything opens it for writing: a file that is not an SQLite
database, a damaged one, or an SQLite database without factcheck's tables is an error that names the
file, and the file is left as it was. An archive written by an older factcheck is upgraded by the
migrations (Alembic); one written by a newer factcheck is an error, never read as if it were ours.

SQLite runs in WAL mode (readers never wait for the writer) with a busy timeout, and every write
transaction starts with BEGIN IMMEDIATE: two `factcheck index` processes take turns, article by
article, instead of failing on a lock. Each article is written in one transaction (its row, the
removal of its old claims, its new claims), so a process killed mid-run leaves every article either
as it was or as it is now. Every statement is built by SQLAlchemy Core with bound parameters.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import (Connection, Engine, and_, create_engine, delete, event, func, insert, inspect, or_, select,
                        true)
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import QueuePool

from factcheck.archive import ArchiveError
from factcheck.archive.records import CLAIM_COLUMNS, ArticleRecord
from factcheck.archive.schema import articles, claims, version_table
from factcheck.archive.sqlitefile import BUSY_TIMEOUT_S, sqlite_state
from factcheck.archive.url import ArchiveURL
from factcheck.archive.version import HEAD, TABLES, VERSION_TABLE, known_version

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def db_error(url: ArchiveURL, e: BaseException, doing: str = "") -> ArchiveError:
    """A driver's error as one line naming the archive, without its password."""
    orig = getattr(e, "orig", None) or e
    msg = " ".join(str(orig).split("\n")[0].split()) or type(orig).__name__
    if isinstance(orig, sqlite3.DatabaseError) and not isinstance(orig, sqlite3.OperationalError):
        msg = f"damaged or not an SQLite database ({msg})"
    elif "locked" in msg:
        msg = f"{msg} (another process held it longer than {BUSY_TIMEOUT_S:.0f} s)"
    return ArchiveError(url.scrub(f"{url.shown}: {doing + ': ' if doing else ''}{msg}"))


def _sqlite_engine(path: str, readonly: bool) -> Engine:
    full = os.path.abspath(path)

    def connect() -> sqlite3.Connection:
        con = sqlite3.connect(full, timeout=BUSY_TIMEOUT_S, check_same_thread=False, isolation_level=None)
        con.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        con.execute("PRAGMA synchronous = NORMAL")  # WAL: a commit survives a crash of the process
        con.execute("PRAGMA foreign_keys = ON")
        if readonly:
            con.execute("PRAGMA query_only = ON")
        else:
            con.execute("PRAGMA journal_mode = WAL")  # outside a transaction; kept in the file; a no-op once set
        return con

    # one connection kept for the store's life (closing the last one checkpoints the WAL, which syncs)
    engine = create_engine("sqlite://", creator=connect, poolclass=QueuePool, pool_size=1, max_overflow=4)
    begin = "BEGIN" if readonly else "BEGIN IMMEDIATE"  # a writer takes the write lock first: no deadlock

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql(begin)

    return engine


def _pg_engine(url: ArchiveURL) -> Engine:
    sa_url = URL.create("postgresql+psycopg2", username=url.user, password=url.password, host=url.host,
                        port=url.port, database=url.database, query={k: v for k, v in url.query})
    return create_engine(sa_url, poolclass=QueuePool, pool_size=1, max_overflow=4, hide_parameters=True)


# ---------------------------------------------------------------------------------------------- the store

class Store:
    """An open archive. readonly: for the reviewers' commands (no write lock taken, writes refused)."""

    def __init__(self, url: ArchiveURL, engine: Engine, readonly: bool):
        self.url = url
        self.engine = engine
        self.readonly = readonly
        self.backend = url.backend

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _insert(self, table):
        if self.backend == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            return pg_insert(table)
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)

    # -- writing

    def known(self, paths: list[str]) -> dict[str, tuple[str, str]]:
        """path → (content hash, extractor fingerprint) of the archived articles among paths."""
        out: dict[str, tuple[str, str]] = {}
        a = articles.c
        with self.engine.connect() as conn:
            for at in range(0, len(paths), 500):
                chunk = paths[at:at + 500]
                for p, h, x in conn.execute(select(a.path, a.content_hash, a.extractor).where(a.path.in_(chunk))):
                    out[p] = (h, x)
        return out

    ARTICLE_FIELDS = ("path", "content_hash", "extractor", "title", "date", "source", "place", "year", "chars",
                      "n_claims", "n_facts", "indexed_at")

    def _writes(self) -> tuple:
        """The statements of write(), built with SQLAlchemy Core and compiled once for this archive's
        dialect: (upsert SQL, its parameter order, delete SQL, insert SQL, its parameter order)."""
        got = getattr(self, "_compiled_writes", None)
        if got is None:
            from sqlalchemy import bindparam

            keys = self.ARTICLE_FIELDS
            ins = self._insert(articles).values({k: bindparam(k) for k in keys})
            upsert = ins.on_conflict_do_update(index_elements=[articles.c.path],
                                               set_={k: ins.excluded[k] for k in keys if k != "path"})
            upsert = upsert.returning(articles.c.id)
            dele = delete(claims).where(claims.c.article_id == bindparam("aid"))
            add = insert(claims).values({k: bindparam(k) for k in ("article_id", *CLAIM_COLUMNS)})
            d = self.engine.dialect
            parts = []
            for stmt in (upsert, dele, add):
                c = stmt.compile(dialect=d)
                parts += [str(c), tuple(c.positiontup or ())]
            got = self._compiled_writes = tuple(parts)
        return got

    def write(self, rec: ArticleRecord, extractor: str) -> None:
        """Store one article in one transaction: its row (inserted or replaced) and all its claims."""
        values = {"path": rec.path, "content_hash": rec.content_hash, "extractor": extractor, "title": rec.title,
                  "date": rec.date, "source": rec.source, "place": rec.place, "year": rec.year, "chars": rec.chars,
                  "n_claims": len(rec.claims), "n_facts": rec.facts,
                  "indexed_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        up_sql, up_order, del_sql, del_order, add_sql, add_order = self._writes()
        positional = bool(up_order)  # SQLite (qmark): tuples; PostgreSQL (pyformat): mappings
        with self.engine.begin() as conn:
            aid = conn.exec_driver_sql(up_sql, tuple(values[k] for k in up_order) if positional else values).scalar_one()
            conn.exec_driver_sql(del_sql, (aid,) if positional else {"aid": aid})
            if not rec.claims:
                return
            if positional:
                assert add_order == ("article_id", *CLAIM_COLUMNS)
                conn.exec_driver_sql(add_sql, [(aid, *row) for row in rec.claims])
            else:  # SQLAlchemy's executemany, which sends PostgreSQL many rows per statement
                conn.execute(insert(claims), [dict(zip(CLAIM_COLUMNS, row), article_id=aid) for row in rec.claims])

    def prune(self, roots: list[str], keep: set[str]) -> list[str]:
        """Remove the archived articles under roots (files or folders) whose files are gone: each in its
        own transaction. keep: the paths listed in this run (present). Returns the removed paths."""
        full_roots = [os.path.abspath(r) for r in roots]
        with self.engine.connect() as conn:
            rows = conn.execute(select(articles.c.id, articles.c.path).order_by(articles.c.path)).all()
        removed = []
        for aid, path in rows:
            if path in keep or path == "<stdin>":
                continue
            full = os.path.abspath(path)
            if not any(full == r or full.startswith(r.rstrip(os.sep) + os.sep) for r in full_roots):
                continue
            if os.path.lexists(path):
                continue
            with self.engine.begin() as conn:
                conn.execute(delete(claims).where(claims.c.article_id == aid))
                conn.execute(delete(articles).where(articles.c.id == aid))
            removed.append(path)
        return removed

    # -- reading

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(articles)).scalar() or 0)

    def stats(self, extractor: str | None = None) -> dict:
        a, c = articles.c, claims.c
        with self.engine.connect() as conn:
            n_articles, n_claims, n_facts, chars, first, last = conn.execute(
                select(func.count(), func.coalesce(func.sum(a.n_claims), 0), func.coalesce(func.sum(a.n_facts), 0),
                       func.coalesce(func.sum(a.chars), 0), func.min(a.indexed_at), func.max(a.indexed_at))).one()
            groups = conn.execute(select(func.count(func.distinct(c.group_key))).where(c.group_key.isnot(None))).scalar()
            places = conn.execute(select(a.place, func.count()).group_by(a.place)
                                  .order_by(func.count().desc(), a.place).limit(10)).all()
            periods = conn.execute(select(c.period, func.count()).where(c.group_key.isnot(None)).group_by(c.period)
                                   .order_by(func.count().desc(), c.period).limit(10)).all()
            stale = 0
            if extractor is not None:
                stale = conn.execute(select(func.count()).where(
                    or_(a.extractor < extractor, a.extractor > extractor))).scalar() or 0
            version = conn.execute(select(version_table.c.version_num)).scalar()
            size = self._size(conn)
        return {"archive": self.url.shown, "backend": self.backend, "schema_version": version,
                "articles": n_articles, "claims": int(n_claims), "facts": int(n_facts), "fact_groups": groups or 0,
                "chars": int(chars), "bytes": size, "first_indexed": first, "last_indexed": last,
                "stale_articles": int(stale),
                "places": [{"place": p or "", "articles": n} for p, n in places],
                "periods": [{"period": p or "", "facts": n} for p, n in periods]}

    def _size(self, conn: Connection) -> int | None:
        if self.backend == "sqlite":
            path = self.url.path
            return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))
        size = func.pg_total_relation_size
        return conn.execute(select(size(articles.name) + size(claims.name))).scalar()

    def search(self, words: list[str], place: str | None = None, period: str | None = None, unit: str | None = None,
               low: float | None = None, high: float | None = None, facts_only: bool = False,
               limit: int = 200) -> tuple[list[dict], bool]:
        """Every archived figure matching all the filters: (rows, whether more matched than limit)."""
        a, c = articles.c, claims.c
        cond = []
        for w in words:
            pattern = "%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            cond.append(or_(c.metric.like(pattern, escape="\\"), c.subject.like(pattern, escape="\\"),
                            c.shown.like(pattern, escape="\\")))
        if place is not None:
            cond.append(a.place == place)
        if period is not None:
            cond.append(c.period == period)
        if unit is not None:
            cond.append(or_(c.unit == unit, c.base == unit))
        if low is not None:
            cond.append(c.base_value >= low)
        if high is not None:
            cond.append(c.base_value <= high)
        if facts_only:
            cond.append(c.group_key.isnot(None))
        q = (select(a.path, a.title, a.date, a.source, a.place, c.line, c.col, c.text, c.value, c.value_high,
                    c.unit, c.qualifier, c.modality, c.period, c.subject, c.metric, c.shown, c.group_key, c.is_set)
             .select_from(claims.join(articles, a.id == c.article_id))
             .where(and_(true(), *cond))
             .order_by(func.coalesce(c.shown, c.metric), c.period, a.date, a.path, c.start)
             .limit(limit + 1))
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        out = [_search_row(r) for r in rows[:limit]]
        return out, len(rows) > limit

    def show(self, path: str) -> dict | None:
        a, c = articles.c, claims.c
        with self.engine.connect() as conn:
            art = conn.execute(select(a.id, a.path, a.title, a.date, a.source, a.place, a.year, a.chars, a.n_claims,
                                      a.n_facts, a.content_hash, a.extractor, a.indexed_at).where(a.path == path)).first()
            if art is None:
                return None
            rows = conn.execute(select(c.line, c.col, c.text, c.value, c.value_high, c.unit, c.qualifier, c.modality,
                                       c.time, c.period, c.subject, c.metric, c.shown, c.group_key, c.is_set)
                                .where(c.article_id == art.id).order_by(c.start)).all()
        d = {k: getattr(art, k) for k in ("path", "title", "date", "source", "place", "year", "chars", "n_claims",
                                          "n_facts", "content_hash", "extractor", "indexed_at")}
        d["claims"] = [{"line": r.line, "column": r.col, "text": r.text, "value": r.value, "value_high": r.value_high,
                        "unit": r.unit, "qualifier": r.qualifier, "modality": r.modality, "time": r.time,
                        "period": r.period or None, "subject": r.subject, "metric": r.metric,
                        "fact": r.group_key is not None, "subject_key": r.shown, "identified_set": r.is_set}
                       for r in rows]
        return d

    def consistency(self) -> list[str]:
        """Problems a reader would trip on: an article whose claims are not all there (a write cut in the
        middle would leave one), claims of no article, and for SQLite the database's own integrity check."""
        a, c = articles.c, claims.c
        problems = []
        with self.engine.connect() as conn:
            counts = select(c.article_id, func.count().label("n")).group_by(c.article_id).subquery()
            bad = conn.execute(select(a.path, a.n_claims, func.coalesce(counts.c.n, 0))
                               .select_from(articles.outerjoin(counts, counts.c.article_id == a.id))
                               .where(a.n_claims != func.coalesce(counts.c.n, 0))).all()
            problems += [f"{p}: {n} claims recorded, {m} stored" for p, n, m in bad]
            orphans = conn.execute(select(func.count()).select_from(claims).where(
                ~select(a.id).where(a.id == c.article_id).exists())).scalar()
            if orphans:
                problems.append(f"{orphans} claims of no article")
            if self.backend == "sqlite":
                problems += [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").all() if r[0] != "ok"]
        return problems


def _search_row(r) -> dict:
    return {"path": r.path, "title": r.title, "date": r.date, "source": r.source, "place": r.place, "line": r.line,
            "column": r.col, "text": r.text, "value": r.value, "value_high": r.value_high, "unit": r.unit,
            "qualifier": r.qualifier, "modality": r.modality, "period": r.period or None, "subject": r.subject,
            "metric": r.metric, "subject_key": r.shown, "fact": r.group_key is not None, "identified_set": r.is_set}


# ---------------------------------------------------------------------------------------------- opening

def open_store(url: ArchiveURL, create: bool = False, readonly: bool = False) -> Store:
    """Open an archive, upgraded to the newest schema; create: make it when there is none yet
    (`factcheck index`); readonly: for the reviewers' commands."""
    try:
        if url.backend == "sqlite":
            return _open_sqlite(url, create, readonly)
        return _open_pg(url, create, readonly)
    except ArchiveError:
        raise
    except (SQLAlchemyError, DBAPIError, sqlite3.Error) as e:
        raise db_error(url, e) from None


def _open_sqlite(url: ArchiveURL, create: bool, readonly: bool) -> Store:
    version = sqlite_state(url.path, create)
    if version != HEAD:
        writer = _sqlite_engine(url.path, readonly=False)
        try:
            upgrade(writer)
        finally:
            writer.dispose()
    return Store(url, _sqlite_engine(url.path, readonly), readonly)


def _open_pg(url: ArchiveURL, create: bool, readonly: bool) -> Store:
    engine = _pg_engine(url)
    try:
        with engine.connect() as conn:
            found = set(inspect(conn).get_table_names()) & {*TABLES, VERSION_TABLE}
            version = conn.execute(select(version_table.c.version_num)).scalar() if VERSION_TABLE in found else None
    except (SQLAlchemyError, DBAPIError) as e:
        engine.dispose()
        raise db_error(url, e, "cannot open the archive") from None
    if not found:
        if not create:
            engine.dispose()
            raise ArchiveError(f"{url.shown}: no archive in this database (`factcheck index PATH... --archive URL` "
                               "makes one)")
    elif VERSION_TABLE not in found or len(found) < 3:
        engine.dispose()
        raise ArchiveError(f"{url.shown}: not a factcheck archive (some of its tables are missing: "
                           f"{', '.join(sorted(set((*TABLES, VERSION_TABLE)) - found))})")
    else:
        version = known_version(url.shown, version)
    if version != HEAD:
        upgrade(engine)
    if readonly:
        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
    return Store(url, engine, readonly)


def upgrade(engine: Engine) -> None:
    """Bring the archive to the newest schema version with the migrations that ship with factcheck."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")

