"""One writer at a time: a crawl holds an exclusive lock next to the archive file."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class AlreadyRunning(RuntimeError):
    """Another process holds the archive's crawl lock."""


class CrawlLock:
    """``with CrawlLock(db_path):`` — raises AlreadyRunning at once if another run holds it.

    The lock is an ``flock`` on ``<db>.lock``: the kernel releases it when the holder dies,
    so a killed crawl never leaves a stale lock behind."""

    def __init__(self, db_path: str | Path):
        self.path = Path(f"{db_path}.lock")
        self._fd: int | None = None

    def __enter__(self) -> "CrawlLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "ignore").strip() or "?"
            os.close(fd)
            raise AlreadyRunning(
                f"another crawl (pid {holder}) is writing {str(self.path)[:-5]}; not starting a second one"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
