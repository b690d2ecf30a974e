"""articles.extraction_confidence: from the agreement of the readings and the body's shape; the
canned query and ``reextract --low-confidence`` that take the doubtful articles."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli
from extract import extract_article
from extract.body import BodyReading, coverage
from extract.confidence import LOW_CONFIDENCE, extraction_confidence, shape_score
from tests.crawling import rows, run_crawl, write_sites
from tests.newsroom import Newsroom

PROSE = (
    "Il Napoli ha battuto la Roma per due a uno al Maradona con una rete di Osimhen nel finale, "
    "dopo che i giallorossi avevano pareggiato il vantaggio iniziale di Kvaratskhelia su rigore."
)
ARTICLE = "\n\n".join([PROSE] * 8)
TEASERS = "\n\n".join(["Serie A", "Le pagelle di Napoli-Roma", "Calciomercato", "Video", "Classifica"])


def test_coverage_is_the_share_of_the_reference_found():
    assert coverage("uno due tre quattro", "uno due tre quattro") == 1.0
    assert coverage("", "uno due tre quattro") == 0.0
    assert coverage("uno due tre", "") == 1.0
    assert coverage("a b c d", "a b c d e f g h") == pytest.approx(2 / 6)  # word trigrams


def test_a_full_article_scores_high_and_a_list_of_teasers_low():
    agreed = BodyReading(ARTICLE, agreement=0.98, structural_chars=len(ARTICLE))
    teasers = BodyReading(TEASERS, agreement=0.2, structural_chars=2000)
    assert extraction_confidence(agreed) > 0.9
    assert extraction_confidence(teasers) < LOW_CONFIDENCE
    assert shape_score(ARTICLE) > shape_score(TEASERS)


def test_disagreeing_readings_lower_the_confidence():
    same_text = [
        BodyReading(ARTICLE, agreement=1.0),
        BodyReading(ARTICLE, agreement=None),  # nothing to compare with
        BodyReading(ARTICLE, agreement=1.0, chosen="balanced"),  # the precision reading was replaced
        BodyReading(ARTICLE, agreement=0.3),
    ]
    scores = [extraction_confidence(r) for r in same_text]
    assert scores[0] > scores[1] and scores[0] > scores[2] > scores[3]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert extraction_confidence(BodyReading(None)) == 0.0


def test_extract_article_sets_the_confidence():
    page = f"""<html lang="it"><head><title>Napoli-Roma 2-1</title>
    <meta property="og:type" content="article"><meta property="article:published_time" content="2026-12-01T20:45:00+01:00">
    <script type="application/ld+json">{json.dumps({"@type": "NewsArticle", "headline": "Napoli-Roma 2-1",
                                                    "articleBody": ARTICLE.replace(chr(10) * 2, " ")})}</script>
    </head><body><article><h1>Napoli-Roma 2-1</h1>{''.join(f'<p>{PROSE}</p>' for _ in range(8))}</article></body></html>"""
    article = extract_article(page, "https://www.example.it/calcio/napoli-roma").article
    assert article is not None
    assert article.extraction_confidence > 0.9  # readings agree, article-shaped


# ---------------------------------------------------------------- archive


@pytest.fixture
def crawled(tmp_path):
    db = tmp_path / "a.db"
    with Newsroom(old=3, recent=1) as site:
        sites = write_sites(tmp_path, site, "campanile")
        run = run_crawl(sites, db)
        assert run.returncode == 0, run.log[-3000:]
    return db, tmp_path / "warc", sites


def _execute(db: Path, sql: str, params=()):
    con = sqlite3.connect(db)
    con.execute(sql, params)
    con.commit()
    con.close()


def test_stored_confidence_and_reextract_of_the_low_ones(crawled):
    db, warc, sites = crawled
    articles = rows(db)
    assert articles and all(0.0 <= a["extraction_confidence"] <= 1.0 for a in articles.values())
    low, high = sorted(articles)[:2]
    # two articles with an old extractor's text; only one of them was scored low
    for url, score in ((low, 0.1), (high, 0.95)):
        _execute(db, "update articles set text = 'vecchio', content_hash = 'old', extraction_confidence = ? where url = ?",
                 (score, url))
    con = sqlite3.connect(db)
    canned = json.loads((Path(__file__).parent.parent / "archive" / "metadata.json").read_text())
    sql = canned["databases"]["calcio"]["queries"]["low_confidence"]["sql"]
    assert [r[-1] for r in con.execute(sql, {"threshold": ""}).fetchall()] == [low]
    result = CliRunner().invoke(cli, ["reextract", "--db", str(db), "--warc-dir", str(warc), "--sites", str(sites),
                                      "--workers", "1", "--low-confidence"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 pages re-extracted: 1 articles changed"), result.output
    after = rows(db)
    assert after[low]["text"] == articles[low]["text"]
    assert after[low]["extraction_confidence"] == articles[low]["extraction_confidence"]
    assert after[high]["text"] == "vecchio"  # not taken: its confidence is above the threshold
    # a threshold above every score takes them all
    result = CliRunner().invoke(cli, ["reextract", "--db", str(db), "--warc-dir", str(warc), "--sites", str(sites),
                                      "--workers", "1", "--low-confidence", "1.01"])
    assert result.exit_code == 0, result.output
    assert rows(db)[high]["text"] == articles[high]["text"]
