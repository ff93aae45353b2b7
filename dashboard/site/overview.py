"""Overview pages (index, year, 主管部门, 主管部门×year): the dashboard's 总览 for one slice, from the
same dashboard.data queries and dashboard.charts figures; slice pages add the underperforming
indicators with their 偏差原因, the findings, the project list and CSV files of each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from dashboard import charts, export
from dashboard.data import db, indicators, reports
from dashboard.filters import Filters
from dashboard.labels import ALL_GRADES, fmt_num
from dashboard.site import paths
from dashboard.site.render import Table, arrow_rows, figure_json, table

SHOWN_ROWS = 100  # rows of a long list on the page; the CSV holds them all
CHART_DEPARTMENTS = 30  # as on the dashboard's 预算执行 page


@dataclass(slots=True)
class Scope:
    """One overview page: where it lives, what it shows and its breadcrumb trail."""

    path: str
    title: str
    f: Filters
    crumbs: list[tuple[str, str]] = field(default_factory=list)  # (label, site path)
    detail: bool = False  # year and 主管部门×year pages: lists and CSV files

    @property
    def single_dept(self) -> str | None:
        return self.f.departments[0] if len(self.f.departments) == 1 else None

    @property
    def single_year(self) -> int | None:
        return self.f.years[0] if len(self.f.years) == 1 else None


def context(con: duckdb.DuckDBPyConnection, scope: Scope, csv_out: Callable[[str, bytes], None],
            bulk: Bulk | None = None) -> dict[str, Any]:
    """Everything overview.html.j2 needs; CSV files are handed to `csv_out(site_path, bytes)`.
    A 主管部门×year scope takes its headline, summary row and lists from `bulk` when given."""
    f = scope.f
    part = bulk.part(scope) if bulk is not None else None
    k = part.kpis if part is not None else reports.kpis(con, f).iloc[0]
    grades = reports.grade_counts(con, f)
    counts = dict(zip(grades["grade"], grades["n"], strict=True))
    ctx: dict[str, Any] = {
        "scope": scope, "projects": int(k["projects"]),
        "headline": [("项目数", f"{int(k['projects']):,}"), ("全年预算数（万元）", _num(k["budget"])),
                     ("全年执行数（万元）", _num(k["executed"])), ("总体执行率", _num(k["rate"], "%")),
                     ("平均总分", _num(k["mean_score"])),
                     ("未达标/扣分指标", f"{int(k['problem_indicators']):,}"), ("发现的问题", f"{int(k['findings']):,}")],
        "grades": [(g, int(counts.get(g, 0))) for g in ALL_GRADES] + [("未填", int(counts.get("未填", 0)))],
        "figures": [], "tables": [],
    }
    if not ctx["projects"]:
        return ctx
    if part is not None:  # one 主管部门, one year: its summary row, no per-year or per-主管部门 charts
        by_dept_arrow, by_dept, by_year = part.by_dept, None, None
    else:
        by_dept_arrow = db.fetch_arrow(con, reports.summary_slice(f, "department"))
        by_dept = by_dept_arrow.to_pandas()
        years = reports.years_present(con, f)
        by_year = db.fetch(con, reports.summary_slice(f, "year")) if len(years) > 1 else None
    figs = [charts.grade_donut(grades), charts.score_histogram(reports.score_bins(con, f)),
            charts.rate_histogram(reports.rate_bins(con, f))]
    if scope.single_dept is None:
        figs.append(charts.department_budget(by_dept.head(CHART_DEPARTMENTS)))
    if by_year is not None:
        figs.append(charts.year_comparison(by_year))
    ctx["figures"] = [figure_json(fig) for fig in figs]
    summary_cols = ["projects", "budget", "executed", "rate", "mean_score", "min_score", "problem_indicators",
                    "findings"]
    if by_year is not None:
        ctx["tables"].append(("各年度", table(by_year, ["year", *summary_cols],
                                             {"year": lambda r: year_link(scope, int(r["year"]))})))
    if scope.single_dept is None:
        ctx["tables"].append(("各主管部门（按执行率从低到高）", table(
            by_dept, ["department", *summary_cols], {"department": lambda r: dept_link(scope, r["department"])})))
    if scope.detail:
        _csv(scope, "各主管部门汇总", by_dept_arrow, csv_out)
        ctx["tables"] += _lists(con, scope, csv_out, part)
    return ctx


LISTS = (  # (heading, CSV name, slice, columns shown on the page)
    ("未达标或扣分的指标（扣分最多的在前）", "未达标指标", lambda f: indicators.problem_slice(f),
     ["project_name", "level1", "level2", "name", "target", "actual", "weight", "score", "lost", "met", "deviation"]),
    ("发现的问题", "问题清单", lambda f: indicators.findings_slice(f), ["project_name", "code_label", "severity", "message"]),
    ("项目（按执行率从低到高）", "项目", lambda f: reports.projects_slice(f),
     ["project_name", "year", "rate", "budget", "executed", "total_score", "grade", "department", "implementing_unit"]),
)


def _lists(con: duckdb.DuckDBPyConnection, scope: Scope, csv_out: Callable[[str, bytes], None],
           part: Part | None) -> list[tuple[str, Table]]:
    """Each list's whole slice goes to its CSV; the page shows its first SHOWN_ROWS rows."""
    project = {"project_name": lambda r: paths.rel(scope.path, paths.project_page(r["year"], r["report_id"]))}
    out = []
    for heading, what, make, columns in LISTS:
        data = part.lists[what] if part is not None else db.fetch_arrow(con, make(scope.f))
        csv = _csv(scope, what, data, csv_out)
        rows = arrow_rows(data.slice(0, SHOWN_ROWS))
        out.append((heading, table(rows, columns, project, total=data.num_rows, csv=paths.rel(scope.path, csv),
                                   marks=_problem_mark)))
    return out


