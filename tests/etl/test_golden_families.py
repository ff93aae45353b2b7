"""Acceptance: the 17 golden forms re-laid in every template family (issue 7), read back.

tests/data/families/<family>/<producer>.pdf: ReportLab prints the 9 forms of one
department, LibreOffice (from an .xlsx) the other 8 (`python -m tests.synth.families.build`).
Every field (golden and family: codes, labels, points, split targets, texts) is compared
with the form the family prints for the golden record; parsed targets with the
Shanghai-layout reading of the same indicator.
"""

from __future__ import annotations

import pytest

from etl.checks import check_form
from etl.compare import comparable, field_score, squash
from etl.model import Form
from etl.parse import parse_document
from etl.readers.pdf import read_pdf
from etl.targets import judge
from tests.synth.families.build import PRODUCER_SOURCES, expected_forms, render, pdf_path
from tests.synth.families.spec import FAMILIES, PRODUCERS
from tests.synth.golden import golden_by_source

CASES = [(key, producer) for key in FAMILIES for producer in PRODUCERS]


@pytest.fixture(scope="module", params=CASES, ids=[f"{k}-{p}" for k, p in CASES])
def parsed(request: pytest.FixtureRequest) -> tuple[str, str, list[Form], list[Form]]:
    key, producer = request.param
    forms = parse_document(read_pdf(str(pdf_path(key, producer))))
    return key, producer, forms, expected_forms(FAMILIES[key], producer)


def _golden(producer: str) -> list[Form]:
    by_source = golden_by_source()
    return [f for s in PRODUCER_SOURCES[producer] for f in by_source[s]]


def test_the_two_producers_print_the_17_golden_forms() -> None:
    assert sum(len(_golden(p)) for p in PRODUCERS) == 17


def test_every_field_matches(parsed):
    key, producer, forms, expected = parsed
    assert [f.form_index for f in forms] == [f.form_index for f in expected]
    for got, want in zip(forms, expected, strict=True):
        assert comparable(got, full=True) == comparable(want, full=True), f"{key} {producer} form {want.form_index}"
        assert field_score(got, want)[1] == []


def test_forms_parse_without_gaps_and_keep_their_kind(parsed):
    key, _, forms, _ = parsed
    assert {f.form_index: f.gaps for f in forms if f.gaps} == {}
    assert {f.form_kind for f in forms} == {FAMILIES[key].form_kind}


def test_names_and_figures_are_the_golden_ones(parsed):
    """Codes stripped, points split off: what the family shares with truth.json is equal."""
    key, producer, forms, _ = parsed
    for got, gold in zip(forms, _golden(producer), strict=True):
        assert (got.year, got.implementing_unit, squash(got.goal_expected), squash(got.goal_actual), got.total_score) == (
            gold.year, gold.implementing_unit, squash(gold.goal_expected), squash(gold.goal_actual), gold.total_score)
        if got.form_kind == "项目支出":
            assert (got.project_name, got.department) == (gold.project_name, gold.department)
        assert [(squash(i.name), i.weight, i.score) for i in got.indicators] == [
            (squash(i.name), i.weight, i.score) for i in gold.indicators]
        assert got.funding_line("年度资金总额").executed == gold.funding_line("年度资金总额").executed


def test_targets_read_as_in_the_shanghai_layout(parsed):
    _, producer, forms, _ = parsed
    for got, gold in zip(forms, _golden(producer), strict=True):
        for i, g in zip(got.indicators, gold.indicators, strict=True):
            a, b = judge(i), judge(g)
            assert (a.target, a.actual.value, a.met) == (b.target, b.actual.value, b.met), (got.project_name, i.name)


def test_every_check_runs_on_the_family(parsed):
    """Findings of the parsed form are those of the form as printed (nothing lost in reading)."""
    _, _, forms, expected = parsed
    for got, want in zip(forms, expected, strict=True):
        assert check_form(got).findings == check_form(want).findings


def test_a_family_sample_regenerated_now_reads_back(tmp_path):
    """A small live case: two forms printed by ReportLab in the Sichuan layout."""
    spec = FAMILIES["sichuan"]
    expected = expected_forms(spec, "reportlab")[:2]
    forms = parse_document(read_pdf(str(render(expected, spec, "reportlab", tmp_path / "s.pdf"))))
    assert [comparable(f, full=True) for f in forms] == [comparable(f, full=True) for f in expected]
