"""Streamlit helpers shared by the pages: cached queries, the table + download component,
charts that open a project when clicked, and page headers.

Queries are cached with st.cache_data keyed on the arguments plus the database file's
(inode, mtime, size): an ingest that swaps in a rebuilt file is picked up on the next run.
"""

from __future__ import annotations

import html
import importlib
import logging
import math
import re
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
from dashboard.views import tables_html

log = logging.getLogger("jixiao.dashboard")
DETAIL_PAGE = "views/detail.py"
PAGE_ROWS = 100  # rows per table page sent to the browser
EMPTY = "当前筛选条件下没有项目。请在左侧调整筛选条件，或点击「重置筛选」。"
T = TypeVar("T")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&^\"'@%])")
# Streamlit turns bare URLs and e-mail addresses into links even when escaped: an invisible
# word joiner inside "://", "www." and "@" keeps them text.
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\\\.)|(?=\\@)")
WORD_JOINER = "\u2060"
# Plotly's toolbar in Chinese (plotly.js takes a dictionary in the chart's config).
PLOTLY_ZH = {"Download plot as a png": "下载图片（PNG）", "Download plot": "下载图片", "Zoom": "缩放", "Pan": "平移",
             "Zoom in": "放大", "Zoom out": "缩小", "Autoscale": "自动缩放", "Reset axes": "还原坐标轴",
             "Box Select": "框选", "Lasso Select": "套索选择", "Reset view": "还原视图",
             "Toggle Spike Lines": "显示辅助线", "Show closest data on hover": "悬停显示最近数据",
             "Compare data on hover": "悬停比较数据", "Produced with Plotly.js": "由 Plotly.js 生成",
             "Double-click to zoom back out": "双击还原", "Click to enter Colorscale title": "",
             "Click to enter Plot title": "", "Click to enter X axis title": "", "Click to enter Y axis title": ""}


def plain(text: object) -> str:
    """`text` from the data or a link, escaped so Streamlit's markdown shows it as typed
    (no image fetched, no link, no bold, no emoji or colour directives)."""
    s = "" if text is None else str(text)
    return _AUTOLINK.sub(WORD_JOINER, _MD_SPECIAL.sub(r"\\\1", s)).replace("\n", "  \n")


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
    sig = db.store_signature(path)
    if sig is None:
        st.error(f"数据库文件已不存在：{path.name}")
        st.stop()
    return _call(fn.__module__, fn.__name__, args, str(path), sig)


def filters() -> flt.Filters:
    return st.session_state.get("filters", flt.Filters())


def scope_text(f: flt.Filters | None = None) -> str:
    return "当前范围：" + " · ".join(flt.describe(f or filters(), empty="全部年度、全部部门"))


def filter_caption() -> None:
    st.caption(plain(scope_text() + "（金额单位：万元）"))


def pick_filter(field: str, values: Iterable[str]) -> None:
    """Set a sidebar filter (e.g. the department clicked) and run again: the sidebar applies it.
    The selection outlives the run, so an already applied pick does nothing."""
    values = list(values)
    if list(getattr(filters(), field)) == values:
        return
    st.session_state["_pending_filter"] = (field, values)
    st.rerun()


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
    return st.column_config.ProgressColumn(label, format="%.2f%%", min_value=0, max_value=100, width="small")


def table(s: db.Slice, *, key: str, what: str, config: Mapping[str, Any] | None = None,
          hide: Iterable[str] = ("report_id",), link: bool = True, page_rows: int = PAGE_ROWS,
          with_filters: bool = True, file_extra: Iterable[str] = (), empty: str = "没有符合条件的行。",
          pick: str | None = None, wrap: bool = False) -> int:
    """Show a slice one page at a time, with a download of the whole slice; returns its row count.

    Selecting a row opens the project when the slice has a report_id and `link` is set;
    with `pick="department"` it sets the department filter instead. `wrap` shows the rows
    as an HTML table whose long texts wrap (project names link to 项目详情); otherwise a
    data grid on screen and the same rows as an HTML table in print.
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
    labels = {c: _label_of(c, config) for c in shown}
    with frame:
        if wrap:
            st.html(html_rows(df, shown, labels, linkable))
        else:
            cfg = {c: column_config(c, config) for c in shown}
            selectable = linkable or (pick is not None and pick in df.columns)
            event = st.dataframe(df, key=key, hide_index=True, column_order=shown, column_config=cfg,
                                 on_select="rerun" if selectable else "ignore", selection_mode="single-row",
                                 placeholder="—")
            if selectable and event.selection.rows:
                row = df.iloc[event.selection.rows[0]]
                if pick is not None:
                    pick_filter("departments", [row[pick]])
                open_project(int(row["report_id"]))
            st.html(html_rows(df, shown, labels, False, print_only=True))
        first = (page - 1) * page_rows + 1
        note = f"共 {n:,} 行" + (f"，当前第 {first:,}–{min(n, first + page_rows - 1):,} 行；下载包含全部行" if pages > 1 else "")
        left, right = st.columns([3, 1], vertical_alignment="center")
        hint = ("。点击项目名称即可打开该项目详情。" if wrap and linkable else "。勾选行首的方框即可打开该项目详情。" if linkable
                else "。勾选行首的方框即可只看该部门。" if pick else "。")
        left.caption(note + hint)
        with right:
            # The finding code is hidden on screen (shown in Chinese) but keeps its own CSV column.
            download(s, what, key=key, drop=[c for c in hidden if c != "code"], with_filters=with_filters,
                     extra=file_extra)
    return n


def _label_of(col: str, config: Mapping[str, Any] | None) -> str:
    """The header a column shows: the caller's config label, else the Chinese column name."""
    cfg = (config or {}).get(col)
    if isinstance(cfg, str):
        return cfg
    if isinstance(cfg, Mapping) and cfg.get("label"):
        return str(cfg["label"])
    return column_label(col)


