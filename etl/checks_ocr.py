"""Findings for forms read by OCR: which figures to verify against the scan.

A form whose cells carry a confidence was read from a scan: it gets one `ocr_read` note,
and every printed text the recogniser was not sure of gets `ocr_low_confidence` (tied to its
indicator row where it lies in one). The arithmetic checks (etl.checks) run as for any form,
so a misread figure that breaks a total or a 执行率 is caught there too.
"""

from __future__ import annotations

from etl.model import Cell, Finding, Form

# Lowest character probability a value may have without a finding. Chosen on the golden scans
# (bench/ocr.py prints the confidences of right and wrong fields): every wrong field there
# lies below it, while most right ones lie above.
LOW_CONFIDENCE = 0.9


def check_ocr(form: Form) -> list[Finding]:
    ocr = [c for c in form.cells if c.confidence is not None and c.text.strip()]
    if not ocr:
        return []
    out = [Finding("ocr_read", "info", f"本表由扫描图像经OCR识别（{len(ocr)}个单元格），数值以原件为准")]
    for cell in ocr:
        if cell.confidence < LOW_CONFIDENCE:
            text = cell.text.replace("\n", "")
            shown = text if len(text) <= 20 else text[:20] + "…"
            out.append(Finding("ocr_low_confidence", "warning",
                               f"第{cell.page}页「{shown}」OCR置信度{cell.confidence:.0%}，请对照原件核对",
                               _row_no(form, cell)))
    return out


def _row_no(form: Form, cell: Cell) -> int | None:
    """The indicator row whose printed span holds the cell's middle, if any."""
    if cell.bbox is None:
        return None
    mid = (cell.bbox[1] + cell.bbox[3]) / 2
    for ind in form.indicators:
        if ind.page == cell.page and ind.span and ind.span[0] <= mid <= ind.span[1]:
            return ind.row_no
    return None
