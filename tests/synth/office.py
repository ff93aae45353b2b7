"""Layout "office": the golden forms made with real office software and printed to PDF
by LibreOffice: `python -m tests.synth.office`.

Each department's forms become one file, built the way government offices build them:
an Excel workbook (tests/synth/office_xlsx.py) or, for one department, a Word document
(tests/synth/office_docx.py). `soffice --headless --convert-to pdf` prints it, so Calc
and Writer choose the page breaks, fonts, text positions and how rules are drawn.
The PDFs are committed (data/samples/pdf_office): LibreOffice and the openpyxl and
python-docx packages (the `dev` extra) are development tools only, and without
`soffice` this script says so and leaves the committed files alone.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from etl.model import Form
from tests.synth.golden import REPO_ROOT, golden_by_source
from tests.synth.samples import sample_paths

# The department whose forms are typed up in Word; the others are built in Excel.
WORD_SOURCES = frozenset({"000_db8c161870266780.txt"})
MISSING = ("未找到LibreOffice（soffice），跳过：已提交的 data/samples/pdf_office 保持不变。"
           "安装：apt-get install libreoffice-calc libreoffice-writer")


def write_source(forms: list[Form], source: str, folder: Path) -> Path:
    """The office file for one department's forms: .docx for WORD_SOURCES, else .xlsx."""
    stem = f"{forms[0].department}_{forms[0].year}"
    if source in WORD_SOURCES:
        from tests.synth.office_docx import document
        path = folder / f"{stem}.docx"
        document(forms).save(str(path))
    else:
        from tests.synth.office_xlsx import workbook
        path = folder / f"{stem}.xlsx"
        workbook(forms).save(path)
    return path


def convert(source: Path, out_dir: Path, soffice: str) -> Path:
    """Print an office file to PDF (a private profile: no clash with a running LibreOffice)."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out_dir), str(source)], check=True, capture_output=True, timeout=300)
    return out_dir / f"{source.stem}.pdf"


def build(data_dir: Path = REPO_ROOT / "data", soffice: str | None = None) -> list[Path]:
    """Write data_dir/samples/pdf_office/<主管部门>_<year>.pdf for every department."""
    soffice = soffice or shutil.which("soffice")
    if soffice is None:
        raise FileNotFoundError(MISSING)
    written = []
    by_source = golden_by_source()
    with tempfile.TemporaryDirectory() as tmp:
        for source, path in sample_paths("office", data_dir).items():
            path.parent.mkdir(parents=True, exist_ok=True)
            made = convert(write_source(by_source[source], source, Path(tmp)), Path(tmp), soffice)
            written.append(Path(shutil.move(made, path)))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="用办公软件（LibreOffice）把标准答案记录打印成示例PDF")
    parser.add_argument("--data-dir", type=Path, default=REPO_ROOT / "data")
    args = parser.parse_args(argv)
    try:
        written = build(args.data_dir)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 0
    except ImportError as exc:
        print(f"缺少 {exc.name}：pip install -e '.[dev]'", file=sys.stderr)
        return 1
    for path in written:
        print(f"{path.stat().st_size / 1024:7.1f} KB  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
