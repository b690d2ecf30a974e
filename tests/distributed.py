"""Run real crawl workers (`scrapy crawl calcio -s ARCHIVE_FRONTIER=...`) and the real
`calcio-archive ingest` in subprocesses, as machines of a distributed crawl would."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.crawling import FAST, ROOT, parse_stats, scrapy_executable


class Proc:
    def __init__(self, cmd: list[str], log: Path):
        self.log_path = log
        self._out = open(log, "w")
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=self._out, stderr=subprocess.STDOUT,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1"})

    @property
    def pid(self) -> int:
        return self.proc.pid

    def wait(self, timeout: float = 120) -> int:
        try:
            return self.proc.wait(timeout)
        finally:
            self._out.flush()

    def kill(self) -> None:
        """SIGKILL: no chance to clean up, as when a machine dies."""
        self.proc.kill()
        self.proc.wait()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.kill()
        self._out.close()

    @property
    def log(self) -> str:
        if not self._out.closed:
            self._out.flush()
        return self.log_path.read_text(errors="replace")

    @property
    def stats(self) -> dict:
        return parse_stats(self.log)


def worker(tmp: Path, name: str, sites_toml: Path, frontier: str, **settings: str) -> Proc:
    cmd = scrapy_executable() + ["crawl", "calcio", "-a", f"sites={sites_toml}"]
    # a machine of its own: its own WARC directory, no archive file
    base = {"ARCHIVE_FRONTIER": frontier, "ARCHIVE_WARC_DIR": str(tmp / f"warc-{name}"),
            "ARCHIVE_DB": str(tmp / f"unused-{name}.db"), "ARCHIVE_FRONTIER_LEASE": "2", **FAST,
            "ARCHIVE_EXTRACT_WORKERS": "1"}
    for key, value in {**base, **settings}.items():
        cmd += ["-s", f"{key}={value}"]
    return Proc(cmd, tmp / f"{name}.log")


def ingest(tmp: Path, db: Path, frontier: str, name: str = "ingest", until_idle: bool = True) -> Proc:
    exe = Path(sys.executable).with_name("calcio-archive")
    cmd = [str(exe), "ingest", "--redis", frontier, "--db", str(db)] + (["--until-idle"] if until_idle else [])
    return Proc(cmd, tmp / f"{name}.log")


def wait_for(condition, timeout: float = 60, every: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not reached")
        time.sleep(every)


def joined(proc: Proc, timeout: float = 60) -> None:
    """Wait until a worker has joined the frontier (the ingest's --until-idle counts it then)."""
    wait_for(lambda: "Frontier redis://" in proc.log or proc.proc.poll() is not None, timeout, every=0.1)
