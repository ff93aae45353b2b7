"""The Jinja environment, HTML tables from data frames, figures as JSON, and writing files.

Every text reaches the page through Jinja's autoescaping or `html.escape` (dashboard.form_html);
figure JSON is embedded in <script type="application/json">, with `<` escaped so no text
can close the tag.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import plotly.io as pio
from markupsafe import Markup, escape

from dashboard.form_html import Rows, records
from dashboard.labels import column_label, fmt_num

TEMPLATES = Path(__file__).with_name("templates")
# Columns shown as plain integers / as amounts and scores with two decimals.
INT_COLUMNS = {"year", "report_id", "row_no", "projects", "problem_indicators", "findings", "n", "page"}


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True, auto_reload=False)  # no stat() of the files per page
    env.filters["num"] = fmt_num
    env.filters["text"] = text
    return env


def text(value: object) -> str:
    """A cell's text: empty for NULL/NaN, integers without `.0`."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(slots=True)
class Table:
    head: list[str]
    rows: list[Markup] = field(default_factory=list)  # each a <tr>, every text escaped
    total: int = 0  # rows in the whole slice (the table may show only the first ones)
    csv: str = ""  # link to the CSV of the whole slice

    @property
    def body(self) -> Markup:
        """The rows, one a line (joined here: a template loop costs more than the rows)."""
        return Markup("".join(f"{row}\n" for row in self.rows))


Links = Mapping[str, Callable[[Mapping[str, Any]], str]]


def table(df: Rows, columns: Sequence[str], links: Links | None = None, *, total: int | None = None,
          csv: str = "", marks: Callable[[Mapping[str, Any]], str] | None = None) -> Table:
    """`columns` of `df` (a frame or rows as dicts) with Chinese headers; `links[col](row)` gives a
    cell's href ('' for none); `marks(row)` a class for the row. Rows are rendered here, not by a
    template loop: the site renders ~40,000 cells per 1,000 forms."""
    links = links or {}
    rows = records(df)
    out = Table([column_label(c) for c in columns], total=len(rows) if total is None else total, csv=csv)
    for row in rows:
        cls = marks(row) if marks else ""
        tds = "".join(_cell(c, row, links.get(c)) for c in columns)
        out.rows.append(Markup(f'<tr class="{escape(cls)}">{tds}</tr>' if cls else f"<tr>{tds}</tr>"))
    return out


def arrow_rows(data: pa.Table) -> list[dict[str, Any]]:
    """The rows as `data.to_pandas().to_dict("records")` gives them (the pages' bytes depend on
    it), without pandas: a number column with nulls holds floats and NaN, a text column NaN for
    null (pandas' string dtype), anything else Python values and None."""
    columns = []
    for col in data.columns:
        values = col.to_pylist()
        if col.null_count and (pa.types.is_integer(col.type) or pa.types.is_floating(col.type)):
            values = [math.nan if v is None else float(v) for v in values]
        elif col.null_count and _is_text(col.type):
            values = [math.nan if v is None else v for v in values]
        columns.append(values)
    names = data.column_names
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _is_text(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t)


def _cell(col: str, row: Mapping[str, Any], link: Callable[[Mapping[str, Any]], str] | None) -> str:
    value = row.get(col)
    is_num = isinstance(value, (int, float)) and not isinstance(value, bool)
    if is_num and col not in INT_COLUMNS and not (isinstance(value, float) and math.isnan(value)):
        shown = escape(fmt_num(value))
    else:
        shown = escape(text(value))
    href = link(row) if link else ""
    inner = f'<a href="{escape(href)}">{shown}</a>' if href else shown
    return f'<td class="num">{inner}</td>' if is_num else f"<td>{inner}</td>"


@contextmanager
def bare_figures() -> Iterator[None]:
    """Figures built without Plotly's default template: each new figure deep-copies it (~1/4 of
    a chart's cost), and figure_json leaves it out anyway (static/template.js applies it once)."""
    old = pio.templates.default
    pio.templates.default = None
    try:
        yield
    finally:
        pio.templates.default = old


def figure_json(fig: go.Figure) -> Markup:
    """The figure without its template (site.js applies the one shared template), safe inside <script>."""
    # The figure's own dicts, not to_plotly_json(): that deep-copies every figure (~1/3 of its cost).
    layout = {k: v for k, v in fig._layout.items() if k != "template"}  # noqa: SLF001
    return script_json({"data": fig._data, "layout": layout})  # noqa: SLF001


def script_json(value: object) -> Markup:
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True, cls=_Encoder)
    return Markup(raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


class _Encoder(json.JSONEncoder):
    """numpy arrays and scalars as lists and numbers; NaN as null (JSON has no NaN)."""

    def default(self, o: object) -> object:
        if hasattr(o, "tolist"):
            return o.tolist()
        if isinstance(o, pd.Timestamp):
            return o.isoformat()
        return super().default(o)

    def iterencode(self, o: object, _one_shot: bool = False):  # noqa: ANN201 - json's signature
        return super().iterencode(_nan_to_none(o), _one_shot)


def _nan_to_none(o: object) -> object:
    if isinstance(o, float) and math.isnan(o):
        return None
    if isinstance(o, dict):
        return {k: _nan_to_none(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_nan_to_none(v) for v in o]
    if hasattr(o, "tolist"):
        return _nan_to_none(o.tolist())
    return o


def write(root: Path, rel_path: str, data: str | bytes, made: set[str] | None = None) -> None:
    """`made`: folders already created (a page's folder holds hundreds of pages)."""
    path = root / rel_path
    folder = rel_path.rpartition("/")[0]
    if made is None or folder not in made:
        path.parent.mkdir(parents=True, exist_ok=True)
        if made is not None:
            made.add(folder)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
