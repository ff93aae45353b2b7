"""The text reader: both layouts, pages, encodings and label folding, on hand-made snippets."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.parse import parse_document
from etl.readers import UnreadableFile, read_document
from etl.readers.text import read_text, text_document

TAB_FORM = "\n".join([
    "财政项目支出绩效自评表", "", "(2023年度)", "",
    "项目名称\t\t统战文化推广经费\t\t\t",
    "主管部门\t\t统一战线工作部\t\t实施单位\t同舟服务中心\t\t",
    "项目资金（万元）\t\t\t年初预算数\t全年预算数\t全年执行数\t分数\t执行率\t得分\t",
    "\t\t年度资金总额\t\t77.32\t77.32\t77.32\t10\t100\t10",
    "\t\t其中：当年财政拨款\t\t77.32\t77.32\t77.32\t-\t100\t-",
    "年度总体目标\t预期目标\t\t\t实际完成情况\t\t",
    "\t<p>开拓和提升能力水平。</p>\t\t\t<p>2023年按计划完成。</p>\t\t",
    "-\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析\t",
    "产出指标\t数量指标\t云展厅访问人数\t≥100人\t100人\t9\t9\t\t",
    "\t\t展厅接待人数\t≥100人\t100人\t9\t9\t\t",
    "\t\t\t\t\t100\t98\t\t",
    "评分等级\t\t优\t\t",
])


def cells(doc, r: int) -> list[str]:
    return [c.text for c in doc.rows[r]]


def test_tab_layout_rows_keep_positions_and_drop_p_tags() -> None:
    doc = text_document(TAB_FORM, "x.txt")
    assert (doc.kind, doc.pages) == ("txt", 1)
    assert cells(doc, 0) == ["财政项目支出绩效自评表"]
    assert cells(doc, 3) == ["主管部门", "", "统一战线工作部", "", "实施单位", "同舟服务中心"]
    assert cells(doc, 8)[1] == "开拓和提升能力水平。" and cells(doc, 8)[4] == "2023年按计划完成。"
    assert [c.col for c in doc.rows[3]] == list(range(6)) and {c.row for c in doc.rows[3]} == {3}


def test_tab_layout_parses_dash_header_and_unlabeled_total() -> None:
    (form,) = parse_document(text_document(TAB_FORM))
    assert [(i.level1, i.level2, i.name, i.weight) for i in form.indicators] == [
        ("产出指标", "数量指标", "云展厅访问人数", 9.0), ("产出指标", "数量指标", "展厅接待人数", 9.0)]
    assert (form.total_weight, form.total_score, form.grade) == (100.0, 98.0, "优")
    assert (form.goal_expected, form.goal_actual) == ("开拓和提升能力水平。", "2023年按计划完成。")
    assert form.funding[1].line == "当年财政拨款" and form.funding[1].weight is None
    assert form.gaps == ["未找到资金行：上年结转资金", "未找到资金行：其他资金"]


LINE_FORM = """
财政项目支出绩效自评表

（2024年度）

项⽬名称 缴纳残疾⼈就业保障费

主管部门 上海市欧美同学会 实施单位
上海市欧美同学会服务

中心

项目资金

（万元）

年初预算数 全年预算数 全年执行数 分数 执行率(%) 得分

年度资金总额： 3.20 3.20 3.20 10.00 100.00 10.00

其中:当年财政

拨款
3.20 3.20 3.20 - 100.00 -

上年结转资金 0.00 0.00 0.00 - 0.00 -

其他资金 0.00 0.00 0.00 - 0.00 -

年度

总体

目标

预期目标 实际完成情况

按规定缴纳残疾人就业保障金 及时全额缴纳

一级

指标

二级

指标
三级指标 年度指标值 实际完成值 分值 得分

偏差原因分析

及改进措施

产出

指标

数量

指标
工作完成量 =1.00(个) 1.00(个) 30.00 30.00



满意

度指

标

服务

对象

满意

