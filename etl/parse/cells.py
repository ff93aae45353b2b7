"""Reading values out of grid rows: joined cell text, label lookup, the (cid:N) guard."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

from etl.model import Cell
from etl.normalize import has_cid, join_wrapped, label_key
from etl.parse import vocab

Row = list[Cell]
CID_GAP = "{what}含无法识别的字符（cid），未载入"

# Labels that end a value run: a value cell is never one of these.
KNOWN_LABELS = (vocab.PROJECT, vocab.DEPARTMENT, vocab.UNIT, vocab.GRADE, vocab.FUNDING_BLOCK)


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
    key = label_key(cell.text)
    return any(key.startswith(lb) for lb in KNOWN_LABELS)


def find_label(rows: list[Row], label: str) -> tuple[Row, int] | None:
    """The first row holding a cell that starts with `label`, and that cell's index."""
    for row in rows:
        for i, cell in enumerate(row):
            if vocab.starts_with_label(cell.text, label):
                return row, i
    return None


def label_value(rows: list[Row], label: str, gaps: Gaps, what: str) -> str | None:
    """The value printed after a label: in the same cell (`项目名称：X`) or the next
    non-empty cell of the row. None when the label is not printed at all."""
    found = find_label(rows, label)
    if found is None:
        return None
    row, i = found
    if has_cid(row[i].text):
        gaps.add(CID_GAP.format(what=what))
        return ""
    inline = vocab.strip_label(joined(row[i].text), label)
    if inline:
        return inline
    for cell in row[i + 1:]:
        if is_label_cell(cell):
            break
        if cell.text.strip():
            return text_of(cell, gaps, what)
    return ""


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
    key = label_key(first)
    return vocab.is_title(first) or vocab.is_total_label(first) or any(key.startswith(lb) for lb in KNOWN_LABELS)


def pages_of(rows: list[Row]) -> tuple[int, int]:
    pages = [c.page for row in rows for c in row] or [1]
    return min(pages), max(pages)
