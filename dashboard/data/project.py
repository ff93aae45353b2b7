"""One project (report) in full: header, funding, indicators, findings, other years, copies, cells."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from dashboard.data.base import params_of, with_base
from dashboard.data.db import Slice, fetch, make_params, records, run
from dashboard.data.indicators import CODE_LABEL, MET_LABEL, SEVERITY_LABEL, label_params
from dashboard.data.leads import as_pair_side, same_project_pairs
from dashboard.filters import Filters

SEARCH_LIMIT = 300


# Every per-project query is written once over a list of report ids (`$ids`) with the owning
# id as `_owner` (an internal column `db.fetch` drops): the 项目详情 page asks for one id, the
# static site for a page of ids at a time (one query per page of projects, not per project).
IN_IDS = "list_contains(CAST($ids AS BIGINT[]), {})"


def _slice(sql: str, ids: list[int], order: str, **extra: object) -> Slice:
    return Slice(sql, make_params(ids=[int(i) for i in ids], **extra), order=order)


def report_slice(ids: list[int]) -> Slice:
    """The report rows with their file (path, kind, status)."""
    return _slice(f"""
        SELECT r.report_id AS _owner, r.*, f.path, f.kind, f.pages AS file_pages, f.status AS file_status
        FROM reports r LEFT JOIN files f USING (file_id) WHERE {IN_IDS.format("r.report_id")}""", ids, "report_id")


def report(con: duckdb.DuckDBPyConnection, report_id: int) -> pd.DataFrame:
    """The report row with its file (path, kind, status); empty if the id is unknown."""
    return fetch(con, report_slice([report_id]))


def primary_id(con: duckdb.DuckDBPyConnection, report_id: int) -> int | None:
    """The primary copy's id (itself if primary), None if unknown: links may name a duplicate."""
    df = run(con, "SELECT coalesce(duplicate_of, report_id) AS pid FROM reports WHERE report_id = $id",
             {"id": int(report_id)})
    return None if df.empty else int(df["pid"].iloc[0])


FUNDING_ORDER = ("CASE line WHEN '年度资金总额' THEN 0 WHEN '当年财政拨款' THEN 1 "
                 "WHEN '上年结转资金' THEN 2 WHEN '其他资金' THEN 3 ELSE 4 END, line")


def funding_slice(report_id: int | list[int]) -> Slice:
    return _slice(f"""
        SELECT report_id AS _owner, line, initial_budget, full_year_budget, executed, weight, execution_rate, score
        FROM funding WHERE {IN_IDS.format("report_id")}""", _as_list(report_id), FUNDING_ORDER)


def indicators_with_positions(ids: list[int]) -> Slice:
    return _slice(f"""
        SELECT i.report_id AS _owner, i.row_no, i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.score,
               round(i.weight - i.score, 2) AS lost, {MET_LABEL} AS met, i.deviation,
               i.page, i.span_top, i.span_bottom
        FROM indicators i WHERE {IN_IDS.format("i.report_id")}""", ids, "row_no")


def indicators(con: duckdb.DuckDBPyConnection, report_id: int) -> pd.DataFrame:
    """All indicator rows in printed order, with met label and page position."""
    return fetch(con, indicators_with_positions([report_id]))


def indicators_slice(report_id: int | list[int]) -> Slice:
    """The same rows for download (without positions)."""
    return _slice(f"""
        SELECT i.report_id AS _owner, i.row_no, i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.score,
               round(i.weight - i.score, 2) AS lost, {MET_LABEL} AS met, i.deviation
        FROM indicators i WHERE {IN_IDS.format("i.report_id")}""", _as_list(report_id), "row_no")


def findings_slice(report_id: int | list[int]) -> Slice:
    return _slice(f"""
        SELECT x.report_id AS _owner, {CODE_LABEL} AS code_label, {SEVERITY_LABEL} AS severity, x.message,
               x.row_no, x.code
        FROM findings x WHERE {IN_IDS.format("x.report_id")}""", _as_list(report_id),
                  "row_no NULLS FIRST, code", **label_params())


def other_years_slice(report_id: int | list[int]) -> Slice:
    """The same project in other years (by printed project code, else 主管部门 + 实施单位 +
    项目名称; see etl.years.SAME_PROJECT), primary copies only (mart_reports, which carries
    the 年度资金总额 line)."""
    pairs = same_project_pairs(as_pair_side(IN_IDS.format("report_id")), "mart_reports", "b.report_id <> a.report_id")
    return _slice(f"""
        WITH p AS ({pairs})
        SELECT p.a_id AS _owner, b.report_id, b.year, b.implementing_unit, b.project_name,
               round(b.budget, 2) AS budget, round(b.executed, 2) AS executed, b.rate, b.total_score, b.grade
        FROM p JOIN mart_reports b ON b.report_id = p.b_id""", _as_list(report_id), "year DESC, report_id")


def copies_slice(ids: list[int]) -> Slice:
    """Other files holding the same form (duplicates pointing at these primary copies)."""
    return _slice(f"""
        SELECT r.duplicate_of AS _owner, r.report_id, f.path, f.kind, r.form_index,
               r.fingerprint = p.fingerprint AS same_content
        FROM reports r JOIN files f USING (file_id) JOIN reports p ON p.report_id = r.duplicate_of
        WHERE {IN_IDS.format("r.duplicate_of")}""", ids, "path, form_index")


def copies(con: duckdb.DuckDBPyConnection, report_id: int) -> pd.DataFrame:
    return fetch(con, copies_slice([report_id]))


def cells_slice(ids: list[int]) -> Slice:
    """The forms' original cells (filled by a real ingest; empty for golden-record databases)."""
    return _slice(f"""
        SELECT report_id AS _owner, page, "row", col, text, x0, top, x1, bottom, rowspan, colspan, ref, confidence
        FROM cells
        WHERE {IN_IDS.format("report_id")}""", ids, 'page, "row", col')


def cells(con: duckdb.DuckDBPyConnection, report_id: int) -> pd.DataFrame:
    return fetch(con, cells_slice([report_id]))


def _as_list(report_id: int | list[int]) -> list[int]:
    return list(report_id) if isinstance(report_id, (list, tuple)) else [int(report_id)]


def by_project(con: duckdb.DuckDBPyConnection, s: Slice) -> dict[int, list[dict[str, Any]]]:
    """A per-project slice over several ids, its rows (dicts, in the slice's order) grouped by owner."""
    out: dict[int, list[dict[str, Any]]] = {}
    for row in records(con, f"SELECT * FROM ({s.sql}) AS t ORDER BY _owner, {s.order}", s.param_dict()):
        out.setdefault(int(row.pop("_owner")), []).append(row)
    return out


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
