"""Scans of the sample forms: `python -m tests.synth.scans`.

A sample PDF (data/samples/pdf_a ...) is rasterised page by page and made to look scanned:
grey or colour, skewed by up to ±1°, speckled, a red round seal (实施单位盖章) pressed over
the funding figures of every form, JPEG-compressed, and wrapped back into an image-only PDF
(or saved as an image file). Everything is seeded: the same call gives the same bytes.

data/scans/<dept>_<year>.pdf      the 17 forms, 200 dpi, colour, skewed, stamped (golden set)
data/samples/scan/扫描件.pdf       one form scanned the same way (loaded with the samples)
data/samples/bad/不是表格.png      a photographed page that is not a form
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from tests.synth.cli import run_builder
from tests.synth.golden import REPO_ROOT

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SEAL_RED = (215, 35, 45)
# Labels whose row carries the figures a seal should cover (first found on the page wins).
SEAL_ANCHORS = ("年度资金总额", "总分")


@dataclass(frozen=True, slots=True)
class ScanStyle:
    dpi: int = 200
    colour: bool = True
    max_skew: float = 1.0  # degrees, either way
    speckle: float = 0.00015  # fraction of pixels turned into dark dots
    seal: bool = True
    jpeg_quality: int = 50


def scan_pages(pdf_path: Path, style: ScanStyle, seed: int = 0) -> list[Image.Image]:
    """Every page of `pdf_path` as a scanned-looking image."""
    import pdfplumber
    import pypdfium2 as pdfium

    rnd = random.Random(f"{pdf_path.name}-{seed}")
    out = []
    pdf = pdfium.PdfDocument(str(pdf_path))
    with pdfplumber.open(str(pdf_path)) as plumb:
        for i in range(len(pdf)):
            img = pdf[i].render(scale=style.dpi / 72).to_pil().convert("RGB")
            if style.seal:
                unit = style.dpi / 72
                for x, y in _seal_spots(plumb.pages[i]):
                    _press_seal(img, (x * unit, y * unit), style.dpi, rnd)
            out.append(_age(img, style, rnd))
    pdf.close()
    return out


def _seal_spots(page) -> list[tuple[float, float]]:
    """Points (PDF units) over the figures of each form's funding (or total) row on the page."""
    words = page.extract_words()
    spots = []
    for anchor in SEAL_ANCHORS:
        spots = [(page.width * 0.62, (w["top"] + w["bottom"]) / 2) for w in words if anchor in w["text"]]
        if spots:
            break
    return spots


