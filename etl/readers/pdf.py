"""PDF -> Document via pdfplumber: ruled tables as grid rows, other text as lines.

Each page is parsed once: its objects are laid out by pdfminer, duplicated chars
(bold faked by overprinting) are dropped, the ruled tables are found from the
drawn lines, and every char is assigned in one pass either to the table cell that
contains it or to a free text line. A table row becomes one `Cell` per grid column;
the grid is the union of the table's cell edges, so a merged cell leaves "" in the
positions it covers. When a page starts with the continuation of the previous
page's table, that table's grid is kept so columns keep their index across pages.

Office exporters add two twists (LibreOffice, see tests/etl/readers/
test_pdf_office_quirks.py): a merged cell cut by a page break is left open at the page
edge, so those tables are closed with a synthetic rule (`closing_rules`); and text is
drawn then clipped, so chars a clipping path hides (pdf_clip) go to the cell their clip
box shows, or are dropped when no cell is there.

Chromium ("Save as PDF" of an HTML table) draws each cell's sides as separate segments
per row band, so a segment's end is not an open end when the rule continues below it
(`_continued`): a merged category cell stays one cell, whatever band its centred lines
fall in. A merged cell cut by a page break continues on the next page (pdf_table).
"""

from __future__ import annotations

import bisect
import logging
import os
from dataclasses import dataclass, field
from typing import Any

import pdfplumber
from pdfplumber.utils import cluster_objects, extract_text
from pdfplumber.utils.exceptions import PdfminerException
from pdfminer.pdfdocument import PDFEncryptionError

from etl.model import Cell, Document
from etl.normalize import clean, has_cid
from etl.readers import EMPTY_FILE, UnreadableFile
from etl.readers.pdf_clip import hidden_chars
from etl.readers.pdf_table import EDGE_TOL, BBox, Char, Item, TableGrid, continue_cut_cells

# pdfminer logs font-descriptor quirks of ordinary producers (Chromium's subset fonts: "Could
# not get FontBBox") as warnings on the console of every ingest; what matters is recorded per file.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

EMPTY = EMPTY_FILE  # one wording whichever layer notices
CORRUPT = "文件损坏或不完整，无法解析"
ENCRYPTED = "PDF已加密，无法读取"
SCANNED = "扫描件，无文本层，无法解析"
NO_TEXT = "PDF中没有文字内容，无法解析"

# Some producers pad files after %%EOF; a marker anywhere in the last 64 KiB will do.
TAIL_WINDOW = 1 << 16


class UnreadablePDF(UnreadableFile):
    """The PDF cannot be read at all; `reason` (Chinese) says why."""


@dataclass(slots=True)
class _Reading:
    last_grid: list[float] | None = None  # x edges of the last table read
    cut: list[tuple[int, int]] = field(default_factory=list)  # (doc row, col) of cells cut at the last page foot
    chars_seen: int = 0
    image_pages: list[int] = field(default_factory=list)  # pages with images and no text


def read_pdf(path: str) -> Document:
    _check_envelope(path)
    try:
        pdf = pdfplumber.open(path)
    except PdfminerException as exc:
        raise UnreadablePDF(_reason(exc)) from exc
    with pdf:
        try:
            pages = pdf.pages
        except PdfminerException as exc:
            raise UnreadablePDF(_reason(exc)) from exc
        doc = Document(path=path, kind="pdf", pages=len(pages))
        state = _Reading()
        for page in pages:
            try:
                _append_rows(doc, page, _read_page(page, state), state)
            finally:
                page.close()  # drop the page's cached objects: memory stays flat
    try:
        _finish(doc, state)
    except UnreadablePDF as exc:
        exc.pages = doc.pages  # type: ignore[attr-defined]  # blank pages still count in files.pages
        raise
    return doc


def _check_envelope(path: str) -> None:
    size = os.path.getsize(path)
    if size == 0:
        raise UnreadablePDF(EMPTY)
    with open(path, "rb") as fh:
        head = fh.read(1024)
        fh.seek(max(0, size - TAIL_WINDOW))
        tail = fh.read()
    if b"%PDF-" not in head or b"%%EOF" not in tail:
        raise UnreadablePDF(CORRUPT)


