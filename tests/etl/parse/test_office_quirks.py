"""The parser on Documents shaped like the office samples (LibreOffice Calc and Writer).

Each test reproduces one difference seen in data/samples/pdf_office, as the reader
hands it over.
"""

from __future__ import annotations

import pytest

from etl.parse import parse_document
from etl.parse.vocab import continues_category
from tests.etl.parse.docs import HEADER, document, form_head


def closing(page: int, weight: str = "100.00", score: str = "100.00") -> list[tuple[int, list[str]]]:
    """The 总分 and 评分等级 rows that end a form."""
    return [(page, ["总分", "", "", "", "", weight, score, ""]), (page, ["评分等级", "", "优", "", "", "", "", ""])]


def test_figures_wrapped_inside_narrow_cells_are_numbers() -> None:
    """Writer breaks `100.00` over two lines when the column is narrower than the figure."""
    rows = form_head() + [
        (1, HEADER),
        (1, ["产出指标", "数量指标", "运维报告出具数量", "1份", "1份", "50.0\n0", "50.0\n0", ""]),
        (1, ["", "质量指标", "运维工作完成率", "=100%", "=100%", "50.00", "48.0\n0", ""]),
    ] + closing(1, "100.0\n0", "98.00")
    (form,) = parse_document(document(rows))
    assert form.gaps == []
    assert [(i.weight, i.score) for i in form.indicators] == [(50.0, 50.0), (50.0, 48.0)]
    assert (form.total_weight, form.total_score) == (100.0, 98.0)


def test_categories_restated_on_each_page_a_merged_cell_covers() -> None:
    """Calc prints a merged category cell on every page it crosses: after a page break
    (and the repeated header) the same 一级/二级指标 text appears again."""
    rows = form_head() + [
        (1, HEADER),
        (1, ["产出\n指标", "数量指标", "指标1", "≥3.00(次)", "3.00(次)", "10.00", "10.00", ""]),
        (1, ["", "", "指标2", "≥1.00(次)", "1.00(次)", "10.00", "10.00", ""]),
        (2, HEADER),
        (2, ["产出\n指标", "数量指标", "指标3", "≥2.00(场)", "2.00(场)", "10.00", "10.00", ""]),
        (2, ["", "质量指标", "指标4", "顺利进行", "达成指标", "10.00", "10.00", ""]),
        (3, HEADER),
        (3, ["产出\n指标", "质量指标", "指标5", "高质量", "达成指标", "10.00", "10.00", ""]),
        (3, ["效益\n指标", "社会效益\n指标", "指标6", "提升", "达成指标", "50.00", "50.00", ""]),
    ] + closing(3)
    (form,) = parse_document(document(rows))
    assert form.gaps == []
    assert [(i.name, i.level1, i.level2, i.page) for i in form.indicators] == [
        ("指标1", "产出指标", "数量指标", 1), ("指标2", "产出指标", "数量指标", 1),
        ("指标3", "产出指标", "数量指标", 2), ("指标4", "产出指标", "质量指标", 2),
        ("指标5", "产出指标", "质量指标", 3), ("指标6", "效益指标", "社会效益指标", 3)]


def test_rates_printed_by_a_percentage_format() -> None:
    """Calc's `0.00%` format prints the 执行率 0.9991 as `99.91%` under a `执行率(%)` header."""
    rows = [(page, [t.replace("99.91", "99.91%").replace("0.00", "0.00%") if i == 6 else t
                    for i, t in enumerate(texts)]) for page, texts in form_head()]
    rows += [(1, HEADER), (1, ["产出指标", "数量指标", "指标1", "1份", "1份", "100.00", "100.00", ""])] + closing(1)
    assert "99.91%" in [t for _, texts in rows for t in texts]
    (form,) = parse_document(document(rows))
    assert form.gaps == []
    assert [(f.line, f.execution_rate) for f in form.funding] == [
        ("年度资金总额", 99.91), ("当年财政拨款", 99.91), ("上年结转资金", 0.0), ("其他资金", 0.0)]


def _rows_with(funding: list[tuple[int, list[str]]] | None = None) -> list[tuple[int, list[str]]]:
    """form_head() with its funding lines replaced by `funding` (page, cells)."""
    head = form_head()
    if funding is None:
        return head
    return head[:5] + funding + head[9:]


def test_category_text_flowed_over_a_page_break_is_one_name() -> None:
    """Writer flows a merged cell's text over the break: `产出指` ends page 1, `标` opens
    page 2 (after the repeated header), beside the next indicator of the same category."""
    rows = form_head() + [
        (1, HEADER),
        (1, ["产出指", "数量指标", "指标1", "≥3(次)", "3(次)", "20.00", "20.00", ""]),
        (2, HEADER),
        (2, ["标", "", "指标2", "≥1(次)", "1(次)", "20.00", "20.00", ""]),
        (2, ["", "服务对象满意度指", "指标3", "≥90%", "95%", "20.00", "20.00", ""]),
        (3, HEADER),
        (3, ["", "标", "指标4", "≥90%", "95%", "20.00", "20.00", ""]),
        (4, HEADER),
        (4, ["效益指标", "社会效益指标", "指标5", "提升", "达成指标", "20.00", "20.00", ""]),
    ] + closing(4)
    (form,) = parse_document(document(rows))
    assert form.gaps == []
    assert [(i.name, i.level1, i.level2) for i in form.indicators] == [
        ("指标1", "产出指标", "数量指标"), ("指标2", "产出指标", "数量指标"),
        ("指标3", "产出指标", "服务对象满意度指标"), ("指标4", "产出指标", "服务对象满意度指标"),
        ("指标5", "效益指标", "社会效益指标")]  # a category that starts a page stays a new one


