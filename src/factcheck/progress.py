"""A progress bar on stderr for long runs (only on a terminal, never in JSON)."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, enabled: bool, delay: float = 1.0):
        self.enabled = enabled
        self.start = time.monotonic()
        self.delay = delay
        self.n = 0
        self.chars = 0
        self.shown = False
        self.last = 0.0

    def update(self, result) -> None:
        self.n += 1
        self.chars += result.chars
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.start < self.delay or now - self.last < 0.1:
            return
        self.last = now
        self.shown = True
        rate = self.chars / max(now - self.start, 1e-9)
        sys.stderr.write(f"\rfactcheck: {self.n} files, {self.chars / 1e6:.1f}M chars ({rate / 1e6:.2f}M chars/s)")
        sys.stderr.flush()

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
