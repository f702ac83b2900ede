"""The Starlette application of `factcheck serve` (uvicorn runs it: create_app is its factory).

Every answer is JSON, errors too ({"error": {"status", "code", "message"}}), and none carries a
traceback: an internal error is logged by the server and answered 500 with a one-line message.
A request's time limit runs from its arrival: reading its body, waiting for a free checking process,
and the check (checker.py). The body's size is limited before it is read (Content-Length)
and while it is read (a chunked body). The bearer token, when the server has one, is checked before
the body is read.
"""

from __future__ import annotations

import asyncio
import gc
import hmac
import logging
import os
from importlib import resources

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from factcheck import __version__, build
from factcheck.serve.checker import CheckerDied, CheckTimeout, Pool, error_body
from factcheck.serve.inputs import RequestError, parse_body
from factcheck.serve.settings import Settings, read_token

log = logging.getLogger("factcheck.serve")

JSON = "application/json"
# the editors' page: its own script and style only, the API on the same origin, nothing else
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
            "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
PAGE_HEADERS = {"Content-Security-Policy": PAGE_CSP, "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache", "X-Frame-Options": "DENY"}
API_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}
STATIC = {"editor.js": "text/javascript; charset=utf-8", "editor.css": "text/css; charset=utf-8"}
REASONS = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
           413: "payload_too_large", 415: "unsupported_media_type", 422: "invalid_request", 500: "internal_error",
           503: "unavailable"}


def error(status: int, code: str, message: str, headers: dict | None = None) -> Response:
    return Response(error_body(status, code, message), status, headers={**API_HEADERS, **(headers or {})},
                    media_type=JSON)


def _asset(name: str) -> bytes:
    return resources.files("factcheck.serve").joinpath("static", name).read_bytes()


