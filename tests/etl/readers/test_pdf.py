"""The PDF reader on the committed sample PDFs (the generator layouts and the office one) and on bad inputs."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from etl.model import Cell, Document, Form
from etl.readers import UnreadableFile, read_document
from etl.readers.pdf import CORRUPT, EMPTY, ENCRYPTED, UnreadablePDF, dedupe, read_pdf
from tests.synth import badpdf
from etl.compare import squash
from tests.synth.golden import golden_by_source
from tests.synth.pdf_grid import IND_HEADER
from tests.synth.samples import LAYOUT_DIRS, SAMPLE_LAYOUTS, sample_paths

TITLE = "财政项目支出绩效自评表"
RADICALS = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf]")
GOLDEN = golden_by_source()
CASES = [(layout, source) for layout in SAMPLE_LAYOUTS for source in GOLDEN]


@pytest.fixture(scope="module")
def docs() -> dict[tuple[str, str], Document]:
    return {(layout, source): read_pdf(str(sample_paths(layout)[source])) for layout, source in CASES}


def texts(row: list[Cell]) -> list[str]:
    return [squash(c.text) for c in row]


def header_rows(doc: Document) -> list[int]:
    return [i for i, row in enumerate(doc.rows) if squash(row[0].text) == "一级指标"]


def form_blocks(doc: Document) -> list[list[list[Cell]]]:
    """Rows from each indicator header (first one of a form) to that form's 总分 row, inclusive."""
    blocks, current = [], None
    for row in doc.rows:
        first = squash(row[0].text)
        if first == "一级指标" and current is None:
            current = []
        if current is not None:
            current.append(row)
            if first == "总分":
                blocks.append(current)
                current = None
    return blocks


@pytest.mark.parametrize("layout,source", CASES)
def test_document_contract(docs, layout, source):
    doc = docs[layout, source]
    with pdfplumber.open(sample_paths(layout)[source]) as pdf:
        assert doc.pages == len(pdf.pages)
    assert doc.kind == "pdf" and doc.warnings == []
    pages = [row[0].page for row in doc.rows]
    assert pages == sorted(pages) and set(pages) == set(range(1, doc.pages + 1))
    for i, row in enumerate(doc.rows):
        assert [c.row for c in row] == [i] * len(row)
        assert [c.col for c in row] == list(range(len(row)))
        assert len({c.page for c in row}) == 1
        for c in row:
            assert c.text == c.text.strip() and "(cid:" not in c.text and not RADICALS.search(c.text)
            x0, top, x1, bottom = c.bbox
            assert x0 < x1 and top < bottom


@pytest.mark.parametrize("layout,source", CASES)
def test_one_title_and_year_line_per_form(docs, layout, source):
    doc, forms = docs[layout, source], GOLDEN[source]
    titles = [i for i, row in enumerate(doc.rows) if texts(row) == [TITLE]]
    assert len(titles) == len(forms)
    for i, form in zip(titles, forms):
        assert re.fullmatch(rf"[（(]{form.year}年度[）)]", squash(doc.rows[i + 1][0].text))
        assert squash(doc.rows[i + 2][0].text) == "项目名称" and form.project_name in texts(doc.rows[i + 2])


@pytest.mark.parametrize("layout,source", CASES)
def test_indicator_header_cells_in_column_order(docs, layout, source):
    doc = docs[layout, source]
    heads = header_rows(doc)
    assert len(heads) >= len(GOLDEN[source])
    for i in heads:
        assert [t for t in texts(doc.rows[i]) if t] == list(IND_HEADER)


@pytest.mark.parametrize("layout,source", CASES)
def test_funding_header_and_lines(docs, layout, source):
    doc, forms = docs[layout, source], GOLDEN[source]
    heads = [row for row in doc.rows if "年初预算数" in texts(row)]
    assert len(heads) == len(forms)
    for row in heads:
        filled = [t for t in texts(row) if t]
        assert filled[0] in ("项目资金（万元）", "项目资金(万元)")
        assert filled[1:] in (["年初预算数", "全年预算数", "全年执行数", "分数", rate, "得分"]
                              for rate in ("执行率(%)", "执行率"))
    totals = [row for row in doc.rows if texts(row)[1:2] in (["年度资金总额"], ["年度资金总额："])]
    for row, form in zip(totals, forms):
        numbers = [float(t) for t in texts(row)[2:] if t and t != "-"]
        line = form.funding_line("年度资金总额")
        assert numbers == [line.initial_budget, line.full_year_budget, line.executed, line.weight,
                           line.execution_rate, line.score]


def _expected_level1(form: Form) -> list[str]:
    return [ind.level1 if k == 0 or form.indicators[k - 1].level1 != ind.level1 else ""
            for k, ind in enumerate(form.indicators)]


@pytest.mark.parametrize("layout", LAYOUT_DIRS)
def test_merged_level1_cells_leave_blanks_below(docs, layout):
    """一级指标 is printed once per run of equal values, "" below it (also past a page break)."""
    checked = crossing = 0
    for source, forms in GOLDEN.items():
        for block, form in zip(form_blocks(docs[layout, source]), forms):
            rows = [r for r in block[1:-1] if texts(r)[0] != "一级指标"]  # repeated headers out
            if len(rows) != len(form.indicators):
                continue  # a row split by a page break: covered by another test
            assert [squash(r[0].text) for r in rows] == _expected_level1(form)
            assert [squash(r[2].text) for r in rows] == [squash(i.name) for i in form.indicators]
            checked += 1
            crossing += len({r[0].page for r in rows}) > 1
    assert checked >= 10 and crossing >= 1


