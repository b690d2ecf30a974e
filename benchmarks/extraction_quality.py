#!/usr/bin/env python3
"""Extraction quality and speed on every development set, against plain trafilatura, in one run.

Two development sets (read where they are, never copied into the repository):

* ``aeb``: scrapinghub's article-extraction-benchmark (181 article pages, one true body each),
  scored as that benchmark does (4-token shingles, ``benchmarks/scoring.py``);
* ``trafeval``: trafilatura's own evaluation corpus (990 pages of many kinds, ``with`` snippets the
  output must hold and ``without`` snippets it must not), scored as trafilatura does (substring
  matches summed over the corpus).

For each set and extractor it prints precision, recall, F1, lost pages, refused pages, median
ms/page and that median as a ratio to plain trafilatura's in the same run:

* lost page: AEB, shingle recall < 0.5 where plain trafilatura's is >= 0.8; trafeval, none of the
  page's ``with`` snippets found where plain trafilatura finds one (counted over accepted pages);
* refused page: ``extract_article`` said ``not_article`` (only ``ours``). On AEB (all articles) a
  refusal scores as an empty text. On trafeval (pages of every kind) every extractor is scored
  over the pages ``ours`` accepts, and the refused pages are counted and listed apart
  (``--details``), since an archive may rightly refuse a shop page.

    .venv/bin/python benchmarks/extraction_quality.py                         # both sets, all pages
    .venv/bin/python benchmarks/extraction_quality.py --sets aeb --limit 40
    .venv/bin/python benchmarks/extraction_quality.py --extractors ours,trafilatura --details out.json

Timing is single-process and interleaved (each page goes through every extractor before the next
page), so machine noise hits all extractors alike; compare ratios, not absolute times.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.scoring import (  # noqa: E402
    Scores,
    SnippetCounts,
    TpFpFn,
    corpus_scores,
    page_tp_fp_fn,
    recall_score,
    snippet_counts,
    snippet_scores,
)

SHARED = REPO_ROOT.parent / "shared" / "benchmarks"
DEFAULT_DATA = Path(os.environ.get("CALCIO_BENCHMARK_DATA") or SHARED / "article-extraction")
DEFAULT_TRAFEVAL = Path(os.environ.get("CALCIO_TRAFEVAL_DATA") or SHARED / "trafilatura-eval")
BASELINE = "trafilatura"
SETS = ("aeb", "trafeval")

# an extractor returns (text, refusal reason); the reason is None when the page was accepted
Extractor = Callable[[str, str], "tuple[str | None, str | None]"]


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    html: str
    truth: str = ""  # aeb: the true body
    with_: tuple[str, ...] = ()  # trafeval: snippets the output must hold
    without: tuple[str, ...] = ()  # trafeval: snippets it must not
    dataset: str = "aeb"


# --------------------------------------------------------------------------- data sets

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def decode_page(raw: bytes) -> str:
    """Decode as the AEB does (UTF-8); if that fails, the charset the page declares; else replace."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    match = _META_CHARSET.search(raw[:8192])
    if match:
        try:
            return raw.decode(match.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    return raw.decode("utf-8", errors="replace")


def spread(items: list, limit: int | None) -> list:
    """``limit`` items evenly spread over ``items`` (all when limit is None or larger)."""
    if limit is None or limit >= len(items):
        return items
    return [items[i * len(items) // limit] for i in range(limit)]


def load_ground_truth(data_dir: Path) -> dict[str, dict]:
    return json.loads((Path(data_dir) / "ground-truth.json").read_text(encoding="utf-8"))


def data_available(data_dir: Path | str = DEFAULT_DATA) -> bool:
    data_dir = Path(data_dir)
    return (data_dir / "ground-truth.json").is_file() and (data_dir / "html").is_dir()


def trafeval_available(data_dir: Path | str = DEFAULT_TRAFEVAL) -> bool:
    data_dir = Path(data_dir)
    return (data_dir / "evaldata.json").is_file() and (data_dir / "html").is_dir()


def load_pages(
    data_dir: Path | str = DEFAULT_DATA,
    ids: Iterable[str] | None = None,
    limit: int | None = None,
) -> list[Page]:
    """AEB pages sorted by id (or in the order of ``ids``); ``limit`` of them evenly spread."""
    data_dir = Path(data_dir)
    truth = load_ground_truth(data_dir)
    wanted = list(ids) if ids is not None else sorted(truth)
    unknown = [i for i in wanted if i not in truth]
    if unknown:
        raise SystemExit(f"unknown page ids (not in ground-truth.json): {unknown[:5]}")
    pages = []
    for page_id in spread(wanted, limit):
        with gzip.open(data_dir / "html" / f"{page_id}.html.gz", "rb") as f:
            html = decode_page(f.read())
        entry = truth[page_id]
        pages.append(Page(page_id, entry.get("url") or "", html, entry.get("articleBody") or ""))
    return pages


def load_trafeval(data_dir: Path | str = DEFAULT_TRAFEVAL, limit: int | None = None) -> list[Page]:
    """trafilatura-eval pages sorted by file name, decoded as a crawler would (extract.encoding)."""
    from extract.encoding import decode_body

    data_dir = Path(data_dir)
    entries = json.loads((data_dir / "evaldata.json").read_text(encoding="utf-8"))
    items = sorted(entries.items(), key=lambda kv: kv[1]["file"])
    pages = []
    for url, entry in spread(items, limit):
        with gzip.open(data_dir / "html" / f"{entry['file']}.gz", "rb") as f:
            html, _ = decode_body(f.read())
        pages.append(Page(entry["file"], url, html, with_=tuple(entry.get("with") or ()),
                          without=tuple(entry.get("without") or ()), dataset="trafeval"))
    return pages


# --------------------------------------------------------------------------- extractors
# Plain trafilatura is run as the AEB's own runner runs it (extractors/run_trafilatura.py:
# include_comments=False; reader comments are not article text), otherwise with its defaults
# (include_tables=True, as the trafilatura-eval README measures it).


def _ours(html: str, url: str):
    from extract import extract_article

    result = extract_article(html, url)
    if result.status == "not_article":
        return None, result.reason or "not_article"
    return (result.article.text if result.article else None), None


def _ours_body(html: str, url: str):
    """The body extractor alone, on the tree the page parser gives it: no page classification."""
    from extract.body import extract_body
    from extract.page import parse_html

    tree = parse_html(html)
    return (extract_body(tree, url, None) if tree is not None else None), None


def _trafilatura(html: str, url: str):
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False), None


def _trafilatura_precision(html: str, url: str):
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False, favor_precision=True), None


def _trafilatura_recall(html: str, url: str):
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False, favor_recall=True), None