def html_rows(df: pd.DataFrame, columns: list[str], labels: Mapping[str, str], linkable: bool,
              *, print_only: bool = False) -> str:
    """Rows as an escaped HTML table; project names link to 项目详情 (keeping the filters)."""
    params = flt.to_params(filters())
    link = "project_name" if linkable and "project_name" in columns else None
    out = tables_html.html_table(df, columns, labels=labels, link=link,
                                 href=lambda r: tables_html.project_href(r["report_id"], params))
    return f'<div class="jx-print-only">{out}</div>' if print_only else out


def download(s: db.Slice, what: str, *, key: str, drop: Iterable[str] = (), with_filters: bool = True,
             extra: Iterable[str] = ()) -> None:
    """A button whose CSV is built only when clicked (full slice, Excel-safe, named after the slice)."""
    path, drop = db_file(), list(drop)
    con = _connection(str(path), db.store_signature(path))
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
                config: Mapping[str, Any] | None = None, csv_extra: Iterable[str] = ()) -> None:
    """An already aggregated frame (a few dozen rows) with its download (plus `csv_extra`
    columns, e.g. the finding code, which the screen shows in Chinese only)."""
    cfg = {c: column_config(c, config) for c in columns}
    st.dataframe(df, key=key, hide_index=True, column_order=columns, column_config=cfg, placeholder="—")
    st.html(html_rows(df, columns, {c: _label_of(c, config) for c in columns}, False, print_only=True))
    frame = df[columns + list(csv_extra)]
    name = export.file_name(what, filters())
    st.download_button("下载 CSV", data=lambda: export.csv_bytes(frame), file_name=name, mime="text/csv",
                       key=f"{key}_csv", on_click="ignore", icon=":material/download:", help=f"文件名：{name}")


@st.cache_data(max_entries=500, show_spinner=False)
def _figure(module: str, name: str, args: tuple, kwargs: dict) -> dict:
    """A built figure as a plain dict: building Plotly objects costs more than the queries."""
    fig = getattr(importlib.import_module(module), name)(*args, **kwargs)
    return fig.to_dict()


def with_scope(spec: dict, scope: str) -> tuple[dict, str]:
    """The figure with the filter scope under its title (so a saved PNG says what it shows),
    a parenthesis of a long title moved to that second line; returns (spec, title)."""
    layout = spec.setdefault("layout", {})
    title = (layout.get("title") or {}).get("text") or ""
    main, _, more = title.partition("（")
    sub = " · ".join(x for x in (("（" + more) if more else "", scope) if x)
    layout["title"] = {**(layout.get("title") or {}), "text": f"{main}<br><span style='font-size:12px'>{sub}</span>"}
    margin = layout.setdefault("margin", {})
    margin["t"] = int(margin.get("t") or 40) + 18
    layout["height"] = int(layout.get("height") or 400) + 18
    return spec, main


def chart(build: Callable[..., go.Figure], *args: Any, key: str, clickable: bool = False,
          pick: str | None = None, **kwargs: Any) -> None:
    """Draw `build(*args, **kwargs)` (a dashboard.charts function) with the filter scope in
    its title; for project charts a click on a bar or point opens that project, with
    `pick="departments"` a click on a department's bar sets the department filter."""
    scope = scope_text().removeprefix("当前范围：")
    spec, title = with_scope(_figure(build.__module__, build.__name__, args, kwargs), "范围：" + html.escape(scope))
    name = re.sub(r"[\\/:*?\"<>|\s]+", "_", f"{title}_{scope}")[:120]
    config = {"displaylogo": False, "locale": "zh-CN", "locales": {"zh-CN": {"dictionary": PLOTLY_ZH}},
              "modeBarButtonsToRemove": ["select2d", "lasso2d", "toggleSpikelines", "hoverClosestCartesian",
                                         "hoverCompareCartesian"],
              "toImageButtonOptions": {"filename": name, "scale": 2}}
    interactive = clickable or pick is not None
    # A Figure, not the dict: Streamlit validates a dict again on every rerun (template
    # included, ~25 ms a chart: most of a warm rerun); `spec` was validated when `_figure` built it.
    event = st.plotly_chart(go.Figure(spec, _validate=False), key=key, on_select="rerun" if interactive else "ignore",
                            selection_mode="points", theme=None, config=config)
    points = ((event.selection.points if event else None) or []) if interactive else []
    if pick is not None:
        picked = [p.get("customdata") for p in points if isinstance(p.get("customdata"), str)]
        if picked:
            pick_filter(pick, picked[:1])
    if clickable:
        ids = [p.get("customdata") for p in points if isinstance(p.get("customdata"), (int, float))]
        if ids:
            open_project(int(ids[0]))


def stop_if_empty(n: int) -> None:
    if n == 0:
        st.info(EMPTY)
        st.stop()
