"""Acceptance: every golden field of the 17 seed forms from every other source type.

chromium / chromium_radicals: data/samples/chromium*/ (HTML tables printed by Chromium
through Playwright; tests.synth.chromium_pdf), with and without radical look-alikes;
xlsx / html / docx: data/samples/{xlsx,html,docx}/ (tests.synth.source_files).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.compare import comparable
from etl.model import Form
from etl.parse import parse_document
from etl.readers import read_document
from tests.synth import chromium_pdf, source_files
from tests.synth.golden import golden_by_source

GOLDEN = golden_by_source()
KINDS: dict[str, dict[str, Path]] = {
    "chromium": chromium_pdf.sample_paths("chromium"),
    "chromium_radicals": chromium_pdf.sample_paths("chromium_radicals"),
    **{kind: source_files.paths(kind) for kind in ("xlsx", "html", "docx")},
}
CASES = [(kind, source) for kind in KINDS for source in GOLDEN]


@pytest.fixture(scope="module", params=CASES, ids=[f"{k}-{s[:3]}" for k, s in CASES])
def parsed(request: pytest.FixtureRequest) -> tuple[str, str, list[Form]]:
    kind, source = request.param
    return kind, source, parse_document(read_document(KINDS[kind][source]))


def test_every_golden_field_matches(parsed):
    kind, source, forms = parsed
    assert len(forms) == len(GOLDEN[source])
    for got, want in zip(forms, GOLDEN[source], strict=True):
        assert comparable(got) == comparable(want), f"{kind} {source} form {want.form_index}"
        assert got.gaps == []


def test_cells_say_where_they_came_from(parsed):
    kind, _, forms = parsed
    for form in forms:
        table_cells = [c for c in form.cells if c.text and c.bbox is None]
        if kind.startswith("chromium"):
            assert table_cells == [] and all(c.ref is None for c in form.cells)
        else:
            assert table_cells and all(c.ref for c in table_cells)
            assert all(c.page >= 1 for c in form.cells)


@pytest.mark.parametrize("kind", ["xlsx", "html", "docx"])
def test_merged_category_cells_keep_their_spans(kind):
    """A category merged over several rows is given once, with its rowspan (PDF cells come
    from ruled geometry and carry no spans)."""
    source = "002_ad0082497000d1dc.txt"
    for form in parse_document(read_document(KINDS[kind][source])):
        runs = max(sum(1 for i in form.indicators if i.level1 == lv) for lv in {i.level1 for i in form.indicators})
        assert max(c.rowspan for c in form.cells) >= runs
