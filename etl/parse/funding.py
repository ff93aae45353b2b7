"""The funding block (项目资金) and the annual goals (年度总体目标) of one form."""

from __future__ import annotations

from etl.model import FundingLine
from etl.normalize import join_wrapped, label_key
from etl.parse import vocab
from etl.parse.cells import Gaps, Row, join_split, starts_section, text_of
from etl.parse.indicators import indicator_columns

FIELD_NAMES = {"initial_budget": "年初预算数", "full_year_budget": "全年预算数", "executed": "全年执行数",
               "weight": "分数", "execution_rate": "执行率", "score": "得分"}
MAX_FUNDING_ROWS = 12


def funding_columns(row: Row) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for i, cell in enumerate(row):
        f = vocab.header_field(cell.text, vocab.FUNDING_HEADER)
        if f and f not in found:
            found[f] = i
    return found if len(found) >= 3 else None


def parse_funding(rows: list[Row], gaps: Gaps) -> list[FundingLine]:
    start = next((i for i, row in enumerate(rows) if funding_columns(row)), None)
    if start is None:
        gaps.add("未找到项目资金表")
        return []
    cols = funding_columns(rows[start])
    assert cols is not None
    found: dict[str, FundingLine] = {}
    body = rows[start + 1:start + 1 + MAX_FUNDING_ROWS]
    k = 0
    while k < len(body):
        row, k = body[k], k + 1
        if _is_goal_header(row) or indicator_columns(row):
            break
        row, used = join_split(row, body[k:], lambda r: funding_columns(r) is not None)
        k += used
        at = next((i for i, c in enumerate(row) if vocab.funding_line(c.text)), None)
        if at is None:
            continue
        line = vocab.funding_line(row[at].text)
        assert line is not None
        if line not in found:
            found[line] = FundingLine(line=line, page=row[at].page, label=_label(text_of(row[at], gaps, "资金行名称")),
                                      ref=row[at].ref, **_values(row, at, cols, gaps, line))
    for line in vocab.funding_line_set(list(found)):
        if line not in found:
            gaps.add(f"未找到资金行：{line}")
    return list(found.values())


def _label(text: str) -> str:
    """The printed line label; a half-width colon as the full-width one (`其中:` = `其中：`)."""
    return text.replace(":", "：")


def _values(row: Row, at: int, cols: dict[str, int], gaps: Gaps, line: str) -> dict[str, float | None]:
    """Values after the label: in header order when their count matches the header, else
    by column position (some exports shift the value cells by one)."""
    filled = [(i, c) for i, c in enumerate(row) if i > at and c.text.strip()]
    order = sorted(cols, key=cols.__getitem__)
    if len(filled) == len(order):
        picked = {f: cell for f, (_, cell) in zip(order, filled)}
    else:
        picked = {f: row[i] for f, i in cols.items() if at < i < len(row)}
    out: dict[str, float | None] = {}
    for f in FIELD_NAMES:
        text = text_of(picked.get(f), gaps, f"资金行{line}的{FIELD_NAMES[f]}")
        value = vocab.parse_number(text)
        if value is None and text and not vocab.is_dash(text):
            gaps.add(f"资金行{line}的{FIELD_NAMES[f]}不是数字：{text}")
        out[f] = value
    return out


def _goal_columns(row: Row) -> tuple[int, int] | None:
    def at(labels: tuple[str, ...]) -> int | None:
        return next((i for i, c in enumerate(row) if any(label_key(c.text).startswith(lb) for lb in labels)), None)

    expected, actual = at(vocab.GOAL_EXPECTED_LABELS), at(vocab.GOAL_ACTUAL_LABELS)
    if expected is None or actual is None or actual <= expected:
        return None
    return expected, actual


def _is_goal_header(row: Row) -> bool:
    return _goal_columns(row) is not None


def parse_goals(rows: list[Row], gaps: Gaps) -> tuple[str, str]:
    """Expected and actual goal text: the cells under 预期目标 and under 实际完成情况,
    gathered over every row down to the indicator header (a page break splits them)."""
    start = next((i for i, row in enumerate(rows) if _is_goal_header(row)), None)
    if start is None:
        gaps.add("未找到年度总体目标")
        return "", ""
    cols = _goal_columns(rows[start])
    assert cols is not None
    expected: list[str] = []
    actual: list[str] = []
    for row in rows[start + 1:]:
        if indicator_columns(row) or funding_columns(row) or _is_goal_header(row) or starts_section(row):
            break
        for i, cell in enumerate(row):
            if i >= cols[1]:
                actual.append(text_of(cell, gaps, "年度总体目标（实际完成情况）"))
            elif i >= cols[0]:
                expected.append(text_of(cell, gaps, "年度总体目标（预期目标）"))
    goal_expected, goal_actual = join_wrapped(expected), join_wrapped(actual)
    if not goal_expected:
        gaps.add("未找到年度总体目标的预期目标")
    if not goal_actual:
        gaps.add("未找到年度总体目标的实际完成情况")
    return goal_expected, goal_actual
