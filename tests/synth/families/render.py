"""The two producers of a family's forms: ReportLab (PDF drawn directly) and an Excel
workbook (openpyxl) printed to PDF by LibreOffice, as a county finance office does."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from etl.model import Form
from tests.synth.families.grid import Sheet, family_sheet
from tests.synth.families.spec import FamilySpec
from tests.synth.office import convert
from tests.synth.office_xlsx import FONT, METRICS, _put
from tests.synth.pdf_paging import prewrap, row_heights
from tests.synth.pdf_reportlab import FormTable, _para_style, check_font_coverage, metrics, register_font

_CHAR_PT = 6.5  # points per Excel character unit, as Calc prints them


def render_reportlab(forms: list[Form], spec: FamilySpec, path: Path) -> Path:
    check_font_coverage(forms)
    size = landscape(A4) if spec.landscape else A4
    doc = SimpleDocTemplate(str(path), pagesize=size, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
                            bottomMargin=12 * mm, invariant=1, title=spec.title, author="jixiao synth")
    font = register_font("sans")
    story: list[Flowable] = []
    for form in forms:
        sheet = family_sheet(form, spec)
        story += [Paragraph(escape(sheet.above[0]), _para_style(font, 16, "center")), Spacer(1, 2 * mm)]
        story += [Paragraph(escape(t), _para_style(font, 10, "center")) for t in sheet.above[1:]]
        story += [Spacer(1, 3 * mm), FormTable(prewrap(sheet.table, metrics(font)), font, doc.height - 12)]
        story += [Paragraph(escape(t), _para_style(font, 10, "left")) for t in sheet.below]
        story.append(Spacer(1, 12 * mm))
    doc.build(story)
    return path


def _line(ws, row: int, text: str, ncols: int, size: float, align: str = "center") -> None:
    ws.cell(row=row, column=1, value=text).font = Font(name=FONT, size=size, bold=size > 12)
    ws.cell(row=row, column=1).alignment = Alignment(horizontal=align, vertical="center")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    ws.row_dimensions[row].height = size * 2


def form_sheet(ws, sheet: Sheet, spec: FamilySpec) -> None:
    table = sheet.table
    ncols = len(table.widths)
    for i, width in enumerate(table.widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = round(width / _CHAR_PT, 1)
    for r, text in enumerate(sheet.above, start=1):
        _line(ws, r, text, ncols, 16 if r == 1 else 11)
    first = len(sheet.above) + 1
    heights = row_heights(prewrap(table, METRICS), METRICS)
    header = next(r for r, row in enumerate(table.rows) if row.kind == "ind_header")
    for r, (grow, height) in enumerate(zip(table.rows, heights)):
        for cell in grow.cells:
            _put(ws, first + r, cell)
        ws.row_dimensions[first + r].height = round(height, 1)
    if sheet.header_rows == 1:  # Calc overflows the page when two tall rows repeat
        ws.print_title_rows = f"{first + header}:{first + header + sheet.header_rows - 1}"
    last = first + len(table.rows) - 1
    for k, text in enumerate(sheet.below, start=1):
        _line(ws, last + k, text, ncols, 10, "left")
    ws.print_area = f"A1:{get_column_letter(ncols)}{last + len(sheet.below)}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if spec.landscape else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.5


def workbook(forms: list[Form], spec: FamilySpec) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    for i, form in enumerate(forms, start=1):
        form_sheet(wb.create_sheet(f"{i}"), family_sheet(form, spec), spec)
    return wb


def render_office(forms: list[Form], spec: FamilySpec, path: Path) -> Path:
    soffice = shutil.which("soffice")
    if soffice is None:
        raise FileNotFoundError("未找到LibreOffice（soffice）")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"{path.stem}.xlsx"
        workbook(forms, spec).save(source)
        made = convert(source, Path(tmp), soffice)
        shutil.move(made, path)
    return path
