"""Regression tests for the traps of the template families (issue 7), each on the rows a
reader gives for the family's printed layout."""

from __future__ import annotations

import json

import pytest

from etl.checks import check_form
from etl.parse import parse_document, vocab
from etl.store import TABLES, form_rows
from etl.targets import judge
from tests.etl.parse.docs import HEADER, document

N = 8


def row(*texts: str, width: int = N) -> list[str]:
    return list(texts) + [""] * (width - len(texts))


def caizheng_form(title: str = "项目支出绩效自评表") -> list[tuple[int, list[str]]]:
    rows = [row("项目名称", "", "工资性支出"), row("主管部门", "", "219-池州市贵池区棠溪镇人民政府", "", "实施单位", "",
                                           "219001-池州市贵池区棠溪镇财政所"),
            row("项目资金\n（万元）", "", "年初预算数", "全年预算数（\nA）", "全年执行数（\nB）", "分值", "执行率（\nB/A）", "得分"),
            row("", "年度资金总额", "10.00", "10.00", "9.00", "10.00", "90.00", "9.00"),
            row("", "其中：本年\n财政拨款", "10.00", "10.00", "9.00", "-", "90.00", "-"),
            row("", "上年结转资金", "0.00", "0.00", "0.00", "-", "0.00", "-"),
            row("", "其他资金", "0.00", "0.00", "0.00", "-", "0.00", "-"),
            row("年度总体目标", "预期目标", "", "", "实际完成情况"), row("", "按时发放", "", "", "已按时发放"),
            HEADER,
            row("产出指标\n（50分）", "数量指标", "发放人数", "≥95.00(%)", "98.00(%)", "50.00", "50.00"),
            row("", "", "指标2："), row("", "", "……"),
            row("效益指标（40分）", "社会效益指标", "群众满意", "满意", "达成指标", "40.00", "40.00"),
            row("", "", "指标1："),
            row("总分", "", "", "", "", "100.00", "99.00"),
            row("注：1.实际完成值与年度指标值有偏差的，须说明原因。")]
    return [(1, [title])] + [(1, ["（2024年度）"])] + [(1, r) for r in rows]


def test_points_codes_placeholders_and_footnote_of_the_county_form() -> None:
    (form,) = parse_document(document(caizheng_form()))
    assert form.gaps == []
    assert [(i.level1, i.level1_points, i.name) for i in form.indicators] == [
        ("产出指标", 50.0, "发放人数"), ("效益指标", 40.0, "群众满意")]
    assert (form.department_code, form.department) == ("219", "池州市贵池区棠溪镇人民政府")
    assert (form.unit_code, form.implementing_unit) == ("219001", "池州市贵池区棠溪镇财政所")
    assert [(f.line, f.label) for f in form.funding] == [
        ("年度资金总额", "年度资金总额"), ("当年财政拨款", "其中：本年财政拨款"), ("上年结转资金", "上年结转资金"),
        ("其他资金", "其他资金")]
    assert (form.total_weight, form.total_score, form.grade) == (100.0, 99.0, "")


def test_a_form_without_a_grade_has_none_and_the_checks_still_run() -> None:
    (form,) = parse_document(document(caizheng_form()))
    codes = [f.code for f in check_form(form).findings]
    assert form.grade == "" and "grade_mismatch" not in codes
    assert codes == []  # 9 + 50 + 40 = 99: the totals agree
    form.indicators[0].score = 49.0
    assert [f.code for f in check_form(form).findings] == ["score_total_mismatch", "lost_points_no_reason"]


def test_unit_label_with_seal_note_is_not_the_value() -> None:
    rows = caizheng_form()
    rows[3] = (1, row("主管部门", "", "219-池州市贵池区棠溪镇人民政府", "", "实施单位（盖章）", "", "池州市贵池区棠溪镇财政所"))
    (form,) = parse_document(document(rows))
    assert form.implementing_unit == "池州市贵池区棠溪镇财政所" and form.unit_code == ""


SICHUAN_IND = ["绩效指标（90分）", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重",
               "得分", "未完成原因分析"]


