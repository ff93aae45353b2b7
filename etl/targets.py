"""Parsing printed targets and actual values, and judging whether a target was met.

`≥95.00(%)` -> Quantity('≥', 95.0, '%'); `1份` -> Quantity(None, 1.0, '份');
`及时` -> Quantity(None, None, None). Pure functions, no I/O.
"""

from __future__ import annotations

import re
import unicodedata

from etl.model import Indicator, Judgement, Quantity

# Operators as printed, folded to one spelling each.
_OPS = {"≥": "≥", ">=": "≥", "＞＝": "≥", "≧": "≥", "≤": "≤", "<=": "≤", "≦": "≤", "＜＝": "≤",
        ">": ">", "＞": ">", "<": "<", "＜": "<", "=": "=", "＝": "=", "==": "="}
_OP_WORDS = {"不低于": "≥", "不少于": "≥", "大于等于": "≥", "至少": "≥", "不高于": "≤", "不超过": "≤",
             "不多于": "≤", "小于等于": "≤", "大于": ">", "高于": ">", "小于": "<", "低于": "<", "等于": "="}
_NUMBER = r"[-+]?\d+(?:,\d{3})*(?:\.\d+)?"
_QUANTITY = re.compile(
    rf"^(?P<op>≥|≤|>=|<=|==|=|>|<|{'|'.join(_OP_WORDS)})?\s*(?P<num>{_NUMBER})\s*"
    r"(?P<unit>\((?P<pu>[^()]*)\)|[^\d\s()]{1,8})?$"
)
_SUFFIX_OP = {"以上": "≥", "以内": "≤", "以下": "≤"}

# Targets that declare the indicator does not apply: nothing to meet, whatever verdict is printed.
NOT_APPLICABLE = frozenset({"不适用", "不涉及", "无", "/", "—", "-"})

# Printed verdicts in the 实际完成值 column (report engines print these instead of a value).
VERDICTS: dict[str, bool] = {"达成指标": True, "部分达成指标并具有一定效果": False, "未达成指标且效果较差": False}


def _fold(text: str) -> str:
    """Width-fold and drop whitespace so `（%）`, `％` and `%` read alike."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def parse_quantity(text: str) -> Quantity:
    """Split a printed value into operator, number and unit; non-numeric text gives Nones."""
    s = _fold(text)
    suffix_op = next((o for suffix, o in _SUFFIX_OP.items() if s.endswith(suffix)), None)
    if suffix_op:
        s = s[:-2]
    m = _QUANTITY.match(s)
    if not m:
        return Quantity(None, None, None)
    op = m["op"]
    op = (_OPS.get(op) or _OP_WORDS.get(op)) if op else suffix_op
    unit = m["pu"] if m["pu"] is not None else m["unit"]
    return Quantity(op, float(m["num"].replace(",", "")), unit or None)


def meets(op: str | None, actual: float, target: float) -> bool:
    """Compare with the target's operator; a bare number is a floor (more is better)."""
    match op:
        case "≤":
            return actual <= target
        case "<":
            return actual < target
        case ">":
            return actual > target
        case "=":
            return abs(actual - target) < 1e-9
        case _:
            return actual >= target


# 指标性质 printed in its own column: the operator it stands for; 定性 marks a qualitative target.
QUALITATIVE = "定性"


def split_target(ind: Indicator) -> tuple[Quantity, Quantity]:
    """Target and actual where 指标性质 | 指标值 | 度量单位 are printed apart: `≥` | `95.00` | `%`
    reads as `≥95.00(%)`, and a bare actual `98.00` is in the unit of 度量单位."""
    target = parse_quantity(ind.target)
    nature = _fold(ind.nature)
    if nature != QUALITATIVE and target.value is not None:
        op = target.op or _OPS.get(nature) or _OP_WORDS.get(nature)
        target = Quantity(op, target.value, target.unit or _fold(ind.measure_unit) or None)
    actual = parse_quantity(ind.actual)
    if actual.value is not None and actual.unit is None and ind.measure_unit.strip():
        actual = Quantity(actual.op, actual.value, _fold(ind.measure_unit))
    return target, actual


def judge(ind: Indicator) -> Judgement:
    """Parse target and actual; met is True/False where the text allows, else None."""
    if ind.nature.strip() or ind.measure_unit.strip():
        target, actual = split_target(ind)
    else:
        target, actual = parse_quantity(ind.target), parse_quantity(ind.actual)
    return Judgement(target, actual, _met(ind, target, actual))


def _met(ind: Indicator, target: Quantity, actual: Quantity) -> bool | None:
    if _fold(ind.target) in NOT_APPLICABLE:
        return None
    verdict = VERDICTS.get(_fold(ind.actual))
    if verdict is not None:
        return verdict
    if target.value is not None and actual.value is not None:
        return meets(target.op, actual.value, target.value)
    if target.value is None and _fold(ind.target) and _fold(ind.target) == _fold(ind.actual):
        return True  # qualitative target printed back as achieved: 及时 / 及时
    return None