EXTRACTORS: dict[str, Extractor] = {
    "ours": _ours,
    "ours_body": _ours_body,
    "trafilatura": _trafilatura,
    "trafilatura_precision": _trafilatura_precision,
    "trafilatura_recall": _trafilatura_recall,
}
DEFAULT_EXTRACTORS = ("ours", "ours_body", "trafilatura", "trafilatura_precision")


def switch_off(names: Sequence[str]) -> None:
    """Switch off parts of our extractor in this process (measurement only)."""
    from extract import body, boilerplate

    rules = {r.name for r in boilerplate.PARAGRAPH_RULES}
    for name in names:
        if name in body.OPTIONS:
            body.OPTIONS[name] = False
        elif name in rules:
            boilerplate.BOILERPLATE_DISABLED.add(name)
        elif name.startswith("noise:") and name[6:] in boilerplate.NOISE_TOKEN_PATTERNS:
            boilerplate.NOISE_DISABLED.add(name[6:])
        else:
            raise ValueError(
                f"unknown part {name!r}: choose from {sorted(body.OPTIONS)}, {sorted(rules)}, "
                f"{['noise:' + g for g in boilerplate.NOISE_TOKEN_PATTERNS]}"
            )


# --------------------------------------------------------------------------- run


@dataclass
class PageResult:
    id: str
    score: tuple  # aeb: TpFpFn (normalised shingle overlaps); trafeval: SnippetCounts
    seconds: float
    refused: str | None = None
    empty: bool = False
    error: str | None = None


@dataclass
class Run:
    name: str
    dataset: str = "aeb"
    results: list[PageResult] = field(default_factory=list)

    @property
    def tp_fp_fns(self) -> list[TpFpFn]:
        return [r.score for r in self.results]

    @property
    def seconds(self) -> list[float]:
        return [r.seconds for r in self.results]

    @property
    def errors(self) -> int:
        return sum(1 for r in self.results if r.error)

    @property
    def empty(self) -> int:
        return sum(1 for r in self.results if r.empty)

    @property
    def refused(self) -> list[PageResult]:
        return [r for r in self.results if r.refused]

    def scores(self, accepted: set[str] | None = None) -> Scores:
        results = [r for r in self.results if accepted is None or r.id in accepted]
        if self.dataset == "trafeval":
            return snippet_scores([r.score for r in results])
        return corpus_scores([r.score for r in results])

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000 if self.seconds else float("nan")


