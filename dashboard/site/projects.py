"""Project pages, a page of projects at a time: each dashboard.data.project query runs once per
batch of ids (not once per project), then every project gets its page, its original page
images (dashboard.original) and its entry in the search index."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
from markupsafe import Markup

from dashboard import form_html, original
from dashboard.data import db, project
from dashboard.data.db import Slice
from dashboard.labels import fmt_num
from dashboard.site import paths
from dashboard.site.render import Table, table, text

BATCH = 1000  # projects per query round: each query reads its whole table once a round (~0.1 s at
# 100,000 forms), so larger rounds cost less per form; memory stays bounded by one round


@dataclass(frozen=True, slots=True)
class Options:
    db_file: Path
    images: bool = True
    years: tuple[int, ...] = ()  # the site's years (empty: all): other years outside it get no link


def batches(con: duckdb.DuckDBPyConnection, where: str, params: dict[str, Any], size: int = BATCH):
    """Primary project ids in the site, in report_id order, a page at a time (keyset paging)."""
    after = -1
    while True:
        ids = [int(i) for i in db.run(con, f"SELECT report_id FROM mart_reports WHERE {where} AND report_id > $after "
                                           "ORDER BY report_id LIMIT $size", params | {"after": after, "size": size})
               ["report_id"]]
        if not ids:
            return
        yield ids
        after = ids[-1]


def pages(con: duckdb.DuckDBPyConnection, ids: list[int], opts: Options,
          out: Callable[[str, bytes], None]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(site path, template context) per project of `ids`, one at a time (a round's contexts would
    hold ~0.1 MB a form); page images are written through `out`."""
    rep = _by_project(con, project.report_slice(ids))
    parts = {name: _by_project(con, s(ids)) for name, s in (
        ("funding", project.funding_slice), ("indicators", project.indicators_with_positions),
        ("findings", project.findings_slice), ("other", project.other_years_slice), ("copies", project.copies_slice))}
    sources = {rid: _source(rows[0], opts) for rid, rows in rep.items()}
    # The original cells only for forms whose file is here: to place the marks, or to show a text form's grid.
    cells = _by_project(con, project.cells_slice([i for i, s in sources.items() if s])) \
        if any(sources.values()) else {}
    for rid in ids:
        if rid not in rep:
            continue
        r = rep.pop(rid)[0]  # each project's rows are let go once its page is made
        got = {name: rows.pop(rid, []) for name, rows in parts.items()}
        path = paths.project_page(r["year"], rid)
        ctx = _context(path, r, got, opts, out)
        ctx.update(_original(path, r, got["indicators"], cells.pop(rid, []), sources[rid], opts, out))
        yield path, ctx


def _by_project(con: duckdb.DuckDBPyConnection, s: Slice) -> dict[int, list[dict[str, Any]]]:
    """project.by_project read through Arrow: half the CPU of DB-API rows (the same values:
    ints, floats, str, Decimal, None)."""
    owner = "jx_owner"  # _owner itself is an internal column that fetch_arrow drops
    table = db.fetch_arrow(con, Slice(f"SELECT _owner AS {owner}, * FROM ({s.sql}) AS o", s.params,
                                      order=f"{owner}, {s.order}"))
    out: dict[int, list[dict[str, Any]]] = {}
    for row in table.to_pylist():
        out.setdefault(int(row.pop(owner)), []).append(row)
    return out


def _source(r: dict[str, Any], opts: Options) -> Path | None:
    return _resolve(r.get("path"), opts.db_file) if opts.images else None


@lru_cache(maxsize=4096)
def _resolve(path: str | None, db_file: Path) -> Path | None:
    return original.resolve_source(path, db_file)  # several forms share a file


