"""Streamlit helpers shared by the pages: cached queries, the table + download component,
charts that open a project when clicked, and page headers.

Queries are cached with st.cache_data keyed on the arguments plus the database file's
(inode, mtime, size): an ingest that swaps in a rebuilt file is picked up on the next run.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import export
from dashboard import filters as flt
from dashboard.data import db
from dashboard.labels import column_label, fmt_num  # noqa: F401 - used by the views

DETAIL_PAGE = "views/detail.py"
PAGE_ROWS = 100  # rows per table page sent to the browser
EMPTY = "当前筛选条件下没有项目。请在左侧调整筛选条件，或点击「重置筛选」。"
T = TypeVar("T")


@st.cache_resource(max_entries=2, show_spinner=False, on_release=lambda con: con.close())
def _connection(path: str, sig: tuple[int, int, int]) -> duckdb.DuckDBPyConnection:
    return db.connect(Path(path))


@st.cache_data(max_entries=4000, show_spinner=False)
def _call(module: str, name: str, args: tuple, path: str, sig: tuple[int, int, int]) -> Any:
    fn = getattr(importlib.import_module(module), name)
    return fn(_connection(path, sig), *args)


def db_file() -> Path:
    return db.db_path()


def q(fn: Callable[..., T], *args: Any) -> T:
    """Run `fn(con, *args)` from dashboard.data through the cache."""
    path = db_file()
    sig = db.signature(path)
    if sig is None:
        st.error(f"数据库文件已不存在：{path}")
        st.stop()
    return _call(fn.__module__, fn.__name__, args, str(path), sig)


def filters() -> flt.Filters:
    return st.session_state.get("filters", flt.Filters())


def filter_caption() -> None:
    f = filters()
    st.caption("当前范围：" + " · ".join(flt.describe(f, empty="全部年度、全部部门")) + "（金额单位：万元）")


def header(title: str, intro: str) -> None:
    st.title(title)
    st.markdown(intro)
    filter_caption()


def open_project(report_id: int) -> None:
    params = flt.to_params(filters()) | {flt.PROJECT_KEY: [str(int(report_id))]}
    st.switch_page(DETAIL_PAGE, query_params=params)


def column_config(col: str, config: Mapping[str, Any] | None = None) -> Any:
    """The caller's config for `col`, else a Chinese label with a sensible number format."""
    config = config or {}
    if col in config:
        return config[col]
    if col in ("year", "report_id", "row_no", "file_id", "page_start", "page_end"):
        return st.column_config.NumberColumn(column_label(col), format="%d")
    if col in ("budget", "executed", "initial_budget", "full_year_budget", "adjustment"):
        return st.column_config.NumberColumn(column_label(col), format="%.2f")
    if col in ("total_score", "mean_score", "min_score", "max_score"):
        return st.column_config.NumberColumn(column_label(col), format="%.2f")
    return column_label(col)


def rate_column(label: str = "执行率（%）") -> Any:
    return st.column_config.ProgressColumn(label, format="%.2f%%", min_value=0, max_value=100)


def table(s: db.Slice, *, key: str, what: str, config: Mapping[str, Any] | None = None,
          hide: Iterable[str] = ("report_id",), link: bool = True, page_rows: int = PAGE_ROWS,
          with_filters: bool = True, file_extra: Iterable[str] = (), empty: str = "没有符合条件的行。") -> int:
    """Show a slice one page at a time, with a download of the whole slice; returns its row count.

    Selecting a row opens the project when the slice has a report_id and `link` is set.
    """
    n = q(db.count, s)
    if n == 0:
        st.info(empty)
        return 0
    pages = math.ceil(n / page_rows)
    frame = st.container()
    page = st.pagination(pages, key=f"{key}_page") if pages > 1 else 1
    df = q(db.fetch, s, page_rows, (page - 1) * page_rows)
    hidden = [c for c in hide if c in df.columns]
    shown = [c for c in df.columns if c not in hidden]
    linkable = link and "report_id" in df.columns
    cfg = {c: column_config(c, config) for c in shown}
    with frame:
        event = st.dataframe(df, key=key, hide_index=True, column_order=shown, column_config=cfg,
                             on_select="rerun" if linkable else "ignore", selection_mode="single-row",
                             placeholder="—")
        if linkable and event.selection.rows:
            open_project(int(df["report_id"].iloc[event.selection.rows[0]]))
        first = (page - 1) * page_rows + 1
        note = f"共 {n:,} 行" + (f"，当前第 {first:,}–{min(n, first + page_rows - 1):,} 行；下载包含全部行" if pages > 1 else "")
        left, right = st.columns([3, 1], vertical_alignment="center")
        left.caption(note + ("。勾选行首的方框即可打开该项目详情。" if linkable else "。"))
        with right:
            download(s, what, key=key, drop=hidden, with_filters=with_filters, extra=file_extra)
    return n


def download(s: db.Slice, what: str, *, key: str, drop: Iterable[str] = (), with_filters: bool = True,
             extra: Iterable[str] = ()) -> None:
    """A button whose CSV is built only when clicked (full slice, Excel-safe, named after the slice)."""
    path, drop = db_file(), list(drop)
    con = _connection(str(path), db.signature(path))
    name = export.file_name(what, filters() if with_filters else None, list(extra))

    def build() -> bytes:  # runs on click, off the script thread
        try:
            table = db.fetch_arrow(con, s)
        except duckdb.Error:  # the connection was released (database swapped): open afresh
            fresh = db.connect(path)
            try:
                table = db.fetch_arrow(fresh, s)
            finally:
                fresh.close()
        return export.csv_bytes(table.drop_columns([c for c in drop if c in table.column_names]))

    st.download_button("下载 CSV", data=build, file_name=name, mime="text/csv", key=f"{key}_csv",
                       on_click="ignore", icon=":material/download:", help=f"文件名：{name}")


def small_table(df: pd.DataFrame, *, key: str, what: str, columns: list[str],
                config: Mapping[str, Any] | None = None) -> None:
    """An already aggregated frame (a few dozen rows) with its download."""
    cfg = {c: column_config(c, config) for c in columns}
    st.dataframe(df, key=key, hide_index=True, column_order=columns, column_config=cfg, placeholder="—")
    frame = df[columns]
    name = export.file_name(what, filters())
    st.download_button("下载 CSV", data=lambda: export.csv_bytes(frame), file_name=name, mime="text/csv",
                       key=f"{key}_csv", on_click="ignore", icon=":material/download:", help=f"文件名：{name}")


@st.cache_data(max_entries=500, show_spinner=False)
def _figure(module: str, name: str, args: tuple, kwargs: dict) -> dict:
    """A built figure as a plain dict: building Plotly objects costs more than the queries."""
    fig = getattr(importlib.import_module(module), name)(*args, **kwargs)
    return fig.to_dict()


def chart(build: Callable[..., go.Figure], *args: Any, key: str, clickable: bool = False, **kwargs: Any) -> None:
    """Draw `build(*args, **kwargs)` (a dashboard.charts function); for project charts a
    click on a bar or point opens that project."""
    spec = _figure(build.__module__, build.__name__, args, kwargs)
    event = st.plotly_chart(spec, key=key, on_select="rerun" if clickable else "ignore",
                            selection_mode="points", theme=None, config={"displaylogo": False})
    if clickable:
        points = (event.selection.points if event else None) or []
        ids = [p.get("customdata") for p in points if isinstance(p.get("customdata"), (int, float))]
        if ids:
            open_project(int(ids[0]))


def stop_if_empty(n: int) -> None:
    if n == 0:
        st.info(EMPTY)
        st.stop()
