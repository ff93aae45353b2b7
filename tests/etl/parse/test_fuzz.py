"""Mangled seed text never makes the reader or the parser raise."""

from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.model import Form
from etl.parse import parse_document
from etl.readers.text import text_document
from tests.etl.readers.seeds import SEEDS, seed_path

# Fragments that steer the reader into its label, funding, table and total branches.
NOISE = ["总分 100.00", "评分等级", "项目名称", "主管部门 实施单位", "预期目标 实际完成情况", "10.00 10.00",
         "三级指标 年度指标值 实际完成值 分值 得分", "一级", "指标", "(cid:12)", "\t", "\t\t-\t100", "<p>", "\f",
         "", "", "", "年初预算数 全年预算数 全年执行数 分数 执行率(%) 得分", "其中：当年财政", "≥", "（2024年度）"]


@cache
def seed_lines(name: str) -> tuple[str, ...]:
    return tuple(seed_path(name).read_text(encoding="utf-8").split("\n"))


@st.composite
def mangled(draw: st.DrawFn) -> str:
    lines = list(seed_lines(draw(st.sampled_from(SEEDS))))
    for _ in range(draw(st.integers(1, 12))):
        op = draw(st.sampled_from(["delete", "insert", "shuffle", "cut", "duplicate"]))
        at = draw(st.integers(0, len(lines)))
        if op == "delete" and lines:
            del lines[at:at + draw(st.integers(1, 40))]
        elif op == "insert":
            lines.insert(at, draw(st.one_of(st.sampled_from(NOISE), st.text(max_size=30))))
        elif op == "shuffle":
            span = lines[at:at + draw(st.integers(2, 30))]
            lines[at:at + len(span)] = draw(st.permutations(span))
        elif op == "cut" and at < len(lines) and lines[at]:
            pos = draw(st.integers(0, len(lines[at]) - 1))
            lines[at] = lines[at][:pos] + lines[at][pos + draw(st.integers(1, 5)):]
        elif op == "duplicate":
            lines[at:at] = lines[at:at + draw(st.integers(1, 20))]
    return "\n".join(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mangled())
def test_mangled_seed_text_never_raises(text: str) -> None:
    doc = text_document(text, "mangled.txt")
    forms = parse_document(doc)
    assert all(isinstance(f, Form) for f in forms)
    assert [f.form_index for f in forms] == list(range(1, len(forms) + 1))
    assert all(1 <= f.page_start <= f.page_end <= doc.pages for f in forms)
    assert all(isinstance(g, str) and g for f in forms for g in f.gaps)


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("项目名称总分评分等级指标产出 满意度\t\n10.5-≥(%)（）：:")), max_size=400))
def test_arbitrary_label_soup_never_raises(text: str) -> None:
    parse_document(text_document(text))
