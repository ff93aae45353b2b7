"""Acceptance: every golden field of all 17 seed forms, read from the sample PDFs in every layout.

Layout a: data/samples/pdf_a (ReportLab, portrait, one grid, rows split across pages);
layout b: data/samples/pdf_b (fpdf2, landscape, two tables, header repeated, short numbers);
layout wps: data/samples/pdf_wps (radical look-alikes, fake-bold title);
layout office: data/samples/pdf_office (made in Excel and Word, printed by LibreOffice:
merged cells across page breaks, header rows repeated by Calc, rows split by Writer).
"""

from __future__ import annotations

import pytest

from etl.model import Form
from etl.parse import parse_document
from etl.pipeline import process_file
from etl.readers.pdf import CORRUPT, ENCRYPTED, read_pdf
from tests.synth import badpdf
from etl.compare import comparable
from tests.synth.golden import golden_by_source
from tests.synth.samples import SAMPLE_LAYOUTS, sample_paths

GOLDEN = golden_by_source()
CASES = [(layout, source) for layout in SAMPLE_LAYOUTS for source in GOLDEN]


@pytest.fixture(scope="module", params=CASES, ids=[f"{lay}-{src[:3]}" for lay, src in CASES])
def parsed(request: pytest.FixtureRequest) -> tuple[str, str, list[Form], int]:
    layout, source = request.param
    doc = read_pdf(str(sample_paths(layout)[source]))
    return layout, source, parse_document(doc), doc.pages


def test_one_form_per_golden_record(parsed):
    _, source, forms, _ = parsed
    assert [f.form_index for f in forms] == list(range(1, len(GOLDEN[source]) + 1))


def test_every_golden_field_matches(parsed):
    layout, source, forms, _ = parsed
    for got, want in zip(forms, GOLDEN[source], strict=True):
        assert comparable(got) == comparable(want), f"{layout} {source} form {want.form_index}"


def test_forms_parse_without_gaps(parsed):
    _, _, forms, _ = parsed
    assert {f.form_index: f.gaps for f in forms if f.gaps} == {}


def test_pages_are_in_order_and_cover_the_file(parsed):
    _, _, forms, pages = parsed
    assert forms[0].page_start == 1 and forms[-1].page_end == pages
    for prev, form in zip(forms, forms[1:]):
        assert prev.page_end <= form.page_start <= form.page_end
    for form in forms:
        assert all(form.page_start <= i.page <= form.page_end for i in form.indicators)


def test_default_samples_load_seventeen_forms():
    files = [process_file(str(p)) for p in sample_paths("a").values()]
    assert [f.error for f in files] == [None] * 3
    forms = [c.form for f in files for c in f.forms]
    assert len(forms) == 17
    assert {f.department for f in forms} == {"上海市欧美同学会", "上海市科学技术协会", "中国共产党上海市委员会统一战线工作部"}
    assert {f.year for f in forms} == {2023, 2024}


@pytest.mark.parametrize("name,reason", [("truncated", CORRUPT), ("damaged", CORRUPT), ("encrypted", ENCRYPTED)])
def test_bad_pdfs_become_file_errors_not_crashes(tmp_path, name, reason):
    path = getattr(badpdf, name)(tmp_path)
    assert process_file(str(path)).error == reason


def test_pdf_without_a_form_is_reported(tmp_path):
    result = process_file(str(badpdf.not_a_form(tmp_path)))
    assert result.forms == [] and result.error and "未识别" in result.error


def test_row_spans_mark_only_their_own_row(parsed):
    """A merged 一级/二级 cell is tall; it must not stretch the first row's marked span."""
    _, _, forms, _ = parsed
    for form in forms:
        rows = [i for i in form.indicators if i.span]
        assert len(rows) == len(form.indicators)
        for a, b in zip(rows, rows[1:]):
            if a.page == b.page:
                assert a.span[1] <= b.span[0] + 0.5, (form.project_name, a.row_no)
