"""Ingest: find input files, skip unchanged ones, parse the rest in parallel, load.

The Python API behind `jixiao ingest`. Parsing runs in worker processes; loading
happens in this process through one `store.Writer`, so the live database is swapped
once, at the end, and readers never see a half-written state.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl import executors
from etl.model import ParsedFile
from etl.pipeline import SUFFIX_KINDS, file_sha256, process_file
from etl.store import Writer, connect_readonly, file_status

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
    db_forms: int = 0  # distinct forms in the database after the run (copies counted once)


def discover(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Every input file under the given files/folders, recursively, sorted, hidden files skipped.

    Inside folders only .pdf/.txt count; a file named explicitly is always taken, so an
    unsupported one is reported rather than silently dropped.
    """
    found: set[str] = set()
    for raw in paths:
        # Absolute paths: a file's identity (and the dashboard's link to the original PDF)
        # must not depend on the folder the command was run from.
        p = Path(raw).resolve()
        if p.is_dir():
            found.update(str(f) for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIX_KINDS
                         and not any(part.startswith(".") for part in f.relative_to(p).parts))
        else:
            found.add(str(p))
    return sorted(found)


def _known_hashes(db_path: Path) -> set[str]:
    if not db_path.exists():
        return set()
    try:
        with connect_readonly(db_path) as con:
            return {r[0] for r in con.execute("SELECT sha256 FROM files").fetchall()}
    except duckdb.CatalogException:  # a database from before the schema existed
        return set()


def _hash_or_none(path: str) -> str | None:
    try:
        return file_sha256(path)
    except OSError:
        return None  # the worker reports the reason


def _parse_all(todo: Sequence[tuple[str, str | None]], workers: int) -> Iterator[ParsedFile]:
    if workers <= 1 or len(todo) <= 1:
        yield from (process_file(path, sha) for path, sha in todo)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        # chunksize>1 amortises inter-process overhead on corpora of many small files, but
        # the last chunks decide when the pool finishes: keep them small (≤ 1/16 of a
        # worker's share) so that two workers on a few dozen PDFs still split evenly.
        chunk = max(1, min(8, len(todo) // (workers * 16)))
        yield from pool.map(process_file, *zip(*todo, strict=True), chunksize=chunk)


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
           progress: Callable[[ParsedFile], None] | None = None,
           executor: str = "local", scheduler: str | None = None, ship_bytes: bool = False) -> IngestSummary:
    """Load every new or changed file under `paths` into the database at `db_path`.

    `executor="dask"` parses on a Dask cluster (etl/executors.py); loading stays here."""
    remote = executors.make(executor, scheduler=scheduler, workers=workers, ship_bytes=ship_bytes)
    db_path = Path(db_path)
    files = discover(paths)
    summary = IngestSummary(files_seen=len(files))
    known = set() if rebuild else _known_hashes(db_path)
    todo: list[tuple[str, str | None]] = []
    for path in files:
        sha = _hash_or_none(path)
        if sha is not None and sha in known:
            summary.skipped_unchanged += 1
        else:
            todo.append((path, sha))
            if sha:  # a second copy of the same bytes in this run counts as unchanged too
                known.add(sha)
    if todo or rebuild or not db_path.exists():
        with Writer(db_path, rebuild=rebuild) as writer:
            results = remote.parse(todo) if remote else _parse_all(todo, workers or os.cpu_count() or 1)
            for batch in _batches(results, LOAD_BATCH):
                writer.add_files(batch)
                for pf in batch:
                    _tally(summary, pf)
                    if progress:
                        progress(pf)
    with connect_readonly(db_path) as con:
        summary.db_forms = _count_forms(con)
    return summary


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
