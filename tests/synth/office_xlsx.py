"""A department's forms as an Excel workbook (openpyxl), the way a finance clerk builds it.

One sheet per form: title and year merged across the sheet, one column grid for the
whole form (a sheet has only one), merged label and category cells, wrapped text in
columns narrow enough to force wrapping (`一级指\n标`), thin borders on every cell and
a medium frame, figures stored as numbers with an Excel number format (执行率 as a
percentage), row heights set by hand (merged cells do not auto-fit), A4 portrait
fitted to the page width, the indicator header repeated at the top of every printed
page (顶端标题行).
"""

from __future__ import annotations

import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from etl.model import Form
from tests.synth.pdf_grid import TITLE, GCell, GTable, Layout, form_tables, year_line
from tests.synth.pdf_paging import Metrics, prewrap, row_heights

AUTHOR = "财务科"
FONT = "Noto Sans CJK SC"
SIZE = 10.0  # points, table text
# Column widths in Excel character units (the width of "0" in the default font).
CHARS = (6.0, 7.0, 15.0, 11.0, 11.0, 9.0, 9.0, 9.0, 9.0, 9.0)
_CHAR_PT = 6.5  # points per character unit as Calc prints them, fitted to the page
CALC_LAYOUT = Layout(
    widths=tuple(c * _CHAR_PT for c in CHARS),
    goal_widths=tuple(c * _CHAR_PT for c in CHARS),
    ind_widths=tuple(c * _CHAR_PT for c in CHARS),
    name=((0, 2), (2, 8)),
    units=((0, 2), (2, 3), (5, 2), (7, 3)),
    funding=((0, 2), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1), (7, 1), (8, 2)),
    goals=((0, 2), (2, 3), (5, 5)),
    indicators=((0, 1), (1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1), (7, 3)),
    total=((0, 5), (5, 1), (6, 1)),
    grade=((0, 2), (2, 8)),
)
NUMBER_FORMAT = "0.00"
PERCENT_FORMAT = "0.00%"
_NUMBER = re.compile(r"^-?\d+\.\d\d$")  # how the layout prints a figure (two decimals)
_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_MEDIUM = Side(style="medium", color="000000")
_LEADING = SIZE * 1.5  # Noto CJK's line box is ~1.45 em
_HEAD_ROWS = 2  # title and year line above the table


def _text_width(text: str) -> float:
    """Rough advance widths: ideographs and full-width forms one em, the rest ~0.6 em."""
    return sum(SIZE if ord(ch) > 0x2E7F else SIZE * 0.6 for ch in text)


METRICS = Metrics(_text_width, _LEADING, 8.0, 6.0)


def _sheet_title(index: int, form: Form) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "", form.project_name)
    return f"{index}.{name}"[:31]


def _put(ws: Worksheet, row: int, cell: GCell, percent: bool = False) -> None:
    """One grid cell: value (a figure as a number, a rate as a fraction shown as a
    percentage), style, merge, and borders on every covered cell."""
    col = cell.col + 1
    target = ws.cell(row=row, column=col)
    if _NUMBER.match(cell.text):
        target.value = float(cell.text) / 100 if percent else float(cell.text)
        target.number_format = PERCENT_FORMAT if percent else NUMBER_FORMAT
    elif cell.text:
        target.value = cell.text
        target.data_type = "s"  # `=1.00(个)` is text, not a formula: typed with a leading '
        target.quotePrefix = cell.text.startswith("=")
    target.alignment = Alignment(horizontal=cell.align, vertical="center", wrap_text=True)
    target.font = Font(name=FONT, size=SIZE)
    last_row, last_col = row + cell.rowspan - 1, col + cell.colspan - 1
    for r in range(row, last_row + 1):
        for c in range(col, last_col + 1):
            ws.cell(row=r, column=c).border = _BOX
    if (last_row, last_col) != (row, col):
        ws.merge_cells(start_row=row, start_column=col, end_row=last_row, end_column=last_col)


def _heading(ws: Worksheet, row: int, text: str, size: float, bold: bool) -> None:
    ws.cell(row=row, column=1, value=text).font = Font(name=FONT, size=size, bold=bold)
    ws.cell(row=row, column=1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(CHARS))
    ws.row_dimensions[row].height = size * 2


def _table(ws: Worksheet, table: GTable, first_row: int) -> int:
    """Write the table from `first_row`; row heights as a clerk sets them (merged cells
    do not auto-fit in Excel or Calc). Returns the last row written."""
    heights = row_heights(prewrap(table, METRICS), METRICS)
    rate_col = CALC_LAYOUT.funding[6][0]  # 执行率
    for r, (grow, height) in enumerate(zip(table.rows, heights)):
        for cell in grow.cells:
            _put(ws, first_row + r, cell, percent=grow.kind == "funding" and cell.col == rate_col)
        ws.row_dimensions[first_row + r].height = round(height, 1)
    return first_row + len(table.rows) - 1


def _frame(ws: Worksheet, first: int, last: int) -> None:
    """A medium rule around the whole table (外粗内细), over the thin cell borders."""
    ncols = len(CHARS)
    for r in range(first, last + 1):
        for c in range(1, ncols + 1):
            sides = {"left": c == 1, "right": c == ncols, "top": r == first, "bottom": r == last}
            if any(sides.values()):
                old = ws.cell(row=r, column=c).border
                ws.cell(row=r, column=c).border = Border(**{s: _MEDIUM if on else getattr(old, s)
                                                           for s, on in sides.items()})


def form_sheet(ws: Worksheet, form: Form) -> None:
    for i, chars in enumerate(CHARS):
        ws.column_dimensions[chr(ord("A") + i)].width = chars
    _heading(ws, 1, TITLE, 16, True)
    _heading(ws, 2, year_line(form, CALC_LAYOUT), 11, False)
    last = _HEAD_ROWS
    for table in form_tables(form, CALC_LAYOUT):
        header = next((r for r, row in enumerate(table.rows) if row.kind == "ind_header"), None)
        if header is not None:
            ws.print_title_rows = f"{last + 1 + header}:{last + 1 + header}"
        last = _table(ws, table, last + 1)
    _frame(ws, _HEAD_ROWS + 1, last)
    ws.print_area = f"A1:{chr(ord('A') + len(CHARS) - 1)}{last}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6


def workbook(forms: list[Form]) -> Workbook:
    wb = Workbook()
    wb.properties.creator = wb.properties.lastModifiedBy = AUTHOR
    wb.remove(wb.active)
    for i, form in enumerate(forms, start=1):
        form_sheet(wb.create_sheet(_sheet_title(i, form)), form)
    return wb
