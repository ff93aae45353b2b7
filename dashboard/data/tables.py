"""Filter options, ingested files, and the raw tables offered on the 数据下载 page."""

from __future__ import annotations

import duckdb
import pandas as pd

from dataclasses import dataclass

from dashboard.data.base import FILTER, filter_params, with_base
from dashboard.data.db import Slice, make_params, run
from dashboard.data.indicators import CODE_LABEL, MET_LABEL, SEVERITY_LABEL, label_params
from dashboard.filters import Filters
from dashboard.labels import FILE_STATUS

UNIT_OPTIONS_LIMIT = 1000
# The file name of a stored path: screens and downloads never show the server's folders.
FILE_NAME = "regexp_extract({}, '[^/\\\\]+$')"


def filter_options(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """Years and departments present among primary copies, for the sidebar."""
    years = run(con, "SELECT DISTINCT year FROM reports WHERE duplicate_of IS NULL AND year IS NOT NULL ORDER BY 1")
    depts = run(con, "SELECT DISTINCT department FROM reports WHERE duplicate_of IS NULL AND department <> '' "
                     "ORDER BY 1")
    return {"years": [int(y) for y in years["year"]], "departments": list(depts["department"])}


_UNIT_SCOPE = """duplicate_of IS NULL AND implementing_unit <> ''
          AND (len(CAST($years AS INTEGER[])) = 0 OR list_contains(CAST($years AS INTEGER[]), year))
          AND (len(CAST($depts AS VARCHAR[])) = 0 OR list_contains(CAST($depts AS VARCHAR[]), department))"""


def unit_options(con: duckdb.DuckDBPyConnection, years: tuple[int, ...], departments: tuple[str, ...],
                 include: tuple[str, ...] = (), limit: int = UNIT_OPTIONS_LIMIT) -> list[str]:
    """实施单位 within the chosen years/departments: the first `limit` by name, plus those of
    `include` (the current selection) that exist there, so a long list stays bounded."""
    df = run(con, f"""
        (SELECT DISTINCT implementing_unit AS u FROM reports WHERE {_UNIT_SCOPE} ORDER BY 1 LIMIT $limit)
        UNION
        (SELECT DISTINCT implementing_unit FROM reports
         WHERE {_UNIT_SCOPE} AND list_contains(CAST($include AS VARCHAR[]), implementing_unit))
        ORDER BY 1""", {"years": list(years), "depts": list(departments), "include": list(include),
                        "limit": int(limit)})
    return list(df["u"])


_STATUS_LABEL = ("coalesce(list_extract(CAST($st_vals AS VARCHAR[]), "
                 "list_position(CAST($st_keys AS VARCHAR[]), status)), status)")


def _status_params() -> dict[str, list[str]]:
    return {"st_keys": list(FILE_STATUS), "st_vals": list(FILE_STATUS.values())}


def files_slice(statuses: tuple[str, ...] = ()) -> Slice:
    """Every ingested file (not narrowed by the project filters: failed files have no project),
    failures first. Paged: a page's files are picked by the sort keys alone, then labelled
    (a file name and a status label for each of 400,000 files cost ~1 s at 1,000,000 forms)."""
    where = "len(CAST($statuses AS VARCHAR[])) = 0 OR list_contains(CAST($statuses AS VARCHAR[]), status)"
    sort = "CASE status WHEN 'error' THEN 0 WHEN 'partial' THEN 1 ELSE 2 END"
    return Slice(f"""
        WITH page AS (SELECT file_id FROM files WHERE {where} ORDER BY {sort}, path LIMIT $_limit OFFSET $_offset)
        SELECT file_id, {FILE_NAME.format("path")} AS file_name, {_STATUS_LABEL} AS status, error, n_reports, kind,
               pages, warnings,
               strftime(ingested_at, '%Y-%m-%d %H:%M:%S') AS ingested_at,
               {sort} AS _sort_0, path AS _sort_1
        FROM files WHERE file_id IN (SELECT file_id FROM page)""",
                 make_params(statuses=list(statuses), **_status_params()),
                 order="_sort_0, _sort_1", count=f"SELECT count(*) FROM files WHERE {where}", paged=True)


def file_status_counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return run(con, f"SELECT status AS code, {_STATUS_LABEL} AS status, count(*) AS n, "
                    "coalesce(sum(n_reports), 0)::BIGINT AS n_reports FROM files GROUP BY ALL ORDER BY 1",
               _status_params())


def duplicate_count(con: duckdb.DuckDBPyConnection) -> int:
    return int(run(con, "SELECT count(*) AS n FROM reports WHERE duplicate_of IS NOT NULL")["n"].iloc[0])


_PROJECT = ["report_id", "year", "department", "implementing_unit", "project_name"]
LINE_ORDER = ("CASE x.line WHEN '年度资金总额' THEN 0 WHEN '当年财政拨款' THEN 1 WHEN '上年结转资金' THEN 2 "
              "WHEN '其他资金' THEN 3 ELSE 4 END")


@dataclass(frozen=True, slots=True)
class DownloadTable:
    """A raw table offered for download: column expressions (the whitelist) over `source`,
    sort keys, and for the big tables the paging shortcut: `keys` (in `key_order`) picks one
    page's keys from a mart, `key_filter` fetches only those rows. A download takes every key
    at once, reads their rows from `whole_rows` (default: `source`) and sorts in Arrow (db.Slice.whole)."""

    title: str
    source: str
    columns: dict[str, str]
    order: list[str]
    keys: str = ""
    key_order: str = ""
    key_filter: str = ""
    count: str = ""
    default_off: tuple[str, ...] = ()  # long text columns left out of the default selection
    whole_rows: str = ""


DOWNLOAD_TABLES: dict[str, DownloadTable] = {
    "reports": DownloadTable(
        "项目（报告）", "fr", {
            **{c: f"fr.{c}" for c in _PROJECT}, "form_kind": "fr.form_kind", "total_weight": "fr.total_weight", "total_score": "fr.total_score",
            "grade": "fr.grade", "initial_budget": "round(fr.initial_budget, 2)", "budget": "round(fr.budget, 2)",
            "executed": "round(fr.executed, 2)", "rate": "fr.rate", "goal_expected": "fr.goal_expected",
            "goal_actual": "fr.goal_actual", "status": "fr.status", "path": FILE_NAME.format("fr.source_path"),
            "page_start": "fr.page_start",
            "page_end": "fr.page_end"},
        ["fr.report_id"],
        keys="SELECT report_id FROM fr", key_order="report_id",
        key_filter="fr.report_id IN (SELECT report_id FROM page)",
        count="SELECT count(*) FROM fr", default_off=("goal_expected", "goal_actual"),
        # A download reads the keys' rows from the mart itself: the filter of many 主管部门 (a
        # list_contains DuckDB joins rather than pushes into the scan) would make it decode every
        # row's goal texts, whereas the keys' semi join is pushed (a Bloom filter on report_id).
        # A page reads `fr`, whose filter of one 主管部门 or year is pushed into the scan.
        whole_rows="mart_reports AS fr"),
    "funding": DownloadTable(
        "资金", "funding x JOIN fr USING (report_id)", {
            **{c: f"fr.{c}" for c in _PROJECT}, "line": "x.line", "initial_budget": "x.initial_budget",
            "full_year_budget": "x.full_year_budget", "executed": "x.executed", "execution_rate": "x.execution_rate",
            "weight": "x.weight", "score": "x.score"},
        ["fr.report_id", LINE_ORDER, "x.line"]),
    "indicators": DownloadTable(
        "绩效指标", "indicators i JOIN fr USING (report_id)", {
            **{c: f"fr.{c}" for c in _PROJECT}, "row_no": "i.row_no", "level1": "i.level1", "level2": "i.level2",
            "name": "i.name", "target": "i.target", "actual": "i.actual", "weight": "i.weight", "score": "i.score",
            "lost": "round(i.weight - i.score, 2)", "met": MET_LABEL, "deviation": "i.deviation",
            "target_op": "i.target_op", "target_value": "i.target_value", "target_unit": "i.target_unit",
            "actual_value": "i.actual_value", "actual_unit": "i.actual_unit"},
        ["fr.report_id", "i.row_no"],
        keys=f"SELECT report_id, row_no FROM mart_indicators WHERE row_no > 0 AND {FILTER}",
        key_order="report_id, row_no",
        key_filter="(i.report_id, i.row_no) IN (SELECT (report_id, row_no) FROM page)",
        count=f"SELECT count(*) FROM mart_indicators WHERE row_no > 0 AND {FILTER}"),
    "findings": DownloadTable(
        "问题清单", "findings x JOIN fr USING (report_id)", {
            **{c: f"fr.{c}" for c in _PROJECT}, "row_no": "x.row_no", "code": "x.code", "code_label": CODE_LABEL,
            "severity": SEVERITY_LABEL, "message": "x.message"},
        ["fr.report_id", "x.row_no", "x.code", "x.message"]),
}


def default_columns(table: str) -> list[str]:
    spec = DOWNLOAD_TABLES[table]
    return [c for c in spec.columns if c not in spec.default_off]


def table_slice(f: Filters, table: str, columns: list[str]) -> Slice:
    """The chosen columns of a raw table for the filtered projects; unknown names are refused."""
    spec = DOWNLOAD_TABLES[table]
    unknown = [c for c in columns if c not in spec.columns]
    if unknown or not columns:
        raise ValueError(f"unknown columns for {table}: {unknown}")
    select = ", ".join(f"{spec.columns[c]} AS {c}" for c in columns)
    hidden = "".join(f", {expr} AS _sort_{n}" for n, expr in enumerate(spec.order))
    order = ", ".join(f"_sort_{n} NULLS FIRST" for n in range(len(spec.order)))
    params = make_params(**filter_params(f), **label_params())
    if not spec.keys:
        return Slice(with_base(f"SELECT {select}{hidden} FROM {spec.source}"), params, order)
    def rows(source: str) -> str:
        return f"SELECT {select}{hidden} FROM {source} WHERE {spec.key_filter}"

    page = f"page AS ({spec.keys} ORDER BY {spec.key_order} LIMIT $_limit OFFSET $_offset)"
    return Slice(with_base(rows(spec.source), page), params, order, count=with_base(spec.count), paged=True,
                 whole=with_base(rows(spec.whole_rows or spec.source), f"page AS ({spec.keys})"),
                 whole_sort=tuple(f"_sort_{n}" for n in range(len(spec.order))))