def _split_pieces(doc: Document, text: str) -> list[tuple[Cell, Cell]]:
    """Cell pairs (end of page p, top of page p+1, same column) whose texts join to `text`."""
    want, found = squash(text), []
    for upper, lower in zip(doc.rows, doc.rows[1:]):
        if lower[0].page != upper[0].page + 1 or len(upper) != len(lower):
            continue
        for a, b in zip(upper, lower):
            if a.text and b.text and squash(a.text) + squash(b.text) == want:
                found.append((a, b))
    return found


@pytest.mark.parametrize("layout", ["a", "b"])
def test_rows_split_by_a_page_break_arrive_as_two_rows(docs, layout):
    split = 0
    for source, forms in GOLDEN.items():
        doc = docs[layout, source]
        cells = {squash(c.text) for row in doc.rows for c in row}
        for form in forms:
            long_texts = [form.goal_expected, form.goal_actual] + [i.name for i in form.indicators]
            for text in filter(None, long_texts):
                if squash(text) in cells:
                    continue
                pieces = _split_pieces(doc, text)
                assert pieces, f"{text[:20]} neither whole nor split across a page break"
                split += 1
    assert split >= 2


def test_columns_keep_their_index_on_continuation_pages(docs):
    """Layout a repeats no header: 分值/得分 stay in the header's columns on the next page."""
    pages_crossed = 0
    for source in GOLDEN:
        for block in form_blocks(docs["a", source]):
            head = texts(block[0])
            weight_col, score_col = head.index("分值"), head.index("得分")
            for row in block[1:]:
                if texts(row)[0] in ("一级指标", "总分") or not row[weight_col].text:
                    continue
                float(row[weight_col].text), float(row[score_col].text)
            pages_crossed += len({r[0].page for r in block}) > 1
    assert pages_crossed >= 1


def test_landscape_layout_repeats_indicator_header_on_new_pages(docs):
    doc = docs["b", "000_db8c161870266780.txt"]
    repeated = [i for i in header_rows(doc) if squash(doc.rows[i - 1][0].text) not in ("预期目标", "")
                and doc.rows[i - 1][0].page < doc.rows[i][0].page]
    assert repeated, "no indicator header at the top of a continuation page"
    for i in repeated:
        assert doc.rows[i][0].page > doc.rows[i - 1][0].page


def test_forms_start_mid_page_in_layout_a(docs):
    doc = docs["a", "000_db8c161870266780.txt"]
    firsts = {row[0].page: i for i, row in reversed(list(enumerate(doc.rows)))}
    titles = [i for i, row in enumerate(doc.rows) if texts(row) == [TITLE]]
    assert any(firsts[doc.rows[i][0].page] != i for i in titles)


def test_wps_radicals_and_fake_bold_are_repaired():
    path = sample_paths("wps")["002_ad0082497000d1dc.txt"]
    with pdfplumber.open(path) as pdf:
        raw = pdf.pages[0].chars
    assert any(RADICALS.match(c["text"]) for c in raw)
    title = [c for c in raw if c["size"] > 15]
    assert "".join(c["text"] for c in title) == "财政项⽬⽀出绩效⾃评表" * 2  # printed twice, offset
    assert "".join(c["text"] for c in dedupe(title)) == "财政项⽬⽀出绩效⾃评表"
    doc = read_pdf(str(path))
    assert texts(doc.rows[0]) == [TITLE] and "科技社团党建工作" in texts(doc.rows[2])


def test_dedupe_keeps_chars_that_differ():
    a = {"text": "一", "fontname": "F", "size": 9.0, "x0": 10.0, "top": 20.0}
    assert dedupe([a, {**a, "x0": 10.6}, {**a, "x0": 11.5}, {**a, "text": "二"}, {**a, "size": 10.0}]) == \
        [a, {**a, "x0": 11.5}, {**a, "text": "二"}, {**a, "size": 10.0}]


@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> dict[str, Path]:
    return badpdf.write_all(tmp_path_factory.mktemp("bad"))


@pytest.mark.parametrize("name,reason", [
    ("empty", EMPTY), ("truncated", CORRUPT), ("corrupt", CORRUPT), ("damaged", CORRUPT),
    ("encrypted", ENCRYPTED),
])
def test_unreadable_inputs_raise_a_reason(bad, name, reason):
    with pytest.raises(UnreadablePDF) as err:
        read_pdf(str(bad[name]))
    assert err.value.reason == reason
    with pytest.raises(UnreadableFile):
        read_document(bad[name])


def test_owner_password_only_pdf_is_read(bad):
    doc = read_pdf(str(bad["owner_locked"]))
    assert [texts(row) for row in doc.rows[:2]] == [[TITLE], ["（2024年度）"]]


def test_cid_glyphs_become_a_warning_not_an_error(bad):
    doc = read_pdf(str(bad["cid_glyphs"]))
    assert any("(cid:" in c.text for row in doc.rows for c in row)
    assert len(doc.warnings) == 1 and "第1页" in doc.warnings[0] and "(cid:N)" in doc.warnings[0]


def test_a_pdf_that_is_not_a_form_reads_as_text_lines(bad):
    doc = read_pdf(str(bad["not_a_form"]))
    assert texts(doc.rows[0]) == ["关于开展2024年度市级预算项目绩效自评工作的通知"]
    assert all(len(row) == 1 for row in doc.rows) and len(doc.rows) == len(badpdf.NOTICE)
