"""The indicator table laid out like the printed form."""

from __future__ import annotations

import re

import pandas as pd

from dashboard.form_html import cell_grid, indicator_table, spans


def rows() -> pd.DataFrame:
    return pd.DataFrame({
        "row_no": [1, 2, 3, 4], "level1": ["产出指标", "产出指标", "产出指标", "满意度指标"],
        "level2": ["数量指标", "数量指标", "质量指标", "服务对象满意度指标"],
        "name": ["培训<script>alert(1)</script>", "发放率", "准确率", "满意度"],
        "target": ["=100%", "≥95%", "≥90%", "≥90%"], "actual": ["100%", "96%", "80%", "90%"],
        "weight": [10.0, 10.0, 20.0, 10.0], "score": [10.0, 10.0, 15.0, 3.0],
        "met": ["达标", "达标", "未达标", "达标"], "deviation": ["", None, "受疫情影响", "未留存资料"],
    })


def test_spans_merge_runs() -> None:
    assert spans([("a",), ("a",), ("b",), ("a",)]) == [2, 0, 1, 1]
    assert spans([]) == []


def test_merged_category_cells_and_lost_rows() -> None:
    html = indicator_table(rows(), 100, 88, "良")
    assert 'rowspan="3">产出指标' in html and 'rowspan="2">数量指标' in html
    assert len(re.findall(r'<tr class="lost"', html)) == 2  # missed target, and lost points
    assert '<td class="bad">80%</td>' in html and '<td class="num bad">3</td>' in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "评分等级：良" in html


def test_cell_grid_rebuilds_rows() -> None:
    cells = pd.DataFrame({"page": [1, 1, 1], "row": [0, 1, 1], "col": [0, 0, 2], "text": ["标题", "项目名称", "抚恤金"]})
    html = cell_grid(cells)
    assert html.count("<tr>") == 2 and "<td>项目名称</td><td></td><td>抚恤金</td>" in html
    assert cell_grid(cells.iloc[0:0]) == ""
