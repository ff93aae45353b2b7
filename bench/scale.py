"""Scale benchmark: one file added to / replaced in / removed from big stores; Dask vs the pool.

    python bench/scale.py [--forms 100000 [--forms 1000000]] [--repeat 3] [--no-dask] [--store PATH ...]

Stores: `bench/gen_db.py --forms N` (cached), or `--store` paths (one per `--forms`). Each store
is copied once into bench/out; every change then runs on that copy as `jixiao ingest` does
(`etl.store.Writer`: a delta), timed by phase: opening (attaching the store, the scratch),
loading (pulling the touched forms' neighbourhood, inserting), commit (re-deriving the touched
forms and cube slices, writing the delta, publishing the manifest). A delta never touches the
base, so removing the deltas folder resets the copy. Also: one more file added on top of
`MAX_DELTAS` deltas, the merge of those deltas, and a fold (the O(store) compaction). With two
stores, the ratio of their one-file-add times (goal ≤ 1.5: a load does not grow with the
store). Dask: the bundled samples parsed by the process pool (2 workers) and by a 2-process
LocalCluster in the same run: same records, time ratio.
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
from grow_store import grow, grown_path
from synth_db import parsed_file

from etl import compact, segments
from etl.model import ParsedFile
from etl.store import Writer, clustered_mark, connect_readonly
from tests.synth.corpus import Corpus

ADD_GOAL_S, RATIO_GOAL = 0.5, 1.5
DONE = {"add": "added", "replace": "replaced", "remove": "removed"}
NEW_INDEX = 10_000_000  # a corpus file far past the generated ones: a form not in the store


def new_file(seed: int, index: int = NEW_INDEX) -> ParsedFile:
    return parsed_file(Corpus(seed).file(index), seed)


def reset(db: Path) -> None:
    """Back to the copied store: a delta never touched the base."""
    shutil.rmtree(segments.deltas_dir(db), ignore_errors=True)


def change(db: Path, apply: object) -> dict[str, float]:
    """Phase timings (s) of one Writer session applying `apply(writer)`."""
    t0 = time.perf_counter()
    w = Writer(db)
    t1 = time.perf_counter()
    apply(w)  # type: ignore[operator]
    t2 = time.perf_counter()
    w.commit()
    t3 = time.perf_counter()
    assert type(w).__name__ == "DeltaWriter", "the bench store must take deltas"
    return {"open": t1 - t0, "load": t2 - t1, "commit": t3 - t2, "total": t3 - t0}


def prepare(store: Path, work: Path, name: str) -> Path:
    """A private copy of the store; folded once if older code made it (no base identity, big
    tables not clustered by key), so that it is what jixiao writes as a base."""
    db = work / f"{name}.duckdb"
    segments.copy_store(store, db)
    with connect_readonly(db) as con:
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    if not meta.get("base_id") or meta.get("clustered") != clustered_mark():
        compact.fold(db)
    reset(db)
    return db


def bench_changes(report: Report, db: Path, tag: str, seed: int, repeat: int, fold: bool = True) -> float:
    """The three changes on one store; returns the median one-file add."""
    pf = new_file(seed)
    report.add(f"{tag}store_mb", "store size", db.stat().st_size / 1e6, "MB")
    victim = store_path(db)
    cases = {
        "add": lambda w: w.add_files([pf]),
        "replace": lambda w: w.add_files([_replaced(victim, seed)]),
        "remove": lambda w: w.remove_path(victim),
    }
    change(db, cases["add"])  # warm-up: imports, DuckDB's first connection, the page cache
    reset(db)
    totals = {}
    for name, apply in cases.items():
        runs = []
        for _ in range(repeat):
            runs.append(change(db, apply))
            reset(db)
        phases = {k: median(r[k] for r in runs) for k in runs[0]}
        totals[name] = phases["total"]
        goal = ({"goal": f"≤ {ADD_GOAL_S}", "ok": phases["total"] <= ADD_GOAL_S} if name == "add" else {})
        report.add(f"{tag}{name}_s", f"one file {DONE[name]}, total (median of {repeat})", phases["total"], "s", **goal)
        report.note(f"{tag}{name}: " + ", ".join(f"{k} {v:.3f} s" for k, v in phases.items()))
    bench_deltas(report, db, tag, seed, fold)
    return totals["add"]


def bench_deltas(report: Report, db: Path, tag: str, seed: int, fold: bool) -> None:
    """A load on top of MAX_DELTAS deltas, their merge, and (`fold`) a fold."""
    for i in range(compact.MAX_DELTAS):
        change(db, lambda w, i=i: w.add_files([new_file(seed, NEW_INDEX + 10 + i)]))
    size = compact.delta_bytes(db)[1]
    report.add(f"{tag}delta_kb", "one delta of one file (mean size)", size / compact.MAX_DELTAS / 1e3, "KB")
    t = change(db, lambda w: w.add_files([new_file(seed)]))["total"]
    report.add(f"{tag}add_on_deltas_s", f"one file added on top of {compact.MAX_DELTAS} deltas", t, "s")
    t0 = time.perf_counter()
    compact.merge(db)
    report.add(f"{tag}merge_s", f"merging {compact.MAX_DELTAS + 1} deltas into one", time.perf_counter() - t0, "s")
    if not fold:
        return
    t0 = time.perf_counter()
    compact.fold(db)
    report.add(f"{tag}fold_s", "fold: a new base from base + deltas (O(store), once per 25 % growth)",
               time.perf_counter() - t0, "s")


def grown_store(store: Path, times: int) -> Path:
    """`store` × `times` (bench/grow_store.py), made once from a prepared copy and cached."""
    base = OUT / "db" / f"{store.stem}_base.duckdb"
    if not grown_path(base, times).exists():
        prepare(store, OUT / "db", base.stem)
        grow(base, times)
        base.unlink()
    return grown_path(base, times)


def store_path(db: Path) -> str:
    with connect_readonly(db) as con:
        return con.execute("SELECT path FROM files WHERE kind = 'pdf' AND n_reports > 1 ORDER BY path LIMIT 1"
                           ).fetchone()[0]


def _replaced(path: str, seed: int) -> ParsedFile:
    """A new version of a stored file: another corpus file's forms under the old path."""
    pf = new_file(seed, NEW_INDEX + 1)
    pf.path = path
    return pf


