"""The golden forms as the source files departments send: `python -m tests.synth.source_files`.

data/samples/xlsx/  one workbook per department: one sheet per form (tests.synth.office_xlsx);
                    for the second department all forms stacked on one sheet, with a
                    hidden row of draft text above each form and a hidden notes column;
                    the third has a hidden sheet too. 执行率 is a fraction formatted `0.00%`.
data/samples/html/  one page per department (tests.synth.html_form): UTF-8 with
                    `<meta charset>`, GB18030 without any charset declaration, and GB18030
                    declared as gb2312.
data/samples/docx/  one Word document per department (tests.synth.office_docx).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from etl.model import Form
from tests.synth.chromium_pdf import STYLES
from tests.synth.cli import run_builder
from tests.synth.golden import REPO_ROOT, golden_by_source, golden_forms
from tests.synth.html_form import page_html
from tests.synth.office_docx import document
from tests.synth.office_xlsx import workbook

# Sample folders beside the PDF layouts of tests.synth.samples: each holds another copy of the 17 forms.
SAMPLE_FOLDERS = ("chromium", "chromium_radicals", "xlsx", "html", "docx")
# Text in hidden rows and columns: a reader that shows it would break the forms.
HIDDEN_ROW = "项目名称：（草稿，勿用）"
HIDDEN_NOTE = "内部备注：分值 99"
# (charset declared in <meta>, encoding of the bytes) per department, in golden order.
HTML_ENCODINGS = (("utf-8", "utf-8"), (None, "gb18030"), ("gb2312", "gb18030"))


def _copy_sheet(src: Worksheet, dst: Worksheet, offset: int) -> int:
    """Copy values, number formats and merges of `src` into `dst` from row offset + 1;
    returns the last row written."""
    for row in src.iter_rows():
        for cell in row:
            if cell.value is not None:
                out = dst.cell(row=cell.row + offset, column=cell.column, value=cell.value)
                out.number_format = cell.number_format
                out.data_type = cell.data_type  # `=1.00(个)` stays text, not a formula
    for rng in src.merged_cells.ranges:
        dst.merge_cells(start_row=rng.min_row + offset, start_column=rng.min_col,
                        end_row=rng.max_row + offset, end_column=rng.max_col)
    return src.max_row + offset


def stacked_workbook(forms: list[Form]) -> Workbook:
    """All forms one below the other on one sheet, with hidden draft rows and a hidden column."""
    per_form = workbook(forms)
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    last = 0
    for src in per_form.worksheets:
        ws.cell(row=last + 1, column=1, value=HIDDEN_ROW)
        ws.row_dimensions[last + 1].hidden = True
        last = _copy_sheet(src, ws, last + 1) + 1  # a blank row between forms
    notes = ws.max_column + 1
    for r in range(1, last, 7):
        ws.cell(row=r, column=notes, value=HIDDEN_NOTE)
    ws.column_dimensions[ws.cell(row=1, column=notes).column_letter].hidden = True
    return wb


def with_hidden_sheet(forms: list[Form]) -> Workbook:
    wb = workbook(forms)
    hidden = wb.create_sheet("填表说明")
    hidden["A1"] = HIDDEN_ROW
    hidden.sheet_state = "hidden"
    return wb


XLSX_BUILDERS = (workbook, stacked_workbook, with_hidden_sheet)


def stem(forms: list[Form]) -> str:
    return f"{forms[0].department}_{forms[0].year}"


def build(data_dir: Path = REPO_ROOT / "data") -> list[Path]:
    written = []
    samples = data_dir / "samples"
    for folder in ("xlsx", "html", "docx"):
        (samples / folder).mkdir(parents=True, exist_ok=True)
    for k, forms in enumerate(golden_by_source().values()):
        xlsx = samples / "xlsx" / f"{stem(forms)}.xlsx"
        XLSX_BUILDERS[k % 3](forms).save(xlsx)
        meta, encoding = HTML_ENCODINGS[k % 3]
        html = samples / "html" / f"{stem(forms)}.html"
        html.write_bytes(page_html(forms, STYLES[k % 3], charset=meta).encode(encoding))
        docx = samples / "docx" / f"{stem(forms)}.docx"
        document(forms).save(str(docx))
        written += [xlsx, html, docx]
    return written


def paths(kind: str, data_dir: Path = REPO_ROOT / "data") -> dict[str, Path]:
    """Golden source -> its sample file of `kind` (xlsx, html, docx)."""
    return {src: data_dir / "samples" / kind / f"{stem(forms)}.{kind}" for src, forms in golden_by_source().items()}


def make_xls(target: Path) -> Path:
    """The first golden form as Excel 97-2003, converted by LibreOffice (committed as tests/etl/readers/data/one_form.xls)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "one_form.xlsx"
        workbook(golden_forms()[:1]).save(src)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to",
                        "xls", "--outdir", tmp, str(src)], check=True, capture_output=True, timeout=300)
        return Path(shutil.move(Path(tmp) / "one_form.xls", target))


def main(argv: list[str] | None = None) -> None:
    run_builder("生成示例源文件（.xlsx/.html/.docx，由标准答案记录生成）", build, argv)


if __name__ == "__main__":
    main()
