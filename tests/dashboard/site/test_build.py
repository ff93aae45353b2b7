"""The generated files: one page per primary form, links that resolve, CSV = database slice,
escaping, determinism, and the rules for replacing --out."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd
import pytest

from dashboard import export
from dashboard.data import db, indicators, reports
from dashboard.filters import Filters
from dashboard.site import paths
from dashboard.site.build import MARKER, SiteError, build
from etl import cli
from tests.dashboard.site.conftest import FORMULA_NAME, SCRIPT_NAME, STAMP

MAX_PAGE = 300_000


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v for k, v in attrs if k in ("href", "src") and v]


@pytest.fixture(scope="module")
def con(dash_db: Path):
    c = db.connect(dash_db)
    yield c
    c.close()


def html_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def test_every_primary_form_has_exactly_one_page(site: Path, con) -> None:
    primary = db.run(con, "SELECT report_id, year FROM reports WHERE duplicate_of IS NULL")
    duplicates = db.run(con, "SELECT report_id FROM reports WHERE duplicate_of IS NOT NULL")["report_id"]
    pages = [p for p in (site / "project").rglob("*.html")]
    assert sorted(int(p.stem) for p in pages) == sorted(primary["report_id"])  # each once, no duplicates
    assert not set(duplicates) & {int(p.stem) for p in pages}
    for rid, year in zip(primary["report_id"], primary["year"], strict=True):
        assert (site / paths.project_page(year, rid)).is_file()


def test_every_local_link_and_image_resolves_and_nothing_points_outside(site: Path) -> None:
    checked = 0
    for page in html_files(site):
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.urls:
            parts = urlsplit(url)
            assert not parts.scheme and not parts.netloc, f"{page.name}: external URL {url}"
            if not parts.path:
                continue  # an anchor on the same page
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{page.relative_to(site)} -> {url}"
            assert target.is_relative_to(site.resolve())
            checked += 1
    assert checked > 200
    images = list((site / "project").rglob("*.png"))
    assert images and all(i.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for i in images)  # the PDF's pages, marked


def test_pages_stay_small_and_plotly_is_written_once(site: Path) -> None:
    assert max(p.stat().st_size for p in html_files(site)) < MAX_PAGE
    assert max(p.stat().st_size for p in (site / "static").glob("search-*.js")) < MAX_PAGE
    assert [p.name for p in site.rglob("plotly*.js")] == ["plotly.min.js"]
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'src="static/plotly.min.js"' in index and "cdn" not in index.lower()


def test_each_csv_equals_its_database_slice(site: Path, con) -> None:
    slices = {"未达标指标": indicators.problem_slice, "问题清单": indicators.findings_slice,
              "项目": reports.projects_slice, "各主管部门汇总": lambda f: reports.summary_slice(f, "department")}
    pairs = db.run(con, "SELECT DISTINCT year, department FROM mart_reports ORDER BY 1, 2")
    scopes = [(paths.year_page(y), Filters(years=(int(y),))) for y in sorted(set(pairs["year"]))]
    scopes += [(paths.dept_page(d, y), Filters(years=(int(y),), departments=(d,)))
               for y, d in zip(pairs["year"], pairs["department"], strict=True)]
    found = 0
    for page, f in scopes:
        for what, make in slices.items():
            path = site / paths.csv_path(page, export.file_name(what, f))
            data = path.read_bytes()
            assert data.startswith(export.BOM.encode("utf-8"))
            assert data == export.csv_bytes(db.fetch_arrow(con, make(f)))
            found += 1
    assert found == len(list(site.rglob("*.csv")))
    # and independently of the dashboard's queries: the 2024 problem rows of primary forms
    year = site / paths.csv_path(paths.year_page(2024), export.file_name("未达标指标", Filters(years=(2024,))))
    rows = pd.read_csv(io.BytesIO(year.read_bytes()), encoding="utf-8-sig")
    expected = db.run(con, """SELECT count(*) AS n FROM indicators i JOIN reports r USING (report_id)
        WHERE r.duplicate_of IS NULL AND r.year = 2024 AND (i.met IS FALSE OR i.score < i.weight - 0.005)""")
    assert len(rows) == int(expected["n"].iloc[0]) > 0


def test_markup_and_formulas_in_names_stay_text(hostile_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(hostile_db, out, progress=False, images=False)
    pages = {p: p.read_text(encoding="utf-8") for p in html_files(out)}
    assert not any("<script>alert" in text for text in pages.values())
    shown = [p for p, text in pages.items() if "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;项目" in text]
    assert any(p.parent.parent.name == "project" for p in shown)  # the project page's title, as text
    csvs = [p.read_text(encoding="utf-8-sig") for p in out.rglob("项目_*.csv")]
    assert csvs and all("'" + FORMULA_NAME.replace('"', '""') in c or FORMULA_NAME not in c for c in csvs)
    assert any("'=cmd" in c for c in csvs) and not any(re.search(r"(^|,)=cmd", c, re.M) for c in csvs)
    index = "".join(p.read_text(encoding="utf-8") for p in (out / "static").glob("search-*.js"))
    assert SCRIPT_NAME.replace('"', '\\"') in index  # a JSON string, shown with textContent by site.js


def test_same_database_same_bytes_except_the_stamp(site: Path, dash_db: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build(dash_db, again, progress=False, stamp="另一个时间", workers=2)  # pages shared out to two processes
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    differ = [p for p in first if first[p] != second[p]]
    assert differ == [Path("index.html")]
    assert first[differ[0]].replace(STAMP.encode(), b"") == second[differ[0]].replace("另一个时间".encode(), b"")


def test_out_is_replaced_only_when_it_is_a_previous_site(dash_db: Path, tmp_path: Path, capsys) -> None:
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "报告.docx").write_bytes(b"keep me")
    with pytest.raises(SiteError, match="拒绝覆盖"):
        build(dash_db, foreign, progress=False, images=False)
    assert cli.main(["site", "--db", str(dash_db), "--out", str(foreign), "--quiet"]) == 2
    assert "拒绝覆盖" in capsys.readouterr().err
    assert [p.name for p in foreign.iterdir()] == ["报告.docx"]
    out = tmp_path / "site"
    build(dash_db, out, progress=False, images=False, year=2023)
    (out / "stale.html").write_text("old")
    with pytest.raises(SiteError, match="找不到数据库"):
        build(tmp_path / "missing.duckdb", out, progress=False)
    (tmp_path / "broken.duckdb").write_text("不是数据库")
    with pytest.raises(SiteError, match="无法打开数据库"):
        build(tmp_path / "broken.duckdb", out, progress=False)
    assert (out / "stale.html").exists() and (out / MARKER).exists()  # a failed build leaves the old site
    build(dash_db, out, progress=False, images=False, department="上海市欧美同学会")
    assert not (out / "stale.html").exists()
    assert {p.parent.name for p in (out / "project").rglob("*.html")} == {"2024"}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary folder left
