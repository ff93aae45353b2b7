"""Build the sample PDFs from the golden records: `python -m tests.synth.samples`.

data/samples/pdf_a/     layout "a" (ReportLab, portrait), one PDF per department
data/samples/pdf_b/     the same forms in layout "b" (fpdf2, landscape)
data/samples/pdf_wps/   the same forms in layout "wps" (radical look-alikes, fake bold)
data/samples/pdf_office/ the same forms made in Excel/Word and printed by LibreOffice
                        (tests.synth.office; committed, not rebuilt here)
data/samples/text/      the seed text extractions (copied, not generated)
data/samples/bad/       inputs that cannot be read, each for its own reason
data/samples/scan/      a stamped, skewed scan of one form (tests.synth.scans; read by OCR)

`jixiao ingest data/samples` reads every copy; the store counts each form once
(copies point at their primary), so the database holds exactly the 17 seed forms.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Callable

from etl.model import Form
from tests.synth import badpdf
from tests.synth.golden import REPO_ROOT, golden_by_source
from tests.synth.pdf_fpdf import render_fpdf
from tests.synth.pdf_reportlab import render_reportlab

Renderer = Callable[[list[Form], Path], Path]

LAYOUT_DIRS: dict[str, tuple[str, Renderer]] = {
    "a": ("samples/pdf_a", lambda forms, path: render_reportlab(forms, path)),
    "b": ("samples/pdf_b", lambda forms, path: render_fpdf(forms, path, "b")),
    "wps": ("samples/pdf_wps", lambda forms, path: render_fpdf(forms, path, "wps")),
}
# Layouts made by real office software (tests.synth.office): the PDFs are committed, since
# LibreOffice is a development tool only; `build` never rewrites them.
COMMITTED_DIRS: dict[str, str] = {"office": "samples/pdf_office"}
SAMPLE_LAYOUTS: tuple[str, ...] = (*LAYOUT_DIRS, *COMMITTED_DIRS)
# Bad inputs shipped with the samples, so the summary and 数据质量 page show real reasons.
# (The cid one is left out: its unreadable project name would count as an 18th form.)
# The scanned sample (samples/scan/扫描件.pdf, read by OCR) and the image that is not a form
# (bad/不是表格.png) are made by tests.synth.scans.
BAD_SAMPLES: dict[str, Callable[[Path], Path]] = {
    "空文件.pdf": badpdf.empty, "文件损坏.pdf": badpdf.truncated, "已加密.pdf": badpdf.encrypted,
    "不是自评表.pdf": badpdf.not_a_form,
}


def pdf_name(forms: list[Form]) -> str:
    """File name of a department's sample: `<主管部门>_<year>.pdf`."""
    return f"{forms[0].department}_{forms[0].year}.pdf"


def sample_paths(layout: str, data_dir: Path = REPO_ROOT / "data") -> dict[str, Path]:
    """Seed source file name -> the PDF holding its forms in `layout`."""
    folder = data_dir / (COMMITTED_DIRS[layout] if layout in COMMITTED_DIRS else LAYOUT_DIRS[layout][0])
    return {source: folder / pdf_name(forms) for source, forms in golden_by_source().items()}


def build(data_dir: Path = REPO_ROOT / "data", layouts: tuple[str, ...] = tuple(LAYOUT_DIRS)) -> list[Path]:
    written = []
    by_source = golden_by_source()
    for layout in layouts:
        render = LAYOUT_DIRS[layout][1]
        for source, path in sample_paths(layout, data_dir).items():
            path.parent.mkdir(parents=True, exist_ok=True)
            written.append(render(by_source[source], path))
    return written


def build_bad(data_dir: Path = REPO_ROOT / "data") -> list[Path]:
    """Write the bad sample inputs under data/samples/bad with Chinese names."""
    folder = data_dir / "samples" / "bad"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in BAD_SAMPLES.items():
        made = make(folder)
        written.append(made.replace(folder / name))
    (folder / "_source.pdf").unlink(missing_ok=True)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="生成示例PDF（由标准答案记录渲染）")
    parser.add_argument("--data-dir", type=Path, default=REPO_ROOT / "data")
    parser.add_argument("--layout", action="append", choices=sorted(LAYOUT_DIRS), help="只生成指定版式（可重复）")
    args = parser.parse_args(argv)
    written = build(args.data_dir, tuple(args.layout or LAYOUT_DIRS))
    if not args.layout:
        written += build_bad(args.data_dir)
    for path in written:
        print(f"{path.stat().st_size / 1024:7.1f} KB  {path}")


if __name__ == "__main__":
    main()
