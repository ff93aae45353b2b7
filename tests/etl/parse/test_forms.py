"""Form splitting, label lookup, gaps and the (cid:N) guard."""

from __future__ import annotations

from etl.model import Cell
from etl.parse import parse_document
from etl.parse.cells import Gaps, label_value
from etl.parse.forms import split_forms
from etl.parse.indicators import indicator_columns
from tests.etl.parse.docs import HEADER, document, form_head

TABLE = [
    (1, HEADER),
    (1, ["产出指标", "数量指标", "二级等保", "≥1.00(次)", "2.00(次)", "90.00", "90.00", ""]),
    (1, ["总分", "", "", "", "", "100.00", "99.99", ""]),
    (1, ["评分等级", "", "优"]),
]


def test_each_title_starts_a_form_with_its_own_pages() -> None:
    rows = form_head(1, project="甲") + TABLE + [(2, t) for _, t in form_head(2, project="乙") + TABLE]
    forms = parse_document(document(rows))
    assert [(f.form_index, f.project_name, f.page_start, f.page_end) for f in forms] == [(1, "甲", 1, 1), (2, "乙", 2, 2)]
    assert all(f.gaps == [] for f in forms)
    assert forms[1].cells[0].text == "财政项目支出绩效自评表" and forms[1].cells[0].page == 2


def test_without_titles_a_second_year_line_or_project_starts_a_form() -> None:
    no_title = [r for r in form_head() if r[1] != ["财政项目支出绩效自评表"]] + TABLE
    forms = parse_document(document(no_title + no_title))
    assert [f.form_index for f in forms] == [1, 2]
    no_year = [r for r in no_title if r[1] != ["（2024年度）"]]
    assert len(split_forms(document(no_year + no_year).rows)) == 2


def test_form_with_missing_parts_is_returned_with_gaps() -> None:
    rows = [r for r in form_head() + TABLE if r[1][0] not in ("评分等级", "其他资金") and "其他资金" not in r[1]]
    (form,) = parse_document(document(rows))
    # A form without 评分等级 is a family without grades (NULL grade), not a gap.
    assert "未找到资金行：其他资金" in form.gaps and not any("评分等级" in g for g in form.gaps)
    assert form.grade == "" and [f.line for f in form.funding] == ["年度资金总额", "当年财政拨款", "上年结转资金"]
    assert form.indicators[0].name == "二级等保"  # the rest still read


def test_text_outside_any_form_gives_no_forms() -> None:
    assert parse_document(document([(1, ["说明：本表为示例"]), (1, ["附件一"])])) == []


def test_cid_glyphs_are_not_loaded_as_text() -> None:
    rows = form_head(project="(cid:12)(cid:40)项目") + [
        (1, HEADER), (1, ["产出指标", "数量指标", "(cid:7)(cid:9)", "≥1", "2", "(cid:3)", "90", ""])] + TABLE[2:]
    (form,) = parse_document(document(rows))
    assert form.project_name == "" and form.indicators[0].name == "" and form.indicators[0].weight is None
    assert "项目名称含无法识别的字符（cid），未载入" in form.gaps
    assert "第1行指标的三级指标含无法识别的字符（cid），未载入" in form.gaps
    assert "第1行指标的分值含无法识别的字符（cid），未载入" in form.gaps


def test_label_and_value_in_one_cell_or_with_look_alike_radicals() -> None:
    row = [Cell("项⽬名称：缴纳残疾人就业保障费", 1, 0, 0), Cell("主管部门:", 1, 0, 1), Cell("上海市欧美同学会", 1, 0, 2)]
    gaps = Gaps()
    assert label_value([row], "项目名称", gaps, "项目名称") == "缴纳残疾人就业保障费"
    assert label_value([row], "主管部门", gaps, "主管部门") == "上海市欧美同学会"
    assert label_value([row], "实施单位", gaps, "实施单位") is None and gaps.items == []


def test_funding_values_shifted_one_column_still_map_in_order() -> None:
    rows = form_head()
    rows[5] = (1, ["", "年度资金总额", "", "77.32", "77.32", "77.32", "10", "100", "10"])
    (form,) = parse_document(document(rows + TABLE))
    total = form.funding[0]
    assert (total.initial_budget, total.executed, total.weight, total.execution_rate, total.score) == (
        77.32, 77.32, 10.0, 100.0, 10.0)


def test_header_columns_found_by_text_with_a_dash_and_wrapped_cells() -> None:
    row = [Cell(t, 1, 0, i) for i, t in enumerate(["-", "二级\n指标", "三级指标", "年度\n指标值", "实际完成值", "分值",
                                                   "得分", "偏差原因分析\n及改进措施"])]
    assert indicator_columns(row) == {"level1": 0, "level2": 1, "name": 2, "target": 3, "actual": 4, "weight": 5,
                                      "score": 6, "deviation": 7}
    assert indicator_columns([Cell("年初预算数", 1, 0, 0), Cell("得分", 1, 0, 1)]) is None


def test_columns_in_another_order_are_read_by_header_text() -> None:
    swapped = ["三级指标", "一级指标", "二级指标", "得分", "分值", "实际完成值", "年度指标值", "偏差原因分析"]
    rows = form_head() + [(1, swapped), (1, ["宣传工作效能", "产出指标", "质量指标", "9", "10", "90%", "=100%", "略低"]),
                          (1, ["总分", "", "", "99", "100"]), (1, ["评分等级", "优"])]
    (form,) = parse_document(document(rows))
    ind = form.indicators[0]
    assert (ind.name, ind.level1, ind.target, ind.actual, ind.weight, ind.score, ind.deviation) == (
        "宣传工作效能", "产出指标", "=100%", "90%", 10.0, 9.0, "略低")
    assert (form.total_weight, form.total_score) == (100.0, 99.0)


def test_new_level1_resets_the_inherited_level2() -> None:
    rows = form_head() + [
        (1, HEADER),
        (1, ["产出指标", "数量指标", "甲", "1", "1", "10", "10", ""]),
        (1, ["效益指标", "", "乙", "1", "1", "10", "10", ""]),
        (1, ["", "", "丙", "1", "1", "10", "10", ""]),
    ] + TABLE[2:]
    (form,) = parse_document(document(rows))
    assert [(i.level1, i.level2) for i in form.indicators] == [("产出指标", "数量指标"), ("效益指标", ""), ("效益指标", "")]


def test_non_numeric_score_is_a_gap() -> None:
    rows = form_head() + [(1, HEADER), (1, ["产出指标", "数量指标", "甲", "1", "1", "10", "满分", ""])] + TABLE[2:]
    (form,) = parse_document(document(rows))
    assert form.indicators[0].score is None and "第1行指标的得分不是数字：满分" in form.gaps
