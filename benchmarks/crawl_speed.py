"""Crawl throughput at scale: our crawl against a bare Scrapy crawl and a naive inline pipeline.

Serves a generated news site on 127.0.0.1: N article URLs (default 5,000) cycling the real
pages of the article-extraction-benchmark (181 pages, see README.md), a home page, section
pages listing the articles, and robots.txt → sitemap index → sitemaps of 1,000 URLs each (as
WordPress/Yoast split them). It crawls the site three ways, in interleaved rounds (bare,
naive, calcio, bare, naive, calcio …), and prints one table of medians:

- ``bare``: a Scrapy ``SitemapSpider`` fetching the articles and doing nothing with them;
- ``naive``: the same + trafilatura ``bare_extraction(with_metadata=True)`` in the callback +
  one sqlite-utils insert per page (what a first version would do);
- ``calcio``: the real ``scrapy crawl calcio`` with a sites file naming the loopback site
  (extraction in worker processes, WARC, SQLite with its full-text index, stories).

Politeness is off (no delay, robots.txt obeyed only by calcio, 16 requests at a time): this
measures our CPU, not the sites' patience. Per run: pages/s (article pages / wall time, process
start-up included), CPU ms per article page of the Scrapy process alone and of its whole
process tree (extraction workers included), peak RSS of the Scrapy process and of the whole
tree (sampled), and the articles stored.

Then ``calcio-archive reextract`` is timed over the WARC files the last calcio run wrote,
against a plain single-process loop (read the WARC records, ``extract_article`` each page).

    .venv/bin/python benchmarks/crawl_speed.py [--n 5000] [--rounds 3] [--data PATH]
        [--modes bare,naive,calcio] [--no-reextract] [--keep DIR] [--profile]

``--profile`` runs py-spy (``pip install py-spy``) on each calcio run's Scrapy process and
writes ``calcio-profile-N.txt`` (raw collapsed stacks) next to the results, for where the time
goes. CPU is read from /proc through psutil.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "article-extraction"
SITEMAP_SIZE = 1000
SECTIONS = 10
SECTION_LINKS = 50
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS=16",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "LOG_LEVEL=WARNING"]

BASELINE_SPIDER = '''
import scrapy, sqlite_utils, trafilatura
from scrapy.spiders import SitemapSpider

class Bench(SitemapSpider):
    name = "bench"
    custom_settings = {"TELNETCONSOLE_ENABLED": False, "ROBOTSTXT_OBEY": False}

    def __init__(self, start=None, mode="bare", db=None, **kw):
        super().__init__(**kw)
        self.sitemap_urls = [start + "robots.txt"]
        self.mode = mode
        self.db = sqlite_utils.Database(db) if db else None

    def parse(self, response):
        if self.mode == "naive":
            doc = trafilatura.bare_extraction(response.text, url=response.url, with_metadata=True, as_dict=True)
            if doc and doc.get("text"):
                self.db["articles"].insert({"url": response.url, "title": doc.get("title"), "text": doc["text"]},
                                           pk="url", replace=True)
'''

PLAIN_REEXTRACT = '''
import sys, time
from archive.warc import iter_pages
from extract import extract_article
from extract.encoding import charset_from_content_type, decode_body
n = 0
for page in iter_pages(sys.argv[1]):
    if page.status != 200 or "/20" not in page.url:
        continue
    html, _ = decode_body(page.body, charset_from_content_type(page.headers.get("content-type")))
    extract_article(html, page.url)
    n += 1
print(n)
'''


def with_base(html: bytes, url: str | None) -> bytes:
    """The page with a ``<base>`` naming its original address: its relative links point at its
    own site (off the generated one), so the generated site has exactly N articles, not N
    articles and as many broken links."""
    if not url:
        return html
    head = re.search(rb"<head[^>]*>", html[:20000], re.I)
    if head is None:
        return html
    tag = f'<base href="{url}">'.encode()
    return html[:head.end()] + tag + html[head.end():]


def article_path(i: int) -> str:
    return f"/2026/{1 + i % 12:02d}/{1 + i % 28:02d}/articolo-{i}/"


def make_site(pages: list[bytes], n: int) -> ThreadingHTTPServer:
    """The generated site: a handler answering from memory (no per-request disk reads)."""
    sitemaps = (n + SITEMAP_SIZE - 1) // SITEMAP_SIZE

    def lastmod(i: int) -> str:
        return f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00+01:00"

    def sitemap(k: int) -> bytes:
        urls = "".join(f"<url><loc>{base}{article_path(i)[1:]}</loc><lastmod>{lastmod(i)}</lastmod></url>\n"
                       for i in range(k * SITEMAP_SIZE, min(n, (k + 1) * SITEMAP_SIZE)))
        return (b'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                + urls.encode() + b"</urlset>\n")

    def listing(title: str, links: range) -> bytes:
        items = "".join(f'<li><a href="{article_path(i)}">Articolo {i}</a></li>\n' for i in links)
        nav = "".join(f'<a href="/sezione/{s}/">Sezione {s}</a> ' for s in range(SECTIONS))
        return (f"<!doctype html><html lang=it><head><title>{title}</title></head><body><nav>{nav}</nav>"
                f"<h1>{title}</h1><ul>{items}</ul></body></html>").encode()

    base = ""
    cache: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def do_GET(self):
            path, ctype, status = self.path, "text/html; charset=utf-8", 200
            if path == "/robots.txt":
                body, ctype = f"User-agent: *\nAllow: /\nSitemap: {base}sitemap_index.xml\n".encode(), "text/plain"
            elif path == "/sitemap_index.xml":
                body = ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                        + "".join(f"<sitemap><loc>{base}post-sitemap{k + 1}.xml</loc></sitemap>\n" for k in range(sitemaps))
                        + "</sitemapindex>\n").encode()
                ctype = "application/xml"
            elif path.startswith("/post-sitemap") and path.endswith(".xml") and path[13:-4].isdigit():
                k = int(path[13:-4]) - 1
                body = cache.get(path) or cache.setdefault(path, sitemap(k)) if 0 <= k < sitemaps else b""
                ctype = "application/xml"
            elif path == "/":
                body = listing("Home", range(min(n, SECTION_LINKS)))
            elif path.startswith("/sezione/") and path[9:-1].isdigit():
                s = int(path[9:-1])
                body = listing(f"Sezione {s}", range(s * SECTION_LINKS, min(n, (s + 1) * SECTION_LINKS)))
            elif path.startswith("/2026/") and "/articolo-" in path:
                i = int(path.rstrip("/").rsplit("-", 1)[1])
                body = pages[i % len(pages)] if i < n else b""
            else:
                body = b""
            if not body:
                status, body = 404, b"not found"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    httpd.base_url = base
    return httpd


def _hwm(proc: psutil.Process) -> int:
    """Peak RSS (VmHWM) of a live process, in bytes."""
    try:
        for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _thread_times(pid: int) -> dict[str, float]:
    """CPU seconds of each live thread of ``pid`` (by thread id and name)."""
    out = {}
    tick = os.sysconf("SC_CLK_TCK")
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            stat = (task / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        out[f"{task.name} {name}"] = (int(fields[11]) + int(fields[12])) / tick
    return out


def _zombie_times(pid: int) -> tuple[float, float]:
    """(own CPU s, CPU s of its reaped children) of an exited, not yet reaped process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0, 0.0
    tick = os.sysconf("SC_CLK_TCK")
    utime, stime, cutime, cstime = (int(x) / tick for x in fields[11:15])
    return utime + stime, cutime + cstime


