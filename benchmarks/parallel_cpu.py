"""Does a second CPU-bound process slow the first? What ``--workers N`` can give on this machine.

Runs the same fixed amount of work in 1 process, then in N processes at once (rounds
interleaved), and prints for each process its wall time and CPU time. When the cores are real and
idle, N processes each take as long as one alone (the speed-up is N); when the virtual CPUs share a
physical core (SMT siblings on the host) or the machine is busy, each process spends more CPU on
the same work, or waits for a core, and the speed-up is less.

Two kinds of work:

- ``python``: a pure-Python loop (integer arithmetic and a dict), no memory traffic to speak of;
- ``extract``: ``extract.extract_article`` over the 181 article-extraction-benchmark pages (the
  work of a re-extraction worker: lxml, regexes, many allocations).

    .venv/bin/python benchmarks/parallel_cpu.py [--procs 2] [--rounds 3] [--work python,extract]
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "article-extraction"


def python_work(_data: Path) -> None:
    d: dict[int, int] = {}
    x = 0
    for i in range(6_000_000):
        x = (x * 31 + i) % 1_000_003
        d[x & 1023] = i


def extract_work(data: Path) -> None:
    from extract import extract_article

    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    for pid in sorted(truth):
        html = gzip.decompress((data / "html" / f"{pid}.html.gz").read_bytes()).decode("utf-8")
        extract_article(html, truth[pid].get("url") or f"https://example.org/{pid}")


WORK = {"python": python_work, "extract": extract_work}


def _run(kind: str, data: Path, go, out) -> None:
    if kind == "extract":  # imports and the first page's warm-up outside the timing
        import extract  # noqa: F401
    go.wait()
    wall, cpu = time.perf_counter(), time.process_time()
    WORK[kind](data)
    out.put((time.perf_counter() - wall, time.process_time() - cpu))


def once(kind: str, procs: int, data: Path) -> list[tuple[float, float]]:
    """``procs`` processes doing the same work at the same moment: (wall s, CPU s) of each."""
    ctx = multiprocessing.get_context("spawn")
    go, out = ctx.Event(), ctx.Queue()
    ps = [ctx.Process(target=_run, args=(kind, data, go, out)) for _ in range(procs)]
    for p in ps:
        p.start()
    time.sleep(2.0)  # every process started and imported
    go.set()
    results = [out.get() for _ in ps]
    for p in ps:
        p.join()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--procs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", default="python,extract")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    kinds = args.work.split(",")
    runs: dict[tuple[str, int], list[list[tuple[float, float]]]] = {}
    loads = []
    for _ in range(args.rounds):
        for kind in kinds:
            for n in (1, args.procs):
                loads.append(os.getloadavg()[0])
                runs.setdefault((kind, n), []).append(once(kind, n, args.data))
    print(f"\n{args.rounds} interleaved rounds, {os.cpu_count()} CPUs, load average "
          f"{min(loads):.1f}-{max(loads):.1f} at the rounds' starts (medians over rounds and processes)\n")
    print("| work | processes at once | wall s per process | CPU s per process | CPU × alone | throughput × alone |")
    print("| --- | --- | --- | --- | --- | --- |")
    for kind in kinds:
        alone_wall = statistics.median(w for r in runs[kind, 1] for w, _ in r)
        alone_cpu = statistics.median(c for r in runs[kind, 1] for _, c in r)
        for n in (1, args.procs):
            wall = statistics.median(w for r in runs[kind, n] for w, _ in r)
            cpu = statistics.median(c for r in runs[kind, n] for _, c in r)
            # n processes did n units of work in the slowest one's wall time
            slowest = statistics.median(max(w for w, _ in r) for r in runs[kind, n])
            print(f"| {kind} | {n} | {wall:.2f} | {cpu:.2f} | {cpu / alone_cpu:.2f} | {n * alone_wall / slowest:.2f} |")


if __name__ == "__main__":
    main()
