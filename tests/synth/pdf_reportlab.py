"""Layout "a": forms as a report engine prints them, via ReportLab platypus.

A4 portrait, Noto Sans CJK SC, one ruled table per form on a 9-column grid with
narrow 一级/二级 columns (text wraps two characters a line, as in the seed PDFs).
Forms follow each other on the same page; tables cross pages without repeating the
header, and a tall row is split across the page break.

ReportLab's own in-row splitting (`Table(splitInRow=...)`) is not used: in 4.x it
measures column-spanning cells at single-column width and fails on row spans
crossing the break, so `FormTable` splits via `tests.synth.pdf_paging` and draws
each piece as a platypus `Table` with SPAN commands and fixed row heights.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from etl.model import Form
from tests.synth.pdf_fonts import FontStyle, font_path, missing_chars
from tests.synth.pdf_grid import TITLE, GTable, Layout, form_tables, year_line
from tests.synth.pdf_paging import Metrics, cached_width, prewrap, row_heights, split_table

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
FONT_SIZE = 9.0
LEADING = 1.3  # line pitch / font size
PAD_X, PAD_TOP, PAD_BOTTOM = 2.0, 2.0, 3.0


def _mm(*widths: float) -> tuple[float, ...]:
    return tuple(w * mm for w in widths)


LAYOUT_A = Layout(
    widths=_mm(10, 10, 40, 22, 22, 14, 14, 24, 24),
    goal_widths=_mm(10, 85, 85),
    ind_widths=_mm(10, 10, 40, 22, 22, 14, 14, 48),
    name=((0, 2), (2, 7)),
    units=((0, 2), (2, 3), (5, 2), (7, 2)),
    funding=((0, 1), (1, 2), (3, 1), (4, 1), (5, 1), (6, 1), (7, 1), (8, 1)),
    goals=((0, 1), (1, 1), (2, 1)),
    indicators=tuple((c, 1) for c in range(8)),
    total=((0, 5), (5, 1), (6, 1)),
    grade=((0, 5), (5, 3)),
)


@lru_cache(maxsize=None)
def register_font(style: FontStyle) -> str:
    name = f"NotoCJK-{style}"
    pdfmetrics.registerFont(TTFont(name, str(font_path(style))))
    return name


@lru_cache(maxsize=None)
def _para_style(font: str, size: float, align: str) -> ParagraphStyle:
    return ParagraphStyle(f"{font}-{size}-{align}", fontName=font, fontSize=size, leading=size * LEADING,
                          alignment=_ALIGN[align], wordWrap="CJK")


@lru_cache(maxsize=None)
def metrics(font: str) -> Metrics:
    text_width = cached_width(lambda ch: pdfmetrics.stringWidth(ch, font, FONT_SIZE))
    return Metrics(text_width, FONT_SIZE * LEADING, pad_x=2 * PAD_X, pad_y=PAD_TOP + PAD_BOTTOM, min_lines=1)


class FormTable(Flowable):
    """A form's ruled table; splits at page breaks via the shared paginator."""

    def __init__(self, table: GTable, font: str, page_room: float) -> None:
        super().__init__()
        self.table, self.font, self.page_room = table, font, page_room
        self.heights = row_heights(table, metrics(font))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = sum(self.table.widths), sum(self.heights)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        at_top = availHeight >= self.page_room - 1
        first, rest = split_table(self.table, metrics(self.font), availHeight, at_top)
        if first is None or rest is None:
            return []
        return [FormTable(first, self.font, self.page_room), FormTable(rest, self.font, self.page_room)]

    def draw(self) -> None:
        table = _table(self.table, self.heights, self.font)
        table.wrapOn(self.canv, self.width, self.height)
        table.drawOn(self.canv, 0, 0)


def _table(gt: GTable, heights: list[float], font: str) -> Table:
    data: list[list[object]] = [["" for _ in gt.widths] for _ in gt.rows]
    style: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.6, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_X), ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), PAD_TOP), ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_BOTTOM),
    ]
    for r, row in enumerate(gt.rows):
        for cell in row.cells:
            if cell.text:
                markup = "<br/>".join(escape(line) for line in cell.text.split("\n"))
                data[r][cell.col] = Paragraph(markup, _para_style(font, FONT_SIZE, cell.align))
            if cell.colspan > 1 or cell.rowspan > 1:
                style.append(("SPAN", (cell.col, r), (cell.col + cell.colspan - 1, r + cell.rowspan - 1)))
    return Table(data, colWidths=list(gt.widths), rowHeights=heights, style=TableStyle(style))


def _story(forms: list[Form], lay: Layout, font: str, page_room: float) -> list[Flowable]:
    title = _para_style(font, 16, "center")
    year = _para_style(font, 11, "center")
    story: list[Flowable] = []
    for form in forms:
        story += [Paragraph(TITLE, title), Spacer(1, 2 * mm), Paragraph(escape(year_line(form, lay)), year),
                  Spacer(1, 3 * mm)]
        story += [FormTable(prewrap(gt, metrics(font)), font, page_room) for gt in form_tables(form, lay)]
        story.append(Spacer(1, 12 * mm))
    return story


def form_texts(forms: list[Form]) -> list[str]:
    """Every string a generator prints for these forms (for font coverage checks)."""
    out: list[str] = []
    for f in forms:
        out += [f.project_name, f.department, f.implementing_unit, f.goal_expected, f.goal_actual, f.grade]
        out += [t for i in f.indicators for t in (i.level1, i.level2, i.name, i.target, i.actual, i.deviation)]
    return out


def check_font_coverage(forms: list[Form]) -> None:
    missing = missing_chars(form_texts(forms))
    if missing:
        raise ValueError(f"字体不含以下字符，无法生成PDF：{''.join(sorted(missing))}")


def render_reportlab(forms: list[Form], path: str | Path, layout: Layout = LAYOUT_A,
                     font: FontStyle = "sans") -> Path:
    """Write `forms` as one PDF in layout "a" (deterministic: same input, same bytes)."""
    check_font_coverage(forms)
    path = Path(path)
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm, invariant=1,
                            title=TITLE, author="jixiao synth", creator="jixiao synth")
    doc.build(_story(forms, layout, register_font(font), doc.height - 12))  # frame padding 6 pt top and bottom
    return path
