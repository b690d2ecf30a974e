#!/usr/bin/env python3
"""Did a change to the extraction change any output? Dump every result, then diff two dumps.

Runs ``extract.extract_article(html, url)`` over every page of the development sets (AEB and
trafilatura-eval, loaded as ``extraction_quality.py`` loads them) and writes one JSON line per
page: status, reason, page_type, failed_fields, jsonld_invalid, capped, entities and every
``Article`` field. A speed-up must leave the dump unchanged.

    .venv/bin/python benchmarks/extraction_diff.py dump /tmp/before.jsonl     # on the old commit
    .venv/bin/python benchmarks/extraction_diff.py dump /tmp/after.jsonl      # on the new one
    .venv/bin/python benchmarks/extraction_diff.py compare /tmp/before.jsonl /tmp/after.jsonl

``compare`` prints each differing page and field (old → new) and exits 1 when any differs.
``dump --profile DIR`` also writes cProfile statistics of the run (``DIR/<set>.prof``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Sequence

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.extraction_quality import (  # noqa: E402
    DEFAULT_DATA,
    DEFAULT_TRAFEVAL,
    SETS,
    data_available,
    load_pages,
    load_trafeval,
    trafeval_available,
)


def _plain(value):
    """A JSON-comparable form of a result value (dataclasses and tuples become dicts and lists)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return repr(value)


def result_record(result) -> dict:
    return {
        "status": result.status,
        "reason": result.reason,
        "page_type": result.page_type,
        "failed_fields": list(result.failed_fields),
        "jsonld_invalid": result.jsonld_invalid,
        "capped": list(result.capped),
        "entities": _plain(result.entities),
        "article": _plain(result.article) if result.article is not None else None,
    }


def dump(out: Path, sets: Sequence[str], limit: int | None = None, profile_dir: Path | None = None) -> int:
    from extract import extract_article

    count = 0
    with out.open("w", encoding="utf-8") as f:
        for dataset in sets:
            if dataset == "aeb":
                if not data_available(DEFAULT_DATA):
                    raise SystemExit(f"no AEB data at {DEFAULT_DATA}")
                pages = load_pages(DEFAULT_DATA, limit=limit)
            else:
                if not trafeval_available(DEFAULT_TRAFEVAL):
                    raise SystemExit(f"no trafilatura-eval data at {DEFAULT_TRAFEVAL}")
                pages = load_trafeval(DEFAULT_TRAFEVAL, limit=limit)
            profiler = None
            if profile_dir is not None:
                import cProfile

                extract_article(pages[0].html, pages[0].url)  # imports and first-call caches
                profiler = cProfile.Profile()
                profiler.enable()
            records = [(page, extract_article(page.html, page.url)) for page in pages]
            if profiler is not None:
                profiler.disable()
                profile_dir.mkdir(parents=True, exist_ok=True)
                profiler.dump_stats(str(profile_dir / f"{dataset}.prof"))
            for page, result in records:
                f.write(json.dumps({"set": dataset, "id": page.id, **result_record(result)},
                                   ensure_ascii=False, sort_keys=True) + "\n")
                count += 1
    print(f"{count} pages written to {out}")
    return 0


def _load(path: Path) -> dict[tuple[str, str], dict]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            out[(rec.pop("set"), rec.pop("id"))] = rec
    return out


def _short(value, width: int = 160) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def compare(before: Path, after: Path) -> int:
    old, new = _load(before), _load(after)
    differing = 0
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        differing += 1
        print(f"{key[0]} {key[1]}:")
        if a is None or b is None:
            print(f"  only in {'after' if a is None else 'before'}")
            continue
        for name in sorted(set(a) | set(b)):
            if name == "article" and isinstance(a.get(name), dict) and isinstance(b.get(name), dict):
                for fname in sorted(set(a[name]) | set(b[name])):
                    if a[name].get(fname) != b[name].get(fname):
                        print(f"  article.{fname}: {_short(a[name].get(fname))} → {_short(b[name].get(fname))}")
            elif a.get(name) != b.get(name):
                print(f"  {name}: {_short(a.get(name))} → {_short(b.get(name))}")
    print(f"{len(set(old) | set(new))} pages compared, {differing} differ")
    return 1 if differing else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump", help="run extract_article over the sets and write one JSON line per page")
    d.add_argument("out", type=Path)
    d.add_argument("--sets", default=",".join(SETS), help=f"comma-separated, from: {', '.join(SETS)}")
    d.add_argument("--limit", type=int, help="only N pages of each set, evenly spread over it")
    d.add_argument("--profile", type=Path, metavar="DIR", help="also write cProfile stats per set to DIR")
    c = sub.add_parser("compare", help="diff two dumps field by field")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "dump":
        sets = [s.strip() for s in args.sets.split(",") if s.strip()]
        if not sets or any(s not in SETS for s in sets):
            parser.error(f"unknown sets {sets}; choose from {', '.join(SETS)}")
        return dump(args.out, sets, args.limit, args.profile)
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
