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
    try:
        fd, tmp = tempfile.mkstemp(prefix=".factcheck-", suffix=".tmp", dir=folder)
    except OSError as e:  # named by the file asked for, not by the hidden temporary one
        raise OSError(e.errno, e.strerror, path) from None
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


def _identity(path: str) -> tuple:
    """What names one file: its device and inode when it exists (links and other spellings of the same
    file compare equal), else its resolved path."""
    try:
        st = os.stat(path)
        return ("inode", st.st_dev, st.st_ino)
    except OSError:
        return ("path", os.path.realpath(path))


def check_outputs(targets, inputs) -> str | None:
    """The first problem with the files a run is to write, before it starts: targets are (option, path)
    pairs, inputs the paths it reads. An output is never one of the inputs, two outputs never share a
    path, and each output's folder exists. Standard output ("-") and devices (/dev/null) are left alone."""
    seen: dict[tuple, str] = {}
    files = []
    for option, path in targets:
        if not path or path == "-":
            continue
        try:
            st = os.stat(path)
            if stat.S_ISDIR(st.st_mode):
                return f"{option} {_shown(path)}: is a directory"
            if not stat.S_ISREG(st.st_mode):
                continue  # a device or a pipe: written as it is, never an article
        except FileNotFoundError:
            folder = os.path.dirname(path) or "."
            if not os.path.isdir(folder):
                return f"{option} {_shown(path)}: cannot write it, folder {_shown(folder)} does not exist"
        except OSError as e:
            return f"{option} {_shown(path)}: {e.strerror or e}"
        key = _identity(path)
        if key in seen:
            return f"{option} {_shown(path)} is also the file of {seen[key]}: give each output its own file"
        seen[key] = f"{option} {_shown(path)}"
        files.append((option, path, key))
    if not files:
        return None
    wanted = {key: (option, path) for option, path, key in files}
    for name in inputs:
        if name == "-":
            continue
        key = _identity(name)
        if key in wanted:
            option, path = wanted[key]
            return (f"{option} {_shown(path)} is one of the files this run reads ({_shown(name)}): "
                    "an output never replaces an input")
    return None


def _shown(s: str) -> str:
    from factcheck.display import shown

    return shown(s)
