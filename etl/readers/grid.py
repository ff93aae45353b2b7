"""Sources without pages (worksheets, HTML and Word tables) -> Document rows.

Every such reader first turns each sheet or table into a `Grid`: the text at each
(row, column), the merged ranges and what is hidden. `append_grid` then emits the rows
the way the PDF reader does: one cell per visible column, a merged cell once at its
top-left with its spans, "" at the positions it covers. Provenance is `Cell.ref`
(`Sheet1!C12`, `表2 第5行 第3列`); `page` is the sheet or table number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from etl.model import Cell, Document
from etl.normalize import clean

Pos = tuple[int, int]  # (row, col), 0-based in the source grid


@dataclass(slots=True)
class Grid:
    page: int  # 1-based sheet or table number
    ref: Callable[[int, int], str]  # source address of (row, col)
    texts: dict[Pos, str] = field(default_factory=dict)
    spans: dict[Pos, tuple[int, int]] = field(default_factory=dict)  # top-left -> (rows, cols)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)

    def size(self) -> tuple[int, int]:
        cells = list(self.texts) + [(r + h - 1, c + w - 1) for (r, c), (h, w) in self.spans.items()]
        if not cells:
            return 0, 0
        return max(r for r, _ in cells) + 1, max(c for _, c in cells) + 1


def _covered(grid: Grid) -> dict[Pos, Pos]:
    """Position -> the top-left of the merged range covering it (top-left excluded)."""
    out: dict[Pos, Pos] = {}
    for (r0, c0), (h, w) in grid.spans.items():
        for r in range(r0, r0 + h):
            for c in range(c0, c0 + w):
                if (r, c) != (r0, c0):
                    out[r, c] = (r0, c0)
    return out


def append_grid(doc: Document, grid: Grid) -> None:
    """Append the grid's rows: blank rows left out unless a merged cell runs through them."""
    nrows, ncols = grid.size()
    cols = [c for c in range(ncols) if c not in grid.hidden_cols]
    covered = _covered(grid)
    emitted = [r for r in range(nrows) if r not in grid.hidden_rows and
               (any(clean(grid.texts.get((r, c))) for c in cols) or
                any((r, c) in covered and covered[r, c][0] < r for c in cols))]
    if not cols or not emitted:
        return
    index = {r: i for i, r in enumerate(emitted)}
    for r in emitted:
        n = len(doc.rows)
        row = []
        for k, c in enumerate(cols):
            text, rowspan, colspan = "", 1, 1
            if (r, c) not in covered:
                text = clean(grid.texts.get((r, c)))
                h, w = grid.spans.get((r, c), (1, 1))
                rowspan = max(1, sum(1 for x in range(r, r + h) if x in index))
                colspan = max(1, sum(1 for x in range(c, c + w) if x not in grid.hidden_cols))
            row.append(Cell(text, grid.page, n, k, None, rowspan, colspan, grid.ref(r, c)))
        doc.rows.append(row)


def append_line(doc: Document, text: str, page: int, ref: str) -> None:
    """A text line outside the tables (title, `（2024年度）`): a row of one cell."""
    text = clean(text)
    if text:
        doc.rows.append([Cell(text, page, len(doc.rows), 0, None, ref=ref)])