def _context(path: str, r: dict[str, Any], got: dict[str, list[dict[str, Any]]], opts: Options,
             out: Callable[[str, bytes], None]) -> dict[str, Any]:
    ind, funding = got["indicators"], got["funding"]
    t = next((line for line in funding if line["line"] == "年度资金总额"), {})
    rate = (100 * t["executed"] / t["full_year_budget"]
            if t.get("executed") is not None and t.get("full_year_budget") else None)
    return {
        "r": r, "path": path, "source_name": Path(str(r.get("path") or "")).name,
        "headline": [("总分", f"{fmt_num(r['total_score'])} / {fmt_num(r['total_weight'])}"),
                     ("评分等级", text(r["grade"]) or "—"), ("全年预算数（万元）", fmt_num(t.get("full_year_budget"))),
                     ("全年执行数（万元）", fmt_num(t.get("executed"))), ("执行率", fmt_num(rate, suffix="%"))],
        "printed_rate": fmt_num(t.get("execution_rate"), suffix="%"),
        "funding": table(funding, ["line", "initial_budget", "full_year_budget", "executed", "weight",
                                   "execution_rate", "score"]) if funding else None,
        "form": Markup(form_html.indicator_table(ind, r["total_weight"], r["total_score"], r["grade"]))
        if ind else None,
        "findings": table(got["findings"], ["code_label", "severity", "message", "row_no"]),
        "other": _other_years(path, got["other"], opts),
        "copies": [(Path(str(c["path"])).name, int(c["form_index"]), bool(c["same_content"])) for c in got["copies"]],
    }


def _other_years(path: str, other: list[dict[str, Any]], opts: Options) -> Table:
    def link(row: dict[str, Any]) -> str:
        inside = not opts.years or int(row["year"]) in opts.years
        return paths.rel(path, paths.project_page(row["year"], row["report_id"])) if inside else ""

    return table(other, ["year", "project_name", "implementing_unit", "budget", "executed", "rate", "total_score",
                         "grade"], {"year": link, "project_name": link})


def _original(path: str, r: dict[str, Any], ind: list[dict[str, Any]], cells: list[dict[str, Any]],
              source: Path | None, opts: Options, out: Callable[[str, bytes], None]) -> dict[str, Any]:
    """images: (src, caption) per page image written; else cell_grid: the stored cells; and a note."""
    images: list[tuple[str, str]] = []
    if source is not None and r.get("kind") == "pdf":
        try:
            images = _render(path, r, ind, cells, source, out)
            note = "蓝框为指标行，红底为扣分或未达标的行；同页的其他表格已淡化。"
        except Exception as exc:  # noqa: BLE001 - a damaged PDF must not break the build
            note = f"无法显示原始 PDF（{type(exc).__name__}）。"
    elif not opts.images:
        note = "本站点生成时未包含原始页面图像（--no-images）。"
    elif source is None:
        note = "生成站点时找不到原始文件。"
    else:  # a sheet, web page, Word or text file: its stored cells, merged as in the source
        note = original.source_note(str(r.get("kind") or "")) or "这张表来自非 PDF 文件，没有可显示的版面。"
    grid = Markup(form_html.cell_grid(cells)) if cells and not images else None
    if grid and "下面" not in note:
        note += "下面是入库时保存的表格文字。"
    return {"images": images, "cell_grid": grid, "original_note": note}


def _render(path: str, r: dict[str, Any], ind: list[dict[str, Any]], cells: list[dict[str, Any]], source: Path,
            out: Callable[[str, bytes], None]) -> list[tuple[str, str]]:
    marks = tuple(original.marks_for(ind))
    images = []
    for page in original.page_range(r["page_start"], r["page_end"], original.page_count(source)):
        x_range, band = original.extent(cells, page)
        png = original.render_page(source, page, marks, x_range, band)
        target = paths.project_image(r["year"], r["report_id"], page)
        out(target, png)
        images.append((paths.rel(path, target), f"{source.name} 第 {page} 页"))
    return images


def search_entry(path: str, r: dict[str, Any]) -> list[Any]:
    """[href from the site root, 项目名称, 年度, 主管部门, 实施单位, 总分, 评分等级]: the search page's row."""
    score = r.get("total_score")
    return [path, text(r["project_name"]), text(r["year"]), text(r["department"]), text(r["implementing_unit"]),
            None if score is None else float(score), text(r["grade"])]