def _reason(exc: BaseException) -> str:
    inner = exc.args[0] if exc.args else exc
    return ENCRYPTED if isinstance(inner, PDFEncryptionError) else CORRUPT


def _read_page(page: pdfplumber.page.Page, state: _Reading) -> list[Item]:
    try:
        hidden = hidden_chars(page)  # pdfminer lays the page out here, once
        objects = page.objects
    except Exception as exc:  # noqa: BLE001 - any pdfminer failure means a damaged stream
        raise UnreadablePDF(CORRUPT) from exc
    chars = dedupe(objects.get("char", []))
    state.chars_seen += len(chars)
    if objects.get("image") and not chars:
        state.image_pages.append(page.page_number)
    settings = {"explicit_horizontal_lines": closing_rules(page.edges)}
    rules = [e for e in page.edges if e["orientation"] == "h"]
    grids = [TableGrid(t, state.last_grid if i == 0 else None, rules) for i, t in enumerate(page.find_tables(settings))]
    if grids:
        if grids[0].xs is not state.last_grid:
            state.cut = []  # a new table: nothing on this page continues a cut cell
        state.last_grid = grids[-1].xs
    free: list[Char] = []
    for ch in chars:
        if not any(g.take(ch) for g in grids):
            free.append(ch)
    for ch, clip in hidden:
        _take_hidden(ch, clip, grids)
    # The table a page break may cut: the last one with text (Chromium leaves rule stubs of
    # the next row in the bottom margin, which the table finder reads as an empty table).
    last = max((i for i, g in enumerate(grids) if any(g.chars)), default=len(grids) - 1)
    items = [item for i, g in enumerate(grids) for item in g.items(first=i == 0, last=i == last)]
    items += _lines(free)
    items.sort(key=lambda it: (round(it.top, 1), it.x0))
    return items


