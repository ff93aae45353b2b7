"""Checks on the real seed forms (their known inconsistencies) and on altered copies."""

from __future__ import annotations

import copy
from collections import Counter

import pytest

from etl.checks import check_form, expected_grade
from etl.model import Form
from tests.synth.golden import golden_forms


@pytest.fixture(scope="module")
def forms() -> dict[str, Form]:
    return {f"{f.department}/{f.year}/{f.project_name}": f for f in golden_forms()}


def codes(form: Form) -> Counter[str]:
    return Counter(f.code for f in check_form(form).findings)


def test_findings_in_the_real_seeds(forms: dict[str, Form]) -> None:
    uf = "中国共产党上海市委员会统一战线工作部/2023/"
    # 统战研究经费: scores sum to 100 but the total row says 95.
    assert codes(forms[uf + "统战研究经费"])["score_total_mismatch"] == 1
    # 统战融媒体工作经费: weights sum to 115, scores to 113, against a printed 100 / 98.
    media = [f.message for f in check_form(forms[uf + "统战融媒体工作经费"]).findings]
    assert any("115" in m and "100" in m for m in media) and any("113" in m and "98" in m for m in media)
    # 统战文化推广经费: 展厅访客满意度 92% against ≥95% still got 10/10.
    full = [f for f in check_form(forms[uf + "统战文化推广经费"]).findings if f.code == "missed_target_full_score"]
    assert [f.row_no for f in full] == [9]
    # Budgets raised during the year.
    assert codes(forms["上海市科学技术协会/2024/抚恤金"])["budget_adjusted"] == 1
    assert codes(forms["上海市科学技术协会/2024/科技工作者系列服务"])["budget_adjusted"] == 1
    # 政治引领 prints 97.00% for 89.72/92.49 = 97.005%: truncated, an info finding.
    assert codes(forms["上海市欧美同学会/2024/政治引领"])["execution_rate_truncated"] == 2


def test_clean_seed_form_has_no_findings(forms: dict[str, Form]) -> None:
    assert not check_form(forms["上海市欧美同学会/2024/缴纳残疾人就业保障费"]).findings


def test_altered_forms_raise_each_check(forms: dict[str, Form]) -> None:
    f = copy.deepcopy(forms["上海市欧美同学会/2024/缴纳残疾人就业保障费"])
    f.grade = "良"
    f.indicators[0].score = 31.0  # above its weight of 30
    f.indicators[1].score = 15.0  # lost 5 points, no reason given
    f.funding[0].execution_rate = 90.0  # 3.20/3.20 is 100%
    f.funding[1].executed = 3.0  # parts no longer add up to the total line
    got = codes(f)
    assert got["grade_mismatch"] == 1
    assert got["score_exceeds_weight"] == 1
    assert got["lost_points_no_reason"] == 1
    assert got["execution_rate_mismatch"] == 2  # the total line, and 当年财政拨款 (3.00/3.20 ≠ 100%)
    assert got["funding_score_mismatch"] == 1  # 10 points for a 90% rate
    assert got["funding_parts_mismatch"] == 1
    assert got["score_total_mismatch"] == 1


def test_parse_gaps_become_error_findings(forms: dict[str, Form]) -> None:
    f = copy.deepcopy(forms["上海市欧美同学会/2024/组织建设"])
    f.gaps = ["未找到评分等级"]
    checked = check_form(f)
    assert checked.status == "partial"
    assert [(x.code, x.severity, x.message) for x in checked.findings] == [("parse_gap", "error", "未找到评分等级")]


@pytest.mark.parametrize(("score", "grade"), [(100, "优"), (90, "优"), (89.99, "良"), (80, "良"),
                                              (79.5, "中"), (60, "中"), (59.99, "差"), (0, "差")])
def test_grade_bands(score: float, grade: str) -> None:
    assert expected_grade(score) == grade
