"""Reading input files: encodings, front matter, one error per unreadable file."""

from __future__ import annotations

import datetime
import fnmatch
import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_INCLUDE = ("*.txt", "*.md", "*.markdown")  # matched in any letter case (ARTICLE.TXT, notes.Md)
MAX_BYTES = 64 * 1024 * 1024
# A news article's longest line is a paragraph (a few thousand characters); a line of over a million
# characters is a dump, a minified file or a blob, not copy to check: it is an input error, not minutes
# of work on text that has no article in it.
MAX_LINE_CHARS = 1024 * 1024
# An article states dozens of figures, a long report a few thousand; a file of more is a table or a data
# dump, and checking it would hold every figure and finding in memory (3 KB each): it is an input error.
MAX_FIGURES = 100_000


@dataclass
class Document:
    """One article: its display path, its text as Python reads it, and metadata."""

    path: str
    text: str
    encoding: str = "utf-8"
    meta: dict = field(default_factory=dict)
    body_start: int = 0  # offset where the article body starts (after front matter)


class InputError(Exception):
    """A file that cannot be read; names the file and the reason."""

    internal: str | None = None  # the traceback of an internal error that this error reports

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def _shown(path: str) -> str:
    from factcheck.display import display_path

    return display_path(path)


def _matches(name: str, patterns) -> bool:
    return any(fnmatch.fnmatch(name, p) for p in patterns)


def _included(name: str, patterns) -> bool:
    """Whether a file found in a folder is read: its name matches an include glob, in any letter case
    (*.md takes README.MD and notes.Md)."""
    low = name.lower()
    return any(fnmatch.fnmatchcase(low, p.lower()) for p in patterns)


def iter_inputs(args, include=DEFAULT_INCLUDE, exclude=()):
    """Yield paths (str) to read, in sorted order, and InputError for paths that cannot be listed.

    Directories are walked recursively (symlinked directories are followed once; a loop is reported).
    """
    include = tuple(include) or DEFAULT_INCLUDE
    for arg in args:
        if arg == "-":
            yield "-"
            continue
        p = Path(arg)
        if not os.path.lexists(p):
            yield InputError(_shown(arg), "no such file or directory")
            continue
        if p.is_dir():
            yield from _walk_dir(p, include, exclude)
        elif _matches(p.name, exclude) or _matches(str(p), exclude):
            continue
        else:
            yield str(p)


def _walk_dir(root: Path, include, exclude):
    seen: set[tuple[int, int]] = set()
    found: list[str] = []
    errors: list[InputError] = []

    def walk(d: Path, pending: list):
        try:
            st = d.stat()
        except OSError as e:
            errors.append(InputError(_shown(str(d)), f"cannot read directory: {e.strerror or e}"))
            return
        key = (st.st_dev, st.st_ino)
        if key in seen:
            errors.append(InputError(_shown(str(d)), "directory symlink loop, skipped"))
            return
        seen.add(key)
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError as e:
            errors.append(InputError(_shown(str(d)), f"cannot list directory: {e.strerror or e}"))
            return
        for entry in entries:
            path = Path(entry.path)
            if exclude:
                rel = str(path.relative_to(root)) if path.is_relative_to(root) else entry.name
                if _matches(entry.name, exclude) or _matches(rel, exclude) or _matches(str(path), exclude):
                    continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if entry.name.startswith("."):
                    continue
                pending.append(path)
            elif _included(entry.name, include):
                # a regular file is known from the listing; anything else is looked at (_special_file)
                if not _is_file(entry) and _special_file(entry.path):
                    errors.append(InputError(_shown(str(path)), "not a regular file (a FIFO, socket or device), skipped"))
                else:
                    found.append(str(path))

    pending = [root]  # a stack, not recursion: a folder tree of any depth is walked
    while pending:
        walk(pending.pop(), pending)
    yield from errors
    yield from sorted(found)


