import gzip
import json

from click.testing import CliRunner

from archive.cli import cli, datasette_args, datasette_metadata
from archive.store import save_article
from extract.article import ARTICLE_COLUMNS, Article

PAGE = """<!doctype html><html lang="it"><head><meta charset="utf-8">
<title>Derby d'Italia, la Juve vince - Curva Nord</title>
<link rel="canonical" href="https://www.curvanord.it/2026/02/10/derby-italia-juve-vince/">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Derby d'Italia, la Juve vince",
"datePublished":"2026-02-10T22:40:00+01:00","author":{"@type":"Person","name":"Mario Rossi"},"articleSection":"Serie A",
"keywords":["Juventus","Inter"]}</script></head>
<body><h1>Derby d'Italia, la Juve vince</h1><div class="entry-content">
<p>La Juventus ha vinto il derby d'Italia contro l'Inter con un gol nel finale, al termine di una partita tesa e combattuta in ogni zona del campo.</p>
<p>Decisivo l'ingresso dalla panchina dell'attaccante serbo, che ha trovato lo spazio giusto sul secondo palo a due minuti dalla fine.</p>
<p>Per i nerazzurri resta il rammarico per le occasioni sprecate nel primo tempo, quando la squadra aveva dominato il possesso palla.</p>
</div></body></html>"""


def test_extract_prints_one_json_line_per_file(tmp_path):
    plain = tmp_path / "a.html"
    plain.write_text(PAGE, encoding="utf-8")
    packed = tmp_path / "b.html.gz"
    packed.write_bytes(gzip.compress(PAGE.encode("utf-8")))
    result = CliRunner().invoke(cli, ["extract", str(plain), str(packed)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == 2
    for record in lines:
        assert {"file", "url", "title", "text", "published", "author", "section", "tags"} <= set(record)
        assert record["status"] == "ok"
        assert record["url"] == "https://www.curvanord.it/2026/02/10/derby-italia-juve-vince/"
        assert record["title"] == "Derby d'Italia, la Juve vince"
        assert record["author"] == "Mario Rossi"
        assert record["published"] == "2026-02-10T22:40:00+01:00"
        assert record["tags"] == ["Juventus", "Inter"]
        assert record["text"].count("\n\n") == 2


def test_extract_url_option_only_with_one_file(tmp_path):
    f = tmp_path / "a.html"
    f.write_text(PAGE)
    result = CliRunner().invoke(cli, ["extract", str(f), str(f), "--url", "https://x.it/a/"])
    assert result.exit_code != 0 and "--url" in result.output


def test_extract_reports_unreadable_gzip(tmp_path):
    f = tmp_path / "broken.html.gz"
    f.write_bytes(b"\x1f\x8b\x08\x00garbage")
    result = CliRunner().invoke(cli, ["extract", str(f)])
    assert result.exit_code == 1
    assert "cannot read" in result.output


def test_serve_refuses_a_missing_archive(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0 and "no archive" in result.output


def test_metadata_describes_every_column(fresh_db):
    meta = datasette_metadata("calcio")
    described = meta["databases"]["calcio"]["tables"]["articles"]["columns"]
    assert set(fresh_db["articles"].columns_dict) == set(described)
    assert set(ARTICLE_COLUMNS) <= set(described)


async def _get(ds, path):
    return await ds.client.get(path)


def test_datasette_serves_the_archive_read_only_with_metadata(fresh_db, db_path):
    import asyncio

    from datasette.app import Datasette

    save_article(fresh_db, Article(url="https://www.curvanord.it/a/", site="curvanord", title="<script>alert(1)</script>",
                                   text="Testo dell'articolo.", fetched_at="2026-11-26T10:00:00+00:00"))
    ds = Datasette([str(db_path)], metadata=datasette_metadata(db_path.stem))
    page = asyncio.run(_get(ds, f"/{db_path.stem}/articles"))
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "Canonical URL of the article" in page.text


def test_serve_never_opens_the_live_file_immutable(db_path, fresh_db):
    args = datasette_args(str(db_path), "127.0.0.1", 8001, "/tmp/meta.json")
    assert "-i" not in args and "--immutable" not in args
    assert args[args.index("serve") + 1] == str(db_path)


def test_extract_a_page_without_canonical_or_url(tmp_path):
    page = PAGE.replace('<link rel="canonical" href="https://www.curvanord.it/2026/02/10/derby-italia-juve-vince/">', "")
    f = tmp_path / "0a1b2c3d.html.gz"
    f.write_bytes(gzip.compress(page.encode("utf-8")))
    record = json.loads(CliRunner().invoke(cli, ["extract", str(f)]).output)
    assert record["status"] == "ok", record
    assert record["url"].startswith("file://") and record["text"].startswith("La Juventus ha vinto")


def test_serve_public_uses_a_snapshot_immutable_without_sql(fresh_db, db_path, monkeypatch):
    import sqlite3

    save_article(fresh_db, Article(url="https://www.curvanord.it/a/", site="curvanord", title="Titolo",
                                   text="Testo.", fetched_at="2026-11-26T10:00:00+00:00"))
    captured = {}
    monkeypatch.setattr("os.execv", lambda exe, args: captured.update(args=args))
    result = CliRunner().invoke(cli, ["serve", "--db", str(db_path), "--public"])
    assert result.exit_code == 0, result.output
    args = captured["args"]
    snapshot = args[args.index("-i") + 1]
    assert snapshot != str(db_path) and str(db_path) not in args  # the live file is never served
    assert sqlite3.connect(snapshot).execute("select title from articles").fetchall() == [("Titolo",)]
    assert args[args.index("--host") + 1] == "0.0.0.0"
    metadata = json.loads(open(args[args.index("--metadata") + 1]).read())
    assert metadata["allow_sql"] is False


def test_serve_local_allows_sql_on_the_live_file(fresh_db, db_path, monkeypatch):
    captured = {}
    monkeypatch.setattr("os.execv", lambda exe, args: captured.update(args=args))
    assert CliRunner().invoke(cli, ["serve", "--db", str(db_path)]).exit_code == 0
    args = captured["args"]
    assert "-i" not in args and str(db_path) in args
    metadata = json.loads(open(args[args.index("--metadata") + 1]).read())
    assert "allow_sql" not in metadata