def _press_seal(img: Image.Image, centre: tuple[float, float], dpi: int, rnd: random.Random) -> None:
    """A round red seal (ring, arc of text, star) multiplied onto the page, like ink."""
    r = int(dpi * 0.75)
    size = 2 * r + 8
    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    c = size / 2
    draw.ellipse([c - r, c - r, c + r, c + r], outline=255, width=max(3, dpi // 40))
    _star(draw, c, c, r * 0.28)
    font = ImageFont.truetype(FONT, int(r * 0.26))
    text = "上海市某某单位专用章"
    for k, ch in enumerate(text):
        angle = -150 + k * 300 / (len(text) - 1)
        glyph = Image.new("L", (int(r * 0.34), int(r * 0.34)), 0)
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, fill=255, font=font, anchor="mm")
        glyph = glyph.rotate(-angle, resample=Image.BICUBIC)
        rad = math.radians(angle - 90)
        gx, gy = c + r * 0.74 * math.cos(rad), c + r * 0.74 * math.sin(rad)
        mask.paste(glyph, (int(gx - glyph.width / 2), int(gy - glyph.height / 2)), glyph)
    mask = mask.rotate(rnd.uniform(-25, 25), resample=Image.BICUBIC)
    strength = rnd.uniform(0.75, 0.9)
    x0, y0 = int(centre[0] - c + rnd.uniform(-dpi * 0.2, dpi * 0.2)), int(centre[1] - c)
    region = img.crop((x0, y0, x0 + size, y0 + size))
    page = np.asarray(region, np.float32)
    alpha = np.asarray(mask, np.float32)[:, :, None] / 255 * strength
    ink = np.array(SEAL_RED, np.float32) / 255
    blended = page * (1 - alpha + alpha * ink)  # multiply: black print stays black under the seal
    img.paste(Image.fromarray(blended.clip(0, 255).astype(np.uint8)), (x0, y0))


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    points = []
    for k in range(10):
        rad = math.radians(-90 + k * 36)
        rr = r if k % 2 == 0 else r * 0.4
        points.append((cx + rr * math.cos(rad), cy + rr * math.sin(rad)))
    draw.polygon(points, fill=255)


def _age(img: Image.Image, style: ScanStyle, rnd: random.Random) -> Image.Image:
    """Skew, speckle, greyscale and JPEG: what a flatbed scanner and its driver add."""
    img = img.rotate(rnd.uniform(-style.max_skew, style.max_skew), resample=Image.BICUBIC,
                     fillcolor=(255, 255, 255))
    arr = np.asarray(img).copy()
    gen = np.random.default_rng(rnd.randrange(1 << 30))
    n = int(arr.shape[0] * arr.shape[1] * style.speckle)
    ys, xs = gen.integers(0, arr.shape[0] - 1, n), gen.integers(0, arr.shape[1] - 1, n)
    for dy in (0, 1):  # 1-2 px dots
        arr[ys + dy * (gen.random(n) < 0.5), xs] = gen.integers(40, 140, (n, 1))
    img = Image.fromarray(arr)
    if not style.colour:
        img = img.convert("L")
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=style.jpeg_quality)
    return Image.open(io.BytesIO(buf.getvalue()))


def save_pdf(pages: list[Image.Image], path: Path, dpi: int, quality: int = 50) -> Path:
    """An image-only PDF, one JPEG per page (no text layer)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=dpi, quality=quality)
    return path


def not_a_form(path: Path, dpi: int = 150) -> Path:
    """A photographed notice with a picture: text lines, no ruled table."""
    w, h = int(8.27 * dpi), int(11.69 * dpi)
    img = Image.new("RGB", (w, h), (236, 232, 222))
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, int(dpi * 0.2))
    for k, line in enumerate(("关于举办2024年度职工运动会的通知", "各部门：", "定于十月举行，请踊跃报名。")):
        draw.text((dpi * 0.8, dpi * (1 + 0.5 * k)), line, fill=(30, 30, 30), font=font)
    draw.ellipse([w * 0.3, h * 0.45, w * 0.7, h * 0.7], fill=(90, 140, 200))
    draw.polygon([(w * 0.2, h * 0.9), (w * 0.5, h * 0.6), (w * 0.8, h * 0.9)], fill=(80, 150, 80))
    img = img.rotate(0.7, resample=Image.BICUBIC, fillcolor=(236, 232, 222))
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path)
    return path


def build(data_dir: Path = REPO_ROOT / "data") -> list[Path]:
    from tests.synth.badpdf import _form_pdf
    from tests.synth.samples import sample_paths

    style = ScanStyle()
    written = [save_pdf(scan_pages(src, style), data_dir / "scans" / src.name, style.dpi)
               for src in sample_paths("a", data_dir).values()]
    tmp = data_dir / "samples" / "scan"
    tmp.mkdir(parents=True, exist_ok=True)
    one = _form_pdf(tmp, "_one_form.pdf")
    written.append(save_pdf(scan_pages(one, style, seed=1), tmp / "扫描件.pdf", style.dpi))
    one.unlink()
    written.append(not_a_form(data_dir / "samples" / "bad" / "不是表格.png"))
    return written


def main(argv: list[str] | None = None) -> None:
    run_builder("生成扫描件样例（由示例PDF栅格化）", build, argv)


if __name__ == "__main__":
    main()
