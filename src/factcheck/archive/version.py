"""The archive's schema versions, known without importing SQLAlchemy (the check path reads them)."""

from __future__ import annotations

from factcheck.archive import ArchiveError

REVISIONS: tuple[str, ...] = ("0001", "0002")  # every schema version, oldest first (a test checks them against Alembic)
HEAD = REVISIONS[-1]  # the newest: what this factcheck writes and reads
VERSION_TABLE = "factcheck_schema_version"
TABLES = ("factcheck_articles", "factcheck_claims")


def known_version(where: str, version: str | None) -> str:
    """The archive's version when this factcheck can read it (after upgrading it, if older)."""
    if version is None:
        raise ArchiveError(f"{where}: damaged archive (no schema version recorded)")
    if version not in REVISIONS:
        raise ArchiveError(f"{where}: the archive has schema version {version}, newer than this factcheck knows "
                           f"(up to {HEAD}): upgrade factcheck to use it")
    return version
