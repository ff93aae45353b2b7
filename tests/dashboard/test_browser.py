"""The app in a real browser: `streamlit run` on a free port, driven by Debian's Chromium via Playwright.

Opens every page at 1280 px and 390 px with the network cut (nothing may leave 127.0.0.1) and
no sideways overflow, applies a filter through the URL and through the sidebar, opens a project
from a chart, prints 预算执行 to PDF, opens a hostile link and a database of hostile names, and
checks that no exception is shown and that charts and the original page rendered.
Screenshots go to the test's temp dir.
"""

from __future__ import annotations

import dataclasses
import io
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

from etl.keys import report_key
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


def serve(db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    env = {**os.environ, "JIXIAO_DB": str(db)}
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
def server(dash_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(dash_db, tmp_path_factory)


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


def offline_page(browser: object, width: int) -> tuple[object, list[str]]:
    """A page whose requests to anywhere but 127.0.0.1 are cut (and recorded)."""
    pg = browser.new_page(viewport={"width": width, "height": 900})
    left: list[str] = []

    def route(r: object) -> None:
        if r.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            r.continue_()
        else:
            left.append(r.request.url)
            r.abort()

    pg.route("**/*", route)
    return pg, left


OVERFLOW = """() => [...document.querySelectorAll('[data-testid="stMain"], [data-testid="stMainBlockContainer"]')]
                 .map(e => [e.scrollWidth, e.clientWidth])"""


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


@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_renders_offline_without_sideways_overflow(server: str, browser: object, width: int,
                                                              tmp_path: Path) -> None:
    for name, path in PAGES.items():
        pg, left = offline_page(browser, width)
        pg.goto(server + path)
        settle(pg)
        no_exception(pg)
        if name in WITH_CHARTS and width > 400:
            pg.wait_for_selector(".js-plotly-plot .main-svg g.trace", timeout=30_000)
        if name == "project" and width > 400:
            pg.wait_for_selector('[data-testid="stImage"] img', timeout=30_000)
            assert pg.locator("table.jx-form tr.lost").count() >= 1
        for scroll, client in pg.evaluate(OVERFLOW):
            assert scroll <= client, (name, width, scroll, client)
        assert left == [], left  # nothing fetched from outside (icons, fonts, images)
        pg.screenshot(path=str(tmp_path / f"{name}_{width}.png"))
        pg.close()


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


def test_a_printed_budget_page_has_every_department_and_no_sidebar(server: str, page: object,
                                                                    dash_db: Path) -> None:
    import duckdb
    import pdfplumber

    page.goto(server + "/budget")
    settle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg g.trace", timeout=30_000)
    pdf = page.pdf(format="A4")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "".join((p.extract_text() or "") for p in doc.pages).replace("\n", "").replace(" ", "")
        assert doc.pages[0].width < 600  # A4 portrait (595 pt)
    with duckdb.connect(str(dash_db), read_only=True) as c:
        depts = [d for (d,) in c.execute("SELECT DISTINCT department FROM reports WHERE duplicate_of IS NULL").fetchall()]
    assert all(d in text for d in depts), [d for d in depts if d not in text]
    assert "预算执行" in text and "重置筛选" not in text and "筛选条件保存在网址中" not in text  # no sidebar


def test_a_hostile_link_shows_the_notice(server: str, page: object) -> None:
    page.goto(server + "/budget?year=%C2%B2%C2%B2%C2%B2%C2%B2&project=" + "9" * 4301)
    settle(page)
    no_exception(page)
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "链接中的年度 ²²²² 不存在，已显示全部年度" in main and "Traceback" not in main


HOSTILE = "![t](http://127.0.0.1:9/t.png) **粗体** <img src=http://127.0.0.1:9/x.png>"
JOINER = "\u2060"  # invisible; keeps a URL in a name from being turned into a link


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from etl.checks import check_form
    from etl.model import ParsedFile
    from etl.store import Writer
    from tests.synth.golden import golden_by_source

    form = next(iter(golden_by_source().values()))[0]
    path = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    with Writer(path, rebuild=True) as w:
        w.add_files([ParsedFile(path="/srv/x/h.txt", sha256="h", kind="txt", pages=1, forms=[check_form(
            dataclasses.replace(form, project_name=HOSTILE, department=HOSTILE))])])
    yield from serve(path, tmp_path_factory)


def test_names_from_the_data_render_as_text(hostile_server: str, browser: object) -> None:
    for path in (f"/project?project={report_key('h', '', 1)}", "/budget"):
        pg, _ = offline_page(browser, 1280)
        asked: list[str] = []
        pg.on("request", lambda r: asked.append(r.url))
        pg.goto(hostile_server + path)
        settle(pg)
        no_exception(pg)
        main = pg.locator('[data-testid="stMain"]')
        if path.startswith("/project"):
            assert pg.locator("h1").first.inner_text().replace(JOINER, "") == HOSTILE  # shown as typed
        rendered = main.evaluate("""m => [...m.querySelectorAll('strong, b, img, a')].filter(e =>
            e.textContent.trim() === '粗体' || (e.src || e.href || '').includes('127.0.0.1:9'))
            .map(e => e.outerHTML.slice(0, 200))""")
        assert rendered == []  # no bold from `**粗体**`, no image or link from the name
        if path.startswith("/project"):
            assert HOSTILE in main.inner_text().replace(JOINER, "")
        assert not [u for u in asked if ":9/" in u]  # the image was never fetched
        pg.close()
