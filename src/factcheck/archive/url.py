"""Archive URLs: an SQLite file (a path, or sqlite:///path) or a PostgreSQL database (postgresql://…).

A URL's password is never shown: `shown` masks it (also a `password=` query parameter), and `scrub`
takes it out of any message built from a driver's error. A password is better kept out of the URL
altogether: PostgreSQL's own PGPASSWORD or ~/.pgpass are read by its driver.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from factcheck.archive import ArchiveError

PG_SCHEMES = {"postgresql": "psycopg2", "postgres": "psycopg2", "postgresql+psycopg2": "psycopg2"}
MASK = "***"


@dataclass(frozen=True)
class ArchiveURL:
    backend: str  # "sqlite" or "postgresql"
    path: str = ""  # the SQLite file
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    host: str | None = None
    port: int | None = None
    database: str | None = None
    query: tuple[tuple[str, str], ...] = ()
    shown: str = ""  # the URL as messages show it: the password masked

    def secrets(self) -> list[str]:
        """The strings a message must not contain."""
        out = []
        for p in (self.password, *(v for k, v in self.query if k == "password")):
            if p:
                out += [p, quote(p, safe=""), quote(p)]
        return sorted(set(out), key=len, reverse=True)

    def scrub(self, text: str) -> str:
        for s in self.secrets():
            text = text.replace(s, MASK)
        return text

    def libpq_dsn(self) -> str:
        """The connection string libpq (psycopg2) reads: a postgresql:// URI with the same parts."""
        auth = ""
        if self.user is not None:
            auth = quote(self.user, safe="")
            if self.password is not None:
                auth += ":" + quote(self.password, safe="")
            auth += "@"
        host = self.host or ""
        if ":" in host:
            host = f"[{host}]"
        hostport = quote(host, safe="[]:") + (f":{self.port}" if self.port else "")
        db = "/" + quote(self.database, safe="") if self.database else ""
        q = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in self.query)
        return f"postgresql://{auth}{hostport}{db}" + (f"?{q}" if q else "")


def parse(value: str, base_dir: str | None = None) -> ArchiveURL:
    """An archive URL as given on the command line or in the configuration (base_dir: the folder a
    relative SQLite path in a configuration file is relative to)."""
    value = (value or "").strip()
    if not value:
        raise ArchiveError("the archive URL is empty")
    if "://" not in value:
        return _sqlite(value, base_dir)
    scheme = value.split("://", 1)[0].lower()
    if scheme == "sqlite":
        rest = value[len("sqlite://"):]
        if not rest.startswith("/") or rest == "/":
            raise ArchiveError(f"{value}: an SQLite archive URL is sqlite:///relative/path or sqlite:////absolute/path")
        return _sqlite(rest[1:], base_dir)
    if scheme in PG_SCHEMES:
        return _postgresql(value)
    shown = _mask_any(value)
    raise ArchiveError(f"{shown}: unsupported archive URL (an SQLite file path, sqlite:///path or postgresql://…)")


def _sqlite(path: str, base_dir: str | None) -> ArchiveURL:
    if path in (":memory:", ""):
        raise ArchiveError("an in-memory SQLite database cannot be an archive: give a file")
    if base_dir and not os.path.isabs(path):
        path = os.path.join(base_dir, path)
    path = os.path.normpath(path)
    return ArchiveURL("sqlite", path=path, shown=path)


def _postgresql(value: str) -> ArchiveURL:
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as e:
        raise ArchiveError(f"{_mask_any(value)}: not a valid PostgreSQL URL ({_mask_any(str(e))})") from None
    password = unquote(parts.password) if parts.password is not None else None
    user = unquote(parts.username) if parts.username is not None else None
    host = unquote(parts.hostname) if parts.hostname else None
    database = unquote(parts.path[1:]) if parts.path.startswith("/") and len(parts.path) > 1 else None
    try:
        query = tuple(parse_qsl(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query)))
    except ValueError:
        raise ArchiveError(f"{_mask_any(value)}: not a valid PostgreSQL URL (bad query string)") from None
    url = ArchiveURL("postgresql", user=user, password=password, host=host, port=port, database=database,
                     query=query)
    return ArchiveURL("postgresql", user=user, password=password, host=host, port=port, database=database,
                      query=query, shown=_shown(url))


def _shown(u: ArchiveURL) -> str:
    auth = ""
    if u.user is not None:
        auth = quote(u.user, safe="") + (f":{MASK}" if u.password is not None else "") + "@"
    host = u.host or ""
    if ":" in host:
        host = f"[{host}]"
    hostport = host + (f":{u.port}" if u.port else "")
    db = "/" + u.database if u.database else ""
    q = "&".join(f"{k}={MASK if k == 'password' else v}" for k, v in u.query)
    return f"postgresql://{auth}{hostport}{db}" + (f"?{q}" if q else "")


def _mask_any(value: str) -> str:
    """A URL that could not be parsed, shown without what may be its password (user:password@)."""
    head, sep, rest = value.partition("://")
    if not sep:
        return value
    netloc, slash, tail = rest.partition("/")
    if "@" in netloc:
        cred, _, host = netloc.rpartition("@")
        user = cred.split(":", 1)[0]
        netloc = f"{user}:{MASK}@{host}" if ":" in cred else f"{user}@{host}"
    tail = "&".join((k + "=" + MASK) if k.lower().endswith("password") else (k + ("=" + v if e else ""))
                    for k, e, v in (p.partition("=") for p in tail.split("&"))) if "password" in tail.lower() else tail
    return f"{head}://{netloc}{slash}{tail}"
