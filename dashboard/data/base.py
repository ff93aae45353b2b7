"""The filtered project set every page starts from, as SQL common table expressions.

`fr`  : primary copies of the reports (duplicate_of IS NULL) that pass the filters;
`fp`  : fr plus its 年度资金总额 funding line (budget, executed, computed 执行率 in %).
`pi`  : a predicate on indicators `i` — lost points or missed target (未达标/扣分).
"""

from __future__ import annotations

from typing import Any

from dashboard.data.db import Slice, make_params
from dashboard.filters import Filters

TOTAL_LINE = "年度资金总额"
# Two printed decimals: half a cent of rounding is not a lost point (as in etl.checks).
PROBLEM = "(i.met IS FALSE OR i.score < i.weight - 0.005)"

_FILTERED = """
fr AS (
    SELECT r.report_id, r.file_id, r.form_index, r.page_start, r.page_end, r.year, r.project_name,
           r.department, r.implementing_unit, r.total_weight, r.total_score, r.grade, r.status
    FROM reports r
    WHERE r.duplicate_of IS NULL
      AND (len(CAST($years AS INTEGER[])) = 0 OR list_contains(CAST($years AS INTEGER[]), r.year))
      AND (len(CAST($depts AS VARCHAR[])) = 0 OR list_contains(CAST($depts AS VARCHAR[]), r.department))
      AND (len(CAST($units AS VARCHAR[])) = 0 OR list_contains(CAST($units AS VARCHAR[]), r.implementing_unit))
      AND (len(CAST($grades AS VARCHAR[])) = 0 OR list_contains(CAST($grades AS VARCHAR[]), r.grade))
),
fp AS (
    SELECT fr.*, f.initial_budget, f.full_year_budget AS budget, f.executed, f.execution_rate,
           round(100 * f.executed / nullif(f.full_year_budget, 0), 2) AS rate
    FROM fr LEFT JOIN funding f ON f.report_id = fr.report_id AND f.line = '年度资金总额'
)"""

# Aggregate 执行率 over a group: only projects with both figures count, so a form
# whose executed amount is missing does not drag the rate down.
RATE_AGG = ("round(100 * sum(executed) FILTER (WHERE budget IS NOT NULL AND executed IS NOT NULL)"
            " / nullif(sum(budget) FILTER (WHERE budget IS NOT NULL AND executed IS NOT NULL), 0), 2)")


def filter_params(f: Filters) -> dict[str, Any]:
    return {"years": list(f.years), "depts": list(f.departments), "units": list(f.units), "grades": list(f.grades)}


def with_base(body: str, more_ctes: str = "") -> str:
    """`WITH fr, fp[, more] <body>`; `more_ctes` starts with its own name (no comma)."""
    return f"WITH {_FILTERED}{(', ' + more_ctes) if more_ctes else ''}\n{body}"


def slice_of(f: Filters, body: str, order: str = "", more_ctes: str = "", **extra: Any) -> Slice:
    return Slice(with_base(body, more_ctes), make_params(**filter_params(f), **extra), order)


def params_of(f: Filters, **extra: Any) -> dict[str, Any]:
    return filter_params(f) | extra
