"""Target parsing and the met verdict, on values as printed in real forms."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.model import Indicator, Quantity
from tests.synth.golden import golden_forms
from etl.targets import judge, parse_quantity


@pytest.mark.parametrize(("text", "expected"), [
    ("≥95.00(%)", Quantity("≥", 95.0, "%")),
    ("=1.00(个)", Quantity("=", 1.0, "个")),
    ("≥10000(人\n次)", Quantity("≥", 10000.0, "人次")),
    ("≥100人次", Quantity("≥", 100.0, "人次")),
    ("=100%", Quantity("=", 100.0, "%")),
    ("1份", Quantity(None, 1.0, "份")),
    ("0次", Quantity(None, 0.0, "次")),
    ("≥20.00%", Quantity("≥", 20.0, "%")),
    ("=100.00(1)", Quantity("=", 100.0, "1")),
    ("＞＝９５％", Quantity("≥", 95.0, "%")),  # full-width digits and operator
    ("≥ 95 （%）", Quantity("≥", 95.0, "%")),
    ("95%以上", Quantity("≥", 95.0, "%")),
    ("≤5天", Quantity("≤", 5.0, "天")),
    ("不低于90%", Quantity("≥", 90.0, "%")),
    ("1,200万元", Quantity(None, 1200.0, "万元")),
    ("及时", Quantity(None, None, None)),
    ("满意", Quantity(None, None, None)),
    ("不超成本预算", Quantity(None, None, None)),
    ("", Quantity(None, None, None)),
])
def test_parse_quantity(text: str, expected: Quantity) -> None:
    assert parse_quantity(text) == expected


def _ind(target: str, actual: str, weight: float = 10, score: float = 10) -> Indicator:
    return Indicator(1, "产出指标", "数量指标", "x", target, actual, weight, score)


@pytest.mark.parametrize(("target", "actual", "met"), [
    ("≥95%", "92%", False),
    ("≥95%", "95%", True),
    ("≥98%", "=95%", False),
    ("≤5天", "6天", False),
    ("=100%", "=100%", True),
    ("0次", "0次", True),
    ("及时", "达成指标", True),
    ("项目制度", "部分达成指标并具有一定效果", False),
    ("良好", "未达成指标且效果较差", False),
    ("不适用", "未达成指标且效果较差", None),  # printed verdict on a row that does not apply
    ("不涉及", "0", None),
    ("及时", "及时", True),
    ("不超成本预算", "不超成本预算", True),
    ("提升", "有所提升", None),  # qualitative and different: cannot be judged
    ("≥500000人次", "≥470000人次", False),
])
def test_met(target: str, actual: str, met: bool | None) -> None:
    assert judge(_ind(target, actual)).met is met


def test_every_golden_indicator_with_numbers_on_both_sides_is_judged() -> None:
    for form in golden_forms():
        for ind in form.indicators:
            j = judge(ind)
            if j.target.value is not None and j.actual.value is not None:
                assert j.met is not None, ind


@given(st.text(max_size=40))
def test_parse_quantity_never_raises(text: str) -> None:
    q = parse_quantity(text)
    assert q.value is None or isinstance(q.value, float)
