"""Layout "chromium": the golden forms as web pages printed to PDF by Chromium
(Playwright `page.pdf()`, the Debian /usr/bin/chromium): `python -m tests.synth.chromium_pdf`.

Each department gets its own column widths and CJK font (Noto Serif, Noto Sans, AR PL UMing),
and a second copy has radical look-alikes in its text and other faces (WenQuanYi Zen Hei,
Noto Serif, Noto Sans): `chromium_radicals`.
Chromium centres a merged category cell's wrapped text vertically, so its lines fall in
different row bands, and lets rows and merged cells break across pages. The PDFs are
committed (data/samples/chromium*); without chromium this script says so and stops.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from etl.model import Form
from tests.synth.golden import REPO_ROOT, golden_by_source
from tests.synth.html_form import WebStyle, page_html

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
MISSING = "未找到Chromium（/usr/bin/chromium）或Playwright，跳过：已提交的示例PDF保持不变。"
# One style per department, in golden source order; the radicals copy reuses them.
STYLES: tuple[WebStyle, ...] = (
    WebStyle("narrow", "serif", 10.0),
    WebStyle("medium", "sans", 9.5),
    WebStyle("wide", "uming", 10.5, landscape=True),
)
FOLDERS = {"chromium": False, "chromium_radicals": True}
RADICAL_FONTS = ("wqy", "serif", "sans")  # the look-alike copy in other faces


def available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return Path(CHROMIUM).is_file()


def print_pages(jobs: list[tuple[str, Path]]) -> list[Path]:
    """Print each (html, pdf path) with one browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            for html, path in jobs:
                page.set_content(html, wait_until="load")
                page.pdf(path=str(path), prefer_css_page_size=True, print_background=True)
        finally:
            browser.close()
    return [path for _, path in jobs]


def render(forms: list[Form], path: Path, style: WebStyle) -> Path:
    return print_pages([(page_html(forms, style), path)])[0]


def sample_paths(folder: str, data_dir: Path = REPO_ROOT / "data") -> dict[str, Path]:
    """Seed source -> its PDF in data/samples/<folder> (`<主管部门>_<year>.pdf`)."""
    return {src: data_dir / "samples" / folder / f"{forms[0].department}_{forms[0].year}.pdf"
            for src, forms in golden_by_source().items()}


def build(data_dir: Path = REPO_ROOT / "data") -> list[Path]:
    by_source = golden_by_source()
    jobs = []
    for folder, radicals in FOLDERS.items():
        for style, (src, path) in zip(STYLES, sample_paths(folder, data_dir).items(), strict=True):
            path.parent.mkdir(parents=True, exist_ok=True)
            font = RADICAL_FONTS[len(jobs) % len(STYLES)] if radicals else style.font
            style = WebStyle(style.grid, font, style.size, radicals, style.landscape)
            jobs.append((page_html(by_source[src], style), path))
    return print_pages(jobs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="用Chromium把标准答案记录的网页表格打印成示例PDF")
    parser.add_argument("--data-dir", type=Path, default=REPO_ROOT / "data")
    args = parser.parse_args(argv)
    if not available() or shutil.which(CHROMIUM) is None:
        print(MISSING, file=sys.stderr)
        return 0
    for path in build(args.data_dir):
        print(f"{path.stat().st_size / 1024:7.1f} KB  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
