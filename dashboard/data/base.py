"""The filter every page applies, as SQL over the marts (etl.marts).

`FILTER` is a predicate on the columns year, department, implementing_unit, grade and
form_kind, which mart_reports, mart_indicators, mart_problems and mart_findings all carry;
`fr` is the filtered mart_reports.
"""

from __future__ import annotations

from typing import Any

from dashboard.data.db import Slice, make_params
from dashboard.filters import Filters
from etl.marts import TEMPLATES

_CLAUSES = {
    "years": "(len(CAST($years AS INTEGER[])) = 0 OR list_contains(CAST($years AS INTEGER[]), year))",
    "depts": "(len(CAST($depts AS VARCHAR[])) = 0 OR list_contains(CAST($depts AS VARCHAR[]), department))",
    "units": "(len(CAST($units AS VARCHAR[])) = 0 OR list_contains(CAST($units AS VARCHAR[]), implementing_unit))",
    "grades": "(len(CAST($grades AS VARCHAR[])) = 0 OR list_contains(CAST($grades AS VARCHAR[]), grade))",
    "kinds": "(len(CAST($kinds AS VARCHAR[])) = 0 OR list_contains(CAST($kinds AS VARCHAR[]), form_kind))",
}
FILTER = " AND ".join(_CLAUSES.values())
# The slice-keyed marts (etl.marts.SLICED) have no implementing_unit nor report_id: used only
# when no unit or form kind is chosen.
CUBE_FILTER = " AND ".join(v for k, v in _CLAUSES.items() if k not in ("units", "kinds"))

# Aggregate 执行率 over a group: only projects with both figures count, so a form
# whose executed amount is missing does not drag the rate down.
RATE_AGG = ("round(100 * sum(executed) FILTER (WHERE budget IS NOT NULL AND executed IS NOT NULL)"
            " / nullif(sum(budget) FILTER (WHERE budget IS NOT NULL AND executed IS NOT NULL), 0), 2)")


def pre_counted(f: Filters, mart: str) -> tuple[str, dict[str, Any]]:
    """(relation, params): the rows of the slice-keyed `mart` (etl.marts.SLICED) for the filter
    `f` — read from the mart, or computed by the mart's own SQL from the slice's rows of its
    source when a 实施单位 or form kind is chosen (the mart does not count by those)."""
    if f.units or f.kinds:
        return f"({TEMPLATES[mart].format(slices=FILTER)})", filter_params(f)
    return f"(SELECT * FROM {mart} WHERE {CUBE_FILTER})", filter_params(f, units=False)


def filter_params(f: Filters, *, units: bool = True) -> dict[str, Any]:
    out = {"years": list(f.years), "depts": list(f.departments), "grades": list(f.grades)}
    return out | ({"units": list(f.units), "kinds": list(f.kinds)} if units else {})


def with_base(body: str, more_ctes: str = "") -> str:
    """`WITH fr AS (filtered mart_reports)[, more] <body>`; `more_ctes` starts with its own name.

    NOT MATERIALIZED: DuckDB would otherwise copy every column of the filtered mart_reports
    (1,000,000 rows at national scale) whenever `fr` is named twice, e.g. by a paged slice
    that picks a page of keys from `fr` and then reads those rows (1.1 s against 0.4 s)."""
    return (f"WITH fr AS NOT MATERIALIZED (SELECT * FROM mart_reports WHERE {FILTER})"
            f"{(', ' + more_ctes) if more_ctes else ''}\n{body}")


def slice_of(f: Filters, body: str, order: str = "", more_ctes: str = "", **extra: Any) -> Slice:
    return Slice(with_base(body, more_ctes), make_params(**filter_params(f), **extra), order)


def params_of(f: Filters, **extra: Any) -> dict[str, Any]:
    return filter_params(f) | extra
