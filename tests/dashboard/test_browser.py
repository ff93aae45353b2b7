"""The app in a real browser: `streamlit run` on a free port, driven by Debian's Chromium via Playwright.

Opens every page, applies a filter through the URL and through the sidebar, opens a project
from a chart, and checks that no exception is shown and that charts and the original page
rendered. Screenshots go to the test's temp dir.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from tests.dashboard.conftest import PDF_4

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
KEXIE = "上海市科学技术协会"
PAGES = {"overview": "/", "budget": "/budget", "scores": "/scores", "indicators": "/indicators",
         "project": f"/project?project={PDF_4}", "quality": "/quality", "download": "/download"}
WITH_CHARTS = {"overview", "budget", "scores", "indicators", "quality"}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (apt-get install chromium)"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(dash_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    env = {**os.environ, "JIXIAO_DB": str(dash_db)}
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.port",
                                 str(port), "--server.address", "127.0.0.1", "--server.headless", "true"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"streamlit did not start: {log.read_text()}")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM),
                              args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    pg = browser.new_page(viewport={"width": 1440, "height": 2400})
    yield pg
    pg.close()


BUSY = '[data-testid="stStatusWidget"], [data-testid="stSkeleton"]'


def settle(pg: object) -> None:
    """Wait until the script run has finished and every element is painted (no running
    indicator, no skeleton placeholder) for a few checks in a row."""
    pg.wait_for_selector('[data-testid="stMain"] h1', timeout=30_000)
    quiet = 0
    for _ in range(300):
        quiet = quiet + 1 if pg.locator(BUSY).count() == 0 else 0
        if quiet >= 4:
            return
        time.sleep(0.15)
    pytest.fail("the page did not finish rendering")


def no_exception(pg: object) -> None:
    assert pg.locator('[data-testid="stException"]').count() == 0, pg.locator("body").inner_text()[:2000]


def metric(pg: object, label: str) -> str:
    box = pg.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text()


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders(server: str, page: object, name: str, tmp_path: Path) -> None:
    page.goto(server + PAGES[name])
    settle(page)
    no_exception(page)
    if name in WITH_CHARTS:
        page.wait_for_selector(".js-plotly-plot .main-svg g.trace", timeout=30_000)
    if name == "project":
        page.wait_for_selector('[data-testid="stImage"] img', timeout=30_000)
        assert page.locator("table.jx-form tr.lost").count() >= 1
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)


def test_filter_through_the_url(server: str, page: object, tmp_path: Path) -> None:
    page.goto(f"{server}/budget?year=2024&dept={quote(KEXIE)}")
    settle(page)
    no_exception(page)
    assert metric(page, "全年预算数") == "131.60"
    assert "上海市科学技术协会 · 2024" in page.locator('[data-testid="stMain"]').inner_text()
    page.screenshot(path=str(tmp_path / "budget_filtered.png"), full_page=True)


def test_filter_through_the_sidebar_goes_into_the_url(server: str, page: object, tmp_path: Path) -> None:
    page.goto(server + "/")
    settle(page)
    assert metric(page, "项目数") == "18"
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    page.keyboard.type("科学技术")
    page.keyboard.press("Enter")
    page.wait_for_function("() => decodeURIComponent(location.search).includes('dept=上海市科学技术协会')",
                           timeout=30_000)
    settle(page)
    no_exception(page)
    assert metric(page, "项目数") == "5"
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="得分分布").click()  # filters hold across pages
    page.wait_for_url("**/scores**", timeout=30_000)
    settle(page)
    assert "上海市科学技术协会" in page.locator('[data-testid="stMain"]').inner_text()
    assert "dept=" in page.url
    page.screenshot(path=str(tmp_path / "scores_after_sidebar_filter.png"), full_page=True)


def test_clicking_a_project_in_a_chart_opens_it(server: str, page: object, tmp_path: Path) -> None:
    page.goto(server + "/budget")
    settle(page)
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(has_text="执行率最低的项目")
    bar = chart.locator("g.point path").first
    bar.wait_for(timeout=30_000)
    bar.click(force=True)
    page.wait_for_url("**/project?**", timeout=30_000)
    settle(page)
    no_exception(page)
    assert page.locator("h1").first.inner_text() == "外事出访、交流"  # the lowest 执行率 (77.32%)
    page.screenshot(path=str(tmp_path / "project_from_chart.png"), full_page=True)