def bench_dask(report: Report, work: Path) -> None:
    from etl.executors import local_cluster
    from etl.ingest import ingest

    samples = ROOT / "data" / "samples"
    dbs = {k: work / f"{k}.duckdb" for k in ("pool", "dask")}
    with local_cluster(2) as cluster:
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
    p.add_argument("--forms", type=int, action="append", help="store sizes (default 100000)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--no-dask", action="store_true")
    p.add_argument("--store", type=Path, action="append", help="use these stores (one per --forms) instead of generated ones")
    p.add_argument("--grow", type=int, metavar="N",
                   help="also measure a store N times the first, its rows replicated under new keys (bench/grow_store.py)")
    p.add_argument("--fold-all", action="store_true", help="time a fold on every store (default: the first only)")
    args = p.parse_args(argv)
    sizes = args.forms or [100_000]
    stores = args.store or [ensure_db(n, args.seed) for n in sizes]
    command = "python bench/scale.py " + " ".join(f"--forms {n}" for n in sizes)
    if args.grow:
        stores.append(grown_store(stores[0], args.grow))
        sizes.append(sizes[0] * args.grow)
        command += f" --grow {args.grow}"
    report = Report(f"scale{'_'.join(map(str, sizes))}", command)
    work = OUT / "work_scale"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    warn_if_busy()
    adds = {}
    for n, store in zip(sizes, stores, strict=True):
        db = prepare(store, work, f"s{n}")
        adds[n] = bench_changes(report, db, f"{n}_", args.seed, args.repeat, fold=n == sizes[0] or args.fold_all)
        shutil.rmtree(segments.deltas_dir(db), ignore_errors=True)
        db.unlink()
    if len(sizes) > 1:
        small, big = min(sizes), max(sizes)
        ratio = adds[big] / adds[small]
        report.add("add_ratio", f"one file added: {big:,} / {small:,} forms", ratio, "×", f"≤ {RATIO_GOAL}",
                   ratio <= RATIO_GOAL)
    if not args.no_dask:
        bench_dask(report, work)
    warn_if_busy()
    shutil.rmtree(work, ignore_errors=True)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
