"""Ingest: find input files, skip unchanged ones, parse the rest in parallel, load.

The Python API behind `jixiao ingest`. The order of a run: check that `--db` is ours
(etl.dbguard); discover the inputs and what is skipped (etl.discover); take the writer
lock (etl.lock) and remove copies left by killed runs (etl.swap); read what the database
holds *now* to decide what is new; parse that in worker processes under per-file limits
(etl.limits); load through one `store.Writer`, so the live database is swapped once, at
the end, and readers never see a half-written state.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl import compact, executors, segments
from etl.dbguard import check_database, database_target
from etl.discover import Found, Skipped, discover
from etl.limits import Limits, parse_files
from etl.lock import writer_lock
from etl.model import ParsedFile
from etl.pipeline import file_sha256
from etl.store import Writer, connect_readonly, file_status
from etl.swap import remove_leftovers

DEFAULT_DB = Path("data/jixiao.duckdb")
# Files loaded per transaction: bounds the memory held for parsed-but-unloaded files.
LOAD_BATCH = 64


@dataclass(slots=True)
class IngestSummary:
    files_seen: int = 0
    files_read: int = 0
    skipped_unchanged: int = 0
    forms: int = 0
    indicators: int = 0
    findings: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    partial: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)  # not parsed: unsupported, unreadable, dangling
    leftovers_removed: int = 0  # temporary copies of killed runs, cleaned up
    db_forms: int = 0  # distinct forms in the database after the run (copies counted once)


def _known(db_path: Path) -> tuple[set[str], set[tuple[str, str | None]]]:
    """Hashes of the loaded files, and the (path, reason) of paths recorded as skipped."""
    if not db_path.exists():
        return set(), set()
    try:
        with connect_readonly(db_path) as con:
            hashes = {r[0] for r in con.execute("SELECT sha256 FROM files WHERE sha256 <> ''").fetchall()}
            skips = set(con.execute("SELECT path, error FROM files WHERE sha256 = ''").fetchall())
            return hashes, skips
    except duckdb.CatalogException:  # a database from before the schema existed
        return set(), set()


def _hash_or_none(path: str) -> str | None:
    try:
        return file_sha256(path)
    except OSError:
        return None  # the worker reports the reason


def _batches(items: Iterable[ParsedFile], size: int) -> Iterator[list[ParsedFile]]:
    batch: list[ParsedFile] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def ingest(paths: Iterable[str | os.PathLike[str]], db_path: str | os.PathLike[str] = DEFAULT_DB, *,
           workers: int | None = None, rebuild: bool = False,
           progress: Callable[[ParsedFile], None] | None = None, limits: Limits | None = Limits(),
           wait: bool = True, on_wait: Callable[[str], None] | None = None,
           executor: str = "local", scheduler: str | None = None, ship_bytes: bool = False) -> IngestSummary:
    """Load every new or changed file under `paths` into the database at `db_path`.

    Raises `JixiaoError` (a Chinese sentence) when `db_path` is not a jixiao database, or
    when another run holds the writer lock and `wait` is False. `limits` bound each file's
    parse (None: parse in this process, unbounded). `executor="dask"` parses on a Dask
    cluster instead (etl/executors.py; `scheduler` its address, else a LocalCluster here).
    """
    remote = executors.make(executor, scheduler=scheduler, workers=workers, ship_bytes=ship_bytes, limits=limits)
    check_database(db_path, rebuild=rebuild)  # before waiting: a refusal should be immediate
    target = database_target(db_path)
    found = discover(paths, exclude=(target, Path(f"{target}.wal"), segments.deltas_dir(target)))
    summary = IngestSummary(files_seen=len(found.files), skipped=found.skipped)
    with writer_lock(target, wait=wait, on_wait=on_wait):
        summary.leftovers_removed = len(remove_leftovers(target)) + len(segments.remove_unlisted(target))
        check_database(db_path, rebuild=rebuild)  # the run we waited for may have created it
        _load(found, target, summary, workers or os.cpu_count() or 1, rebuild, progress, limits, remote)
        compact.maybe_compact(target)  # keeps the deltas few and small (etl/compact.py)
    with connect_readonly(target) as con:
        summary.db_forms = _count_forms(con)
    return summary


def _load(found: Found, target: Path, summary: IngestSummary, workers: int, rebuild: bool,
          progress: Callable[[ParsedFile], None] | None, limits: Limits | None,
          remote: executors.DaskExecutor | None = None) -> None:
    """Under the writer lock: what the database holds now (another run may just have
    written it) decides what is new; parse that and load it."""
    known, known_skips = (set(), set()) if rebuild else _known(target)
    todo: list[tuple[str, str | None]] = []
    for path in found.files:
        sha = _hash_or_none(path)
        if sha is not None and sha in known:
            summary.skipped_unchanged += 1
        else:
            todo.append((path, sha))
            if sha:  # a second copy of the same bytes in this run counts as unchanged too
                known.add(sha)
    new_skips = [(s.path, s.status, s.reason) for s in found.skipped if (s.path, s.reason) not in known_skips]
    # A folder readable again, a link repaired: the old "skipped" record goes.
    now_skipped = {s.path for s in found.skipped} | set(found.files)
    gone = sorted({p for p, _ in known_skips if found.covers(p) and p not in now_skipped})
    if not (todo or new_skips or gone or rebuild or not target.exists()):
        return
    with Writer(target, rebuild=rebuild) as writer:
        for path in gone:
            writer.remove_path(path)
        writer.add_skipped(new_skips)
        results = remote.parse(todo) if remote else parse_files(todo, workers, limits)
        for batch in _batches(results, LOAD_BATCH):
            writer.add_files(batch)
            for pf in batch:
                _tally(summary, pf)
                if progress:
                    progress(pf)


def _count_forms(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT count(*) FROM reports WHERE duplicate_of IS NULL").fetchone()[0]


def _tally(summary: IngestSummary, pf: ParsedFile) -> None:
    if pf.error:
        summary.failed.append((pf.path, pf.error))
        return
    summary.files_read += 1
    summary.forms += len(pf.forms)
    summary.indicators += sum(len(c.form.indicators) for c in pf.forms)
    summary.findings += sum(len(c.findings) for c in pf.forms)
    if file_status(pf) == "partial":
        summary.partial.append(pf.path)
