"""A page of the running dashboard as an A4 PDF, printed by the same Chromium the tests use.

`page_pdf(url)` runs `python -m dashboard.pdf_export URL` in a subprocess (Playwright's sync
API must not share the server's threads; a stuck browser is killed by the timeout). The
child opens the page with the print stylesheet, waits until Streamlit has finished drawing,
and writes the PDF to stdout. No Streamlit here. When the dashboard has a password
(JIXIAO_PASSWORD), the child enters it like a user.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 1000, "height": 1400}  # close to A4's printable width: charts keep their proportions
BUSY = '[data-testid="stStatusWidget"], [data-testid="stSkeleton"]'
TIMEOUT_S = 120


class PdfError(RuntimeError):
    """The PDF could not be made; the message is Chinese and safe to show."""


def settle(pg: object, timeout_s: float = 60) -> None:
    """Until the script run is over and nothing is still painting, for a few checks in a row."""
    pg.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout_s * 1000)
    quiet, end = 0, time.monotonic() + timeout_s
    while quiet < 4 and time.monotonic() < end:
        quiet = quiet + 1 if pg.locator(BUSY).count() == 0 else 0
        time.sleep(0.2)


def _login(pg: object, password: str) -> None:
    box = pg.locator('input[type="password"]')
    if box.count():
        box.first.fill(password)
        box.first.press("Enter")
        pg.wait_for_selector('[data-testid="stSidebarNav"]', timeout=30_000)


def print_to_pdf(url: str, password: str = "") -> bytes:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            pg = browser.new_page(viewport=VIEWPORT)
            pg.goto(url)
            pg.wait_for_selector('[data-testid="stMain"]', timeout=60_000)
            if password:
                _login(pg, password)
            settle(pg)
            pg.emulate_media(media="print")
            time.sleep(1.0)  # charts resize to the print layout
            return pg.pdf(format="A4", print_background=True, prefer_css_page_size=True,
                          margin={"top": "12mm", "bottom": "12mm", "left": "10mm", "right": "10mm"})
        finally:
            browser.close()


def page_pdf(url: str, timeout_s: float = TIMEOUT_S) -> bytes:
    """The PDF of `url` (a page of this dashboard on this machine)."""
    if not Path(CHROMIUM).exists():
        raise PdfError("服务器上没有安装 Chromium（/usr/bin/chromium），无法生成 PDF；请使用浏览器的打印功能。")
    try:
        done = subprocess.run([sys.executable, "-m", "dashboard.pdf_export", url], cwd=ROOT, capture_output=True,
                              timeout=timeout_s, env=os.environ.copy(), check=False)
    except subprocess.TimeoutExpired as exc:
        raise PdfError(f"生成 PDF 超时（{timeout_s:.0f} 秒），请稍后重试。") from exc
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        sys.stderr.write(done.stderr.decode("utf-8", "replace")[-4000:])  # the server log, not the user
        raise PdfError("生成 PDF 失败，请稍后重试或使用浏览器的打印功能。")
    return done.stdout


def error_pdf(message: str) -> bytes:
    """A one-page PDF saying why the page could not be printed (a download cannot show a message)."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont("STSong-Light", 12)
    c.drawString(60, A4[1] - 80, message)
    c.save()
    return out.getvalue()


def page_pdf_or_notice(url: str) -> bytes:
    """For a download button: the page's PDF, else a PDF with the reason."""
    try:
        return page_pdf(url)
    except PdfError as exc:
        return error_pdf(str(exc))


if __name__ == "__main__":
    sys.stdout.buffer.write(print_to_pdf(sys.argv[1], os.environ.get("JIXIAO_PASSWORD", "")))
