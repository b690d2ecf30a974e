"""`calcio-archive demo`: without network, a small archive built from the bundled sample
through the real reextract path, then served by Datasette on 127.0.0.1."""

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.fixtures.server import SITE_NAMES, FixtureSite


def expected_titles() -> set[str]:
    titles = set()
    for name in SITE_NAMES:
        site = FixtureSite(name)
        for article in site.articles():
            titles.add(json.loads((site.dir / article["expected"]).read_text(encoding="utf-8"))["title"])
    return titles


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())


def test_demo_builds_and_serves_the_sample_archive(tmp_path):
    db = tmp_path / "demo.db"
    port = free_port()
    exe = Path(sys.executable).with_name("calcio-archive")
    proc = subprocess.Popen([str(exe), "demo", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                get_json(base + "/-/versions.json")
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                time.sleep(0.2)
        rows = get_json(f"{base}/{db.stem}/articles.json?_shape=array&_size=max&_col=title&_col=site&_col=authors")
        assert {r["title"] for r in rows} == expected_titles()  # every sample article, extracted anew
        assert {r["site"] for r in rows} == set(SITE_NAMES)
        assert any(len(json.loads(r["authors"])) for r in rows)
        with urllib.request.urlopen(f"{base}/-/dashboards/archive", timeout=10) as r:
            assert r.status == 200
        hits = get_json(f"{base}/{db.stem}/search.json?q=Inter&_shape=array")
        assert hits and all("url" in h for h in hits)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert f"Demo archive {db}: {len(expected_titles())} articles" in out


def test_demo_build_only_rebuilds_from_scratch(tmp_path):
    db = tmp_path / "demo.db"
    exe = Path(sys.executable).with_name("calcio-archive")
    for _ in range(2):  # a second run starts again: the same articles, one version each
        run = subprocess.run([str(exe), "demo", "--db", str(db), "--build-only"], capture_output=True, text=True,
                             timeout=120)
        assert run.returncode == 0, run.stderr
    import sqlite3

    con = sqlite3.connect(db)
    assert con.execute("select count(*) from articles").fetchone()[0] == len(expected_titles())
    assert con.execute("select count(*) from article_versions").fetchone()[0] == len(expected_titles())
    con.close()
