"""The benchmark's scoring, and a quality guard on a fixed subset of its pages.

The guard runs the extractor over the first 40 pages (sorted by id) of scrapinghub's
article-extraction-benchmark and fails when F1 falls below a floor set from measurement minus a
small margin (see benchmarks/RESULTS.md). It is skipped when the data set is not on this machine.
No timing is asserted here: timings are for benchmarks/extraction_quality.py, in one run.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from benchmarks import extraction_quality as eq
from benchmarks.scoring import (
    corpus_scores,
    page_tp_fp_fn,
    precision_score,
    recall_score,
    score_pairs,
    shingles,
    tokenize,
)

# ---------------------------------------------------------------- scoring


def test_tokens_are_unicode_word_runs():
    assert tokenize("Perché più città? L'Inter-Milan 2-1!") == ["Perché", "più", "città", "L", "Inter", "Milan", "2", "1"]
    assert tokenize(None) == []
    assert tokenize("") == []


def test_shingles_are_a_multiset_of_four_token_windows():
    s = shingles("a b c d e")
    assert s == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    rep = shingles("x y z w x y z w")
    assert rep[("x", "y", "z", "w")] == 2
    assert sum(rep.values()) == 5


def test_short_and_empty_texts():
    # fewer than four tokens: one shorter shingle, as the benchmark does; empty: none
    assert shingles("uno due") == {("uno", "due"): 1}
    assert shingles("") == {}
    assert shingles(None) == {}
    assert shingles("... —") == {}


def test_page_scores_are_normalised_overlaps():
    truth = "one two three four five six"  # 3 shingles
    assert page_tp_fp_fn(truth, truth) == (1.0, 0.0, 0.0)
    tp, fp, fn = page_tp_fp_fn(truth, "one two three four five six seven")  # 3 tp, 1 fp
    assert (tp, fp, fn) == pytest.approx((0.75, 0.25, 0.0))
    tp, fp, fn = page_tp_fp_fn(truth, "one two three four")  # 1 tp, 2 fn
    assert (tp, fp, fn) == pytest.approx((1 / 3, 0.0, 2 / 3))
    assert page_tp_fp_fn(truth, "completely other words here") == (0.0, 0.25, 0.75)  # 1 fp, 3 fn


def test_multiset_counts_duplicates():
    truth = "a b c d"
    tp, fp, fn = page_tp_fp_fn(truth, "a b c d a b c d")  # the shingle twice, plus 3 unmatched windows
    assert tp == pytest.approx(1 / 5)
    assert fp == pytest.approx(4 / 5)
    assert fn == 0


def test_empty_prediction_counts_in_recall_only():
    truth = "one two three four five"
    assert page_tp_fp_fn(truth, None) == (0.0, 0.0, 1.0)
    assert page_tp_fp_fn(truth, "") == (0.0, 0.0, 1.0)
    scores = score_pairs([(truth, None), (truth, truth)])
    # precision: only the page with a prediction; recall: both pages
    assert scores.precision == 1.0
    assert scores.recall == 0.5
    assert scores.f1 == pytest.approx(2 / 3)


def test_both_empty_is_left_out():
    assert page_tp_fp_fn("", "") == (0.0, 0.0, 0.0)
    scores = corpus_scores([(0.0, 0.0, 0.0), (1.0, 0.0, 0.0)])
    assert (scores.precision, scores.recall) == (1.0, 1.0)


def test_f1_is_the_harmonic_mean_of_the_mean_precision_and_recall():
    pages = [(0.5, 0.5, 0.0), (0.5, 0.0, 0.5)]  # P=(0.5, 1.0), R=(1.0, 0.5)
    s = corpus_scores(pages)
    assert s.precision == pytest.approx(0.75)
    assert s.recall == pytest.approx(0.75)
    assert s.f1 == pytest.approx(0.75)  # not the mean of per-page F1s (2/3)


def test_precision_and_recall_edge_cases_follow_the_benchmark():
    assert precision_score(0.0, 0.0, 0.0) == 1.0
    assert recall_score(0.0, 0.0, 0.0) == 1.0
    assert precision_score(0.0, 0.0, 1.0) == 0.0
    assert recall_score(0.0, 1.0, 0.0) == 0.0


# ---------------------------------------------------------------- data set reading


def test_decode_page_prefers_utf8_then_the_declared_charset():
    assert eq.decode_page("Perché più città".encode("utf-8")) == "Perché più città"
    raw = '<meta charset="windows-1252"><p>Perché più città</p>'.encode("cp1252")
    assert "Perché più città" in eq.decode_page(raw)
    assert "\ufffd" in eq.decode_page(b"<p>caf\xe9</p>")  # undeclared, not UTF-8: replaced


def test_load_pages_from_a_small_data_set(tmp_path):
    (tmp_path / "html").mkdir()
    truth = {}
    for n, body in enumerate(["Primo articolo di prova.", "Secondo articolo di prova."]):
        page_id = f"{n:02d}ab"
        html = f"<html><body><article><p>{body}</p></article></body></html>"
        with gzip.open(tmp_path / "html" / f"{page_id}.html.gz", "wt", encoding="utf-8") as f:
            f.write(html)
        truth[page_id] = {"articleBody": body, "url": f"https://example.org/{n}"}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    assert eq.data_available(tmp_path)
    pages = eq.load_pages(tmp_path, limit=1)
    assert [p.id for p in pages] == ["00ab"]
    assert pages[0].truth == "Primo articolo di prova."
    assert pages[0].url == "https://example.org/0"
    runs = eq.run_benchmark(eq.load_pages(tmp_path), ["trafilatura"])
    assert len(runs["trafilatura"].tp_fp_fns) == 2
    table = eq.format_table(runs, 2)
    assert "trafilatura" in table and "F1" in table


def test_cli_rejects_unknown_extractor(tmp_path):
    with pytest.raises(SystemExit):
        eq.main(["--data", str(tmp_path), "--extractors", "nope"])


# ---------------------------------------------------------------- quality guard

GUARD_PAGES = 40
# measured on these 40 pages (see benchmarks/RESULTS.md), minus a small margin
FLOOR_F1 = {
    "ours_body": 0.980,  # measured 0.989: the body extractor alone
    "ours": 0.980,  # measured 0.989: extract_article, page classification included
}

DATA = Path(os.environ.get("CALCIO_BENCHMARK_DATA", eq.DEFAULT_DATA))


@pytest.fixture(scope="module")
def guard_runs():
    if not eq.data_available(DATA):
        pytest.skip(
            f"article-extraction-benchmark not found at {DATA} (set CALCIO_BENCHMARK_DATA to its directory)"
        )
    pages = eq.load_pages(DATA, limit=GUARD_PAGES)
    return eq.run_benchmark(pages, list(FLOOR_F1))


@pytest.mark.parametrize("name", list(FLOOR_F1))
def test_quality_does_not_drop_below_floor(guard_runs, name):
    scores = guard_runs[name].scores
    assert scores.pages == GUARD_PAGES
    assert scores.f1 >= FLOOR_F1[name], (
        f"{name}: F1 {scores.f1:.4f} (P {scores.precision:.4f}, R {scores.recall:.4f}) on the first "
        f"{GUARD_PAGES} benchmark pages is below the floor {FLOOR_F1[name]}; run "
        f"benchmarks/extraction_quality.py --limit {GUARD_PAGES} --per-page out.json to see which pages moved"
    )
