"""Writing the store: a whole new base (`BaseWriter`) or a delta of the change (`DeltaWriter`).

`Writer(db)` picks: the first load, a `--rebuild`, a schema upgrade or marts made by other code
write a whole new base in a private copy swapped in by an atomic rename (O(database), rare);
every other load writes only what it changes as a delta file (etl/deltas.py, O(change)). Both
are used as a context manager: leaving the block without an exception commits, an exception
discards everything and leaves the live store untouched. The layout on disk and how readers
see one consistent snapshot: etl/segments.py.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterable
from pathlib import Path

import duckdb

from etl import keys, rekey, segments
from etl.dbguard import check_database, database_target
from etl.errors import JixiaoError
from etl.derived import Changes, marts_version, refresh
from etl.model import ParsedFile
from etl.rows import (arrow_table, file_reason, file_status, form_rows, insert_arrow,  # noqa: F401 - re-exported
                      insert_rows, parsed_rows)
from etl.schema import FORM_KEY, INDEXES, REPORT_TABLES, SCHEMA_VERSION, TABLES, create_schema  # noqa: F401
from etl.swap import new_temp_path, swap_in, temp_files


class Session:
    """The changes a writer applies to `self.con`; subclasses say where that connection points
    and what `_pull` must bring into it before a change (nothing, for a whole copy)."""

    con: duckdb.DuckDBPyConnection
    changes: Changes

    def __enter__(self) -> Session:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()

    def commit(self) -> None:
        raise NotImplementedError

    def discard(self) -> None:
        raise NotImplementedError

    def _pull(self, paths: list[str], file_ids: list[int], form_keys: list[int]) -> None:
        """Bring the rows a change to these paths, file ids and forms reads into `self.con`."""

    def _inserted(self, rows: dict[str, list[tuple]]) -> None:
        """Note the rows a change inserted."""

    def remove_path(self, path: str) -> None:
        """Forget a file and everything loaded from it."""
        self._pull([path], [], [])
        self._delete_path(path)

    def _delete_path(self, path: str) -> None:
        ids = self.con.execute("SELECT file_id FROM files WHERE path = ?", [path]).fetchall()
        self._delete_ids([r[0] for r in ids])

    def _delete_ids(self, ids: list[int]) -> None:
        if not ids:
            return
        self.con.execute("CREATE OR REPLACE TEMP TABLE gone AS SELECT report_id FROM reports "
                         "WHERE file_id IN (SELECT unnest(?::BIGINT[]))", [ids])
        self.changes.removing(self.con, "SELECT report_id FROM gone")
        for table in REPORT_TABLES:
            self.con.execute(f"DELETE FROM {table} WHERE report_id IN (SELECT report_id FROM gone)")
        self.con.execute("DELETE FROM reports WHERE report_id IN (SELECT report_id FROM gone)")
        self.con.execute("DELETE FROM files WHERE file_id IN (SELECT unnest(?::BIGINT[]))", [ids])

    def add_files(self, parsed: Iterable[ParsedFile]) -> None:
        """Load parsed files (replacing older versions of the same paths) in one transaction."""
        parsed = list(parsed)
        rows: dict[str, list[tuple]] = {name: [] for name in TABLES}
        for pf in parsed:
            parsed_rows(keys.file_key(pf.sha256, pf.path), pf, rows)
        self._replace([pf.path for pf in parsed], rows)

    def add_skipped(self, skipped: Iterable[tuple[str, str, str]]) -> None:
        """Record paths that were not parsed, as (path, status, Chinese reason): unsupported
        files, unreadable folders, dangling links. Nothing the ingest met goes unrecorded."""
        skipped = list(skipped)
        self.add_files(ParsedFile(path=path, sha256="", kind="txt", error=reason) for path, _, reason in skipped)
        self.con.execute("UPDATE files SET status = s.status, kind = NULL FROM (SELECT unnest(?::BIGINT[]) AS id, "
                         "unnest(?::VARCHAR[]) AS status) s WHERE file_id = s.id",
                         [[keys.file_key("", path) for path, _, _ in skipped], [status for _, status, _ in skipped]])

    def _replace(self, paths: list[str], rows: dict[str, list[tuple]]) -> None:
        new_keys = [r[FORM_KEY] for r in rows["reports"] if r[FORM_KEY] is not None]
        self._pull(paths, [r[0] for r in rows["files"]], new_keys)
        self.con.execute("BEGIN")
        try:
            for path in self._loaded_paths(paths):
                self._delete_path(path)
            self._delete_ids([r[0] for r in rows["files"]])  # the same bytes loaded from another path: moved
            self.changes.added(r[FORM_KEY] for r in rows["reports"])
            for name, table_rows in rows.items():
                insert_rows(self.con, name, table_rows)
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self._inserted(rows)

    def _loaded_paths(self, paths: list[str]) -> list[str]:
        """Which of `paths` are already loaded (one query, not one per file)."""
        if not paths:
            return []
        return [r[0] for r in self.con.execute(
            "SELECT DISTINCT path FROM files WHERE path IN (SELECT unnest(?::VARCHAR[]))", [paths]).fetchall()]


class BaseWriter(Session):
    """Writes a whole new base in a private copy beside the live one; `commit` swaps it in.

    The copy starts as the current store folded into one file (the base, plus its deltas when
    there are any), or empty for a rebuild. A symlinked `db_path` is written through: the copy
    sits beside the link's target. The caller holds the writer lock (etl.lock).
    """

    def __init__(self, target: Path, *, rebuild: bool = False) -> None:
        self.db_path = target
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp_path = new_temp_path(self.db_path)
        self.generation = 0
        if self.db_path.exists():
            self.generation = _generation(self.db_path)
            if not rebuild:
                _fold_into(self.db_path, self.tmp_path)
        self.con = duckdb.connect(str(self.tmp_path))
        migrated = rekey.upgrade(self.con)  # schema 2 -> stable keys, old links kept as aliases
        create_schema(self.con)
        if rebuild and self.db_path.exists():
            rekey.carry_aliases(self.con, self.db_path)
        self.changes = Changes(full=rebuild or migrated)  # what commit must re-derive (etl/derived.py)

    def commit(self) -> None:
        # Derived state is brought up to date once per commit, for the changed forms only.
        refresh(self.con, self.changes)
        cluster(self.con)
        base_id = secrets.token_hex(8)
        self.con.execute("INSERT OR REPLACE INTO meta VALUES ('base_id', ?), ('generation', ?)",
                         [base_id, str(self.generation + 1)])
        self.con.execute("CHECKPOINT")
        self.con.close()
        swap_in(self.tmp_path, self.db_path)
        # The new base folds every delta in: an empty manifest for it, then the old deltas go.
        if segments.deltas_dir(self.db_path).exists():
            segments.write_manifest(self.db_path, segments.Manifest(base_id, self.generation + 1))
            segments.remove_unlisted(self.db_path)

    def discard(self) -> None:
        self.con.close()
        for p in temp_files(self.tmp_path):
            p.unlink(missing_ok=True)


# The physical order of the big tables read by key — by a delta (etl/deltas.py) and by
# 项目详情 (one form's rows and cells): sorted, DuckDB's zone maps skip the row groups that
# cannot hold the keys, so reading a form's rows costs milliseconds at a million forms, not a
# scan. Rewriting `files` and `reports` drops their primary keys: their keys are unique by
# construction (etl/keys.py), and an ART index is rewritten whole at every checkpoint.
# mart_findings keeps the dashboard's display order instead (its pages read it in that order).
CLUSTER = {"files": "file_id", "reports": "form_key, report_id", "funding": "report_id",
           "indicators": "report_id, row_no", "findings": "report_id", "cells": "report_id, page, row, col",
           "mart_reports": "report_id", "mart_problems": "year, department, report_id, row_no",
           "mart_indicators": "year, department, report_id, row_no",
           "mart_findings": "year, department, project_name, report_id, row_no NULLS FIRST, code, message"}


def cluster(con: duckdb.DuckDBPyConnection, only: Iterable[str] | None = None) -> None:
    """Rewrite the big tables in CLUSTER order (`only`: just those, the others being in order)."""
    have = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = "
                                      "current_database()").fetchall()}
    for table, order in CLUSTER.items():
        if table in have and (only is None or table in only):
            con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM {table} ORDER BY {order}")
    con.execute("INSERT OR REPLACE INTO meta VALUES ('clustered', ?)", [clustered_mark()])


def clustered_mark() -> str:
    """What `meta.clustered` says of a base whose big tables are in CLUSTER order."""
    return ";".join(f"{t}:{o}" for t, o in sorted(CLUSTER.items()))


def _generation(target: Path) -> int:
    """The next base must be newer than the live base and than any manifest (a reader tells a
    stale manifest from a newer one by it)."""
    try:
        manifest = segments.read_manifest(target)
    except JixiaoError:  # damaged: only a rebuild gets here (readers refuse), and replaces it
        manifest = None
    con = duckdb.connect(":memory:")
    try:
        segments.attach(con, target, "src")
        _, generation = segments.base_identity(con, "src")
    finally:
        con.close()
    return max(generation, manifest.generation if manifest else 0)


def _fold_into(target: Path, tmp: Path) -> None:
    """The store as one file at `tmp`: a plain copy of the base when no delta applies."""
    con, segs = segments.connect_store(target)
    try:
        if len(segs.aliases) == 1:
            con.close()
            shutil.copyfile(target, tmp)
            return
        quoted = str(tmp).replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS folded")
        con.execute("USE folded")
        create_schema(con)  # the constraints a plain CREATE TABLE AS would lose
        have = set(segments.tables_of(con, "folded"))
        for table in segments.tables_of(con, "src"):
            if table == "meta":
                con.execute("INSERT OR REPLACE INTO folded.main.meta SELECT key, value FROM memory.main.meta")
            elif table in have:
                con.execute(f"INSERT INTO folded.main.{table} BY NAME SELECT * FROM memory.main.{table}")
            else:
                con.execute(f"CREATE TABLE folded.main.{table} AS SELECT * FROM memory.main.{table}")
        con.execute("USE memory")
        con.execute("DETACH folded")
    finally:
        con.close()


def Writer(db_path: str | os.PathLike[str], *, rebuild: bool = False) -> BaseWriter | Session:  # noqa: N802
    """The writer for a change to the store at `db_path`: a delta when it can, else a new base.

    Refuses (JixiaoError) a path that is not a jixiao database; the caller holds the writer
    lock (etl.lock).
    """
    target = database_target(db_path)
    if rebuild or not target.exists():
        check_database(db_path, rebuild=rebuild)  # never write into what is not ours
        return BaseWriter(target, rebuild=rebuild)
    from etl.deltas import DeltaWriter  # it builds on Session

    try:
        con, segs = segments.connect_store(target)
    except duckdb.Error:
        check_database(db_path, rebuild=rebuild)  # says in Chinese what the file is instead
        raise
    try:
        check_database(db_path, rebuild=rebuild, con=con)
    except BaseException:
        con.close()
        raise
    if not _delta_ready(con, segs):
        con.close()
        return BaseWriter(target)
    return DeltaWriter(target, con, segs)


def _delta_ready(con: duckdb.DuckDBPyConnection, segs: segments.Segments) -> bool:
    """A delta can only be written on a base of this schema whose marts this code made."""
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    return bool(segs.base_id) and meta.get("schema_version") == SCHEMA_VERSION and \
        meta.get("marts_sql") == marts_version()


def connect_readonly(db_path: str | os.PathLike[str]) -> duckdb.DuckDBPyConnection:
    """How readers (the dashboard, the site, the CLI's counts) open the store: nothing can be
    written. The base and its live deltas are attached READ_ONLY to a private in-memory DuckDB
    and every table exposed as a view (etl/segments.py), so cursors of the connection name them
    unqualified. Not `duckdb.connect(path)`: DuckDB shares one instance per path within a
    process, and after a compaction swaps in a new base a plain connect can keep serving the
    old one; an ATTACH opens the file afresh.
    """
    con, _ = segments.connect_store(Path(db_path))
    return con