def sichuan_form() -> list[tuple[int, list[str]]]:
    w = 11
    rows = [row("项目名称", "", "51000021R000000019951-工资性支出", width=w),
            row("主管部门", "", "219-四川省财政厅", "", "", "实施单位（盖章）", "", "219001-四川省财政厅机关", width=w),
            row("项目基本情况", "1.项目年度目标完成情况", width=w),
            row("", "项目年度目标", "", "", "", "", "年度目标完成情况", width=w),
            row("", "保障在职人员工资发放", "", "", "", "", "按月足额发放", width=w),
            row("", "2.项目实施内容及过程概述", width=w), row("", "按月核定工资并发放。", width=w),
            ["预算执行情况（10分）", "年度预算数（万元）", "", "", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重",
             "得分", "原因"],
            row("", "总额", "", "", "100.00", "120.00", "118.80", "99.00", "10.00", "9.90", width=w),
            row("", "其中：财政资金", "", "", "100.00", "120.00", "118.80", "99.00", "-", "-", width=w),
            row("", "财政专户管理资金", "", "", "0.00", "0.00", "0.00", "-", "-", "-", width=w),
            row("", "单位资金", "", "", "0.00", "0.00", "0.00", "-", "-", "-", width=w),
            row("", "其他资金", "", "", "0.00", "0.00", "0.00", "-", "-", "-", width=w),
            SICHUAN_IND,
            row("", "产出指标", "数量指标", "发放人数", "≥", "95.00", "%", "98.00", "45.00", "45.00", width=w),
            row("", "", "时效指标", "发放及时", "定性", "及时", "", "及时", "45.00", "45.00", width=w),
            row("合计", "", "", "", "", "", "", "", "100.00", "99.90", width=w),
            row("评价结论", "", "自评得分99.9分。", width=w), row("存在问题", "", "无。", width=w),
            row("改进措施", "", "加强管理。", width=w)]
    return ([(1, ["部门预算项目支出绩效自评表"]), (1, ["（2024年度）"]), (1, ["报表编号：510000_0013zp"])]
            + [(1, r) for r in rows] + [(1, ["项目负责人：王建国　　财务负责人：李华"])])


def test_sichuan_goals_funding_block_texts_and_codes() -> None:
    (form,) = parse_document(document(sichuan_form()))
    assert form.gaps == []
    assert (form.project_code, form.project_name) == ("51000021R000000019951", "工资性支出")
    assert form.implementing_unit == "四川省财政厅机关" and form.report_no == "510000_0013zp"
    assert (form.goal_expected, form.goal_actual) == ("保障在职人员工资发放", "按月足额发放")
    assert form.extras == {"项目实施内容及过程概述": "按月核定工资并发放。", "财务负责人": "李华"}
    assert (form.conclusion, form.problems, form.improvements, form.project_lead) == (
        "自评得分99.9分。", "无。", "加强管理。", "王建国")
    total = form.funding_line("年度资金总额")
    assert total is not None and total.label == "总额"
    assert (total.initial_budget, total.full_year_budget, total.executed, total.execution_rate, total.weight,
            total.score) == (100.0, 120.0, 118.8, 99.0, 10.0, 9.9)
    assert [f.line for f in form.funding] == ["年度资金总额", "财政资金", "财政专户管理资金", "单位资金", "其他资金"]
    assert form.grade == "" and (form.total_weight, form.total_score) == (100.0, 99.9)


def test_split_target_reads_like_the_printed_one() -> None:
    (form,) = parse_document(document(sichuan_form()))
    ind, qual = form.indicators
    assert (ind.nature, ind.target, ind.measure_unit, ind.actual) == ("≥", "95.00", "%", "98.00")
    split, printed = judge(ind), judge(type(ind)(1, "", "", "x", "≥95.00(%)", "98.00(%)", 45.0, 45.0))
    assert split == printed and split.met is True
    assert judge(qual).target.value is None and judge(qual).met is True  # 定性 及时 / 及时


def test_full_width_and_small_equals_are_equals() -> None:
    (form,) = parse_document(document(sichuan_form()))
    ind = form.indicators[0]
    for sign in ("﹦", "＝", "="):
        ind.nature, ind.actual = sign, "95.00"
        assert judge(ind).target.op == "=" and judge(ind).met is True


