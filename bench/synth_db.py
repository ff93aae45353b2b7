"""Corpus files as the ingest would have parsed them: `ParsedFile`s with pages, spans and cells.

The geometry is estimated, not rendered (rendering 100,000 forms would take hours):
each form is laid out on the printed grid of the PDF generators (`pdf_grid.form_tables`
with the report-engine layout), rows are as tall as their longest wrapped cell, and
pages break at the A4 bottom margin. Cells follow the readers' contract: one per grid
column, "" where a merged cell covers the position.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from etl.checks import check_form
from etl.model import Cell, Form, ParsedFile
from tests.synth.corpus import CorpusFile

PAGE_TOP, PAGE_BOTTOM, LEFT = 42.5, 799.5, 42.5  # A4 with 15 mm margins, points
LINE, PAD, CHAR = 11.0, 4.0, 9.0  # line height, cell padding, width of one CJK glyph at 9 pt
TITLE_BLOCK = 48.0  # title, year line and spacing above a form's table


@dataclass(slots=True)
class Cursor:
    page: int = 1
    y: float = PAGE_TOP
    row: int = 0

    def place(self, height: float) -> tuple[int, float, float]:
        """(page, top, bottom) of a block of this height, breaking the page when it does not fit."""
        if self.y + height > PAGE_BOTTOM and self.y > PAGE_TOP:
            self.page, self.y = self.page + 1, PAGE_TOP
        top = self.y
        self.y += height
        return self.page, top, self.y


def _lines(text: str, width: float) -> int:
    per_line = max(1, int((width - 2 * PAD) // CHAR))
    if len(text) <= per_line and "\n" not in text:
        return 1
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def _grid() -> tuple[object, object]:
    from tests.synth.pdf_grid import form_tables
    from tests.synth.pdf_reportlab import LAYOUT_A

    return form_tables, LAYOUT_A


# A cell as plain values, (page, row, col, text, x0, top, x1, bottom): at 1,000,000 forms
# (~177 M cells) making a `Cell` per cell would be a third of the generation time.
RawCell = tuple[int, int, int, str, float, float, float, float]


def lay_out(form: Form, cur: Cursor, cells: list[RawCell] | None) -> None:
    """Give the form its pages, indicator spans and funding pages; append its cells to `cells`."""
    form_tables, layout = _grid()
    form.page_start = cur.place(TITLE_BLOCK)[0]
    ind_rows = iter(form.indicators)
    funding = iter(form.funding)
    for table in form_tables(form, layout):
        edges = [LEFT]
        for w in table.widths:
            edges.append(round(edges[-1] + w, 1))
        for grow in table.rows:
            height = max(_lines(c.text, edges[c.col + c.colspan] - edges[c.col]) for c in grow.cells) * LINE + 2 * PAD
            page, top, bottom = cur.place(height)
            cur.row += 1
            if grow.kind == "indicator":
                ind = next(ind_rows)
                ind.page, ind.span = page, (round(top, 1), round(bottom, 1))
            elif grow.kind == "funding" and grow.cells[0].text not in ("", layout.block_label):
                fl = next(funding, None)
                if fl is not None:
                    fl.page = page
            if cells is not None:
                cells += _row_cells(grow.cells, edges, page, cur.row, round(top, 1), round(bottom, 1))
    form.page_end = cur.page


def _row_cells(gcells: list, edges: list[float], page: int, row: int, top: float, bottom: float) -> list[RawCell]:
    """One cell per grid column; a merged cell's box spans its columns, the covered ones are ""."""
    out = [(page, row, c, "", edges[c], top, edges[c + 1], bottom) for c in range(len(edges) - 1)]
    for gc in gcells:
        out[gc.col] = (page, row, gc.col, gc.text, edges[gc.col], top, edges[gc.col + gc.colspan], bottom)
    return out


def as_cells(raw: list[RawCell]) -> list[Cell]:
    return [Cell(text, page, row, col, (x0, top, x1, bottom)) for page, row, col, text, x0, top, x1, bottom in raw]


def parsed_file(cf: CorpusFile, seed: int, with_cells: bool = True) -> ParsedFile:
    """The file as `etl.pipeline.process_file` would return it for the rendered PDF."""
    pf, raw = laid_out_file(cf, seed, with_cells)
    for checked, cells in zip(pf.forms, raw or [], strict=False):
        checked.form.cells = as_cells(cells)
    return pf


def laid_out_file(cf: CorpusFile, seed: int, with_cells: bool) -> tuple[ParsedFile, list[list[RawCell]] | None]:
    """The file without `Form.cells`, and (with_cells) each form's cells as plain values."""
    cur = Cursor()
    raw: list[list[RawCell]] | None = [] if with_cells else None
    for form in cf.forms:
        cells: list[RawCell] | None = [] if with_cells else None
        lay_out(form, cur, cells)
        if raw is not None:
            raw.append(cells)
        cur.y += 34.0  # space between forms
    path = f"corpus/{cf.year}/{cf.stem}.pdf"
    sha = hashlib.sha256(f"{seed}:{path}".encode()).hexdigest()
    return ParsedFile(path=path, sha256=sha, kind="pdf", pages=cur.page, forms=[check_form(f) for f in cf.forms]), raw


def text_copy(pf: ParsedFile) -> ParsedFile:
    """The same forms as a text extraction would give them (no geometry): a duplicate source."""
    return ParsedFile(path=pf.path[:-4] + ".txt", sha256=hashlib.sha256(pf.sha256.encode()).hexdigest(),
                      kind="txt", pages=pf.pages, forms=pf.forms)


def unreadable(cf: CorpusFile, seed: int) -> ParsedFile:
    """A scanned file without a text layer: recorded with its reason, no forms."""
    path = f"corpus/{cf.year}/{cf.stem}_scan.pdf"
    return ParsedFile(path=path, sha256=hashlib.sha256(f"{seed}:{path}".encode()).hexdigest(), kind="pdf",
                      pages=3, error="扫描件，无文本层，无法解析")
