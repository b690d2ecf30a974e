"""The one serialisation of a worker's result (PageRecord + Article) and of held state."""

from dataclasses import asdict, fields

from archive import distributed as wire
from archive.store import Held, PageRecord
from extract.article import Article


def test_a_result_round_trips_every_field():
    article = Article(url="https://x.it/a/", site="x", title="Titolo", text="Uno.\n\nDue è più.", tags=["Inter"],
                      authors=["Mario Rossi", "Anna Bianchi"], author="Mario Rossi, Anna Bianchi", paywall=True,
                      publisher="X", extraction_confidence=0.83, published="2026-11-01T10:00:00+01:00")
    page = PageRecord(url="https://x.it/a/?utm_source=y", site="x", status=200, fetched_at="2026-11-02T08:00:00+00:00",
                      outcome="ok", warc_file="calcio-host-20261102080000-12-00001.warc.gz", warc_offset=10,
                      warc_length=99, etag='"abc"', page_type="article")
    data = wire.decode(wire.encode("page", "host:12:ab", page=page, article=article))
    assert data["kind"] == "page" and data["worker"] == "host:12:ab"
    assert asdict(data["page"]) == asdict(page)
    assert data["article"] == article
    assert {f.name for f in fields(Article)} <= set(asdict(data["article"]))


def test_a_page_without_article_and_held_state():
    page = PageRecord(url="https://x.it/", site="x", status=304, fetched_at="t", outcome="not_modified", kind="not_modified")
    assert wire.decode(wire.encode("page", "w", page=page, article=None))["article"] is None
    held = Held(fetched_at="2026-11-02T08:00:00+00:00", published="2026-11-01", etag='"e"', last_modified=None)
    assert wire.decode_held(wire.encode_held(held)) == held


def test_a_result_an_ingest_wrote_before_dying_is_counted_as_what_it_was(tmp_path):
    # the ingest committed the page, then died before counting it: written again on restart, the
    # article reads "unchanged", yet it was new in this run
    from archive.db import open_db
    from archive.ingest import Ingest

    db = open_db(str(tmp_path / "calcio.db"))
    ingest = Ingest(db, client=None)
    ingest.start("w", {"spider": "calcio", "sites": ["x"], "started_at": "2026-11-02T07:59:00+00:00", "lease": 60})
    article = Article(url="https://x.it/a/", site="x", title="Titolo", text="Uno.\n\nDue è più.",
                      fetched_at="2026-11-02T08:00:00+00:00")
    article.content_hash = article.compute_hash()
    page = PageRecord(url="https://x.it/a/", site="x", status=200, fetched_at="2026-11-02T08:00:00+00:00",
                      outcome="ok", page_type="article")
    data = wire.decode(wire.encode("page", "w", page=page, article=article))
    assert ingest.page("w", data)[0] == {"archive/new": 1}
    ingest.saved.clear()  # the restarted ingest remembers nothing
    again = wire.decode(wire.encode("page", "w", page=page, article=article))
    assert ingest.page("w", again, redelivered=True)[0] == {"archive/new": 1}
    # a result delivered once that finds the article already there is unchanged, as before
    ingest.saved.clear()
    assert ingest.page("w", wire.decode(wire.encode("page", "w", page=page, article=article)))[0] == {"archive/unchanged": 1}
