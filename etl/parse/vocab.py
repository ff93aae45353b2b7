"""The printed vocabulary of a 绩效自评表: labels, column headers, numbers.

Everything is compared through `label_key` (width folded, whitespace dropped), so
`其中:当年财政拨款`, `其中：当年财政\n拨款` and `项⽬名称` all match. Used by the parser and by
the text reader (which must recognise the same labels to rebuild rows).
"""

from __future__ import annotations

import re

from etl.normalize import label_key

TITLE_WORD = "自评表"
# The primary spelling of each label (the text reader matches these); the parser reads
# every synonym in the *_LABELS tuples, longest first.
PROJECT = "项目名称"
DEPARTMENT = "主管部门"
UNIT = "实施单位"
FUNDING_BLOCK = "项目资金"
GOAL_EXPECTED = "预期目标"
GOAL_ACTUAL = "实际完成"
GRADE = "评分等级"
TOTALS = ("总分", "合计", "总计")

PROJECT_LABELS = (PROJECT,)
DEPARTMENT_LABELS = (DEPARTMENT,)
UNIT_LABELS = (UNIT, "单位名称", "单位")  # `实施单位（盖章）`, `单位（盖章）`
GRADE_LABELS = (GRADE,)
FUNDING_BLOCK_LABELS = (FUNDING_BLOCK, "资金情况", "预算执行情况", "年度预算执行情况", "部门预算执行情况")
GOAL_EXPECTED_LABELS = (GOAL_EXPECTED, "年初设定目标", "项目年度目标")
GOAL_ACTUAL_LABELS = (GOAL_ACTUAL, "年度目标完成情况", "年度总体目标完成情况综述")
LEAD_LABELS = ("项目负责人及电话", "项目负责人")
REPORT_NO_LABELS = ("报表编号",)
SELF_TOTAL = "自评总分"  # a whole-department form's total, printed in its head
# Labelled texts kept as Form fields (label -> field), and the rest kept in Form.extras.
TEXT_FIELDS: dict[str, str] = {"评价结论": "conclusion", "存在问题": "problems", "改进措施": "improvements"}
EXTRA_LABELS = ("财务负责人", "部门联系人", "联系电话", SELF_TOTAL, "项目实施内容及过程概述")
# Words after a label that annotate it, not its value: `实施单位（盖章）`, `项目资金（万元）`.
_ANNOTATION = re.compile(r"^\s*[（(]\s*(?:盖章|签章|公章|万元|元|签字)\s*[）)]")
# A numbering before a label: `2.项目实施内容及过程概述`, `（一）`.
_NUMBERING = re.compile(r"^\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*[.、．]\s*|^\s*[（(][一二三四五六七八九十\d]{1,2}[)）]\s*")
# A label whose value runs on in the same cell: where the next label starts (`张三　财务负责人：李四`).
_NEXT_LABEL = re.compile(r"\s*(?:项目负责人|财务负责人|部门联系人|联系电话|填报人|填报日期|报表编号|自评总分)\s*[:：]")
# `产出指标（50分）`: a category with its points.
_POINTS = re.compile(r"^(.*?)\s*[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[）)]\s*$", re.S)
# A code printed before a name: `219-上海市欧美同学会`, `51000021R000000019951-工资性支出`.
_CODE = re.compile(r"^\s*(\d[0-9A-Za-z]{1,29})\s*[-－—–_]\s*(?=[\u4e00-\u9fff（(])(.+)$", re.S)
# Rows of the 财政部 template left unfilled: `指标1：`, `……`.
_PLACEHOLDER = re.compile(r"^(?:指标\d*[:：]?|[.。…·]+|[-—]+)$")

# Column header words of the funding block, per FundingLine field.
FUNDING_HEADER: dict[str, tuple[str, ...]] = {
    "initial_budget": ("年初预算数", "年初预算"),
    "full_year_budget": ("全年预算数", "全年预算", "调整后预算数", "调整后预算"),
    "executed": ("全年执行数", "全年执行", "预算执行数"),
    "weight": ("分数", "分值", "权重"),
    "execution_rate": ("执行率", "预算执行率"),
    "score": ("得分",),
}

# Column header words of the indicator table, per Indicator field; the first eight in
# the standard printed order (a header cell naming nothing takes the field its place implies).
INDICATOR_HEADER: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "name": ("三级指标", "指标名称"),
    "target": ("年度指标值", "年初指标值", "年初目标值", "指标值", "目标值"),
    "actual": ("实际完成值", "全年实际值", "全年完成值", "实际值", "完成值"),
    "weight": ("分值", "权重", "分数", "指标权重"),
    "score": ("得分", "指标得分"),
    "deviation": ("偏差原因", "偏差原因分析及改进措施", "未完成原因"),
    "nature": ("指标性质",),
    "measure_unit": ("度量单位", "计量单位"),
}
INDICATOR_COLUMNS: tuple[str, ...] = tuple(INDICATOR_HEADER)[:8]
# Headers printed but not stored; never taken for a field their words start like.
IGNORED_HEADERS = ("得分系数", "调整指标值", "是否核心指标", "原因", "年度预算数")

