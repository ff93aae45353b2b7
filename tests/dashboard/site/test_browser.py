"""The static site in Debian's Chromium, offline, from file:// URLs: index -> a 主管部门 -> one of
its years -> a project, charts drawn, the search box filters, no console error and no request
leaving file://. Screenshots go to the test's temp dir."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
from tests.dashboard.test_browser import CHROMIUM, browser  # noqa: E402, F401 - the same Chromium fixture

KEXIE = "上海市科学技术协会"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (apt-get install chromium)"),
]


@pytest.fixture()
def visit(browser: object) -> Iterator[tuple[object, list[str], list[str]]]:
    """A page in an offline context, with the console errors and every requested URL."""
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    context.on("request", lambda r: requests.append(r.url))
    yield pg, errors, requests
    context.close()


def charts_drawn(pg: object) -> None:
    figures = pg.locator("script.jx-fig").count()
    assert figures >= 3
    pg.wait_for_function(f"() => document.querySelectorAll('.jx-chart .main-svg g.trace').length >= {figures}",
                         timeout=30_000)


def test_index_to_department_to_project(site: Path, visit: tuple, tmp_path: Path) -> None:
    pg, errors, requests = visit
    pg.goto((site / "index.html").as_uri())
    charts_drawn(pg)
    pg.screenshot(path=str(tmp_path / "index.png"), full_page=True)
    pg.locator("section.links a", has_text=KEXIE).click()
    pg.wait_for_load_state()
    assert pg.locator("h1").inner_text() == KEXIE
    charts_drawn(pg)
    pg.screenshot(path=str(tmp_path / "department.png"), full_page=True)
    pg.locator("section.links a", has_text="2024年度").click()
    pg.wait_for_load_state()
    assert pg.locator("h1").inner_text() == f"{KEXIE} · 2024年度"
    charts_drawn(pg)
    pg.locator("table.data a", has_text="抚恤金").first.click()
    pg.wait_for_load_state()
    assert pg.locator("h1").inner_text() == "抚恤金"
    assert pg.locator("table.jx-form tr.lost").count() >= 1
    pg.wait_for_function("() => [...document.images].length > 0 && [...document.images].every(i => i.naturalWidth > 0)",
                         timeout=30_000)
    pg.screenshot(path=str(tmp_path / "project.png"), full_page=True)
    pg.set_viewport_size({"width": 390, "height": 844})  # a phone: wide tables scroll, the page does not
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    pg.screenshot(path=str(tmp_path / "project_phone.png"), full_page=True)
    assert errors == []
    outside = [u for u in requests if not u.startswith("file://")]
    assert requests and not outside, outside


def test_search_box_filters(site: Path, visit: tuple, tmp_path: Path) -> None:
    pg, errors, requests = visit
    pg.goto((site / "search.html").as_uri())
    rows = pg.locator("#jx-results tbody tr")
    pg.wait_for_function("() => document.querySelectorAll('#jx-results tbody tr').length > 0")
    total = rows.count()
    assert total == len(list((site / "project").rglob("*.html")))
    pg.locator("#jx-q").fill("抚恤")
    assert rows.count() == 2 and all("抚恤" in t for t in rows.locator("td:first-child").all_inner_texts())
    pg.locator("#jx-year").select_option("2023")
    assert rows.count() == 1
    pg.screenshot(path=str(tmp_path / "search.png"), full_page=True)
    rows.first.locator("a").click()
    pg.wait_for_load_state()
    assert pg.locator("h1").inner_text() == "抚恤金" and "2023年度" in pg.locator("p.meta").inner_text()
    assert errors == [] and all(u.startswith("file://") for u in requests)