def _is_file(entry) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _special_file(path: str) -> bool:
    """A FIFO, socket or device met in a folder: opening it can block forever (a FIFO with no writer).
    A path named on the command line is read whatever it is (`factcheck <(curl …)` is a pipe)."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False  # a dangling symlink: reading it gives the error


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Bytes to text: UTF-8 (BOM or not), else GB18030; binary and undecodable data are errors."""
    if data.startswith(b"\xef\xbb\xbf"):
        data, enc = data[3:], "utf-8-sig"
        try:
            return data.decode("utf-8"), enc
        except UnicodeDecodeError as e:
            raise InputError(path, f"invalid UTF-8 after BOM at byte {e.start + 3}") from None
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # before UTF-16: FF FE opens both
        try:
            return data.decode("utf-32"), "utf-32"
        except UnicodeDecodeError:
            raise InputError(path, "invalid UTF-32 (it opens with a UTF-32 byte-order mark)") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError(path, "invalid UTF-16") from None
    if b"\x00" in data[:8192]:
        guess = _utf16_without_bom(data)
        if guess:
            raise InputError(path, f"looks like {guess} without a byte-order mark, which is not read: save it as "
                                   "UTF-8 (or UTF-16 with a byte-order mark)")
        raise InputError(path, "binary file (contains NUL bytes), skipped")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    # A UTF-8 file with a few broken bytes is not GB18030 (which decodes almost anything, as mojibake):
    # GB text decoded as UTF-8 gives mostly replacement characters, a damaged UTF-8 file mostly good ones.
    lenient = data.decode("utf-8", "replace")
    bad = lenient.count("\ufffd")
    good = len(lenient) - len(lenient.encode("ascii", "ignore")) - bad
    if good >= 8 and good >= 2 * bad:
        line = data.count(b"\n", 0, utf8_error.start) + 1
        raise InputError(path, f"invalid UTF-8 at byte {utf8_error.start} (line {line}) in a file that is "
                               f"otherwise UTF-8 ({bad} bad byte sequence{'s' if bad != 1 else ''})")
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(path, f"not UTF-8 (invalid byte at offset {utf8_error.start}) and not GB18030") from None
    if not _plausible_chinese(text):
        raise InputError(path, f"not UTF-8 (invalid byte at offset {utf8_error.start}) and not text in GB18030")
    return text, "gb18030"


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16LE or UTF-16BE when data reads as text in it (its NUL bytes all on one side of the code
    units, as ASCII characters put them), else None."""
    sample = data[:8192]
    if len(sample) % 2:
        sample = sample[:-1]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    for enc, nuls, other in (("UTF-16LE", odd, even), ("UTF-16BE", even, odd)):
        if nuls and not other:
            try:
                text = sample.decode(enc.lower())
            except UnicodeDecodeError:
                continue
            if not any(ord(c) < 32 and c not in "\t\n\r\f" for c in text):
                return enc
    return None


def _plausible_chinese(text: str) -> bool:
    """GB18030 decodes almost any byte string; accept it only if it reads as text."""
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return True
    cjk = sum(1 for c in non_ascii if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef")
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f")
    return cjk / len(non_ascii) >= 0.9 and controls <= len(text) // 100


def universal_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _too_large(path: str) -> InputError:
    return InputError(path, f"too large (more than {MAX_BYTES} bytes; the limit is {MAX_BYTES}), skipped")


def _read_stdin() -> bytes:
    stream = sys.stdin
    buffer = getattr(stream, "buffer", None)
    if stream is None or buffer is None:
        raise InputError("<stdin>", "standard input is closed")
    try:
        data = buffer.read(MAX_BYTES + 1)
    except (OSError, ValueError) as e:
        raise InputError("<stdin>", f"cannot read standard input: {getattr(e, 'strerror', None) or e}") from None
    if len(data) > MAX_BYTES:  # the bytes read tell, not a size: a pipe has none
        raise _too_large("<stdin>")
    return data


def read_document(path: str) -> Document:
    """Read one file (or '-' for stdin) into a Document; raises InputError naming the file (as shown:
    display.display_path)."""
    if path == "-":
        data = _read_stdin()
        display = "<stdin>"
    else:
        from factcheck.display import display_path

        display = display_path(path)
        try:
            st = os.stat(path)
            if stat.S_ISDIR(st.st_mode):
                raise InputError(display, "is a directory")
            if st.st_size > MAX_BYTES:
                raise InputError(display, f"file too large ({st.st_size} bytes; limit {MAX_BYTES})")
            with open(path, "rb") as f:  # read-only: input files are never written
                # the size stat saw, and one byte to tell whether there is more (a file that grew, a
                # pipe): a buffer of the limit's size for every file costs more than reading it
                data = f.read(st.st_size + 1)
                if len(data) > st.st_size:
                    data += f.read(MAX_BYTES + 1 - len(data))
                if len(data) > MAX_BYTES:  # a pipe (`<(cat big.txt)`) or a file that grew past the limit
                    raise _too_large(display)
        except InputError:
            raise
        except FileNotFoundError:
            if os.path.islink(path):
                raise InputError(display, f"broken symbolic link (to {display_path(os.readlink(path))})") from None
            raise InputError(display, "no such file (it may have been removed while the run was listing files)") from None
        except PermissionError:
            raise InputError(display, "permission denied") from None
        except OSError as e:
            raise InputError(display, f"cannot read: {e.strerror or e}") from None
    text, enc = decode(data, display)
    text = universal_newlines(text)
    _check_line_length(text, display)
    meta, body_start = front_matter(text, display)
    return Document(display, text, enc, meta, body_start)


def _check_line_length(text: str, path: str) -> None:
    # Linear: from a line start, the last newline within the next MAX_LINE_CHARS + 1 characters starts the
    # next candidate; none there is a line that long. (A regex like [^\n]{N,} rescans each line from every
    # position: quadratic.)
    pos, n = 0, len(text)
    while pos + MAX_LINE_CHARS < n:
        nl = text.rfind("\n", pos, pos + MAX_LINE_CHARS + 1)
        if nl < 0:
            end = text.find("\n", pos)
            length = (n if end < 0 else end) - pos
            line = text.count("\n", 0, pos) + 1
            raise InputError(path, f"line {line} is {length} characters long (limit {MAX_LINE_CHARS}): "
                                   "not an article, skipped")
        pos = nl + 1


META_TYPES = (str, int, float, bool, datetime.date)


def front_matter(text: str, path: str = "") -> tuple[dict, int]:
    """Markdown YAML front matter (`---` … `---`) at the top: its mapping and where the body starts."""
    if not text.startswith("---\n"):
        return {}, 0
    end = text.find("\n---", 3)
    if end < 0:
        return {}, 0
    close = text.find("\n", end + 4)
    body_start = len(text) if close < 0 else close + 1
    import yaml

    try:
        data = yaml.safe_load(text[4:end])
    except (yaml.YAMLError, ValueError):
        return {}, 0
    except (RecursionError, MemoryError):  # fenced YAML nested too deep to read: front matter, no metadata
        return {}, body_start
    if data is None:
        return {}, body_start  # empty front matter: still not part of the body
    if not isinstance(data, dict):
        return {}, 0
    # scalars only: str() of a nested value (or of a billion-laughs alias tree) is no title
    meta = {k: _meta_text(v) for k, v in data.items() if k in ("title", "date", "source") and isinstance(v, META_TYPES)}
    return meta, body_start


def _meta_text(v) -> str:
    """A front-matter value as text: an integer too long for str() (`title: 0x` + 5000 hex digits) in hex."""
    if isinstance(v, int) and not isinstance(v, bool) and v.bit_length() > 10_000:
        return hex(v)
    return str(v)
