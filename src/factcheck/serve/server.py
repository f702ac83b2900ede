"""Starting the server: everything that can be wrong is found before uvicorn starts (the rules, the
archive, the token file, the address), so `factcheck serve` fails with one line and exit 2, never
with a traceback. uvicorn then runs the application (app.create_app), which loads the rules once and
forks --workers checking processes (checker.py)."""

from __future__ import annotations

import copy
import os
import socket
import stat
import sys

from factcheck.serve.settings import ENV, Settings, read_token


class StartError(Exception):
    """The server cannot start: the message says why."""


def prepare(settings: Settings) -> tuple[Settings, list[str]]:
    """Check the settings before the server starts: (settings with the port chosen when 0, warnings).
    Raises StartError."""
    warnings: list[str] = []
    from factcheck.rules.loader import RuleError, rules_for_run

    try:
        rules_for_run(tuple(settings.rules))
    except RuleError as e:
        raise StartError(f"bad rule file: {e}") from None
    if settings.allow_index and not settings.archive:
        raise StartError("--allow-index adds articles to the claim archive: give it with --archive URL")
    if settings.archive:
        _check_archive(settings)
    if settings.token_file:
        try:
            read_token(settings.token_file)
            mode = os.stat(settings.token_file).st_mode
        except OSError as e:
            raise StartError(f"cannot read the token file {settings.token_file}: {e.strerror or e}") from None
        except ValueError as e:
            raise StartError(f"{settings.token_file}: {e}") from None
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            warnings.append(f"the token file {settings.token_file} can be read by other users (chmod 600 it)")
    elif not _loopback(settings.host):
        warnings.append(f"listening on {settings.host} without a token: anyone who reaches the port can use the "
                        "server (give --token-file, or put it behind a proxy that authenticates)")
    port = _check_address(settings.host, settings.port)
    if port != settings.port:
        from dataclasses import replace

        settings = replace(settings, port=port)
    return settings, warnings


def _check_archive(settings: Settings) -> None:
    """The archive can be opened (and is upgraded); with --allow-index it is made when there is none."""
    from factcheck.archive import ArchiveError
    from factcheck.archive.url import parse

    value = settings.archive or ""
    try:
        url = parse(value)
        if settings.allow_index:
            from factcheck.archive.store import open_store

            open_store(url, create=True).close()
        else:
            from factcheck.archive.lookup import _open

            _open(url).close()
    except ArchiveError as e:
        raise StartError(str(e)) from None
    except Exception as e:  # a driver's error that the archive code did not word
        from factcheck.archive.url import parse as parse_url

        try:
            shown = parse_url(value)
            msg = shown.scrub(f"{shown.shown}: cannot open the archive: {type(e).__name__}: {e}")
        except ArchiveError:
            msg = f"cannot open the archive: {type(e).__name__}"
        raise StartError(" ".join(msg.split())) from None


def _loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")


def _check_address(host: str, port: int) -> int:
    """The port the server will listen on (a free one for 0); StartError when it cannot listen there."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, port))
            return s.getsockname()[1]
    except socket.gaierror as e:
        raise StartError(f"cannot listen on {host}: {e.strerror or e}") from None
    except OSError as e:
        raise StartError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None


def log_config(access_log: bool) -> dict:
    """uvicorn's logging, with factcheck's own messages (a check past the time limit, an internal error's
    traceback) in the same format."""
    from uvicorn.config import LOGGING_CONFIG

    cfg = copy.deepcopy(LOGGING_CONFIG)
    cfg["loggers"]["factcheck.serve"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return cfg


def run(settings: Settings) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM: the requests under way are finished first)."""
    import uvicorn

    os.environ[ENV] = settings.to_env()  # for create_app, which uvicorn calls
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    print(f"factcheck serve: http://{host}:{settings.port}/ ({settings.workers} worker"
          f"{'s' if settings.workers != 1 else ''}; archive: {'yes' if settings.archive else 'no'}"
          f"{', indexing allowed' if settings.allow_index else ''}; token: {'yes' if settings.token_file else 'no'})",
          file=sys.stderr, flush=True)
    # one uvicorn process (its event loop reads every request) and settings.workers checking processes
    # (checker.py): one queue for all requests, where uvicorn's workers would each keep their connections
    uvicorn.run("factcheck.serve.app:create_app", factory=True, host=settings.host, port=settings.port,
                workers=1, access_log=settings.access_log, log_config=log_config(settings.access_log),
                server_header=False, timeout_graceful_shutdown=max(5, int(settings.timeout) + 1))
