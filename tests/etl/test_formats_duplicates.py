"""The same forms arriving as a Chromium-printed PDF and as the .xlsx they were made from
are one set of forms (store.elect_primaries); a copy that disagrees is a finding."""

from __future__ import annotations

import shutil
from pathlib import Path

from openpyxl import load_workbook

from etl.ingest import ingest
from etl.store import connect_readonly
from tests.synth.chromium_pdf import sample_paths
from tests.synth.source_files import paths

SOURCE = "004_7b7c0afb335e079f.txt"  # 4 forms, one sheet each


def load(folder: Path, db: Path) -> tuple[list[tuple], list[tuple]]:
    ingest([folder], db, workers=1)
    with connect_readonly(db) as con:
        reports = con.execute("SELECT f.kind, r.duplicate_of IS NULL FROM reports r JOIN files f USING (file_id) "
                              "ORDER BY f.kind, r.form_index").fetchall()
        findings = con.execute("SELECT message FROM findings WHERE code = 'duplicate_mismatch'").fetchall()
    return reports, findings


def test_pdf_and_xlsx_copies_are_one_form_and_mismatches_are_findings(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(sample_paths("chromium")[SOURCE], folder / "a.pdf")
    xlsx = Path(shutil.copy(paths("xlsx")[SOURCE], folder / "a.xlsx"))
    reports, findings = load(folder, tmp_path / "one.duckdb")
    assert reports == [("pdf", True)] * 4 + [("xlsx", False)] * 4  # the PDF is primary
    assert findings == []

    wb = load_workbook(xlsx)
    ws = wb.worksheets[0]
    total = next(row for row in ws.iter_rows() if row[0].value == "总分")
    score = [c for c in total if isinstance(c.value, (int, float))][-1]
    score.value -= 1  # the spreadsheet says one point less than the printed PDF
    wb.save(xlsx)
    reports, findings = load(folder, tmp_path / "two.duckdb")
    assert reports == [("pdf", True)] * 4 + [("xlsx", False)] * 4
    assert len(findings) == 1 and "a.xlsx" in findings[0][0]
