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
