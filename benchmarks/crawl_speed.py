"""Crawl throughput: our crawl against a bare Scrapy crawl and a naive inline pipeline.

Serves the article-extraction-benchmark pages (181 real pages, see README.md) from
127.0.0.1 and crawls them three ways, in one run, printing one table:

- ``bare``: Scrapy fetching the pages and doing nothing with them (the floor);
- ``naive``: Scrapy + trafilatura ``bare_extraction(with_metadata=True)`` in the callback +
  one sqlite-utils insert per page (what a first version would do);
- ``calcio``: the real ``scrapy crawl calcio`` (extraction in worker processes, WARC, SQLite).

Each run is a subprocess; wall time and the CPU time of the whole process tree are measured,
and ratios are against ``bare`` in the same run. Politeness is off (no delay, 16 concurrent
requests): this measures our CPU, not the sites' patience.

    .venv/bin/python benchmarks/crawl_speed.py [--data PATH] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "article-extraction"
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
        "-s", "LOG_LEVEL=WARNING", "-s", "ROBOTSTXT_OBEY=False"]

BASELINE_SPIDER = '''
import scrapy, sqlite_utils, trafilatura

class Bench(scrapy.Spider):
    name = "bench"
    custom_settings = {"TELNETCONSOLE_ENABLED": False}

    def __init__(self, start=None, mode="bare", db=None, **kw):
        super().__init__(**kw)
        self.start_urls = [start]
        self.mode = mode
        self.db = sqlite_utils.Database(db) if db else None

    def parse(self, response):
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, self.parse_page)

    def parse_page(self, response):
        if self.mode == "naive":
            doc = trafilatura.bare_extraction(response.text, url=response.url, with_metadata=True, as_dict=True)
            if doc and doc.get("text"):
                self.db["articles"].insert({"url": response.url, "title": doc.get("title"), "text": doc["text"]},
                                           pk="url", replace=True)
'''


def serve(pages: dict[str, bytes]) -> ThreadingHTTPServer:
    index = "".join(f'<a href="/p/{pid}/">{pid}</a>\n' for pid in pages).encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def do_GET(self):
            if self.path == "/":
                status, body = 200, b"<html><body>" + index + b"</body></html>"
            elif self.path.startswith("/p/") and self.path[3:].strip("/") in pages:
                status, body = 200, pages[self.path[3:].strip("/")]
            else:
                status, body = 404, b"not found"
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of the command and its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 3):
        sys.exit(f"{' '.join(cmd[:4])} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _count(db: Path) -> int:
    import sqlite3

    if not db.exists():
        return 0
    con = sqlite3.connect(db)
    try:
        return con.execute("select count(*) from articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="article-extraction-benchmark directory")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    args = parser.parse_args()
    truth = json.loads((args.data / "ground-truth.json").read_text())
    ids = sorted(truth)[: args.limit or None]
    pages = {pid: gzip.decompress((args.data / "html" / f"{pid}.html.gz").read_bytes()) for pid in ids}
    httpd = serve(pages)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    scrapy = [str(Path(sys.executable).with_name("scrapy"))]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        spider = tmp / "bench_spider.py"
        spider.write_text(BASELINE_SPIDER)
        for mode in ("bare", "naive"):
            cmd = scrapy + ["runspider", str(spider), "-a", f"start={base}", "-a", f"mode={mode}",
                            "-a", f"db={tmp / (mode + '.db')}"] + FAST
            results[mode] = timed(cmd, tmp)  # outside the project: plain Scrapy settings
        sites = tmp / "sites.toml"
        sites.write_text(f'[[site]]\nname = "bench"\nurl = "{base}"\narticle_patterns = ["/p/"]\n')
        cmd = scrapy + ["crawl", "calcio", "-a", f"sites={sites}", "-s", f"ARCHIVE_DB={tmp / 'calcio.db'}",
                        "-s", f"ARCHIVE_WARC_DIR={tmp / 'warc'}", "-s", "ARCHIVE_MAX_ARTICLES_PER_SITE=100000"] + FAST
        results["calcio"] = timed(cmd, ROOT)
        stored = {name: _count(tmp / f"{name}.db") for name in results}
    httpd.shutdown()
    n = len(pages)
    bare_wall = results["bare"][0]
    print(f"{n} pages served from 127.0.0.1, {os.cpu_count()} cores")
    print(f"{'crawl':10s} {'wall s':>8s} {'pages/s':>8s} {'CPU s':>8s} {'CPU ms/page':>12s} {'wall × bare':>12s} {'stored':>7s}")
    for name, (wall, cpu) in results.items():
        print(f"{name:10s} {wall:8.2f} {n / wall:8.1f} {cpu:8.2f} {cpu / n * 1000:12.1f} {wall / bare_wall:12.2f} "
              f"{stored[name]:7d}")
    print("wall includes process start-up (about 1-2 s each); calcio also writes WARC and runs migrations")


if __name__ == "__main__":
    main()