# Funding lines: canonical name -> printed spellings (`其中：` dropped).
FUNDING_LINE_NAMES: dict[str, tuple[str, ...]] = {
    "年度资金总额": ("年度资金总额", "年度预算资金总额", "资金总额", "总额"),
    "当年财政拨款": ("当年财政拨款", "本年财政拨款"),
    "上年结转资金": ("上年结转资金", "上年结转"),
    "财政资金": ("财政资金",),
    "财政专户管理资金": ("财政专户管理资金",),
    "单位资金": ("单位资金",),
    "其他资金": ("其他资金",),
    "基本支出": ("基本支出",),
    "项目支出": ("项目支出",),
}
# The sets of lines a family prints together; a missing line of the best-matching set is a gap.
FUNDING_LINE_SETS: tuple[tuple[str, ...], ...] = (
    ("年度资金总额", "当年财政拨款", "上年结转资金", "其他资金"),
    ("年度资金总额", "财政资金", "财政专户管理资金", "单位资金", "其他资金"),
    ("年度资金总额", "财政资金", "其他资金"),
    ("年度资金总额", "基本支出", "项目支出"),
)
DEPARTMENT_KIND_WORD = "部门整体支出"

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
    if not key or is_ignored_header(text):
        return None
    for field, words in table.items():
        if any(key == w or key.startswith(w) for w in words):
            return field
    return None


def is_ignored_header(text: str) -> bool:
    key = label_key(text)
    return any(key.startswith(w) for w in IGNORED_HEADERS)


def funding_line(text: str) -> str | None:
    """The canonical line a row label names (`其中：本年财政\\n拨款` -> 当年财政拨款)."""
    key = label_key(text).rstrip(":")
    if key.startswith("其中"):
        key = key[2:].lstrip(":")
    for line, names in FUNDING_LINE_NAMES.items():
        if any(key == n or (len(n) >= 4 and key.startswith(n)) for n in names):
            return line
    return None


def funding_line_set(lines: list[str]) -> tuple[str, ...]:
    """The set of lines a family prints that best matches the lines found."""
    return max(FUNDING_LINE_SETS, key=lambda s: (len(set(s) & set(lines)), -len(s)))


def split_label(text: str, label: str) -> str | None:
    """If `text` is `label` (numbered, annotated, followed by its value or not), the value
    printed after it in the same cell (`项目名称：X` -> `X`, `实施单位（盖章）` -> ``);
    None when `text` is not this label. A label of under four characters must stand
    alone or be followed by `：` (`单位` is not `单位资金`)."""
    stripped = _NUMBERING.sub("", text.strip(), count=1) if text.strip()[:1] in "0123456789一二三四五六七八九十（(" \
        else text.strip()
    probe = ""
    for i, ch in enumerate(stripped):  # walk until the folded prefix covers the label
        probe += label_key(ch)
        if probe == label:
            rest = _ANNOTATION.sub("", stripped[i + 1:], count=1).strip()
            if not rest or rest[0] in ":：" or len(label) >= 4:
                return rest.lstrip(_LABEL_TAIL).strip()
            return None
        if not label.startswith(probe):
            return None
    return None


def match_label(text: str, labels: tuple[str, ...]) -> tuple[str, str] | None:
    """(label, inline value) for the first of `labels` (longest first) that `text` is."""
    for label in sorted(labels, key=len, reverse=True):
        value = split_label(text, label)
        if value is not None:
            return label, value
    return None


def starts_with_label(text: str, label: str) -> bool:
    return split_label(text, label) is not None


def strip_label(text: str, label: str) -> str:
    """The value printed after a label inside the same cell (`项目名称：X` -> `X`)."""
    return split_label(text, label) or ""


def label_segments(text: str) -> list[str]:
    """A text line cut before each label inside it (`项目负责人：甲　财务负责人：乙`)."""
    starts = [0] + [m.start() for m in _NEXT_LABEL.finditer(text) if m.start() > 0]
    return [text[a:b].strip() for a, b in zip(starts, starts[1:] + [len(text)])]


def cut_at_next_label(value: str) -> str:
    """An inline value up to where another label starts in the same text line."""
    m = _NEXT_LABEL.search(value)
    return value[:m.start()].strip() if m and m.start() > 0 else value


def split_points(text: str) -> tuple[str, float | None]:
    """`产出指标（50分）` -> (`产出指标`, 50.0); other text unchanged, None."""
    m = _POINTS.match(text)
    return (m.group(1).strip(), float(m.group(2))) if m else (text, None)


def split_code(text: str) -> tuple[str, str]:
    """`219-上海市欧美同学会` -> (`219`, `上海市欧美同学会`); ("", text) without a code."""
    m = _CODE.match(text)
    return (m.group(1), m.group(2).strip()) if m else ("", text)


def is_placeholder(text: str) -> bool:
    """An unfilled template row's name (`指标1：`, `……`) or no name at all."""
    key = label_key(text)
    return not key or bool(_PLACEHOLDER.match(key))


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


def undouble_category(text: str) -> str:
    """A merged category cell continued over a page break can reach the reader twice (the
    part drawn past the page bottom and its continuation): `产出指标产出指标` -> `产出指标`."""
    half = len(text) // 2
    if half and len(text) % 2 == 0 and text[:half] == text[half:] and text.endswith(CATEGORY_SUFFIX):
        return text[:half]
    return text


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


# Upper header cells naming a group of columns (`绩效指标` over 一级/二级/三级指标).
HEADER_GROUPS = ("绩效指标",)


def is_header_group(text: str) -> bool:
    key = label_key(text)
    return any(key.startswith(g) for g in HEADER_GROUPS)
