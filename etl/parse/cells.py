"""Reading values out of grid rows: joined cell text, label lookup, the (cid:N) guard."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

from etl.model import Cell
from etl.normalize import has_cid, join_wrapped
from etl.parse import vocab

Row = list[Cell]
CID_GAP = "{what}含无法识别的字符（cid），未载入"

# Labels that end a value run: a value cell is never one of these.
KNOWN_LABELS = (*vocab.PROJECT_LABELS, *vocab.DEPARTMENT_LABELS, *vocab.UNIT_LABELS, *vocab.GRADE_LABELS,
                *vocab.FUNDING_BLOCK_LABELS, *vocab.LEAD_LABELS, *vocab.REPORT_NO_LABELS, *vocab.TEXT_FIELDS,
                *vocab.EXTRA_LABELS)


@dataclass(slots=True)
class Gaps:
    """What a form's parser could not load, in Chinese, without duplicates."""

    items: list[str] = field(default_factory=list)

    def add(self, message: str) -> None:
        if message not in self.items:
            self.items.append(message)


def joined(text: str) -> str:
    """A cell's wrapped lines joined (no space inside CJK text)."""
    return join_wrapped(text.split("\n"))


def text_of(cell: Cell | None, gaps: Gaps, what: str) -> str:
    """The cell's joined text; a cell with (cid:N) glyphs yields "" and a gap."""
    if cell is None or not cell.text:
        return ""
    if has_cid(cell.text):
        gaps.add(CID_GAP.format(what=what))
        return ""
    return joined(cell.text)


def is_blank(row: Row) -> bool:
    return not any(c.text.strip() for c in row)


def is_label_cell(cell: Cell) -> bool:
    return vocab.match_label(cell.text, KNOWN_LABELS) is not None


def find_label(rows: list[Row], labels: str | tuple[str, ...]) -> tuple[int, int, str] | None:
    """The first (row index, cell index, inline value) where a cell is one of `labels`."""
    labels = (labels,) if isinstance(labels, str) else labels
    for r, row in enumerate(rows):
        for i, cell in enumerate(row):
            for part in vocab.label_segments(joined(cell.text)):
                found = vocab.match_label(part, labels)
                if found is not None:
                    return r, i, found[1]
    return None


def label_value(rows: list[Row], labels: str | tuple[str, ...], gaps: Gaps, what: str, *,
                below: bool = False) -> str | None:
    """The value printed after a label: in the same cell (`项目名称：X`), the next
    non-empty cell of the row, or (`below`) the next row, for a label printed over its
    paragraph. None when the label is not printed at all."""
    found = find_label(rows, labels)
    if found is None:
        return None
    r, i, inline = found
    row, used = join_split(rows[r], rows[r + 1:], lambda _: False)  # a head row cut by a page break
    after = [] if used else rows[r + 1:r + 2]
    if has_cid(row[i].text):
        gaps.add(CID_GAP.format(what=what))
        return ""
    if inline:
        return vocab.cut_at_next_label(inline)
    for cell in row[i + 1:]:
        if is_label_cell(cell):
            break
        if cell.text.strip():
            return join_wrapped([text_of(c, gaps, what) for c in [cell, *_rest_below(cell, after)]])
    nxt = rows[r + 1] if below and r + 1 < len(rows) else None
    if nxt is not None and not starts_section(nxt):
        return join_wrapped([text_of(c, gaps, what) for c in nxt])
    return ""


def _rest_below(cell: Cell, rest: list[Row]) -> list[Cell]:
    """The rest of a value cell a page break cut, where the row's cells do not line up
    (a clipped row): the next page's first row, filled only under this cell."""
    if not rest or cell.bbox is None or starts_section(rest[0]):
        return []
    filled = [c for c in rest[0] if c.text.strip()]
    x0, x1 = cell.bbox[0], cell.bbox[2]
    if not filled or any(c.bbox is None or c.page <= cell.page or c.bbox[0] < x0 - 1 or c.bbox[2] > x1 + 1
                         for c in filled):
        return []
    return filled


def join_split(row: Row, rest: list[Row], is_header: Callable[[Row], bool]) -> tuple[Row, int]:
    """A labelled row (a funding line, 总分) cut by a page break: its rest is the first row
    of the next page, after any repeated header, with text only in columns the row fills
    and no label of its own (`年度资金总` / `额：`, `100.0` / `0`). Returns the row with
    the parts joined cell by cell, and how many rows of `rest` that used."""
    skip = next((i for i, r in enumerate(rest) if not is_header(r)), len(rest))
    if skip == len(rest):
        return row, 0
    nxt = rest[skip]
    filled = {i for i, c in enumerate(row) if c.text.strip()}
    own = {i for i, c in enumerate(nxt) if c.text.strip()}
    if (len(nxt) != len(row) or not own or not own <= filled or min(c.page for c in nxt) <= max(c.page for c in row)
            or starts_section(nxt) or any(vocab.funding_line(c.text) for c in nxt)):
        return row, 0
    return [replace(c, text=f"{c.text}\n{n.text}" if n.text.strip() else c.text) for c, n in zip(row, nxt)], skip + 1


def first_text(row: Row) -> str:
    return next((c.text for c in row if c.text.strip()), "")


def starts_section(row: Row) -> bool:
    """A row opening another part of the form (or another form): title, label, total."""
    first = first_text(row)
    return vocab.is_title(first) or vocab.is_total_label(first) or vocab.match_label(first, KNOWN_LABELS) is not None


def pages_of(rows: list[Row]) -> tuple[int, int]:
    pages = [c.page for row in rows for c in row] or [1]
    return min(pages), max(pages)