def measured(cmd: list[str], cwd: Path, log: Path, profile: Path | None = None, env: dict | None = None,
             progress_db: Path | None = None) -> dict:
    """Run ``cmd``; wall seconds, CPU seconds of the process and of its whole tree, peak RSS.
    With ``progress_db``, a line every 30 s in ``<log>.progress`` (seconds, articles stored,
    RSS and peak RSS of the Scrapy process): how memory moves as the crawl grows."""
    start = time.perf_counter()
    with open(log, "w") as out:
        popen = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
    main = psutil.Process(popen.pid)
    spy = None
    if profile is not None and shutil.which("py-spy", path=str(Path(sys.executable).parent)):
        spy = subprocess.Popen([str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(popen.pid),
                                "--rate", "200", "--gil", "--format", "raw", "-o", str(profile)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    child_cpu: dict[int, float] = {}
    peak_main = peak_tree = 0
    next_progress = time.perf_counter() + 30
    threads: dict[str, float] = {}
    while True:  # never poll(): it would reap the process before its times are read
        try:
            tree_rss = main.memory_info().rss
            peak_main = max(peak_main, _hwm(main))
            for child in main.children(recursive=True):
                try:
                    tree_rss += child.memory_info().rss
                    t = child.cpu_times()
                    child_cpu[child.pid] = t.user + t.system
                except psutil.Error:
                    pass
            peak_tree = max(peak_tree, tree_rss)
            threads.update(_thread_times(popen.pid))
            if progress_db is not None and time.perf_counter() >= next_progress:
                next_progress += 30
                with open(str(log) + ".progress", "a") as f:
                    f.write(f"{time.perf_counter() - start:.0f} s\t{_count(progress_db)} articles\t"
                            f"RSS {main.memory_info().rss / 2**20:.0f} MB\tpeak {peak_main / 2**20:.0f} MB\n")
        except psutil.Error:
            pass
        # the last sample before exit: the zombie keeps its CPU times (waitid with WNOWAIT)
        info = os.waitid(os.P_PID, popen.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        if info is not None:
            break
        time.sleep(0.1)
    own, reaped = _zombie_times(popen.pid)
    popen.wait()
    wall = time.perf_counter() - start
    if spy is not None:
        spy.wait(timeout=60)
    if popen.returncode not in (0, 3, 5):
        sys.exit(f"{' '.join(cmd[:4])} failed ({popen.returncode}):\n{log.read_text()[-3000:]}")
    tree = own + max(reaped, sum(child_cpu.values()))
    if threads:
        with open(str(log) + ".threads", "w") as f:  # where the Scrapy process's CPU went, by thread
            for name, cpu in sorted(threads.items(), key=lambda kv: -kv[1]):
                f.write(f"{cpu:8.2f} s  {name}\n")
    return {"wall": wall, "cpu_main": own, "cpu_tree": tree, "rss_main": peak_main, "rss_tree": max(peak_tree, peak_main)}


def _count(db: Path, sql: str = "select count(*) from articles") -> int:
    import sqlite3

    if not db.exists():
        return 0
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="article-extraction-benchmark directory")
    parser.add_argument("--n", type=int, default=5000, help="article URLs on the generated site")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--modes", default="bare,naive,calcio")
    parser.add_argument("--no-reextract", action="store_true", help="skip timing reextract")
    parser.add_argument("--keep", type=Path, help="keep databases, WARC and logs in this directory")
    parser.add_argument("--profile", action="store_true", help="py-spy record each calcio run (raw stacks)")
    parser.add_argument("--settings", nargs="*", default=[], help="extra -s NAME=VALUE for calcio")
    parser.add_argument("--before", type=Path, help="another checkout of the project (e.g. a worktree of main): "
                        "its `scrapy crawl calcio` runs too, as mode calcio@before")
    args = parser.parse_args()
    truth = json.loads((args.data / "ground-truth.json").read_text())
    pages = [with_base(gzip.decompress((args.data / "html" / f"{pid}.html.gz").read_bytes()), truth[pid].get("url"))
             for pid in sorted(truth)]
    httpd = make_site(pages, args.n)
    base = httpd.base_url
    scrapy = [str(Path(sys.executable).with_name("scrapy"))]
    modes = [m for m in args.modes.split(",") if m]
    if args.before:
        modes.insert(modes.index("calcio") if "calcio" in modes else len(modes), "calcio@before")
    runs: dict[str, list[dict]] = {m: [] for m in modes}
    work = Path(tempfile.mkdtemp(prefix="crawl-speed-")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    spider = work / "bench_spider.py"
    spider.write_text(BASELINE_SPIDER)
    sites = work / "sites.toml"
    sites.write_text(f'[[site]]\nname = "bench"\nurl = "{base}"\narticle_patterns = ["/20\\\\d\\\\d/\\\\d\\\\d/\\\\d\\\\d/"]\n')
    extra = [x for s in args.settings for x in ("-s", s)]
    try:
        for r in range(args.rounds):
            for mode in modes:
                run_dir = work / f"{mode}-{r}"
                shutil.rmtree(run_dir, ignore_errors=True)
                run_dir.mkdir()
                db = run_dir / "archive.db"
                if mode.startswith("calcio"):
                    cmd = scrapy + ["crawl", "calcio", "-a", f"sites={sites}", "-s", f"ARCHIVE_DB={db}",
                                    "-s", f"ARCHIVE_WARC_DIR={run_dir / 'warc'}",
                                    "-s", f"ARCHIVE_MAX_ARTICLES_PER_SITE={args.n + 1}",
                                    "-s", f"ARCHIVE_MAX_DISCOVERY_PER_SITE={args.n + 1}", "-s", "MEMUSAGE_ENABLED=False",
                                    ] + FAST + extra
                    cwd = ROOT
                    if mode == "calcio@before":
                        cwd = args.before.resolve()
                else:  # outside the project: plain Scrapy settings
                    cmd = scrapy + ["runspider", str(spider), "-a", f"start={base}", "-a", f"mode={mode}",
                                    "-a", f"db={db}"] + FAST
                    cwd = run_dir
                profile = work / f"calcio-profile-{r}.txt" if args.profile and mode == "calcio" else None
                env = {**os.environ, "PYTHONPATH": str(cwd)} if mode.startswith("calcio") else None
                result = measured(cmd, cwd, run_dir / "log.txt", profile, env=env,
                                  progress_db=db if mode.startswith("calcio") else None)
                result["stored"] = _count(db)
                runs[mode].append(result)
                print(f"round {r + 1} {mode}: {args.n / result['wall']:.1f} pages/s, "
                      f"{result['cpu_main'] / args.n * 1000:.1f} ms CPU/page (Scrapy process), "
                      f"{result['rss_main'] / 2**20:.0f} MB", file=sys.stderr, flush=True)
        reextract = None
        if not args.no_reextract and "calcio" in modes:
            last = work / f"calcio-{args.rounds - 1}"
            copy = work / "reextract.db"
            shutil.copy(last / "archive.db", copy)
            articles = _count(copy, "select count(*) from pages where kind = 'article' and warc_file is not null")
            cli = [str(Path(sys.executable).with_name("calcio-archive")), "reextract", "--db", str(copy),
                   "--warc-dir", str(last / "warc")]
            ours = measured(cli, ROOT, work / "reextract-log.txt")
            plain_script = work / "plain_reextract.py"
            plain_script.write_text(PLAIN_REEXTRACT)
            plain = measured([sys.executable, str(plain_script), str(last / "warc")], ROOT, work / "plain-log.txt")
            plain_pages = int((work / "plain-log.txt").read_text().split()[-1])
            reextract = (articles, ours, plain_pages, plain)
    finally:
        httpd.shutdown()
    n = args.n
    med = {m: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for m, rs in runs.items() if rs}
    print(f"\n{n} article URLs (cycling {len(pages)} real pages) served from 127.0.0.1, {os.cpu_count()} cores, "
          f"median of {args.rounds} interleaved rounds\n")
    print("| crawl | pages/s | × naive | CPU ms/page, all | CPU ms/page, Scrapy process | peak RSS, Scrapy process "
          "| peak RSS, all | articles stored |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    naive = med.get("naive")
    for mode, m in med.items():
        rate = n / m["wall"]
        ratio = f"{rate / (n / naive['wall']):.2f}" if naive else "–"
        print(f"| {mode} | {rate:.1f} | {ratio} | {m['cpu_tree'] / n * 1000:.1f} | {m['cpu_main'] / n * 1000:.1f} | "
              f"{m['rss_main'] / 2**20:.0f} MB | {m['rss_tree'] / 2**20:.0f} MB | {m['stored']:.0f} |")
    if reextract:
        articles, ours, plain_pages, plain = reextract
        print(f"\n| re-extraction from the WARC of the last calcio run | pages | pages/s | CPU ms/page, all |\n"
              f"| --- | --- | --- | --- |\n"
              f"| `calcio-archive reextract` | {articles} | {articles / ours['wall']:.1f} | "
              f"{ours['cpu_tree'] / max(articles, 1) * 1000:.1f} |\n"
              f"| plain loop (read WARC + `extract_article`, one process) | {plain_pages} | "
              f"{plain_pages / plain['wall']:.1f} | {plain['cpu_tree'] / max(plain_pages, 1) * 1000:.1f} |")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
