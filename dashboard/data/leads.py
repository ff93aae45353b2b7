"""What a leader looks at first: the worst projects, and what changed since the year before.

The same project in another year is matched by its printed project code (reports.project_code)
when both forms print one, else by 主管部门 + 实施单位 + 项目名称 (etl/years.py).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from dashboard.data.base import params_of, slice_of, with_base
from dashboard.data.db import Slice, run
from etl.years import names_key, same_project_pairs
from dashboard.filters import Filters

WORST = 5


def as_pair_side(ids_filter: str) -> str:
    """The reports matching `ids_filter` with the columns `same_project_pairs` reads."""
    return f"""(SELECT report_id, year, nullif(project_code, '') AS project_code, {names_key()} AS names_key
              FROM reports WHERE {ids_filter})"""


_WORST_SQL = {
    "rate": "SELECT report_id, project_name, department, year, rate AS value FROM fr WHERE rate IS NOT NULL "
            "ORDER BY rate ASC, report_id LIMIT $limit",
    "lost": "SELECT report_id, project_name, department, year, round(total_weight - total_score, 2) AS value FROM fr "
            "WHERE total_weight - total_score > 0.005 ORDER BY value DESC, report_id LIMIT $limit",
    "missed_full": "SELECT report_id, project_name, department, year, missed_full AS value FROM fr "
                   "WHERE missed_full > 0 ORDER BY missed_full DESC, report_id LIMIT $limit",
}
WORST_TITLES = {"rate": ("执行率最低", "执行率"), "lost": ("扣分最多", "扣分"),
                 "missed_full": ("未达指标值仍得满分", "指标数")}


def worst_projects(con: duckdb.DuckDBPyConnection, f: Filters, by: str, limit: int = WORST) -> pd.DataFrame:
    """The `limit` worst projects by 执行率 (lowest), points lost (most) or indicators that missed
    their target yet got full marks (most): report_id, project_name, department, year, value."""
    return run(con, with_base(_WORST_SQL[by]), params_of(f, limit=int(limit)))


def changes_slice(f: Filters) -> Slice:
    """Projects of the slice that also have an earlier year: the latest earlier year's 执行率
    and 总分 beside this year's (linked at ingest, etl/years.py), largest fall in 执行率 first."""
    return slice_of(f, """
        SELECT report_id, project_name, department, year, prev_year, prev_rate, rate,
               round(rate - prev_rate, 2) AS rate_change, prev_score, total_score,
               round(total_score - prev_score, 2) AS score_change
        FROM fr WHERE prev_id IS NOT NULL""", order="rate_change ASC NULLS LAST, score_change ASC NULLS LAST, report_id")


def history(con: duckdb.DuckDBPyConnection, report_id: int) -> pd.DataFrame:
    """Every year of the same project (this one included), oldest first: year, rate, total_score, grade."""
    sql = f"""WITH ids AS (SELECT CAST($id AS BIGINT) AS b_id UNION SELECT b_id FROM ({same_project_pairs(
                  as_pair_side("report_id = $id"), "mart_reports", "b.year IS DISTINCT FROM a.year")}))
        SELECT b.report_id, b.year, b.rate, b.total_score, b.project_name
        FROM mart_reports b JOIN ids ON b.report_id = ids.b_id
        ORDER BY b.year, b.report_id"""
    return run(con, sql, {"id": int(report_id)})
