"""The ``calcio-archive`` command: extract pages, serve the archive in Datasette."""

from __future__ import annotations

import gzip
import json
import os
import sys
from pathlib import Path

import click

from extract import extract_article
from extract.article import ARTICLE_COLUMNS
from extract.confidence import LOW_CONFIDENCE
from extract.encoding import decode_body
from extract.site import DEFAULT_SITE, SiteConfigError, SiteProfile, load_sites

from .db import DEFAULT_DB, ArchiveError, open_db

METADATA = Path(__file__).with_name("metadata.json")
STATIC = Path(__file__).with_name("static")
# our Datasette plugin (headline links, article history) and the row page that shows it
PLUGINS = Path(__file__).with_name("datasette_plugins")
TEMPLATES = Path(__file__).with_name("datasette_templates")
# The crawler's bundled sites list, read as data (the archive imports no crawler code).
# Datasette settings for an archive of 100k articles and more (see datasette_args)
FACET_TIME_LIMIT_MS = 50
BUNDLED_SITES = Path(__file__).resolve().parent.parent / "crawler" / "sites.toml"


@click.group()
@click.version_option(package_name="calcio-archive")
def cli():
    """calcio-archive: a searchable archive of the Italian sports press.

    Crawling is `scrapy crawl calcio`; this command works on pages and on the archive.
    """


def _read_page(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".gz" or data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data


def _site_for(url: str, sites: list[SiteProfile], name: str | None) -> SiteProfile:
    from urllib.parse import urlsplit

    from extract.urls import registered_host, same_site

    if name:
        for s in sites:
            if s.name == name:
                return s
        raise click.BadParameter(f"no site named {name!r} in the sites list", param_hint="--site")
    for s in sites:
        if same_site(url, s.url):
            return s
    host = urlsplit(url).hostname
    if host:  # a page of a site not in the list: named after its host
        return SiteProfile(name=registered_host(host), url=f"{urlsplit(url).scheme}://{host}/")
    return DEFAULT_SITE


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", help="The page's URL (only with one FILE); default: the page's canonical link, else file://")
@click.option("--site", "site_name", help="Site name from the sites list, for its rules")
@click.option("--sites", "sites_path", type=click.Path(dir_okay=False), help="Sites TOML (default: the bundled list)")
def extract(files, url, site_name, sites_path):
    """Extract stored pages (.html or .html.gz) and print one JSON object per file.

    Example: calcio-archive extract page.html.gz --url https://calciodangolo.com/x/
    """
    if url and len(files) > 1:
        raise click.UsageError("--url can only be given with one FILE")
    sites = _load_sites_or_bundled(sites_path)
    failures = 0
    for path in files:
        try:
            html, _ = decode_body(_read_page(path))
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            click.echo(f"{path}: cannot read: {exc}", err=True)
            failures += 1
            continue
        page_url = url or _declared_url(html) or path.resolve().as_uri()
        result = extract_article(html, page_url, _site_for(page_url, sites, site_name))
        record = {"file": str(path), "status": result.status, "reason": result.reason, "page_type": result.page_type}
        record.update({c: None for c in ARTICLE_COLUMNS})
        record["url"] = page_url
        if result.article:
            record.update(result.article.to_dict())
        record["entities"] = result.entities  # clubs, national teams, competitions (extract/football.py)
        click.echo(json.dumps(record, ensure_ascii=False))
    if failures:
        sys.exit(1)


def _declared_url(html: str) -> str | None:
    from extract.page import parse_html

    tree = parse_html(html)
    if tree is None:
        return None
    for href in tree.xpath("//link[@rel='canonical']/@href|//meta[@property='og:url']/@content"):
        if href.startswith(("http://", "https://")):
            return href
    return None


@cli.command()
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False))
@click.option("--warc-dir", default="data/warc", show_default=True, type=click.Path(file_okay=False), help="Where the WARC files are")
@click.option("--site", help="Only this site")
@click.option("--since", help="Only pages fetched on or after this date (ISO 8601, e.g. 2026-11-01)")
@click.option("--sites", "sites_path", type=click.Path(dir_okay=False), help="Sites TOML for the sites' rules (default: the bundled list)")
@click.option("--workers", default=os.cpu_count() or 1, show_default=True, type=int, help="Extraction processes")
@click.option("--low-confidence", "low_confidence", type=float, is_flag=False, flag_value=LOW_CONFIDENCE, default=None,
              help=f"Only articles whose extraction_confidence is below THRESHOLD (alone: {LOW_CONFIDENCE})",
              metavar="[THRESHOLD]")
def reextract(db_path, warc_dir, site, since, sites_path, workers, low_confidence):
    """Rebuild articles from the WARC files with the current extractor (no network).

    A changed article gets a new version marked "reextract" in its history.

    Example: calcio-archive reextract --db data/calcio.db --site calciodangolo --since 2026-11-01
    Only the doubtful ones: calcio-archive reextract --low-confidence 0.6
    """
    from .lock import AlreadyRunning, CrawlLock
    from .reextract import reextract as run

    if not Path(db_path).exists():
        raise click.ClickException(f"no archive at {db_path}")
    sites = _load_sites_or_bundled(sites_path)
    try:
        with CrawlLock(db_path):
            db = open_db(db_path)
            counts = run(db, warc_dir, sites, site=site, since=since, workers=workers, low_confidence=low_confidence)
            db.close()
    except AlreadyRunning as exc:
        raise click.ClickException(str(exc)) from None
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
    changed = counts["updated"] + counts["new"]
    click.echo(
        f"{counts['pages']} pages re-extracted: {changed} articles changed "
        f"({counts['new']} new, {counts['updated']} updated), {counts['unchanged']} unchanged, "
        f"{counts['not_article']} not articles, {counts['empty'] + counts['failed']} failed"
    )


