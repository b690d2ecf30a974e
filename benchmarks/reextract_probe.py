"""Where reextract's CPU goes: each worker's ``_work`` call timed inside the worker, against the
same read + extract timed inside the plain loop; one fresh copy of the archive per run
(``benchmarks/reextract_speed.measure``). A mode ending in ``+setsid`` makes each worker its own
session first (what ``archive.reextract.worker_start`` now does; with a tree from before it,
the difference is the scheduler's share, see the README, "Re-extraction").

    .venv/bin/python benchmarks/reextract_probe.py --root /tmp/rx-base --warc-dir W --db D \
        --modes loop,workers=2,workers=2+setsid,workers=1

``--root``: the tree whose ``archive`` and ``benchmarks/reextract_speed.py`` run. W and D:
a WARC directory and its pages database, e.g. written by ``reextract_speed.write_warc``.
"""
import os, sys, time, resource, json, tempfile, statistics, argparse
from pathlib import Path

STATS = os.environ.get("RXPROBE_STATS", os.path.join(tempfile.gettempdir(), "reextract_probe.jsonl"))

def _snap():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime, r.ru_minflt, r.ru_nvcsw, r.ru_nivcsw

_sid = False
def probed_work(*args):
    global _sid
    import archive.reextract as m
    if os.environ.get("RXPROBE_SETSID") and not _sid:
        _sid = True
        try:
            os.setsid()
        except OSError:  # already a session leader (a tree whose workers do it themselves)
            pass
    c0, f0, v0, i0 = _snap(); w0 = time.perf_counter()
    out = getattr(m, "_real_work", m._work)(*args)
    c1, f1, v1, i1 = _snap(); w1 = time.perf_counter()
    with open(STATS, "a") as f:
        f.write(json.dumps({"pid": os.getpid(), "cpu": c1 - c0, "wall": w1 - w0, "flt": f1 - f0,
                            "ivcsw": i1 - i0, "total_cpu": c1, "total_flt": f1}) + "\n")
    return out

def loop_probed(db, warc_dir):
    """The benchmark's plain loop, timing read+extract per page like probed_work does."""
    from urllib.parse import urljoin
    from archive.reextract import _extract
    from archive.store import save_article
    from archive.warc import WarcLocation, read_page
    from extract.site import SiteProfile
    sql = ("SELECT url, site, warc_file, warc_offset, content_type, fetched_at FROM pages "
           "WHERE kind = 'article' AND warc_file IS NOT NULL AND status = 200 ORDER BY fetched_at")
    pages = 0
    for url, site, warc_file, offset, content_type, fetched_at in db.execute(sql).fetchall():
        c0, f0, v0, i0 = _snap(); w0 = time.perf_counter()
        page = read_page(warc_dir, WarcLocation(warc_file, offset, 0))
        result = _extract(page.body, content_type, url, SiteProfile(name=site, url=urljoin(url, "/")), frozenset())
        c1, f1, v1, i1 = _snap(); w1 = time.perf_counter()
        with open(STATS, "a") as f:
            f.write(json.dumps({"pid": os.getpid(), "cpu": c1 - c0, "wall": w1 - w0, "flt": f1 - f0,
                                "ivcsw": i1 - i0, "total_cpu": c1, "total_flt": f1}) + "\n")
        pages += 1
        if result.article is not None and result.status != "blocked":
            result.article.fetched_at = fetched_at
            save_article(db, result.article, change="reextract", entities=result.entities)
    return pages


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)  # worktree to test
    ap.add_argument("--warc-dir", type=Path, required=True)
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--modes", default="loop,workers=1,workers=2")
    ap.add_argument("--rounds", type=int, default=1)
    a = ap.parse_args()
    here = str(Path(__file__).resolve().parent)
    sys.path[:0] = [a.root, str(Path(a.root) / "benchmarks"), here]
    import reextract_speed as rs
    import archive.reextract as m
    from archive.db import open_db
    import reextract_probe as me  # by that name, for the workers to unpickle probed_work

    rs.plain_loop = me.loop_probed
    m._work = me.probed_work
    with tempfile.TemporaryDirectory() as tmp:
        for rnd in range(a.rounds):
            for mode in a.modes.split(","):
                Path(STATS).unlink(missing_ok=True)
                la = os.getloadavg()[0]
                os.environ.pop("RXPROBE_SETSID", None)
                if mode.endswith("+setsid"):
                    os.environ["RXPROBE_SETSID"] = "1"
                r = rs.measure(a.warc_dir, a.db, mode.removesuffix("+setsid"), Path(tmp))
                rows = [json.loads(l) for l in open(STATS)]
                n = r["pages"]
                pids = sorted({x["pid"] for x in rows})
                inwork = sum(x["cpu"] for x in rows)
                # each worker's own CPU at its last job (total_cpu) minus CPU inside _work = outside
                last = {}
                for x in rows: last[x["pid"]] = x
                wtotal = sum(last[p]["total_cpu"] for p in pids) if mode != "loop" else None
                med = statistics.median(x["cpu"] for x in rows) * 1000
                print(f"{mode:16s} load {la:.2f} pages {n} {n/r['wall']:.1f} p/s | all {1000*r['all_cpu']/n:.1f} ms/p, "
                      f"main {1000*r['main_cpu']/n:.1f} | in _work {1000*inwork/n:.1f} ms/p (median {med:.1f}), "
                      f"faults/p {sum(x['flt'] for x in rows)/n:.0f}, ivcsw/p {sum(x['ivcsw'] for x in rows)/n:.1f}"
                      + (f" | workers' own CPU at last job {1000*wtotal/n:.1f} ms/p, procs {len(pids)}" if wtotal else ""),
                      flush=True)

if __name__ == "__main__":
    main()
