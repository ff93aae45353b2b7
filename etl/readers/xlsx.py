"""Excel workbooks -> Document: `.xlsx` with openpyxl, `.xls` (Excel 97-2003) with xlrd.

Every visible sheet is read as printed on screen: merged ranges become one cell with
its spans, numbers are shown with their number format (0.9191 formatted `0.00%` reads
`91.91%`, `0.00` keeps two decimals), hidden rows, columns and sheets are left out,
formulas give their cached values. A sheet may hold several forms one below the other.
Cells carry `Sheet1!C12` as their `ref`; `page` is the sheet's number.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from typing import Any

from etl.model import Document
from etl.readers import UnreadableFile
from etl.readers.grid import Grid, append_grid

CORRUPT = "Excel文件损坏或格式不对，无法读取"
ENCRYPTED = "Excel文件已加密，无法读取"
_DECIMALS = re.compile(r"0\.(0+)")
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]')


def show_number(value: float, number_format: str) -> str:
    """A number as Excel displays it under `number_format` (the common formats only)."""
    fmt = _QUOTED.sub("", (number_format or "General").split(";")[0])
    if fmt.lower() == "general" or not any(ch in fmt for ch in "0#"):
        text = f"{value:.10g}"
        return text if "e" not in text else f"{value:f}".rstrip("0").rstrip(".")
    match = _DECIMALS.search(fmt)
    decimals = len(match.group(1)) if match else 0
    percent = "%" in fmt
    shown = value * 100 if percent else value
    text = f"{shown:,.{decimals}f}" if "," in fmt else f"{shown:.{decimals}f}"
    return text + ("%" if percent else "")


def show(value: Any, number_format: str = "General") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return show_number(float(value), number_format)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def read_xlsx(path: str) -> Document:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise UnreadableFile(ENCRYPTED if _is_ole(path) else CORRUPT) from exc
    doc = Document(path=path, kind="xlsx", pages=len(wb.worksheets))
    hidden, uncached = [], []
    formulas = load_workbook(path) if _has_formulas(path) else None
    for number, ws in enumerate(wb.worksheets, start=1):
        if ws.sheet_state != "visible":
            hidden.append(ws.title)
            continue
        grid = _sheet_grid(ws, number)
        if formulas is not None:
            uncached += _formula_texts(grid, formulas[ws.title])
        append_grid(doc, grid)
    if hidden:
        doc.warnings.append(f"隐藏的工作表未读取：{'、'.join(hidden)}")
    if uncached:
        doc.warnings.append(f"公式没有计算结果（文件未经Excel保存），按公式原文读取：{'、'.join(uncached[:10])}")
    return doc


def _has_formulas(path: str) -> bool:
    """Any formula in the sheets' XML (then a second, formula-text load finds those
    without a cached value, which openpyxl reports as empty)."""
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = zf.read(name)
                if b"<f>" in xml or b"<f " in xml:
                    return True
    return False


def _formula_texts(grid: Grid, ws: Any) -> list[str]:
    """Fill cells whose formula has no cached value with the formula text; their refs."""
    out = []
    for row in ws.iter_rows():
        for c in row:
            pos = (c.row - 1, c.column - 1)
            if isinstance(c.value, str) and c.value.startswith("=") and pos not in grid.texts:
                grid.texts[pos] = c.value
                out.append(grid.ref(*pos))
    return out


def _is_ole(path: str) -> bool:
    """An encrypted .xlsx is an OLE compound file, not a zip."""
    with open(path, "rb") as fh:
        return fh.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _sheet_grid(ws: Any, number: int) -> Grid:
    from openpyxl.utils import column_index_from_string, get_column_letter

    title = ws.title
    grid = Grid(number, lambda r, c: f"{title}!{get_column_letter(c + 1)}{r + 1}")
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                grid.texts[cell.row - 1, cell.column - 1] = show(cell.value, cell.number_format)
    for rng in ws.merged_cells.ranges:
        grid.spans[rng.min_row - 1, rng.min_col - 1] = (rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1)
    grid.hidden_rows = {r - 1 for r, dim in ws.row_dimensions.items() if dim.hidden}
    for key, dim in ws.column_dimensions.items():
        if dim.hidden:
            first = dim.min or column_index_from_string(key)
            grid.hidden_cols |= set(range(first - 1, (dim.max or first)))
    return grid


def read_xls(path: str) -> Document:
    import xlrd

    try:
        book = xlrd.open_workbook(path, formatting_info=True)
    except xlrd.biffh.XLRDError as exc:
        raise UnreadableFile(ENCRYPTED if "encrypt" in str(exc).lower() else CORRUPT) from exc
    except (OSError, ValueError, AssertionError, IndexError) as exc:
        raise UnreadableFile(CORRUPT) from exc
    doc = Document(path=path, kind="xls", pages=book.nsheets)
    for number, sheet in enumerate(book.sheets(), start=1):
        if sheet.visibility == 0:
            append_grid(doc, _xls_grid(book, sheet, number))
    return doc


def _xls_grid(book: Any, sheet: Any, number: int) -> Grid:
    import xlrd
    from openpyxl.utils import get_column_letter

    title = sheet.name
    grid = Grid(number, lambda r, c: f"{title}!{get_column_letter(c + 1)}{r + 1}")
    for r in range(sheet.nrows):
        for c in range(sheet.ncols):
            cell = sheet.cell(r, c)
            if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                continue
            fmt = book.format_map.get(book.xf_list[cell.xf_index].format_key)
            value: Any = cell.value
            if cell.ctype == xlrd.XL_CELL_DATE:
                value = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                value = bool(cell.value)
            elif cell.ctype == xlrd.XL_CELL_ERROR:
                value = xlrd.error_text_from_code.get(cell.value, "#错误")
            grid.texts[r, c] = show(value, fmt.format_str if fmt else "General")
    for r0, r1, c0, c1 in sheet.merged_cells:
        grid.spans[r0, c0] = (r1 - r0, c1 - c0)
    grid.hidden_rows = {r for r, info in sheet.rowinfo_map.items() if info.hidden}
    grid.hidden_cols = {c for c, info in sheet.colinfo_map.items() if info.hidden}
    return grid
