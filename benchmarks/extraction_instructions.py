#!/usr/bin/env python3
"""Instructions per page of ``extract_article``, counted by valgrind's callgrind.

A count of the machine instructions the extraction runs is a measure of its cost that the
machine's load does not move: on a shared 2-core machine the timed benchmarks
(``extraction_quality.py``, ``extraction_steps.py``) wander by ±3 % from run to run, so a
change of 1–5 % to our own code shows only here. It is a proxy, for comparing two versions of
the same code: an instruction is not a nanosecond (cache misses, branch mispredictions), and
code of another kind runs at another rate (plain trafilatura runs about 0.9 of our
instructions per page in 0.65 of our time), so the timed benchmarks stay the measure of the
target.

Each checkout runs in child processes under ``valgrind --tool=callgrind``: once loading the
pages, importing everything and extracting the first page (lazy imports, first-call costs),
once also extracting every page with ``extract_article``; the difference, divided by the
pages, is printed in millions of instructions per page.

    .venv/bin/python benchmarks/extraction_instructions.py                       # this checkout
    git worktree add --detach /tmp/base HEAD~3
    .venv/bin/python benchmarks/extraction_instructions.py --before /tmp/base    # both, same pages

Needs valgrind (``apt-get install valgrind``); about two minutes per checkout at the default
24 pages.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def _child(root: str, which: str, limit: int, mode: str, data: str) -> None:
    sys.path.insert(0, root)  # the checkout measured: its extract package and its page loaders
    from benchmarks.extraction_quality import load_pages, load_trafeval
    from extract.page import extract_article

    pages = load_pages(data, limit=limit) if which == "aeb" else load_trafeval(data, limit=limit)
    # once on the first page in both modes: the lazy imports and first-call costs (the
    # gazetteer, htmldate …) fall in what is subtracted
    extract_article(pages[0].html, pages[0].url)
    if mode == "ours":
        for page in pages:
            extract_article(page.html, page.url)


def _count(root: Path, which: str, limit: int, mode: str, data: str) -> int:
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__,
           "--child", str(root), which, str(limit), mode, data]
    done = subprocess.run(cmd, capture_output=True, text=True)
    found = re.search(r"Collected\s*:\s*(\d+)", done.stderr)
    if done.returncode != 0 or not found:
        raise SystemExit(f"callgrind run failed ({' '.join(cmd)}):\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        root, which, limit, mode, data = argv[1:]
        _child(root, which, int(limit), mode, data)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default="trafeval", help="comma-separated, from: aeb, trafeval")
    parser.add_argument("--limit", type=int, default=24, help="pages of each set, evenly spread over it")
    parser.add_argument("--before", help="another checkout of the project, counted on the same pages")
    parser.add_argument("--data", help="the set's directory, when not the default (one set only)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO_ROOT))
    from benchmarks.extraction_quality import DEFAULT_DATA, DEFAULT_TRAFEVAL
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    roots = [("this", REPO_ROOT)] + ([("before", Path(args.before).resolve())] if args.before else [])
    print(f"{'set':9} {'checkout':9} {'pages':>5} {'M instructions/page':>20}")
    for which in args.sets.split(","):
        for name, root in roots:
            data = str(args.data or (DEFAULT_DATA if which == "aeb" else DEFAULT_TRAFEVAL))
            base = _count(root, which, args.limit, "none", data)
            ours = (_count(root, which, args.limit, "ours", data) - base) / args.limit / 1e6
            print(f"{which:9} {name:9} {args.limit:5d} {ours:20.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
