"""Marts: tables derived from the stored ones, rebuilt at every load, for the dashboard.

At national scale (100,000 forms, 1,000,000 indicator rows) joining indicators to the
filtered reports on every query costs 100+ ms. These tables carry the filter columns
(year, department, implementing_unit, grade) on every row and pre-count what the pages
aggregate, so each dashboard query is one scan of a small table. They are derived state:
`build_marts` recreates them from scratch (a rebuild); `refresh_marts` replaces only the rows
of the reports in the temp table `_scope` (a load: etl/derived.py) and the cube slices
(year × 主管部门) those reports fall in, so a load costs in proportion to its change and the
marts still never disagree with the tables they come from. Only primary copies are counted.

- mart_reports    : primary reports + 年度资金总额 line + per-report counts (1 row per form),
                    with what pairs the years of a project: the printed code (NULL when blank)
                    and a hash of the three names (`names_key`)
- mart_indicators : scored rows, narrow: every indicator (row_no >= 1) and the 预算执行率 line
                    (row_no 0, category 预算执行/预算执行率)
- mart_cube       : mart_indicators summed per year × department × grade × 一级 × 二级指标
- mart_problems   : indicators that lost points or missed the target, with their texts
- mart_findings   : findings of primary forms with their project and, for row findings,
                    the indicator they are about
"""

from __future__ import annotations

import duckdb

PROBLEM = "(i.met IS FALSE OR i.score < i.weight - 0.005)"


def names_key(alias: str = "") -> str:
    """SQL: a 64-bit hash of 主管部门 + 实施单位 + 项目名称 (NULL when one is NULL), so that the
    years of a project (dashboard.data.leads) pair by an integer join, not by three strings."""
    cols = [f"{alias}{c}" for c in ("department", "implementing_unit", "project_name")]
    return f"CASE WHEN {' IS NOT NULL AND '.join(cols)} IS NOT NULL THEN hash({', '.join(cols)}) END"

UNFILLED = "（未填）"

# `{scope}` follows a report_id column: "IS NOT NULL" (every report) or "IN (SELECT ... _scope)".
TEMPLATES: dict[str, str] = {  # in build order: a mart may read the ones above it
    "mart_reports": f"""
        WITH ic AS (SELECT report_id, count(*) FILTER (WHERE {PROBLEM}) AS problem_indicators
                    FROM indicators i WHERE report_id {{scope}} GROUP BY report_id),
             fc AS (SELECT report_id, count(*) AS findings FROM findings WHERE report_id {{scope}} GROUP BY report_id),
             tl AS (SELECT * FROM funding WHERE line = '年度资金总额' AND report_id {{scope}}
                    QUALIFY row_number() OVER (PARTITION BY report_id ORDER BY page NULLS LAST) = 1)
        SELECT r.report_id, r.file_id, r.form_index, r.page_start, r.page_end, r.year, r.project_name,
               r.department, r.implementing_unit, r.total_weight, r.total_score, r.grade, r.status, r.form_kind,
               tl.initial_budget, tl.full_year_budget AS budget, tl.executed, tl.execution_rate,
               tl.weight AS funding_weight, tl.score AS funding_score,
               round(100 * tl.executed / nullif(tl.full_year_budget, 0), 2) AS rate,
               coalesce(ic.problem_indicators, 0)::BIGINT AS problem_indicators,
               coalesce(fc.findings, 0)::BIGINT AS findings,
               lower(concat_ws(' ', r.project_name, r.implementing_unit, r.department)) AS haystack,
               r.form_key, r.copies, r.copy_choice, f.path AS source_path, f.kind AS source_kind,
               nullif(r.project_code, '') AS project_code, {names_key("r.")} AS names_key,
               r.goal_expected, r.goal_actual
        FROM reports r JOIN files f USING (file_id) LEFT JOIN tl USING (report_id)
        LEFT JOIN ic USING (report_id) LEFT JOIN fc USING (report_id)
        WHERE r.duplicate_of IS NULL AND r.report_id {{scope}} ORDER BY r.report_id""",
    "mart_indicators": f"""
        SELECT i.report_id, i.row_no, coalesce(nullif(i.level1, ''), '{UNFILLED}') AS level1,
               coalesce(nullif(i.level2, ''), '{UNFILLED}') AS level2, i.weight, i.score, i.met,
               {PROBLEM} AS problem, greatest(i.weight - i.score, 0) AS lost,
               fa.year, fa.department, fa.implementing_unit, fa.grade
        FROM indicators i JOIN mart_reports fa USING (report_id) WHERE i.report_id {{scope}}
        UNION ALL
        SELECT report_id, 0, '预算执行', '预算执行率', funding_weight, funding_score, NULL,
               funding_score < funding_weight - 0.005, greatest(funding_weight - funding_score, 0),
               year, department, implementing_unit, grade
        FROM mart_reports WHERE funding_weight IS NOT NULL AND report_id {{scope}}
        ORDER BY report_id, row_no""",
    "mart_cube": """
        SELECT year, department, grade, level1, level2, count(*) AS indicators,
               count(*) FILTER (WHERE score < weight - 0.005) AS lost_indicators,
               count(*) FILTER (WHERE problem AND row_no > 0) AS problem_indicators,
               count(*) FILTER (WHERE met IS FALSE) AS missed, sum(weight) AS weight, sum(score) AS score,
               sum(lost) AS lost, sum(weight) FILTER (WHERE score IS NOT NULL) AS scored_weight
        FROM mart_indicators WHERE {slices} GROUP BY ALL""",
    "mart_problems": f"""
        SELECT i.report_id, i.row_no, coalesce(nullif(i.level1, ''), '{UNFILLED}') AS level1,
               coalesce(nullif(i.level2, ''), '{UNFILLED}') AS level2, i.name, i.target, i.actual, i.weight,
               i.score, round(i.weight - i.score, 2) AS lost, i.met, i.deviation,
               fa.year, fa.department, fa.implementing_unit, fa.grade, fa.project_name,
               lower(concat_ws(' ', i.name, i.deviation, fa.project_name)) AS haystack
        FROM indicators i JOIN mart_reports fa USING (report_id)
        WHERE {PROBLEM} AND i.report_id {{scope}} ORDER BY i.report_id, i.row_no""",
    "mart_findings": """
        SELECT x.report_id, x.row_no, x.code, x.severity, x.message, fa.project_name, fa.year, fa.department,
               fa.implementing_unit, fa.grade, i.name, i.target, i.actual, i.weight, i.score
        FROM findings x JOIN mart_reports fa USING (report_id)
        LEFT JOIN indicators i ON i.report_id = x.report_id AND i.row_no = x.row_no
        WHERE x.report_id {scope}
        ORDER BY fa.year, fa.department, fa.project_name, x.row_no NULLS FIRST, x.code""",
}


