"""The golden forms as a web page: HTML `<table>`s with rowspan/colspan, the way budget
systems show a 绩效自评表 in the browser (and units print it with "Save as PDF").

A `WebStyle` picks the column grid (points), the CJK font, the text size and whether
ideographs are replaced by their radical look-alikes (as some exporters' text layers
have them). Cells are vertically centred (the browser default for `<td>`), category
columns are narrow so `产出指标` wraps, and rows may break across printed pages
(`break-inside: auto`). Several forms follow one another on one page.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Callable

from etl.model import Form
from tests.synth.pdf_grid import TITLE, GTable, Layout, form_tables, wps_text, year_line

MM = 72 / 25.4


def _mm(*widths: float) -> tuple[float, ...]:
    return tuple(round(w * MM, 2) for w in widths)


def _layout(grid: tuple[float, ...], ind: tuple[float, ...]) -> Layout:
    """Info/funding/goal rows on an 8-column grid, indicators on their own 8 columns."""
    return Layout(
        widths=grid, goal_widths=grid, ind_widths=ind,
        name=((0, 1), (1, 7)), units=((0, 1), (1, 3), (4, 2), (6, 2)),
        funding=((0, 1), (1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1), (7, 1)),
        goals=((0, 1), (1, 3), (4, 4)), indicators=tuple((c, 1) for c in range(8)),
        total=((0, 5), (5, 1), (6, 1)), grade=((0, 5), (5, 3)),
    )


# Column-width sets: category columns from very narrow (two ideographs a line) to wide.
GRIDS: dict[str, Layout] = {
    "narrow": _layout(_mm(20, 32, 24, 24, 24, 18, 20, 18), _mm(11, 13, 44, 26, 26, 13, 13, 34)),
    "medium": _layout(_mm(24, 34, 22, 22, 22, 18, 20, 18), _mm(15, 19, 40, 24, 24, 14, 14, 30)),
    "tight": _layout(_mm(20, 32, 24, 24, 24, 18, 20, 18), _mm(11, 10, 47, 26, 26, 13, 13, 34)),
    "wide": _layout(_mm(26, 40, 30, 30, 30, 26, 26, 30), _mm(22, 30, 56, 30, 30, 16, 16, 38)),
}
FONTS = {
    "serif": '"Noto Serif CJK SC", serif',
    "sans": '"Noto Sans CJK SC", sans-serif',
    "wqy": '"WenQuanYi Zen Hei", "Noto Sans CJK SC", sans-serif',
    "uming": '"AR PL UMing CN", "Noto Serif CJK SC", serif',
}


@dataclass(frozen=True, slots=True)
class WebStyle:
    grid: str = "medium"  # key of GRIDS
    font: str = "serif"  # key of FONTS
    size: float = 10.0  # points
    lookalikes: bool = False  # ideographs replaced by radical look-alikes (项⽬, ⽀出)
    landscape: bool = False

    @property
    def transform(self) -> Callable[[str], str]:
        return wps_text if self.lookalikes else str


CSS = """
@page {{ size: A4 {orient}; margin: 12mm; }}
body {{ font-family: {font}; font-size: {size}pt; margin: 0; }}
h1 {{ font-size: 16pt; text-align: center; margin: 8pt 0 2pt; }}
p.year {{ font-size: 11pt; text-align: center; margin: 0 0 6pt; }}
table {{ border-collapse: collapse; table-layout: fixed; break-inside: auto; margin-bottom: 6pt; }}
tr, td {{ break-inside: auto; }}
td {{ border: 0.75pt solid #000; padding: 2pt 3pt; vertical-align: middle; line-height: 1.35;
      word-break: break-all; }}
section.form {{ margin-bottom: 18pt; }}
"""


def _table(gt: GTable, show: Callable[[str], str]) -> str:
    cols = "".join(f'<col style="width:{w}pt">' for w in gt.widths)
    rows = []
    for row in gt.rows:
        cells = []
        for c in row.cells:
            span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + \
                   (f' colspan="{c.colspan}"' if c.colspan > 1 else "")
            text = "<br>".join(escape(show(line)) for line in c.text.split("\n"))
            cells.append(f'<td{span} style="text-align:{c.align}">{text}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f'<table style="width:{sum(gt.widths):.2f}pt"><colgroup>{cols}</colgroup>{"".join(rows)}</table>'


def form_html(form: Form, style: WebStyle) -> str:
    lay = GRIDS[style.grid]
    show = style.transform
    tables = "".join(_table(gt, show) for gt in form_tables(form, lay))
    return (f'<section class="form"><h1>{escape(show(TITLE))}</h1>'
            f'<p class="year">{escape(show(year_line(form, lay)))}</p>{tables}</section>')


def page_html(forms: list[Form], style: WebStyle = WebStyle(), charset: str | None = "utf-8") -> str:
    """A whole page holding `forms`; `charset=None` leaves out the meta declaration."""
    css = CSS.format(orient="landscape" if style.landscape else "portrait", font=FONTS[style.font],
                     size=style.size)
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "".join(form_html(f, style) for f in forms)
    return (f"<!DOCTYPE html><html lang=\"zh-CN\"><head>{meta}<title>{TITLE}</title>"
            f"<style>{css}</style></head><body>{body}</body></html>")
