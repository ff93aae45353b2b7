"""偏差原因 themes per slice (dashboard.data.themes) on the bundled samples' database."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard.data import db, indicators, themes
from dashboard.filters import Filters
from etl.themes import assign

RETAINED = "未留存佐证资料（满意度调查、问卷等）"


@pytest.fixture(scope="module")
def con(dash_db: Path) -> duckdb.DuckDBPyConnection:
    c = db.connect(dash_db)
    yield c
    c.close()


def test_each_theme_opens_exactly_its_rows(con: duckdb.DuckDBPyConnection) -> None:
    f = Filters()
    table = themes.reason_themes(con, f)
    all_rows = db.fetch(con, indicators.problem_slice(f))
    assert table["n"].sum() == len(all_rows)
    assert all(assign(r).theme == t for r, t in zip(all_rows["deviation"], all_rows["theme"], strict=True))
    for theme, n, projects in zip(table["theme"], table["n"], table["projects"], strict=True):
        rows = db.fetch(con, indicators.problem_slice(f, theme=theme))
        assert len(rows) == n and set(rows["theme"]) == {theme}
        assert rows["report_id"].nunique() == projects
    top = table.iloc[0]
    assert top["theme"] == RETAINED and top["n"] == 10  # the 9 of the samples + the 2023 copy of 抚恤金
    assert "留存" in top["basis"]
    assert top["example"] in set(all_rows["deviation"])


def test_pre_counted_and_row_counts_agree(con: duckdb.DuckDBPyConnection) -> None:
    """A slice without a 实施单位 filter is read from mart_themes; with every unit chosen, the
    same slice is counted from its rows: the same table."""
    units = tuple(db.run(con, "SELECT DISTINCT implementing_unit FROM mart_reports")["implementing_unit"])
    for years in ((), (2024,)):
        cube = themes.reason_themes(con, Filters(years=years))
        rows = themes.reason_themes(con, Filters(years=years, units=units))
        assert not cube.empty and cube.equals(rows)


def test_the_theme_is_a_column_of_the_csv(con: duckdb.DuckDBPyConnection) -> None:
    f = Filters(departments=("中国共产党上海市委员会统一战线工作部",))
    rows = db.fetch_arrow(con, indicators.problem_slice(f))
    assert "theme" in rows.column_names and "满意度未达指标值" in rows.column("theme").to_pylist()
