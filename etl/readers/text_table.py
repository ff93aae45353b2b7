"""Rebuilding indicator table rows from the line-broken text layout.

Each indicator row has one line carrying its `weight score` pair (the anchor). The
pieces between two anchors are cut into cells by `text_split.best_split`. Where a page
break falls inside a row, the extraction prints the row's remaining text after the
break, cell by cell in column order: those pieces go back to the cells still open
(a category word not yet ending in 标, a name whose last line is full width, ...).
The rows come out as a PDF reader would give them: one grid row per page part.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from etl.readers.text_lines import (Anchor, Line, Piece, continues, find_anchor, is_cjk_word, starts_cell,
                                   tokens, unbalanced, width)
from etl.readers.text_split import Split, Widths, best_split, category_groups, is_category

RowSpec = tuple[int, list[str]]  # (page, cell texts)
SLOTS = ("level1", "level2", "name", "target", "actual", "weight", "score", "deviation")


@dataclass(slots=True)
class _Row:
    page: int
    weight: str
    score: str
    cells: dict[str, list[Piece]] = field(default_factory=lambda: {s: [] for s in SLOTS})
    open_cats: list[str] = field(default_factory=list)  # category slots this row started, not complete


@dataclass(slots=True)
class _Gap:
    pieces: list[Piece]
    anchor: Anchor | None
    page: int


def table_rows(lines: list[Line], w: Widths) -> list[RowSpec]:
    """Grid rows (8 cells, SLOTS order) for the table body lines, plus free rows for leftovers."""
    gaps = _gaps(lines)
    rows: list[_Row] = []
    free: list[RowSpec] = []
    for gap in gaps:
        prev = rows[-1] if rows else None
        rest = _continue_prev(prev, gap.pieces, w, more_rows=gap.anchor is not None) if prev else gap.pieces
        if gap.anchor is None:
            free.extend(_trailing(prev, rest, w))
            continue
        rows.append(_build(rest, gap, prev, w, allow_dev=rest is gap.pieces))
    return [spec for row in rows for spec in _emit(row)] + free


def _gaps(lines: list[Line]) -> list[_Gap]:
    gaps: list[_Gap] = []
    pieces: list[Piece] = []
    for line in lines:
        anchor = find_anchor(line.text)
        parts = anchor.prefix if anchor else tokens(line.text)
        pieces.extend(Piece(t, line.page, k > 0) for k, t in enumerate(parts))
        if anchor:
            gaps.append(_Gap(pieces, anchor, line.page))
            pieces = []
    gaps.append(_Gap(pieces, None, lines[-1].page if lines else 1))
    return gaps


def _build(pieces: list[Piece], gap: _Gap, prev: _Row | None, w: Widths, *, allow_dev: bool) -> _Row:
    assert gap.anchor is not None
    dev_before = prev.cells["deviation"][-1] if prev and prev.cells["deviation"] else None
    split = best_split(pieces, w, dev_before=dev_before, allow_dev=allow_dev and prev is not None,
                       first_row=prev is None)
    if prev:
        prev.cells["deviation"].extend(pieces[:split.dev])
    row = _Row(gap.page, gap.anchor.weight, gap.anchor.score)
    _assign(row, pieces, split)
    if gap.anchor.suffix:
        row.cells["deviation"].append(Piece(gap.anchor.suffix, gap.page, True))
    return row


def _assign(row: _Row, pieces: list[Piece], split: Split) -> None:
    start = split.dev + split.cats
    cats = pieces[split.dev:start]
    groups = category_groups(cats)
    slots = ["level2"] if len(groups) == 1 else ["level1", "level2"]
    _place_cats(row, cats, slots)
    row.open_cats = [s for s in slots[:len(groups)] if not is_category(_text(row.cells[s]))]
    end_name, end_target = len(pieces) - split.target - split.actual, len(pieces) - split.actual
    row.cells["name"] = pieces[start:end_name]
    row.cells["target"] = pieces[end_name:end_target]
    row.cells["actual"] = pieces[end_target:]


def _place_cats(row: _Row, cats: list[Piece], slots: list[str]) -> None:
    """Fragments go to level1 until its word is complete (or a space), the rest to level2."""
    k = 0
    for p in cats:
        current = row.cells[slots[k]]
        if k + 1 < len(slots) and current and (p.after_space or is_category(_text(current))):
            k += 1
        row.cells[slots[k]].append(p)


def _text(pieces: list[Piece]) -> str:
    return "".join(p.text for p in pieces)


def _continue_prev(prev: _Row, pieces: list[Piece], w: Widths, *, more_rows: bool) -> list[Piece]:
    """Across a page break, give the previous row back the text it printed after the break.

    Category fragments go back whenever a category word is still open; name, value and
    deviation pieces only if that leaves a better-formed next row than not doing so."""
    split_at = next((i for i, p in enumerate(pieces) if p.page > prev.page), None)
    if split_at is None:
        return pieces
    before, after = pieces[:split_at], pieces[split_at:]
    if any(width(p.text) > w.dev + 2 for p in before):
        return pieces  # the next row started before the break: no continuation to place
    prev.cells["deviation"].extend(before)
    after = after[_fill_cats(prev, after, w):]
    plan, gain = _plan_cells(prev, after, w)
    if plan and more_rows:
        with_plan = gain + _next_row_score(after[len(plan):], w)
        if _next_row_score(after, w) >= with_plan:
            plan = []
    for slot, piece in plan:
        prev.cells[slot].append(piece)
    return after[len(plan):]


def _next_row_score(pieces: list[Piece], w: Widths) -> float:
    return best_split(pieces, w, dev_before=None, allow_dev=False, first_row=False).score


def _fill_cats(row: _Row, pieces: list[Piece], w: Widths) -> int:
    """Give open category cells their remaining fragments; how many pieces were used."""
    i = 0
    for slot in row.open_cats:
        while i < len(pieces) and _fits_cat(pieces[i], w) and not is_category(_text(row.cells[slot])):
            row.cells[slot].append(pieces[i])
            i += 1
    return i


def _plan_cells(row: _Row, pieces: list[Piece], w: Widths) -> tuple[list[tuple[str, Piece]], float]:
    """Leading pieces that would continue the row's open cells, in column order, and the
    wrap evidence for doing so."""
    plan: list[tuple[str, Piece]] = []
    gain = 0.0
    for slot, full in (("name", w.name), ("target", w.narrow), ("actual", w.narrow), ("deviation", w.dev)):
        cell = [p.text for p in row.cells[slot]]
        while len(plan) < len(pieces) and _is_open(cell, full):
            piece = pieces[len(plan)]
            if width(piece.text) > full + 2 or starts_cell(piece.text):
                break
            gain += continues(cell[-1], piece.text, full)
            cell.append(piece.text)
            plan.append((slot, piece))
    return plan, gain


def _fits_cat(p: Piece, w: Widths) -> bool:
    return width(p.text) <= w.cat and is_cjk_word(p.text)


def _is_open(cell: list[str], full: int) -> bool:
    if not cell:
        return False
    last = cell[-1]
    if unbalanced("".join(cell)):
        return True
    if last[-1] in "。)）]】》”":
        return False
    return width(last) >= full - 3 or last[-1] in "、，,：:；;"


def _trailing(prev: _Row | None, pieces: list[Piece], w: Widths) -> list[RowSpec]:
    """Pieces after the last numbers line: the last row's deviation where they fit, else free rows."""
    i = 0
    if prev is not None:
        while i < len(pieces) and width(pieces[i].text) <= w.dev + 2 and not pieces[i].after_space:
            i += 1
        prev.cells["deviation"].extend(pieces[:i])
    return [(p.page, [p.text]) for p in pieces[i:]]


def _emit(row: _Row) -> list[RowSpec]:
    """One grid row per page the row's text touches; the numbers sit on the anchor's page."""
    pages = sorted({row.page} | {p.page for ps in row.cells.values() for p in ps})
    out: list[RowSpec] = []
    for page in pages:
        cells = ["\n".join(p.text for p in row.cells[s] if p.page == page) for s in SLOTS]
        if page == row.page:
            cells[SLOTS.index("weight")], cells[SLOTS.index("score")] = row.weight, row.score
        out.append((page, cells))
    return out
