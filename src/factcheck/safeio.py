"""One input policy for the files factcheck reads besides articles: configuration, baselines, rule
files, the lexicon and the rule cache.

Each is a regular file (a FIFO would block, /dev/zero would never end), read up to a size limit that
is checked on the bytes actually read (a file that grows while it is read, a pipe, a file whose size
the file system misreports), with one clear reason when it cannot be read. Articles have their own
reader (documents.read_document) under the same rules, except that a path named on the command line
may be a pipe (`factcheck <(curl …)`): it is read up to the article limit and refused beyond it.
"""

from __future__ import annotations

import errno
import os
import stat

KiB = 1024
MiB = 1024 * KiB

# the limits, in bytes (README: Reliability)
CONFIG_LIMIT = 1 * MiB  # factcheck.toml, pyproject.toml
BASELINE_LIMIT = 64 * MiB  # a baseline of 300,000 accepted findings
RULE_FILE_LIMIT = 1 * MiB  # one rule file (a rule is a few kilobytes)
LEXICON_LIMIT = 4 * MiB
CACHE_LIMIT = 64 * MiB  # a cached rule set or lexicon (JSON)


class ReadError(Exception):
    """A file that cannot be read under the policy: reason says why (without the path)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _reason(e: OSError, path: str) -> str:
    if isinstance(e, FileNotFoundError):
        if os.path.islink(path):
            return f"broken symbolic link (to {os.readlink(path)})"
        return "no such file"
    if isinstance(e, PermissionError):
        return "permission denied"
    if e.errno == errno.ELOOP:
        return "symbolic link loop"
    if isinstance(e, IsADirectoryError):
        return "is a directory"
    return f"cannot read: {e.strerror or e}"


def read_regular(path, limit: int) -> bytes:
    """The bytes of a regular file of at most limit bytes; ReadError otherwise. Never blocks on a FIFO
    (it is opened without waiting for a writer, then refused)."""
    p = os.fspath(path)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise ReadError(_reason(e, p)) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ReadError("is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise ReadError("not a regular file (a FIFO, socket or device)")
        if st.st_size > limit:
            raise ReadError(f"too large ({st.st_size} bytes; the limit is {limit})")
        chunks = []
        got = 0
        while got <= limit:
            chunk = os.read(fd, min(limit + 1 - got, 1 << 20) or 1)
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        if got > limit:
            raise ReadError(f"too large (more than {limit} bytes)")
        return b"".join(chunks)
    except OSError as e:
        raise ReadError(_reason(e, p)) from None
    finally:
        os.close(fd)


def read_text(path, limit: int) -> str:
    """read_regular, decoded as UTF-8 (a byte-order mark is allowed)."""
    data = read_regular(path, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise ReadError(f"not UTF-8 (invalid byte 0x{data[e.start]:02x} at offset {e.start}, line {line})") from None

