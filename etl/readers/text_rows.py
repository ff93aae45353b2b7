"""Turning the planned sections of line-broken text into grid rows (see text_blocks).

Rows mimic what the PDF reader yields for the same form: label and value cells side
by side, the funding block as `[block label, line label, 6 values]`, the goal block as
`[label, 预期目标, 实际完成情况]` then `["", expected, actual]` per page, the indicator
header and rows as 8 cells in printed column order.
"""

from __future__ import annotations

from etl.normalize import label_key
from etl.parse import vocab
from etl.readers.text_blocks import Kind, Section, anchors, table_pieces, values_count
from etl.readers.text_goals import column_width, split_goals
from etl.readers.text_lines import Line, tokens, width
from etl.readers.text_split import Widths
from etl.readers.text_table import RowSpec, SLOTS, table_rows

GOAL_GUESSED = "第{page}页的年度总体目标无法可靠区分预期目标与实际完成情况，已按段落估计"


def emit(sections: list[Section]) -> tuple[list[RowSpec], list[str]]:
    """All rows in order, plus reading warnings (Chinese)."""
    widths = estimate_widths(sections)
    goal_width = column_width([s.lines[1:] for s in sections if s.kind is Kind.GOALS])
    rows: list[RowSpec] = []
    warnings: list[str] = []
    for s in sections:
        if s.kind is Kind.GOALS:
            rows.extend(_goal_rows(s, goal_width, warnings))
        elif s.kind is Kind.TABLE:
            rows.extend(table_rows(s.lines, widths))
        else:
            rows.extend(_simple(s))
    return rows, warnings


def _simple(s: Section) -> list[RowSpec]:
    page = s.lines[0].page
    if s.kind is Kind.LABELS:
        return [(page, _label_cells(s.lines))]
    if s.kind is Kind.FUNDING:
        return _funding_rows(s.lines)
    if s.kind is Kind.HEADER:
        return [(page, _header_cells(s))]
    text = " ".join(x.text for x in s.lines)
    if s.kind is Kind.TOTAL:
        return [(page, _total_cells(text))]
    if s.kind is Kind.GRADE:
        return [(page, _split_label(text, vocab.GRADE))]
    return [(page, [s.lines[0].text])]


def _label_cells(lines: list[Line]) -> list[str]:
    """`主管部门 A 实施单位 B` -> [主管部门, A, 实施单位, B]; later lines continue the last value."""
    cells: list[str] = []
    for tok in lines[0].text.split():
        label = next((lb for lb in (vocab.PROJECT, vocab.DEPARTMENT, vocab.UNIT) if label_key(tok).startswith(lb)), None)
        if label:
            cells += _split_label(tok, label)
        elif cells:
            cells[-1] = f"{cells[-1]} {tok}".strip()
        else:
            cells.append(tok)
    for extra in lines[1:]:
        cells[-1] = f"{cells[-1]}\n{extra.text}".strip()
    return cells


def _split_label(text: str, label: str) -> list[str]:
    """[label as printed, value printed after it in the same text]."""
    value = vocab.strip_label(text, label)
    return [text[:len(text) - len(value)].strip() if value else text.strip(), value]


def _funding_rows(lines: list[Line]) -> list[RowSpec]:
    rows: list[RowSpec] = []
    block_label: list[str] = []
    pending: list[str] = []
    for line in lines:
        toks = line.text.split()
        if _is_funding_header(line.text):
            head = [t for t in toks if not vocab.header_field(t, vocab.FUNDING_HEADER)]
            values = [t for t in toks if vocab.header_field(t, vocab.FUNDING_HEADER)]
            rows.append((line.page, ["\n".join(block_label + head + pending), "", *values]))
            block_label, pending = [], []
            continue
        n = values_count(line.text)
        if n >= 3:
            label = "\n".join(pending + [" ".join(toks[:len(toks) - n])]).strip()
            rows.append((line.page, ["", label, *toks[len(toks) - n:]]))
            pending = []
        elif not rows:
            block_label.append(line.text)
        else:
            pending.append(line.text)
    rows.extend((lines[-1].page, [p]) for p in (block_label + pending))
    return rows


def _is_funding_header(text: str) -> bool:
    return sum(1 for t in text.split() if vocab.header_field(t, vocab.FUNDING_HEADER)) >= 3


def _goal_rows(s: Section, goal_width: int | None, warnings: list[str]) -> list[RowSpec]:
    header = s.lines[0]
    label = "\n".join(x.text for x in s.head)
    head_cells = [label, *header.text.split()] if len(header.text.split()) == 2 else [label, header.text]
    rows: list[RowSpec] = [(header.page, head_cells)]
    parts, guessed = split_goals(s.lines[1:], goal_width)
    if guessed:
        warnings.append(GOAL_GUESSED.format(page=header.page))
    rows.extend((p.page, ["", "\n".join(p.expected), "\n".join(p.actual)]) for p in parts)
    return rows


def _header_cells(s: Section) -> list[str]:
    """Header row in SLOTS order: wrapped level words before the line, deviation words after."""
    cells = {slot: "" for slot in SLOTS}
    levels = label_key("".join(x.text for x in s.head))
    if levels:
        first, _, second = levels.partition("指标")
        cells["level1"], cells["level2"] = _wrap2(first + "指标"), _wrap2(second)
    for tok in tokens(s.lines[0].text):
        field = vocab.header_field(tok, vocab.INDICATOR_HEADER)
        if field and not cells[field]:
            cells[field] = tok
    if s.tail:
        cells["deviation"] = "\n".join(x.text for x in s.tail)
    return [cells[slot] for slot in SLOTS]


def _wrap2(text: str) -> str:
    return "\n".join(text[i:i + 2] for i in range(0, len(text), 2))


def _total_cells(text: str) -> list[str]:
    toks = text.split()
    values = [t for t in toks[1:] if vocab.is_number(t) or vocab.is_dash(t)]
    if len(values) == 2:
        cells = [toks[0]] + [""] * (len(SLOTS) - 1)
        cells[SLOTS.index("weight")], cells[SLOTS.index("score")] = values
        return cells
    return toks


def estimate_widths(sections: list[Section]) -> Widths:
    """Column widths of the document's tables, measured on what is certain about them."""
    tables = [s for s in sections if s.kind is Kind.TABLE]
    headers = [s for s in sections if s.kind is Kind.HEADER]
    found = [a for t in tables for a in anchors(t)]
    names = [width(p) for t in tables for p in table_pieces(t)]
    values = [width(t) for a in found if len(a.prefix) >= 3 for t in a.prefix[-2:]]
    devs = [width(a.suffix) for a in found if a.suffix]
    dev_words = [width(x.text) for h in headers for x in h.tail]
    cats = [width(x.text) for h in headers for x in h.head]
    default = Widths()
    narrow = max(values, default=default.narrow)
    return Widths(
        cat=max(cats, default=default.cat),
        name=max(names, default=default.name),
        narrow=narrow,
        dev=max(devs, default=max(dev_words, default=narrow)),
    )
