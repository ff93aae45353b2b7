"""The indicator table: columns from header text, rows merged, categories filled down.

- columns are found by header words (`一级\\n指标` folds to 一级指标); a header cell that
  names nothing (`-`) takes the missing column its position implies;
- a repeated header (each page of a long table) is skipped;
- a row split by a page break arrives as two rows; the part without numbers is merged
  into its neighbour, cell by cell;
- merged category cells print once: empty level cells inherit from the row above;
- the table ends at 总分 (or an unlabeled row of just weight and score) or 评分等级.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from etl.model import Cell, Indicator
from etl.normalize import join_wrapped, label_key
from etl.parse import vocab
from etl.parse.cells import Gaps, Row, first_text, is_blank, join_split, joined, starts_section, text_of

TEXT_FIELDS = ("level1", "level2", "name", "target", "actual", "deviation", "nature", "measure_unit")
HEADER_WORDS = frozenset(w for words in vocab.INDICATOR_HEADER.values() for w in words)
FIELD_NAMES = {"level1": "一级指标", "level2": "二级指标", "name": "三级指标", "target": "年度指标值",
               "actual": "实际完成值", "weight": "分值", "score": "得分", "deviation": "偏差原因分析",
               "nature": "指标性质", "measure_unit": "度量单位"}
# What a placeholder row (`指标1：`, `……`) may not have: any of these makes it an indicator.
VALUE_FIELDS = ("target", "actual", "weight", "score", "deviation", "nature", "measure_unit")


@dataclass(slots=True)
class Table:
    indicators: list[Indicator] = field(default_factory=list)
    total_weight: float | None = None
    total_score: float | None = None
    has_total: bool = False


@dataclass(slots=True)
class _Entry:
    """One indicator as printed, possibly gathered from two page parts."""

    cells: dict[str, list[Cell]]
    page: int
    first: list[Cell]  # the first part's own cells, categories excluded (for the row's span)
    last_page: int = 0
    placeholder: bool = False  # an unfilled template row: carries categories, is no indicator


def indicator_columns(row: Row, below: Row | None = None) -> dict[str, int] | None:
    """Field -> cell index for a header row (with `below`, a two-row header: a column is
    named by its lower cell, else by the upper one, `年度指标值` over `指标性质|指标值|度量单位`);
    None if the row is not an indicator header."""
    found: dict[str, int] = {}
    spare: list[int] = []
    for i, cell in enumerate(row):
        lower = below[i].text if below is not None and i < len(below) else ""
        f = vocab.header_field(lower, vocab.INDICATOR_HEADER) or vocab.header_field(cell.text, vocab.INDICATOR_HEADER)
        if f and f not in found:
            found[f] = i
        elif not vocab.is_ignored_header(cell.text) and not vocab.is_ignored_header(lower):
            spare.append(i)
    if len(found) < 4 or not {"name", "weight", "score"} & found.keys():
        return None
    order = vocab.INDICATOR_COLUMNS
    for k, f in enumerate(order):
        if f in found:
            continue
        lo = max((found[g] for g in order[:k] if g in found), default=-1)
        hi = min((found[g] for g in order[k + 1:] if g in found), default=len(row))
        fits = [i for i in spare if lo < i < hi]
        named = [i for i in fits if row[i].text.strip()]
        if named or fits:
            found[f] = (named or fits)[0]
            spare.remove(found[f])
    return found


def _words_only(row: Row) -> bool:
    """Every filled cell is a header word or a header group (`绩效指标`)."""
    texts = [c.text for c in row if c.text.strip()]
    return bool(texts) and all(vocab.header_field(t, vocab.INDICATOR_HEADER) or vocab.is_header_group(t)
                               for t in texts)


def header_at(rows: list[Row], i: int) -> tuple[dict[str, int], int] | None:
    """(columns, rows used) when rows[i] starts an indicator header of one or two rows."""
    nxt = rows[i + 1] if i + 1 < len(rows) else None
    if nxt is not None and _words_only(rows[i]) and _words_only(nxt):
        cols = indicator_columns(rows[i], nxt)
        if cols:
            return cols, 2
    cols = indicator_columns(rows[i])
    return (cols, 1) if cols else None


def find_header(rows: list[Row]) -> int | None:
    return next((i for i in range(len(rows)) if header_at(rows, i)), None)


def parse_table(rows: list[Row], gaps: Gaps) -> Table:
    start = find_header(rows)
    if start is None:
        gaps.add("未找到绩效指标表")
        table = Table()
        total = next((r for r in rows if vocab.is_total_label(first_text(r))), None)
        if total is not None:
            _ends_table(total, {}, [], table, gaps)
        return table
    found = header_at(rows, start)
    assert found is not None
    cols, used = found
    entries: list[_Entry] = []
    table = Table()
    body = [r for r in rows[start + used:] if not is_blank(r)]
    header = rows[start]
    k = 0
    while k < len(body):
        row = body[k]
        again = header_at(body, k)
        if again:
            header, k = row, k + again[1]
            continue
        k += 1
        if _header_rest(header, row):
            continue
        if starts_section(row) and not vocab.is_total_label(first_text(row)):
            break
        if vocab.is_total_label(first_text(row)):
            row, _ = join_split(row, body[k:], lambda r: header_at([r], 0) is not None)
        values = {f: _cell(row, i) for f, i in cols.items()}
        if _ends_table(row, values, body[k:], table, gaps):
            break
        if len(row) == 1:
            continue  # a free text line (page number, note) between table rows
        _add(entries, values, row)
    table.indicators = _indicators(entries, gaps)
    if not table.indicators:
        gaps.add("绩效指标表中没有指标行")
    return table


def _header_rest(header: Row, row: Row) -> bool:
    """The rest of a header row a page break cut (Writer without repeated headers: `一级` /
    `指标`): on a later page, each filled cell completes the header word above it."""
    filled = [(h, c) for h, c in zip(header, row) if c.text.strip()]
    return (len(row) == len(header) and bool(filled) and min(c.page for c in row) > max(c.page for c in header)
            and all(label_key(h.text + c.text) in HEADER_WORDS for h, c in filled))


def _cell(row: Row, i: int) -> Cell | None:
    return row[i] if i < len(row) else None


def _ends_table(row: Row, values: dict[str, Cell | None], rest: list[Row], table: Table, gaps: Gaps) -> bool:
    """A 总分 row, or an unlabeled row of only weight and score before 评分等级/the end."""
    label_at = next((i for i, c in enumerate(row) if c.text.strip()), None)
    inside = vocab.total_numbers(row[label_at].text) if label_at is not None else None
    if label_at is not None and inside is not None:
        numbers = [_num(values.get("weight")), _num(values.get("score"))]
        if None in numbers:
            found = [vocab.parse_number(c.text) for c in row[label_at + 1:]]
            numbers = ([n for n in found if n is not None] or inside) + [None, None]
        table.total_weight, table.total_score, table.has_total = numbers[0], numbers[1], True
        return True
    texts = any(v is not None and v.text.strip() for f, v in values.items() if f in TEXT_FIELDS)
    weight, score = _num(values.get("weight")), _num(values.get("score"))
    if not texts and weight is not None and score is not None and (not rest or starts_section(rest[0])):
        table.total_weight, table.total_score, table.has_total = weight, score, True
        return True
    return False


def _num(cell: Cell | None) -> float | None:
    return vocab.parse_number(cell.text) if cell is not None else None


def _has_numbers(values: dict[str, list[Cell]] | dict[str, Cell | None]) -> bool:
    def first(v: object) -> Cell | None:
        return (v[0] if v else None) if isinstance(v, list) else v  # type: ignore[return-value]
    return any(_num(first(values.get(f))) is not None for f in ("weight", "score"))


def _is_placeholder(cells: dict[str, list[Cell]], page: int, entries: list[_Entry]) -> bool:
    """An unfilled template row: a `指标1：`/`……` name, or (on the page of the row above)
    category text only, and no value at all."""
    if any(cells.get(f) for f in VALUE_FIELDS):
        return False
    name = joined_text(cells.get("name", []))
    if name:
        return vocab.is_placeholder(name)
    return bool(entries) and page == entries[-1].last_page


def _add(entries: list[_Entry], values: dict[str, Cell | None], row: Row) -> None:
    page = min(c.page for c in row)
    cells = {f: [v] if v is not None and v.text.strip() else [] for f, v in values.items()}
    if _is_placeholder(cells, page, entries):
        entries.append(_Entry(cells, page, [], page, placeholder=True))
        return
    if entries and not entries[-1].placeholder and _continues(entries[-1], cells, page):
        for f, vs in cells.items():
            entries[-1].cells.setdefault(f, []).extend(vs)
        entries[-1].last_page = page
        return
    # The row's own cells mark where it is printed; 一级/二级 cells may be merged over many rows.
    own = [v for f, v in values.items() if v is not None and f not in ("level1", "level2")]
    entries.append(_Entry(cells, page, own, page))


def _continues(prev: _Entry, cells: dict[str, list[Cell]], page: int) -> bool:
    """This row is the rest of `prev` (split by a page break, or a wrapped-only overflow)."""
    own_numbers, prev_numbers = _has_numbers(cells), _has_numbers(prev.cells)
    complete = all(cells.get(f) for f in ("name", "target", "actual"))
    new_page = page > prev.last_page
    if not own_numbers and not complete:
        return new_page or not any(cells.get(f) for f in ("level1", "level2", "name"))
    if new_page and prev.cells.get("name") and not (cells.get("name") and (cells.get("target") or cells.get("actual"))):
        return True  # the rest of a row whose figures wrapped over the break too (`20.0` / `0`)
    prev_complete = all(prev.cells.get(f) for f in ("target", "actual"))
    return new_page and own_numbers and not prev_numbers and not prev_complete


def _indicators(entries: list[_Entry], gaps: Gaps) -> list[Indicator]:
    out: list[Indicator] = []
    level1 = level2 = ""
    for k, e in enumerate(entries):
        n = len(out) + 1
        texts = {f: _join(e.cells.get(f, []), gaps, f"第{n}行指标的{FIELD_NAMES[f]}") for f in TEXT_FIELDS}
        if k > 0 and e.page > entries[k - 1].last_page and out:
            level1 = _continue_category(out, "level1", level1, texts)
            level2 = _continue_category(out, "level2", level2, texts)
        for f in ("level1", "level2"):
            texts[f] = vocab.undouble_category(texts[f])
        if texts["level1"] and texts["level1"] != level1:  # the same category again: a page's repeat
            level1, level2 = texts["level1"], ""
        level2 = texts["level2"] or level2
        if e.placeholder:
            continue
        out.append(Indicator(
            row_no=n, level1=level1, level2=level2, name=texts["name"], target=texts["target"],
            actual=texts["actual"], weight=_number(e, "weight", n, gaps), score=_number(e, "score", n, gaps),
            deviation=texts["deviation"], page=e.page, span=_span(e.first), nature=texts["nature"],
            measure_unit=texts["measure_unit"], ref=next((c.ref for c in e.cells.get("name", [])), None)))
    for ind in out:  # `产出指标（50分）`: the points go to their own field
        ind.level1, ind.level1_points = vocab.split_points(ind.level1)
    return out


def _continue_category(out: list[Indicator], field: str, current: str, texts: dict[str, str]) -> str:
    """On the first row of a page: when its category text is the rest of the current one
    (`产出指` + `标`), the whole name goes to every row of the run so far and the row
    carries no new category. Returns the current category."""
    if not vocab.continues_category(current, texts[field], field):
        return current
    whole = join_wrapped([current, texts[field]])
    for ind in reversed(out):
        if getattr(ind, field) != current or (field == "level2" and ind.level1 != out[-1].level1):
            break
        setattr(ind, field, whole)
    texts[field] = ""
    return whole


def joined_text(cells: list[Cell]) -> str:
    return join_wrapped([joined(c.text) for c in cells])


def _join(cells: list[Cell], gaps: Gaps, what: str) -> str:
    return join_wrapped([text_of(c, gaps, what) for c in cells])


def _number(e: _Entry, f: str, n: int, gaps: Gaps) -> float | None:
    cells = e.cells.get(f, [])
    text = _join(cells, gaps, f"第{n}行指标的{FIELD_NAMES[f]}")
    value = vocab.parse_number(text)
    if value is None and text and not vocab.is_dash(text):
        gaps.add(f"第{n}行指标的{FIELD_NAMES[f]}不是数字：{text}")
    return value


def _span(cells: list[Cell]) -> tuple[float, float] | None:
    boxes = [c.bbox for c in cells if c.bbox is not None]
    if not boxes:
        return None
    return min(b[1] for b in boxes), max(b[3] for b in boxes)
