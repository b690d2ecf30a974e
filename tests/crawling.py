"""Run the real `scrapy crawl calcio` in a subprocess, as a user or cron would."""

from __future__ import annotations

import ast
import os
import re
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Test-speed settings only: no politeness delay against 127.0.0.1. Everything else
# (spider, middlewares, pipelines, site profiles) is the production code path.
FAST = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "ARCHIVE_EXTRACT_WORKERS": "2",
    "LOG_LEVEL": "INFO",
}


@dataclass
class CrawlRun:
    returncode: int
    log: str
    stats: dict


def scrapy_executable() -> list[str]:
    exe = Path(sys.executable).with_name("scrapy")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "scrapy"]


def run_crawl(sites_toml: Path, db: Path, timeout: float = 240, **settings: str) -> CrawlRun:
    cmd = scrapy_executable() + ["crawl", "calcio", "-a", f"sites={sites_toml}", "-s", f"ARCHIVE_DB={db}"]
    for name, value in {"ARCHIVE_WARC_DIR": str(db.parent / "warc"), **FAST, **settings}.items():
        cmd += ["-s", f"{name}={value}"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env)
    return CrawlRun(proc.returncode, proc.stderr + proc.stdout, parse_stats(proc.stderr))


_STATS = re.compile(r"Dumping Scrapy stats:\n(\{.*?\})\n", re.S)


def parse_stats(log: str) -> dict:
    m = _STATS.search(log)
    if not m:
        return {}
    text = re.sub(r"datetime\.datetime\([^)]*\)", "None", m.group(1))
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return {}


def write_sites(tmp_path: Path, server, name: str) -> Path:
    """A sites file with one minimal entry (name and home URL) for ``server``."""
    path = tmp_path / "sites.toml"
    path.write_text(f'[[site]]\nname = "{name}"\nurl = "{server.base_url}"\n')
    return path


def query(db: Path, sql: str, *params) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def rows(db: Path, table: str = "articles") -> dict[str, dict]:
    """The table's rows by URL."""
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return {r["url"]: dict(r) for r in con.execute(f"select * from {table}")}
    finally:
        con.close()
