"""A department's forms as a Word document (python-docx), the way an office types them up.

Forms follow one another (as in a department's collected report): title and year as
centred paragraphs, then two tables
as Word users draw them: 项目名称 to 年度总体目标 on one grid, the indicator table on
another whose header row is marked to repeat on every page. Merged cells are real
Word merges (gridSpan / vMerge), borders come from the "Table Grid" style, and rows
may break across pages (Word's default): LibreOffice Writer decides where.
"""

from __future__ import annotations

from docx import Document as WordDocument
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table

from etl.model import Form
from tests.synth.office_xlsx import AUTHOR
from tests.synth.pdf_grid import TITLE, GTable, Layout, form_tables, year_line

FONT = "Noto Serif CJK SC"
SIZE = 9.0
MM = 72 / 25.4
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}


def _pt(*mm: float) -> tuple[float, ...]:
    return tuple(m * MM for m in mm)


WORD_LAYOUT = Layout(
    widths=_pt(20, 30, 24, 24, 24, 18, 22, 18),
    goal_widths=_pt(20, 30, 24, 24, 24, 18, 22, 18),
    ind_widths=_pt(14, 18, 40, 24, 24, 12, 12, 36),
    name=((0, 1), (1, 7)),
    units=((0, 1), (1, 3), (4, 2), (6, 2)),
    funding=((0, 1), (1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1), (7, 1)),
    goals=((0, 1), (1, 3), (4, 4)),
    indicators=tuple((c, 1) for c in range(8)),
    total=((0, 5), (5, 1), (6, 1)),
    grade=((0, 5), (5, 3)),
    block_label="项目资金\n（万元）",
    repeat_ind_header=True,
)


def _set_fonts(doc: DocxDocument) -> None:
    """Normal style in a CJK font for both Latin and East Asian text (Word keeps them apart)."""
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(SIZE)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(0)


def _repeat_header(table: Table) -> None:
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _table(doc: DocxDocument, gt: GTable) -> None:
    table = doc.add_table(rows=len(gt.rows), cols=len(gt.widths))
    table.style = "Table Grid"
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, gt.widths):
        col.w = Pt(width)  # Writer lays the table out from the grid, Word from the cells
    for c, width in enumerate(gt.widths):
        for cell in table.columns[c].cells:
            cell.width = Pt(width)
    for r, row in enumerate(gt.rows):
        for g in row.cells:
            cell = table.cell(r, g.col)
            if g.rowspan > 1 or g.colspan > 1:
                cell = cell.merge(table.cell(r + g.rowspan - 1, g.col + g.colspan - 1))
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            lines = g.text.split("\n")
            para = cell.paragraphs[0]
            para.alignment = ALIGN[g.align]
            for i, line in enumerate(lines):
                run = para.add_run(line)
                if i < len(lines) - 1:
                    run.add_break()
    if gt.repeat_header:
        _repeat_header(table)


def _heading(doc: DocxDocument, text: str, size: float, bold: bool) -> None:
    para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run(text)
    run.font.size, run.font.bold = Pt(size), bold


def document(forms: list[Form]) -> DocxDocument:
    doc = WordDocument()
    doc.core_properties.author = doc.core_properties.last_modified_by = AUTHOR
    _set_fonts(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(15)
    section.top_margin = section.bottom_margin = Mm(18)
    for form in forms:
        _heading(doc, TITLE, 16, True)
        _heading(doc, year_line(form, WORD_LAYOUT), 11, False)
        for gt in form_tables(form, WORD_LAYOUT):
            _table(doc, gt)
            doc.add_paragraph()
    return doc
