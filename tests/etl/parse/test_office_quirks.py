"""The parser on Documents shaped like the office samples (LibreOffice Calc and Writer).

Each test reproduces one difference seen in data/samples/pdf_office, as the reader
hands it over.
"""

from __future__ import annotations

from etl.parse import parse_document
from tests.etl.parse.docs import HEADER, document, form_head


def test_figures_wrapped_inside_narrow_cells_are_numbers() -> None:
    """Writer breaks `100.00` over two lines when the column is narrower than the figure."""
    rows = form_head() + [
        (1, HEADER),
        (1, ["产出指标", "数量指标", "运维报告出具数量", "1份", "1份", "50.0\n0", "50.0\n0", ""]),
        (1, ["", "质量指标", "运维工作完成率", "=100%", "=100%", "50.00", "48.0\n0", ""]),
        (1, ["总分", "", "", "", "", "100.0\n0", "98.00", ""]),
        (1, ["评分等级", "", "优", "", "", "", "", ""]),
    ]
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
        (3, ["总分", "", "", "", "", "100.00", "100.00", ""]),
        (3, ["评分等级", "", "优", "", "", "", "", ""]),
    ]
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
    rows += [(1, HEADER), (1, ["产出指标", "数量指标", "指标1", "1份", "1份", "100.00", "100.00", ""]),
             (1, ["总分", "", "", "", "", "100.00", "100.00", ""]), (1, ["评分等级", "", "优", "", "", "", "", ""])]
    assert "99.91%" in [t for _, texts in rows for t in texts]
    (form,) = parse_document(document(rows))
    assert form.gaps == []
    assert [(f.line, f.execution_rate) for f in form.funding] == [
        ("年度资金总额", 99.91), ("当年财政拨款", 99.91), ("上年结转资金", 0.0), ("其他资金", 0.0)]
