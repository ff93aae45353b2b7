"""Scanned pages -> Document by OCR: image files, and PDF pages without a usable text layer
(those are picked by etl.readers.pdf_ocr).

A page is cleaned and deskewed and its ruled tables are found (ocr_grid); every text line
of every cell is recognised (ocr_engine) and the rows are laid out exactly as the PDF reader
lays them out (one cell per grid column, merged spans at their top-left with rowspan/colspan,
"" in the positions they cover, text outside tables one cell per line), so the parser and the
checks cannot tell a scan from a text PDF, except that every OCR'd cell carries `confidence`.

bbox: PDF points for PDF pages (rendered at OCR_DPI), pixels for image files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from etl.model import Cell, Document
from etl.normalize import clean
from etl.readers import UnreadableFile
from etl.readers import ocr_grid as grid
from etl.readers.ocr_engine import engine, punctuation_by_context

OCR_DPI = 200  # enough for 9 pt print; the recogniser scales lines to 48 px anyway
GRID_TOL = 4.0  # points: a continuing table's rules lie this close to the previous page's
DASH, DASH_CONFIDENCE = "-", 0.95
UNREADABLE_IMAGE = "图像文件无法打开或已损坏"
IMAGE_TOO_LARGE = "图像像素过多（可能是恶意文件），未读取"


@dataclass(slots=True)
class _Item:
    top: float
    x0: float
    cells: list[tuple[str, tuple[float, float, float, float], float | None, int, int]]


@dataclass(slots=True)
class _State:
    last_xs: list[float] | None = None  # x rules (output units) of the last table read


def ocr_note(pages: list[int]) -> str:
    return f"第{'、'.join(map(str, pages))}页为扫描图像，文字经OCR识别（每个单元格带置信度，低置信度数值请对照原件核对）"


def read_image(path: str) -> Document:
    """An image file (.png/.jpg/.tif, multi-page TIFF too): every frame OCR'd as one page."""
    frames = list(_frames(path))
    doc = Document(path=path, kind="image", pages=len(frames))
    state = _State()
    for number, img in enumerate(frames, start=1):
        _append(doc, ocr_page(img, number, 1.0, state), number)
    doc.warnings.append(ocr_note(list(range(1, len(frames) + 1))))
    return doc


def ocr_pdf_pages(path: str, pages: list[int]) -> list[list[Cell]]:
    import pypdfium2 as pdfium

    doc = Document(path=path, kind="pdf", pages=0)
    state = _State()
    pdf = pdfium.PdfDocument(path)
    try:
        for number in pages:
            img = _rendered_bgr(pdf[number - 1])
            _append(doc, ocr_page(img, number, 72 / OCR_DPI, state), number)
    finally:
        pdf.close()
    return doc.rows


def page_image(path: str | Path, page: int) -> Image.Image:
    """Page `page` (1-based) as the OCR read it: rendered at OCR_DPI or loaded, then straightened."""
    path = str(path)
    if path.lower().endswith(".pdf"):
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(path)
        try:
            bgr = _rendered_bgr(pdf[page - 1])
        finally:
            pdf.close()
    else:
        bgr = next(f for i, f in enumerate(_frames(path), start=1) if i == page)
    straight, _ = grid.straighten(np.ascontiguousarray(bgr))
    return Image.fromarray(straight[:, :, ::-1])


def _rendered_bgr(page) -> np.ndarray:  # a pypdfium2 PdfPage
    """The page at OCR_DPI as a BGR array, as OpenCV expects: pdfium's own pixel order, taken
    as it is (through PIL it cost ~30x more)."""
    bitmap = page.render(scale=OCR_DPI / 72)
    if bitmap.mode == "BGR":
        return bitmap.to_numpy().copy()
    return np.asarray(bitmap.to_pil().convert("RGB"))[:, :, ::-1].copy()


def _frames(path: str) -> Iterator[np.ndarray]:
    from PIL import ImageSequence, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            for frame in ImageSequence.Iterator(im):
                yield np.asarray(frame.convert("RGB"))[:, :, ::-1].copy()
    except Image.DecompressionBombError as exc:  # PIL's guard against pixel bombs
        raise UnreadableFile(IMAGE_TOO_LARGE) from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise UnreadableFile(UNREADABLE_IMAGE) from exc


