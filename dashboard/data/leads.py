"""What a leader looks at first: the worst projects, and what changed since the year before.

The same project in another year is matched by its printed project code (reports.project_code)
when both forms print one, else by 主管部门 + 实施单位 + 项目名称 (`SAME_PROJECT`).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from dashboard.data.base import params_of, slice_of, with_base
from dashboard.data.db import Slice, run
from etl.marts import names_key
from dashboard.filters import Filters

WORST = 5
# Pairs (a, b) of the same project: by code when both have one, else by the three names.
SAME_PROJECT = """((coalesce(a.project_code, '') <> '' AND coalesce(b.project_code, '') <> ''
                    AND a.project_code = b.project_code)
                   OR ((coalesce(a.project_code, '') = '' OR coalesce(b.project_code, '') = '')
                       AND a.department = b.department AND a.implementing_unit = b.implementing_unit
                       AND a.project_name = b.project_name))"""


def same_project_pairs(a: str, b: str, where: str = "TRUE") -> str:
    """SQL selecting (a_id, b_id, b_year) for every pair of rows of relations `a` and `b` (each
    with report_id, year, project_code — NULL when blank — and names_key, see etl.marts) that
    are the same project (SAME_PROJECT) and satisfy `where`.

    SAME_PROJECT's two branches exclude each other, so it is written as two equality joins
    (hash joins) whose union is the same pairs: an OR in a join condition would make DuckDB
    compare every row with every row (at 1,000,000 forms, 10^12 comparisons). The names are
    compared by their 64-bit hash (joining three strings took 3.6 s at 1,000,000 forms; a
    false match needs a hash collision, ~10^-7 over all pairs)."""
    return f"""
        SELECT a.report_id AS a_id, b.report_id AS b_id, b.year AS b_year
        FROM {a} a JOIN {b} b ON a.project_code = b.project_code WHERE {where}
        UNION ALL
        SELECT a.report_id, b.report_id, b.year FROM {a} a JOIN {b} b ON a.names_key = b.names_key
        WHERE (a.project_code IS NULL OR b.project_code IS NULL) AND {where}"""


def as_pair_side(ids_filter: str) -> str:
    """The reports matching `ids_filter` with the columns `same_project_pairs` reads."""
    return f"""(SELECT report_id, year, nullif(project_code, '') AS project_code, {names_key()} AS names_key
              FROM reports WHERE {ids_filter})"""


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


def changes_slice(f: Filters) -> Slice:
    """Projects of the slice that also have an earlier year: the latest earlier year's 执行率
    and 总分 beside this year's, largest fall in 执行率 first."""
    return slice_of(f, """
        SELECT a.report_id, a.project_name, a.department, a.year, b.year AS prev_year,
               b.rate AS prev_rate, a.rate, round(a.rate - b.rate, 2) AS rate_change,
               b.total_score AS prev_score, a.total_score, round(a.total_score - b.total_score, 2) AS score_change
        FROM prev JOIN fr a ON a.report_id = prev.a_id JOIN mart_reports b ON b.report_id = prev.b_id""",
                    order="rate_change ASC NULLS LAST, score_change ASC NULLS LAST, report_id",
                    more_ctes=f"""pairs AS ({same_project_pairs("fr", "mart_reports", "b.year < a.year")}),
        prev AS (SELECT a_id, arg_max(b_id, b_year::HUGEINT * {2**63} - b_id) AS b_id FROM pairs GROUP BY a_id)""")


def history(con: duckdb.DuckDBPyConnection, report_id: int) -> pd.DataFrame:
    """Every year of the same project (this one included), oldest first: year, rate, total_score, grade."""
    sql = f"""WITH ids AS (SELECT CAST($id AS BIGINT) AS b_id UNION SELECT b_id FROM ({same_project_pairs(
                  as_pair_side("report_id = $id"), "mart_reports", "b.year IS DISTINCT FROM a.year")}))
        SELECT b.report_id, b.year, b.rate, b.total_score, b.project_name
        FROM mart_reports b JOIN ids ON b.report_id = ids.b_id
        ORDER BY b.year, b.report_id"""
    return run(con, sql, {"id": int(report_id)})