class Service:
    """The server's state: settings, the engine (rules and lexicon, loaded once), its checking processes."""

    def __init__(self, settings: Settings):
        from factcheck.serve.engine import Engine

        self.settings = settings
        self.engine = Engine(settings)
        self.token = read_token(settings.token_file) if settings.token_file else None
        self.checker = Pool(self.engine, settings.workers)
        self.page = _asset("index.html")
        self.assets = {name: _asset(name) for name in STATIC}
        self._openapi: bytes | None = None
        self.under_way = 0  # requests being read, waiting for a checking process or checked
        self.max_under_way = settings.max_queue or 100 * max(1, settings.workers)

    # -- limits

    def authorized(self, request: Request) -> Response | None:
        """None, or the 401 answer of a request without the server's bearer token."""
        if self.token is None:
            return None
        got = request.headers.get("authorization", "")
        scheme, _, value = got.partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), self.token.encode()):
            return None
        why = "a bearer token is required (Authorization: Bearer …)" if not got else "the bearer token is not valid"
        return error(401, "unauthorized", why, {"WWW-Authenticate": 'Bearer realm="factcheck"'})

    async def body(self, request: Request, deadline: float) -> bytes:
        limit = self.settings.max_body
        declared = request.headers.get("content-length")
        if declared is not None:
            if not declared.isdigit():
                raise RequestError(400, "bad_request", "Content-Length is not a number")
            if int(declared) > limit:
                raise RequestError(413, "payload_too_large", f"the body is {int(declared)} bytes; the limit is "
                                   f"{limit} bytes (factcheck serve --max-body)")

        async def read() -> bytes:
            chunks, size = [], 0
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise RequestError(413, "payload_too_large", f"the body is more than {limit} bytes, the "
                                       "limit (factcheck serve --max-body)")
                chunks.append(chunk)
            return b"".join(chunks)

        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(read(), max(0.0, deadline - loop.time()))
        except asyncio.TimeoutError:
            raise CheckTimeout() from None

    # -- routes

    async def check(self, request: Request) -> Response:
        return await self._run("check", request)

    async def index(self, request: Request) -> Response:
        if not self.settings.archive:
            return error(404, "no_archive", "this server has no claim archive (factcheck serve --archive URL "
                                            "--allow-index)")
        if not self.settings.allow_index:
            return error(403, "index_not_allowed", "this server does not add articles to its archive "
                                                   "(factcheck serve --allow-index)")
        return await self._run("index", request)

    async def _run(self, op: str, request: Request) -> Response:
        denied = self.authorized(request)
        if denied is not None:
            return denied
        if self.under_way >= self.max_under_way:  # each may hold a body of --max-body: memory stays bounded
            return error(503, "busy", f"the server has {self.under_way} requests under way, its limit "
                                      "(factcheck serve --max-queue): try again shortly", {"Retry-After": "1"})
        self.under_way += 1
        try:
            return await self._answer(op, request)
        finally:
            self.under_way -= 1

    async def _answer(self, op: str, request: Request) -> Response:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.timeout
        try:
            body = await self.body(request, deadline)
            art = parse_body(request.headers.get("content-type"), body, list(request.query_params.multi_items()),
                             require_path=op == "index")
            self.engine.validate(art)
            status, out = await self.checker.call(op, art, deadline)
        except RequestError as e:
            return error(e.status, e.code, e.message)
        except CheckTimeout:
            return error(503, "time_limit", f"the request took longer than the time limit of "
                                            f"{self.settings.timeout:g} s (factcheck serve --timeout)")
        except CheckerDied:
            return error(500, "internal_error", "the checking process died during this check (the server's log "
                                                "has the details); it has been replaced")
        return Response(out, status, headers=API_HEADERS, media_type=JSON)

    async def healthz(self, request: Request) -> Response:
        import orjson

        return Response(orjson.dumps({
            "status": "ok", "version": __version__, "build": build(), "pid": os.getpid(),
            "rules": [{"id": r.id, "name": r.name, "severity": r.severity} for r in self.engine.rules],
            "archive": bool(self.settings.archive), "index": bool(self.settings.archive and self.settings.allow_index),
            "token": self.token is not None, "max_body": self.settings.max_body, "timeout": self.settings.timeout,
            "under_way": self.under_way, "max_queue": self.max_under_way,
            "workers": len(self.checker.checkers), "checker_restarts": self.checker.restarts}),
            headers=API_HEADERS, media_type=JSON)

    async def openapi(self, request: Request) -> Response:
        if self._openapi is None:
            import orjson

            from factcheck.serve.openapi import document

            self._openapi = orjson.dumps(document(self.settings), option=orjson.OPT_INDENT_2)
        return Response(self._openapi, headers={"X-Content-Type-Options": "nosniff"}, media_type=JSON)

    async def home(self, request: Request) -> Response:
        return Response(self.page, headers=PAGE_HEADERS, media_type="text/html; charset=utf-8")

    async def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in self.assets:
            return error(404, "not_found", f"no such file: /static/{name}")
        return Response(self.assets[name], headers=PAGE_HEADERS, media_type=STATIC[name])


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = REASONS.get(exc.status_code, "error")
    message = {404: f"no such endpoint: {request.url.path} (GET /openapi.json describes the API)",
               405: f"{request.method} is not allowed on {request.url.path}"}.get(exc.status_code, str(exc.detail))
    return error(exc.status_code, code, message, dict(exc.headers or {}))


async def _internal_error(request: Request, exc: Exception) -> Response:
    log.exception("internal error on %s %s", request.method, request.url.path)
    return error(500, "internal_error", f"internal error: {type(exc).__name__} (the server's log has the details)")


def create_app(settings: Settings | None = None) -> Starlette:
    """The application (uvicorn calls this: the settings are in the environment). The rules and the
    lexicon are loaded here, once, before the server accepts a connection."""
    from contextlib import asynccontextmanager

    service = Service(settings or Settings.from_env())
    service.engine.warm()
    # what is loaded now lives as long as the server: out of the cycle collector's reach, so that its
    # passes during a check walk only the check's own objects (and the forked checking processes share
    # these pages instead of copying them when a pass would touch them)
    gc.collect()
    gc.freeze()

    @asynccontextmanager
    async def lifespan(app):
        await service.checker.start()
        try:
            yield
        finally:
            await service.checker.close()

    routes = [
        Route("/", service.home, methods=["GET"]),
        Route("/static/{name}", service.static, methods=["GET"]),
        Route("/healthz", service.healthz, methods=["GET"]),
        Route("/openapi.json", service.openapi, methods=["GET"]),
        Route("/v1/check", service.check, methods=["POST"]),
        Route("/v1/index", service.index, methods=["POST"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={HTTPException: _http_error, Exception: _internal_error})
    app.state.service = service
    return app
