"""The PDF generators: real PDFs whose text pdfplumber extracts as the characters given."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from etl.compare import squash
from tests.synth.golden import golden_by_source
from tests.synth.pdf_fpdf import render_fpdf
from tests.synth.pdf_grid import wps_text
from tests.synth.pdf_reportlab import render_reportlab
from tests.synth.samples import LAYOUT_DIRS, build, pdf_name, sample_paths

SOURCE = "004_7b7c0afb335e079f.txt"  # 4 forms, 2023, long goal texts
FORMS = golden_by_source()[SOURCE]
RENDER = {
    "a": lambda forms, path: render_reportlab(forms, path),
    "b": lambda forms, path: render_fpdf(forms, path, "b"),
    "wps": lambda forms, path: render_fpdf(forms, path, "wps"),
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("gen")
    return {name: render(FORMS, folder / f"{name}.pdf") for name, render in RENDER.items()}


def dedupe_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "".join(p.dedupe_chars().extract_text() for p in pdf.pages)


def page_texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [p.extract_text() for p in pdf.pages]


def quick_texts(path: Path) -> list[str]:
    """Page texts via PDFium: fast enough to compare every sample."""
    doc = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in doc]
    finally:
        doc.close()


@pytest.mark.parametrize("layout", RENDER)
def test_text_extracts_as_unicode_not_cid(rendered, layout):
    shown = wps_text if layout == "wps" else str
    text = squash(dedupe_text(rendered[layout]))
    assert "(cid:" not in text and text.count(shown("财政项目支出绩效自评表")) == len(FORMS)
    for form in FORMS:
        for needle in (form.project_name, form.department, form.implementing_unit, form.grade):
            assert shown(squash(needle)) in text


def test_layouts_differ_in_page_size_font_and_numbers(rendered):
    info = {}
    for layout, path in rendered.items():
        with pdfplumber.open(path) as pdf:
            page = pdf.pages[0]
            info[layout] = (page.width > page.height, {c["fontname"].split("+")[-1] for c in page.chars})
    assert info["b"][0] and not info["a"][0] and not info["wps"][0]
    assert info["a"][1].isdisjoint(info["b"][1])  # Noto Sans vs Noto Serif
    assert any("Serif" in f for f in info["b"][1]) and any("Sans" in f for f in info["wps"][1])
    first_a, first_b = page_texts(rendered["a"])[0], page_texts(rendered["b"])[0]
    assert "24.09 24.09 24.09 10.00 100.00 10.00" in first_a  # two decimals
    assert "24.09 24.09 24.09 10 100 10" in first_b  # as short as possible


def test_wps_layout_prints_radical_look_alikes(rendered):
    text = page_texts(rendered["wps"])[0]
    assert "项⽬名称" in text and "项目名称" not in text


@pytest.mark.parametrize("layout", RENDER)
def test_rendering_is_deterministic(rendered, layout, tmp_path):
    again = RENDER[layout](FORMS, tmp_path / "again.pdf")
    assert again.read_bytes() == rendered[layout].read_bytes()


def test_a_character_the_font_lacks_is_refused(tmp_path):
    odd = replace(FORMS[0], project_name="𠀀项目")  # CJK extension B: not in the subset
    with pytest.raises(ValueError, match="字体不含"):
        render_reportlab([odd], tmp_path / "x.pdf")


def test_committed_samples_match_the_generators(tmp_path):
    """data/samples and data/variants hold what `python -m tests.synth.samples` writes today."""
    written = build(tmp_path)
    assert len(written) == len(LAYOUT_DIRS) * 3
    for layout in LAYOUT_DIRS:
        fresh, committed = sample_paths(layout, tmp_path), sample_paths(layout)
        for source, path in committed.items():
            assert path.name == pdf_name(golden_by_source()[source])
            assert quick_texts(path) == quick_texts(fresh[source]), f"{path} is stale: rerun tests.synth.samples"


def test_each_layout_folder_holds_one_pdf_per_department():
    for layout in LAYOUT_DIRS:
        folder = next(iter(sample_paths(layout).values())).parent
        assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == \
            sorted(p.name for p in sample_paths(layout).values())
        if layout == "wps":
            continue  # its title is printed with look-alike radicals and doubled glyphs
        titles = sum(len(re.findall("财政项目支出绩效自评表", t)) for p in sample_paths(layout).values()
                     for t in quick_texts(p))
        assert titles == 17, layout
