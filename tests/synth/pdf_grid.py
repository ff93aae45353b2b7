"""A form as printed: the logical table grid both PDF generators draw.

A `Layout` says where each part of the form sits on a column grid (which column a
label starts in and how many columns it spans), how numbers are printed and how the
labels read. `form_tables` turns a `Form` into `GTable`s of `GCell`s with col/row spans;
the generators only decide geometry (page, fonts, where rows break).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from etl.model import Form, FundingLine, Indicator
from etl.normalize import fold_radicals

Align = Literal["left", "center", "right"]
Slot = tuple[int, int]  # (first column, number of columns)

TITLE = "财政项目支出绩效自评表"
IND_HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
FUNDING_HEADER = ("年初预算数", "全年预算数", "全年执行数", "分数", "执行率", "得分")
FUNDING_VALUE_FIELDS = ("initial_budget", "full_year_budget", "executed", "weight", "execution_rate", "score")


@dataclass(slots=True)
class GCell:
    text: str
    col: int
    colspan: int = 1
    rowspan: int = 1
    align: Align = "left"


@dataclass(slots=True)
class GRow:
    cells: list[GCell]
    kind: str  # info | funding | goal | ind_header | indicator | total


@dataclass(slots=True)
class GTable:
    widths: list[float]  # column widths in points
    rows: list[GRow] = field(default_factory=list)
    repeat_header: bool = False  # re-draw rows[0] at the top of every continuation page


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the parts of a form sit on the column grids, and how text is printed.

    Each section (info + funding, goals, indicators + totals) has a grid of column
    widths in points; consecutive sections with the same grid form one table.
    """

    widths: tuple[float, ...]  # grid of the info and funding rows
    goal_widths: tuple[float, ...]  # grid of the goal rows
    ind_widths: tuple[float, ...]  # grid of the indicator, total and grade rows
    name: tuple[Slot, Slot]  # 项目名称 label, value
    units: tuple[Slot, Slot, Slot, Slot]  # 主管部门 label, value, 实施单位 label, value
    funding: tuple[Slot, ...]  # block label, line label, six value columns
    goals: tuple[Slot, Slot, Slot]  # block label, 预期目标, 实际完成情况
    indicators: tuple[Slot, ...]  # the eight indicator columns
    total: tuple[Slot, Slot, Slot]  # 总分 label, total weight, total score
    grade: tuple[Slot, Slot]  # 评分等级 label, grade
    two_decimals: bool = True  # False: shortest form (10, 3.2, 0)
    year_line: str = "（{year}年度）"
    rate_header: str = "执行率(%)"
    funding_labels: tuple[str, ...] = ("年度资金总额：", "其中：当年财政拨款", "上年结转资金", "其他资金")
    block_label: str = "项目资金（万元）"
    repeat_ind_header: bool = False


def fmt_number(value: float | None, two_decimals: bool) -> str:
    if value is None:
        return "-"
    text = f"{value:.2f}"
    return text if two_decimals else text.rstrip("0").rstrip(".")


def _cell(text: str, slot: Slot, align: Align = "left", rowspan: int = 1) -> GCell:
    return GCell(text, slot[0], slot[1], rowspan, align)


def _info_rows(form: Form, lay: Layout) -> list[GRow]:
    name = GRow([_cell("项目名称", lay.name[0], "center"), _cell(form.project_name, lay.name[1])], "info")
    labels = ("主管部门", form.department, "实施单位", form.implementing_unit)
    units = GRow([_cell(t, s, "center" if i % 2 == 0 else "left") for i, (t, s) in enumerate(zip(labels, lay.units))],
                 "info")
    return [name, units]


def _funding_rows(form: Form, lay: Layout) -> list[GRow]:
    block, line_slot, values = lay.funding[0], lay.funding[1], lay.funding[2:]
    headers = list(FUNDING_HEADER[:4]) + [lay.rate_header, FUNDING_HEADER[5]]
    head = [_cell(lay.block_label, block, "center", rowspan=5), _cell("", line_slot)]
    head += [_cell(h, s, "center") for h, s in zip(headers, values)]
    rows = [GRow(head, "funding")]
    lines = {f.line: f for f in form.funding}
    for label, key in zip(lay.funding_labels, ("年度资金总额", "当年财政拨款", "上年结转资金", "其他资金")):
        fl = lines.get(key) or FundingLine(line=key)
        nums = [fmt_number(getattr(fl, f), lay.two_decimals) for f in FUNDING_VALUE_FIELDS]
        rows.append(GRow([_cell(label, line_slot)] + [_cell(n, s, "right") for n, s in zip(nums, values)], "funding"))
    return rows


