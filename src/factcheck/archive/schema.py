"""The archive's tables (SQLAlchemy Core), as the newest migration leaves them.

migrations/ holds each schema version (Alembic); a test checks that upgrading an empty database to
the newest version gives these tables, columns and indexes. The names start with factcheck_, so an
archive can share a PostgreSQL database with other tables.

- factcheck_articles: one row per indexed file: its path (the archive's key for it), content hash,
  the fingerprint of what extracted it, title, date and source (front matter; the title falls back to
  the first line), place, year, size and counts.
- factcheck_claims: one row per claim: span, raw text, value (exact, as text) and its precision, unit
  (with its dimension, base and factor, so a comparison needs no unit table), qualifier, modality,
  time, subject and metric noun, period; a fact (a claim another article can contradict) also has its
  grouping key (whole, and hashed to 64 bits for the index), identified-set flag, readable key and
  its article's path (sort_path: the first statement of a fact is the one with the smallest path, as
  inside a run) and the original line(s) of its figure (frame: a later conflict's code frame shows them
  without reading the file again).

Paths compare byte-wise on both backends (PostgreSQL: collation "C"), so "the first statement" is
the same row in SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (BigInteger, Boolean, Column, Float, ForeignKey, Index, Integer, MetaData, String, Table,
                        Text)

from factcheck.archive.version import HEAD, VERSION_TABLE  # noqa: F401 - the schema this file describes

# Alembic's own table of the schema version (kept apart from metadata: Alembic makes it)
version_table = Table(VERSION_TABLE, MetaData(), Column("version_num", String(32), nullable=False))

ID = BigInteger().with_variant(Integer(), "sqlite")  # an SQLite INTEGER PRIMARY KEY is the rowid
PATH = Text().with_variant(Text(collation="C"), "postgresql")

metadata = MetaData()

articles = Table(
    "factcheck_articles", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("path", PATH, nullable=False, unique=True),
    Column("content_hash", String(64), nullable=False),
    Column("extractor", String(32), nullable=False),
    Column("title", Text, nullable=False),
    Column("date", Text),
    Column("source", Text),
    Column("place", Text, nullable=False),
    Column("year", Integer),
    Column("chars", Integer, nullable=False),
    Column("n_claims", Integer, nullable=False),
    Column("n_facts", Integer, nullable=False),
    Column("indexed_at", Text, nullable=False),
)
Index("ix_factcheck_articles_extractor", articles.c.extractor)
Index("ix_factcheck_articles_place", articles.c.place)
Index("ix_factcheck_articles_hash", articles.c.content_hash)

claims = Table(
    "factcheck_claims", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("article_id", ID, ForeignKey("factcheck_articles.id", ondelete="CASCADE"), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("line", Integer, nullable=False),
    Column("col", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("value", Text, nullable=False),
    Column("value_high", Text),
    Column("exp", Integer, nullable=False),
    Column("unit", Text, nullable=False),
    Column("dim", Text, nullable=False),
    Column("base", Text, nullable=False),
    Column("factor", Text, nullable=False),
    Column("qualifier", Text),
    Column("qualifier_text", Text, nullable=False),
    Column("modality", Text, nullable=False),
    Column("time", Text),
    Column("subject", Text, nullable=False),
    Column("threshold", Text),
    Column("metric", Text, nullable=False),
    Column("noun", Text, nullable=False),
    Column("period", Text, nullable=False),  # '' when unknown
    Column("base_value", Float, nullable=False),
    Column("group_key", BigInteger),
    Column("fact_key", Text),
    Column("is_set", Boolean),
    Column("shown", Text),
    Column("sort_path", PATH),
    Column("ignore", Text),
    Column("frame", Text),  # a fact's original line(s), JSON [[line, offset, text], …] (since 0002)
)
Index("ix_factcheck_claims_article", claims.c.article_id)
# the first statement of a fact in a period, and of a fact in any period: one index seek each
Index("ix_factcheck_claims_fact_period", claims.c.group_key, claims.c.period, claims.c.sort_path,
      sqlite_where=claims.c.group_key.isnot(None), postgresql_where=claims.c.group_key.isnot(None))
Index("ix_factcheck_claims_fact_first", claims.c.group_key, claims.c.sort_path,
      sqlite_where=claims.c.group_key.isnot(None), postgresql_where=claims.c.group_key.isnot(None))
