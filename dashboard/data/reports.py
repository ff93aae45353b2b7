"""Project-level queries: headline figures, per-department/per-year summaries, budget execution,
score distribution and where points are lost. Aggregates return small DataFrames; lists
return a `Slice` so the page can show the first rows and download the rest on demand.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from dashboard.data.base import RATE_AGG, filter_params, params_of, pre_counted, slice_of, with_base
from dashboard.data.db import Slice, make_params, run
from dashboard.filters import Filters
from etl.marts import CUBE

# Who and what first (主管部门, 项目, 年度), then the figures; the unit last.
PROJECT_COLUMNS = ("report_id, department, project_name, year, rate, round(budget, 2) AS budget, "
                   "round(executed, 2) AS executed, total_score, grade, implementing_unit")

GROUPS = {"department": "department", "year": "year", "year_department": "year, department"}


def kpis(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row: projects, budget, executed, rate, mean_score, problem_indicators, findings."""
    sql = with_base(f"""
        SELECT count(*) AS projects, round(sum(budget), 2) AS budget, round(sum(executed), 2) AS executed,
               {RATE_AGG} AS rate, round(avg(total_score), 2) AS mean_score,
               coalesce(sum(problem_indicators), 0)::BIGINT AS problem_indicators,
               coalesce(sum(findings), 0)::BIGINT AS findings
        FROM fr""")
    return run(con, sql, params_of(f))