@dataclass(frozen=True, slots=True)
class Part:
    """One 主管部门×year's share of a Bulk: its headline figures, summary row and lists."""

    kpis: dict[str, Any]
    by_dept: pa.Table
    lists: dict[str, pa.Table]


@dataclass(frozen=True, slots=True)
class Bulk:
    """The 主管部门×year pages of several 主管部门 from one query per table instead of one per page.

    The same dashboard.data slices, asked once for (site years) × (these 主管部门): the per
    year×主管部门 summary gives each page's headline (the same sums as reports.kpis) and its
    one-row 主管部门 summary; each list is cut by year and 主管部门, which keeps the slice's order.
    A page costs ~10 queries of fixed planning cost otherwise, more than its rows."""

    summary: pa.Table
    lists: dict[str, pa.Table]

    @classmethod
    def fetch(cls, con: duckdb.DuckDBPyConnection, years: tuple[int, ...], departments: tuple[str, ...]) -> Bulk:
        f = Filters(years=years, departments=departments)
        return cls(db.fetch_arrow(con, reports.summary_slice(f, "year_department")),
                   {what: db.fetch_arrow(con, make(f)) for _, what, make, _ in LISTS})

    def part(self, scope: Scope) -> Part | None:
        """The scope's share, or None unless it is one 主管部门 in one year."""
        dept, year = scope.single_dept, scope.single_year
        if dept is None or year is None or scope.f.units or scope.f.grades or scope.f.kinds:
            return None
        row = _cut(self.summary, year, dept)
        if row.num_rows != 1:
            return None
        k = row.to_pylist()[0]
        k.update({n: k[n] or 0 for n in ("problem_indicators", "findings")})  # kpis' coalesce(sum(...), 0)
        return Part(k, row.drop_columns(["year"]), {what: _cut(t, year, dept) for what, t in self.lists.items()})


def _cut(table: pa.Table, year: int, department: str) -> pa.Table:
    return table.filter(pc.and_(pc.equal(table["year"], year), pc.equal(table["department"], department)))


def _csv(scope: Scope, what: str, data: pa.Table, csv_out: Callable[[str, bytes], None]) -> str:
    path = paths.csv_path(scope.path, export.file_name(what, scope.f))
    csv_out(path, export.csv_bytes(data))
    return path


def _problem_mark(row: dict[str, Any]) -> str:
    return "lost" if row.get("met") == "未达标" else ""


def year_link(scope: Scope, year: int) -> str:
    """The year's page as seen from `scope`: the 主管部门×year page when the scope has one 主管部门."""
    target = paths.dept_page(scope.single_dept, year) if scope.single_dept else paths.year_page(year)
    return paths.rel(scope.path, target)


def dept_link(scope: Scope, department: str) -> str:
    """The 主管部门's page as seen from `scope`: its page for the scope's year when there is one."""
    year = scope.single_year
    return paths.rel(scope.path, paths.dept_page(department, year))


def _num(x: object, suffix: str = "") -> str:
    return fmt_num(x, suffix=suffix)