def test_zhongjiang_order_weight_before_target_and_no_initial_budget() -> None:
    rows = [(1, ["项目支出绩效目标自评表"]), (1, ["（2024年度）"]),
            (1, row("项目名称", "", "乡村道路养护")), (1, row("主管部门", "", "中江县交通运输局", "", "实施单位", "", "中江县公路所")),
            (1, row("项目负责人及电话", "", "张敏 0838-1234567")),
            (1, row("资金情况（万元）", "", "", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分")),
            (1, row("", "年度资金总额", "", "50.00", "50.00", "10.00", "100.00", "10.00")),
            (1, row("", "其中：财政资金", "", "50.00", "50.00", "-", "100.00", "-")),
            (1, row("", "其他资金", "", "0.00", "0.00", "-", "0.00", "-")),
            (1, row("年度总体目标", "年初设定目标", "", "", "年度总体目标完成情况综述")),
            (1, row("", "养护道路20公里", "", "", "完成养护22公里")),
            (1, ["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分", "未完成原因及拟采取的改进措施"]),
            (1, row("产出指标", "数量指标", "养护里程", "90.00", "≥20(公里)", "22.00(公里)", "90.00")),
            (1, row("总分", "", "", "100.00", "", "", "100.00"))]
    (form,) = parse_document(document(rows))
    assert form.gaps == []
    (ind,) = form.indicators
    assert (ind.weight, ind.target, ind.actual, ind.score) == (90.0, "≥20(公里)", "22.00(公里)", 90.0)
    assert judge(ind).met is True and form.project_lead == "张敏 0838-1234567"
    assert [(f.line, f.initial_budget, f.full_year_budget) for f in form.funding] == [
        ("年度资金总额", None, 50.0), ("财政资金", None, 50.0), ("其他资金", None, 0.0)]
    assert (form.goal_expected, form.goal_actual) == ("养护道路20公里", "完成养护22公里")


def test_yunnan_two_row_header() -> None:
    w = 10
    rows = caizheng_form()[:11] + [
        (1, row("绩效指标", "", "", "年度指标值", "", "", "实际完成值", "分值", "得分", "偏差原因分析及改进措施", width=w)),
        (1, row("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", width=w)),
        (1, row("产出指标", "数量指标", "发放人数", "≤", "3", "次", "2", "90.00", "90.00", width=w)),
        (1, row("总分", "", "", "", "", "", "", "100.00", "99.00", width=w))]
    (form,) = parse_document(document(rows))
    (ind,) = form.indicators
    assert form.gaps == [] and (ind.level1, ind.name, ind.nature, ind.target, ind.measure_unit, ind.actual) == (
        "产出指标", "发放人数", "≤", "3", "次", "2")
    assert judge(ind) == judge(type(ind)(1, "", "", "x", "≤3(次)", "2(次)", 90.0, 90.0))


def test_whole_department_form_with_a_flat_indicator_list() -> None:
    w = 10
    rows = [(1, ["部门整体支出绩效自评表"]), (1, ["（2024年度）"]),
            (1, row("单位（盖章）", "", "重庆市某局", "", "", "自评总分", "", "96.00", width=w)),
            (1, row("部门联系人", "", "陈静", "", "", "联系电话", "", "023-1234567", width=w)),
            (1, row("年度预算执行情况（万元）", "", "", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分",
                    width=w)),
            (1, row("", "年度资金总额", "", "", "10.00", "10.00", "10.00", "10.00", "100.00", "10.00", width=w)),
            (1, row("", "其中：基本支出", "", "", "6.00", "6.00", "6.00", "-", "100.00", "-", width=w)),
            (1, row("", "项目支出", "", "", "4.00", "4.00", "4.00", "-", "100.00", "-", width=w)),
            (1, ["指标名称", "计量单位", "指标性质", "年初指标值", "调整指标值", "全年完成值", "得分系数", "指标权重", "指标得分",
                 "是否核心指标"]),
            (1, ["单位成本控制", "%", "≤", "100", "100", "95", "1.00", "90.00", "86.00", "是"])]
    (form,) = parse_document(document(rows))
    assert form.form_kind == "部门整体支出" and form.project_name == "部门整体支出" and form.implementing_unit == "重庆市某局"
    assert form.department == "重庆市某局"  # the unit evaluated is its own department
    assert form.extras == {"部门联系人": "陈静", "联系电话": "023-1234567", "自评总分": "96.00"}
    (ind,) = form.indicators
    assert (ind.level1, ind.level2, ind.name, ind.target, ind.actual, ind.weight, ind.score, ind.deviation) == (
        "", "", "单位成本控制", "100", "95", 90.0, 86.0, "")
    assert (form.total_weight, form.total_score) == (None, 96.0)
    assert [f.line for f in form.funding] == ["年度资金总额", "基本支出", "项目支出"]
    # "未找到总分"/"项目名称"/"主管部门" are not gaps of a whole-department form; 目标 is.
    assert form.gaps == ["未找到年度总体目标"]
    assert [f.code for f in check_form(form).findings] == ["parse_gap", "lost_points_no_reason"]


def test_a_two_row_header_repeated_on_the_next_page_is_skipped() -> None:
    w = 10
    top = row("绩效指标", "", "", "年度指标值", "", "", "实际完成值", "分值", "得分", "偏差原因分析及改进措施", width=w)
    bottom = row("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", width=w)
    rows = caizheng_form()[:11] + [
        (1, top), (1, bottom), (1, row("产出指标", "数量指标", "发放人数", "≤", "3", "次", "2", "50.00", "50.00", width=w)),
        (2, top), (2, bottom), (2, row("", "", "覆盖乡镇", "≥", "5", "个", "6", "40.00", "40.00", width=w)),
        (2, row("总分", "", "", "", "", "", "", "100.00", "99.00", width=w))]
    (form,) = parse_document(document(rows))
    assert form.gaps == []
    assert [(i.level1, i.level2, i.name, i.page) for i in form.indicators] == [
        ("产出指标", "数量指标", "发放人数", 1), ("产出指标", "数量指标", "覆盖乡镇", 2)]


def test_stored_rows_keep_kind_codes_labels_and_a_null_grade() -> None:
    (form,) = parse_document(document(sichuan_form()))
    rows: dict[str, list[tuple]] = {name: [] for name in TABLES}
    form_rows(1, 1, check_form(form), rows)
    report = dict(zip([c for c, _ in TABLES["reports"]], rows["reports"][0]))
    assert (report["grade"], report["form_kind"], report["project_code"], report["report_no"]) == (
        None, "项目支出", "51000021R000000019951", "510000_0013zp")
    assert json.loads(report["extras"])["财务负责人"] == "李华"
    funding = [dict(zip([c for c, _ in TABLES["funding"]], r)) for r in rows["funding"]]
    assert [(f["line"], f["label"]) for f in funding][:2] == [("年度资金总额", "总额"), ("财政资金", "其中：财政资金")]
    assert funding[0]["initial_budget"] == 100.0
    ind = dict(zip([c for c, _ in TABLES["indicators"]], rows["indicators"][0]))
    assert (ind["nature"], ind["measure_unit"], ind["target_op"], ind["target_value"], ind["met"]) == (
        "≥", "%", "≥", 95.0, True)


@pytest.mark.parametrize("field,words", [
    ("weight", ("分值", "分数", "权重", "指标权重")), ("target", ("年度指标值", "年初目标值", "年初指标值", "指标值")),
    ("actual", ("实际完成值", "完成值", "全年实际值", "全年完成值")),
    ("deviation", ("偏差原因分析及改进措施", "偏差原因分析", "未完成原因分析", "未完成原因及拟采取的改进措施")),
    ("nature", ("指标性质",)), ("measure_unit", ("度量单位", "计量单位")), (None, ("得分系数", "调整指标值", "是否核心指标"))])
def test_indicator_header_synonyms(field: str | None, words: tuple[str, ...]) -> None:
    assert {vocab.header_field(w, vocab.INDICATOR_HEADER) for w in words} == {field}


@pytest.mark.parametrize("field,words", [
    ("full_year_budget", ("全年预算数", "调整后预算数", "全年预算数（A）")),
    ("executed", ("全年执行数", "预算执行数", "全年执行数（B）")), ("execution_rate", ("执行率", "预算执行率", "执行率（B/A）")),
    ("initial_budget", ("年初预算数", "年初预算")), (None, ("年度预算数（万元）", "原因"))])
def test_funding_header_synonyms(field: str | None, words: tuple[str, ...]) -> None:
    assert {vocab.header_field(w, vocab.FUNDING_HEADER) for w in words} == {field}


def test_a_cell_spanning_both_header_rows_may_sit_in_either() -> None:
    w = 10
    rows = caizheng_form()[:11] + [
        (1, row("绩效指标", "", "", "年度指标值", width=w)),
        (1, row("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "实际完成值", "分值", "得分", "偏差原因分析",
                width=w)),
        (1, row("产出指标", "数量指标", "发放人数", "≤", "3", "次", "2", "90.00", "90.00", width=w)),
        (1, row("总分", "", "", "", "", "", "", "100.00", "99.00", width=w))]
    (form,) = parse_document(document(rows))
    (ind,) = form.indicators
    assert form.gaps == [] and (ind.nature, ind.target, ind.actual, ind.weight) == ("≤", "3", "2", 90.0)
