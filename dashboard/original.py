"""The original form: render PDF pages to PNG with the indicator rows marked. No Streamlit.

Row positions come from indicators.page/span_top/span_bottom: PDF points measured from the
top of the page, as pdfplumber reports them. pypdfium2 renders the page; PIL draws the marks.
Sources without pages (.xlsx/.xls, .html, .docx) are shown as their stored cells, merged
as in the source (form_html.cell_grid), under the note `source_note` gives.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from dashboard.data.db import REPO_ROOT
from dashboard.form_html import Rows, is_lost, records

# RGBA fill and outline per mark kind.
STYLES = {"lost": ((198, 40, 40, 60), (198, 40, 40, 255)), "row": ((31, 95, 168, 18), (31, 95, 168, 160))}
VEIL = (255, 255, 255, 170)  # over other forms sharing the page
SIDE_MARGIN = 0.04  # fraction of page width used when the table's x-extent is unknown
MAX_TEXT_BYTES = 400_000


@dataclass(frozen=True, slots=True)
class Mark:
    """One table row to outline: `lost` rows (lost points / missed target) are filled red."""

    page: int
    top: float
    bottom: float
    lost: bool = False


def marks_for(ind: Rows) -> list[Mark]:
    """A mark per indicator row with a known position (data.project.indicators); lost rows red."""
    return [Mark(int(r["page"]), float(r["span_top"]), float(r["span_bottom"]), is_lost(r))
            for r in records(ind) if all(pd.notna(r[k]) for k in ("page", "span_top", "span_bottom"))]


def extent(cells: Rows, page: int) -> tuple[tuple[float, float] | None, tuple[float, float] | None]:
    """The form's (x0, x1) and (top, bottom) on `page` from its cells; None where unknown."""
    on_page = [c for c in records(cells) if c["page"] == page
               and all(pd.notna(c[k]) for k in ("x0", "x1", "top", "bottom"))]
    if not on_page:
        return None, None
    return ((min(float(c["x0"]) for c in on_page), max(float(c["x1"]) for c in on_page)),
            (min(float(c["top"]) for c in on_page), max(float(c["bottom"]) for c in on_page)))


def page_range(page_start: object, page_end: object, n_pages: int) -> range:
    """The form's pages that exist in the file (1-based)."""
    first = int(page_start) if pd.notna(page_start) and page_start else 1
    last = int(page_end) if pd.notna(page_end) and page_end else first
    return range(max(1, first), min(last, n_pages) + 1)


def resolve_source(path: str | None, db_file: Path | None = None) -> Path | None:
    """The stored path as an existing file: absolute, else relative to the cwd, repo root or DB folder."""
    if not path:
        return None
    p = Path(path)
    candidates = [p] if p.is_absolute() else [Path.cwd() / p, REPO_ROOT / p]
    if db_file is not None and not p.is_absolute():
        candidates += [db_file.parent / p, db_file.parent.parent / p]
    return next((c for c in candidates if c.is_file()), None)


def page_count(pdf_path: Path) -> int:
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def render_page(pdf_path: Path, page: int, marks: Iterable[Mark] = (),
                x_range: tuple[float, float] | None = None, band: tuple[float, float] | None = None,
                scale: float = 1.6) -> bytes:
    """PNG bytes of 1-based `page` with the given row marks drawn over it.

    `band` (top, bottom in points) is the form's extent on the page: whatever lies outside
    it (the end of the previous form, the start of the next) is veiled.
    """
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        pg = pdf[page - 1]
        width, _ = pg.get_size()
        img = pg.render(scale=scale).to_pil().convert("RGBA")
    finally:
        pdf.close()
    x0, x1 = x_range or (width * SIDE_MARGIN, width * (1 - SIDE_MARGIN))
    overlay = Image.new("RGBA", img.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    if band is not None:
        top, bottom = max(0.0, band[0] - 6) * scale, (band[1] + 6) * scale
        draw.rectangle([0, 0, img.width, top], fill=VEIL)
        draw.rectangle([0, bottom, img.width, img.height], fill=VEIL)
    for m in sorted((m for m in marks if m.page == page), key=lambda m: m.lost):  # red on top
        fill, outline = STYLES["lost" if m.lost else "row"]
        draw.rectangle([x0 * scale, m.top * scale, x1 * scale, m.bottom * scale], fill=fill, outline=outline,
                       width=3 if m.lost else 1)
    out = io.BytesIO()
    Image.alpha_composite(img, overlay).convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()


def read_text(path: Path, limit: int = MAX_TEXT_BYTES) -> str:
    """A text source, decoded leniently (first `limit` bytes)."""
    raw = path.read_bytes()[:limit]
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


_REDRAWN = "下面按原表的合并单元格重绘；鼠标停在单元格上可看到它在源文件中的位置（{where}）。"
# What 项目详情 says above the stored cells of a source that has no page image.
SOURCE_NOTES = {
    "xlsx": "这张表来自 Excel 工作簿。" + _REDRAWN.format(where="工作表!单元格，如 Sheet1!C12"),
    "xls": "这张表来自 Excel 97-2003 工作簿（.xls）。" + _REDRAWN.format(where="工作表!单元格，如 Sheet1!C12"),
    "html": "这张表来自网页（.html）。" + _REDRAWN.format(where="如 表2 第5行 第3列"),
    "docx": "这张表来自 Word 文档（.docx）。" + _REDRAWN.format(where="如 表2 第5行 第3列"),
    "txt": "这张表来自文本文件（.txt），没有可显示的版面。下面是入库时保存的表格文字（如有）。",
}


def source_note(kind: str | None) -> str:
    """The Chinese note for a source kind without page images ("" for PDFs)."""
    return SOURCE_NOTES.get(kind or "", "")


@dataclass(frozen=True, slots=True)
class OcrBox:
    """One OCR'd cell: its box (PDF points for a PDF page, pixels for an image file) and confidence."""

    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float


OCR_LOW = (198, 40, 40)
OCR_OK = (46, 125, 50)


def render_ocr_page(source: Path, page: int, boxes: Iterable[OcrBox], low: float, scale: float = 1.6) -> bytes:
    """PNG of a scanned page, straightened as OCR read it, each OCR'd cell outlined with its confidence
    (red below `low`, green otherwise)."""
    from etl.readers.image import OCR_DPI, page_image

    img = page_image(source, page)
    unit = scale if source.suffix.lower() == ".pdf" else scale * 72 / OCR_DPI
    img = img.resize((int(img.width * scale * 72 / OCR_DPI), int(img.height * scale * 72 / OCR_DPI)))
    draw = ImageDraw.Draw(img)
    for b in boxes:
        colour = OCR_LOW if b.confidence < low else OCR_OK
        rect = [b.x0 * unit, b.top * unit, b.x1 * unit, b.bottom * unit]
        draw.rectangle(rect, outline=colour, width=3 if b.confidence < low else 1)
        draw.text((rect[0] + 2, rect[1] + 1), f"{b.confidence:.0%}", fill=colour)
    out = io.BytesIO()
    img.convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()
