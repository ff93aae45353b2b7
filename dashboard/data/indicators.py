"""Indicators that lost points or missed their target, and the findings (问题) about them."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from dashboard.data.base import FILTER, filter_params, pre_counted
from dashboard.data.db import Slice, make_params, run
from dashboard.filters import Filters
from dashboard.labels import FINDING_CODES, INDICATOR_FINDING_CODES, SEVERITY
from etl.marts import CUBE

MET_LABEL = "CASE WHEN i.met THEN '达标' WHEN NOT i.met THEN '未达标' ELSE '无法判断' END"
# Chinese labels looked up inside SQL, so the slice's rows are what the CSV holds.
CODE_LABEL = ("coalesce(list_extract(CAST($code_vals AS VARCHAR[]), "
              "list_position(CAST($code_keys AS VARCHAR[]), x.code)), x.code)")
SEVERITY_LABEL = ("coalesce(list_extract(CAST($sev_vals AS VARCHAR[]), "
                  "list_position(CAST($sev_keys AS VARCHAR[]), x.severity)), x.severity)")


def label_params() -> dict[str, Any]:
    return {"code_keys": list(FINDING_CODES), "code_vals": list(FINDING_CODES.values()),
            "sev_keys": list(SEVERITY), "sev_vals": list(SEVERITY.values())}


_LEVELS = """(len(CAST($l1 AS VARCHAR[])) = 0 OR list_contains(CAST($l1 AS VARCHAR[]), level1))
    AND (len(CAST($l2 AS VARCHAR[])) = 0 OR list_contains(CAST($l2 AS VARCHAR[]), level2))"""
_WHERE = f"""{FILTER} AND {_LEVELS} AND ($q = '' OR contains(haystack, lower($q)))"""


def _cats(f: Filters, level1: tuple[str, ...], level2: tuple[str, ...], q: str) -> dict[str, Any]:
    return filter_params(f) | {"l1": list(level1), "l2": list(level2), "q": q.strip()}


def problem_slice(f: Filters, level1: tuple[str, ...] = (), level2: tuple[str, ...] = (), q: str = "", *,
                  theme: str = "") -> Slice:
    """Every indicator that lost points or missed its target, most points lost first, with the
    theme of its 偏差原因 (etl/themes.py); `theme` keeps only that theme's rows.

    A page is a plain top-N (80 ms over 1.8 M rows at 1,000,000 forms): picking the page's keys
    first and then reading their rows by a semi join cost three times that."""
    params = _cats(f, level1, level2, q) | {"theme": theme}
    return Slice(f"""
        SELECT report_id, department, project_name, year, name, target, actual, weight, score, lost,
               {MET_LABEL} AS met, deviation, theme, level1, level2, row_no
        FROM mart_problems i WHERE {_WHERE} AND ($theme = '' OR theme = $theme)""", make_params(**params),
                 order="lost DESC NULLS LAST, year, department, project_name, report_id, row_no")


def problem_counts(con: duckdb.DuckDBPyConnection, f: Filters, level1: tuple[str, ...] = (),
                   level2: tuple[str, ...] = (), q: str = "") -> pd.DataFrame:
    """Problem indicators per 一级/二级指标: how many, how many missed the target, points lost.
    Summed from the cube unless a text is searched (the cube does not count by text)."""
    out = "SELECT level1, level2, {} ORDER BY n DESC, level1, level2"
    if q.strip():
        sql = out.format(f"""count(*) AS n, count(*) FILTER (WHERE met IS FALSE) AS missed,
            round(sum(greatest(lost, 0)), 2) AS lost FROM mart_problems WHERE {_WHERE} GROUP BY 1, 2""")
        return run(con, sql, _cats(f, level1, level2, q))
    cube, params = pre_counted(f, CUBE)
    sql = out.format(f"""sum(problem_indicators)::BIGINT AS n, sum(missed)::BIGINT AS missed,
        round(sum(problem_lost), 2) AS lost FROM {cube} c WHERE {_LEVELS} GROUP BY 1, 2 HAVING n > 0""")
    return run(con, sql, params | {"l1": list(level1), "l2": list(level2)})


def category_options(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """The (level1, level2) pairs that occur among the problem indicators of the slice."""
    cube, params = pre_counted(f, CUBE)
    return run(con, f"SELECT DISTINCT level1, level2 FROM {cube} c WHERE problem_indicators > 0 ORDER BY 1, 2",
               params)


def findings_slice(f: Filters, codes: tuple[str, ...] = (), q: str = "") -> Slice:
    """Findings (all codes, or `codes`) with their project and, for row findings about an
    indicator that lost points or missed its target, that indicator (the message names it)."""
    return Slice(f"""
        SELECT x.report_id, x.department, x.project_name, x.year, {CODE_LABEL} AS code_label, x.message,
               {SEVERITY_LABEL} AS severity, x.row_no, x.name, x.target, x.actual, x.weight, x.score, x.code
        FROM mart_findings x
        WHERE {FILTER}
          AND (len(CAST($codes AS VARCHAR[])) = 0 OR list_contains(CAST($codes AS VARCHAR[]), x.code))
          AND ($q = '' OR contains(lower(x.message), lower($q)) OR contains(lower(x.project_name), lower($q)))""",
                 make_params(**filter_params(f), codes=list(codes), q=q.strip(), **label_params()),
                 order="year, department, project_name, report_id, row_no NULLS FIRST, code, message")


def indicator_findings_slice(f: Filters, q: str = "") -> Slice:
    """Findings about single indicator rows, e.g. full marks despite a missed target."""
    return findings_slice(f, INDICATOR_FINDING_CODES, q)


def finding_counts(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Findings per code: count and number of projects concerned, most frequent first
    (pre-counted per slice: mart_finding_counts)."""
    counts, params = pre_counted(f, "mart_finding_counts")
    sql = f"""
        SELECT x.code, {CODE_LABEL} AS code_label, {SEVERITY_LABEL} AS severity, n, projects
        FROM (SELECT code, severity, sum(n)::BIGINT AS n, sum(projects)::BIGINT AS projects
              FROM {counts} c GROUP BY ALL) x ORDER BY n DESC, x.code"""
    return run(con, sql, params | label_params())
