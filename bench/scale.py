"""Scale benchmark: one file added to / replaced in / removed from a big store; Dask vs the pool.

    python bench/scale.py [--forms 100000] [--repeat 3] [--no-dask]

Store: `bench/gen_db.py --forms N` (cached). Each change runs on a fresh copy of it, through
`etl.store.Writer` as `jixiao ingest` does, timed by phase: opening (the private copy of the
database), loading the rows, re-deriving (copy election + marts of the changed forms),
commit (checkpoint + atomic swap). For reference, the full re-derivation every commit paid
before (etl/derived.py with `full=True`). Dask: the bundled samples parsed by the process
pool (2 workers) and by a 2-process LocalCluster in the same run: same records, time ratio.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path
from statistics import median

from common import OUT, ROOT, Report, warn_if_busy
from gen_db import ensure_db
from synth_db import parsed_file

from etl.derived import Changes, refresh
from etl.model import ParsedFile
from etl.store import Writer
from tests.synth.corpus import Corpus

ADD_GOAL_S = 0.5
DONE = {"add": "added", "replace": "replaced", "remove": "removed"}
NEW_INDEX = 10_000_000  # a corpus file far past the generated ones: a form not in the store


def new_file(seed: int, index: int = NEW_INDEX) -> ParsedFile:
    return parsed_file(Corpus(seed).file(index), seed)


def change(store: Path, work: Path, apply: object) -> dict[str, float]:
    """Phase timings (s) of one Writer session applying `apply(writer)` to a copy of the store."""
    db = work / "change.duckdb"
    shutil.copyfile(store, db)
    t0 = time.perf_counter()
    w = Writer(db)
    t1 = time.perf_counter()
    apply(w)  # type: ignore[operator]
    t2 = time.perf_counter()
    refresh(w.con, w.changes)
    w.changes = Changes()  # done: commit only checkpoints and swaps
    t3 = time.perf_counter()
    w.commit()
    t4 = time.perf_counter()
    return {"open": t1 - t0, "load": t2 - t1, "derive": t3 - t2, "commit": t4 - t3, "total": t4 - t0}


def bench_changes(report: Report, store: Path, work: Path, seed: int, repeat: int) -> None:
    pf = new_file(seed)
    size_mb = store.stat().st_size / 1e6
    report.add("store_mb", "store size", size_mb, "MB")
    victim = store_path(store)
    cases = {
        "add": lambda w: w.add_files([pf]),
        "replace": lambda w: w.add_files([_replaced(victim, seed)]),
        "remove": lambda w: w.remove_path(victim),
    }
    change(store, work, cases["add"])  # warm-up: imports, DuckDB's first connection
    for name, apply in cases.items():
        runs = [change(store, work, apply) for _ in range(repeat)]
        phases = {k: median(r[k] for r in runs) for k in runs[0]}
        goal = ({"goal": f"≤ {ADD_GOAL_S}", "ok": phases["total"] <= ADD_GOAL_S} if name == "add" else {})
        report.add(f"{name}_s", f"one file {DONE[name]}, total (median of {repeat})", phases["total"], "s", **goal)
        report.add(f"{name}_derive_s", f"  of which re-deriving the changed forms", phases["derive"], "s")
        report.note(f"{name}: " + ", ".join(f"{k} {v:.3f} s" for k, v in phases.items()))
    db = work / "change.duckdb"
    shutil.copyfile(store, db)
    w = Writer(db)
    t = time.perf_counter()
    refresh(w.con, Changes(full=True))
    report.add("full_derive_s", "re-deriving everything (what every commit did before)", time.perf_counter() - t, "s")
    w.discard()


def store_path(store: Path) -> str:
    import duckdb

    with duckdb.connect(str(store), read_only=True) as con:
        return con.execute("SELECT path FROM files WHERE kind = 'pdf' AND n_reports > 1 ORDER BY path LIMIT 1"
                           ).fetchone()[0]


def _replaced(path: str, seed: int) -> ParsedFile:
    """A new version of a stored file: another corpus file's forms under the old path."""
    pf = new_file(seed, NEW_INDEX + 1)
    pf.path = path
    return pf


def bench_dask(report: Report, work: Path) -> None:
    from distributed import LocalCluster

    from etl.ingest import ingest

    samples = ROOT / "data" / "samples"
    dbs = {k: work / f"{k}.duckdb" for k in ("pool", "dask")}
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        ingest([samples / "bad"], work / "warm.duckdb", executor="dask", scheduler=cluster.scheduler_address)
        times = {}
        for name, kw in (("pool", {"workers": 2}), ("dask", {"executor": "dask",
                                                             "scheduler": cluster.scheduler_address})):
            t = time.perf_counter()
            ingest([samples], dbs[name], **kw)
            times[name] = time.perf_counter() - t
    report.add("pool_s", "data/samples, process pool, 2 workers", times["pool"], "s")
    report.add("dask_s", "data/samples, Dask LocalCluster, 2 processes × 1 thread", times["dask"], "s")
    report.add("dask_ratio", "Dask / process pool", times["dask"] / times["pool"], "×")
    same = _export(dbs["pool"]) == _export(dbs["dask"])
    report.add("dask_same", "same records (every table, ordered)", "yes" if same else "NO", "", "yes", same)


def _export(db: Path) -> dict[str, list[tuple]]:
    sys.path.insert(0, str(ROOT))
    from tests.etl.exports import export

    return export(db)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--forms", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--no-dask", action="store_true")
    p.add_argument("--store", type=Path, help="use this store instead of the generated one (e.g. made by older code)")
    args = p.parse_args(argv)
    report = Report(f"scale{args.forms}", f"python bench/scale.py --forms {args.forms}")
    work = OUT / "work_scale"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    store = args.store or ensure_db(args.forms, args.seed)
    warn_if_busy()
    bench_changes(report, store, work, args.seed, args.repeat)
    if not args.no_dask:
        bench_dask(report, work)
    warn_if_busy()
    shutil.rmtree(work, ignore_errors=True)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
