#!/usr/bin/env python3
"""Extraction quality and speed: our extractor against plain trafilatura, in one run.

Runs each extractor over the pages of the article-extraction-benchmark (scrapinghub), scores the
texts as that benchmark does (see ``benchmarks/scoring.py``) and prints one table: precision,
recall, F1, median ms/page, and each median time as a ratio to plain trafilatura's in the same run.

    .venv/bin/python benchmarks/extraction_quality.py
    .venv/bin/python benchmarks/extraction_quality.py --limit 40 --extractors ours,trafilatura
    .venv/bin/python benchmarks/extraction_quality.py --data /path/to/article-extraction-benchmark

Timing is single-process and interleaved (each page goes through every extractor before the next
page), so machine noise hits all extractors alike; compare ratios, not absolute times.
"""

from __future__ import annotations

import argparse
import gzip
import json
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

from benchmarks.scoring import Scores, TpFpFn, corpus_scores, page_tp_fp_fn  # noqa: E402

DEFAULT_DATA = REPO_ROOT.parent / "shared" / "benchmarks" / "article-extraction"
BASELINE = "trafilatura"

Extractor = Callable[[str, str], "str | None"]


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    html: str
    truth: str


# --------------------------------------------------------------------------- data set

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def decode_page(raw: bytes) -> str:
    """Decode as the benchmark does (UTF-8); if that fails, the charset the page declares; else replace."""
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


def load_ground_truth(data_dir: Path) -> dict[str, dict]:
    path = Path(data_dir) / "ground-truth.json"
    return json.loads(path.read_text(encoding="utf-8"))


def data_available(data_dir: Path | str = DEFAULT_DATA) -> bool:
    data_dir = Path(data_dir)
    return (data_dir / "ground-truth.json").is_file() and (data_dir / "html").is_dir()


def load_pages(
    data_dir: Path | str = DEFAULT_DATA,
    ids: Iterable[str] | None = None,
    limit: int | None = None,
) -> list[Page]:
    """Pages sorted by id (or in the order of ``ids``), at most ``limit`` of them."""
    data_dir = Path(data_dir)
    truth = load_ground_truth(data_dir)
    wanted = list(ids) if ids is not None else sorted(truth)
    unknown = [i for i in wanted if i not in truth]
    if unknown:
        raise SystemExit(f"unknown page ids (not in ground-truth.json): {unknown[:5]}")
    if limit is not None:
        wanted = wanted[:limit]
    pages = []
    for page_id in wanted:
        with gzip.open(data_dir / "html" / f"{page_id}.html.gz", "rb") as f:
            html = decode_page(f.read())
        entry = truth[page_id]
        pages.append(Page(page_id, entry.get("url") or "", html, entry.get("articleBody") or ""))
    return pages


# --------------------------------------------------------------------------- extractors
# Plain trafilatura is run as the benchmark's own runner runs it (extractors/run_trafilatura.py:
# include_comments=False; reader comments are not article text), otherwise with its defaults.


def _ours(html: str, url: str) -> str | None:
    from extract import extract_article

    result = extract_article(html, url)
    return result.article.text if result.article else None


def _ours_body(html: str, url: str) -> str | None:
    """The body extractor alone, on the tree the page parser gives it: no page classification."""
    from extract.body import extract_body
    from extract.page import parse_html

    tree = parse_html(html)
    return extract_body(tree, url, None) if tree is not None else None


def _trafilatura(html: str, url: str) -> str | None:
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False)


def _trafilatura_precision(html: str, url: str) -> str | None:
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False, favor_precision=True)


EXTRACTORS: dict[str, Extractor] = {
    "ours": _ours,
    "ours_body": _ours_body,
    "trafilatura": _trafilatura,
    "trafilatura_precision": _trafilatura_precision,
}


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
class Run:
    name: str
    tp_fp_fns: list[TpFpFn] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    errors: int = 0
    empty: int = 0  # pages with no text at all (for "ours": also pages classified as non-articles)

    @property
    def scores(self) -> Scores:
        return corpus_scores(self.tp_fp_fns)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000 if self.seconds else float("nan")


