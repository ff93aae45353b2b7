"""Write a national-scale database straight from the synthetic corpus (no PDFs, no parsing).

    python bench/gen_db.py [--forms 100000] [--seed 0] [--no-cells] [--force]

Loads through `etl.store.Writer.add_files`, the same code and schema as `jixiao ingest`.
Besides the corpus's PDFs, every 50th file also has a text extraction (a duplicate
source) and every 200th a scanned copy that cannot be read, as real folders do.
The result is cached under bench/out/db/, keyed by the parameters and the generator
code; prints its path last.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

import duckdb
import pyarrow as pa
from common import OUT, ROOT, source_key
from synth_db import RawCell, laid_out_file, text_copy, unreadable

from etl.derived import Changes, marts_version, refresh
from etl.marts import MARTS
from etl.keys import KEYS_VERSION, file_key, report_key
from etl.model import ParsedFile
from etl.store import SCHEMA_VERSION, TABLES, Writer, arrow_table, cluster, insert_arrow, parsed_rows
from tests.synth.corpus import Corpus

BATCH_FILES = 400  # corpus files per worker task and per load transaction
TEXT_COPY_EVERY, SCAN_EVERY = 50, 200
# Everything that shapes the stored rows: the corpus, the model, the checks; the store by its
# schema and key versions (not its source: the store's code changes more often than its rows).
# A change to any of them rebuilds the database (~4 min at 100,000 forms). The marts are not in
# the key: they are derived, and rebuilt in place when their SQL changed (`refresh_marts`).
SOURCES = [ROOT / "tests" / "synth" / n for n in ("corpus.py", "corpus_vocab.py")] + \
          [ROOT / "etl" / n for n in ("model.py", "checks.py", "targets.py", "compare.py")] + \
          [Path(__file__), Path(__file__).with_name("synth_db.py")]


def db_path(forms: int, seed: int, cells: bool) -> Path:
    key = source_key({"forms": forms, "seed": seed, "cells": cells, "schema": SCHEMA_VERSION, "keys": KEYS_VERSION},
                     SOURCES)
    return OUT / "db" / f"forms{forms}_seed{seed}{'' if cells else '_nocells'}_{key}.duckdb"


@lru_cache(maxsize=4)
def _corpus(seed: int) -> Corpus:
    return Corpus(seed)


def _parsed(start: int, count: int, seed: int, cells: bool,
            limit: int) -> list[tuple[ParsedFile, list[list[RawCell]] | None]]:
    """Files made from corpus files start.., stopping once `limit` forms are made: each
    ParsedFile (its forms without `cells`) with its forms' cells as plain values."""
    out: list[tuple[ParsedFile, list[list[RawCell]] | None]] = []
    for index in range(start, start + count):
        cf = _corpus(seed).file(index, limit=limit)
        limit -= len(cf.forms)
        pf, raw = laid_out_file(cf, seed, cells)
        out.append((pf, raw))
        if index % TEXT_COPY_EVERY == TEXT_COPY_EVERY - 1:
            out.append((text_copy(pf), raw))
        if index % SCAN_EVERY == SCAN_EVERY - 1:
            out.append((unreadable(cf, seed), None))
        if limit <= 0:
            break
    return out


def _task(start: int, count: int, seed: int, cells: bool, limit: int) -> tuple[int, dict[str, pa.Table]]:
    """In a worker: make the files and turn them into Arrow tables (the costly part).

    The rows are `etl.store.parsed_rows`'s; the cells table, by far the largest (~177 cells
    per form), is built column by column here in the same order and types as `form_rows`
    would make it from `Form.cells`, which takes a third of the time."""
    parsed = _parsed(start, count, seed, cells, limit)
    rows: dict[str, list[tuple]] = {name: [] for name in TABLES}
    cell_rows: list[tuple] = []
    for pf, raw in parsed:
        parsed_rows(file_key(pf.sha256, pf.path), pf, rows)
        for checked, form_cells in zip(pf.forms, raw or [], strict=False):
            rid = report_key(pf.sha256, pf.path, checked.form.form_index)
            cell_rows += [(rid, *c) for c in form_cells]
    forms = sum(len(pf.forms) for pf, _ in parsed if pf.kind == "pdf")
    tables = {name: arrow_table(name, r) for name, r in rows.items() if name != "cells"}
    tables["cells"] = _cells_table(cell_rows)
    return forms, tables


