"""Bad input PDFs for tests: each function writes one file into `folder` and returns its path.

| file              | what it is                                                   |
|-------------------|--------------------------------------------------------------|
| empty.pdf         | 0 bytes                                                      |
| truncated.pdf     | the first half of a valid form PDF (download cut off)        |
| corrupt.pdf       | bytes that are no PDF at all (a renamed binary)              |
| damaged.pdf       | PDF header and trailer intact, the object data overwritten   |
| encrypted.pdf     | a form PDF protected by a user password                      |
| owner_locked.pdf  | copy/print restricted by an owner password only: READABLE    |
| scanned.pdf       | a form page as an image only, no text layer                  |
| not_a_form.pdf    | a valid PDF of other Chinese text (a notice), no form         |
| cid_glyphs.pdf    | a form PDF whose CJK fonts lack a ToUnicode map: `(cid:N)`   |
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from tests.synth.golden import golden_forms
from tests.synth.pdf_reportlab import register_font, render_reportlab

NOTICE = (
    "关于开展2024年度市级预算项目绩效自评工作的通知",
    "各预算单位：",
    "为贯彻落实全面实施预算绩效管理的要求，现就开展2024年度项目支出绩效自评工作通知如下。",
    "一、自评范围：2024年度市级财政安排的全部项目支出。",
    "二、时间安排：请于2025年3月31日前完成自评并报送自评结果。",
    "三、工作要求：各单位应对照年初设定的绩效目标，如实反映目标完成情况。",
    "上海市财政局",
)


def _form_pdf(folder: Path, name: str = "_source.pdf") -> Path:
    """A small valid form PDF (the first golden form) to damage."""
    return render_reportlab(golden_forms()[:1], folder / name)


def empty(folder: Path) -> Path:
    path = folder / "empty.pdf"
    path.write_bytes(b"")
    return path


def truncated(folder: Path) -> Path:
    data = _form_pdf(folder).read_bytes()
    path = folder / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    return path


def corrupt(folder: Path) -> Path:
    rng = random.Random(20240101)
    path = folder / "corrupt.pdf"
    path.write_bytes(b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(4096)))
    return path


def damaged(folder: Path) -> Path:
    data = bytearray(_form_pdf(folder).read_bytes())
    rng = random.Random(7)
    start, end = 16, len(data) - 16  # keep "%PDF-1.4" and "%%EOF"
    data[start:end] = bytes(rng.randrange(256) for _ in range(end - start))
    path = folder / "damaged.pdf"
    path.write_bytes(bytes(data))
    return path


def _locked(path: Path, user_password: str) -> Path:
    enc = StandardEncryption(user_password, ownerPassword="jixiao-owner", canCopy=0, canModify=0, strength=128)
    canvas = Canvas(str(path), pagesize=A4, encrypt=enc, invariant=1)
    _write_lines(canvas, ["财政项目支出绩效自评表", "（2024年度）", "项目名称 加密测试项目"])
    canvas.save()
    return path


def encrypted(folder: Path) -> Path:
    return _locked(folder / "encrypted.pdf", "jixiao-user")


def owner_locked(folder: Path) -> Path:
    """Encrypted, but with an empty user password: viewers (and pdfminer) open it freely."""
    return _locked(folder / "owner_locked.pdf", "")


def scanned(folder: Path) -> Path:
    """Page 1 of a form PDF rasterised (grey, 100 dpi) and placed as the only content."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(_form_pdf(folder)))
    try:
        image = doc[0].render(scale=100 / 72, grayscale=True).to_pil()
    finally:
        doc.close()
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    path = folder / "scanned.pdf"
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    canvas.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 0, 0, width=A4[0], height=A4[1])
    canvas.save()
    return path


def not_a_form(folder: Path) -> Path:
    path = folder / "not_a_form.pdf"
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    _write_lines(canvas, list(NOTICE))
    canvas.save()
    return path


def cid_glyphs(folder: Path) -> Path:
    """A form PDF with the ToUnicode maps unlinked (same byte length, so offsets stay valid)."""
    data = _form_pdf(folder).read_bytes()
    path = folder / "cid_glyphs.pdf"
    path.write_bytes(data.replace(b"/ToUnicode", b"/XoUnicode"))
    return path


def _write_lines(canvas: Canvas, lines: list[str]) -> None:
    canvas.setFont(register_font("sans"), 12)
    y = A4[1] - 30 * mm
    for line in lines:
        canvas.drawString(25 * mm, y, line)
        y -= 9 * mm


BAD_INPUTS = (empty, truncated, corrupt, damaged, encrypted, owner_locked, scanned, not_a_form, cid_glyphs)


def write_all(folder: str | Path) -> dict[str, Path]:
    """Write every bad input into `folder`; name (function name) -> path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = {make.__name__: make(folder) for make in BAD_INPUTS}
    (folder / "_source.pdf").unlink(missing_ok=True)
    return out
