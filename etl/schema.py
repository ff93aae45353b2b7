"""The stored tables: their columns and types, and creating them."""

from __future__ import annotations

import duckdb

from etl import rekey
from etl.dbguard import APP

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
