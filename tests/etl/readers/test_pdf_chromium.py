"""Chromium-printed PDFs: merged category cells whose centred lines fall in several row
bands, and one cut by a page break (tests.synth.chromium_cases; committed PDFs, and the
three-band case printed live when Chromium is installed)."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from etl.compare import comparable
from etl.parse import parse_document
from etl.readers.pdf import read_pdf
from tests.synth import chromium_cases
from tests.synth.chromium_cases import CATEGORY, OUT_DIR, case_form
from tests.synth.chromium_pdf import available


def category_lines(path: Path) -> list[tuple[int, float]]:
    """(page, top) of each printed line of the merged 二级指标 cell: its column's chars
    from its first char (`服`) on."""
    lines: set[tuple[int, int]] = set()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            words = [c for c in page.chars if c["text"] in CATEGORY and 62 < c["x0"] < 90]
            lines |= {(page.page_number, round(c["top"])) for c in words}
            start = next(((page.page_number, round(c["top"])) for c in words if c["text"] == CATEGORY[0]), None)
            if start:
                lines = {line for line in lines if line >= start}
    return sorted(lines)


def row_bands_hit(path: Path) -> int:
    """How many row bands (between the rules of the unmerged 三级指标 column) those lines fall in."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        rules = sorted({round(e["top"]) for e in page.edges if e["orientation"] == "h" and e["x0"] < 110 < e["x1"]})
    tops = [top for _, top in category_lines(path)]
    return len({sum(1 for r in rules if r <= t + 5) for t in tops})  # t + 5: a line's middle


def assert_reads_as_printed(path: Path) -> None:
    doc = read_pdf(str(path))
    cells = [c for row in doc.rows for c in row if CATEGORY in c.text.replace("\n", "")]
    assert len(cells) == 1, [c.text for row in doc.rows for c in row if c.text[:1] in CATEGORY]
    forms = parse_document(doc)
    assert [comparable(f) for f in forms] == [comparable(case_form())]


def test_category_lines_in_three_row_bands_stay_one_cell():
    path = OUT_DIR / "three_bands.pdf"
    assert row_bands_hit(path) >= 3  # the case really spreads the text over three bands
    assert_reads_as_printed(path)


def test_category_cut_by_a_page_break_continues_on_the_next_page():
    path = OUT_DIR / "page_cut.pdf"
    pages = {page for page, _ in category_lines(path)}
    assert pages == {1, 2}  # some lines at the foot of page 1, the rest on page 2
    assert_reads_as_printed(path)


@pytest.mark.skipif(not available(), reason="Chromium/Playwright not installed")
def test_live_chromium_print_of_the_three_band_case(tmp_path):
    made = chromium_cases.build(tmp_path)
    for path in made:
        assert_reads_as_printed(path)
