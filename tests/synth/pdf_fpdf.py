"""Layouts "b" and "wps": forms drawn cell by cell with fpdf2.

"b": A4 landscape, Noto Serif CJK SC 10 pt, the info/funding/goal block and the
indicator block as two separate ruled tables on different grids; the indicator
header is repeated at the top of every continuation page; numbers printed in their
shortest form (10, 3.2, 0) and labels with half-width punctuation, like the seed
text 004.
"wps": A4 portrait, Noto Sans CJK SC 9 pt, one table on a 10-column grid, and every
ideograph that has a Kangxi/CJK radical twin printed as the radical (项⽬, ⽀出) the
way WPS exports do (`etl.normalize.clean` must fold them back), and the title made
bold by printing it twice 0.4 pt apart (readers must drop the duplicated chars).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Literal

from fpdf import FPDF

from etl.model import Form
from tests.synth.pdf_fonts import FontStyle, font_path
from tests.synth.pdf_grid import TITLE, GRow, GTable, Layout, form_tables, wps_text, year_line
from tests.synth.pdf_paging import Metrics, cached_width, prewrap, row_heights, split_table
from tests.synth.pdf_reportlab import check_font_coverage

MM = 72 / 25.4


def _mm(*widths: float) -> tuple[float, ...]:
    return tuple(w * MM for w in widths)


@dataclass(frozen=True, slots=True)
class Page:
    orientation: Literal["P", "L"]
    font: FontStyle
    size: float  # cell text, points
    margin: float  # points, all sides
    table_gap: float  # vertical space between the tables of one form
    transform: Callable[[str], str] = str
    fake_bold: bool = False  # title printed twice, slightly offset: duplicated chars


LAYOUT_B = Layout(
    widths=_mm(28, 45, 33, 33, 33, 33, 34, 34),
    goal_widths=_mm(28, 45, 33, 33, 33, 33, 34, 34),
    ind_widths=_mm(22, 28, 62, 30, 30, 18, 18, 65),
    name=((0, 1), (1, 7)),
    units=((0, 1), (1, 3), (4, 1), (5, 3)),
    funding=((0, 1), (1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1), (7, 1)),
    goals=((0, 1), (1, 3), (4, 4)),
    indicators=tuple((c, 1) for c in range(8)),
    total=((0, 5), (5, 1), (6, 1)),
    grade=((0, 2), (2, 3)),
    two_decimals=False,
    year_line="({year}年度)",
    rate_header="执行率",
    funding_labels=("年度资金总额", "其中:当年财政拨款", "上年结转资金", "其他资金"),
    block_label="项目资金(万元)",
    repeat_ind_header=True,
)
_WPS_GRID = _mm(12, 14, 38, 20, 20, 14, 14, 18, 18, 18)
LAYOUT_WPS = Layout(
    widths=_WPS_GRID,
    goal_widths=_WPS_GRID,
    ind_widths=_WPS_GRID,
    name=((0, 2), (2, 8)),
    units=((0, 2), (2, 3), (5, 2), (7, 3)),
    funding=((0, 1), (1, 2), (3, 1), (4, 1), (5, 1), (6, 1), (7, 1), (8, 2)),
    goals=((0, 1), (1, 4), (5, 5)),
    indicators=((0, 1), (1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1), (7, 3)),
    total=((0, 5), (5, 1), (6, 1)),
    grade=((0, 2), (2, 8)),
)
PAGES: dict[str, tuple[Layout, Page]] = {
    "b": (LAYOUT_B, Page("L", "serif", 10.0, 12 * MM, 6.0)),
    "wps": (LAYOUT_WPS, Page("P", "sans", 9.0, 12 * MM, 0.0, wps_text, fake_bold=True)),
}
LEADING = 1.35
PAD = 3.0  # each side
FIXED_DATE = dt.datetime(2025, 3, 1, tzinfo=dt.timezone.utc)


class _Writer:
    """Draws tables top to bottom, starting new pages and splitting tables as needed."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.pdf = FPDF(orientation=page.orientation, unit="pt", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_creation_date(FIXED_DATE)
        self.pdf.add_font("cjk", fname=str(font_path(page.font)))
        self.pdf.set_line_width(0.6)
        self.left = page.margin
        self.top = page.margin
        self.bottom = self.pdf.h - page.margin
        self.y = self.bottom  # forces a page on first use
        self._width = cached_width(self.pdf.get_string_width)  # at the cell font size only
        self.metrics = Metrics(self._width, page.size * LEADING, 2 * PAD, 2 * PAD)

    def new_page(self) -> None:
        self.pdf.add_page()
        self.pdf.set_font("cjk", size=self.page.size)
        self.y = self.top

    def centered(self, text: str, size: float) -> None:
        self.pdf.set_font("cjk", size=size)
        shown = self.page.transform(text)
        x = (self.pdf.w - self.pdf.get_string_width(shown)) / 2
        for dx in (0.0, 0.4) if self.page.fake_bold else (0.0,):
            self.pdf.text(x + dx, self.y + size, shown)
        self.y += size * 1.6
        self.pdf.set_font("cjk", size=self.page.size)

    def form(self, form: Form, lay: Layout) -> None:
        if self.bottom - self.y < 150:  # title plus a few rows
            self.new_page()
        self.centered(TITLE, 16)
        self.centered(year_line(form, lay), 11)
        self.y += 4
        for i, gt in enumerate(form_tables(form, lay)):
            self.y += self.page.table_gap if i else 0
            self.table(prewrap(gt, self.metrics))
        self.y += 24

    def table(self, gt: GTable) -> None:
        header: GRow | None = gt.rows[0] if gt.repeat_header else None
        part: GTable | None = gt
        while part is not None:
            first, rest = split_table(part, self.metrics, self.bottom - self.y, at_top=self.y <= self.top)
            if first is not None:
                self.draw(first)
            if rest is not None:
                self.new_page()
                if header is not None and first is not None:
                    rest = replace(rest, rows=[header] + rest.rows)
            part = rest

    def draw(self, gt: GTable) -> None:
        heights = row_heights(gt, self.metrics)
        xs = [self.left + sum(gt.widths[:c]) for c in range(len(gt.widths) + 1)]
        for r, row in enumerate(gt.rows):
            top = self.y + sum(heights[:r])
            for c in row.cells:
                self._cell(c.text, c.align, xs[c.col], top, xs[c.col + c.colspan] - xs[c.col],
                           sum(heights[r:r + c.rowspan]))
        self.y += sum(heights)

    def _cell(self, text: str, align: str, x: float, y: float, w: float, h: float) -> None:
        self.pdf.rect(x, y, w, h)
        if not text:
            return
        lines = text.split("\n")
        lead = self.metrics.leading
        size = self.page.size
        first_base = y + (h - len(lines) * lead) / 2 + (lead - size) / 2 + size * 0.88
        for i, line in enumerate(lines):
            shown = self.page.transform(line)
            tw = self._width(line)
            tx = {"left": x + PAD, "center": x + (w - tw) / 2, "right": x + w - PAD - tw}[align]
            self.pdf.text(tx, first_base + i * lead, shown)


def render_fpdf(forms: list[Form], path: str | Path, layout: str = "b") -> Path:
    """Write `forms` as one PDF in layout "b" or "wps" (deterministic: same input, same bytes)."""
    check_font_coverage(forms)
    lay, page = PAGES[layout]
    writer = _Writer(page)
    for form in forms:
        writer.form(form, lay)
    path = Path(path)
    writer.pdf.output(str(path))
    return path
