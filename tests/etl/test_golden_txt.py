"""Acceptance: every golden field of all 17 seed forms, read from the seed texts."""

from __future__ import annotations

import pytest

from etl.parse import parse_document
from etl.readers.text import read_text
from etl.compare import comparable
from tests.synth.golden import golden_by_source
from tests.etl.readers.seeds import SEEDS, seed_path

GOLDEN = golden_by_source()


@pytest.fixture(scope="module", params=SEEDS)
def parsed(request: pytest.FixtureRequest) -> tuple[str, list]:
    name = request.param
    return name, parse_document(read_text(str(seed_path(name))))


def test_one_form_per_golden_record(parsed: tuple[str, list]) -> None:
    name, forms = parsed
    assert [f.form_index for f in forms] == list(range(1, len(GOLDEN[name]) + 1))


def test_every_golden_field_matches(parsed: tuple[str, list]) -> None:
    name, forms = parsed
    for got, want in zip(forms, GOLDEN[name], strict=True):
        assert comparable(got) == comparable(want), f"{name} form {want.form_index}"


def test_forms_parse_without_gaps(parsed: tuple[str, list]) -> None:
    name, forms = parsed
    assert {f.form_index: f.gaps for f in forms if f.gaps} == {}


def test_pages_follow_the_blank_line_page_breaks() -> None:
    forms = parse_document(read_text(str(seed_path(SEEDS[0]))))
    # 000: nine forms, each on a new page; forms 2-5 and 9 run over one page break.
    assert [(f.page_start, f.page_end) for f in forms] == [
        (1, 1), (2, 3), (4, 5), (6, 7), (8, 9), (10, 10), (11, 11), (12, 12), (13, 14)]


def test_row_split_at_a_page_break_is_one_indicator() -> None:
    forms = parse_document(read_text(str(seed_path(SEEDS[1]))))
    last = forms[3].indicators[-1]  # 抚恤金: level2 and deviation continue on the next page
    assert (last.level2, last.deviation[-3:], last.page) == ("服务对象满意度指标", "管理。", 9)
    split = forms[2].indicators[15]  # 科技社团能力提升: level2 质量 | 指标 and the name continue
    assert (split.level2, split.name) == ("质量指标", "指标 1：通过活动策划、准备，确保每次活动顺利举办")
