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
"""

from __future__ import annotations

import bisect
import os
from dataclasses import dataclass, field
from typing import Any

import pdfplumber
from pdfplumber.table import Table
from pdfplumber.utils import cluster_objects, extract_text
from pdfplumber.utils.exceptions import PdfminerException
from pdfminer.pdfdocument import PDFEncryptionError

from etl.model import Cell, Document
from etl.normalize import clean, has_cid
from etl.readers import EMPTY_FILE, UnreadableFile
from etl.readers.pdf_clip import hidden_chars

EMPTY = EMPTY_FILE  # one wording whichever layer notices
CORRUPT = "文件损坏或不完整，无法解析"
ENCRYPTED = "PDF已加密，无法读取"
SCANNED = "扫描件，无文本层，无法解析"
NO_TEXT = "PDF中没有文字内容，无法解析"

# Some producers pad files after %%EOF; a marker anywhere in the last 64 KiB will do.
TAIL_WINDOW = 1 << 16
EDGE_TOL = 1.0  # points: cell edges closer than this are the same grid line
Char = dict[str, Any]
BBox = tuple[float, float, float, float]


class UnreadablePDF(UnreadableFile):
    """The PDF cannot be read at all; `reason` (Chinese) says why."""


@dataclass(slots=True)
class _Item:
    """A future Document row: a table row or a free text line, with its page position."""

    top: float
    x0: float
    cells: list[tuple[str, BBox]]


@dataclass(slots=True)
class _Reading:
    last_grid: list[float] | None = None  # x edges of the last table read
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
                _append_rows(doc, page, _read_page(page, state))
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


def _read_page(page: pdfplumber.page.Page, state: _Reading) -> list[_Item]:
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
    grids = [_TableGrid(t, state.last_grid if i == 0 else None) for i, t in enumerate(page.find_tables(settings))]
    if grids:
        state.last_grid = grids[-1].xs
    free: list[Char] = []
    for ch in chars:
        if not any(g.take(ch) for g in grids):
            free.append(ch)
    for ch, clip in hidden:
        _take_hidden(ch, clip, grids)
    items = [item for g in grids for item in g.items()] + _lines(free)
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


def _append_rows(doc: Document, page: pdfplumber.page.Page, items: list[_Item]) -> None:
    for item in items:
        n = len(doc.rows)
        doc.rows.append([Cell(clean(text), page.page_number, n, col, bbox) for col, (text, bbox) in
                         enumerate(item.cells)])


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


def _lines(chars: list[Char]) -> list[_Item]:
    """Free text (outside tables) as one single-cell item per printed line."""
    out = []
    for line in cluster_objects(chars, "top", tolerance=3):
        bbox = (min(c["x0"] for c in line), min(c["top"] for c in line),
                max(c["x1"] for c in line), max(c["bottom"] for c in line))
        out.append(_Item(bbox[1], bbox[0], [(extract_text(line), bbox)]))
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
    out = []
    for end in ("top", "bottom"):
        for group in cluster_objects(vertical, end, tolerance=EDGE_TOL):
            y = group[0][end]
            if len(group) < 2 or all(_closed(e["x0"], y, horizontal, tops) for e in group):
                continue
            x0, x1 = min(e["x0"] for e in group), max(e["x1"] for e in group)
            out.append({"object_type": "rule_edge", "orientation": "h", "x0": x0, "x1": x1,
                        "top": y, "bottom": y, "width": x1 - x0, "height": 0.0})
    return out


def _closed(x: float, y: float, horizontal: list[dict[str, Any]], tops: list[float], tol: float = 3.0) -> bool:
    """A horizontal rule (sorted by `tops`) passes through (x, y), within the table
    finder's snap tolerance."""
    lo, hi = bisect.bisect_left(tops, y - tol), bisect.bisect_right(tops, y + tol)
    return any(h["x0"] - tol <= x <= h["x1"] + tol for h in horizontal[lo:hi])


def _take_hidden(ch: Char, clip: BBox, grids: list[_TableGrid]) -> bool:
    """A char a clip hides belongs to the cell its clip box shows (see pdf_clip): it is
    placed at the clip's middle, on its own x where that lies inside the clip. Hidden
    text outside every table is not printed and is dropped."""
    x = min(max((ch["x0"] + ch["x1"]) / 2, clip[0]), clip[2])
    return any(g.take(ch, (x, (clip[1] + clip[3]) / 2)) for g in grids)


def _snap(values: list[float]) -> list[float]:
    """Sorted distinct positions, merging those closer than EDGE_TOL."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > EDGE_TOL:
            out.append(v)
    return out


def _index(edges: list[float], v: float) -> int:
    """Index of the edge nearest to v."""
    i = bisect.bisect_left(edges, v)
    if i == len(edges) or (i > 0 and v - edges[i - 1] < edges[i] - v):
        i -= 1
    return i


class _TableGrid:
    """A found table on its column grid; collects the chars of its cells."""

    def __init__(self, table: Table, previous: list[float] | None) -> None:
        self.bbox = table.bbox
        cells = table.cells
        own = _snap([c[0] for c in cells] + [c[2] for c in cells])
        self.xs = previous if previous and _continues(own, previous) else own
        self.ys = _snap([c[1] for c in cells] + [c[3] for c in cells])
        self.cells = cells
        self.chars: list[list[Char]] = [[] for _ in cells]
        self.owner: dict[tuple[int, int], int] = {}
        for k, (x0, top, x1, bottom) in enumerate(cells):
            for yi in range(_index(self.ys, top), _index(self.ys, bottom)):
                for xi in range(_index(self.xs, x0), _index(self.xs, x1)):
                    self.owner[yi, xi] = k

    def take(self, ch: Char, at: tuple[float, float] | None = None) -> bool:
        """Assign a char to the cell holding its midpoint (or the point `at`); False when
        that is outside the table."""
        x, y = at or ((ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2)
        x0, top, x1, bottom = self.bbox
        if not (x0 <= x < x1 and top <= y < bottom):
            return False
        k = self.owner.get((bisect.bisect_right(self.ys, y) - 1, bisect.bisect_right(self.xs, x) - 1))
        if k is None:
            return False
        self.chars[k].append(ch)
        return True

    def items(self) -> list[_Item]:
        """One item per row band that starts at least one cell: one entry per grid column."""
        ncols = len(self.xs) - 1
        rows: dict[int, dict[int, int]] = {}
        for k, (x0, top, _x1, _bottom) in enumerate(self.cells):
            rows.setdefault(_index(self.ys, top), {})[_index(self.xs, x0)] = k
        out = []
        for yi in sorted(rows):
            starts = rows[yi]
            bottom = min(self.cells[k][3] for k in starts.values())
            top = self.ys[yi]
            slots = [("", (self.xs[c], top, self.xs[c + 1], bottom)) for c in range(ncols)]
            for c, k in starts.items():
                slots[c] = (extract_text(self.chars[k]) if self.chars[k] else "", self.cells[k])
            out.append(_Item(top, self.xs[0], slots))
        return out


def _continues(own: list[float], previous: list[float]) -> bool:
    """True when a table's edges all lie on the previous table's grid, same outer edges."""
    if abs(own[0] - previous[0]) > EDGE_TOL or abs(own[-1] - previous[-1]) > EDGE_TOL:
        return False
    return all(abs(previous[_index(previous, x)] - x) <= EDGE_TOL for x in own)
