"""A ruled table found on a PDF page, on its column grid: which cell each char belongs to,
and the Document rows it yields.

Chromium prints a merged cell cut by a page break with its text running on: the lines
that do not fit are drawn just below the table's last rule, in columns left open at the
foot (no rule under them), and the rest of the text opens the next page's table. Those
lines belong to the cut cell (`take`), and so does the continuation (`continue_cut_cells`).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from typing import Any

from pdfplumber.table import Table
from pdfplumber.utils import extract_text

from etl.model import Cell, Document

EDGE_TOL = 1.0  # points: cell edges closer than this are the same grid line
GRID_TOL = 2.0  # points: Chromium snaps a column's rules to device pixels differently on each page
FOOT_RULE_TOL = 2.0  # points: a rule this close to a table's bottom closes it
FOOT_OVERFLOW = 12.0  # points below a table's foot where a cut cell's text still lands
Char = dict[str, Any]
BBox = tuple[float, float, float, float]


@dataclass(slots=True)
class Item:
    """A future Document row: a table row or a free text line, with its page position."""

    top: float
    x0: float
    cells: list[tuple[str, BBox]]
    cut: list[int] = field(default_factory=list)  # columns whose cell a page break cuts at its foot
    open_top: list[int] = field(default_factory=list)  # first row of a page's first table: columns without a top rule


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


class TableGrid:
    """A found table on its column grid; collects the chars of its cells."""

    def __init__(self, table: Table, previous: list[float] | None, rules: list[dict[str, Any]] = ()) -> None:
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
        # Columns open at the foot: a merged cell running on past a page break. None when
        # every column is open (no bottom rule at all, or a whole row split: the parser joins those).
        foot = self._open_at(self.bbox[3], rules)
        self.open_foot = foot if len(foot) < len(self.xs) - 1 else set()
        self.open_top = self._open_at(self.bbox[1], rules)

    def _open_at(self, y: float, rules: list[dict[str, Any]]) -> set[int]:
        """Columns with no horizontal rule across their middle at height y."""
        near = [r for r in rules if abs(r["top"] - y) <= FOOT_RULE_TOL]
        return {c for c in range(len(self.xs) - 1)
                if not any(r["x0"] <= (self.xs[c] + self.xs[c + 1]) / 2 <= r["x1"] for r in near)}

    def take(self, ch: Char, at: tuple[float, float] | None = None) -> bool:
        """Assign a char to the cell holding its midpoint (or the point `at`); False when
        that is outside the table."""
        x, y = at or ((ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2)
        x0, top, x1, bottom = self.bbox
        xi = bisect.bisect_right(self.xs, x) - 1
        if x0 <= x < x1 and bottom <= y < bottom + FOOT_OVERFLOW and xi in self.open_foot:
            y = bottom - EDGE_TOL  # a cut cell's line printed below the last rule
        if not (x0 <= x < x1 and top <= y < bottom):
            return False
        k = self.owner.get((bisect.bisect_right(self.ys, y) - 1, xi))
        if k is None:
            return False
        self.chars[k].append(ch)
        return True

    def items(self, first: bool = False, last: bool = False) -> list[Item]:
        """One item per row band that starts at least one cell: one entry per grid column.
        `first`: the page's first table (its first item may continue cut cells); `last`: the
        page's last table (its cells in open foot columns are cut by the page break)."""
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
            out.append(Item(top, self.xs[0], slots))
        if out and first:
            out[0].open_top = sorted(self.open_top)
        if last:
            foot = len(self.ys) - 2
            for c in sorted(self.open_foot):
                k = self.owner.get((foot, c))
                if k is not None:
                    item = next(it for yi, it in zip(sorted(rows), out) if yi == _index(self.ys, self.cells[k][1]))
                    item.cut.append(c)
        return out


def continue_cut_cells(doc: Document, cut: list[tuple[int, int]], row: list[Cell], open_top: list[int]) -> list[Cell]:
    """The first row of a page's table continues the cells the previous page cut where it
    has no top rule (a repeated header row has one): their text joins the cut cell
    (`满意\n度指` + `标`), and the position is left blank."""
    row = list(row)
    for n, c in cut:
        if c in open_top and c < len(row) and row[c].text and c < len(doc.rows[n]):
            prev = doc.rows[n][c]
            doc.rows[n][c] = replace(prev, text=f"{prev.text}\n{row[c].text}" if prev.text else row[c].text)
            row[c] = replace(row[c], text="")
    return row


def _continues(own: list[float], previous: list[float]) -> bool:
    """True when a table's edges all lie on the previous table's grid, same outer edges."""
    if abs(own[0] - previous[0]) > EDGE_TOL or abs(own[-1] - previous[-1]) > EDGE_TOL:
        return False
    return all(abs(previous[_index(previous, x)] - x) <= GRID_TOL for x in own)
