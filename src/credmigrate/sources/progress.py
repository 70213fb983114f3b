"""A one-line progress counter for long scans."""

from __future__ import annotations

import os
import sys
import time


class Progress:
    """A one-line counter on stderr, only on a TTY and never under CI."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty() and not os.environ.get("CI")
        self.commits = self.queued = self.done = 0
        self._last = 0.0

    def blobs_done(self, n: int) -> None:
        self.done += n
        self.show()

    def show(self, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self._last < 0.2):
            return
        self._last = now
        sys.stderr.write(
            f"\rcredmigrate: history: {self.commits} commits, "
            f"{self.done}/{self.queued} blobs scanned "
        )
        sys.stderr.flush()

    def end(self) -> None:
        if self.enabled:
            self.show(force=True)
            sys.stderr.write("\n")
