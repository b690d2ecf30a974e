"""reextract of this tree against another tree's (a worktree of main), in one run.

Each run is ``benchmarks/reextract_speed.measure()`` of its tree in a fresh process (so the loop
carries no caches from earlier runs, as the workers carry none), on a fresh copy of the same
archive; rounds interleaved, the before tree's plain loop as the baseline. Modes: the plain
single-process loop, ``reextract --workers 2`` and ``--workers 1`` of both trees.

    git worktree add --detach /tmp/rx-base main
    .venv/bin/python benchmarks/reextract_before_after.py --before /tmp/rx-base [--cycles 3] [--rounds 3]

Both trees run with this venv's packages; only ``archive``, ``extract`` and ``benchmarks``
come from each tree.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = r'''
import json, sys
from pathlib import Path
root = sys.argv[1]; sys.path.insert(0, root); sys.path.insert(0, root + "/benchmarks")
import reextract_speed as rs
import archive.reextract, archive.store, archive.warc  # imported before the clock, as in reextract_speed
r = rs.measure(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4], Path(sys.argv[5]))
print("RESULT " + json.dumps({k: r[k] for k in ("pages", "wall", "main_cpu", "all_cpu", "hashes")}))
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="the other tree (e.g. a worktree of main)")
    parser.add_argument("--warc-dir", type=Path, help="existing WARC files (default: write the benchmark pages)")
    parser.add_argument("--db", type=Path, help="the archive whose pages rows locate the records (with --warc-dir)")
    parser.add_argument("--cycles", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    runs = [("before", args.before, "loop"), ("before", args.before, "workers=2"), ("after", ROOT, "workers=2"),
            ("before", args.before, "workers=1"), ("after", ROOT, "workers=1")]
    res: dict[tuple, list[dict]] = {r: [] for r in runs}
    with tempfile.TemporaryDirectory(prefix="calcio-reextract-ab-") as tmp:
        if args.warc_dir:
            warc_dir, db_path = args.warc_dir, args.db
        else:
            sys.path.insert(0, str(ROOT / "benchmarks"))
            sys.path.insert(0, str(ROOT))
            import reextract_speed

            warc_dir, db_path = Path(tmp) / "warc", Path(tmp) / "pages.db"
            reextract_speed.write_warc(reextract_speed.DEFAULT_DATA, warc_dir, db_path, args.cycles)
        work = Path(tmp) / "work"
        work.mkdir()
        for rnd in range(args.rounds):
            for key in runs:
                tree, root, mode = key
                load = os.getloadavg()[0]
                out = subprocess.run([sys.executable, "-c", CHILD, str(root), str(warc_dir), str(db_path), mode, str(work)],
                                     capture_output=True, text=True)
                line = [x for x in out.stdout.splitlines() if x.startswith("RESULT ")]
                if not line:
                    sys.exit(out.stderr[-3000:])
                r = json.loads(line[0][7:]) | {"load": load}
                res[key].append(r)
                print(f"round {rnd} {tree:6s} {mode:9s} load {load:.2f}: {r['pages'] / r['wall']:.1f} pages/s, "
                      f"{1000 * r['all_cpu'] / r['pages']:.1f} ms CPU/page", file=sys.stderr, flush=True)
    base = res[runs[0]]
    loop = statistics.median(r["pages"] / r["wall"] for r in base)
    loads = [r["load"] for rs in res.values() for r in rs]
    print(f"\n{base[0]['pages']} pages, {args.rounds} rounds interleaved (medians), load average (1 min) "
          f"{min(loads):.2f}-{max(loads):.2f}, {os.cpu_count()} cores\n")
    print("| run | pages/s | × loop | CPU ms/page, writing process | CPU ms/page, all | same articles as loop |")
    print("| --- | --- | --- | --- | --- | --- |")
    for key, rs in res.items():
        tree, _, mode = key
        pps = statistics.median(r["pages"] / r["wall"] for r in rs)
        label = "plain single-process loop" if mode == "loop" else f"{tree}: reextract --workers {mode.split('=')[1]}"
        same = all(r["hashes"] == base[0]["hashes"] for r in rs)
        print(f"| {label} | {pps:.1f} | {pps / loop:.2f} | {statistics.median(1000 * r['main_cpu'] / r['pages'] for r in rs):.1f} | "
              f"{statistics.median(1000 * r['all_cpu'] / r['pages'] for r in rs):.1f} | {'yes' if same else 'no'} |")


if __name__ == "__main__":
    main()
