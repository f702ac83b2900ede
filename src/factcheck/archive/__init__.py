"""The claim archive: every indexed article's claims and facts, kept between runs.

`factcheck index PATH... --archive URL` writes it, `factcheck check NEW... --archive URL` compares the
new articles' facts with it (the cross-article rule, conflicts.compare_members, as inside one run),
`factcheck archive stats|search|show` reads it. An archive is an SQLite file (the default) or a
PostgreSQL database shared by a newsroom; both are written through SQLAlchemy Core and versioned by
Alembic migrations that ship in this package.

Modules:
- url.py: archive URLs (a path or postgresql://…), shown with the password masked.
- records.py: one article's row and claim rows, made in a worker (no database code).
- schema.py: the tables (SQLAlchemy Core); migrations/: their versions.
- sql.py: the statements of the check path, compiled per dialect from schema.py and shipped in
  data/archive_sql.json, so that a check does not import SQLAlchemy (0.2 s).
- store.py: opening, validating and upgrading an archive; writing, pruning, stats, search, show.
- indexer.py: `factcheck index`: which files changed, extraction in workers, one transaction per article.
- lookup.py: `factcheck check --archive`: the new facts against the archive, with the DB-API driver.
"""

from __future__ import annotations


class ArchiveError(Exception):
    """An archive that cannot be used: the message names the archive (password masked) and the problem."""