def page_score(page: Page, text: str | None) -> tuple:
    if page.dataset == "trafeval":
        return snippet_counts(page.with_, page.without, text)
    return page_tp_fp_fn(page.truth, text)


def lost(page_score_: tuple, base_score: tuple, dataset: str) -> bool:
    """The extractor lost the article where plain trafilatura kept it (see the module doc)."""
    if dataset == "trafeval":
        return page_score_[0] == 0 and base_score[0] > 0
    return recall_score(*page_score_) < 0.5 and recall_score(*base_score) >= 0.8


def run_benchmark(pages: Sequence[Page], names: Sequence[str], progress: bool = False) -> dict[str, Run]:
    """Every page through every extractor (interleaved, one process); results per extractor.

    All pages must belong to one data set (``Page.dataset``)."""
    dataset = pages[0].dataset if pages else "aeb"
    runs = {name: Run(name, dataset) for name in names}
    extractors = [(name, EXTRACTORS[name]) for name in names]
    # warm up: imports and first-call caches are not the extractor's per-page cost
    if pages:
        for _, fn in extractors:
            try:
                fn(pages[0].html, pages[0].url)
            except Exception:
                pass
    for n, page in enumerate(pages):
        # rotate the order so no extractor always runs right after another's cache-warming
        order = extractors[n % len(extractors) :] + extractors[: n % len(extractors)]
        for name, fn in order:
            error = refused = None
            start = time.perf_counter()
            try:
                text, refused = fn(page.html, page.url)
            except Exception as exc:  # an extractor crash is an empty prediction, counted
                text, error = None, repr(exc)
                if progress:
                    print(f"  {name} failed on {page.id}: {exc!r}", file=sys.stderr)
            seconds = time.perf_counter() - start
            runs[name].results.append(
                PageResult(page.id, page_score(page, text), seconds, refused, not (text or "").strip(), error)
            )
        if progress and (n + 1) % 50 == 0:
            print(f"  {dataset}: {n + 1}/{len(pages)} pages", file=sys.stderr)
    return runs


def accepted_ids(runs: dict[str, Run]) -> set[str] | None:
    """trafeval: the pages ``ours`` accepts (every extractor is scored on those); aeb: all."""
    ours = runs.get("ours")
    if ours is None or ours.dataset != "trafeval":
        return None
    return {r.id for r in ours.results if not r.refused}


def lost_pages(runs: dict[str, Run], name: str) -> list[str]:
    base = runs.get(BASELINE)
    if base is None or name == BASELINE:
        return []
    accepted = accepted_ids(runs)
    out = []
    for mine, theirs in zip(runs[name].results, base.results):
        if accepted is not None and mine.id not in accepted:
            continue
        if lost(mine.score, theirs.score, runs[name].dataset):
            out.append(mine.id)
    return out


HEADER = (f"{'set':<9} {'extractor':<22} {'pages':>5} {'P':>6} {'R':>6} {'F1':>6} {'ΔF1':>7} {'lost':>5} "
          f"{'refused':>7} {'ms/page':>8} {'×traf':>6}")


def format_rows(runs: dict[str, Run]) -> list[str]:
    base = runs.get(BASELINE)
    accepted = accepted_ids(runs)
    base_f1 = base.scores(accepted).f1 if base else None
    lines = []
    for run in runs.values():
        s = run.scores(accepted)
        ratio = f"{run.median_ms / base.median_ms:.2f}" if base and base.median_ms > 0 else "-"
        delta = f"{s.f1 - base_f1:+.3f}" if base_f1 is not None else "-"
        errors = f"  ({run.errors} errors)" if run.errors else ""
        lines.append(
            f"{run.dataset:<9} {run.name:<22} {s.pages:>5} {s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f} "
            f"{delta:>7} {len(lost_pages(runs, run.name)):>5} {len(run.refused):>7} {run.median_ms:>8.1f} "
            f"{ratio:>6}{errors}"
        )
    return lines


