"""DuckDB storage: schema, loading parsed files, and the atomic swap.

Writers never touch the live database file. `Writer` copies it to a sibling
temporary file, applies every change there and, on commit, renames the copy over
the original (an atomic `os.replace`). A reader that already has the old file open
keeps a consistent snapshot; a reader that opens afterwards sees the new one.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from etl import keys, rekey
from etl.compare import fingerprint
from etl.dbguard import APP, check_database, database_target
from etl.derived import Changes, refresh
from etl.model import CheckedForm, ParsedFile
from etl.swap import new_temp_path, swap_in, temp_files

if TYPE_CHECKING:  # pyarrow is imported on first write: an unchanged re-run never loads it
    import pyarrow as pa

SCHEMA_VERSION = "3"  # 3: stable keys (etl/keys.py), copy election columns

# Each table: (name, [(column, DuckDB type), ...]). The order is the insert order.
TABLES: dict[str, list[tuple[str, str]]] = {
    "files": [
        ("file_id", "BIGINT PRIMARY KEY"), ("path", "VARCHAR NOT NULL"), ("sha256", "VARCHAR NOT NULL"),
        ("kind", "VARCHAR"), ("pages", "INTEGER"), ("status", "VARCHAR NOT NULL"), ("error", "VARCHAR"),
        ("warnings", "VARCHAR"), ("n_reports", "INTEGER"), ("ingested_at", "TIMESTAMP"),
    ],
    "reports": [
        ("report_id", "BIGINT PRIMARY KEY"), ("file_id", "BIGINT NOT NULL"), ("form_index", "INTEGER"),
        ("page_start", "INTEGER"), ("page_end", "INTEGER"), ("year", "INTEGER"), ("project_name", "VARCHAR"),
        ("department", "VARCHAR"), ("implementing_unit", "VARCHAR"), ("goal_expected", "VARCHAR"),
        ("goal_actual", "VARCHAR"), ("total_weight", "DOUBLE"), ("total_score", "DOUBLE"), ("grade", "VARCHAR"),
        ("status", "VARCHAR"), ("fingerprint", "VARCHAR"), ("form_kind", "VARCHAR"), ("project_code", "VARCHAR"),
        ("department_code", "VARCHAR"), ("unit_code", "VARCHAR"), ("report_no", "VARCHAR"),
        ("conclusion", "VARCHAR"), ("problems", "VARCHAR"), ("improvements", "VARCHAR"),
        ("project_lead", "VARCHAR"), ("extras", "VARCHAR"),  # extras: JSON object, label -> text
        # NULL for the primary copy of a form; else the report_id of the primary copy
        # (the same form found in another file, e.g. a PDF and its text extraction).
        ("duplicate_of", "BIGINT"),
        # Stable keys (etl/keys.py): the form shared by all its copies (links use it) and its
        # name identity; then the election of the shown copy (etl/primaries.py): how many
        # copies the form has, and on the primary, in Chinese, why this copy is the one shown.
        ("form_key", "BIGINT"), ("name_key", "BIGINT"), ("copies", "INTEGER"), ("copy_choice", "VARCHAR"),
    ],
    "funding": [
        ("report_id", "BIGINT NOT NULL"), ("line", "VARCHAR NOT NULL"), ("initial_budget", "DOUBLE"),
        ("full_year_budget", "DOUBLE"), ("executed", "DOUBLE"), ("weight", "DOUBLE"),
        ("execution_rate", "DOUBLE"), ("score", "DOUBLE"), ("page", "INTEGER"), ("label", "VARCHAR"),
        ("ref", "VARCHAR"),
    ],
    "indicators": [
        ("report_id", "BIGINT NOT NULL"), ("row_no", "INTEGER NOT NULL"), ("level1", "VARCHAR"),
        ("level2", "VARCHAR"), ("name", "VARCHAR"), ("target", "VARCHAR"), ("actual", "VARCHAR"),
        ("weight", "DOUBLE"), ("score", "DOUBLE"), ("deviation", "VARCHAR"), ("target_op", "VARCHAR"),
        ("target_value", "DOUBLE"), ("target_unit", "VARCHAR"), ("actual_value", "DOUBLE"),
        ("actual_unit", "VARCHAR"), ("met", "BOOLEAN"), ("page", "INTEGER"), ("span_top", "DOUBLE"),
        ("span_bottom", "DOUBLE"), ("level1_points", "DOUBLE"), ("nature", "VARCHAR"), ("measure_unit", "VARCHAR"),
        ("ref", "VARCHAR"),
    ],
    "findings": [
        ("report_id", "BIGINT NOT NULL"), ("row_no", "INTEGER"), ("code", "VARCHAR NOT NULL"),
        ("severity", "VARCHAR NOT NULL"), ("message", "VARCHAR"),
    ],
    "cells": [
        ("report_id", "BIGINT NOT NULL"), ("page", "INTEGER"), ("row", "INTEGER"), ("col", "INTEGER"),
        ("text", "VARCHAR"), ("x0", "DOUBLE"), ("top", "DOUBLE"), ("x1", "DOUBLE"), ("bottom", "DOUBLE"),
        ("rowspan", "INTEGER"), ("colspan", "INTEGER"), ("ref", "VARCHAR"), ("confidence", "DOUBLE"),
    ],
}

# Tables keyed by report_id, deleted together when a file is replaced.
REPORT_TABLES = ("funding", "indicators", "findings", "cells")

FORM_KEY = [c for c, _ in TABLES["reports"]].index("form_key")

# No secondary indexes: DuckDB rewrites every ART index whole at each checkpoint, which made
# committing one file cost O(database) (100,000 forms: checkpoint 1.27 s with them, 0.17 s
# without); the lookups they served (by path, file_id, form_key) are column scans of a few ms.
INDEXES = tuple(f"DROP INDEX IF EXISTS {name}" for name in ("reports_file", "reports_form", "files_path"))


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    for name, cols in TABLES.items():
        body = ", ".join(f"{c} {t}" for c, t in cols)
        con.execute(f"CREATE TABLE IF NOT EXISTS {name} ({body})")
    con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute(rekey.ALIASES_DDL)
    # The marker `--db` is checked against (etl.dbguard): only such a file is ever written.
    con.execute("INSERT OR REPLACE INTO meta VALUES ('app', ?), ('schema_version', ?)", [APP, SCHEMA_VERSION])
    for stmt in INDEXES:
        con.execute(stmt)


class Writer:
    """Applies changes to a private copy of the database; `commit` swaps it in.

    Use as a context manager: leaving the block without an exception commits,
    an exception discards the copy and leaves the live database untouched.
    A symlinked `db_path` is written through: the copy sits beside the link's target.
    Refuses (JixiaoError) a path that is not a jixiao database; the caller holds the writer
    lock (etl.lock).
    """

    def __init__(self, db_path: str | os.PathLike[str], *, rebuild: bool = False) -> None:
        check_database(db_path, rebuild=rebuild)  # never write into what is not ours
        self.db_path = database_target(db_path)
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp_path = new_temp_path(self.db_path)
        if self.db_path.exists() and not rebuild:
            shutil.copyfile(self.db_path, self.tmp_path)
        self.con = duckdb.connect(str(self.tmp_path))
        migrated = rekey.upgrade(self.con)  # schema 2 -> stable keys, old links kept as aliases
        create_schema(self.con)
        if rebuild and self.db_path.exists():
            rekey.carry_aliases(self.con, self.db_path)
        self.changes = Changes(full=rebuild or migrated)  # what commit must re-derive (etl/derived.py)

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()

    def remove_path(self, path: str) -> None:
        """Forget a file and everything loaded from it."""
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

    def _loaded_paths(self, paths: list[str]) -> list[str]:
        """Which of `paths` are already loaded (one query, not one per file)."""
        if not paths:
            return []
        return [r[0] for r in self.con.execute(
            "SELECT DISTINCT path FROM files WHERE path IN (SELECT unnest(?::VARCHAR[]))", [paths]).fetchall()]

    def commit(self) -> None:
        # Derived state is brought up to date once per commit, for the changed forms only.
        refresh(self.con, self.changes)
        self.con.execute("CHECKPOINT")
        self.con.close()
        swap_in(self.tmp_path, self.db_path)

    def discard(self) -> None:
        self.con.close()
        for p in temp_files(self.tmp_path):
            p.unlink(missing_ok=True)


def file_status(pf: ParsedFile) -> str:
    if pf.error:
        return "error"
    return "partial" if any(c.status == "partial" for c in pf.forms) else "ok"


def file_reason(pf: ParsedFile) -> str | None:
    """files.error: why a file failed, or what its partial forms lack (never NULL for `partial`)."""
    if pf.error:
        return pf.error
    parts = [f"第{i}张表（{c.form.project_name or '项目名称未识别'}）：{'；'.join(c.form.gaps)}"
             for i, c in enumerate(pf.forms, start=1) if c.status == "partial"]
    return "部分解析：" + "。".join(parts) if parts else None


def parsed_rows(file_id: int, pf: ParsedFile, rows: dict[str, list[tuple]]) -> None:
    """Append a parsed file's rows (its `files` row and its forms'), in TABLES column order."""
    rows["files"].append((file_id, pf.path, pf.sha256, pf.kind, pf.pages, file_status(pf), file_reason(pf),
                          "\n".join(pf.warnings) or None, len(pf.forms), datetime.now(timezone.utc)))
    for checked in pf.forms:
        form_rows(keys.report_key(pf.sha256, pf.path, checked.form.form_index), file_id, checked, rows)


def form_rows(report_id: int, file_id: int, checked: CheckedForm, rows: dict[str, list[tuple]]) -> None:
    """Append one checked form's rows, table by table, in TABLES column order."""
    f = checked.form
    rows["reports"].append((report_id, file_id, f.form_index, f.page_start, f.page_end, f.year, f.project_name,
                            f.department, f.implementing_unit, f.goal_expected, f.goal_actual, f.total_weight,
                            f.total_score, f.grade, checked.status, fingerprint(f), f.form_kind, f.project_code,
                            f.department_code, f.unit_code, f.report_no, f.conclusion, f.problems, f.improvements,
                            f.project_lead, json.dumps(f.extras, ensure_ascii=False) if f.extras else None, None,
                            *keys.form_keys(report_id, f.year, f.department, f.implementing_unit, f.project_name,
                                            f.project_code), None, None))
    for fl in f.funding:
        rows["funding"].append((report_id, fl.line, fl.initial_budget, fl.full_year_budget, fl.executed,
                                fl.weight, fl.execution_rate, fl.score, fl.page, fl.label or fl.line, fl.ref))
    for ind, j in zip(f.indicators, checked.judgements, strict=True):
        top, bottom = ind.span or (None, None)
        rows["indicators"].append((report_id, ind.row_no, ind.level1, ind.level2, ind.name, ind.target,
                                   ind.actual, ind.weight, ind.score, ind.deviation, j.target.op, j.target.value,
                                   j.target.unit, j.actual.value, j.actual.unit, j.met, ind.page, top, bottom,
                                   ind.level1_points, ind.nature, ind.measure_unit, ind.ref))
    for fd in checked.findings:
        rows["findings"].append((report_id, fd.row_no, fd.code, fd.severity, fd.message))
    for c in f.cells:
        x0, top, x1, bottom = c.bbox or (None, None, None, None)
        rows["cells"].append((report_id, c.page, c.row, c.col, c.text, x0, top, x1, bottom,
                              c.rowspan, c.colspan, c.ref, c.confidence))


