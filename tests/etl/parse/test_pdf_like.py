"""The parser on a Document made by hand as the PDF reader would produce it."""

from __future__ import annotations

from etl.parse import parse_document
from tests.etl.parse.docs import HEADER, document, form_head

PDF_ROWS = form_head() + [
    (1, HEADER),
    (1, ["产出指标", "数量指标", "二级等保", "≥1.00(次)", "2.00(次)", "30.00", "30.00", ""]),
    (1, ["", "质量指标", "完成质量", "=100.00(%)", "100.00(%)", "20.00", "20.00", ""]),
    (1, ["效益指标", "社会效益\n指标", "系统安全可靠，保障各机关\n干部正常", "安全", "达成指标", "20.00", "15.00",
         "部分时段\n中断"]),
    # page break inside the row above: the rest of its name and deviation on page 2,
    # after the header the report engine repeats on every page
    (2, HEADER),
    (2, ["", "", "工作", "", "", "", "", "，已整改"]),
    (2, ["满意度\n指标", "服务对象\n满意度指标", "使用者满意度", "≥99.00(%)", "100.00(%)", "20.00", "20.00", ""]),
    (2, ["", "", "使用者满意度", "≥99.00(%)", "100.00(%)", "20.00", "20.00", ""]),
    (2, ["总分", "", "", "", "", "100.00", "95.00", ""]),
    (2, ["评分等级", "", "优", "", "", "", "", ""]),
]


def test_pdf_like_document_parses_every_field() -> None:
    (form,) = parse_document(document(PDF_ROWS))
    assert form.gaps == []
    assert (form.form_index, form.page_start, form.page_end, form.year) == (1, 1, 2, 2024)
    assert (form.project_name, form.department, form.implementing_unit) == (
        "信息化运维项目", "上海市欧美同学会", "上海市欧美同学会")
    assert (form.goal_expected, form.goal_actual) == ("信创系统日常运维、二级等保", "完成信创系统日常运维，启动网站二级等保工作。")
    assert [(f.line, f.full_year_budget, f.executed, f.weight, f.execution_rate, f.score) for f in form.funding] == [
        ("年度资金总额", 11.21, 11.2, 10.0, 99.91, 9.99), ("当年财政拨款", 11.21, 11.2, None, 99.91, None),
        ("上年结转资金", 0.0, 0.0, None, 0.0, None), ("其他资金", 0.0, 0.0, None, 0.0, None)]
    assert (form.total_weight, form.total_score, form.grade) == (100.0, 95.0, "优")


def test_split_row_is_merged_and_repeated_header_skipped() -> None:
    (form,) = parse_document(document(PDF_ROWS))
    assert [(i.row_no, i.level1, i.level2, i.name) for i in form.indicators] == [
        (1, "产出指标", "数量指标", "二级等保"),
        (2, "产出指标", "质量指标", "完成质量"),
        (3, "效益指标", "社会效益指标", "系统安全可靠，保障各机关干部正常工作"),
        (4, "满意度指标", "服务对象满意度指标", "使用者满意度"),
        (5, "满意度指标", "服务对象满意度指标", "使用者满意度")]  # repeated identical rows are kept
    split = form.indicators[2]
    assert (split.weight, split.score, split.deviation, split.page) == (20.0, 15.0, "部分时段中断，已整改", 1)


def test_rows_carry_page_and_span_from_cell_boxes() -> None:
    (form,) = parse_document(document(PDF_ROWS))
    first, split, after_break = form.indicators[0], form.indicators[2], form.indicators[3]
    assert (first.page, first.span) == (1, (300.0, 318.0))
    assert split.span == (340.0, 358.0)  # the first part's box: where the row starts
    assert (after_break.page, after_break.span) == (2, (100.0, 118.0))


def test_numbers_first_part_without_numbers_is_merged_forward() -> None:
    rows = form_head() + [
        (1, HEADER),
        (1, ["产出指标", "数量指标", "运维报告出具", "", "", "", "", ""]),
        (2, ["", "", "数量", "1份", "1份", "10", "10", ""]),
        (2, ["", "", "", "", "", "100", "100", ""]),
        (2, ["评分等级", "优"]),
    ]
    (form,) = parse_document(document(rows))
    assert [(i.name, i.target, i.weight, i.page) for i in form.indicators] == [("运维报告出具数量", "1份", 10.0, 1)]
    assert (form.total_weight, form.total_score) == (100.0, 100.0)


def test_text_document_without_boxes_has_no_span() -> None:
    (form,) = parse_document(document(PDF_ROWS, kind="txt", boxes=False))
    assert {i.span for i in form.indicators} == {None}


def test_free_text_lines_inside_the_table_are_not_indicators() -> None:
    rows = form_head() + [
        (1, HEADER),
        (1, ["产出指标", "数量指标", "二级等保", "≥1.00(次)", "2.00(次)", "90.00", "90.00", ""]),
        (1, ["第 1 页 共 2 页"]),
        (2, ["注：本表金额单位为万元"]),
        (2, ["总分：100.00 99.99"]),
        (2, ["评分等级", "优"]),
    ]
    (form,) = parse_document(document(rows))
    assert [i.name for i in form.indicators] == ["二级等保"]
    assert (form.total_weight, form.total_score, form.gaps) == (100.0, 99.99, [])
