"""The scanned page under 项目详情: OCR'd cells outlined, red when doubtful, green otherwise."""

from __future__ import annotations

import io

from PIL import Image

from dashboard.original import OCR_LOW, OCR_OK, OcrBox, render_ocr_page
from tests.synth.golden import REPO_ROOT

SCAN = REPO_ROOT / "data" / "samples" / "scan" / "扫描件.pdf"


def test_ocr_cells_are_outlined_by_confidence() -> None:
    scale = 1.0
    boxes = [OcrBox(100, 200, 200, 230, 0.99), OcrBox(300, 400, 380, 430, 0.42)]
    img = Image.open(io.BytesIO(render_ocr_page(SCAN, 1, boxes, low=0.9, scale=scale))).convert("RGB")
    assert abs(img.width - 595) <= 2  # A4 width in points at scale 1
    def near(xy, colour):  # noqa: E306 - one-line helper
        px = img.getpixel(xy)
        return all(abs(a - b) <= 40 for a, b in zip(px, colour))
    assert near((150, 200), OCR_OK) or near((150, 201), OCR_OK)  # top edge of the confident cell
    assert near((340, 430), OCR_LOW) or near((340, 429), OCR_LOW)  # bottom edge of the doubtful one
    assert not near((250, 300), OCR_LOW)


def test_the_detail_page_of_a_scanned_form_shows_its_ocr_boxes(tmp_path, monkeypatch) -> None:
    import duckdb

    from etl.ingest import ingest
    from tests.dashboard.test_app import open_app

    db = tmp_path / "scan.duckdb"
    ingest([SCAN], db)
    with duckdb.connect(str(db), read_only=True) as con:
        (report_id,), = con.execute("SELECT report_id FROM reports").fetchall()
        codes = {c for (c,) in con.execute("SELECT code FROM findings").fetchall()}
        warnings, = con.execute("SELECT warnings FROM files").fetchone()
    assert "ocr_read" in codes and "OCR" in warnings
    monkeypatch.setenv("JIXIAO_DB", str(db))
    at = open_app("detail", project=str(report_id))
    assert at.title[0].value == "缴纳残疾人就业保障费"
    assert any("OCR" in c.value for c in at.caption)
    assert at.get("image"), "the scanned page is shown with its boxes"
