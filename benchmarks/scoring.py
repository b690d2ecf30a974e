"""Scoring of the article-extraction-benchmark (scrapinghub), re-implemented.

The rules are those of the benchmark's ``evaluate.py``:

* tokens are runs of ``\\w+`` (unicode);
* a text becomes the multiset of its 4-token shingles (a text with fewer than
  four tokens gives one shorter shingle; an empty or ``None`` text gives none);
* per page, tp/fp/fn are the multiset overlaps of predicted and true shingles,
  each divided by tp+fp+fn so that long pages do not weigh more;
* corpus precision is the mean of the per-page precisions over the pages where
  something was predicted (tp+fp > 0), corpus recall the mean of the per-page
  recalls over the pages that have a true text (tp+fn > 0);
* F1 is the harmonic mean of those two means (not a mean of per-page F1s).

So an extractor that returns nothing for a page loses recall on that page
(recall 0) and is not counted in precision for it, exactly as upstream.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

NGRAM_N = 4

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)

TpFpFn = tuple[float, float, float]


def tokenize(text: str | None) -> list[str]:
    return _TOKEN_RE.findall(text or "")


def shingles(text: str | None, n: int = NGRAM_N) -> Counter:
    """The multiset of ``n``-token shingles of ``text``."""
    tokens = tokenize(text)
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def page_tp_fp_fn(true: str | None, pred: str | None, n: int = NGRAM_N) -> TpFpFn:
    """Normalised (tp, fp, fn) of one page: they sum to 1, or are all 0 when both texts are empty."""
    t, p = shingles(true, n), shingles(pred, n)
    tp = float(sum((t & p).values()))
    fp = float(sum((p - t).values()))
    fn = float(sum((t - p).values()))
    s = tp + fp + fn
    if s > 0:
        return (tp / s, fp / s, fn / s)
    return (tp, fp, fn)


def precision_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    pages: int


def corpus_scores(tp_fp_fns: Sequence[TpFpFn]) -> Scores:
    """Corpus precision/recall (means over pages, as upstream) and their harmonic mean."""
    precisions = [precision_score(*x) for x in tp_fp_fns if x[0] + x[1] > 0]
    recalls = [recall_score(*x) for x in tp_fp_fns if x[0] + x[2] > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return Scores(precision, recall, f1, len(tp_fp_fns))


def score_pairs(pairs: Iterable[tuple[str | None, str | None]]) -> Scores:
    """Score (true, predicted) text pairs."""
    return corpus_scores([page_tp_fp_fn(t, p) for t, p in pairs])


# --------------------------------------------------------------------------- trafilatura-eval
# trafilatura's own evaluation (tests/comparison*.py in its repository): every ``with`` snippet
# found in the output is a true positive, every one missing a false negative; every ``without``
# snippet found is a false positive, every one missing a true negative. Counts are summed over the
# corpus; P = tp/(tp+fp), R = tp/(tp+fn), F1 = 2tp/(2tp+fp+fn). Whitespace is normalised on both
# sides. A page with no output misses every ``with`` snippet.

SnippetCounts = tuple[int, int, int, int]  # tp, fn, fp, tn


def _ws(text: str) -> str:
    return " ".join(text.split())


def snippet_counts(with_: Sequence[str], without: Sequence[str], text: str | None) -> SnippetCounts:
    out = _ws(text or "")
    tp = sum(1 for s in with_ if out and _ws(s) in out)
    fp = sum(1 for s in without if out and _ws(s) in out)
    return (tp, len(with_) - tp, fp, len(without) - fp)


def snippet_scores(counts: Sequence[SnippetCounts]) -> Scores:
    tp = sum(c[0] for c in counts)
    fn = sum(c[1] for c in counts)
    fp = sum(c[2] for c in counts)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return Scores(precision, recall, f1, len(counts))
