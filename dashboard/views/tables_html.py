"""Plain HTML tables for long texts, short link lists and printing. No Streamlit (pure).

Streamlit's data grid draws on a canvas: a long 偏差原因 is cut off, nothing of it prints and
a phone scrolls the page sideways. These tables wrap long texts, scroll sideways inside their
own box (`div.jx-scroll`) and print as text. Every value is escaped; links are built here
from ids and filter parameters only, never from data text.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from urllib.parse import urlencode

import pandas as pd

from dashboard.labels import column_label

INT_COLUMNS = frozenset({"year", "report_id", "row_no", "file_id", "page_start", "page_end", "prev_year", "projects",
                         "n", "n_reports", "pages", "findings", "problem_indicators", "indicators", "departments",
                         "lost_indicators", "missed_full", "form_index"})
RATE_COLUMNS = frozenset({"rate", "prev_rate", "lost_share", "adjustment_pct", "execution_rate"})
LONG_COLUMNS = frozenset({"deviation", "message", "goal_expected", "goal_actual", "error", "warnings", "example",
                          "name", "project_name"})


def fmt(col: str, value: object) -> str:
    """A cell as text: integers plain, rates with %, other numbers with two decimals, empty as —."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if col in INT_COLUMNS:
            return f"{int(value):,}" if col not in ("year", "prev_year", "report_id") else str(int(value))
        signed = col.endswith("_change")
        text = f"{float(value):+,.2f}" if signed else f"{float(value):,.2f}"
        return text + ("%" if col in RATE_COLUMNS else "")
    return str(value)


def project_href(report_id: object, params: Mapping[str, Sequence[str]]) -> str:
    """Relative link to 项目详情 keeping the filters (`project?year=2024&project=40004`)."""
    query = [(k, v) for k, vs in params.items() if k != "project" for v in vs] + [("project", str(int(report_id)))]
    return "project?" + urlencode(query)


def html_table(df: pd.DataFrame, columns: Sequence[str], *, labels: Mapping[str, str] | None = None,
               link: str | None = None, href: Callable[[Mapping[str, object]], str] | None = None,
               caption: str = "", css_class: str = "") -> str:
    """`df[columns]` as an escaped HTML table; column `link` becomes a link to `href(row)`."""
    labels = labels or {}
    head = "".join(f'<th scope="col">{html.escape(labels.get(c, column_label(c)))}</th>' for c in columns)
    body = []
    names = list(df.columns)
    # The values iterrows would give (`df.values`, one conversion), without a Series per row:
    # iterrows cost ~35 % of a warm rerun of a page with four 100-row tables.
    for values in df.values:
        row = dict(zip(names, values, strict=True))
        cells = []
        for c in columns:
            text = html.escape(fmt(c, row[c]))
            kind = "num" if c in INT_COLUMNS or c in RATE_COLUMNS or isinstance(row[c], float) else (
                "long" if c in LONG_COLUMNS else "")
            if c == link and href is not None:
                text = f'<a href="{html.escape(href(row), quote=True)}">{text}</a>'
            cells.append(f'<td class="{kind}">{text}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (f'<div class="jx-scroll {html.escape(css_class)}"><table class="jx-table">{cap}<thead><tr>{head}</tr>'
            f'</thead><tbody>{"".join(body)}</tbody></table></div>')
