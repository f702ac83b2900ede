"""The processes the server checks articles in.

A check is CPU work in Python (and in compiled code): inside the process that runs it, nothing can stop
it at a deadline. So the server forks --workers checking processes when it starts (after loading the
rules, which they share), sends each one article at a time over a socket pair, and waits for the answer
with the request's time limit. A check that overruns the limit, or a process that dies (a crash, the
OOM killer), costs only that process: it is killed and a new one is forked for the next request, which
takes milliseconds. The server's event loop never runs a check, so it keeps answering /healthz,
refusing bodies that are too large and so on while checks run.

One event loop takes every request and queues them for the checking processes in arrival order. (With
uvicorn's own worker processes instead, each connection stays with the worker that accepted it, and
with keep-alive connections one worker's queue can be longer than another's while the other idles.)
The server's process never starts a thread (no threaded endpoints, no thread pool), so forking it is
safe.
Frames on the socket: a 4-byte big-endian length, then to the child the JSON of {"op", "article"}, back
a 2-byte HTTP status and the answer's JSON body as it is (no pickle: nothing that runs code when read).
"""

from __future__ import annotations

import asyncio
import collections
import logging
import os
import signal
import socket
import struct
import traceback

log = logging.getLogger("factcheck.serve")
_LEN = struct.Struct(">I")
_STATUS = struct.Struct(">H")


class CheckTimeout(Exception):
    """The request's time limit passed (waiting for the checking process, or in the check)."""


class CheckerDied(Exception):
    """The checking process died during a check."""


def error_body(status: int, code: str, message: str) -> bytes:
    import orjson

    return orjson.dumps({"error": {"status": status, "code": code, "message": message}})


def _recv_exact(sock: socket.socket, n: int) -> bytes | None:
    buf = bytearray()
    while len(buf) < n:
        got = sock.recv(n - len(buf))
        if not got:
            return None
        buf += got
    return bytes(buf)


def _child_main(sock: socket.socket, engine) -> None:
    """The checking process: answer requests until the worker closes its end of the socket."""
    # the worker's signal handling is its own (uvicorn's, its event loop's wake-up socket): Ctrl-C reaches
    # the whole process group, and the worker ends this process by closing the socket or by SIGKILL
    try:
        signal.set_wakeup_fd(-1)
    except (ValueError, OSError):
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    import orjson

    from factcheck.serve.inputs import Article, RequestError

    while True:
        header = _recv_exact(sock, _LEN.size)
        if header is None:
            break
        payload = _recv_exact(sock, _LEN.unpack(header)[0])
        if payload is None:
            break
        msg = orjson.loads(payload)
        op, art = msg["op"], Article.from_dict(msg["article"])
        try:
            if op == "check":
                status, body = 200, engine.check(art)
            elif op == "index":
                status, body = 200, orjson.dumps(engine.index(art))
            else:
                status, body = 500, error_body(500, "internal_error", f"unknown operation {op!r}")
        except RequestError as e:
            status, body = e.status, error_body(e.status, e.code, e.message)
        except Exception as e:
            log.error("internal error while checking %s:\n%s", getattr(art, "path", "?"), traceback.format_exc())
            status, body = 500, error_body(500, "internal_error", f"internal error: {type(e).__name__} "
                                           "(the server's log has the details)")
        try:
            sock.sendall(_LEN.pack(_STATUS.size + len(body)) + _STATUS.pack(status) + body)
        except OSError:
            break
    engine.close()


