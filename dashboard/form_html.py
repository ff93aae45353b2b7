"""HTML for the 项目详情 page: the indicator table laid out like the printed form (merged
一级/二级指标 cells, lost points highlighted) and a grid of the form's original cells.
Pure functions, every text escaped; no Streamlit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

import pandas as pd

Rows = pd.DataFrame | Sequence[Mapping[str, Any]]  # a frame, or its rows as dicts (the static site's batches)

STYLE = """<style>
.jx-form{border-collapse:collapse;width:100%;font-size:14px;line-height:1.45}
.jx-form th,.jx-form td{border:1px solid #9aa5b1;padding:4px 6px;vertical-align:middle}
.jx-form th{background:#eef2f6;font-weight:600;text-align:center;white-space:nowrap}
.jx-form td.num{text-align:right;white-space:nowrap}
.jx-form td.cat{text-align:center;background:#fafbfc;min-width:5.5em}
.jx-form tr.lost td:not(.cat){background:#fdecea}
.jx-form td.bad{color:#b71c1c;font-weight:600}
.jx-form tr.total td{background:#eef2f6;font-weight:600}
.jx-legend{font-size:12px;color:#555;margin:4px 0 8px}
.jx-legend span{display:inline-block;width:12px;height:12px;background:#fdecea;border:1px solid #e57373;
  vertical-align:-2px;margin-right:4px}
.jx-cells{border-collapse:collapse;font-size:13px}
.jx-cells td{border:1px solid #c5ccd3;padding:2px 5px;white-space:pre-wrap}
</style>"""

HEADERS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    return escape(str(value)).replace("\n", "<br>")


def _num(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    return f"{float(value):g}"


def spans(keys: list[tuple[str, ...]]) -> list[int]:
    """Rowspan per row for a merged column: the run length at a run's first row, 0 inside a run."""
    out = [0] * len(keys)
    i = 0
    while i < len(keys):
        j = i
        while j + 1 < len(keys) and keys[j + 1] == keys[i]:
            j += 1
        out[i] = j - i + 1
        i = j + 1
    return out


def lost_points(row: Mapping[str, Any]) -> bool:
    w, s = row.get("weight"), row.get("score")
    return bool(pd.notna(w) and pd.notna(s) and float(s) < float(w) - 0.005)


def is_lost(row: Mapping[str, Any]) -> bool:
    """Lost points or missed the target: the rows the page and the PDF marks highlight."""
    return lost_points(row) or row.get("met") == "未达标"


def records(rows: Rows) -> list[Mapping[str, Any]]:
    return rows.to_dict("records") if isinstance(rows, pd.DataFrame) else list(rows)


def _key(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def indicator_table(ind: Rows, total_weight: object = None, total_score: object = None,
                    grade: str = "") -> str:
    """The indicator rows (data.project.indicators) as the printed table, with a 总分 row."""
    recs = records(ind)  # dicts, not iterrows: the static site renders this for every form
    l1 = [(_key(r["level1"]),) for r in recs]
    l2 = [(_key(r["level1"]), _key(r["level2"])) for r in recs]
    span1, span2 = spans(l1), spans(l2)
    rows = []
    for n, r in enumerate(recs):
        cells = []
        if span1[n]:
            cells.append(f'<td class="cat" rowspan="{span1[n]}">{_text(r["level1"])}</td>')
        if span2[n]:
            cells.append(f'<td class="cat" rowspan="{span2[n]}">{_text(r["level2"])}</td>')
        missed = r.get("met") == "未达标"
        cells += [f"<td>{_text(r['name'])}</td>", f"<td>{_text(r['target'])}</td>",
                  f'<td class="{"bad" if missed else ""}">{_text(r["actual"])}</td>',
                  f'<td class="num">{_num(r["weight"])}</td>',
                  f'<td class="num{" bad" if lost_points(r) else ""}">{_num(r["score"])}</td>',
                  f"<td>{_text(r['deviation'])}</td>"]
        rows.append(f'<tr class="{"lost" if is_lost(r) else ""}" title="第{_text(r["row_no"])}行">{"".join(cells)}</tr>')
    rows.append(f'<tr class="total"><td colspan="5">总分</td><td class="num">{_num(total_weight)}</td>'
                f'<td class="num">{_num(total_score)}</td><td>评分等级：{_text(grade)}</td></tr>')
    head = "".join(f"<th>{h}</th>" for h in HEADERS)
    legend = '<div class="jx-legend"><span></span>扣分或未达到年度指标值的行（红字为未达标的实际值或扣分的得分）</div>'
    return f'{STYLE}{legend}<table class="jx-form"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _span(value: object) -> int:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return 1
    return max(1, int(value))


def cell_grid(cells: Rows, max_rows: int = 400) -> str:
    """The form's original cells (data.project.cells) as a grid, one table row per source row.

    Where the cells carry `rowspan`/`colspan` (sheets, web pages, Word tables) merged cells
    are drawn merged and the positions they cover are left out; `ref` (`Sheet1!C12`,
    `表2 第5行 第3列`) becomes the cell's tooltip."""
    grid: dict[tuple[int, int], dict[int, Mapping[str, Any]]] = {}
    for c in records(cells):
        if _key(c["page"]) and _key(c["row"]):
            grid.setdefault((int(c["page"]), int(c["row"])), {})[int(c["col"])] = c
    if not grid:
        return ""
    covered: set[tuple[int, int, int]] = set()  # (page, row, col) inside a merged cell
    rows = []
    for page, row in sorted(grid)[:max_rows]:
        by_col = grid[(page, row)]
        tds = []
        for i in range(max(by_col) + 1):
            if (page, row, i) in covered:
                continue
            cell = by_col.get(i)
            if cell is None:
                tds.append("<td></td>")
                continue
            rs, cs = _span(cell.get("rowspan")), _span(cell.get("colspan"))
            covered.update((page, row + dr, i + dc) for dr in range(rs) for dc in range(cs) if dr or dc)
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            ref = cell.get("ref")
            if isinstance(ref, str) and ref:
                attrs += f' title="{escape(ref)}"'
            tds.append(f"<td{attrs}>{_text(cell['text'])}</td>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return f'{STYLE}<table class="jx-cells"><tbody>{"".join(rows)}</tbody></table>'
