"""Arithmetic and consistency checks: a form in, findings out, nothing corrected.

Each check is a small function `(form, judgements) -> Iterable[Finding]`; `CHECKS`
lists them in the order findings are reported. Messages are Chinese, for the dashboard.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from etl.model import CheckedForm, Finding, Form, FundingLine, Judgement
from etl.parse.vocab import funding_line_set
from etl.targets import judge

TOTAL_LINE = "年度资金总额"  # every family's total line is stored under this canonical name
# Printed figures carry two decimals: half a cent of rounding either way is not a finding.
TOL = 0.005 + 1e-9

Check = Callable[[Form, list[Judgement]], Iterable[Finding]]


def _fmt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _total_line(form: Form) -> FundingLine | None:
    return form.funding_line(TOTAL_LINE)


def check_gaps(form: Form, _: list[Judgement]) -> Iterable[Finding]:
    for gap in form.gaps:
        yield Finding("parse_gap", "error", gap)


def _sum_vs_total(form: Form, field: str) -> tuple[float, float] | None:
    """(indicators' + funding line's `field` summed, the 总分 row's figure), or None if unprinted."""
    printed = getattr(form, f"total_{field}")
    if printed is None:
        return None
    total = _total_line(form)
    parts = [getattr(i, field) for i in form.indicators] + [getattr(total, field) if total else None]
    return sum(p for p in parts if p is not None), printed


def check_weight_total(form: Form, _: list[Judgement]) -> Iterable[Finding]:
    sums = _sum_vs_total(form, "weight")
    if sums and abs(sums[0] - sums[1]) > TOL:
        yield Finding("weight_total_mismatch", "warning",
                      f"指标分值合计{_fmt(sums[0])}（含资金分数）与总分分值{_fmt(sums[1])}不一致")


def check_score_total(form: Form, _: list[Judgement]) -> Iterable[Finding]:
    sums = _sum_vs_total(form, "score")
    if sums and abs(sums[0] - sums[1]) > TOL:
        yield Finding("score_total_mismatch", "warning",
                      f"各项得分合计{_fmt(sums[0])}（含资金得分）与报告总分{_fmt(sums[1])}不一致")


def check_score_over_weight(form: Form, _: list[Judgement]) -> Iterable[Finding]:
    for ind in form.indicators:
        if ind.score is not None and ind.weight is not None and ind.score > ind.weight + TOL:
            yield Finding("score_exceeds_weight", "error",
                          f"「{ind.name}」得分{_fmt(ind.score)}高于分值{_fmt(ind.weight)}", ind.row_no)
    total = _total_line(form)
    if total and total.score is not None and total.weight is not None and total.score > total.weight + TOL:
        yield Finding("score_exceeds_weight", "error",
                      f"预算执行率得分{_fmt(total.score)}高于分数{_fmt(total.weight)}")


def check_execution_rate(form: Form, _: list[Judgement]) -> Iterable[Finding]:
    for fl in form.funding:
        if fl.execution_rate is None or fl.executed is None or not fl.full_year_budget:
            continue
        exact = fl.executed / fl.full_year_budget * 100
        if abs(exact - fl.execution_rate) <= TOL:
            continue
        if math.isclose(math.floor(exact * 100) / 100, fl.execution_rate, abs_tol=1e-9):
            yield Finding("execution_rate_truncated", "info",
                          f"{fl.line}执行率印为{_fmt(fl.execution_rate)}%，按执行数/预算数计算为{exact:.4f}%"
                          f"（截断而非四舍五入）")
        else:
            yield Finding("execution_rate_mismatch", "warning",
                          f"{fl.line}执行率印为{_fmt(fl.execution_rate)}%，按全年执行数/全年预算数计算应为{exact:.2f}%")


def check_funding_score(form: Form, _: list[Judgement]) -> Iterable[Finding]:
    total = _total_line(form)
    if not total or None in (total.score, total.weight, total.execution_rate):
        return
    expected = min(total.execution_rate, 100.0) / 100 * total.weight
    if abs(expected - total.score) > 0.01 + 1e-9:  # the printed rate is itself rounded
        yield Finding("funding_score_mismatch", "warning",
                      f"预算执行率得分{_fmt(total.score)}与执行率×分数（{expected:.2f}）不一致")


def expected_grade(score: float) -> str:
    if score >= 90:
        return "优"
    if score >= 80:
        return "良"
    return "中" if score >= 60 else "差"


def check_grade(form: Form, _: list[Judgement]) -> Iterable[Finding]:
    if form.total_score is None or not form.grade:
        return
    want = expected_grade(form.total_score)
    if form.grade != want:
        yield Finding("grade_mismatch", "warning",
                      f"总分{_fmt(form.total_score)}应评为「{want}」，报告为「{form.grade}」")


def check_missed_target_full_score(form: Form, judgements: list[Judgement]) -> Iterable[Finding]:
    for ind, j in zip(form.indicators, judgements, strict=True):
        if j.met is False and ind.weight and ind.score is not None and abs(ind.score - ind.weight) <= TOL:
            yield Finding("missed_target_full_score", "warning",
                          f"「{ind.name}」实际完成值{ind.actual}未达到年度指标值{ind.target}，仍得满分"
                          f"{_fmt(ind.score)}", ind.row_no)


def check_lost_points_reason(form: Form, _: list[Judgement]) -> Iterable[Finding]:
    for ind in form.indicators:
        if ind.weight is not None and ind.score is not None and ind.score < ind.weight - TOL \
                and not ind.deviation.strip():
            yield Finding("lost_points_no_reason", "warning",
                          f"「{ind.name}」扣{_fmt(ind.weight - ind.score)}分，未填写偏差原因", ind.row_no)


def check_budget_adjusted(form: Form, _: list[Judgement]) -> Iterable[Finding]:
    total = _total_line(form)
    if total and None not in (total.initial_budget, total.full_year_budget) \
            and abs(total.initial_budget - total.full_year_budget) > TOL:
        yield Finding("budget_adjusted", "info",
                      f"年初预算数{_fmt(total.initial_budget)}万元调整为全年预算数{_fmt(total.full_year_budget)}万元")


def check_funding_parts(form: Form, _: list[Judgement]) -> Iterable[Finding]:
    """The parts of the family's line set (当年财政拨款 + 上年结转资金 + 其他资金, 基本支出 +
    项目支出, ...) against the total; only where every part of the set is printed."""
    total = _total_line(form)
    printed = [f.line for f in form.funding]
    names = [line for line in funding_line_set(printed) if line != TOTAL_LINE]
    parts = [form.funding_line(name) for name in names]
    if not total or any(p is None for p in parts):
        return
    for field, label in (("initial_budget", "年初预算数"), ("full_year_budget", "全年预算数"), ("executed", "全年执行数")):
        values = [getattr(p, field) for p in parts]
        want = getattr(total, field)
        if want is None or any(v is None for v in values):
            continue
        if abs(sum(values) - want) > TOL:
            yield Finding("funding_parts_mismatch", "warning",
                          f"{label}：各资金来源合计{_fmt(sum(values))}与年度资金总额{_fmt(want)}不一致")


CHECKS: tuple[Check, ...] = (
    check_gaps, check_weight_total, check_score_total, check_score_over_weight, check_execution_rate,
    check_funding_score, check_grade, check_missed_target_full_score, check_lost_points_reason,
    check_budget_adjusted, check_funding_parts,
)


def run_checks(form: Form, judgements: list[Judgement]) -> list[Finding]:
    return [finding for check in CHECKS for finding in check(form, judgements)]


def check_form(form: Form) -> CheckedForm:
    """Judge every indicator, then run every check."""
    judgements = [judge(ind) for ind in form.indicators]
    return CheckedForm(form, judgements, run_checks(form, judgements))