def ocr_page(img: np.ndarray, number: int, unit: float, state: _State) -> list[_Item]:
    """One page image -> items (table rows and free lines), coordinates times `unit`."""
    page = grid.prepare(img)
    tables = grid.find_tables(page.ink)
    min_h = round(page.dpi * 0.13)  # height of a line of 9-10 pt print
    lines: list[grid.Box] = []
    for t in tables:
        for c in t.cells:
            c.lines = grid.text_lines(page.ink, c.box, min_ink=page.min_ink, max_line=page.max_line)
            lines += c.lines
    free = grid.free_lines(page.ink, tables, page.min_ink)
    read = {b: (DASH, DASH_CONFIDENCE) for b in lines if _is_dash(b, min_h)}
    todo = [b for b in lines + free if b not in read]
    read.update(zip(todo, engine().read_lines([grid.crop(page.grey, b, min_h=min_h) for b in todo])))
    items = [_free_item(b, read[b], unit) for b in free]
    for t in tables:
        items += _table_items(t, read, unit, state)
    items.sort(key=lambda it: (round(it.top, 1), it.x0))
    return items


def _is_dash(box: grid.Box, text_h: int) -> bool:
    """A lone short flat stroke: the `-` printed for "no figure". The recogniser, shown a dash
    without neighbours, guesses (`:` `` ` `` `i`); its shape alone is unambiguous."""
    w, h = box[2] - box[0], box[3] - box[1]
    return h <= text_h * 0.25 and w >= 2 * h and w <= text_h * 0.6


def _free_item(box: grid.Box, line: tuple[str, float], unit: float) -> _Item:
    bbox = _scale(box, unit)
    text = punctuation_by_context(line[0], engine().measures_punctuation)
    return _Item(bbox[1], bbox[0], [(text, bbox, line[1], 1, 1)])


def _table_items(t: grid.Table, read: dict[grid.Box, tuple[str, float]], unit: float, state: _State) -> list[_Item]:
    own = [x * unit for x in t.xs]
    xs = state.last_xs if state.last_xs and _continues(own, state.last_xs) else own
    state.last_xs = xs
    ys = [y * unit for y in t.ys]
    starts: dict[int, dict[int, grid.GridCell]] = {}
    for c in t.cells:
        starts.setdefault(c.row, {})[_nearest(xs, c.box[0] * unit)] = c
    out = []
    for r in sorted(starts):
        bottom = min(ys[c.row + c.rowspan] for c in starts[r].values())
        slots = [("", (xs[k], ys[r], xs[k + 1], bottom), None, 1, 1) for k in range(len(xs) - 1)]
        for k, c in starts[r].items():
            found = [read[b] for b in c.lines]
            text = punctuation_by_context("\n".join(s for s, _ in found), engine().measures_punctuation)
            conf = min((p for _, p in found), default=None)
            span = max(1, _nearest(xs, c.box[2] * unit) - k)
            slots[k] = (text, _scale(c.box, unit), conf, c.rowspan, span)
        out.append(_Item(ys[r], xs[0], slots))
    return out


def _append(doc: Document, items: list[_Item], page: int) -> None:
    for item in items:
        n = len(doc.rows)
        doc.rows.append([Cell(clean(text), page, n, col, bbox, rowspan, colspan, confidence=conf)
                         for col, (text, bbox, conf, rowspan, colspan) in enumerate(item.cells)])


def _scale(box: grid.Box, unit: float) -> tuple[float, float, float, float]:
    return (box[0] * unit, box[1] * unit, box[2] * unit, box[3] * unit)


def _nearest(edges: list[float], v: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - v))


def _continues(own: list[float], previous: list[float]) -> bool:
    """A table on the previous table's column rules (same outer edges): columns keep their index."""
    if abs(own[0] - previous[0]) > GRID_TOL or abs(own[-1] - previous[-1]) > GRID_TOL:
        return False
    return all(abs(previous[_nearest(previous, x)] - x) <= GRID_TOL for x in own)