CUBE = "mart_cube"
_ALL = {"scope": "IS NOT NULL", "slices": "TRUE"}
_SCOPED = {"scope": "IN (SELECT report_id FROM _scope)",
           "slices": "EXISTS (SELECT 1 FROM _slices s WHERE s.year IS NOT DISTINCT FROM mart_indicators.year "
                     "AND s.department IS NOT DISTINCT FROM mart_indicators.department)"}
MARTS: dict[str, str] = {name: sql.format(**_ALL) for name, sql in TEMPLATES.items()}


def build_marts(con: duckdb.DuckDBPyConnection) -> None:
    for name, sql in MARTS.items():
        con.execute(f"CREATE OR REPLACE TABLE {name} AS {sql}")


def refresh_marts(con: duckdb.DuckDBPyConnection, *, cube: bool = True) -> None:
    """Replace the mart rows of the reports in temp table `_scope` and (unless the caller
    recomputes its own set of slices) their cube slices."""
    slices = "SELECT DISTINCT year, department FROM mart_reports WHERE report_id IN (SELECT report_id FROM _scope)"
    con.execute(f"CREATE OR REPLACE TEMP TABLE _slices AS {slices}")  # where the reports were
    for name in TEMPLATES:
        if name != CUBE:
            con.execute(f"DELETE FROM {name} WHERE report_id IN (SELECT report_id FROM _scope)")
            con.execute(f"INSERT INTO {name} {TEMPLATES[name].format(**_SCOPED)}")
    con.execute(f"INSERT INTO _slices {slices}")  # and where they are now
    if cube:
        refresh_cube(con)
    con.execute("DROP TABLE _slices")


def refresh_cube(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the cube slices (year × 主管部门) listed in temp table `_slices`."""
    con.execute(f"DELETE FROM {CUBE} AS c WHERE EXISTS (SELECT 1 FROM _slices s WHERE s.year IS NOT DISTINCT FROM c.year "
                "AND s.department IS NOT DISTINCT FROM c.department)")
    con.execute(f"INSERT INTO {CUBE} {TEMPLATES[CUBE].format(**_SCOPED)}")
