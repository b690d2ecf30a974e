#!/usr/bin/env python3
"""Page types on the development sets: how many pages extract_article refuses, and as what.

Both sets are (nearly) all articles, so every refused page is a page the archive would lose
unless it really is something else; the program lists them with their type and evidence.

    .venv/bin/python benchmarks/page_types.py                 # both sets
    .venv/bin/python benchmarks/page_types.py --set aeb --list
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.extraction_quality import DEFAULT_DATA, data_available, load_pages  # noqa: E402
from extract import extract_article  # noqa: E402
from extract.encoding import decode_body  # noqa: E402

TRAFILATURA_EVAL = REPO_ROOT.parent / "shared" / "benchmarks" / "trafilatura-eval"


def aeb_pages():
    for p in load_pages(DEFAULT_DATA):
        yield p.url, p.html


def trafilatura_eval_pages():
    data = json.loads((TRAFILATURA_EVAL / "evaldata.json").read_text(encoding="utf-8"))
    for url, entry in data.items():
        path = TRAFILATURA_EVAL / "html" / (entry["file"] + ".gz")
        if path.exists():
            with gzip.open(path) as f:
                yield url, decode_body(f.read(), None)[0]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", choices=["aeb", "trafilatura-eval", "both"], default="both")
    ap.add_argument("--list", action="store_true", help="list every refused page with its type and reason")
    args = ap.parse_args(argv)
    sets = []
    if args.set in ("aeb", "both") and data_available(DEFAULT_DATA):
        sets.append(("article-extraction-benchmark", aeb_pages()))
    if args.set in ("trafilatura-eval", "both") and (TRAFILATURA_EVAL / "evaldata.json").exists():
        sets.append(("trafilatura-eval", trafilatura_eval_pages()))
    print("| set | pages | stored (article, liveblog) | refused | refused as |")
    print("| --- | --- | --- | --- | --- |")
    listed = []
    for name, pages in sets:
        types, refused, total = Counter(), [], 0
        for url, html in pages:
            total += 1
            result = extract_article(html, url)
            if result.status == "ok":
                types[result.page_type] += 1
            else:
                refused.append((url, result.status, result.page_type, result.reason))
        kinds = Counter(r[2] or r[1] for r in refused)
        print(f"| {name} | {total} | {sum(types.values())} ({types['article']}, {types['liveblog']}) | {len(refused)} | "
              + ", ".join(f"{k} {n}" for k, n in kinds.most_common()) + " |")
        listed += [(name, *r) for r in refused]
    if args.list:
        for row in listed:
            print("  ", " | ".join(str(x) for x in row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
