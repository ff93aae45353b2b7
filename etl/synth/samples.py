"""Build the sample PDFs from the golden records: `python -m etl.synth.samples`.

data/samples/               layout "a" (ReportLab), one PDF per department: the default
                            corpus, exactly the 17 seed forms (`jixiao ingest data/samples`)
data/variants/pdf_b/        the same forms in layout "b" (fpdf2, landscape)
data/variants/pdf_wps/      the same forms in layout "wps" (radical look-alikes, fake bold)
data/variants/text/         the seed text extractions

Variants live outside data/samples because ingest reads folders recursively and would
count every form once per layout.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Callable

from etl.model import Form
from etl.synth.golden import REPO_ROOT, golden_by_source
from etl.synth.pdf_fpdf import render_fpdf
from etl.synth.pdf_reportlab import render_reportlab

Renderer = Callable[[list[Form], Path], Path]

LAYOUT_DIRS: dict[str, tuple[str, Renderer]] = {
    "a": ("samples", lambda forms, path: render_reportlab(forms, path)),
    "b": ("variants/pdf_b", lambda forms, path: render_fpdf(forms, path, "b")),
    "wps": ("variants/pdf_wps", lambda forms, path: render_fpdf(forms, path, "wps")),
}


def pdf_name(forms: list[Form]) -> str:
    """File name of a department's sample: `<主管部门>_<year>.pdf`."""
    return f"{forms[0].department}_{forms[0].year}.pdf"


def sample_paths(layout: str, data_dir: Path = REPO_ROOT / "data") -> dict[str, Path]:
    """Seed source file name -> the PDF holding its forms in `layout`."""
    folder = data_dir / LAYOUT_DIRS[layout][0]
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="生成示例PDF（由标准答案记录渲染）")
    parser.add_argument("--data-dir", type=Path, default=REPO_ROOT / "data")
    parser.add_argument("--layout", action="append", choices=sorted(LAYOUT_DIRS), help="只生成指定版式（可重复）")
    args = parser.parse_args(argv)
    for path in build(args.data_dir, tuple(args.layout or LAYOUT_DIRS)):
        print(f"{path.stat().st_size / 1024:7.1f} KB  {path}")


if __name__ == "__main__":
    main()
