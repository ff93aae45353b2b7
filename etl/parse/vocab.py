"""The printed vocabulary of a 绩效自评表: labels, column headers, numbers.

Everything is compared through `label_key` (width folded, whitespace dropped), so
`其中:当年财政拨款`, `其中：当年财政\n拨款` and `项⽬名称` all match. Used by the parser and by
the text reader (which must recognise the same labels to rebuild rows).
"""

from __future__ import annotations

import re

from etl.model import FUNDING_LINES
from etl.normalize import label_key

TITLE_WORD = "自评表"
PROJECT = "项目名称"
DEPARTMENT = "主管部门"
UNIT = "实施单位"
FUNDING_BLOCK = "项目资金"
GOAL_EXPECTED = "预期目标"
GOAL_ACTUAL = "实际完成"
GRADE = "评分等级"
TOTALS = ("总分", "合计", "总计")

# Column header words of the funding block, per FundingLine field.
FUNDING_HEADER: dict[str, tuple[str, ...]] = {
    "initial_budget": ("年初预算数", "年初预算"),
    "full_year_budget": ("全年预算数", "全年预算"),
    "executed": ("全年执行数", "全年执行"),
    "weight": ("分数", "分值"),
    "execution_rate": ("执行率",),
    "score": ("得分",),
}

# Column header words of the indicator table, per Indicator field, in printed order.
INDICATOR_HEADER: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "name": ("三级指标",),
    "target": ("年度指标值", "指标值", "目标值"),
    "actual": ("实际完成值", "实际值", "完成值"),
    "weight": ("分值", "权重"),
    "score": ("得分",),
    "deviation": ("偏差原因", "偏差原因分析及改进措施"),
}
INDICATOR_COLUMNS: tuple[str, ...] = tuple(INDICATOR_HEADER)

# The standard 一级/二级指标 names (without the 指标 suffix), per Indicator field.
CATEGORY_NAMES: dict[str, tuple[str, ...]] = {
    "level1": ("产出", "效益", "满意度", "成本"),
    "level2": ("数量", "质量", "时效", "成本", "经济效益", "社会效益", "生态效益", "可持续影响", "服务对象满意度",
               "经济成本", "社会成本", "生态环境成本"),
}
CATEGORY_SUFFIX = "指标"

_YEAR_LINE = re.compile(r"^\(?(\d{4})年度?\)?$")
_YEAR_ANY = re.compile(r"(\d{4})\s*年度")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_NUMBER_RUN = re.compile(r"[+-]?\d+(?:\.\d+)?")
_NUMBERS_ONLY = re.compile(r"^(?:[+-]?\d+(?:\.\d+)?%?[,;，；]?)+$")
_DASHES = {"-", "—", "–", "－", "/", "—-", "--"}
_LABEL_TAIL = ":：；; \t\n"


def header_field(text: str, table: dict[str, tuple[str, ...]]) -> str | None:
    """Which field a header cell names (`一级\\n指标` -> level1), or None."""
    key = label_key(text)
    if not key:
        return None
    for field, words in table.items():
        if any(key == w or key.startswith(w) for w in words):
            return field
    return None


def funding_line(text: str) -> str | None:
    """The FUNDING_LINES entry a row label names (`其中：当年财政\\n拨款` -> 当年财政拨款)."""
    key = label_key(text).rstrip(":")
    if key.startswith("其中"):
        key = key[2:].lstrip(":")
    for line in FUNDING_LINES:
        if key == line or (len(key) >= 4 and key.startswith(line)):
            return line
    return None


def starts_with_label(text: str, label: str) -> bool:
    return label_key(text).startswith(label)


def strip_label(text: str, label: str) -> str:
    """The value printed after a label inside the same cell (`项目名称：X` -> `X`)."""
    stripped = text.strip()
    probe = ""
    for i, ch in enumerate(stripped):  # walk until the folded prefix covers the label
        probe += label_key(ch)
        if probe == label:
            return stripped[i + 1:].lstrip(_LABEL_TAIL).strip()
        if not label.startswith(probe):
            break
    return ""


def is_title(text: str) -> bool:
    key = label_key(text)
    return TITLE_WORD in key and len(key) <= 40


def _category_base(text: str) -> str:
    key = label_key(text)
    return key[:-len(CATEGORY_SUFFIX)] if key.endswith(CATEGORY_SUFFIX) else key


def continues_category(before: str, after: str, field: str) -> bool:
    """Whether `after`, the 一级/二级指标 (`field`) text at the top of a page, is the rest
    of `before`, the category text a page break cut (Writer flows a merged cell's text
    over pages: `产出指` + `标`). Yes when `after` is no standard name itself and the
    joined text is one, or ends in 指标 where `before` did not."""
    if not before or not after or _category_base(after) in CATEGORY_NAMES[field]:
        return False
    joined = label_key(before + after)
    return _category_base(joined) in CATEGORY_NAMES[field] or (
        joined.endswith(CATEGORY_SUFFIX) and not label_key(before).endswith(CATEGORY_SUFFIX))


def year_of(text: str, *, line_only: bool = False) -> int | None:
    """The year of a `（2024年度）` line; with line_only False also inside a longer text."""
    key = label_key(text)
    m = _YEAR_LINE.match(key) if line_only else (_YEAR_LINE.match(key) or _YEAR_ANY.search(key))
    return int(m.group(1)) if m else None


def total_numbers(text: str) -> list[float] | None:
    """For a 总分 label cell, the numbers printed inside it (`总分：100 99.7` -> [100, 99.7]);
    None when the text is not a total label."""
    key = label_key(text)
    word = next((t for t in TOTALS if key.startswith(t)), None)
    if word is None:
        return None
    rest = key[len(word):].lstrip(":")
    if rest and not _NUMBERS_ONLY.match(rest):
        return None
    return [float(x) for x in _NUMBER_RUN.findall(strip_label(text, word))]


def is_total_label(text: str) -> bool:
    return total_numbers(text) is not None


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.strip().replace(",", "")))


def is_dash(text: str) -> bool:
    return text.strip() in _DASHES


def parse_number(text: str | None) -> float | None:
    """`10.00` -> 10.0, `97%` -> 97.0; a printed dash, blank or non-number -> None."""
    if not text:
        return None
    t = label_key(text).replace(",", "").rstrip("%")
    return float(t) if _NUMBER.match(t) else None
