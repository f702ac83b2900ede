"""An SQLite archive file, looked at read-only before anything opens it for writing (no SQLAlchemy here:
the check path uses it too).

A file that is not an SQLite database, a damaged one, or an SQLite database without factcheck's tables
is an error that names the file; the file is left as it was.
"""

from __future__ import annotations

import os
import sqlite3
import struct
from urllib.parse import quote

from factcheck.archive import ArchiveError
from factcheck.archive.version import TABLES, VERSION_TABLE, known_version

BUSY_TIMEOUT_S = 60.0  # how long a writer waits for another one
SQLITE_HEADER = b"SQLite format 3\x00"


def ro_uri(path: str) -> str:
    """The URI that opens path read-only (SQLite never creates or changes the file through it)."""
    return f"file:{quote(os.path.abspath(path))}?mode=ro"


def sqlite_state(path: str, create: bool) -> str | None:
    """What an SQLite archive file holds, looked at read-only: None (no archive yet: to be created when
    create), else its schema version. Raises ArchiveError for anything that is not a factcheck archive."""
    if not os.path.exists(path):
        if not create:
            raise ArchiveError(f"{path}: no archive there (`factcheck index PATH... --archive {path}` makes one)")
        parent = os.path.dirname(path) or "."
        if not os.path.isdir(parent):
            raise ArchiveError(f"{path}: cannot create the archive: no folder {parent}")
        return None
    if os.path.isdir(path):
        raise ArchiveError(f"{path}: is a folder, not an archive file")
    try:
        with open(path, "rb") as f:
            head = f.read(100)
        size = os.path.getsize(path)
    except OSError as e:
        raise ArchiveError(f"{path}: cannot read: {e.strerror or e}") from None
    if not head:
        if not create:
            raise ArchiveError(f"{path}: empty file, not an archive")
        return None
    if not head.startswith(SQLITE_HEADER) or len(head) < 100:
        raise ArchiveError(f"{path}: not a factcheck archive (not an SQLite database)")
    _check_header(path, head, size)
    try:
        con = sqlite3.connect(ro_uri(path), uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            version = None
            if VERSION_TABLE in tables:
                row = con.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
                version = row[0] if row else None
        finally:
            con.close()
    except sqlite3.DatabaseError as e:
        raise ArchiveError(f"{path}: damaged or not an SQLite database ({e})") from None
    if not tables:
        if not create:
            raise ArchiveError(f"{path}: an empty SQLite database, not an archive")
        return None
    if VERSION_TABLE not in tables or not all(t in tables for t in TABLES):
        shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
        raise ArchiveError(f"{path}: not a factcheck archive (an SQLite database with other tables: {shown})")
    return known_version(path, version)


def _check_header(path: str, head: bytes, size: int) -> None:
    """A file shorter than its header says (a copy cut short) is damaged: SQLite itself would only find
    out when it reads the missing pages."""
    page_size = struct.unpack(">H", head[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise ArchiveError(f"{path}: damaged SQLite database (page size {page_size} in its header)")
    change, pages, valid_for = struct.unpack(">I", head[24:28])[0], struct.unpack(">I", head[28:32])[0], \
        struct.unpack(">I", head[92:96])[0]
    if change == valid_for and pages and pages * page_size > size:
        raise ArchiveError(f"{path}: damaged SQLite database (its header counts {pages * page_size} bytes, "
                           f"the file has {size}: cut short?)")
