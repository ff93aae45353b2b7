"""One project (report) in full: header, funding, indicators, findings, other years, copies, cells."""

from __future__ import annotations

import duckdb
import pandas as pd

from dashboard.data.base import params_of, with_base
from dashboard.data.db import Slice, run
from dashboard.data.indicators import CODE_LABEL, MET_LABEL, SEVERITY_LABEL, label_params
from dashboard.filters import Filters

SEARCH_LIMIT = 300


def report(con: duckdb.DuckDBPyConnection, report_id: int) -> pd.DataFrame:
    """The report row with its file (path, kind, status); empty if the id is unknown."""
    return run(con, """
        SELECT r.*, f.path, f.kind, f.pages AS file_pages, f.status AS file_status
        FROM reports r LEFT JOIN files f USING (file_id) WHERE r.report_id = $id""", {"id": int(report_id)})


def primary_id(con: duckdb.DuckDBPyConnection, report_id: int) -> int | None:
    """The primary copy's id (itself if primary), None if unknown: links may name a duplicate."""
    df = run(con, "SELECT coalesce(duplicate_of, report_id) AS pid FROM reports WHERE report_id = $id",
             {"id": int(report_id)})
    return None if df.empty else int(df["pid"].iloc[0])


def funding_slice(report_id: int) -> Slice:
    return Slice("""
        SELECT line, initial_budget, full_year_budget, executed, weight, execution_rate, score
        FROM funding WHERE report_id = $id""", (("id", int(report_id)),),
                 order="CASE line WHEN '年度资金总额' THEN 0 WHEN '当年财政拨款' THEN 1 "
                       "WHEN '上年结转资金' THEN 2 WHEN '其他资金' THEN 3 ELSE 4 END, line")


def indicators(con: duckdb.DuckDBPyConnection, report_id: int) -> pd.DataFrame:
    """All indicator rows in printed order, with met label and page position."""
    return run(con, f"""
        SELECT i.row_no, i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.score,
               round(i.weight - i.score, 2) AS lost, {MET_LABEL} AS met, i.deviation,
               i.page, i.span_top, i.span_bottom
        FROM indicators i WHERE i.report_id = $id ORDER BY i.row_no""", {"id": int(report_id)})


def indicators_slice(report_id: int) -> Slice:
    """The same rows for download (without positions)."""
    return Slice(f"""
        SELECT i.row_no, i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.score,
               round(i.weight - i.score, 2) AS lost, {MET_LABEL} AS met, i.deviation
        FROM indicators i WHERE i.report_id = $id""", (("id", int(report_id)),), order="row_no")


def findings_slice(report_id: int) -> Slice:
    params = tuple(sorted({"id": int(report_id), **{k: tuple(v) for k, v in label_params().items()}}.items()))
    return Slice(f"""
        SELECT {CODE_LABEL} AS code_label, {SEVERITY_LABEL} AS severity, x.message, x.row_no, x.code
        FROM findings x WHERE x.report_id = $id""", params, order="row_no NULLS FIRST, code")


def other_years_slice(report_id: int) -> Slice:
    """The same project (same 主管部门 and 项目名称) in other years, primary copies only."""
    return Slice("""
        WITH me AS (SELECT department, project_name FROM reports WHERE report_id = $id),
        fl AS (SELECT report_id, round(100 * executed / nullif(full_year_budget, 0), 2) AS rate,
                      round(full_year_budget, 2) AS budget, round(executed, 2) AS executed
               FROM funding WHERE line = '年度资金总额')
        SELECT r.report_id, r.year, r.implementing_unit, r.project_name, fl.budget, fl.executed, fl.rate,
               r.total_score, r.grade
        FROM reports r JOIN me USING (department, project_name) LEFT JOIN fl USING (report_id)
        WHERE r.duplicate_of IS NULL AND r.report_id <> $id""", (("id", int(report_id)),),
                 order="year DESC, report_id")


def copies(con: duckdb.DuckDBPyConnection, report_id: int) -> pd.DataFrame:
    """Other files holding the same form (duplicates pointing at this primary copy)."""
    return run(con, """
        SELECT r.report_id, f.path, f.kind, r.form_index, r.fingerprint = p.fingerprint AS same_content
        FROM reports r JOIN files f USING (file_id) JOIN reports p ON p.report_id = r.duplicate_of
        WHERE r.duplicate_of = $id ORDER BY f.path, r.form_index""", {"id": int(report_id)})


def cells(con: duckdb.DuckDBPyConnection, report_id: int) -> pd.DataFrame:
    """The form's original cells (filled by a real ingest; empty for golden-record databases)."""
    return run(con, """
        SELECT page, "row", col, text, x0, top, x1, bottom, confidence FROM cells
        WHERE report_id = $id ORDER BY page, "row", col""", {"id": int(report_id)})


_MATCH = "($q = '' OR contains(haystack, lower($q)))"


def search(con: duckdb.DuckDBPyConnection, f: Filters, q: str = "", limit: int = SEARCH_LIMIT) -> pd.DataFrame:
    """Projects in the filtered set whose name, unit or department contains `q` (at most `limit`)."""
    sql = with_base(f"""
        SELECT report_id, year, department, implementing_unit, project_name, total_score FROM fr
        WHERE {_MATCH} ORDER BY project_name, year DESC, department, report_id LIMIT $limit""")
    return run(con, sql, params_of(f, q=q.strip(), limit=int(limit)))


def count_search(con: duckdb.DuckDBPyConnection, f: Filters, q: str = "") -> int:
    sql = with_base(f"SELECT count(*) AS n FROM fr WHERE {_MATCH}")
    return int(run(con, sql, params_of(f, q=q.strip()))["n"].iloc[0])
