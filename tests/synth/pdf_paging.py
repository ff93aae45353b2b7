"""Line wrapping and page splitting of a `GTable`, shared by the PDF generators.

Cells are wrapped once (`prewrap`): each cell's text becomes its printed lines joined
by "\\n", so every later step counts lines instead of measuring text. `split_table`
cuts a table at a page break the way office software does: between rows when it
can, inside a tall row when enough of it fits (the row continues on the next page),
never inside the text of a merged cell (its text stays in the first piece; the
continuation piece is blank).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable

from tests.synth.pdf_grid import GCell, GRow, GTable

_TOKEN = re.compile(r"[A-Za-z0-9.,:;%()\[\]/+\-=≥≤<>_#&*'\"]+|\s|.", re.S)


@dataclass(frozen=True, slots=True)
class Metrics:
    """Text geometry of one generator: char widths in points, line pitch and padding."""

    text_width: Callable[[str], float]
    leading: float
    pad_x: float  # left + right padding
    pad_y: float  # top + bottom padding
    min_lines: int = 2  # least lines of a row left on either side of an in-row split


def cached_width(measure: Callable[[str], float]) -> Callable[[str], float]:
    """A text width function that measures each distinct char once (no kerning in our fonts)."""
    widths: dict[str, float] = {}

    def text_width(text: str) -> float:
        for ch in text:
            if ch not in widths:
                widths[ch] = measure(ch)
        return sum(widths[ch] for ch in text)

    return text_width


def wrap_text(text: str, width: float, text_width: Callable[[str], float]) -> list[str]:
    """Greedy wrap: CJK breaks anywhere, runs of Latin letters/digits stay whole when they fit."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for tok in _TOKEN.findall(para):
            if text_width(line + tok) <= width or not line.strip():
                line += tok
            else:
                lines.append(line.rstrip())
                line = tok.lstrip()
            while text_width(line) > width and len(line) > 1:  # a token wider than the cell
                cut = _fit_prefix(line, width, text_width)
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line.rstrip())
    return lines


def _fit_prefix(text: str, width: float, text_width: Callable[[str], float]) -> int:
    n = 1
    while n < len(text) and text_width(text[: n + 1]) <= width:
        n += 1
    return n


def prewrap(table: GTable, m: Metrics) -> GTable:
    """The table with every cell's text replaced by its wrapped lines."""
    rows = []
    for row in table.rows:
        cells = []
        for c in row.cells:
            width = sum(table.widths[c.col:c.col + c.colspan]) - m.pad_x - 0.5  # rounding slack
            text = "\n".join(wrap_text(c.text, width, m.text_width)) if c.text else ""
            cells.append(replace(c, text=text))
        rows.append(GRow(cells, row.kind))
    return replace(table, rows=rows)


def n_lines(cell: GCell) -> int:
    return cell.text.count("\n") + 1 if cell.text else 0


def _need(cell: GCell, m: Metrics) -> float:
    return max(1, n_lines(cell)) * m.leading + m.pad_y


def row_heights(table: GTable, m: Metrics) -> list[float]:
    """Row heights; a merged cell taller than its rows stretches its last row."""
    heights = [max([_need(c, m) for c in row.cells if c.rowspan == 1] or [m.leading + m.pad_y])
               for row in table.rows]
    for r, row in enumerate(table.rows):
        for c in row.cells:
            if c.rowspan > 1:
                last = min(r + c.rowspan, len(heights)) - 1
                heights[last] += max(0.0, _need(c, m) - sum(heights[r:last + 1]))
    return heights


def _spans_crossing(table: GTable, boundary: int) -> list[tuple[int, GCell]]:
    """Merged cells that start above `boundary` (a row index) and continue below it."""
    return [(r, c) for r, row in enumerate(table.rows[:boundary]) for c in row.cells
            if r + c.rowspan > boundary]


def _boundary_ok(table: GTable, heights: list[float], j: int, m: Metrics) -> bool:
    if j < 1 or table.rows[j - 1].kind == "ind_header" or (table.repeat_header and j == 1):
        return False
    return all(sum(heights[r:j]) >= _need(c, m) for r, c in _spans_crossing(table, j))


def _cut(table: GTable, j: int, split: tuple[GRow, GRow] | None = None) -> tuple[GTable, GTable]:
    """Split before row j; merged cells crossing the cut are clipped and continue blank below.

    With `split` = (top, bottom), row j itself is cut: `top` ends the first part and
    `bottom` starts the second.
    """
    rows = table.rows
    head = rows[:j] + ([split[0]] if split else [])
    tail = ([split[1]] if split else []) + rows[j + (1 if split else 0):]
    end = len(head)
    first = [GRow([replace(c, rowspan=min(c.rowspan, end - r)) for c in row.cells], row.kind)
             for r, row in enumerate(head)]
    carried = [replace(c, text="", rowspan=r + c.rowspan - j) for r, c in _spans_crossing(table, j)]
    if carried and tail:
        own = [c for c in tail[0].cells if not any(k.col <= c.col < k.col + k.colspan for k in carried)]
        tail = [GRow(sorted(own + carried, key=lambda c: c.col), tail[0].kind)] + tail[1:]
    return replace(table, rows=first), replace(table, rows=tail)


def _split_row(row: GRow, keep: int) -> tuple[GRow, GRow]:
    """Row cut after `keep` lines; a merged cell starting here stays whole on top, blank below."""
    top, bottom = [], []
    for c in row.cells:
        lines = c.text.split("\n") if c.text else []
        top.append(replace(c, text="\n".join(lines[:keep]), rowspan=1))
        rest = "\n".join(lines[keep:]) if c.rowspan == 1 else ""
        bottom.append(replace(c, text=rest, rowspan=max(1, c.rowspan - 1)))
    return GRow(top, row.kind), GRow(bottom, row.kind)


def _in_row_split(table: GTable, heights: list[float], k: int, room: float, m: Metrics,
                  min_lines: int) -> tuple[GTable, GTable] | None:
    row = table.rows[k]
    keep = int((room - m.pad_y) // m.leading)
    own_max = max([n_lines(c) for c in row.cells if c.rowspan == 1] or [0])
    if keep < min_lines or own_max - keep < min_lines or row.kind == "ind_header":
        return None
    if any(n_lines(c) > keep for c in row.cells if c.rowspan > 1):
        return None  # a merged cell starting here would be cut
    top_h = keep * m.leading + m.pad_y
    if not all(sum(heights[r:k]) + top_h >= _need(c, m) for r, c in _spans_crossing(table, k)):
        return None
    return _cut(table, k, _split_row(row, keep))


def split_table(table: GTable, m: Metrics, room: float, at_top: bool) -> tuple[GTable | None, GTable | None]:
    """(part that fits in `room`, rest); (None, table) when nothing fits and a new page helps."""
    heights = row_heights(table, m)
    if sum(heights) <= room:
        return table, None
    k, used = 0, 0.0
    while used + heights[k] <= room:
        used += heights[k]
        k += 1
    for min_lines in (m.min_lines, 1) if at_top else (m.min_lines,):
        done = _in_row_split(table, heights, k, room - used, m, min_lines)
        if done:
            return done
        for j in range(k, 0, -1):
            if _boundary_ok(table, heights, j, m):
                return _cut(table, j)
    if at_top:  # nothing fits even on a fresh page: cut anyway rather than loop forever
        return _cut(table, max(k, 1))
    return None, table
