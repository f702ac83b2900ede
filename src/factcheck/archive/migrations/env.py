"""Alembic's environment for the archive: the migrations run on the connection that store.py opened
(config.attributes["connection"]), in its transaction; never from a URL, never with logging set up."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from factcheck.archive.schema import VERSION_TABLE

config = context.config
connection = config.attributes["connection"]
context.configure(connection=connection, version_table=VERSION_TABLE, transactional_ddl=True)
with context.begin_transaction():
    if connection.dialect.name == "postgresql":
        # two factcheck processes upgrading one archive at once: the second waits, then finds it done
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": 0x66616374636B})
    context.run_migrations()
