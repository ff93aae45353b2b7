"""Scanned forms read by OCR (etl.readers.image): live on a few pages, the full golden set marked slow.

Pages OCR'd live: the committed sample data/samples/scan/扫描件.pdf (200 dpi, colour, skewed,
red seal over the figures), a grey 150 dpi PNG and a grey 300 dpi JPEG of the same form.
`pytest -m slow` reads the 17 scanned forms of data/scans and prints the field accuracy.
"""

from __future__ import annotations

import socket
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from etl.checks_ocr import LOW_CONFIDENCE, check_ocr
from etl.compare import squash
from etl.model import Cell, Form, Indicator
from etl.pipeline import NOT_A_FORM, process_file
from etl.readers import READERS
from etl.readers.image import read_image
from etl.readers.ocr_engine import RapidEngine, rapidocr_model_dir
from etl.readers.pdf_ocr import read_pdf_or_scan
from tests.synth.golden import REPO_ROOT, golden_by_source, golden_forms
from tests.synth.golden_fields import FieldTally
from tests.synth.samples import pdf_name
from tests.synth.scans import ScanStyle, scan_pages

SAMPLE = REPO_ROOT / "data" / "samples" / "scan" / "扫描件.pdf"
NOT_A_FORM_IMAGE = REPO_ROOT / "data" / "samples" / "bad" / "不是表格.png"
FIRST = golden_forms()[0]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("OCR tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_models_ship_inside_the_installed_package() -> None:
    models = rapidocr_model_dir()
    assert (models / "ch_PP-OCRv4_rec_infer.onnx").stat().st_size > 1_000_000
    assert RapidEngine().model_path.resolve().is_relative_to(models)


def test_the_simplified_recogniser_computes_what_the_shipped_one_does() -> None:
    """ocr_model's rewrites are exact: same probabilities up to float rounding, fewer nodes."""
    import onnx
    import onnxruntime as ort

    from etl.readers.ocr_engine import _normalised
    from etl.readers.ocr_model import simplified

    path = rapidocr_model_dir() / RapidEngine.MODEL
    lean = simplified(path)
    assert len(onnx.load_from_string(lean).graph.node) < 0.6 * len(onnx.load(str(path)).graph.node)
    before, after = (ort.InferenceSession(m, providers=["CPUExecutionProvider"]) for m in (str(path), lean))
    rng = np.random.default_rng(7)
    for width in (48, 150, 400):
        line = np.full((34, width), 255, np.uint8)
        line[8:26, 4:width - 4] = rng.integers(0, 255, (18, width - 8))  # ink-like noise
        x = _normalised(line)
        a, b = (s.run(None, {s.get_inputs()[0].name: x})[0] for s in (before, after))
        assert np.abs(a - b).max() < 1e-3


def test_scanned_sample_is_read_by_ocr_offline_field_for_field(no_network: None) -> None:
    result = process_file(str(SAMPLE))
    assert result.error is None and result.kind == "pdf"
    assert any("OCR" in w for w in result.warnings)
    [checked] = result.forms
    tally = FieldTally()
    tally.add(checked.form, FIRST)
    print(f"\n扫描件.pdf: {tally.right}/{tally.total} fields right ({tally.accuracy:.1%})")
    assert tally.wrong == []
    codes = {f.code for f in checked.findings}
    assert "ocr_read" in codes and "parse_gap" not in codes
    assert all(c.confidence is not None for c in checked.form.cells if c.text)
    merged = [c for c in checked.form.cells if c.rowspan > 1 or c.colspan > 1]
    assert any(c.text == "项目\n资金\n（万\n元）" and c.rowspan == 5 for c in merged)


@pytest.mark.parametrize("suffix,style", [(".png", ScanStyle(dpi=150, colour=False, seal=False)),
                                          (".jpg", ScanStyle(dpi=300, colour=False, seal=False, max_skew=0.6))],
                         ids=["grey150png", "grey300jpg"])
def test_image_files_go_through_the_same_reader(tmp_path: Path, suffix: str, style: ScanStyle) -> None:
    assert READERS[suffix].kind == "image"
    [page] = scan_pages(_one_form_pdf(tmp_path), style, seed=3)
    path = tmp_path / f"page{suffix}"
    page.save(path)
    result = process_file(str(path))
    assert result.error is None and result.kind == "image"
    tally = FieldTally()
    tally.add(result.forms[0].form, FIRST)
    print(f"\n{style.dpi} dpi grey {suffix}: {tally.right}/{tally.total} fields right ({tally.accuracy:.1%})")
    assert tally.accuracy >= 0.98, tally.wrong


def _one_form_pdf(folder: Path) -> Path:
    from tests.synth.badpdf import _form_pdf

    return _form_pdf(folder)


def test_an_image_that_is_not_a_form_is_reported_not_crashed() -> None:
    result = process_file(str(NOT_A_FORM_IMAGE))
    assert result.forms == [] and result.error == NOT_A_FORM and result.kind == "image"


def test_a_broken_image_file_is_a_reason_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "坏图.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    assert "图像" in (process_file(str(path)).error or "")


def test_low_confidence_figures_get_a_finding_on_their_row() -> None:
    ind = Indicator(row_no=3, level1="产出指标", level2="数量指标", name="培训人次", target="≥100(人次)",
                    actual="120(人次)", weight=10.0, score=10.0, page=1, span=(100.0, 120.0))
    cells = [Cell("培训人次", 1, 5, 2, (50, 100, 90, 120), confidence=0.99),
             Cell("120(人次)", 1, 5, 4, (150, 100, 190, 120), confidence=LOW_CONFIDENCE - 0.2),
             Cell("优", 1, 9, 4, (150, 300, 190, 320), confidence=LOW_CONFIDENCE - 0.01)]
    findings = check_ocr(Form(1, 1, 1, indicators=[ind], cells=cells))
    low = [f for f in findings if f.code == "ocr_low_confidence"]
    assert [(f.row_no, "120(人次)" in f.message) for f in low] == [(3, True), (None, False)]
    assert [f.code for f in findings].count("ocr_read") == 1
    assert check_ocr(Form(1, 1, 1, cells=[Cell("120", 1, 0, 0)])) == []  # a text PDF: no OCR findings


# Findings that say a figure does not add up or could not be read as one.
ARITHMETIC = {"weight_total_mismatch", "score_total_mismatch", "score_exceeds_weight", "grade_mismatch",
              "funding_score_mismatch", "funding_parts_mismatch", "execution_rate_mismatch", "parse_gap"}


def _flagged(form: Form, path: str, got: object, findings: list) -> bool:
    """A wrong field is flagged when a finding points at it. An indicator's field: a low-confidence
    or arithmetic finding on that indicator's row. Any other field: a low-confidence finding
    quoting the field's own text, or, for a figure, an arithmetic finding or parse gap."""
    if path.startswith("indicators["):
        row = form.indicators[int(path.split("[")[1].split("]")[0])].row_no
        return any(f.row_no == row and (f.code == "ocr_low_confidence" or f.code in ARITHMETIC) for f in findings)
    text = squash(str(got or ""))
    quoted = [squash(f.message.split("「")[1].split("」")[0].rstrip("…")) for f in findings
              if f.code == "ocr_low_confidence"]
    if text and any(q and q in text for q in quoted):
        return True
    return not isinstance(got, str) and any(f.code in ARITHMETIC for f in findings)


def _read_scan(path: str) -> tuple[str, list]:
    result = process_file(path)
    return path, result.forms


@pytest.mark.slow
def test_seventeen_scanned_forms_golden() -> None:
    """data/scans: 17 forms, 200 dpi colour, skewed ±1°, speckled, JPEG, a red seal over the figures."""
    golden = golden_by_source()
    paths = {src: str(REPO_ROOT / "data" / "scans" / pdf_name(forms)) for src, forms in golden.items()}
    with ProcessPoolExecutor(2) as pool:
        read = dict(pool.map(_read_scan, paths.values()))
    tally, forms_ok, unflagged = FieldTally(), 0, []
    for src, want in golden.items():
        checked = read[paths[src]]
        assert len(checked) == len(want), src
        for got, w in zip(checked, want):
            before = len(tally.wrong)
            tally.add(got.form, w)
            wrong = tally.wrong[before:]
            forms_ok += not got.form.gaps
            unflagged += [x for x in wrong if not _flagged(got.form, x[1], x[2], got.findings)]
    print(f"\nscans: {tally.right}/{tally.total} fields right ({tally.accuracy:.2%}), {forms_ok}/17 forms without gaps")
    for x in tally.wrong:
        print("  wrong:", *(str(v)[:60] for v in x))
    for x in unflagged:
        print("  wrong without a finding:", *(str(v)[:60] for v in x))
    assert tally.accuracy >= 0.98
    assert sum(len(v) for v in read.values()) == 17
    assert unflagged == []  # every misread field carries a finding on its row or quoting its text


def test_the_pdf_reader_alone_still_reports_the_scan_and_the_registry_ocrs_it() -> None:
    from etl.readers.pdf import SCANNED, UnreadablePDF, read_pdf

    with pytest.raises(UnreadablePDF) as err:
        read_pdf(str(SAMPLE))
    assert err.value.reason == SCANNED
    assert READERS[".pdf"].function == "read_pdf_or_scan"


def test_pages_with_cid_garbage_are_handed_to_ocr_in_page_order(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from etl.readers import image
    from tests.synth import badpdf

    asked: list[list[int]] = []

    def fake_ocr(path: str, pages: list[int]) -> list[list[Cell]]:
        asked.append(pages)
        return [[Cell("财政项目支出绩效自评表", p, 0, 0, confidence=0.99)] for p in pages]

    monkeypatch.setattr(image, "ocr_pdf_pages", fake_ocr)
    doc = read_pdf_or_scan(str(badpdf.cid_glyphs(tmp_path)))
    assert asked == [[1]]
    assert not any("(cid:" in c.text for row in doc.rows for c in row)
    assert [r[0].row for r in doc.rows] == list(range(len(doc.rows)))
    assert [w for w in doc.warnings if "OCR" in w] and not [w for w in doc.warnings if "(cid:N)" in w]


def test_an_image_with_too_many_pixels_is_refused_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    from etl.readers.image import IMAGE_TOO_LARGE

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)  # PIL refuses twice this many
    assert process_file(str(NOT_A_FORM_IMAGE)).error == IMAGE_TOO_LARGE
