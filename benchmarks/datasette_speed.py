"""Datasette at scale: how long the archive's pages take at N articles (default 100,000).

Generates an archive of N articles into the project's real schema (``archive.db.open_db``
applies the migrations; rows written with sqlite-utils, the FTS5 index kept by its triggers):
many sites of very different sizes, sections, authors, tags, dates over three years, texts
of real length (the ``articleBody`` of the 181 article-extraction-benchmark pages with an
Italian lead naming clubs), football entities, versions (edits and re-extractions), stories
across sites, fetched pages of every page type, crawl runs and site health rows.

Then starts the real ``calcio-archive serve`` on a free port and times every URL (the
articles table page with its facets, searches for common and rare terms, the row page, every
canned query in ``archive/metadata.json``, the JSON variants) ``--reps`` times each, URLs
interleaved, printing median and p95 ms per URL against the 30 ms target.

    .venv/bin/python benchmarks/datasette_speed.py [--n 100000] [--reps 20] [--db PATH] [--rebuild]

The archive is cached at ``--db`` (default in the temp directory) and rebuilt only when its
article count differs or ``--rebuild`` is given; ``serve`` applies pending migrations to it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "article-extraction"
TARGET_MS = 30.0
DB_NAME = "calcio"
METADATA = ROOT / "archive" / "metadata.json"

SECTIONS = ["Serie A", "Serie B", "Serie C", "Calciomercato", "Champions League", "Europa League",
            "Nazionale", "Calcio estero", "Calcio femminile", "Primavera", "Coppa Italia", "Editoriali"]
VERBS = ["batte", "pareggia con", "perde contro", "sfida", "travolge", "frena", "rimonta", "supera"]
LEADS = ["L'allenatore ha parlato in conferenza stampa alla vigilia della partita.",
         "Il calciomercato entra nel vivo: trattative aperte e nuove offerte.",
         "La società ha comunicato l'esito degli esami strumentali.",
         "Perché la squadra ha cambiato modulo: la spiegazione del tecnico.",
         "In città si parla solo della sfida di domenica allo stadio."]
TAGS = ["Calciomercato", "Serie A", "Infortuni", "Conferenza stampa", "Pagelle", "Classifica", "Arbitri",
        "Var", "Tifosi", "Stadio", "Primavera", "Nazionale", "Bilancio", "Rinnovi", "Moviola"]
RARE_TERM = "zemaniano"  # in about one article in 10,000
PAGE_TYPES = ["listing", "gallery", "video", "data", "static", "blocked", "error"]


def clubs() -> list[dict]:
    data = tomllib.loads((ROOT / "extract" / "gazetteer.toml").read_text(encoding="utf-8"))
    out = []
    for kind in ("club", "national", "competition"):
        out += [{"id": e["id"], "name": e["name"], "kind": kind} for e in data.get(kind, [])]
    return out


def texts(data: Path) -> list[str]:
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    return [t["articleBody"] for t in truth.values() if len(t.get("articleBody") or "") > 200]


def build(db_path: Path, n: int, data: Path, seed: int = 13) -> None:
    from archive.db import open_db, write_transaction

    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    rnd = random.Random(seed)
    bodies, entities = texts(data), clubs()
    teams = [e for e in entities if e["kind"] == "club"]
    comps = [e for e in entities if e["kind"] != "club"]
    # 60 sites, sizes Zipf-like: a few big newspapers, many small blogs
    sites = [f"sito{i:02d}" for i in range(60)]
    weights = [1 / (i + 1) for i in range(len(sites))]
    authors = [f"{rnd.choice(['Marco', 'Luca', 'Giulia', 'Andrea', 'Paolo', 'Sara', 'Matteo', 'Elena'])} "
               f"{rnd.choice(['Rossi', 'Bianchi', 'Ferrari', 'Russo', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Conti'])}{i}"
               for i in range(600)]
    start = datetime(2023, 12, 1, tzinfo=timezone.utc)
    span = 3 * 365 * 86400
    db = open_db(db_path)
    t0 = time.perf_counter()
    crawl_ids = []
    with write_transaction(db):
        for i in range(200):
            began = start + timedelta(days=i * 5.4)
            crawl_ids.append(db["crawls"].insert({
                "spider": "calcio", "sites": json.dumps(sites), "started_at": began.isoformat(),
                "finished_at": (began + timedelta(hours=2)).isoformat(), "status": "finished",
                "finish_reason": "finished", "pages_fetched": 700, "articles_new": 500, "articles_updated": 20,
                "articles_unchanged": 100, "not_modified": 50, "errors": 3, "stats": "{}"}).last_pk)

    def articles():
        for i in range(n):
            site = rnd.choices(sites, weights)[0]
            when = start + timedelta(seconds=int(span * i / n) + rnd.randint(0, 3600))
            home, away = rnd.sample(teams[:40], 2)
            named = [home, away] + ([rnd.choice(comps)] if rnd.random() < 0.4 else [])
            title = f"{home['name']} {rnd.choice(VERBS)} {away['name']}: {rnd.choice(LEADS)[:60]}"
            lead = f"{rnd.choice(LEADS)} {home['name']} e {away['name']} in campo."
            if rnd.random() < 1e-4:
                lead += f" Un calcio {RARE_TERM}, dicono."
            text = lead + "\n\n" + rnd.choice(bodies)
            by = rnd.sample(authors[:60] if rnd.random() < 0.5 else authors, rnd.choice([1, 1, 1, 2]))
            published = when.astimezone(timezone(timedelta(hours=1))).isoformat() if rnd.random() < 0.97 else None
            fetched = (when + timedelta(minutes=rnd.randint(5, 600))).isoformat()
            url = f"https://www.{site}.it/{rnd.choice(SECTIONS).lower().replace(' ', '-')}/{when:%Y/%m}/{i}-{home['id']}-{away['id']}/"
            yield i, url, named, {
                "url": url, "site": site, "title": title, "text": text, "published": published,
                "modified": (when + timedelta(hours=2)).isoformat() if rnd.random() < 0.3 else None,
                "author": ", ".join(by), "authors": json.dumps(by, ensure_ascii=False),
                "section": rnd.choice(SECTIONS[:8]) if rnd.random() < 0.6 else rnd.choice(SECTIONS),
                "tags": json.dumps(rnd.sample(TAGS, rnd.randint(0, 4)) + [home["name"]], ensure_ascii=False),
                "description": lead, "image": f"https://img.{site}.it/{i}.jpg",
                "language": "it" if rnd.random() < 0.95 else rnd.choice(["en", "es", "fr"]),
                "fetched_at": fetched, "first_seen": fetched, "content_hash": f"{rnd.getrandbits(128):032x}",
                "published_source": rnd.choice(["jsonld", "meta", "time"]), "modified_source": None,
                "paywall": int(rnd.random() < 0.03), "publisher": site.capitalize(),
                "gone_at": (when + timedelta(days=30)).isoformat() if rnd.random() < 0.002 else None,
                "extraction_confidence": round(min(1.0, max(0.0, rnd.gauss(0.85, 0.12))), 3),
            }

    batch: list = []

    def flush():
        rows = [b[3] for b in batch]
        versions, ents, pages, story_rows = [], [], [], []
        for i, url, named, row in batch:
            versions.append({"url": url, "version": 1, "change": "first", "seen_at": row["first_seen"],
                             "title": row["title"], "text": row["text"], "published": row["published"],
                             "modified": row["modified"], "author": row["author"], "content_hash": row["content_hash"]})
            r = rnd.random()
            if r < 0.15:  # an edit by the site (or our re-extraction): a second version
                versions.append({**versions[-1], "version": 2, "change": "edit" if r < 0.12 else "reextract",
                                 "seen_at": row["fetched_at"], "text": row["text"] + "\n\nAggiornamento."})
            for j, e in enumerate(named):
                ents.append({"url": url, "entity": e["id"], "name": e["name"], "kind": e["kind"],
                             "mentions": rnd.randint(1, 8), "in_title": int(j < 2)})
            crawl = crawl_ids[min(len(crawl_ids) - 1, i * len(crawl_ids) // n)]
            pages.append({"url": url, "site": row["site"], "status": 200, "content_type": "text/html; charset=utf-8",
                          "encoding": "utf-8", "fetched_at": row["fetched_at"], "warc_file": f"calcio-{crawl}.warc.gz",
                          "warc_offset": i * 9000, "warc_length": 9000, "kind": "article", "outcome": "ok",
                          "article_url": url, "crawl_id": crawl, "page_type": "article"})
            if rnd.random() < 0.3:  # a page that is not an article, or failed
                ptype = rnd.choice(PAGE_TYPES)
                outcome = rnd.choice(["failed", "timeout", "empty", "error"]) if rnd.random() < 0.1 else (
                    "blocked" if ptype == "blocked" else "not_article")
                pages.append({"url": f"{url}galleria/", "site": row["site"], "status": 200, "fetched_at": row["fetched_at"],
                              "kind": "article", "outcome": outcome, "reason": f"{ptype}: generated", "crawl_id": crawl,
                              "page_type": ptype, "warc_file": f"calcio-{crawl}.warc.gz", "warc_offset": i * 9000 + 4500})
            story_rows.append((url, row))
        db["articles"].insert_all(rows)
        db["article_versions"].insert_all(versions)
        db["article_entities"].insert_all(ents)
        db["pages"].insert_all(pages)
        for url, row in story_rows:  # a story of its own, or joining a recent one from another site
            at = row["published"] or row["first_seen"]
            if stories_recent and rnd.random() < 0.35:
                sid = rnd.choice(stories_recent)
                db.execute("UPDATE stories SET articles = articles + 1, sites = sites + 1 WHERE id = ?", [sid])
                sim = round(rnd.uniform(0.3, 0.9), 3)
            else:
                sid = db["stories"].insert({"title": row["title"], "first_url": url, "first_site": row["site"],
                                            "first_at": at, "articles": 1, "sites": 1}).last_pk
                stories_recent.append(sid)
                del stories_recent[:-50]
                sim = None
            db["story_articles"].insert({"url": url, "story_id": sid, "site": row["site"], "at": at,
                                         "published": row["published"], "first_seen": row["first_seen"],
                                         "similarity": sim, "signature": None})
        batch.clear()

    stories_recent: list[int] = []
    for item in articles():
        batch.append(item)
        if len(batch) >= 2000:
            with write_transaction(db):
                flush()
            print(f"  {item[0] + 1:,} articles ({time.perf_counter() - t0:.0f} s)", file=sys.stderr, end="\r")
    with write_transaction(db):
        flush()
        for crawl in crawl_ids:
            for site in sites[:20]:
                db["site_health"].insert({"crawl_id": crawl, "site": site, "checked_at": start.isoformat(),
                                          "articles": 100, "pages": 120, "author_share": 0.9, "date_share": 1.0,
                                          "section_share": 0.8, "tags_share": 0.7, "refused_share": 0.1,
                                          "blocked_share": 0.0, "failures": 0, "alarm": None})
    db.execute("ANALYZE")
    db.close()
    print(f"built {n:,} articles in {time.perf_counter() - t0:.0f} s: {db_path}", file=sys.stderr)


def count(db_path: Path) -> int:
    import sqlite3

    if not db_path.exists():
        return -1
    con = sqlite3.connect(db_path)
    try:
        return con.execute("select count(*) from articles").fetchone()[0]
    except sqlite3.Error:
        return -1
    finally:
        con.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(base: str, path: str) -> tuple[int, float]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(base + path, timeout=60) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as exc:
        exc.read()
        status = exc.code
    return status, (time.perf_counter() - start) * 1000


def urls(db_path: Path) -> list[tuple[str, str]]:
    """(label, path) for every page timed: table, search, row, every canned query."""
    import sqlite3

    con = sqlite3.connect(db_path)
    row_url = con.execute("select url from articles order by rowid desc limit 1 offset 500").fetchone()[0]
    con.close()
    from datasette.utils import tilde_encode

    d = f"/{DB_NAME}"
    out = [
        ("table articles (HTML, facets)", f"{d}/articles"),
        ("table articles.json (facets)", f"{d}/articles.json?_extra=facet_results&_extra=count"),
        ("table filtered site= (HTML)", f"{d}/articles?site=sito03"),
        ("search common 'juventus' (HTML)", f"{d}/articles?_search=juventus"),
        ("search common 'juventus' .json", f"{d}/articles.json?_search=juventus&_extra=facet_results&_extra=count"),
        ("search very common 'partita' (HTML)", f"{d}/articles?_search=partita"),
        ("search in nearly all 'the' (HTML)", f"{d}/articles?_search=the"),
        ("search rare (HTML)", f"{d}/articles?_search={RARE_TERM}"),
        ("search prefix 'allenator*' (HTML)", f"{d}/articles?_search=allenator*"),
        ("search two words (HTML)", f"{d}/articles?_search=" + quote("inter milan")),
        ("row page (article + history)", f"{d}/articles/{tilde_encode(row_url)}"),
        ("row .json", f"{d}/articles/{tilde_encode(row_url)}.json"),
    ]
    params = {"search": {"q": "juventus"}, "feed_search": {"q": "juventus"}, "articles_about_club": {"club": "inter"},
              "low_confidence": {"threshold": ""}, "not_articles": {"page_type": ""}}
    queries = json.loads(METADATA.read_text(encoding="utf-8"))["databases"]["calcio"]["queries"]
    for name in queries:
        qs = urlencode(params.get(name, {}))
        ext = ".atom" if name.startswith("feed_") else ".json"
        out.append((f"query {name}", f"{d}/{name}{ext}" + (f"?{qs}" if qs else "")))
        if not name.startswith("feed_"):
            out.append((f"query {name} (HTML)", f"{d}/{name}" + (f"?{qs}" if qs else "")))
    out.append(("query search rare (HTML)", f"{d}/search?q={RARE_TERM}"))
    out.append(("query feed_search rare .atom", f"{d}/feed_search.atom?q={RARE_TERM}"))
    out.append(("query articles_about_club small", f"{d}/articles_about_club.json?club=" + quote("Pro Patria")))
    return out


def _undo_m010(con) -> None:
    from archive.schema import M010_INDEXES

    for sql in M010_INDEXES:
        con.execute(f"DROP INDEX IF EXISTS {sql.split('IF NOT EXISTS ')[1].split()[0]}")
    con.execute("DELETE FROM articles_fts_config WHERE k = 'rank'")


def _undo_m011(con) -> None:
    from archive.schema import M011_INDEX, M011_TRIGGERS

    for name in M011_TRIGGERS:
        con.execute(f"DROP TRIGGER IF EXISTS {name}")
    con.execute(f"DROP INDEX IF EXISTS {M011_INDEX.split('IF NOT EXISTS ')[1].split()[0]}")
    con.execute("ALTER TABLE article_entities DROP COLUMN published")


def _undo_m012(con) -> None:
    from archive.schema import M012_TRIGGERS

    for name in M012_TRIGGERS:
        con.execute(f"DROP TRIGGER IF EXISTS {name}")
    con.execute("DROP TABLE IF EXISTS article_facet_counts")


UNDO = {"m010_datasette_indexes": _undo_m010, "m011_entities_published": _undo_m011,
        "m012_facet_counts": _undo_m012}


def undo_for_baseline(db_path: Path, code: Path) -> Path:
    """A copy of the archive as the baseline checkout (e.g. main before this change) would have
    it: each of this checkout's migrations (of those in ``UNDO``) that the baseline's
    archive/schema.py does not have is undone and no longer recorded."""
    import re
    import sqlite3

    target = db_path.parent / "baseline" / db_path.name  # the same name: the same URLs
    target.parent.mkdir(exist_ok=True)
    if not target.exists():
        src = sqlite3.connect(db_path)
        src.execute("VACUUM INTO ?", [str(target)])
        src.close()
    known = set(re.findall(r"^def (m\d+_\w+)\(", (code / "archive" / "schema.py").read_text(encoding="utf-8"), re.M))
    con = sqlite3.connect(target)
    applied = {name for (name,) in con.execute("SELECT name FROM _sqlite_migrations")}
    for name, undo in UNDO.items():
        if name in applied and name not in known:
            undo(con)
            con.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [name])
    con.commit()
    con.close()
    return target


def start_server(db_path: Path, code: Path, log_path: Path) -> tuple[subprocess.Popen, str]:
    """``calcio-archive serve`` of the checkout at ``code`` on a free port; waits until it answers."""
    port = free_port()
    log = open(log_path, "w")
    boot = f"import sys; sys.path.insert(0, {str(code)!r}); from archive.cli import cli; cli()"
    proc = subprocess.Popen([sys.executable, "-c", boot, "serve", "--db", str(db_path), "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, cwd=code)
    base = f"http://127.0.0.1:{port}"
    for _ in range(1200):
        try:
            if fetch(base, "/-/versions.json")[0] == 200:
                return proc, base
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    sys.exit(f"calcio-archive serve ({code}) did not start: see {log_path}")


def p95(ts: list[float]) -> float:
    ts = sorted(ts)
    return ts[min(len(ts) - 1, round(0.95 * (len(ts) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles in the generated archive")
    parser.add_argument("--reps", type=int, default=20, help="timed requests per URL")
    parser.add_argument("--db", type=Path, help="the generated archive (default: in the temp directory)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="article-extraction-benchmark directory")
    parser.add_argument("--rebuild", action="store_true", help="build the archive again even if cached")
    parser.add_argument("--only", help="only URLs whose label contains this")
    parser.add_argument("--baseline", type=Path, metavar="CHECKOUT",
                        help="also serve a copy of the archive with this checkout of the project (e.g. a "
                             "`git worktree` of main before m010) and time both, requests alternated")
    args = parser.parse_args()
    db_path = args.db or Path(tempfile.gettempdir()) / f"calcio-datasette-bench-{args.n}" / f"{DB_NAME}.db"
    db_path.parent.mkdir(parents=True, exist_ok=True)
    if args.rebuild or count(db_path) != args.n:
        build(db_path, args.n, args.data)
        (db_path.parent / "baseline" / db_path.name).unlink(missing_ok=True)
    runs = {}
    if args.baseline:
        runs["before"] = (undo_for_baseline(db_path, args.baseline), args.baseline.resolve())
    runs["after"] = (db_path, ROOT)
    servers = {}
    try:
        for name, (db, code) in runs.items():
            servers[name] = start_server(db, code, db_path.with_name(f"{db_path.stem}.{name}.log"))
        targets = [(label, path) for label, path in urls(db_path) if not args.only or args.only in label]
        times = {(name, label): [] for name in servers for label, _ in targets}
        statuses: dict[tuple, int] = {}
        for label, path in targets:  # warm-up: the first request of each page pays for the page cache
            for name, (_, base) in servers.items():
                statuses[name, label] = fetch(base, path)[0]
        for _ in range(args.reps):  # interleaved, so machine noise hits every URL and server alike
            for label, path in targets:
                for name, (_, base) in servers.items():
                    status, ms = fetch(base, path)
                    statuses[name, label] = status
                    times[name, label].append(ms)
    finally:
        for proc, _ in servers.values():
            proc.terminate()
            proc.wait(10)
    load = os.getloadavg()[0]
    print(f"\n{args.n:,} articles, {args.reps} requests per URL, target median ≤ {TARGET_MS:.0f} ms "
          f"(load average {load:.1f} on {os.cpu_count()} cores)\n")
    before = "before" in servers
    print("| URL |" + (" before: median ms |" if before else "") + " median ms | p95 ms | ≤ 30 ms |")
    print("| --- |" + (" --- |" if before else "") + " --- | --- | --- |")
    met = 0
    for label, _ in targets:
        ts = times["after", label]
        med = statistics.median(ts)
        ok = med <= TARGET_MS and statuses["after", label] == 200
        met += ok
        cell = ""
        if before:
            b = statistics.median(times["before", label])
            cell = f" {b:.1f} |" if statuses["before", label] == 200 else f" {statuses['before', label]} |"
        status = "" if statuses["after", label] == 200 else f" (status {statuses['after', label]})"
        print(f"| {label}{status} |{cell} {med:.1f} | {p95(ts):.1f} | {'yes' if ok else '**no**'} |")
    print(f"\n{met}/{len(targets)} URLs within the target")


if __name__ == "__main__":
    main()
