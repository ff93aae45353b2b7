"""Project-level queries: headline figures, per-department/per-year summaries, budget execution,
score distribution and where points are lost. Aggregates return small DataFrames; lists
return a `Slice` so the page can show the first rows and download the rest on demand.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from dashboard.data.base import PROBLEM, RATE_AGG, params_of, slice_of, with_base
from dashboard.data.db import Slice, run
from dashboard.filters import Filters

PROJECT_COLUMNS = ("report_id, year, department, implementing_unit, project_name, round(budget, 2) AS budget, "
                   "round(executed, 2) AS executed, rate, total_score, grade")

# Per-report counts of problem indicators and findings, joined onto fp.
_COUNTS = f"""
ind AS (SELECT i.report_id, count(*) FILTER (WHERE {PROBLEM}) AS bad
        FROM indicators i JOIN fr USING (report_id) GROUP BY i.report_id),
fnd AS (SELECT x.report_id, count(*) AS n FROM findings x JOIN fr USING (report_id) GROUP BY x.report_id)"""

GROUPS = {"department": "department", "year": "year", "year_department": "year, department"}


def kpis(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row: projects, budget, executed, rate, mean_score, problem_indicators, findings."""
    sql = with_base(f"""
        SELECT count(*) AS projects, round(sum(budget), 2) AS budget, round(sum(executed), 2) AS executed,
               {RATE_AGG} AS rate, round(avg(total_score), 2) AS mean_score,
               (SELECT count(*) FROM indicators i JOIN fr USING (report_id) WHERE {PROBLEM}) AS problem_indicators,
               (SELECT count(*) FROM findings x JOIN fr USING (report_id)) AS findings
        FROM fp""")
    return run(con, sql, params_of(f))


