"""Writing the site's files: static assets, overview pages, project pages and the search index."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import plotly
import plotly.io as pio

from dashboard import charts
from dashboard.data import db
from dashboard.data.base import FILTER, filter_params
from dashboard.filters import Filters
from dashboard.site import overview, paths, projects
from dashboard.site.render import environment, script_json, write

STATIC_SRC = Path(__file__).with_name("static")
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
SEARCH_CHUNK = 1000  # index rows per script file (~150 KB): well inside the 300 KB page budget


@dataclass
class Site:
    """The build in progress: where files go, the site's own slice and the Jinja environment."""

    root: Path
    con: duckdb.DuckDBPyConnection
    base: Filters
    opts: projects.Options
    stamp: str = ""
    env: Any = field(default_factory=environment)
    search_rows: list[list[Any]] = field(default_factory=list)
    chunks: list[str] = field(default_factory=list)
    folders: set[str] = field(default_factory=set)

    def out(self, rel_path: str, data: str | bytes) -> None:
        write(self.root, rel_path, data, self.folders)

    def page(self, rel_path: str, template: str, **ctx: Any) -> None:
        depth = rel_path.count("/")
        html = self.env.get_template(template).render(root="../" * depth, **ctx)
        self.out(rel_path, html)


def write_static(site: Site) -> None:
    """plotly.js once (from the installed package: no CDN), the shared chart template, CSS and JS."""
    static = site.root / paths.STATIC
    static.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PLOTLY_JS, static / "plotly.min.js")
    for name in ("site.css", "site.js"):
        shutil.copyfile(STATIC_SRC / name, static / name)
    template = pio.templates[charts.TEMPLATE].to_plotly_json()
    site.out(f"{paths.STATIC}/template.js", f"window.JX_TEMPLATE = {script_json(template)};\n")


def overview_scopes(site: Site, pairs: pd.DataFrame) -> Iterator[overview.Scope]:
    """Index, then each year, each 主管部门 and each 主管部门×year of the site's slice (`pairs`: its
    distinct year, department). With one year (or one 主管部门) chosen, the per-主管部门 (per-year)
    pages would repeat the 主管部门×year pages, so links go straight to those."""
    base, home = site.base, ("总览", paths.INDEX)
    yield overview.Scope(paths.INDEX, _title(base), base)
    if len(base.departments) != 1:
        for year in sorted({int(y) for y in pairs["year"]}):
            yield overview.Scope(paths.year_page(year), f"{year}年度", Filters(years=(year,)), [home], detail=True)
    for dept in sorted(set(pairs["department"])):
        dept_home = [(dept, paths.dept_page(dept))] if len(base.years) != 1 else []
        if dept_home:
            yield overview.Scope(paths.dept_page(dept), dept, Filters(years=base.years, departments=(dept,)), [home])
        for year in sorted(int(y) for y in pairs.loc[pairs["department"] == dept, "year"]):
            yield overview.Scope(paths.dept_page(dept, year), f"{dept} · {year}年度",
                                 Filters(years=(year,), departments=(dept,)), [home, *dept_home], detail=True)


def year_department_pairs(site: Site) -> pd.DataFrame:
    return db.run(site.con, f"SELECT DISTINCT year, department FROM mart_reports WHERE {FILTER} "
                            "AND year IS NOT NULL ORDER BY year, department", filter_params(site.base))


def _title(f: Filters) -> str:
    parts = [*f.departments, *(f"{y}年度" for y in f.years)]
    return "总览" + (f"：{' · '.join(parts)}" if parts else "")


def write_overview(site: Site, scope: overview.Scope, pairs: pd.DataFrame,
                   bulk: overview.Bulk | None = None) -> None:
    ctx = overview.context(site.con, scope, site.out, bulk)
    index = scope.path == paths.INDEX
    intro = ("全部所选项目的预算执行、得分和问题概况。" if index else
             "这个范围内项目的预算执行、得分、未达标指标和发现的问题；表格可下载为 CSV。")
    crumbs = [(label, paths.rel(scope.path, target)) for label, target in scope.crumbs]
    years = sorted({int(y) for y in pairs["year"]}) if index or scope.single_year is None else []
    depts = sorted(set(pairs["department"])) if index else []
    if scope.single_dept and not index:
        years = [y for y in years if ((pairs["department"] == scope.single_dept) & (pairs["year"] == y)).any()]
    site.page(scope.path, "overview.html.j2", title=scope.title, intro=intro, crumbs=crumbs,
              stamp=site.stamp if index else "",
              year_links=[(f"{y}年度", overview.year_link(scope, y)) for y in years],
              dept_links=[(d, overview.dept_link(scope, d)) for d in depts], **ctx)


def write_projects(site: Site, ids: list[int]) -> list[list[Any]]:
    """The pages of these projects; returns their search-index rows (the index is written in order)."""
    rows = []
    for path, ctx in projects.pages(site.con, ids, site.opts, site.out):
        r = ctx["r"]
        crumbs = [("总览", paths.rel(path, paths.INDEX))]
        if r["department"] and r["year"] is not None:
            crumbs.append((f"{r['department']} · {r['year']}年度",
                           paths.rel(path, paths.dept_page(r["department"], r["year"]))))
        site.page(path, "project.html.j2", title=r["project_name"] or "（未填项目名称）", crumbs=crumbs, stamp="",
                  **ctx)
        rows.append(projects.search_entry(path, r))
    return rows


def add_search(site: Site, rows: list[list[Any]]) -> None:
    for row in rows:
        site.search_rows.append(row)
        if len(site.search_rows) >= SEARCH_CHUNK:
            flush_search(site)


def flush_search(site: Site) -> None:
    if not site.search_rows:
        return
    name = f"{paths.STATIC}/search-{len(site.chunks):04d}.js"
    rows = json.dumps(site.search_rows, ensure_ascii=False, separators=(",", ":"))
    site.out(name, f"JX_INDEX.push.apply(JX_INDEX, {rows});\n")
    site.chunks.append(name)
    site.search_rows = []


def write_search(site: Site) -> None:
    flush_search(site)
    site.page(paths.SEARCH, "search.html.j2", title="搜索项目", crumbs=[("总览", paths.INDEX)], stamp="",
              chunks=site.chunks)