def test_a_row_cut_by_a_page_break_with_its_figures_wrapped_over_it() -> None:
    """`20.00` wrapped in a narrow column and cut by the break: `20.0` / `0`."""
    rows = form_head() + [
        (1, HEADER),
        (1, ["产出指标", "数量指标", "指标1", "≥3(次)", "3(次)", "80.00", "80.00", ""]),
        (1, ["效益", "社会效", "人员受益度", "受益", "达成指标", "20.0", "19.5", ""]),
        (2, HEADER),
        (2, ["指标", "益指标", "", "", "", "0", "0", ""]),
        (2, ["总分", "", "", "", "", "100.0", "99.9", ""]),
        (3, ["", "", "", "", "", "0", "5", ""]),
        (3, ["评分等级", "", "优", "", "", "", "", ""]),
    ]
    (form,) = parse_document(document(rows))
    assert form.gaps == []
    assert [(i.level1, i.level2, i.name, i.weight, i.score) for i in form.indicators] == [
        ("产出指标", "数量指标", "指标1", 80.0, 80.0), ("效益指标", "社会效益指标", "人员受益度", 20.0, 19.5)]
    assert (form.total_weight, form.total_score, form.grade) == (100.0, 99.95, "优")  # `100.0`/`0`, `99.9`/`5`


def test_a_funding_line_cut_by_a_page_break() -> None:
    """The label `年度资金总额：` wrapped and cut: `年度资金总` ends a page, `额：` opens the next."""
    rows = _rows_with([
        (1, ["项目资金\n（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分数", "执行率(%)", "得分"]),
        (1, ["", "年度资金总", "75.00", "75.00", "60.33", "10.00", "80.44", "8.04"]),
        (2, ["", "额：", "", "", "", "", "", ""]),
        (2, ["", "其中：当年财\n政拨款", "75.00", "75.00", "60.33", "-", "80.44", "-"]),
        (2, ["", "上年结转资金", "0.00", "0.00", "0.00", "-", "0.00", "-"]),
        (2, ["", "其他资金", "0.00", "0.00", "0.00", "-", "0.00", "-"]),
    ]) + [(2, HEADER), (2, ["产出指标", "数量指标", "指标1", "1份", "1份", "100.00", "100.00", ""])] + closing(2)
    (form,) = parse_document(document(rows))
    assert form.gaps == []
    assert [(f.line, f.executed, f.weight, f.score) for f in form.funding] == [
        ("年度资金总额", 60.33, 10.0, 8.04), ("当年财政拨款", 60.33, None, None), ("上年结转资金", 0.0, None, None),
        ("其他资金", 0.0, None, None)]


@pytest.mark.parametrize("before,after,field,joined", [
    ("产出指", "标", "level1", True),
    ("满意", "度指标", "level1", True),
    ("社会", "效益", "level2", True),  # a standard name without 指标
    ("服务对象满意度指", "标", "level2", True),
    ("产出指标", "产出指标", "level1", False),  # Calc restates a merged cell on each page
    ("产出指标", "效益指标", "level1", False),  # a new category at the top of a page
    ("效益", "满意度指标", "level1", False),
    ("经济效益", "社会效益", "level2", False),
    ("", "标", "level1", False),
])
def test_which_category_texts_continue_over_a_page_break(before, after, field, joined) -> None:
    assert continues_category(before, after, field) is joined


def test_a_header_row_cut_by_a_page_break_is_not_an_indicator() -> None:
    """Writer without repeated header rows cuts the header itself: `一级` / `指标`."""
    rows = form_head() + [
        (1, ["一级", "二级指", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改"]),
        (2, ["指标", "标", "", "", "", "", "", "进措施"]),
        (2, ["产出指标", "数量指标", "信息发布数量", "≥1000篇次", "1000件", "100.00", "100.00", ""]),
    ] + closing(2)
    (form,) = parse_document(document(rows))
    assert form.gaps == []
    assert [(i.level1, i.level2, i.name, i.deviation) for i in form.indicators] == [
        ("产出指标", "数量指标", "信息发布数量", "")]


def test_a_row_cut_inside_its_values_continues_on_the_next_page() -> None:
    """The values wrap too: `≥1300(小` / `时)` and `10.0` / `0`, and the rest has no 三级指标."""
    rows = form_head() + [
        (1, HEADER),
        (1, ["产出指标", "数量指标", "指标1", "≥3(次)", "3(次)", "90.00", "90.00", ""]),
        (1, ["效益指标", "可持续影", "服务时长", "≥1300(小", "1500.00(小", "10.0", "10.0", ""]),
        (2, HEADER),
        (2, ["", "响指标", "", "时)", "时)", "0", "0", ""]),
    ] + closing(2)
    (form,) = parse_document(document(rows))
    assert form.gaps == []
    assert [(i.level2, i.name, i.target, i.actual, i.weight) for i in form.indicators][1:] == [
        ("可持续影响指标", "服务时长", "≥1300(小时)", "1500.00(小时)", 10.0)]
