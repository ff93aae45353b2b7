"""Moving a database to stable keys (schema 2 -> 3) without breaking saved links.

Schema 2 numbered files in ingest order (report_id = file_id × 10000 + form_index), so an
old 项目详情 link names a number that no rebuild reproduces. `upgrade` re-keys such a
database in place (etl/keys.py) and records every old report_id with its form's key in
`report_aliases`; `carry_aliases` keeps that table across `--rebuild`, so a link saved
before the upgrade or before a rebuild still opens the same project.
"""

from __future__ import annotations

import os

import duckdb
import pyarrow as pa

from etl import keys

UPGRADES_FROM = ("2",)  # schema versions `upgrade` brings to the current one
ALIASES_DDL = "CREATE TABLE IF NOT EXISTS report_aliases (old_id BIGINT PRIMARY KEY, form_key BIGINT NOT NULL)"
_REPORT_TABLES = ("funding", "indicators", "findings", "cells")
_NEW_COLUMNS = (("form_key", "BIGINT"), ("name_key", "BIGINT"), ("copies", "INTEGER"), ("copy_choice", "VARCHAR"))
_OLD_REPORTS = """SELECT r.report_id, f.sha256, f.path, r.form_index, r.year, r.department, r.implementing_unit,
                         r.project_name, {code} FROM {db}reports r JOIN {db}files f USING (file_id)"""


def _columns(con: duckdb.DuckDBPyConnection, table: str, catalog: str | None = None) -> set[str]:
    sql = "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = 'main'"
    args: list[object] = [table]
    if catalog:
        sql += " AND table_catalog = ?"
        args.append(catalog)
    return {r[0] for r in con.execute(sql, args).fetchall()}


def _new_report_keys(rows: list[tuple]) -> pa.Table:
    """(old, new, form_key, name_key) for rows of `_OLD_REPORTS`."""
    out: dict[str, list[int]] = {"old": [], "new": [], "form_key": [], "name_key": []}
    for old, sha, path, index, year, dept, unit, name, code in rows:
        new = keys.report_key(sha, path, index)
        fk, nk = keys.form_keys(new, year, dept, unit, name, code)
        for col, v in zip(out, (old, new, fk, nk), strict=True):
            out[col].append(v)
    return pa.table({k: pa.array(v, type=pa.int64()) for k, v in out.items()})


def upgrade(con: duckdb.DuckDBPyConnection) -> bool:
    """Re-key a schema-2 database in place; True when it did (derived state must be rebuilt)."""
    cols = _columns(con, "reports")
    if not cols or "form_key" in cols:
        return False
    for name, sqltype in _NEW_COLUMNS:
        con.execute(f"ALTER TABLE reports ADD COLUMN IF NOT EXISTS {name} {sqltype}")
    code = "r.project_code" if "project_code" in cols else "NULL"
    rmap = _new_report_keys(con.execute(_OLD_REPORTS.format(code=code, db="")).fetchall())
    files = con.execute("SELECT file_id, sha256, path FROM files").fetchall()
    fmap = pa.table({"old": pa.array([f[0] for f in files], type=pa.int64()),
                     "new": pa.array([keys.file_key(f[1], f[2]) for f in files], type=pa.int64())})
    con.register("_rmap", rmap)
    con.register("_fmap", fmap)
    try:
        con.execute(ALIASES_DDL)
        con.execute("INSERT OR IGNORE INTO report_aliases SELECT old, form_key FROM _rmap")
        # Rewritten, not UPDATEd: DuckDB updates an indexed key as delete + insert, row by row.
        con.execute("""CREATE OR REPLACE TEMP TABLE _r AS SELECT r.* REPLACE (m.new AS report_id,
                       fm.new AS file_id, m.form_key AS form_key, m.name_key AS name_key, NULL::BIGINT AS duplicate_of)
                       FROM reports r JOIN _rmap m ON r.report_id = m.old JOIN _fmap fm ON r.file_id = fm.old""")
        con.execute("CREATE OR REPLACE TEMP TABLE _f AS SELECT f.* REPLACE (m.new AS file_id) "
                    "FROM files f JOIN _fmap m ON f.file_id = m.old")
        for table, tmp in (("reports", "_r"), ("files", "_f")):
            con.execute(f"DELETE FROM {table}")
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {tmp}")
            con.execute(f"DROP TABLE {tmp}")
        for table in _REPORT_TABLES:
            con.execute(f"UPDATE {table} SET report_id = m.new FROM _rmap m WHERE {table}.report_id = m.old")
    finally:
        con.unregister("_rmap")
        con.unregister("_fmap")
    return True


def carry_aliases(con: duckdb.DuckDBPyConnection, old_db: str | os.PathLike[str]) -> None:
    """Before a rebuild: keep the old database's aliases (and a schema-2 one's report_ids)."""
    quoted = str(old_db).replace("'", "''")  # ATTACH takes no parameters
    try:
        con.execute(f"ATTACH '{quoted}' AS _old (READ_ONLY)")
    except duckdb.Error:
        return  # not a database we can read: nothing to carry
    try:
        con.execute(ALIASES_DDL)
        if _columns(con, "report_aliases", "_old"):
            con.execute("INSERT OR IGNORE INTO report_aliases SELECT old_id, form_key FROM _old.report_aliases")
        cols = _columns(con, "reports", "_old")
        if cols and "form_key" not in cols:
            code = "r.project_code" if "project_code" in cols else "NULL"
            rmap = _new_report_keys(con.execute(_OLD_REPORTS.format(code=code, db="_old.")).fetchall())
            con.register("_rmap", rmap)
            con.execute("INSERT OR IGNORE INTO report_aliases SELECT old, form_key FROM _rmap")
            con.unregister("_rmap")
    finally:
        con.execute("DETACH _old")
