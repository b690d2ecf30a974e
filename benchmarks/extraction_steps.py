#!/usr/bin/env python3
"""Where ``extract_article`` spends its time, step by step, against plain trafilatura in the same run.

Each step of the extraction (the page parse, every metadata field, the page-type signals, the
body reading and its parts, the wall scan, football matching …) is wrapped in a timer for the
run (measurement only: the wrappers are set on the modules of this process). Every page goes
through ``extract_article`` and through plain ``trafilatura.extract`` (as
``extraction_quality.py`` runs it), interleaved. Prints, per set, the mean ms/page of each step
(inclusive: a step's time holds the steps it calls), the calls per page, and the mean ms of each
step over the pages that make the median (between the 40th and 60th percentile of the time). Times are CPU time
(``time.thread_time``): the waits of a shared machine are not counted.

    .venv/bin/python benchmarks/extraction_steps.py                    # both sets
    .venv/bin/python benchmarks/extraction_steps.py --sets aeb --limit 60
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Sequence

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.extraction_quality import (  # noqa: E402
    DEFAULT_DATA,
    DEFAULT_TRAFEVAL,
    SETS,
    load_pages,
    load_trafeval,
)

# (module, attribute, label): the functions timed, looked up on their module at call time
STEPS = (
    ("extract.page", "parse_html", "parse_html (every call)"),
    ("extract.metadata", "PageData", "metadata.PageData (JSON-LD, meta)"),
    ("extract.metadata", "canonical_url", "metadata.canonical_url"),
    ("extract.metadata", "published", "metadata.published"),
    ("extract.metadata", "_htmldate", "  htmldate"),
    ("extract.metadata", "title", "metadata.title"),
    ("extract.metadata", "modified", "metadata.modified"),
    ("extract.metadata", "byline", "metadata.byline"),
    ("extract.metadata", "section", "metadata.section"),
    ("extract.metadata", "tags", "metadata.tags"),
    ("extract.metadata", "description", "metadata.description"),
    ("extract.metadata", "image", "metadata.image"),
    ("extract.metadata", "paywalled", "metadata.paywalled"),
    ("extract.metadata", "language", "metadata.language"),
    ("extract.page", "read_signals", "pagetype.read_signals"),
    ("extract.page", "liveblog_text", "liveblog_text"),
    ("extract.page", "read_body", "body.read_body"),
    ("extract.body", "_preclean", "  body._preclean"),
    ("extract.embeds", "find_embeds", "    embeds.find_embeds"),
    ("extract.embeds", "find_promo_boxes", "    embeds.find_promo_boxes"),
    ("extract.boilerplate", "find_noise_containers", "    boilerplate.find_noise_containers"),
    ("extract.body", "_trafilatura_text", "  body trafilatura calls"),
    ("extract.body", "_reparse", "  body._reparse"),
    ("extract.body", "_jsonld_body", "  body._jsonld_body"),
    ("extract.body", "_clean", "  body._clean"),
    ("extract.page", "classify", "pagetype.classify"),
    ("extract.walls", "detect", "walls.detect"),
    ("extract.metadata", "guess_language", "metadata.guess_language"),
    ("extract.page", "cap_fields", "caps.cap_fields"),
    ("extract.page", "extraction_confidence", "confidence"),
    ("extract.page", "football_entities", "football_entities"),
    ("extract.jsonld", "read_nodes", "jsonld.read_nodes (every call)"),
)


class Timers:
    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.active = False

    def wrap(self, label: str, fn):
        def timed(*args, **kwargs):
            if not self.active:
                return fn(*args, **kwargs)
            start = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[label] += time.thread_time() - start
                self.calls[label] += 1

        timed.__wrapped__ = fn
        return timed

    def install(self) -> None:
        import importlib

        for module_name, attr, label in STEPS:
            module = importlib.import_module(module_name)
            fn = getattr(module, attr, None)
            if fn is not None:
                setattr(module, attr, self.wrap(label, getattr(fn, "__wrapped__", fn)))


def run(pages, progress: bool = False) -> tuple[Timers, list[float], list[float]]:
    import trafilatura

    from extract import extract_article

    timers = Timers()
    timers.install()
    extract_article(pages[0].html, pages[0].url)  # imports and first-call caches
    trafilatura.extract(pages[0].html, url=pages[0].url, include_comments=False)
    ours, plain = [], []
    timers.per_page = []  # each page's seconds per step
    for n, page in enumerate(pages):
        before = dict(timers.seconds)
        for which in ((0, 1) if n % 2 else (1, 0)):
            start = time.thread_time()
            if which == 0:
                timers.active = True
                extract_article(page.html, page.url)
                timers.active = False
                ours.append(time.thread_time() - start)
                timers.per_page.append({k: v - before.get(k, 0.0) for k, v in timers.seconds.items()})
            else:
                trafilatura.extract(page.html, url=page.url, include_comments=False)
                plain.append(time.thread_time() - start)
        if progress and (n + 1) % 100 == 0:
            print(f"  {n + 1}/{len(pages)}", file=sys.stderr)
    return timers, ours, plain


def report(dataset: str, timers: Timers, ours: list[float], plain: list[float]) -> str:
    n = len(ours)
    lines = [f"{dataset}: {n} pages; extract_article mean {1000 * sum(ours) / n:.1f} ms, median "
             f"{1000 * statistics.median(ours):.1f} ms; plain trafilatura mean {1000 * sum(plain) / n:.1f} ms, "
             f"median {1000 * statistics.median(plain):.1f} ms; median ratio "
             f"{statistics.median(ours) / statistics.median(plain):.2f}",
             f"  {'step':<44} {'ms/page':>8} {'calls/page':>10}"]
    # the pages that make the median: those between the 40th and 60th percentile of our time
    order = sorted(range(n), key=ours.__getitem__)
    band = order[int(0.4 * n):int(0.6 * n)] or order
    lines[-1] += f" {'median band':>12}"
    for _, _, label in STEPS:
        if timers.calls.get(label):
            in_band = sum(timers.per_page[i].get(label, 0.0) for i in band) / len(band)
            lines.append(f"  {label:<44} {1000 * timers.seconds[label] / n:>8.2f} {timers.calls[label] / n:>10.2f}"
                         f" {1000 * in_band:>12.2f}")
    in_band_total = sum(ours[i] for i in band) / len(band)
    lines.append(f"  (median band: the {len(band)} pages between the 40th and 60th percentile of extract_article's time,"
                 f" {1000 * in_band_total:.1f} ms each on average)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default=",".join(SETS), help=f"comma-separated, from: {', '.join(SETS)}")
    parser.add_argument("--limit", type=int, help="only N pages of each set, evenly spread over it")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    for dataset in [s.strip() for s in args.sets.split(",") if s.strip()]:
        if dataset not in SETS:
            parser.error(f"unknown set {dataset!r}; choose from {', '.join(SETS)}")
        pages = load_pages(DEFAULT_DATA, limit=args.limit) if dataset == "aeb" else load_trafeval(DEFAULT_TRAFEVAL, limit=args.limit)
        print(report(dataset, *run(pages, progress=not args.quiet)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