@cli.command()
@click.option("--redis", "redis_url", required=True, help="The workers' frontier (their ARCHIVE_FRONTIER)")
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False))
@click.option("--until-idle", is_flag=True, help="Exit once results were written, none waits and no worker runs")
def ingest(redis_url, db_path, until_idle):
    """Write the results of crawl workers to the archive: the distributed crawl's one writer.

    Example: calcio-archive ingest --redis redis://10.0.0.5:6379/0 --db data/calcio.db
    """
    from .ingest import main

    main(redis_url, db_path, until_idle)


def _load_sites_or_bundled(sites_path):
    try:
        return load_sites(sites_path or BUNDLED_SITES)
    except SiteConfigError as exc:
        if sites_path:
            raise click.ClickException(str(exc)) from None
        return []


@cli.command()
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False))
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on")
@click.option("--public", is_flag=True,
              help="Serve a read-only snapshot (VACUUM INTO) to the network, without arbitrary SQL")
def serve(db_path, port, host, public):
    """Open the archive in Datasette (read-only; a crawl may be writing it).

    Example: calcio-archive serve --db data/calcio.db --port 8001
    """
    if not Path(db_path).exists():
        raise click.ClickException(f"no archive at {db_path}: run `scrapy crawl calcio` first")
    try:
        db = open_db(db_path)  # applies pending migrations and WAL before Datasette reads it
        db.execute("PRAGMA optimize")  # planner statistics refreshed where they are stale (cheap)
        if public:
            db_path = snapshot(db, Path(db_path))
        db.close()
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
    if public and host == "127.0.0.1":
        host = "0.0.0.0"
    local = host in ("127.0.0.1", "localhost", "::1")
    args = datasette_args(str(db_path), host, port, write_metadata(Path(db_path).stem, allow_sql=local), immutable=public)
    click.echo(f"Serving {db_path} on http://{host}:{port}/" + ("" if local else " (no arbitrary SQL)"), err=True)
    os.execv(sys.executable, args)  # Datasette takes over this process (and its signals)


# --- demo (issue 14) ------------------------------------------------------------------------
@cli.command()
@click.option("--db", "db_path", default="data/demo/calcio-demo.db", show_default=True, type=click.Path(dir_okay=False),
              help="Where to build the demo archive (rebuilt on every run)")
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--build-only", is_flag=True, help="Build the demo archive and exit, without opening Datasette")
@click.pass_context
def demo(ctx, db_path, port, build_only):
    """A first look, without network: build a small archive from the bundled sample pages
    (three news sites) with the real extractor, then open it in Datasette.

    Example: calcio-archive demo      # then open http://127.0.0.1:8001/
    """
    from .demo import build_demo

    try:
        counts = build_demo(db_path, workers=min(2, os.cpu_count() or 1))
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Demo archive {db_path}: {counts['new']} articles from {counts['pages']} sample pages "
               f"({counts['not_article']} not articles)", err=True)
    if not build_only:
        ctx.invoke(serve, db_path=db_path, port=port, host="127.0.0.1", public=False)


def snapshot(db, db_path: Path) -> Path:
    """A consistent copy of the live archive for public serving (``VACUUM INTO``)."""
    target = db_path.with_name(f"{db_path.stem}-snapshot.db")
    tmp = target.with_suffix(".db.tmp")
    tmp.unlink(missing_ok=True)
    db.execute("VACUUM INTO ?", [str(tmp)])
    os.replace(tmp, target)
    return target


def datasette_args(db_path: str, host: str, port: int, metadata_file: str, immutable: bool = False) -> list[str]:
    """Datasette's command line. The live file is opened read-only (a crawl may be writing
    it), never immutable (-i); only a snapshot is served immutable."""
    return [
        sys.executable, "-m", "datasette", "serve",
        *(["-i", db_path] if immutable else [db_path]),
        "--metadata", metadata_file,
        "--static", f"calcio-static:{STATIC}",
        "--plugins-dir", str(PLUGINS), "--template-dir", str(TEMPLATES),
        "--host", host, "--port", str(port),
        # measured at 100k articles (benchmarks/datasette_speed.py): suggested facets cost ~10x
        # per search; a facet that cannot finish in 50 ms (the authors and tags arrays, a
        # facet over a search matching tens of thousands of articles) is left out and the
        # page answers, instead of waiting 200 ms for each
        "--setting", "suggest_facets", "off",
        "--setting", "facet_time_limit_ms", str(FACET_TIME_LIMIT_MS),
        "--setting", "sql_time_limit_ms", "3000",
    ]


def datasette_metadata(db_name: str, allow_sql: bool = True) -> dict:
    """The shipped Datasette metadata, keyed by the served database's name."""
    meta = json.loads(METADATA.read_text(encoding="utf-8"))
    meta["databases"] = {db_name: next(iter(meta["databases"].values()))}
    for dashboard in meta.get("plugins", {}).get("datasette-dashboards", {}).values():
        for chart in dashboard.get("charts", {}).values():
            chart["db"] = db_name
    if not allow_sql:
        meta["allow_sql"] = False
    meta["description_html"] = meta.get("description_html", "").replace('href="/calcio/', f'href="/{db_name}/')
    return meta


def write_metadata(db_name: str, allow_sql: bool = True) -> str:
    """The metadata for this database, in one file per database and mode (rewritten on each
    start, so serving again and again leaves no trail of temporary files)."""
    import tempfile

    name = f"calcio-archive-metadata-{os.getuid()}-{db_name}-{'sql' if allow_sql else 'nosql'}.json"
    path = Path(tempfile.gettempdir()) / name
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(datasette_metadata(db_name, allow_sql), ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
    return str(path)