度指

标
服务对象满意度 满意 达成指标 70.00 70.00

总分 100.00 100.00

评分等级 优
"""


def test_line_broken_labels_funding_and_goals_become_label_value_rows() -> None:
    doc = text_document(LINE_FORM)
    texts = [[c.text for c in row] for row in doc.rows]
    assert ["项目名称", "缴纳残疾人就业保障费"] in texts  # Kangxi radicals folded on read
    assert ["主管部门", "上海市欧美同学会", "实施单位", "上海市欧美同学会服务\n中心"] in texts
    assert ["", "其中:当年财政\n拨款", "3.20", "3.20", "3.20", "-", "100.00", "-"] in texts
    assert ["", "按规定缴纳残疾人就业保障金", "及时全额缴纳"] in texts
    assert doc.pages == 2


def test_line_broken_form_parses_completely() -> None:
    (form,) = parse_document(text_document(LINE_FORM))
    assert form.gaps == []
    assert (form.year, form.project_name, form.implementing_unit) == (2024, "缴纳残疾人就业保障费", "上海市欧美同学会服务中心")
    assert [(f.line, f.initial_budget, f.weight) for f in form.funding] == [
        ("年度资金总额", 3.2, 10.0), ("当年财政拨款", 3.2, None), ("上年结转资金", 0.0, None), ("其他资金", 0.0, None)]
    assert [(i.level1, i.level2, i.name, i.page) for i in form.indicators] == [
        ("产出指标", "数量指标", "工作完成量", 1), ("满意度指标", "服务对象满意度指标", "服务对象满意度", 2)]
    assert (form.page_start, form.page_end, form.total_score, form.grade) == (1, 2, 100.0, "优")


def test_full_width_and_half_width_labels_read_alike() -> None:
    half = parse_document(text_document(LINE_FORM))[0].funding
    full = parse_document(text_document(LINE_FORM.replace("其中:当年财政", "其中：当年财政")))[0].funding
    assert half == full and half[1].line == "当年财政拨款"


def test_form_feeds_are_explicit_page_breaks() -> None:
    doc = text_document("财政项目支出绩效自评表\n\n\n\n（2024年度）\f项目名称 甲\n\f\n评分等级 优")
    assert doc.pages == 3
    assert [row[0].page for row in doc.rows] == [1, 1, 2, 3]


def test_read_text_decodes_gb18030_and_dispatches_by_suffix(tmp_path: Path) -> None:
    path = tmp_path / "form.txt"
    path.write_bytes(TAB_FORM.encode("gb18030"))
    doc = read_document(path)
    assert doc.path == str(path) and cells(doc, 2)[2] == "统战文化推广经费"


def test_binary_file_is_unreadable_with_a_chinese_reason(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    with pytest.raises(UnreadableFile, match="二进制"):
        read_text(str(path))


def test_empty_text_gives_an_empty_document() -> None:
    doc = text_document("\n\n  \n")
    assert (doc.rows, doc.pages, parse_document(doc)) == ([], 1, [])


def test_total_and_grade_values_printed_on_the_line_below() -> None:
    doc = text_document("财政项目支出绩效自评表\n（2024年度）\n项目名称 甲\n总分\n100.00 98.00\n评分等级\n\n良\n")
    assert [c.text for c in doc.rows[-1]] == ["评分等级", "良"]
    (form,) = parse_document(doc)
    assert (form.total_weight, form.total_score, form.grade) == (100.0, 98.0, "良")
    assert "未找到绩效指标表" in form.gaps


def test_cid_glyphs_in_text_are_reported_by_page() -> None:
    doc = text_document("财政项目支出绩效自评表\n\n\n\n项目名称 (cid:12)(cid:7)\n")
    assert doc.warnings == ["第2页含无法识别的字符（cid），相关内容未载入"]
    (form,) = parse_document(doc)
    assert form.project_name == "" and "项目名称含无法识别的字符（cid），未载入" in form.gaps