class Checker:
    """One checking process (forked from the server's process, sharing its loaded rules), used by one
    request at a time: the pool hands it out."""

    def __init__(self, engine):
        self.engine = engine
        self._pid: int | None = None
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self.restarts = 0

    @property
    def pid(self) -> int | None:
        return self._pid

    @property
    def alive(self) -> bool:
        if self._pid is None:
            return False
        try:
            pid, _ = os.waitpid(self._pid, os.WNOHANG)
        except ChildProcessError:
            pid = self._pid
        if pid:  # it ended (and is reaped now)
            self._kill()
            return False
        return True

    async def start(self) -> None:
        parent, child = socket.socketpair()
        keep = child.fileno()
        pid = os.fork()
        if pid == 0:  # the checking process
            code = 1
            try:
                parent.detach()
                # nothing of the server's but its standard streams: a copy of a client's connection, of the
                # listening socket or of a sibling's socket held here would keep them open after the server
                # closes them
                os.closerange(3, keep)
                os.closerange(keep + 1, _max_fd())
                _child_main(child, self.engine)
                code = 0
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(code)
        child.close()
        self._pid = pid
        self._reader, self._writer = await asyncio.open_unix_connection(sock=parent, limit=2 ** 20)

    def _kill(self) -> None:
        """End the checking process now (its check overran, it died, or it is in an unknown state)."""
        pid, writer = self._pid, self._writer
        self._pid = self._reader = self._writer = None
        if writer is not None:
            writer.close()
        if pid is not None:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)  # SIGKILL: reaped at once, never a zombie left behind
            except (ProcessLookupError, ChildProcessError):
                pass
            self.restarts += 1

    async def call(self, op: str, art, deadline: float) -> tuple[int, bytes]:
        """(status, JSON body) of op on art; CheckTimeout once the loop's clock passes deadline."""
        loop = asyncio.get_running_loop()
        if not self.alive:
            await self.start()
        import orjson

        payload = orjson.dumps({"op": op, "article": art.as_dict()})
        assert self._writer is not None
        self._writer.write(_LEN.pack(len(payload)) + payload)
        done = False
        try:
            answer = await asyncio.wait_for(self._answer(), max(0.0, deadline - loop.time()))
            done = True
            return answer
        except asyncio.TimeoutError:
            log.warning("the check of %s overran the time limit: its process is replaced", getattr(art, "path", "?"))
            raise CheckTimeout() from None
        except (asyncio.IncompleteReadError, ConnectionError) as e:
            log.error("the checking process died while checking %s (%s): it is replaced",
                      getattr(art, "path", "?"), type(e).__name__)
            raise CheckerDied() from None
        finally:
            if not done:  # an answer may still come on the socket: the process cannot be used again
                self._kill()

    async def _answer(self) -> tuple[int, bytes]:
        assert self._reader is not None
        header = await self._reader.readexactly(_LEN.size)
        data = await self._reader.readexactly(_LEN.unpack(header)[0])
        return _STATUS.unpack_from(data)[0], data[_STATUS.size:]

    async def close(self) -> None:
        pid, writer = self._pid, self._writer
        self._pid = self._reader = self._writer = None
        if writer is not None:
            writer.close()  # the child reads the end of its socket and exits
        if pid is None:
            return
        for _ in range(50):
            try:
                if os.waitpid(pid, os.WNOHANG)[0]:
                    return
            except ChildProcessError:
                return
            await asyncio.sleep(0.02)
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


class Pool:
    """The server's checking processes (--workers of them) and the requests waiting for one: a request
    takes the first free process, or waits in arrival order (one queue for all connections, so no client
    waits behind a longer queue than another's)."""

    def __init__(self, engine, size: int):
        self.checkers = [Checker(engine) for _ in range(max(1, size))]
        self._free: list[Checker] = []
        self._waiting: collections.deque[asyncio.Future] = collections.deque()

    @property
    def restarts(self) -> int:
        return sum(c.restarts for c in self.checkers)

    async def start(self) -> None:
        for c in self.checkers:
            await c.start()
        self._free = list(self.checkers)

    async def close(self) -> None:
        await asyncio.gather(*(c.close() for c in self.checkers))

    def _release(self, checker: Checker) -> None:
        while self._waiting:
            fut = self._waiting.popleft()
            if not fut.done():
                fut.set_result(checker)
                return
        self._free.append(checker)

    async def _acquire(self, deadline: float) -> Checker:
        if self._free and not self._waiting:
            return self._free.pop()
        loop = asyncio.get_running_loop()
        fut: asyncio.Future = loop.create_future()
        self._waiting.append(fut)
        try:
            return await asyncio.wait_for(asyncio.shield(fut), max(0.0, deadline - loop.time()))
        except BaseException as e:  # the time limit, or the request cancelled: give back what came meanwhile
            if fut.done() and not fut.cancelled():
                self._release(fut.result())
            else:
                fut.cancel()
            if isinstance(e, asyncio.TimeoutError):
                raise CheckTimeout() from None
            raise

    async def call(self, op: str, art, deadline: float) -> tuple[int, bytes]:
        checker = await self._acquire(deadline)
        try:
            return await checker.call(op, art, deadline)
        finally:
            self._release(checker)


def _max_fd() -> int:
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        return soft if 0 < soft < 1 << 20 else 1 << 16
    except (ImportError, ValueError, OSError):
        return 1 << 16