def run_benchmark(pages: Sequence[Page], names: Sequence[str], progress: bool = False) -> dict[str, Run]:
    """Every page through every extractor (interleaved, one process); scores and times per extractor."""
    runs = {name: Run(name) for name in names}
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
            start = time.perf_counter()
            try:
                text = fn(page.html, page.url)
            except Exception as exc:  # an extractor crash is an empty prediction, counted
                text = None
                runs[name].errors += 1
                if progress:
                    print(f"  {name} failed on {page.id}: {exc!r}", file=sys.stderr)
            runs[name].seconds.append(time.perf_counter() - start)
            if not (text or "").strip():
                runs[name].empty += 1
            runs[name].tp_fp_fns.append(page_tp_fp_fn(page.truth, text))
        if progress and (n + 1) % 20 == 0:
            print(f"  {n + 1}/{len(pages)} pages", file=sys.stderr)
    return runs


def format_table(runs: dict[str, Run], pages: int) -> str:
    base = runs.get(BASELINE)
    lines = [
        f"{pages} pages",
        f"{'extractor':<24} {'precision':>9} {'recall':>7} {'F1':>6} {'ms/page':>8} {'× trafilatura':>14} {'no text':>8}",
    ]
    for run in runs.values():
        s = run.scores
        ratio = f"{run.median_ms / base.median_ms:.2f}" if base and base.median_ms > 0 else "-"
        errors = f"  ({run.errors} errors)" if run.errors else ""
        lines.append(
            f"{run.name:<24} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} {run.median_ms:>8.1f} {ratio:>14}"
            f" {run.empty:>8}{errors}"
        )
    lines.append(
        "ms/page: median wall time per page, one process; ratio: median / plain trafilatura's median; "
        "no text: pages with an empty prediction"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help=f"the benchmark's directory, with ground-truth.json and html/ (default: {DEFAULT_DATA})")
    parser.add_argument("--limit", type=int, help="only the first N pages (sorted by id)")
    parser.add_argument("--ids", type=Path, help="file with one page id per line (blank lines and # comments ignored)")
    parser.add_argument("--extractors", default=",".join(EXTRACTORS),
                        help=f"comma-separated, from: {', '.join(EXTRACTORS)} (default: all)")
    parser.add_argument("--without", default="",
                        help="comma-separated parts of our extractor to switch off, to measure what each brings: "
                             "a step of extract.body.OPTIONS (e.g. split_chunks), a paragraph rule of "
                             "extract.boilerplate (e.g. it_read_also), or noise:GROUP (e.g. noise:ads)")
    parser.add_argument("--per-page", type=Path, help="write per-page F1 of each extractor as JSON to this file")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)

    names = [n.strip() for n in args.extractors.split(",") if n.strip()]
    unknown = [n for n in names if n not in EXTRACTORS]
    if unknown or not names:
        parser.error(f"unknown extractors {unknown}; choose from {', '.join(EXTRACTORS)}")
    if not data_available(args.data):
        parser.error(
            f"no benchmark data at {args.data} (expected ground-truth.json and html/); "
            "get scrapinghub's article-extraction-benchmark and pass --data PATH"
        )
    ids = None
    if args.ids:
        ids = [line.split("#")[0].strip() for line in args.ids.read_text().splitlines()]
        ids = [i for i in ids if i]
    try:
        switch_off([w.strip() for w in args.without.split(",") if w.strip()])
    except ValueError as exc:
        parser.error(str(exc))
    pages = load_pages(args.data, ids=ids, limit=args.limit)
    runs = run_benchmark(pages, names, progress=not args.quiet)
    print(format_table(runs, len(pages)))
    if args.per_page:
        per_page = {}
        for run in runs.values():
            for page, (tp, fp, fn) in zip(pages, run.tp_fp_fns):
                per_page.setdefault(page.id, {})[run.name] = {
                    "tp": round(tp, 4), "fp": round(fp, 4), "fn": round(fn, 4)
                }
        args.per_page.write_text(json.dumps(per_page, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