FOOTNOTE = (
    "pages: pages scored (trafeval: those `ours` accepts); ΔF1: F1 minus plain trafilatura's on the same pages; "
    "lost: pages where the extractor lost the article that plain trafilatura kept; refused: pages "
    "`extract_article` called not_article (aeb: scored as empty); ms/page: median wall time, one process; "
    "×traf: that median over plain trafilatura's"
)


def format_table(runs_by_set: dict[str, dict[str, Run]] | dict[str, Run], pages: int | None = None) -> str:
    """One table for every data set run (``{set: {extractor: Run}}``, or one set's ``{extractor: Run}``)."""
    if runs_by_set and all(isinstance(v, Run) for v in runs_by_set.values()):
        runs_by_set = {"_": runs_by_set}
    lines = [HEADER]
    for runs in runs_by_set.values():
        lines.extend(format_rows(runs))
    lines.append(FOOTNOTE)
    return "\n".join(lines)


def details(runs_by_set: dict[str, dict[str, Run]]) -> dict:
    """Per set: refused pages with their reason, lost pages per extractor, per-page scores."""
    out = {}
    for dataset, runs in runs_by_set.items():
        ours = runs.get("ours")
        out[dataset] = {
            "refused": {r.id: r.refused for r in ours.refused} if ours else {},
            "lost": {name: lost_pages(runs, name) for name in runs if name != BASELINE},
            "pages": {
                r.id: {name: [round(x, 4) for x in runs[name].results[i].score] for name in runs}
                for i, r in enumerate(next(iter(runs.values())).results)
            },
        }
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default=",".join(SETS), help=f"comma-separated, from: {', '.join(SETS)} (default: all)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help=f"the AEB directory, with ground-truth.json and html/ (default: {DEFAULT_DATA})")
    parser.add_argument("--trafeval-data", type=Path, default=DEFAULT_TRAFEVAL,
                        help=f"the trafilatura-eval directory, with evaldata.json and html/ (default: {DEFAULT_TRAFEVAL})")
    parser.add_argument("--limit", type=int, help="only N pages of each set, evenly spread over it")
    parser.add_argument("--ids", type=Path, help="AEB only: file with one page id per line (# comments ignored)")
    parser.add_argument("--extractors", default=",".join(DEFAULT_EXTRACTORS),
                        help=f"comma-separated, from: {', '.join(EXTRACTORS)} (default: {', '.join(DEFAULT_EXTRACTORS)})")
    parser.add_argument("--without", default="",
                        help="comma-separated parts of our extractor to switch off, to measure what each brings: "
                             "a step of extract.body.OPTIONS (e.g. split_chunks), a paragraph rule of "
                             "extract.boilerplate (e.g. it_read_also), or noise:GROUP (e.g. noise:ads)")
    parser.add_argument("--details", "--per-page", dest="details", type=Path,
                        help="write refused and lost pages and per-page scores as JSON to this file")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)

    names = [n.strip() for n in args.extractors.split(",") if n.strip()]
    unknown = [n for n in names if n not in EXTRACTORS]
    if unknown or not names:
        parser.error(f"unknown extractors {unknown}; choose from {', '.join(EXTRACTORS)}")
    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    if not sets or any(s not in SETS for s in sets):
        parser.error(f"unknown sets {sets}; choose from {', '.join(SETS)}")
    try:
        switch_off([w.strip() for w in args.without.split(",") if w.strip()])
    except ValueError as exc:
        parser.error(str(exc))
    runs_by_set: dict[str, dict[str, Run]] = {}
    for dataset in sets:
        if dataset == "aeb":
            if not data_available(args.data):
                parser.error(f"no AEB data at {args.data} (expected ground-truth.json and html/); "
                             "get scrapinghub's article-extraction-benchmark and pass --data PATH")
            ids = None
            if args.ids:
                ids = [line.split("#")[0].strip() for line in args.ids.read_text().splitlines()]
                ids = [i for i in ids if i]
            pages = load_pages(args.data, ids=ids, limit=args.limit)
        else:
            if not trafeval_available(args.trafeval_data):
                parser.error(f"no trafilatura-eval data at {args.trafeval_data} (expected evaldata.json and html/); "
                             "pass --trafeval-data PATH or --sets aeb")
            pages = load_trafeval(args.trafeval_data, limit=args.limit)
        runs_by_set[dataset] = run_benchmark(pages, names, progress=not args.quiet)
    print(format_table(runs_by_set))
    if args.details:
        args.details.write_text(json.dumps(details(runs_by_set), indent=1, sort_keys=True, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