def grade_counts(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    return run(con, with_base("SELECT coalesce(nullif(grade, ''), '未填') AS grade, count(*) AS n FROM fr "
                              "GROUP BY 1 ORDER BY 1"), params_of(f))


def years_present(con: duckdb.DuckDBPyConnection, f: Filters) -> list[int]:
    df = run(con, with_base("SELECT DISTINCT year FROM fr WHERE year IS NOT NULL ORDER BY year"), params_of(f))
    return [int(y) for y in df["year"]]


def summary_slice(f: Filters, by: str = "department") -> Slice:
    """Per department (or year, or year×department): projects, money, 执行率, scores, problems."""
    cols = GROUPS[by]
    return slice_of(f, f"""
        SELECT {cols}, count(*) AS projects, round(sum(budget), 2) AS budget, round(sum(executed), 2) AS executed,
               {RATE_AGG} AS rate, round(avg(total_score), 2) AS mean_score, min(total_score) AS min_score,
               coalesce(sum(ind.bad), 0)::BIGINT AS problem_indicators, coalesce(sum(fnd.n), 0)::BIGINT AS findings
        FROM fp LEFT JOIN ind USING (report_id) LEFT JOIN fnd USING (report_id)
        GROUP BY {cols}""", order=f"rate ASC NULLS LAST, {cols}", more_ctes=_COUNTS)


def projects_slice(f: Filters, *, below_rate: float | None = None, order: str = "rate") -> Slice:
    """Projects with their 年度资金总额 line; optionally only those with 执行率 < below_rate (%)."""
    orders = {"rate": "rate ASC NULLS LAST, budget DESC, report_id",
              "score": "total_score ASC NULLS LAST, report_id"}
    return slice_of(f, f"SELECT {PROJECT_COLUMNS} FROM fp "
                       "WHERE $below IS NULL OR rate < $below", order=orders[order], below=below_rate)


def rate_bins(con: duckdb.DuckDBPyConnection, f: Filters, width: float = 5.0) -> pd.DataFrame:
    """Histogram of project 执行率 in `width`-point bins; 100% and above share the last bin."""
    sql = with_base("""
        SELECT least(floor(rate / $w) * $w, 100) AS bin, count(*) AS n
        FROM fp WHERE rate IS NOT NULL GROUP BY 1 ORDER BY 1""")
    return run(con, sql, params_of(f, w=width))


def adjusted_slice(f: Filters) -> Slice:
    """Projects whose 全年预算数 differs from the 年初预算数 (budget adjusted during the year)."""
    return slice_of(f, """
        SELECT report_id, year, department, project_name, round(initial_budget, 2) AS initial_budget,
               round(budget, 2) AS budget, round(budget - initial_budget, 2) AS adjustment,
               round(100 * (budget - initial_budget) / nullif(initial_budget, 0), 2) AS adjustment_pct,
               round(executed, 2) AS executed, rate
        FROM fp WHERE abs(budget - initial_budget) > 0.005""",
                    order="abs(adjustment) DESC, report_id")


def score_bins(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Histogram of total scores in 1-point bins (100 has its own bin)."""
    sql = with_base("""
        SELECT least(greatest(floor(total_score), 0), 100) AS bin, count(*) AS n
        FROM fr WHERE total_score IS NOT NULL GROUP BY 1 ORDER BY 1""")
    return run(con, sql, params_of(f))


def department_scores(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 30) -> pd.DataFrame:
    """Score quartiles and grade counts per department, the `limit` lowest medians first."""
    sql = with_base("""
        SELECT department, count(total_score) AS n, min(total_score) AS min_score,
               quantile_cont(total_score, 0.25) AS q1, median(total_score) AS median,
               quantile_cont(total_score, 0.75) AS q3, max(total_score) AS max_score,
               round(avg(total_score), 2) AS mean_score,
               count(*) FILTER (WHERE grade = '优') AS "优", count(*) FILTER (WHERE grade = '良') AS "良",
               count(*) FILTER (WHERE grade = '中') AS "中", count(*) FILTER (WHERE grade = '差') AS "差"
        FROM fr GROUP BY department HAVING count(total_score) > 0
        ORDER BY median ASC, department LIMIT $limit""")
    return run(con, sql, params_of(f, limit=limit))


# Indicator rows plus the 预算执行率 line, as (report_id, level1, level2, weight, score).
_SCORED = """
scored AS (
    SELECT i.report_id, i.level1, i.level2, i.weight, i.score FROM indicators i JOIN fr USING (report_id)
    UNION ALL
    SELECT f.report_id, '预算执行', '预算执行率', f.weight, f.score FROM funding f JOIN fr USING (report_id)
    WHERE f.line = '年度资金总额' AND f.weight IS NOT NULL
)"""
_LOST = "greatest(weight - score, 0)"


def lost_by_category_slice(f: Filters) -> Slice:
    """Weight, score and lost points per 一级/二级指标 (the 预算执行率 line counted as one)."""
    return slice_of(f, f"""
        SELECT coalesce(nullif(level1, ''), '（未填）') AS level1, coalesce(nullif(level2, ''), '（未填）') AS level2,
               count(*) AS indicators, count(*) FILTER (WHERE score < weight - 0.005) AS lost_indicators,
               round(sum(weight), 2) AS weight, round(sum(score), 2) AS score, round(sum({_LOST}), 2) AS lost,
               round(100 * sum({_LOST}) / nullif(sum(weight) FILTER (WHERE score IS NOT NULL), 0), 2) AS lost_share
        FROM scored GROUP BY 1, 2""", order="lost DESC, level1, level2", more_ctes=_SCORED)


def lost_by_department(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 30) -> pd.DataFrame:
    """Average points lost per project, by department × 一级指标, for the `limit` departments losing most."""
    ctes = _SCORED + f""",
        dl AS (SELECT fr.department, coalesce(nullif(level1, ''), '（未填）') AS level1, sum({_LOST}) AS lost
               FROM scored JOIN fr USING (report_id) GROUP BY 1, 2),
        dp AS (SELECT department, count(*) AS projects FROM fr GROUP BY 1),
        top AS (SELECT department FROM dl JOIN dp USING (department) GROUP BY department, projects
                ORDER BY sum(lost) / projects DESC, department LIMIT $limit)"""
    sql = with_base("""
        SELECT department, level1, round(lost / projects, 3) AS lost FROM dl JOIN dp USING (department)
        WHERE department IN (SELECT department FROM top) ORDER BY department, level1""", ctes)
    return run(con, sql, params_of(f, limit=limit))


def count_departments(con: duckdb.DuckDBPyConnection, f: Filters) -> int:
    return int(run(con, with_base("SELECT count(DISTINCT department) AS n FROM fr"), params_of(f))["n"].iloc[0])
