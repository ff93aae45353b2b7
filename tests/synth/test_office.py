"""The office sample builders: the workbook and document a clerk would make, and the script.

The workbook and document tests need the `dev` extra (openpyxl, python-docx); the
freshness test needs LibreOffice. Without them those tests are skipped; the committed
PDFs themselves are checked field by field in tests/etl/test_golden_pdf.py.
"""

from __future__ import annotations

import shutil
import pytest

from tests.synth import office
from tests.synth.golden import golden_by_source
from tests.synth.samples import sample_paths
from tests.synth.test_pdf_generators import quick_texts

LONG = "002_ad0082497000d1dc.txt"  # form 3 has 36 indicators: its table crosses pages
FORMS = golden_by_source()[LONG]


@pytest.fixture(scope="module")
def book():
    pytest.importorskip("openpyxl")
    from tests.synth.office_xlsx import workbook
    return workbook(FORMS)


def test_one_sheet_per_form_set_up_for_a4_printing(book):
    assert len(book.worksheets) == len(FORMS)
    for ws, form in zip(book.worksheets, FORMS):
        assert form.project_name.startswith(ws.title.split(".", 1)[1])
        setup = ws.page_setup
        assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == \
            (int(ws.PAPERSIZE_A4), "portrait", 1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "一级指标")
        assert ws.print_title_rows == f"${header}:${header}"
        assert ws.print_area == f"'{ws.title}'!$A$1:$J${ws.max_row}"


def test_categories_and_labels_are_merged_cells(book):
    ws = book.worksheets[2]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:J1", "A2:J2", "A3:B3", "C3:J3"} <= merged  # title, year, 项目名称 and its value
    level1 = [r for r in ws.merged_cells.ranges if r.min_col == r.max_col == 1 and r.max_row > r.min_row]
    names = [ws.cell(r.min_row, 1).value for r in level1]
    assert {"产出指标", "效益指标"} <= set(names)
    produce = next(r for r in level1 if ws.cell(r.min_row, 1).value == "产出指标")
    assert produce.max_row - produce.min_row + 1 == sum(i.level1 == "产出指标" for i in FORMS[2].indicators)


def test_figures_are_numbers_with_a_format_and_targets_stay_text(book):
    ws = book.worksheets[0]
    total = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 3).value == "年度资金总额：")
    cell, rate = ws.cell(total, 4), ws.cell(total, 8)
    assert isinstance(cell.value, float) and cell.number_format == "0.00"
    assert rate.number_format == "0.00%" and rate.value == FORMS[0].funding[0].execution_rate / 100
    assert ws.cell(total + 1, 7).value == "-"  # 分数 of 当年财政拨款 printed as a dash
    equals = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert equals and all(c.data_type == "s" and c.quotePrefix for c in equals)  # `=1.00(次)` is not a formula


def test_every_table_cell_has_borders_and_wraps(book):
    """Each cell, or merged range, of the table is boxed by rules; medium around the table."""
    ws = book.worksheets[0]
    for row in ws.iter_rows(min_row=3, max_row=ws.max_row):
        for cell in row:
            span = next((r for r in ws.merged_cells.ranges if cell.coordinate in r), None)
            edges = {"left": span.min_col, "right": span.max_col, "top": span.min_row, "bottom": span.max_row} \
                if span else {}
            sides = [s for s in ("left", "right", "top", "bottom")
                     if not span or (cell.column if s in ("left", "right") else cell.row) == edges[s]]
            assert all(getattr(cell.border, s).style in ("thin", "medium") for s in sides), cell.coordinate
    last = ws.max_row
    assert (ws["A3"].border.left.style, ws["A3"].border.top.style) == ("medium", "medium")
    assert ws["D6"].border.left.style == "thin"  # inside the table
    assert (ws[f"J{last}"].border.right.style, ws[f"J{last}"].border.bottom.style) == ("medium", "medium")
    filled = [c for row in ws.iter_rows(min_row=3) for c in row if c.value is not None]
    assert filled and all(c.alignment.wrap_text for c in filled)


def test_word_document_has_two_tables_per_form_and_a_repeating_header():
    pytest.importorskip("docx")
    from tests.synth.office_docx import document
    doc = document(FORMS)
    assert len(doc.tables) == 2 * len(FORMS)
    for table in doc.tables[1::2]:
        first = table.rows[0]
        assert first.cells[0].text == "一级指标"
        assert first._tr.trPr.xpath("./w:tblHeader")
    info = doc.tables[0]
    assert info.cell(0, 1).text == FORMS[0].project_name and info.cell(0, 1)._tc is info.cell(0, 7)._tc  # merged


def test_without_libreoffice_the_script_says_so_and_keeps_the_samples(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert office.main(["--data-dir", str(tmp_path)]) == 0
    assert "未找到LibreOffice" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed (a development tool only)")
def test_committed_office_samples_are_what_the_script_writes(tmp_path):
    pytest.importorskip("openpyxl")
    pytest.importorskip("docx")
    written = office.build(tmp_path)
    assert len(written) == 3
    for source, committed in sample_paths("office").items():
        fresh = sample_paths("office", tmp_path)[source]
        assert quick_texts(fresh) == quick_texts(committed), f"{committed} is stale: rerun python -m tests.synth.office"