def grade_counts(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    return run(con, with_base("SELECT coalesce(nullif(grade, ''), '未填') AS grade, count(*) AS n FROM fr "
                              "GROUP BY 1 ORDER BY 1"), params_of(f))


def years_present(con: duckdb.DuckDBPyConnection, f: Filters) -> list[int]:
    df = run(con, with_base("SELECT DISTINCT year FROM fr WHERE year IS NOT NULL ORDER BY year"), params_of(f))
    return [int(y) for y in df["year"]]


def count_departments(con: duckdb.DuckDBPyConnection, f: Filters) -> int:
    return int(run(con, with_base("SELECT count(DISTINCT department) AS n FROM fr"), params_of(f))["n"].iloc[0])


def summary_slice(f: Filters, by: str = "department") -> Slice:
    """Per department (or year, or year×department): projects, money, 执行率, scores, problems."""
    cols = GROUPS[by]
    return slice_of(f, f"""
        SELECT {cols}, count(*) AS projects, round(sum(budget), 2) AS budget, round(sum(executed), 2) AS executed,
               {RATE_AGG} AS rate, round(avg(total_score), 2) AS mean_score, min(total_score) AS min_score,
               sum(problem_indicators)::BIGINT AS problem_indicators, sum(findings)::BIGINT AS findings
        FROM fr GROUP BY {cols}""", order="year" if by == "year" else f"rate ASC NULLS LAST, {cols}")


def projects_slice(f: Filters, *, below_rate: float | None = None, order: str = "rate") -> Slice:
    """Projects with their 年度资金总额 line; optionally only those with 执行率 < below_rate (%)."""
    orders = {"rate": "rate ASC NULLS LAST, budget DESC, report_id",
              "score": "total_score ASC NULLS LAST, report_id"}
    return _paged_projects(f, f"SELECT {PROJECT_COLUMNS} FROM fr WHERE $below IS NULL OR rate < $below",
                           orders[order], below=below_rate)


def _paged_projects(f: Filters, body: str, order: str, **extra: object) -> Slice:
    """A list of projects (`body`: one row per report_id) shown a page at a time: the page's
    report_ids are picked by the sort keys alone, then only their rows are read. A top-N that
    carries every column copies the names of every project in the slice (1,000,000 at national
    scale) into its heap; the keys' semi join is pushed into the scan (a Bloom filter)."""
    keys = f"SELECT report_id FROM ({body}) AS b ORDER BY {order} LIMIT $_limit OFFSET $_offset"
    rows = f"SELECT * FROM ({body}) AS b WHERE report_id IN (SELECT report_id FROM page)"
    return Slice(with_base(rows, f"page AS ({keys})"), make_params(**filter_params(f), **extra), order,
                 count=with_base(f"SELECT count(*) FROM ({body}) AS b"), paged=True, whole=with_base(body))


def rate_bins(con: duckdb.DuckDBPyConnection, f: Filters, width: float = 5.0) -> pd.DataFrame:
    """Histogram of project 执行率 in `width`-point bins closed on the right (bin b holds
    b < rate ≤ b + width; 0 is in the first), so exactly 100% is in 95–100; bin 100 holds rates above 100%."""
    sql = with_base("""
        SELECT CASE WHEN rate > 100 THEN 100 ELSE greatest(ceil(rate / $w) * $w - $w, 0) END AS bin, count(*) AS n
        FROM fr WHERE rate IS NOT NULL GROUP BY 1 ORDER BY 1""")
    return run(con, sql, params_of(f, w=width))


def adjusted_slice(f: Filters) -> Slice:
    """Projects whose 全年预算数 differs from the 年初预算数 (budget adjusted during the year)."""
    return _paged_projects(f, """
        SELECT report_id, department, project_name, year, round(initial_budget, 2) AS initial_budget,
               round(budget, 2) AS budget, round(budget - initial_budget, 2) AS adjustment,
               round(100 * (budget - initial_budget) / nullif(initial_budget, 0), 2) AS adjustment_pct,
               round(executed, 2) AS executed, rate
        FROM fr WHERE abs(budget - initial_budget) > 0.005""", "abs(adjustment) DESC, report_id")


def score_bins(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Histogram of total scores in 1-point bins (100 has its own bin)."""
    sql = with_base("""
        SELECT least(greatest(floor(total_score), 0), 100) AS bin, count(*) AS n
        FROM fr WHERE total_score IS NOT NULL GROUP BY 1 ORDER BY 1""")
    return run(con, sql, params_of(f))


def department_scores(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 30) -> pd.DataFrame:
    """Score quartiles and grade counts per department, the `limit` lowest medians first."""
    # One list-valued quantile per department: one sort of its scores instead of three.
    sql = with_base("""
        SELECT department, n, min_score, q[1] AS q1, q[2] AS median, q[3] AS q3, max_score, mean_score,
               "优", "良", "中", "差"
        FROM (SELECT department, count(total_score) AS n, min(total_score) AS min_score,
                     quantile_cont(total_score, [0.25, 0.5, 0.75]) AS q, max(total_score) AS max_score,
                     round(avg(total_score), 2) AS mean_score,
                     count(*) FILTER (WHERE grade = '优') AS "优", count(*) FILTER (WHERE grade = '良') AS "良",
                     count(*) FILTER (WHERE grade = '中') AS "中", count(*) FILTER (WHERE grade = '差') AS "差"
              FROM fr GROUP BY department HAVING count(total_score) > 0)
        ORDER BY median ASC, department LIMIT $limit""")
    return run(con, sql, params_of(f, limit=limit))


def _scored(f: Filters) -> tuple[str, dict]:
    """Scored rows summed per year × department × grade × category, for the filter `f`: the
    pre-summed mart_cube, or (a unit or form kind chosen) the cube's SQL over the slice's
    mart_indicators rows (both count the 预算执行率 line as category 预算执行 / 预算执行率)."""
    cube, params = pre_counted(f, CUBE)
    return f"scored AS (SELECT * FROM {cube} c)", params


def lost_by_category_slice(f: Filters) -> Slice:
    """Weight, score and lost points per 一级/二级指标 (the 预算执行率 line counted as one)."""
    cte, params = _scored(f)
    return Slice(f"""WITH {cte}
        SELECT level1, level2, sum(indicators)::BIGINT AS indicators, sum(lost_indicators)::BIGINT AS lost_indicators,
               round(sum(weight), 2) AS weight, round(sum(score), 2) AS score, round(sum(lost), 2) AS lost,
               round(100 * sum(lost) / nullif(sum(scored_weight), 0), 2) AS lost_share
        FROM scored GROUP BY 1, 2""", make_params(**params), order="lost DESC, level1, level2")


def lost_by_department(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 30) -> pd.DataFrame:
    """Average points lost per project, by department × 一级指标, for the `limit` departments losing most."""
    cte, params = _scored(f)
    sql = with_base("""
        SELECT department, level1, round(lost / projects, 3) AS lost FROM dl JOIN dp USING (department)
        WHERE department IN (SELECT department FROM top) ORDER BY department, level1""", f"""{cte},
        dl AS (SELECT department, level1, sum(lost) AS lost FROM scored GROUP BY 1, 2),
        dp AS (SELECT department, count(*) AS projects FROM fr GROUP BY 1),
        top AS (SELECT department FROM dl JOIN dp USING (department) GROUP BY department, projects
                ORDER BY sum(lost) / projects DESC, department LIMIT $limit)""")
    return run(con, sql, filter_params(f) | params | {"limit": limit})
