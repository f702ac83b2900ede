"""Helpers of the tests that need a running `factcheck serve` or a real browser (tests/serve, tests/archive,
tests/test_report_html.py).

Server: `python -m factcheck serve --port 0 …` in a process (and process group) of its own, on the
loopback interface; its URL is read from its first line on stderr, and it is stopped with SIGTERM
(SIGKILL after 20 s) with every process it started.

chromium(): Debian's Chromium (the `chromium` package). Without it, or without the playwright package
that drives it, the browser tests skip, except in CI (CI=true, or FACTCHECK_REQUIRE_BROWSER=1 which
.ci/run sets), where they fail: CI must run them.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_000 = SEEDS / "000_3e47b0061565aec6.txt"
URL_LINE = re.compile(r"factcheck serve: (http://127\.0\.0\.1:\d+)/")


def browser_required() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes") or \
        os.environ.get("FACTCHECK_REQUIRE_BROWSER", "").strip() == "1"


def chromium() -> str:
    """The path of Debian's Chromium; skips the test without it (fails in CI)."""
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    why = "headless Chromium is not installed (Debian: apt-get install chromium fonts-noto-cjk)"
    if browser_required():
        pytest.fail(f"{why}; in CI the browser tests fail instead of skipping")
    pytest.skip(why)
    raise AssertionError  # unreachable


def playwright_sync():
    """playwright.sync_api (the test extra); skips without it (fails in CI)."""
    try:
        from playwright import sync_api
    except ImportError:
        why = "the playwright package is not installed (pip install -e '.[test]')"
        if browser_required():
            pytest.fail(f"{why}; in CI the browser tests fail instead of skipping")
        pytest.skip(why)
    return sync_api


class Server:
    """A `factcheck serve` process: .url, .client() (httpx), .stop(); a context manager."""

    def __init__(self, *args: str, log: Path, cwd: Path | str | None = None, env: dict | None = None,
                 timeout: float = 60.0):
        self.cmd = [sys.executable, "-m", "factcheck", "serve", "--port", "0", *args]
        self.log_path = log
        self._log = open(log, "w+b")
        environ = dict(os.environ, **(env or {}))
        environ.pop("FACTCHECK_ARCHIVE", None)
        self.proc = subprocess.Popen(self.cmd, stdout=self._log, stderr=self._log, stdin=subprocess.DEVNULL,
                                     cwd=cwd, env=environ, start_new_session=True)
        self.url = ""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = URL_LINE.search(self.log())
            if m:
                self.url = m.group(1)
                break
            if self.proc.poll() is not None:
                raise AssertionError(f"factcheck serve exited {self.proc.returncode}:\n{self.log()}")
            time.sleep(0.05)
        else:
            self.stop()
            raise AssertionError(f"factcheck serve did not start in {timeout} s:\n{self.log()}")
        import httpx

        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None:
                raise AssertionError(f"factcheck serve exited {self.proc.returncode}:\n{self.log()}")
            time.sleep(0.05)
        self.stop()
        raise AssertionError(f"factcheck serve does not answer /healthz:\n{self.log()}")

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def log(self) -> str:
        return self.log_path.read_bytes().decode("utf-8", "replace")

    def client(self, **kw):
        import httpx

        return httpx.Client(base_url=self.url, timeout=kw.pop("timeout", 60), **kw)

    def processes(self) -> list[int]:
        """The live pids of the server's process group (the main process, its workers, their checkers)."""
        out = []
        for d in Path("/proc").iterdir():
            if d.name.isdigit():
                try:
                    if os.getpgid(int(d.name)) != self.proc.pid:
                        continue
                    state = (d / "stat").read_text().rsplit(")", 1)[1].split()[0]
                except (OSError, IndexError):
                    continue
                if state != "Z":  # a zombie has ended (its parent has not read its status yet)
                    out.append(int(d.name))
        return out

    def leftovers(self, wait: float = 5.0) -> list[int]:
        """The processes of the server's group still alive after it stopped (waiting up to wait seconds)."""
        deadline = time.monotonic() + wait
        while True:
            left = self.processes()
            if not left or time.monotonic() > deadline:
                return left
            time.sleep(0.1)

    def stop(self) -> int | None:
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGTERM)  # as a service manager stops it: the main process only
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self._log.close()
        return self.proc.returncode

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
        for pid in self.leftovers(wait=2.0):  # none (tests check it); never left running after a test
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
