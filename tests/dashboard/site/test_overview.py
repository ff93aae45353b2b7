"""Overview pages of several 主管部门 fetched together (overview.Bulk) equal the pages fetched one by one."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.data import db
from dashboard.filters import Filters
from dashboard.site import overview, paths


@pytest.fixture(scope="module")
def con(dash_db: Path):
    c = db.connect(dash_db)
    yield c
    c.close()


def _context(con, scope: overview.Scope, bulk: overview.Bulk | None) -> tuple[dict, dict[str, bytes]]:
    files: dict[str, bytes] = {}
    ctx = overview.context(con, scope, files.__setitem__, bulk)
    return ctx, files


def test_bulk_pages_equal_pages_fetched_one_by_one(con) -> None:
    pairs = db.run(con, "SELECT DISTINCT year, department FROM mart_reports WHERE year IS NOT NULL ORDER BY 1, 2")
    departments = tuple(sorted(set(pairs["department"])))
    assert len(departments) > 1 and len(set(pairs["year"])) > 1
    bulk = overview.Bulk.fetch(con, (), departments)
    compared = 0
    for year, dept in zip(pairs["year"], pairs["department"], strict=True):
        scope = overview.Scope(paths.dept_page(dept, year), f"{dept} · {year}年度",
                               Filters(years=(int(year),), departments=(dept,)), detail=True)
        assert bulk.part(scope) is not None
        one, one_files = _context(con, scope, None)
        many, many_files = _context(con, scope, bulk)
        assert many == one  # headline, grades, figures and tables
        assert many_files == one_files and len(one_files) == 4  # the CSV files, byte for byte
        compared += 1
    assert compared == len(pairs)
    # Anything but one 主管部门 in one year is fetched on its own.
    dept_page = overview.Scope(paths.dept_page(departments[0]), departments[0], Filters(departments=departments[:1]))
    assert bulk.part(dept_page) is None
    year_page = overview.Scope(paths.year_page(2024), "2024年度", Filters(years=(2024,)), detail=True)
    assert bulk.part(year_page) is None
