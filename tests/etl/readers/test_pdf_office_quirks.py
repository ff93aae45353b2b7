"""The PDF reader on minimal pages reproducing what LibreOffice does differently.

Each test draws the smallest page showing one quirk found in the office samples
(data/samples/pdf_office): a merged cell left open at a page break, and text drawn
where a clipping path hides it (off the page, or under a repeated header row).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pdfplumber
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from etl.model import Document
from etl.readers.pdf import closing_rules, read_pdf

XS = (40.0, 100.0, 200.0, 300.0)  # column rules
Draw = Callable[[Canvas], None]


def write(tmp_path: Path, *pages: Draw) -> Path:
    path = tmp_path / "quirk.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    for draw in pages:
        draw(canvas)
        canvas.showPage()
    canvas.save()
    return path


def pdf(tmp_path: Path, *pages: Draw) -> Document:
    return read_pdf(str(write(tmp_path, *pages)))


def rows(doc: Document) -> list[list[str]]:
    return [[c.text for c in row] for row in doc.rows]


def rule(canvas: Canvas, x0: float, y: float, x1: float) -> None:
    canvas.line(x0, y, x1, y)


def verticals(canvas: Canvas, top: float, bottom: float) -> None:
    for x in XS:
        canvas.line(x, top, x, bottom)


def clipped(canvas: Canvas, text: str, x: float, y: float, clip: tuple[float, float, float, float]) -> None:
    """Draw text through a rectangular clip (x, y, width, height), as LibreOffice does."""
    canvas.saveState()
    path = canvas.beginPath()
    path.rect(*clip)
    canvas.clipPath(path, stroke=0, fill=0)
    canvas.drawString(x, y, text)
    canvas.restoreState()


def open_at_bottom(canvas: Canvas) -> None:
    """Header row, then two body rows whose first column is one merged cell that runs on
    past the page break: no rule closes that column at the bottom of the page."""
    verticals(canvas, 800, 740)
    rule(canvas, XS[0], 800, XS[-1])
    rule(canvas, XS[0], 780, XS[-1])
    for y in (760, 740):
        rule(canvas, XS[1], y, XS[-1])
    canvas.drawString(45, 785, "Level 1")
    canvas.drawString(105, 785, "Name")
    canvas.drawString(205, 785, "Weight")
    canvas.drawString(105, 765, "first")
    canvas.drawString(105, 745, "second")


def test_a_column_left_open_at_the_page_bottom_is_still_a_column(tmp_path):
    def page(canvas: Canvas) -> None:
        open_at_bottom(canvas)
        canvas.drawString(45, 755, "Output")  # the merged cell's text, inside its part

    got = rows(pdf(tmp_path, page))
    assert got == [["Level 1", "Name", "Weight"], ["Output", "first", ""], ["", "second", ""]]


def test_a_column_left_open_at_the_page_top_is_still_a_column(tmp_path):
    def page(canvas: Canvas) -> None:  # the continuation page: the merged cell is open above
        verticals(canvas, 800, 760)
        for y in (800, 780):
            rule(canvas, XS[1], y, XS[-1])
        rule(canvas, XS[0], 760, XS[-1])
        canvas.drawString(45, 775, "Output")
        canvas.drawString(105, 785, "third")
        canvas.drawString(105, 765, "fourth")

    assert rows(pdf(tmp_path, page)) == [["Output", "third", ""], ["", "fourth", ""]]


def test_a_closed_table_gets_no_extra_rules(tmp_path):
    def page(canvas: Canvas) -> None:
        verticals(canvas, 800, 760)
        for y in (800, 780, 760):
            rule(canvas, XS[0], y, XS[-1])

    with pdfplumber.open(write(tmp_path, page)) as plumbed:
        assert closing_rules(plumbed.pages[0].edges) == []


def test_text_beyond_the_page_belongs_to_the_open_cell_its_clip_shows(tmp_path):
    """LibreOffice positions a merged cell's text for the whole cell; on the page where
    the cell starts, that can be below the page, clipped to the cell's part."""
    def page(canvas: Canvas) -> None:
        open_at_bottom(canvas)
        clipped(canvas, "Output", 45, -120, (40, 740, 60, 40))

    assert rows(pdf(tmp_path, page)) == [["Level 1", "Name", "Weight"], ["Output", "first", ""],
                                         ["", "second", ""]]


def test_text_hidden_under_a_repeated_header_goes_to_the_cell_below(tmp_path):
    """With a header row repeated on a continuation page, the hidden copy of a merged
    cell's text lands inside the header; its clip box shows the cell it belongs to."""
    def page(canvas: Canvas) -> None:
        verticals(canvas, 800, 760)
        for y in (800, 780, 760):
            rule(canvas, XS[0], y, XS[-1])
        canvas.drawString(45, 785, "Level 2")
        canvas.drawString(105, 785, "Name")
        canvas.drawString(105, 765, "third")
        clipped(canvas, "Quality", 45, 788, (40, 760, 260, 20))  # drawn over "Level 2"

    assert rows(pdf(tmp_path, page)) == [["Level 2", "Name", ""], ["Quality", "third", ""]]


def test_hidden_text_outside_every_table_is_not_read(tmp_path):
    def page(canvas: Canvas) -> None:
        canvas.drawString(40, 700, "printed")
        clipped(canvas, "clipped away", 40, 650, (300, 600, 100, 100))
        canvas.drawString(40, 900, "above the page")

    assert rows(pdf(tmp_path, page)) == [["printed"]]
