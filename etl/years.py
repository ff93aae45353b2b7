"""The years of a project: which forms are the same project, and each form's previous year.

Two forms are the same project when both print the same project code, else (one has none) when
主管部门, 实施单位 and 项目名称 are equal (`SAME_PROJECT`). mart_reports stores, on every primary
form, its project's latest earlier year (`prev_*`, `link_years`), so "compared with the year
before" is a scan of mart_reports, not a join of a million forms with a million forms.
A change to one form changes the link of its project's other years only: `relatives` finds
them, and a load re-links exactly those (etl/marts.py, etl/deltas.py).
"""

from __future__ import annotations

import duckdb

# The rule as one predicate on a pair (a, b): by code when both have one, else by the three
# names. Kept as the reference that `same_project_pairs` computes with two hash joins.
SAME_PROJECT = """((coalesce(a.project_code, '') <> '' AND coalesce(b.project_code, '') <> ''
                    AND a.project_code = b.project_code)
                   OR ((coalesce(a.project_code, '') = '' OR coalesce(b.project_code, '') = '')
                       AND a.department = b.department AND a.implementing_unit = b.implementing_unit
                       AND a.project_name = b.project_name))"""
# mart_reports' columns of the link, NULL until `link_years` fills them.
UNLINKED = "NULL::BIGINT AS prev_id, NULL::INTEGER AS prev_year, NULL::DOUBLE AS prev_rate, NULL::DOUBLE AS prev_score"


def names_key(alias: str = "") -> str:
    """SQL: a 64-bit hash of 主管部门 + 实施单位 + 项目名称 (NULL when one is NULL), so that the
    years of a project pair by an integer join, not by three strings."""
    cols = [f"{alias}{c}" for c in ("department", "implementing_unit", "project_name")]
    return f"CASE WHEN {' IS NOT NULL AND '.join(cols)} IS NOT NULL THEN hash({', '.join(cols)}) END"


def same_project_pairs(a: str, b: str, where: str = "TRUE") -> str:
    """SQL selecting (a_id, b_id, b_year) for every pair of rows of relations `a` and `b` (each
    with report_id, year, project_code — NULL when blank — and names_key) that are the same
    project (SAME_PROJECT) and satisfy `where`.

    SAME_PROJECT's two branches exclude each other, so it is written as two equality joins
    (hash joins) whose union is the same pairs: an OR in a join condition would make DuckDB
    compare every row with every row (at 1,000,000 forms, 10^12 comparisons). The names are
    compared by their 64-bit hash (a false match needs a hash collision, ~10^-7 over all pairs)."""
    return f"""
        SELECT a.report_id AS a_id, b.report_id AS b_id, b.year AS b_year
        FROM {a} a JOIN {b} b ON a.project_code = b.project_code WHERE {where}
        UNION ALL
        SELECT a.report_id, b.report_id, b.year FROM {a} a JOIN {b} b ON a.names_key = b.names_key
        WHERE (a.project_code IS NULL OR b.project_code IS NULL) AND {where}"""


def relatives(keys: str, source: str) -> str:
    """SQL: report_id of the rows of `source` (mart_reports or a view of it) that share a project
    code or a names_key with the rows of `keys` (project_code, names_key): a superset of their
    other years (it ignores whether the codes are blank), which is what a re-link may read."""
    return f"""SELECT report_id FROM {source} WHERE project_code IN (SELECT project_code FROM {keys})
               UNION SELECT report_id FROM {source} WHERE names_key IN (SELECT names_key FROM {keys})"""


def link_years(con: duckdb.DuckDBPyConnection, ids: str = "") -> None:
    """Set prev_* on the mart_reports rows whose report_id is in `ids` (a SELECT; every row when
    empty): the latest earlier year of the same project (ties: the smallest report_id), NULL
    when there is none. One statement: a load runs it on every change."""
    where = f"report_id IN ({ids})" if ids else "TRUE"
    con.execute(f"""
        WITH a AS (SELECT report_id, year, project_code, names_key FROM mart_reports WHERE {where}),
             pairs AS ({same_project_pairs("a", "mart_reports", "b.year < a.year")}),
             prev AS (SELECT a_id, arg_max(b_id, b_year::HUGEINT * {2**63} - b_id) AS b_id FROM pairs GROUP BY a_id),
             linked AS (SELECT a.report_id AS a_id, b.report_id, b.year, b.rate, b.total_score
                        FROM a LEFT JOIN prev ON prev.a_id = a.report_id LEFT JOIN mart_reports b ON b.report_id = prev.b_id)
        UPDATE mart_reports m SET prev_id = p.report_id, prev_year = p.year, prev_rate = p.rate,
                                  prev_score = p.total_score
        FROM linked p WHERE m.report_id = p.a_id""")
