"""偏差原因 themes per slice, read from the marts.

Each reason's theme is assigned from its text at ingest (etl/themes.py) and stored on its
mart_problems row; mart_themes pre-counts them per year × 主管部门 × grade × theme. A slice
without a 实施单位 or form-kind filter is summed from mart_themes (a few rows per cell, whatever
the number of forms); with one, the same counts come from the slice's mart_problems rows.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from dashboard.data.base import pre_counted
from dashboard.data.db import run
from dashboard.filters import Filters
from etl.themes import EMPTY_THEME, OTHER_THEME

__all__ = ["EMPTY_THEME", "OTHER_THEME", "reason_themes"]

LAST = (EMPTY_THEME, OTHER_THEME)


def reason_themes(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row per theme: theme, basis (the words that decided), n (indicator rows),
    projects, departments, example (the reason written most often in one 主管部门 and year);
    most rows first, 未填写 and 其他 last."""
    cells, params = pre_counted(f, "mart_themes")
    out = run(con, f"""
        SELECT theme, string_agg(basis, '；') AS basis, sum(n)::BIGINT AS n, sum(projects)::BIGINT AS projects,
               count(DISTINCT department) AS departments, first(example ORDER BY example_n DESC, example) AS example
        FROM {cells} c GROUP BY theme
        ORDER BY list_contains(CAST($last AS VARCHAR[]), theme), n DESC, theme""", params | {"last": list(LAST)})
    out["basis"] = ["；".join(sorted({w for w in (b or "").split("；") if w})) for b in out["basis"]]
    return out[["theme", "basis", "n", "projects", "departments", "example"]].reset_index(drop=True)
