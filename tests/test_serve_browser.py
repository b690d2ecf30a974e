"""`calcio-archive serve` as a real server, opened in headless Chromium (Debian's package)."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from archive.store import save_article
from extract.article import Article

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="needs Debian's chromium (apt-get install chromium); CI installs it",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chromium(*args: str, user_dir: Path) -> subprocess.CompletedProcess:
    assert CHROMIUM, "chromium is not installed"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={user_dir}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90)


@contextmanager
def serving(db_path: Path):
    """A real `calcio-archive serve` on a free port, until the block ends."""
    port = free_port()
    exe = Path(sys.executable).with_name("calcio-archive")
    proc = subprocess.Popen([str(exe), "serve", "--db", str(db_path), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail(f"calcio-archive serve did not start: {proc.stdout.read().decode()[-2000:]}")
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def server(fresh_db, db_path):
    save_article(fresh_db, Article(
        url="https://www.curvanord.it/2026/03/01/perche-la-juve-cambia/", site="curvanord",
        title="Perché la Juventus cambia modulo", published="2026-03-01T20:45:00+01:00",
        text="In città non si parla d'altro.\n\nL'allenatore ha spiegato perché la squadra cambia.",
        fetched_at="2026-03-02T08:00:00+00:00"))
    with serving(db_path) as base:
        yield base


def test_home_and_search_in_a_browser(server, db_path, tmp_path):
    shot = tmp_path / "home.png"
    chromium("--window-size=1280,900", f"--screenshot={shot}", server + "/", user_dir=tmp_path / "c1")
    assert shot.exists() and shot.stat().st_size > 10_000
    dom = chromium("--dump-dom", f"{server}/{db_path.stem}/articles?_search=perche", user_dir=tmp_path / "c2").stdout
    assert "Perché la Juventus cambia modulo" in dom
    assert "1 row" in dom
    search_shot = tmp_path / "search.png"
    chromium("--window-size=1280,900", f"--screenshot={search_shot}", f"{server}/{db_path.stem}/search?q=citta",
             user_dir=tmp_path / "c3")
    assert search_shot.exists() and search_shot.stat().st_size > 10_000


@pytest.fixture
def crawled_server(tmp_path):
    """The fixture sites crawled for real, one article then edited by its newsroom."""
    from archive.db import open_db
    from archive.store import get_article, now_utc
    from tests.crawling import run_crawl
    from tests.fixtures.server import FixtureSites

    db_path = tmp_path / "crawled.db"
    with FixtureSites() as sites:
        run = run_crawl(sites.write_sites_toml(tmp_path / "sites.toml"), db_path)
        assert run.returncode == 0, run.log[-3000:]
    db = open_db(db_path)
    url = db.execute("select url from articles where site = 'curvanord' order by url limit 1").fetchone()[0]
    edited = get_article(db, url)
    paragraphs = edited.text.split("\n\n")
    paragraphs[1] = paragraphs[1].replace(" ", " <b>davvero</b> ", 1)
    edited.text = "\n\n".join(paragraphs + ["Aggiornamento delle 18:40: la società ha confermato la notizia."])
    edited.fetched_at, edited.content_hash = now_utc(), None  # seen now, hashed anew
    assert save_article(db, edited, change="edit") == "updated"
    db.close()
    with serving(db_path) as base:
        yield base, db_path, url


def test_dashboards_and_an_article_diff_in_a_browser(crawled_server, tmp_path):
    from datasette.utils import tilde_encode

    base, db_path, url = crawled_server
    wait = "--virtual-time-budget=15000"  # the charts fetch their data and draw after load
    for slug in ("archive", "site-health"):
        dom = chromium(wait, "--dump-dom", f"{base}/-/dashboards/{slug}", user_dir=tmp_path / f"d-{slug}").stdout
        assert dom.count('role="graphics-document"') >= (1 if slug == "archive" else 3), slug  # charts drawn (SVG)
        shot = tmp_path / f"dashboard-{slug}.png"
        chromium(wait, "--window-size=1280,1100", f"--screenshot={shot}", f"{base}/-/dashboards/{slug}",
                 user_dir=tmp_path / f"s-{slug}")
        assert shot.exists() and shot.stat().st_size > 20_000
    page = f"{base}/{db_path.stem}/articles/{tilde_encode(url)}"
    dom = chromium("--dump-dom", page, user_dir=tmp_path / "d-row").stdout
    assert "<ins>Aggiornamento delle 18:40" in dom and "&lt;b&gt;davvero&lt;/b&gt;" in dom
    shot = tmp_path / "article-diff.png"
    chromium("--window-size=1280,1100", f"--screenshot={shot}", page, user_dir=tmp_path / "s-row")
    assert shot.exists() and shot.stat().st_size > 20_000
