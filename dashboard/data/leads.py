"""What a leader looks at first: the worst projects, and what changed since the year before.

The same project in another year is matched by its printed project code (reports.project_code)
when both forms print one, else by 主管部门 + 实施单位 + 项目名称 (`SAME_PROJECT`).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from dashboard.data.base import params_of, slice_of, with_base
from dashboard.data.db import Slice, run
from dashboard.filters import Filters

WORST = 5
# Pairs (a, b) of the same project: by code when both have one, else by the three names.
SAME_PROJECT = """((coalesce(a.project_code, '') <> '' AND coalesce(b.project_code, '') <> ''
                    AND a.project_code = b.project_code)
                   OR ((coalesce(a.project_code, '') = '' OR coalesce(b.project_code, '') = '')
                       AND a.department = b.department AND a.implementing_unit = b.implementing_unit
                       AND a.project_name = b.project_name))"""

_WORST_SQL = {
    "rate": "SELECT report_id, project_name, department, year, rate AS value FROM fr WHERE rate IS NOT NULL "
            "ORDER BY rate ASC, report_id LIMIT $limit",
    "lost": "SELECT report_id, project_name, department, year, round(total_weight - total_score, 2) AS value FROM fr "
            "WHERE total_weight - total_score > 0.005 ORDER BY value DESC, report_id LIMIT $limit",
    "missed_full": "SELECT report_id, project_name, department, year, n AS value FROM fr JOIN "
                   "(SELECT report_id, count(*) AS n FROM findings WHERE code = 'missed_target_full_score' "
                   "GROUP BY 1) m USING (report_id) ORDER BY n DESC, report_id LIMIT $limit",
}
WORST_TITLES = {"rate": ("执行率最低", "执行率"), "lost": ("扣分最多", "扣分"),
                 "missed_full": ("未达指标值仍得满分", "指标数")}


def worst_projects(con: duckdb.DuckDBPyConnection, f: Filters, by: str, limit: int = WORST) -> pd.DataFrame:
    """The `limit` worst projects by 执行率 (lowest), points lost (most) or indicators that missed
    their target yet got full marks (most): report_id, project_name, department, year, value."""
    return run(con, with_base(_WORST_SQL[by]), params_of(f, limit=int(limit)))


_KEYED = """keyed AS (SELECT m.report_id, m.year, m.department, m.implementing_unit, m.project_name, m.rate,
                          m.total_score, r.project_code
                   FROM mart_reports m JOIN reports r USING (report_id))"""


def changes_slice(f: Filters) -> Slice:
    """Projects of the slice that also have an earlier year: the latest earlier year's 执行率
    and 总分 beside this year's, largest fall in 执行率 first."""
    return slice_of(f, f"""
        SELECT a.report_id, a.project_name, a.department, a.year, b.year AS prev_year,
               b.rate AS prev_rate, a.rate, round(a.rate - b.rate, 2) AS rate_change,
               b.total_score AS prev_score, a.total_score, round(a.total_score - b.total_score, 2) AS score_change
        FROM (SELECT k.* FROM keyed k JOIN fr USING (report_id)) a JOIN keyed b
          ON b.year < a.year AND {SAME_PROJECT}
        QUALIFY row_number() OVER (PARTITION BY a.report_id ORDER BY b.year DESC, b.report_id) = 1""",
                    order="rate_change ASC NULLS LAST, score_change ASC NULLS LAST, report_id", more_ctes=_KEYED)


def history(con: duckdb.DuckDBPyConnection, report_id: int) -> pd.DataFrame:
    """Every year of the same project (this one included), oldest first: year, rate, total_score, grade."""
    sql = f"""WITH {_KEYED},
        me AS (SELECT * FROM reports WHERE report_id = $id)
        SELECT b.report_id, b.year, b.rate, b.total_score, b.project_name
        FROM me a JOIN keyed b ON b.report_id = a.report_id OR (b.year IS DISTINCT FROM a.year AND {SAME_PROJECT})
        ORDER BY b.year, b.report_id"""
    return run(con, sql, {"id": int(report_id)})