def arrow_table(table: str, rows: Sequence[tuple]) -> pa.Table:
    """Rows (tuples in TABLES column order) as an Arrow table with the table's types."""
    import pyarrow as pa

    schema = pa.schema([(name, _arrow_type(sqltype)) for name, sqltype in TABLES[table]])
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    return pa.Table.from_arrays([pa.array(col, type=schema.field(i).type) for i, col in enumerate(columns)],
                                schema=schema)


def insert_arrow(con: duckdb.DuckDBPyConnection, table: str, batch: pa.Table) -> None:
    if batch.num_rows == 0:
        return
    con.register("_batch", batch)
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM _batch")
    finally:
        con.unregister("_batch")


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[tuple]) -> None:
    """Bulk insert through Arrow: far faster than executemany for thousands of rows."""
    if rows:
        insert_arrow(con, table, arrow_table(table, rows))


def _arrow_type(sqltype: str) -> pa.DataType:
    import pyarrow as pa

    base = sqltype.split()[0]
    return {"BIGINT": pa.int64(), "INTEGER": pa.int32(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_(),
            "TIMESTAMP": pa.timestamp("us", tz="UTC"), "VARCHAR": pa.string()}[base]


def connect_readonly(db_path: str | os.PathLike[str]) -> duckdb.DuckDBPyConnection:
    """How readers (the dashboard, the CLI's counts) open the database: nothing can be written.

    The file is attached READ_ONLY to a private in-memory DuckDB and its tables exposed as
    views, so cursors of the connection name them unqualified. Not `duckdb.connect(path)`:
    DuckDB shares one instance per path within a process, and after the ingest swaps in a
    new file a plain connect can keep serving the old one; an ATTACH opens the file afresh.
    """
    con = duckdb.connect(":memory:")
    quoted = str(db_path).replace("'", "''")  # ATTACH takes no parameters
    con.execute(f"ATTACH '{quoted}' AS src (READ_ONLY)")
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'src'").fetchall()]
    for table in tables:
        con.execute(f'CREATE VIEW "{table}" AS SELECT * FROM src."{table}"')
    return con
