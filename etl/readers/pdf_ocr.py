"""The PDF reader with OCR for the pages that need it: what the registry runs for `.pdf`.

A page has no usable text layer when nothing is read from it (a scan) or its text is
`(cid:N)` glyphs without a Unicode map. Those pages are OCR'd (etl.readers.image) and their
rows take the place of the text rows, in page order. The OCR modules (OpenCV, onnxruntime)
are imported only when a page needs them, so text PDFs start as fast as before.
"""

from __future__ import annotations

import dataclasses

from etl.model import Cell, Document
from etl.normalize import has_cid
from etl.readers.pdf import SCANNED, UnreadablePDF, read_pdf


def read_pdf_or_scan(path: str) -> Document:
    """The PDF reader, with pages that have no usable text (none, or (cid:N) glyphs) OCR'd instead."""
    try:
        doc = read_pdf(path)
    except UnreadablePDF as exc:
        if exc.reason != SCANNED:
            raise
        doc = Document(path=path, kind="pdf", pages=_pdf_pages(path))
    pages = _pages_without_text(doc)
    if not pages:
        return doc
    from etl.readers.image import ocr_note, ocr_pdf_pages

    ocr_rows = ocr_pdf_pages(path, pages)
    kept = [row for row in doc.rows if row and row[0].page not in pages]
    doc.rows = _renumber(sorted(kept + ocr_rows, key=lambda r: r[0].page))  # stable: page order kept
    doc.warnings = [w for w in doc.warnings if "没有文本层" not in w and "(cid:N)" not in w]
    doc.warnings.append(ocr_note(pages))
    return doc


def _pages_without_text(doc: Document) -> list[int]:
    """Pages with `(cid:N)` text, and pages without any text that hold an image (a blank page is no scan)."""
    texts: dict[int, list[str]] = {}
    for row in doc.rows:
        for c in row:
            texts.setdefault(c.page, []).append(c.text)
    cid = {p for p, t in texts.items() if any(has_cid(x) for x in t)}
    empty = [p for p in range(1, doc.pages + 1) if not any(t.strip() for t in texts.get(p, []))]
    return sorted(cid | set(_with_images(doc.path, empty)))


def _with_images(path: str, pages: list[int]) -> list[int]:
    if not pages:
        return []
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pdf = pdfium.PdfDocument(path)
    try:
        return [p for p in pages if any(True for _ in pdf[p - 1].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))]
    finally:
        pdf.close()


def _pdf_pages(path: str) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def _renumber(rows: list[list[Cell]]) -> list[list[Cell]]:
    return [[dataclasses.replace(c, row=n) for c in row] for n, row in enumerate(rows)]
