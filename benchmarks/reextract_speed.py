"""Re-extraction from WARC: ``calcio-archive reextract`` against a plain single-process loop.

Over the same WARC files and the same ``pages`` rows, each run on a fresh copy of the archive
(pages only, no articles: every page is extracted and stored as a new article):

- ``loop``: one process, page after page: read the WARC record, extract (the same function
  reextract's workers run), ``save_article`` in its own transaction (the baseline);
- ``reextract --workers 1`` and ``--workers N`` (N = cores): the real ``archive.reextract``
  (extraction in a process pool, results written in page order in batched transactions).

Rounds are interleaved so machine noise hits every mode alike; the table gives the median
pages/s, the CPU ms per page of the writing process and of all processes, and the ratio to the
loop. Wall time includes starting the pool (and its fork server, stopped after each run).
Without ``--warc-dir`` a WARC is written first with ``archive.warc.WarcArchive``: the 181 real article-extraction-benchmark pages, ``--cycles``
times under different URLs.

    .venv/bin/python benchmarks/reextract_speed.py [--cycles 3] [--rounds 3]
    .venv/bin/python benchmarks/reextract_speed.py --warc-dir data/warc --db data/calcio.db
    .venv/bin/python benchmarks/reextract_speed.py --spawn   # also with spawned workers

With ``--db``, its ``pages`` rows say which records to re-extract (the archive itself is not
changed: each run works on a copy with the articles removed).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "article-extraction"
SITE = "bench"
CLEAR = ("story_bands", "story_articles", "stories", "article_entities", "article_versions", "articles")


def write_warc(data: Path, warc_dir: Path, db_path: Path, cycles: int) -> int:
    """The benchmark pages as WARC records, and their rows in ``pages`` (as a crawl leaves them)."""
    from archive.db import open_db
    from archive.store import PageRecord, now_utc, save_fetch
    from archive.warc import WarcArchive

    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {pid: gzip.decompress((data / "html" / f"{pid}.html.gz").read_bytes()) for pid in sorted(truth)}
    warc, db = WarcArchive(warc_dir), open_db(db_path)
    headers = [("Content-Type", "text/html; charset=utf-8")]
    n = 0
    for cycle in range(cycles):
        for pid, body in pages.items():
            url = f"http://127.0.0.1:8080/{cycle}/p/{pid}/"
            loc = warc.write(url, 200, "OK", headers, body, [("Host", "127.0.0.1:8080")])
            save_fetch(db, PageRecord(url=url, site=SITE, status=200, fetched_at=now_utc(), outcome="ok",
                                      content_type=headers[0][1], encoding="utf-8", warc_file=loc.file,
                                      warc_offset=loc.offset, warc_length=loc.length))
            n += 1
    warc.close()
    db.close()
    return n


def fresh_copy(db_path: Path, work: Path) -> Path:
    """A copy of the archive with its articles (and what hangs on them) removed."""
    import sqlite3

    copy = work / "run.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    src = sqlite3.connect(db_path)
    src.execute("VACUUM INTO ?", [str(copy)])
    src.close()
    con = sqlite3.connect(copy)
    for table in CLEAR:
        con.execute(f"DELETE FROM {table}")
    con.execute("UPDATE pages SET page_type = NULL")
    con.commit()
    con.close()
    return copy


def plain_loop(db, warc_dir: Path) -> int:
    """The baseline: one process, read, extract, save one page at a time."""
    from archive.reextract import _extract
    from archive.store import save_article
    from archive.warc import WarcLocation, read_page
    from extract.site import SiteProfile

    pages = 0
    sql = ("SELECT url, site, warc_file, warc_offset, content_type, fetched_at FROM pages "
           "WHERE kind = 'article' AND warc_file IS NOT NULL AND status = 200 ORDER BY fetched_at")
    for url, site, warc_file, offset, content_type, fetched_at in db.execute(sql).fetchall():
        page = read_page(warc_dir, WarcLocation(warc_file, offset, 0))
        result = _extract(page.body, content_type, url, SiteProfile(name=site, url=urljoin(url, "/")), frozenset())
        pages += 1
        if result.article is not None and result.status != "blocked":
            result.article.fetched_at = fetched_at
            save_article(db, result.article, change="reextract", entities=result.entities)
    return pages


def cpu(who) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def stop_fork_server() -> None:
    """Each run starts its own fork server, as one ``calcio-archive reextract`` does: its imports
    are timed in the run that needs them, and its CPU (with its workers', which it reaps) is
    counted in RUSAGE_CHILDREN once it has been waited for."""
    import multiprocessing.forkserver as fs

    server = getattr(fs, "_forkserver", None)
    if server is not None and hasattr(server, "_stop"):
        server._stop()


def measure(warc_dir: Path, db_path: Path, mode: str, work: Path) -> dict:
    """One run of ``mode`` ("loop" or "workers=N") on a fresh copy: pages, wall and CPU seconds."""
    from archive.db import open_db
    from archive.reextract import reextract

    copy = fresh_copy(db_path, work)
    db = open_db(copy)
    self0, kids0 = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    if mode == "loop":
        pages = plain_loop(db, warc_dir)
    else:
        import multiprocessing

        import archive.reextract as module

        workers, _, method = mode.split("=")[1].partition("@")
        chosen = module.pool_context
        if method == "spawn":  # the workers as they were started before the fork server
            module.pool_context = lambda: multiprocessing.get_context("spawn")
        try:
            pages = reextract(db, warc_dir, [], workers=int(workers))["pages"]
        finally:
            module.pool_context = chosen
        stop_fork_server()
    wall = time.perf_counter() - start
    main_cpu = cpu(resource.RUSAGE_SELF) - self0
    all_cpu = main_cpu + cpu(resource.RUSAGE_CHILDREN) - kids0
    stored = db.execute("SELECT count(*), group_concat(content_hash) FROM (SELECT content_hash FROM articles ORDER BY url)").fetchone()
    db.close()
    return {"pages": pages, "wall": wall, "main_cpu": main_cpu, "all_cpu": all_cpu, "articles": stored[0],
            "hashes": stored[1]}


def rates(warc_dir: Path, db_path: Path, workers: int | None = None, rounds: int = 3,
          spawn: bool = False) -> dict[str, dict]:
    """Median pages/s of the plain loop and of reextract with 1 and ``workers`` processes,
    rounds interleaved; for other benchmarks (e.g. the crawl's) to call."""
    workers = workers or os.cpu_count() or 1
    modes = ["loop", "workers=1"] + ([f"workers={workers}"] if workers > 1 else [])
    if spawn:  # the same with spawned workers, each importing the extractor itself
        modes[1:] = [m for mode in modes[1:] for m in (f"{mode}@spawn", mode)]
    runs: dict[str, list[dict]] = {m: [] for m in modes}
    with tempfile.TemporaryDirectory(prefix="calcio-reextract-bench-") as tmp:
        for _ in range(rounds):
            for mode in modes:
                runs[mode].append(measure(warc_dir, db_path, mode, Path(tmp)))
    out = {}
    for mode, rs in runs.items():
        pages = rs[0]["pages"]
        out[mode] = {
            "pages": pages, "articles": rs[0]["articles"],
            "pages_per_s": statistics.median(r["pages"] / r["wall"] for r in rs),
            "main_cpu_ms": statistics.median(1000 * r["main_cpu"] / max(1, r["pages"]) for r in rs),
            "all_cpu_ms": statistics.median(1000 * r["all_cpu"] / max(1, r["pages"]) for r in rs),
            "same_articles": all(r["hashes"] == runs["loop"][0]["hashes"] for r in rs),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="article-extraction-benchmark directory")
    parser.add_argument("--warc-dir", type=Path, help="existing WARC files (default: write the benchmark pages)")
    parser.add_argument("--db", type=Path, help="the archive whose pages rows locate the records (with --warc-dir)")
    parser.add_argument("--cycles", type=int, default=3, help="times the 181 pages are written, under new URLs")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--spawn", action="store_true",
                        help="also time reextract with spawned workers (before the fork server)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="calcio-reextract-warc-") as tmp:
        if args.warc_dir:
            if not args.db:
                parser.error("--warc-dir needs --db (its pages table locates the records)")
            warc_dir, db_path = args.warc_dir, args.db
        else:
            warc_dir, db_path = Path(tmp) / "warc", Path(tmp) / "pages.db"
            n = write_warc(args.data, warc_dir, db_path, args.cycles)
            print(f"wrote {n} pages to {warc_dir}", file=sys.stderr)
        table = rates(warc_dir, db_path, args.workers, args.rounds, args.spawn)
    loop = table["loop"]["pages_per_s"]
    print(f"\nre-extraction of {table['loop']['pages']} pages, {args.rounds} interleaved rounds, "
          f"{os.cpu_count()} cores (medians)\n")
    print("| run | pages/s | × loop | CPU ms/page, writing process | CPU ms/page, all | articles | same articles as loop |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for mode, r in table.items():
        label = "plain single-process loop" if mode == "loop" else f"reextract --workers {mode.split('=')[1].replace('@', ', ')}"
        print(f"| {label} | {r['pages_per_s']:.1f} | {r['pages_per_s'] / loop:.2f} | {r['main_cpu_ms']:.1f} | "
              f"{r['all_cpu_ms']:.1f} | {r['articles']} | {'yes' if r['same_articles'] else 'no'} |")


if __name__ == "__main__":
    main()
