"""Small Chromium-printed regression cases for merged category cells.

- `three_bands`: a 二级指标 cell spanning four short rows whose five wrapped lines
  (`服务` / `对象` / `满意` / `度指` / `标`) are centred across at least three row bands;
- `page_cut`: the same kind of cell placed so that the page break falls inside its
  text: some of its lines are printed at the foot of one page, the rest at the top of
  the next. The page break position is measured in the browser (the printable height
  of an A4 page) and a spacer above the form moves the cell onto it.

`python -m tests.synth.chromium_cases` writes both to tests/etl/readers/data/.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from etl.model import Form, Indicator
from tests.synth.chromium_pdf import ARGS, CHROMIUM, MISSING, available
from tests.synth.golden import REPO_ROOT, golden_forms
from tests.synth.html_form import WebStyle, page_html

OUT_DIR = REPO_ROOT / "tests" / "etl" / "readers" / "data"
STYLE = WebStyle("tight", "serif", 10.0)  # 二级指标 two ideographs wide: five lines
CATEGORY = "服务对象满意度指标"
PAGE_PX = (297 - 24) / 25.4 * 96  # printable A4 height at 12 mm margins, CSS pixels
WIDTH_PX = round((210 - 24) / 25.4 * 96)


def case_form(rows: int = 4) -> Form:
    """The first golden form with its 满意度 block grown to `rows` short rows."""
    base = golden_forms()[0]
    last = base.indicators[-1]
    extra = [replace(last, row_no=last.row_no + k, name=f"满意度{k + 1}", level2=CATEGORY)
             for k in range(rows)]
    inds: list[Indicator] = base.indicators[:-1] + extra
    return replace(base, indicators=inds)


def _category_middle(page, html: str) -> float:  # noqa: ANN001 - a Playwright page
    """Vertical middle (CSS px from the top of the content) of the merged category's text."""
    page.set_viewport_size({"width": WIDTH_PX, "height": 1200})
    page.set_content(html, wait_until="load")
    return page.evaluate("""(word) => {
        const td = [...document.querySelectorAll('td')].find(t => t.textContent === word);
        const r = document.createRange(); r.selectNodeContents(td);
        const b = r.getBoundingClientRect(); return (b.top + b.bottom) / 2 + window.scrollY; }""", CATEGORY)


def build(out_dir: Path = OUT_DIR) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    form = case_form()
    html = page_html([form], STYLE)
    made = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            page.set_content(html, wait_until="load")
            page.pdf(path=str(out_dir / "three_bands.pdf"), prefer_css_page_size=True)
            made.append(out_dir / "three_bands.pdf")
            spacer = PAGE_PX - _category_middle(page, html)
            cut = html.replace("<body>", f'<body><div style="height:{spacer:.1f}px"></div>')
            page.set_content(cut, wait_until="load")
            page.pdf(path=str(out_dir / "page_cut.pdf"), prefer_css_page_size=True)
            made.append(out_dir / "page_cut.pdf")
        finally:
            browser.close()
    return made


if __name__ == "__main__":
    if not available():
        print(MISSING, file=sys.stderr)
        sys.exit(0)
    for path in build():
        print(f"{path.stat().st_size / 1024:7.1f} KB  {path}")
