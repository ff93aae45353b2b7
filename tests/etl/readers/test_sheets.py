"""The Excel reader: merged ranges, number formats, hidden rows/columns/sheets, refs, .xls."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from etl.compare import comparable
from etl.parse import parse_document
from etl.readers import READERS, UnreadableFile, read_document
from etl.readers.xlsx import read_xlsx, show_number
from tests.synth.golden import golden_forms
from tests.synth.office_xlsx import workbook
from tests.synth.source_files import HIDDEN_NOTE, HIDDEN_ROW, paths, stacked_workbook, with_hidden_sheet

XLS_SAMPLE = Path(__file__).parent / "data" / "one_form.xls"  # tests.synth.source_files.make_xls


@pytest.mark.parametrize("value,fmt,shown", [
    (0.9191, "0.00%", "91.91%"), (1, "0%", "100%"), (3.2, "0.00", "3.20"), (3.2, "General", "3.2"),
    (1234.5, "#,##0.00", "1,234.50"), (10.0, "General", "10"), (0.1 + 0.2, "General", "0.3"),
    (-2.5, '0.00_);[Red]\\(0.00\\)', "-2.50"), (7.0, '0.0"万元"', "7.0"),
])
def test_numbers_read_as_excel_shows_them(value, fmt, shown):
    assert show_number(value, fmt) == shown


def test_percent_formatted_rate_is_the_printed_percentage(tmp_path):
    form = next(f for f in golden_forms() if any(fl.execution_rate not in (None, 100.0) for fl in f.funding))
    path = tmp_path / "rate.xlsx"
    workbook([form]).save(path)
    stored = [c.value for row in workbook([form]).worksheets[0].iter_rows() for c in row
              if c.number_format == "0.00%"]
    assert stored and all(0 <= v <= 1.5 for v in stored)  # the workbook holds fractions
    got = parse_document(read_xlsx(str(path)))[0]
    assert [fl.execution_rate for fl in got.funding] == [fl.execution_rate for fl in form.funding]


def test_cells_carry_sheet_and_address_and_spans(tmp_path):
    form = golden_forms()[0]
    path = tmp_path / "one.xlsx"
    workbook([form]).save(path)
    doc = read_xlsx(str(path))
    sheet = workbook([form]).worksheets[0].title
    title = doc.rows[0][0]
    assert (title.text, title.ref, title.page, title.colspan) == ("财政项目支出绩效自评表", f"{sheet}!A1", 1, 10)
    cat = next(c for row in doc.rows for c in row if c.text == "产出指标")
    assert cat.rowspan == sum(i.level1 == "产出指标" for i in form.indicators)
    below = doc.rows[cat.row + 1][cat.col]
    assert below.text == "" and below.ref == f"{sheet}!A{int(cat.ref.split('!A')[1]) + 1}"


def test_hidden_rows_columns_and_sheets_are_left_out(tmp_path):
    forms = golden_forms()[:3]
    for make in (stacked_workbook, with_hidden_sheet):
        path = tmp_path / f"{make.__name__}.xlsx"
        make(forms).save(path)
        doc = read_xlsx(str(path))
        texts = {c.text for row in doc.rows for c in row}
        assert HIDDEN_ROW not in texts and HIDDEN_NOTE not in texts
        assert [comparable(f) for f in parse_document(doc)] == [comparable(f) for f in forms]
    assert any("填表说明" in w for w in doc.warnings)


def test_several_forms_on_one_sheet():
    doc = read_document(paths("xlsx")["002_ad0082497000d1dc.txt"])
    forms = parse_document(doc)
    assert len(forms) == 4 and {c.page for f in forms for c in f.cells} == {1}
    assert forms[1].cells[0].ref.startswith("自评表!A")


def test_formula_without_cached_value_is_read_as_written_with_a_warning(tmp_path):
    wb = Workbook()
    wb.active["A1"] = "=SUM(B1:B2)"
    wb.save(tmp_path / "f.xlsx")
    doc = read_xlsx(str(tmp_path / "f.xlsx"))
    assert doc.rows[0][0].text == "=SUM(B1:B2)" and "Sheet!A1" in doc.warnings[0]


@pytest.mark.parametrize("content", [b"", b"not a zip", b"PK\x03\x04broken"])
def test_broken_workbooks_are_unreadable_not_crashes(tmp_path, content):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile):
        read_xlsx(str(path))


def test_every_suffix_is_registered_once():
    assert {s: r.kind for s, r in READERS.items() if r.kind in ("xlsx", "xls", "html", "docx")} == {
        ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".html": "html", ".htm": "html", ".docx": "docx"}


def test_xls_is_read_with_xlrd():
    doc = read_document(XLS_SAMPLE)
    assert doc.kind == "xls"
    assert [comparable(f) for f in parse_document(doc)] == [comparable(golden_forms()[0])]
    assert doc.rows[0][0].ref.endswith("!A1")
