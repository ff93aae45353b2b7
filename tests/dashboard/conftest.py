"""Fixtures: a dashboard database built from the golden records, plus a PDF copy of one file.

`dash_db` holds the 17 golden forms from their three text sources, the same four forms of
the 上海市科学技术协会 file again as a PDF drawn here (one form per page, indicator rows at
known positions, with cells), 抚恤金 once more for 2023 (graded 良), and an unreadable file.
The store elects the PDF copies as primaries, so the dashboard must count 18 projects, not
22, and can show 抚恤金's original page with its rows marked.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from etl.checks import check_form
from etl.keys import report_key
from etl.model import Cell, Form, ParsedFile
from etl.store import Writer
from tests.synth.golden import golden_by_source

PDF_SOURCE = "002_ad0082497000d1dc.txt"  # 上海市科学技术协会, 4 forms, 抚恤金 is the 4th
TABLE_TOP, ROW_H, X0, X1 = 120.0, 22.0, 40.0, 555.0
# Report ids as the store derives them (etl/keys.py): the file's content hash and the form's position.
PDF_4 = report_key("pdf-copy", "", 4)  # 抚恤金, the PDF copy: primary
PDF_2 = report_key("pdf-copy", "", 2)
TEXT_4 = report_key(PDF_SOURCE, "", 4)  # 抚恤金, the text copy
TEXT_1 = report_key("000_db8c161870266780.txt", "", 1)  # a golden text source
TEXT_7 = report_key("000_db8c161870266780.txt", "", 7)  # 外事出访、交流, the lowest 执行率
EARLIER = report_key("2023", "", 1)  # 抚恤金 2023


def draw_pdf(path: Path, forms: list[Form]) -> list[Form]:
    """One page per form: title and one boxed row per indicator. Returns the forms with
    page numbers, indicator spans and cells (bbox) as a PDF reader would record them."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    height = A4[1]
    placed = []
    for page, form in enumerate(forms, start=1):
        c.setFont("STSong-Light", 14)
        c.drawString(X0, height - 80, f"{form.project_name}（{form.year}年度）")
        c.setFont("STSong-Light", 8)
        indicators, cells = [], [Cell(form.project_name, page, 0, 0, (X0, 66.0, X1, 84.0))]
        for n, ind in enumerate(form.indicators):
            top = TABLE_TOP + n * ROW_H
            c.rect(X0, height - top - ROW_H, X1 - X0, ROW_H)
            c.drawString(X0 + 4, height - top - 14, f"{ind.level2} {ind.name} {ind.target} {ind.actual} {ind.score}")
            indicators.append(dataclasses.replace(ind, page=page, span=(top, top + ROW_H)))
            cells.append(Cell(ind.name, page, n + 1, 0, (X0, top, X1, top + ROW_H)))
        c.showPage()
        placed.append(dataclasses.replace(form, page_start=page, page_end=page, indicators=indicators, cells=cells))
    c.save()
    return placed


def build_db(db_path: Path, pdf_path: Path) -> None:
    sources = golden_by_source()
    files = [ParsedFile(path=f"data/variants/text/{name}", sha256=name, kind="txt", pages=len(forms),
                        forms=[check_form(f) for f in forms]) for name, forms in sources.items()]
    pdf_forms = draw_pdf(pdf_path, sources[PDF_SOURCE])
    files.append(ParsedFile(path=str(pdf_path), sha256="pdf-copy", kind="pdf", pages=len(pdf_forms),
                            forms=[check_form(f) for f in pdf_forms]))
    # The same 抚恤金 project a year earlier, graded 良: "other years" and the 良 filter have a row.
    earlier = dataclasses.replace(sources[PDF_SOURCE][3], form_index=1, year=2023, total_score=88.0, grade="良")
    files.append(ParsedFile(path="data/variants/text/科协_2023.txt", sha256="2023", kind="txt", pages=1,
                            forms=[check_form(earlier)]))
    files.append(ParsedFile(path="data/scans/扫描件.pdf", sha256="scan", kind="pdf", pages=3,
                            error="未识别到绩效自评表（不是自评表或版式无法识别）"))
    with Writer(db_path, rebuild=True) as w:
        w.add_files(files)


@pytest.fixture(scope="session")
def dash_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dash")
    db_path = root / "jixiao.duckdb"
    build_db(db_path, root / "上海市科学技术协会_2024.pdf")
    return db_path


@pytest.fixture()
def db_env(dash_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JIXIAO_DB", str(dash_db))
    return dash_db