def _goal_rows(form: Form, lay: Layout) -> list[GRow]:
    block, exp, act = lay.goals
    head = GRow([_cell("年度总体目标", block, "center", rowspan=2), _cell("预期目标", exp, "center"),
                 _cell("实际完成情况", act, "center")], "goal")
    return [head, GRow([_cell(form.goal_expected, exp), _cell(form.goal_actual, act)], "goal")]


def _runs(keys: list[tuple[str, ...]]) -> list[int]:
    """For each row, the length of the run of equal keys starting there (0 inside a run)."""
    out = [0] * len(keys)
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            out[start] = i - start
            start = i
    return out


def _indicator_rows(inds: list[Indicator], lay: Layout) -> list[GRow]:
    s = lay.indicators
    rows = [GRow([_cell(h, slot, "center") for h, slot in zip(IND_HEADER, s)], "ind_header")]
    run1 = _runs([(i.level1,) for i in inds])
    run2 = _runs([(i.level1, i.level2) for i in inds])
    for k, ind in enumerate(inds):
        cells = []
        if run1[k]:
            cells.append(_cell(ind.level1, s[0], "center", rowspan=run1[k]))
        if run2[k]:
            cells.append(_cell(ind.level2, s[1], "center", rowspan=run2[k]))
        cells += [_cell(ind.name, s[2]), _cell(ind.target, s[3], "center"), _cell(ind.actual, s[4], "center"),
                  _cell(fmt_number(ind.weight, lay.two_decimals), s[5], "right"),
                  _cell(fmt_number(ind.score, lay.two_decimals), s[6], "right"), _cell(ind.deviation, s[7])]
        rows.append(GRow(cells, "indicator"))
    return rows


def _total_rows(form: Form, lay: Layout) -> list[GRow]:
    label, weight, score = lay.total
    total = GRow([_cell("总分", label, "center"), _cell(fmt_number(form.total_weight, lay.two_decimals), weight, "right"),
                  _cell(fmt_number(form.total_score, lay.two_decimals), score, "right")], "total")
    grade = GRow([_cell("评分等级", lay.grade[0], "center"), _cell(form.grade, lay.grade[1], "center")], "total")
    return [total, grade]


def _fill_gaps(rows: list[GRow], ncols: int) -> list[GRow]:
    """Give every grid position a cell: runs of uncovered columns become one empty cell."""
    busy_until = [0] * ncols  # row index up to which a row span covers the column
    for r, row in enumerate(rows):
        taken = [busy_until[c] > r for c in range(ncols)]
        for cell in row.cells:
            for c in range(cell.col, cell.col + cell.colspan):
                taken[c] = True
                busy_until[c] = r + cell.rowspan
        c = 0
        while c < ncols:
            if taken[c]:
                c += 1
                continue
            end = c
            while end < ncols and not taken[end]:
                end += 1
            row.cells.append(GCell("", c, end - c))
            c = end
        row.cells.sort(key=lambda cell: cell.col)
    return rows


def form_tables(form: Form, lay: Layout) -> list[GTable]:
    """The form's ruled tables in printed order; sections sharing a grid share a table."""
    sections = [(lay.widths, _info_rows(form, lay) + _funding_rows(form, lay)),
                (lay.goal_widths, _goal_rows(form, lay)),
                (lay.ind_widths, _indicator_rows(form.indicators, lay) + _total_rows(form, lay))]
    tables: list[GTable] = []
    for widths, rows in sections:
        if tables and tuple(tables[-1].widths) == widths:
            tables[-1].rows += rows
        else:
            tables.append(GTable(list(widths), rows))
    for t in tables:
        t.rows = _fill_gaps(t.rows, len(t.widths))
    tables[-1].repeat_header = lay.repeat_ind_header and tables[-1].rows[0].kind == "ind_header"
    return tables


def year_line(form: Form, lay: Layout) -> str:
    return lay.year_line.format(year=form.year if form.year is not None else "")


def _lookalike_map() -> dict[str, str]:
    out: dict[str, str] = {}
    for code in list(range(0x2F00, 0x2FD6)) + list(range(0x2E80, 0x2EF4)):
        ch = chr(code)
        plain = fold_radicals(ch)
        if plain != ch:
            out.setdefault(plain, ch)
    return out


LOOKALIKES = str.maketrans(_lookalike_map())


def wps_text(text: str) -> str:
    """Text as a WPS export prints it: ideographs that have a radical twin use the radical (目 -> ⽬)."""
    return text.translate(LOOKALIKES)
