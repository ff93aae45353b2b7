"""Query-time tables derived from the stored ones, built once per opened database.

At national scale (100,000 forms, 1,000,000 indicator rows) joining indicators to the
filtered reports on every query costs 100+ ms. These tables carry the filter columns
(year, department, implementing_unit, grade) on every row and pre-count what the pages
aggregate, so each page query is one scan of a small table. They live in the in-memory
catalog next to the read-only database (see db.connect) and are rebuilt when the file
changes; a table is only built when a query first names it.

- jx_facts    : primary reports + 年度资金总额 line + per-report counts (~1 row per form)
(jx_facts and jx_ind keep the source row's rowid, `rid`: a page of a download preview
fetches its wide text columns by rowid instead of joining the whole table.)
- jx_ind      : scored rows, narrow: every indicator (row_no >= 1) and the 预算执行率 line
                (row_no 0, category 预算执行/预算执行率)
- jx_cube     : jx_ind summed per year × department × grade × 一级 × 二级指标
- jx_problems : indicators that lost points or missed the target, with their texts
"""

from __future__ import annotations

PROBLEM = "(i.met IS FALSE OR i.score < i.weight - 0.005)"
UNFILLED = "（未填）"

DERIVED: dict[str, str] = {
    "jx_facts": f"""
        WITH ic AS (SELECT report_id, count(*) FILTER (WHERE {PROBLEM}) AS problem_indicators
                    FROM indicators i GROUP BY report_id),
             fc AS (SELECT report_id, count(*) AS findings FROM findings GROUP BY report_id),
             tl AS (SELECT * FROM funding WHERE line = '年度资金总额'
                    QUALIFY row_number() OVER (PARTITION BY report_id ORDER BY page NULLS LAST) = 1)
        SELECT r.report_id, r.rowid AS rid, r.file_id, r.form_index, r.page_start, r.page_end, r.year, r.project_name,
               r.department, r.implementing_unit, r.total_weight, r.total_score, r.grade, r.status,
               tl.initial_budget, tl.full_year_budget AS budget, tl.executed, tl.execution_rate,
               tl.weight AS funding_weight, tl.score AS funding_score,
               round(100 * tl.executed / nullif(tl.full_year_budget, 0), 2) AS rate,
               coalesce(ic.problem_indicators, 0)::BIGINT AS problem_indicators,
               coalesce(fc.findings, 0)::BIGINT AS findings,
               lower(concat_ws(' ', r.project_name, r.implementing_unit, r.department)) AS haystack
        FROM src.reports r LEFT JOIN tl USING (report_id) LEFT JOIN ic USING (report_id)
        LEFT JOIN fc USING (report_id)
        WHERE r.duplicate_of IS NULL ORDER BY r.report_id""",
    "jx_ind": f"""
        SELECT i.report_id, i.row_no, coalesce(nullif(i.level1, ''), '{UNFILLED}') AS level1,
               coalesce(nullif(i.level2, ''), '{UNFILLED}') AS level2, i.weight, i.score, i.met,
               {PROBLEM} AS problem, greatest(i.weight - i.score, 0) AS lost,
               fa.year, fa.department, fa.implementing_unit, fa.grade, i.rowid AS rid
        FROM src.indicators i JOIN jx_facts fa USING (report_id)
        UNION ALL
        SELECT report_id, 0, '预算执行', '预算执行率', funding_weight, funding_score, NULL,
               funding_score < funding_weight - 0.005, greatest(funding_weight - funding_score, 0),
               year, department, implementing_unit, grade, NULL
        FROM jx_facts WHERE funding_weight IS NOT NULL
        ORDER BY report_id, row_no""",
    "jx_cube": """
        SELECT year, department, grade, level1, level2, count(*) AS indicators,
               count(*) FILTER (WHERE score < weight - 0.005) AS lost_indicators,
               count(*) FILTER (WHERE problem AND row_no > 0) AS problem_indicators,
               count(*) FILTER (WHERE met IS FALSE) AS missed, sum(weight) AS weight, sum(score) AS score,
               sum(lost) AS lost, sum(weight) FILTER (WHERE score IS NOT NULL) AS scored_weight
        FROM jx_ind GROUP BY ALL""",
    "jx_problems": f"""
        SELECT i.report_id, i.row_no, coalesce(nullif(i.level1, ''), '{UNFILLED}') AS level1,
               coalesce(nullif(i.level2, ''), '{UNFILLED}') AS level2, i.name, i.target, i.actual, i.weight,
               i.score, round(i.weight - i.score, 2) AS lost, i.met, i.deviation,
               fa.year, fa.department, fa.implementing_unit, fa.grade, fa.project_name,
               lower(concat_ws(' ', i.name, i.deviation, fa.project_name)) AS haystack
        FROM indicators i JOIN jx_facts fa USING (report_id)
        WHERE {PROBLEM} ORDER BY i.report_id, i.row_no""",
}

# Build order: a table's inputs come before it.
DEPENDS: dict[str, tuple[str, ...]] = {
    "jx_facts": (), "jx_ind": ("jx_facts",), "jx_cube": ("jx_ind",), "jx_problems": ("jx_facts",),
}