def _cells_table(rows: list[tuple]) -> pa.Table:
    """(report_id, page, row, col, text, x0, top, x1, bottom) rows as the cells table: a
    generated cell has span 1 and no ref or OCR confidence."""
    schema = arrow_table("cells", []).schema
    n = len(rows)
    columns = list(zip(*rows, strict=True)) if rows else [()] * 9
    spans = pa.array([1] * n, type=pa.int32())
    nulls = {"ref": pa.nulls(n, pa.string()), "confidence": pa.nulls(n, pa.float64())}
    given = dict(zip(("report_id", "page", "row", "col", "text", "x0", "top", "x1", "bottom"), columns, strict=True))
    arrays = [pa.array(given[f.name], type=f.type) if f.name in given else
              spans if f.name in ("rowspan", "colspan") else nulls[f.name] for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


def _generate(forms: int, seed: int, cells: bool, workers: int) -> Iterator[tuple[int, dict[str, pa.Table]]]:
    """Tasks in corpus order with a bounded window; each may stop early at the form limit.

    A task cannot know how many forms earlier tasks made, so each gets the remaining
    count assuming the most files could hold (none short): then the real remainder is
    only known in order, and tasks past the end are dropped.
    """
    with ProcessPoolExecutor(workers) as pool:
        pending: deque = deque()
        start = made = 0
        while made < forms:
            while len(pending) < workers + 1:
                pending.append((start, pool.submit(_task, start, BATCH_FILES, seed, cells, forms)))
                start += BATCH_FILES
            task_start, future = pending.popleft()
            n, tables = future.result()
            if made + n > forms:  # the last batch: redo it with the exact remainder
                n, tables = _task(task_start, BATCH_FILES, seed, cells, forms - made)
            made += n
            yield n, tables
        for _, future in pending:
            future.cancel()


def build(path: Path, forms: int, seed: int, cells: bool, workers: int = 2) -> None:
    """Generate in worker processes (layout, checks, Arrow conversion), load here."""
    path.parent.mkdir(parents=True, exist_ok=True)
    done, t0 = 0, time.perf_counter()
    with Writer(path, rebuild=True) as writer:
        for n, tables in _generate(forms, seed, cells, workers):
            for name, table in tables.items():
                insert_arrow(writer.con, name, table)
            done += n
            rate = done / (time.perf_counter() - t0)
            print(f"\r  {done:>8,} / {forms:,} forms  ({rate:,.0f}/s)", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)


def ensure_db(forms: int, seed: int = 0, cells: bool = True, force: bool = False) -> Path:
    """The cached database for these parameters, built when missing."""
    path = db_path(forms, seed, cells)
    if force or not path.exists():
        t = time.perf_counter()
        build(path, forms, seed, cells)
        print(f"generated {path.name} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        for stale in path.parent.glob(path.name.rsplit("_", 1)[0] + "_*.duckdb"):
            # the same parameters made by older code: ~0.5 GB each at 100,000 forms
            if stale != path and stale.name.rsplit("_", 1)[0] == path.name.rsplit("_", 1)[0]:
                stale.unlink()
    refresh_marts(path)
    return path


def refresh_marts(path: Path) -> None:
    """Rebuild the derived tables (election, marts) in place when they were made by other code,
    clustered as a base is (etl.store.cluster): a mart change then costs a mart rebuild
    (~10 s at 100,000 forms), not a regeneration. Bench databases have no deltas."""
    with duckdb.connect(str(path)) as con:
        if con.execute("SELECT value FROM meta WHERE key = 'marts_sql'").fetchall() == [(marts_version(),)]:
            return
        t = time.perf_counter()
        con.execute("BEGIN")
        refresh(con, Changes(full=True))
        cluster(con, only=MARTS)  # the stored tables were written in order and did not change
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        print(f"marts rebuilt in {time.perf_counter() - t:.1f} s", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--forms", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-cells", action="store_true", help="leave the cells table empty (smaller, faster)")
    p.add_argument("--force", action="store_true", help="regenerate even when cached")
    args = p.parse_args(argv)
    print(ensure_db(args.forms, args.seed, not args.no_cells, args.force))
    return 0


if __name__ == "__main__":
    sys.exit(main())
