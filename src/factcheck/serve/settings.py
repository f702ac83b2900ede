"""The server's settings: made by `factcheck serve` from its options, checked before the server starts,
and handed in the environment to the application factory that uvicorn calls (app.create_app)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

ENV = "FACTCHECK_SERVE_SETTINGS"
DEFAULT_MAX_BODY = 1024 * 1024  # 1 MB: an article is a few thousand characters
DEFAULT_TIMEOUT = 10.0  # seconds: a 3,000-character article takes milliseconds, a 1 MB one about a second


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1  # checking processes
    archive: str | None = None  # an SQLite file or postgresql://… (never shown with its password)
    rules: tuple[str, ...] = ()  # extra folders of rule files
    allow_index: bool = False
    token_file: str | None = None
    max_body: int = DEFAULT_MAX_BODY
    timeout: float = DEFAULT_TIMEOUT
    max_queue: int = 0  # requests under way at most (0: 100 per checking process); more get 503 at once
    approx_tolerance: str = "0.05"
    access_log: bool = True

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> Settings:
        raw = os.environ.get(ENV)
        if not raw:
            return cls()
        data = json.loads(raw)
        data["rules"] = tuple(data.get("rules") or ())
        return cls(**data)


def read_token(path: str) -> str:
    """The bearer token in a file: its first line, without surrounding whitespace. Raises ValueError
    (an empty file, or a token with spaces or control characters) or OSError."""
    with open(path, encoding="utf-8") as f:
        line = f.readline(4097)
    token = line.strip()
    if not token:
        raise ValueError("the token file is empty")
    if len(token) > 4096 or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in token):
        raise ValueError("the token must be one line of at most 4096 characters, with no spaces")
    if len(token) < 16:
        raise ValueError("the token is shorter than 16 characters: use a long random one "
                         "(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')")
    return token
