"""Marts: tables derived from the stored ones, rebuilt at every load, for the dashboard.

At national scale (100,000 forms, 1,000,000 indicator rows) joining indicators to the
filtered reports on every query costs 100+ ms. These tables carry the filter columns
(year, department, implementing_unit, grade) on every row and pre-count what the pages
aggregate, so each dashboard query is one scan of a small table (every mart but the slice-keyed
ones carries form_kind too: a filter by it through a subquery cost 90 ms at 1,000,000 forms). They are derived state:
`build_marts` recreates them from scratch (a rebuild); `refresh_marts` replaces only the rows
of the reports in the temp table `_scope` (a load: etl/derived.py), the slices (year × 主管部门)
those reports fall in of the slice-keyed marts (SLICED), and the previous-year links of their
projects' other years (etl/years.py), so a load costs in proportion to its change and the
marts still never disagree with the tables they come from. Only primary copies are counted.

- mart_reports    : primary reports + 年度资金总额 line + per-report counts (1 row per form),
                    with what pairs the years of a project: the printed code (NULL when blank)
                    and a hash of the three names (`names_key`); and the project's previous
                    year (`prev_*`, etl/years.py)
- mart_indicators : scored rows, narrow: every indicator (row_no >= 1) and the 预算执行率 line
                    (row_no 0, category 预算执行/预算执行率)
- mart_cube       : mart_indicators summed per year × department × grade × 一级 × 二级指标
                    (problem_lost: the points the problem indicators lost, rounded as mart_problems does)
- mart_problems   : indicators that lost points or missed the target, with their texts and the
                    theme of their 偏差原因 (etl/themes.py)
- mart_themes     : mart_problems counted per year × department × grade × theme, with the
                    theme's most frequent reason in that cell (the dashboard's 偏差原因主题)
- mart_findings   : findings of primary forms with their project and, for row findings,
                    the indicator they are about
- mart_finding_counts : mart_findings counted per year × department × grade × code
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from etl import themes
from etl.years import UNLINKED, link_years, names_key, relatives

PROBLEM = "(i.met IS FALSE OR i.score < i.weight - 0.005)"


UNFILLED = "（未填）"
THEMED = "_reason_themes"  # temp table (reason, theme, basis) of the texts being derived: `theme_reasons`
RELINKED = "_relinked"  # temp table: the mart_reports rows `refresh_marts` re-linked to their previous year

# `{scope}` follows a report_id column: "IS NOT NULL" (every report) or "IN (SELECT ... _scope)".
TEMPLATES: dict[str, str] = {  # in build order: a mart may read the ones above it
    "mart_reports": f"""
        WITH ic AS (SELECT report_id, count(*) FILTER (WHERE {PROBLEM}) AS problem_indicators
                    FROM indicators i WHERE report_id {{scope}} GROUP BY report_id),
             fc AS (SELECT report_id, count(*) AS findings,
                           count(*) FILTER (WHERE code = 'missed_target_full_score') AS missed_full
                    FROM findings WHERE report_id {{scope}} GROUP BY report_id),
             tl AS (SELECT * FROM funding WHERE line = '年度资金总额' AND report_id {{scope}}
                    QUALIFY row_number() OVER (PARTITION BY report_id ORDER BY page NULLS LAST) = 1)
        SELECT r.report_id, r.file_id, r.form_index, r.page_start, r.page_end, r.year, r.project_name,
               r.department, r.implementing_unit, r.total_weight, r.total_score, r.grade, r.status, r.form_kind,
               tl.initial_budget, tl.full_year_budget AS budget, tl.executed, tl.execution_rate,
               tl.weight AS funding_weight, tl.score AS funding_score,
               round(100 * tl.executed / nullif(tl.full_year_budget, 0), 2) AS rate,
               coalesce(ic.problem_indicators, 0)::BIGINT AS problem_indicators,
               coalesce(fc.findings, 0)::BIGINT AS findings, coalesce(fc.missed_full, 0)::BIGINT AS missed_full,
               lower(concat_ws(' ', r.project_name, r.implementing_unit, r.department)) AS haystack,
               r.form_key, r.copies, r.copy_choice, f.path AS source_path, f.kind AS source_kind,
               nullif(r.project_code, '') AS project_code, {names_key("r.")} AS names_key, {UNLINKED},
               r.goal_expected, r.goal_actual
        FROM reports r JOIN files f USING (file_id) LEFT JOIN tl USING (report_id)
        LEFT JOIN ic USING (report_id) LEFT JOIN fc USING (report_id)
        WHERE r.duplicate_of IS NULL AND r.report_id {{scope}} ORDER BY r.report_id""",
    "mart_indicators": f"""
        SELECT i.report_id, i.row_no, coalesce(nullif(i.level1, ''), '{UNFILLED}') AS level1,
               coalesce(nullif(i.level2, ''), '{UNFILLED}') AS level2, i.weight, i.score, i.met,
               {PROBLEM} AS problem, greatest(i.weight - i.score, 0) AS lost,
               fa.year, fa.department, fa.implementing_unit, fa.grade, fa.form_kind
        FROM indicators i JOIN mart_reports fa USING (report_id) WHERE i.report_id {{scope}}
        UNION ALL
        SELECT report_id, 0, '预算执行', '预算执行率', funding_weight, funding_score, NULL,
               funding_score < funding_weight - 0.005, greatest(funding_weight - funding_score, 0),
               year, department, implementing_unit, grade, form_kind
        FROM mart_reports WHERE funding_weight IS NOT NULL AND report_id {{scope}}
        ORDER BY report_id, row_no""",
    "mart_cube": """
        SELECT year, department, grade, level1, level2, count(*) AS indicators,
               count(*) FILTER (WHERE score < weight - 0.005) AS lost_indicators,
               count(*) FILTER (WHERE problem AND row_no > 0) AS problem_indicators,
               count(*) FILTER (WHERE met IS FALSE) AS missed, sum(weight) AS weight, sum(score) AS score,
               sum(lost) AS lost, sum(weight) FILTER (WHERE score IS NOT NULL) AS scored_weight,
               sum(greatest(round(weight - score, 2), 0)) FILTER (WHERE problem AND row_no > 0) AS problem_lost
        FROM mart_indicators m WHERE {slices} GROUP BY ALL""",
    "mart_problems": f"""
        SELECT i.report_id, i.row_no, coalesce(nullif(i.level1, ''), '{UNFILLED}') AS level1,
               coalesce(nullif(i.level2, ''), '{UNFILLED}') AS level2, i.name, i.target, i.actual, i.weight,
               i.score, round(i.weight - i.score, 2) AS lost, i.met, i.deviation,
               fa.year, fa.department, fa.implementing_unit, fa.grade, fa.form_kind, fa.project_name,
               lower(concat_ws(' ', i.name, i.deviation, fa.project_name)) AS haystack,
               t.theme, t.basis AS theme_basis
        FROM indicators i JOIN mart_reports fa USING (report_id)
        JOIN {THEMED} t ON t.reason = coalesce(i.deviation, '')
        WHERE {PROBLEM} AND i.report_id {{scope}} ORDER BY fa.year, fa.department, i.report_id, i.row_no""",
    # A report lies in one cell, so projects add up over cells; example: the reason of the
    # theme written most often in one cell (ties: the first in text order).
    "mart_themes": """
        WITH p AS (SELECT year, department, grade, theme, theme_basis, report_id, coalesce(deviation, '') AS reason,
                          count(*) OVER (PARTITION BY year, department, grade, theme, reason) AS same
                   FROM mart_problems m WHERE {slices})
        SELECT year, department, grade, theme, count(*) AS n, count(DISTINCT report_id) AS projects,
               coalesce(string_agg(DISTINCT theme_basis, '；' ORDER BY theme_basis)
                        FILTER (WHERE theme_basis <> ''), '') AS basis,
               first(reason ORDER BY same DESC, reason) AS example, max(same) AS example_n
        FROM p GROUP BY year, department, grade, theme""",
    "mart_findings": """
        SELECT x.report_id, x.row_no, x.code, x.severity, x.message, fa.project_name, fa.year, fa.department,
               fa.implementing_unit, fa.grade, fa.form_kind, i.name, i.target, i.actual, i.weight, i.score
        FROM findings x JOIN mart_reports fa USING (report_id)
        LEFT JOIN indicators i ON i.report_id = x.report_id AND i.row_no = x.row_no
        WHERE x.report_id {scope}
        ORDER BY fa.year, fa.department, fa.project_name, x.row_no NULLS FIRST, x.code""",
    "mart_finding_counts": """
        SELECT year, department, grade, code, severity, count(*) AS n, count(DISTINCT report_id) AS projects
        FROM mart_findings m WHERE {slices} GROUP BY ALL""",
}


CUBE = "mart_cube"
# Marts keyed by cube slice (year × 主管部门), each recomputed whole from its source mart's rows
# of a slice: a delta pulls the source's rows of its slices (etl/deltas.py).
SLICED: dict[str, str] = {CUBE: "mart_indicators", "mart_themes": "mart_problems",
                          "mart_finding_counts": "mart_findings"}
_ALL = {"scope": "IS NOT NULL", "slices": "TRUE"}
_SCOPED = {"scope": "IN (SELECT report_id FROM _scope)",
           "slices": "EXISTS (SELECT 1 FROM _slices s WHERE s.year IS NOT DISTINCT FROM m.year "
                     "AND s.department IS NOT DISTINCT FROM m.department)"}
MARTS: dict[str, str] = {name: sql.format(**_ALL) for name, sql in TEMPLATES.items()}


def theme_reasons(con: duckdb.DuckDBPyConnection, scope: str) -> None:
    """Temp table THEMED: the theme of every reason of the problem indicators whose report_id
    satisfies `scope` (etl/themes.py; assigned in Python, each distinct text once)."""
    texts = [r[0] for r in con.execute(f"SELECT DISTINCT coalesce(deviation, '') FROM indicators i "
                                       f"WHERE {PROBLEM} AND report_id {scope}").fetchall()]
    assigned = [themes.assign(t) for t in texts]
    con.register("_themed", pa.table({"reason": pa.array(texts, pa.string()),
                                      "theme": pa.array([a.theme for a in assigned], pa.string()),
                                      "basis": pa.array([a.basis for a in assigned], pa.string())}))
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {THEMED} AS SELECT * FROM _themed")
    finally:
        con.unregister("_themed")


def build_marts(con: duckdb.DuckDBPyConnection) -> None:
    theme_reasons(con, _ALL["scope"])
    for name, sql in MARTS.items():
        con.execute(f"CREATE OR REPLACE TABLE {name} AS {sql}")
    con.execute(f"DROP TABLE {THEMED}")
    link_years(con)


def refresh_marts(con: duckdb.DuckDBPyConnection, *, sliced: bool = True) -> None:
    """Replace the mart rows of the reports in temp table `_scope`, re-link the other years of
    their projects (etl/years.py; the re-linked ids stay in temp table RELINKED) and, unless
    the caller recomputes its own set of slices, recompute their SLICED marts' slices."""
    slices = "SELECT DISTINCT year, department FROM mart_reports WHERE report_id IN (SELECT report_id FROM _scope)"
    con.execute(f"CREATE OR REPLACE TEMP TABLE _slices AS {slices}")  # where the reports were
    theme_reasons(con, _SCOPED["scope"])
    keys = "SELECT project_code, names_key FROM mart_reports WHERE report_id IN (SELECT report_id FROM _scope)"
    con.execute(f"CREATE OR REPLACE TEMP TABLE _keys AS {keys}")  # the projects before
    for name in TEMPLATES:
        if name not in SLICED:
            con.execute(f"DELETE FROM {name} WHERE report_id IN (SELECT report_id FROM _scope)")
            con.execute(f"INSERT INTO {name} {TEMPLATES[name].format(**_SCOPED)}")
    con.execute(f"DROP TABLE {THEMED}")
    con.execute(f"INSERT INTO _keys {keys}")  # and after
    # Left for the caller (etl/deltas.py): the rows whose link to the previous year was redone.
    con.execute(f"CREATE OR REPLACE TEMP TABLE {RELINKED} AS {relatives('_keys', 'mart_reports')} "
                "UNION SELECT report_id FROM _scope")
    link_years(con, f"SELECT report_id FROM {RELINKED}")
    con.execute("DROP TABLE _keys")
    con.execute(f"INSERT INTO _slices {slices}")  # and where they are now
    if sliced:
        refresh_slices(con)
    con.execute("DROP TABLE _slices")


def refresh_slices(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the SLICED marts' slices (year × 主管部门) listed in temp table `_slices`."""
    for name in SLICED:
        con.execute(f"DELETE FROM {name} AS m WHERE EXISTS (SELECT 1 FROM _slices s "
                    "WHERE s.year IS NOT DISTINCT FROM m.year AND s.department IS NOT DISTINCT FROM m.department)")
        con.execute(f"INSERT INTO {name} {TEMPLATES[name].format(**_SCOPED)}")
