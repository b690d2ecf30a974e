"""Distributed crawl throughput: pages/s with 1, 2 and 4 workers against one plain crawl.

A latency-bound crawl: many small news sites, each on its own loopback address
(127.0.0.2, 127.0.0.3, ... so that each is its own Scrapy slot, as distinct hosts are),
every response delayed ~200 ms like a distant server. The politeness settings are the
project's per-site limits (2 concurrent requests per site, here without a delay), so one
process is bound by ``CONCURRENT_REQUESTS`` in flight (4 here, one "machine"); more workers
keep more requests in flight, within the same per-site limits (shared in Redis).

Each configuration runs from scratch (new archive, new redis-server) and is timed from the
start of the crawl processes until the archive holds every page (for the workers: until
``calcio-archive ingest --until-idle`` has written the last result). One table, one run:

    .venv/bin/python benchmarks/distributed_speed.py [--sites 24] [--articles 30] [--latency 0.2]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.redisserver import RedisServer  # noqa: E402  (a real redis-server on a free port)

# One process stands for one machine: CONCURRENT_REQUESTS (4 here, 16 by default) is what one
# machine keeps in flight. On the 2 shared cores of the test machine a larger value makes every
# configuration CPU-bound, which says nothing about latency.
SETTINGS = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "LOG_LEVEL": "WARNING",
            "CONCURRENT_REQUESTS": "4", "ARCHIVE_EXTRACT_WORKERS": "1", "ARCHIVE_FRONTIER_LEASE": "10"}
WORDS = ("la squadra ha giocato una partita intensa davanti al pubblico dello stadio e l'allenatore "
         "ha parlato a lungo della classifica del campionato dei prossimi impegni e del mercato").split()


def article_html(site: int, n: int) -> bytes:
    paras = "".join(
        f"<p>{' '.join(WORDS[(site + n + i + j) % len(WORDS)] for j in range(45)).capitalize()}.</p>" for i in range(6)
    )
    return (f"""<!doctype html><html lang="it"><head><meta charset="utf-8"><title>Notizia {n} del sito {site}</title>
<script type="application/ld+json">{{"@type":"NewsArticle","headline":"Notizia {n} del sito {site}",
"datePublished":"2026-11-{1 + n % 28:02d}T10:00:00+01:00","author":{{"@type":"Person","name":"Mario Rossi"}}}}</script>
</head><body><header><a href="/">Home</a></header><article><h1>Notizia {n} del sito {site}</h1>{paras}</article>
</body></html>""").encode()


def serve(site: int, articles: int, latency: float) -> ThreadingHTTPServer:
    links = "".join(f'<li><a href="/2026/11/{1 + n % 28:02d}/notizia-{n}/">Notizia {n}</a></li>' for n in range(articles))
    home = f"<!doctype html><html><head><title>Sito {site}</title></head><body><ul>{links}</ul></body></html>".encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def do_GET(self):
            time.sleep(latency)
            parts = self.path.strip("/").split("/")
            if self.path == "/":
                status, body = 200, home
            elif len(parts) == 4 and parts[3].startswith("notizia-"):
                status, body = 200, article_html(site, int(parts[3].split("-")[1]))
            else:
                status, body = 404, b"not found"
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer((f"127.0.0.{site + 2}", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def crawl_cmd(sites_toml: Path, **settings: str) -> list[str]:
    cmd = [str(Path(sys.executable).with_name("scrapy")), "crawl", "calcio", "-a", f"sites={sites_toml}"]
    for key, value in {**SETTINGS, **settings}.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


def pages_in(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute("select count(*) from pages").fetchone()[0]
    finally:
        con.close()


def run_plain(tmp: Path, sites_toml: Path) -> tuple[float, int]:
    db = tmp / "plain.db"
    started = time.monotonic()
    subprocess.run(crawl_cmd(sites_toml, ARCHIVE_DB=str(db), ARCHIVE_WARC_DIR=str(tmp / "warc-plain")),
                   cwd=ROOT, check=True, capture_output=True)
    return time.monotonic() - started, pages_in(db)


def run_workers(tmp: Path, sites_toml: Path, n: int) -> tuple[float, int]:
    work = tmp / f"workers-{n}"
    work.mkdir()
    db = work / "archive.db"
    with RedisServer(work) as redis_server:
        started = time.monotonic()
        workers = [subprocess.Popen(crawl_cmd(sites_toml, ARCHIVE_FRONTIER=redis_server.url,
                                              ARCHIVE_WARC_DIR=str(work / f"warc-{i}")),
                                    cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                   for i in range(n)]
        client = redis_server.client()
        while client.zcard("calcio:workers") < n:  # every worker has joined before the ingest may go idle
            time.sleep(0.05)
        ingest = subprocess.run([str(Path(sys.executable).with_name("calcio-archive")), "ingest", "--redis",
                                 redis_server.url, "--db", str(db), "--until-idle"],
                                cwd=ROOT, capture_output=True)
        for w in workers:
            w.wait()
        elapsed = time.monotonic() - started
        if ingest.returncode:
            raise RuntimeError(ingest.stderr.decode()[-2000:])
    return elapsed, pages_in(db)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=24)
    parser.add_argument("--articles", type=int, default=30, help="articles per site")
    parser.add_argument("--latency", type=float, default=0.2, help="seconds each response is delayed")
    args = parser.parse_args()
    servers = [serve(i, args.articles, args.latency) for i in range(args.sites)]
    tmp = Path(tempfile.mkdtemp(prefix="calcio-distributed-"))
    try:
        sites_toml = tmp / "sites.toml"
        sites_toml.write_text("".join(
            f'[[site]]\nname = "sito{i}"\nurl = "http://{s.server_address[0]}:{s.server_address[1]}/"\n\n'
            for i, s in enumerate(servers)))
        results = [("plain crawl (1 process, SQLite)", *run_plain(tmp, sites_toml))]
        for n in (1, 2, 4):
            results.append((f"{n} worker{'s' if n > 1 else ''} + ingest", *run_workers(tmp, sites_toml, n)))
    finally:
        for s in servers:
            s.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)
    base = results[0][2] / results[0][1]
    print(f"{args.sites} sites x {args.articles} articles, {args.latency * 1000:.0f} ms per response, "
          f"2 concurrent requests per site, CONCURRENT_REQUESTS {SETTINGS['CONCURRENT_REQUESTS']} per process\n")
    print("| crawl | pages | wall time | pages/s | vs plain |")
    print("| --- | --- | --- | --- | --- |")
    for name, elapsed, pages in results:
        rate = pages / elapsed
        print(f"| {name} | {pages} | {elapsed:.1f} s | {rate:.1f} | {rate / base:.2f}x |")


if __name__ == "__main__":
    main()
