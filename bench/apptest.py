"""Driving the dashboard headless with Streamlit's AppTest, and watching its SQL.

`PageRun` times one page cold (fresh AppTest, every st.cache cleared, so every query
runs and the database is reopened) and warm (reruns, median), counts what the page
ships to the browser (table rows and chart points), and `SqlLog` records every SQL
statement the dashboard's data-access layer (`dashboard.data.*.run`) executes.
"""

from __future__ import annotations

import json
import re
import importlib
import logging
import pkgutil
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common import ROOT

APP = ROOT / "dashboard" / "app.py"
TIMEOUT = 120.0


def page_paths() -> list[str]:
    """The app's pages in menu order, read from its st.Page(...) declarations."""
    return re.findall(r"st\.Page\(\s*\"([^\"]+\.py)\"", APP.read_text(encoding="utf-8"))


@dataclass(slots=True)
class Query:
    page: str
    sql: str
    params: dict[str, Any]
    seconds: float
    rows: int
    caller: str  # the dashboard.data function that issued it


def _caller() -> str:
    """Who issued a query: the dashboard.data function, else the page line (for db.fetch/count)."""
    frame = sys._getframe(2)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module.startswith("dashboard.data.") and module != "dashboard.data.db":
            return f"{module.rsplit('.', 1)[-1]}.{frame.f_code.co_name}"
        path = Path(frame.f_code.co_filename)
        if path.parent.name == "views" and path.name != "common.py" or path.name == "app.py":
            return f"{path.name}:{frame.f_lineno}"
        frame = frame.f_back
    return "?"


@dataclass(slots=True)
class SqlLog:
    """Wraps `run` in every dashboard.data module; `page` labels what is recorded."""

    page: str = ""
    queries: list[Query] = field(default_factory=list)
    recording: bool = True

    def install(self) -> None:
        import dashboard.data as pkg
        from dashboard.data import db

        original = db.run

        def timed_run(con: Any, sql: str, params: dict[str, Any] | None = None) -> Any:
            t = time.perf_counter()
            df = original(con, sql, params)
            if self.recording:
                self.queries.append(Query(self.page, sql, dict(params or {}), time.perf_counter() - t, len(df),
                                          _caller()))
            return df

        for info in pkgutil.iter_modules(pkg.__path__):
            module = importlib.import_module(f"dashboard.data.{info.name}")
            if getattr(module, "run", None) is original:
                module.run = timed_run


@dataclass(slots=True)
class Shipped:
    table_rows: int = 0
    chart_points: int = 0

    @property
    def total(self) -> int:
        return self.table_rows + self.chart_points


def shipped(at: Any) -> Shipped:
    """Rows of every dataframe element and points of every Plotly chart on the page."""
    out = Shipped()
    for df in [*at.dataframe, *at.table]:
        out.table_rows += len(df.value)
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec or "{}")
        for trace in spec.get("data", []):
            out.chart_points += max((len(trace[k]) for k in ("x", "y", "values", "z") if isinstance(trace.get(k), list)),
                                    default=0)
    return out


def _mute_bare_mode_warnings() -> None:
    """Pages run without a server here; Streamlit says so on every cache call outside a run."""
    for name in ("streamlit.runtime.scriptrunner_utils.script_run_context",
                 "streamlit.runtime.caching.cache_data_api", "streamlit.runtime.caching.cache_resource_api"):
        logging.getLogger(name).setLevel(logging.ERROR)


def new_app(query: dict[str, list[str]]) -> Any:
    from streamlit.testing.v1 import AppTest

    _mute_bare_mode_warnings()
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for key, values in query.items():
        at.query_params[key] = values
    return at


def clear_caches() -> None:
    import streamlit as st

    _mute_bare_mode_warnings()
    st.cache_data.clear()
    st.cache_resource.clear()


def errors(at: Any) -> list[str]:
    return [e.value for e in at.exception] + [e.value for e in at.error]


@dataclass(slots=True)
class PageResult:
    page: str
    scenario: str
    cold_s: float
    warm_s: float
    shipped: Shipped
    errors: list[str]


def run_page(page: str, scenario: str, query: dict[str, list[str]], warm_runs: int, log: SqlLog) -> PageResult:
    at = new_app(query)
    log.recording = False
    at.run()  # lands on the default page; then switch with every cache emptied
    at.switch_page(page)
    clear_caches()
    log.page, log.recording = f"{page} [{scenario}]", True
    t = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t
    log.recording = False
    warm = [_timed(at.run) for _ in range(warm_runs)]
    return PageResult(page, scenario, cold, statistics.median(warm), shipped(at), errors(at))


def _timed(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def retime(queries: list[Query], db: Path, runs: int = 3) -> list[tuple[Query, float]]:
    """Each distinct statement again on one warm connection: median of `runs`, slowest first."""
    from dashboard.data.db import connect, run

    seen: dict[tuple[str, str], Query] = {}
    for q in queries:
        seen.setdefault((q.sql, repr(sorted(q.params.items()))), q)
    con = connect(db)
    try:
        out = [(q, statistics.median(_timed(lambda q=q: run(con, q.sql, q.params)) for _ in range(runs)))
               for q in seen.values()]
    finally:
        con.close()
    return sorted(out, key=lambda qt: -qt[1])

