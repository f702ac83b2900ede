"""Atomic file writes: a temporary file in the same folder, then a rename.

A reader never sees a half-written report or baseline, and a failed write leaves the old file as it
was. The new file gets the permissions of the file it replaces, or the usual ones for a new file
(0666 less the umask), not the private 0600 of a temporary file.
"""

from __future__ import annotations

import os
import stat
import tempfile


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_all(f, text) -> None:
    """text is a string (or bytes), or an iterable of them written one after the other (a streamed
    report)."""
    if isinstance(text, (str, bytes)):
        f.write(text)
    else:
        for chunk in text:
            f.write(chunk)


def write_atomic(path: str, text, binary: bool = False) -> None:
    """Write text (str chunks; UTF-8 bytes chunks when binary) to path, atomically where it is a file."""
    if path in ("/dev/null", os.devnull, "-") or (os.path.exists(path) and not os.path.isfile(path)):
        if path == "-":
            import sys

            sys.stdout.flush()
            _write_all(sys.stdout.buffer if binary else sys.stdout, text)
            (sys.stdout.buffer if binary else sys.stdout).flush()
            return
        with open(path, "wb") if binary else open(path, "w", encoding="utf-8") as f:  # a device or a pipe
            _write_all(f, text)
        return
    target = os.path.realpath(path)  # a symlink keeps pointing at the file it named
    folder = os.path.dirname(target)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=".factcheck-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            _write_all(f, text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