def dedupe(chars: list[Char], tol: float = 1.0) -> list[Char]:
    """Drop chars printed again at (almost) the same place: fake bold, doubled text layers.

    Same rule as pdfplumber's `dedupe_chars` (same text, font and size, position within
    `tol`), but one hash lookup per char instead of sorting and clustering the page.
    """
    seen: dict[tuple[Any, ...], list[Char]] = {}
    out = []
    for ch in chars:
        x, y = ch["x0"], ch["top"]
        gx, gy = int(x // tol), int(y // tol)
        ident = (ch["text"], ch["fontname"], ch["size"])
        if not _near(seen, ident, gx, gy, x, y, tol):
            seen.setdefault((*ident, gx, gy), []).append(ch)
            out.append(ch)
    return out


def _near(seen: dict[tuple[Any, ...], list[Char]], ident: tuple[Any, ...], gx: int, gy: int,
          x: float, y: float, tol: float) -> bool:
    for kx in (gx - 1, gx, gx + 1):
        for ky in (gy - 1, gy, gy + 1):
            for other in seen.get((*ident, kx, ky), ()):
                if abs(other["x0"] - x) <= tol and abs(other["top"] - y) <= tol:
                    return True
    return False


def _append_rows(doc: Document, page: pdfplumber.page.Page, items: list[Item], state: _Reading) -> None:
    """Append the page's rows; the text a cut cell continues with on this page joins the cell."""
    cut, state.cut = state.cut, []
    for item in items:
        n = len(doc.rows)
        row = [Cell(clean(text), page.page_number, n, col, bbox) for col, (text, bbox) in enumerate(item.cells)]
        if item.open_top and cut:
            row = continue_cut_cells(doc, cut, row, item.open_top)
        doc.rows.append(row)
        state.cut += [(n, c) for c in item.cut]


def _finish(doc: Document, state: _Reading) -> None:
    if state.chars_seen == 0:
        raise UnreadablePDF(SCANNED if state.image_pages else NO_TEXT)
    if state.image_pages:
        doc.warnings.append(f"第{_pages(state.image_pages)}页只有图像、没有文本层（可能是扫描页），内容未读取")
    cid_pages = sorted({c.page for row in doc.rows for c in row if has_cid(c.text)})
    if cid_pages:
        doc.warnings.append(f"第{_pages(cid_pages)}页有字形缺少Unicode映射（显示为(cid:N)），这些文字无法识别")


def _pages(numbers: list[int]) -> str:
    return "、".join(str(n) for n in numbers)


def _lines(chars: list[Char]) -> list[Item]:
    """Free text (outside tables) as one single-cell item per printed line."""
    out = []
    for line in cluster_objects(chars, "top", tolerance=3):
        bbox = (min(c["x0"] for c in line), min(c["top"] for c in line),
                max(c["x1"] for c in line), max(c["bottom"] for c in line))
        out.append(Item(bbox[1], bbox[0], [(extract_text(line), bbox)]))
    return out


def closing_rules(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Horizontal rules that close tables a page break left open.

    In a ruled table every vertical rule ends on a horizontal one. Where a merged cell
    runs on past a page break, LibreOffice leaves its columns open at the page edge
    (no rule across them), so the table finder would drop those columns and their text
    would become free lines. A level of vertical rule ends with at least one open end
    gets a rule from its leftmost to its rightmost end.
    """
    vertical = [e for e in edges if e["orientation"] == "v" and e["height"] >= 1]
    horizontal = sorted((e for e in edges if e["orientation"] == "h" and e["width"] >= 1), key=lambda e: e["top"])
    tops = [e["top"] for e in horizontal]
    columns = _by_x(vertical)
    out = []
    for end in ("top", "bottom"):
        for group in cluster_objects(vertical, end, tolerance=EDGE_TOL):
            y = group[0][end]
            if len(group) < 2 or all(_closed(e["x0"], y, horizontal, tops) or _continued(e, end, columns)
                                     for e in group):
                continue
            x0, x1 = min(e["x0"] for e in group), max(e["x1"] for e in group)
            out.append({"object_type": "rule_edge", "orientation": "h", "x0": x0, "x1": x1,
                        "top": y, "bottom": y, "width": x1 - x0, "height": 0.0})
    return out


def _by_x(vertical: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for e in vertical:
        out.setdefault(round(e["x0"]), []).append(e)
    return out


def _continued(edge: dict[str, Any], end: str, columns: dict[int, list[dict[str, Any]]]) -> bool:
    """The rule goes on past this end in another segment: Chromium draws a merged cell's
    side as one segment per row band, so a segment's end is not an open end."""
    y = edge[end]
    for key in (round(edge["x0"]) - 1, round(edge["x0"]), round(edge["x0"]) + 1):
        for other in columns.get(key, ()):
            if other is edge or abs(other["x0"] - edge["x0"]) > EDGE_TOL:
                continue
            beyond = other["bottom"] > y + EDGE_TOL if end == "bottom" else other["top"] < y - EDGE_TOL
            if beyond and other["top"] - EDGE_TOL <= y <= other["bottom"] + EDGE_TOL:
                return True
    return False


def _closed(x: float, y: float, horizontal: list[dict[str, Any]], tops: list[float], tol: float = 3.0) -> bool:
    """A horizontal rule (sorted by `tops`) passes through (x, y), within the table
    finder's snap tolerance."""
    lo, hi = bisect.bisect_left(tops, y - tol), bisect.bisect_right(tops, y + tol)
    return any(h["x0"] - tol <= x <= h["x1"] + tol for h in horizontal[lo:hi])


def _take_hidden(ch: Char, clip: BBox, grids: list[TableGrid]) -> bool:
    """A char a clip hides belongs to the cell its clip box shows (see pdf_clip): it is
    placed at the clip's middle, on its own x where that lies inside the clip. Hidden
    text outside every table is not printed and is dropped."""
    x = min(max((ch["x0"] + ch["x1"]) / 2, clip[0]), clip[2])
    return any(g.take(ch, (x, (clip[1] + clip[3]) / 2)) for g in grids)
