"""A progress bar on stderr for long runs.

By default it is drawn only when stderr is a terminal and the report goes to a file or is text, and
only once the run has taken longer than `delay` seconds, so short runs print nothing. `--progress`
forces it (shown from the start, also when stderr is not a terminal); `--no-progress` turns it off.
It never writes to stdout, so `--format json` on stdout stays pure JSON.
"""

from __future__ import annotations

import sys
import time

BAR = 24


class Progress:
    def __init__(self, enabled: bool, delay: float = 1.0, total: int | None = None, stream=None,
                 interval: float = 0.1):
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.tty = _isatty(self.stream)
        self.start = time.monotonic()
        self.delay = delay
        self.total = total
        self.interval = interval if self.tty else max(interval, 1.0)  # fewer lines in a log
        self.n = 0
        self.chars = 0
        self.shown = False
        self.last = float("-inf")

    def update(self, result) -> None:
        self.n += 1
        self.chars += getattr(result, "chars", 0) or 0
        if not self.enabled:
            return
        now = time.monotonic()
        done = self.total is not None and self.n >= self.total
        if now - self.start < self.delay or (now - self.last < self.interval and not (done and self.shown)):
            return
        self.last = now
        self.shown = True
        self.stream.write(("\r\033[K" if self.tty else "") + self.line(now) + ("" if self.tty else "\n"))
        self.stream.flush()

    def line(self, now: float | None = None) -> str:
        now = time.monotonic() if now is None else now
        elapsed = max(now - self.start, 1e-9)
        rate = self.chars / elapsed
        speed = f"{rate / 1e6:.2f}M chars/s"
        if self.total:
            frac = min(1.0, self.n / self.total)
            fill = int(round(frac * BAR))
            bar = "#" * fill + "-" * (BAR - fill)
            eta = (elapsed / self.n) * (self.total - self.n) if self.n else 0.0
            return (f"factcheck [{bar}] {self.n}/{self.total} files {frac * 100:3.0f}%  {speed}"
                    f"  {_clock(elapsed)} elapsed, {_clock(eta)} left")
        return f"factcheck: {self.n} files, {self.chars / 1e6:.1f}M chars  {speed}  {_clock(elapsed)} elapsed"

    def close(self) -> None:
        if self.shown and self.tty:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _clock(seconds: float) -> str:
    s = int(seconds + 0.5)
    return f"{s // 60}:{s % 60:02d}"


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
