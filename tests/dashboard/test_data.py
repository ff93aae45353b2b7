"""The data-access layer against the sample database, checked with independent pandas arithmetic
on the raw tables (not with the dashboard's own SQL)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard.data import db, indicators, project, reports, tables, themes
from dashboard.filters import Filters
from etl.store import Writer
from tests.dashboard.conftest import EARLIER, PDF_4, TEXT_4

KEXIE = "上海市科学技术协会"


@pytest.fixture(scope="module")
def con(dash_db: Path) -> duckdb.DuckDBPyConnection:
    c = db.connect(dash_db)
    yield c
    c.close()


@pytest.fixture(scope="module")
def raw(dash_db: Path) -> dict[str, pd.DataFrame]:
    """The stored tables, primary copies only, straight from the file."""
    with duckdb.connect(str(dash_db), read_only=True) as c:
        t = {name: c.execute(f"SELECT * FROM {name}").df() for name in ("reports", "funding", "indicators", "findings")}
    prim = t["reports"][t["reports"]["duplicate_of"].isna()]
    keep = set(prim["report_id"])
    return {"reports": prim, **{k: v[v["report_id"].isin(keep)] for k, v in t.items() if k != "reports"}}


def totals(raw: dict[str, pd.DataFrame], ids: set[int]) -> dict[str, float]:
    fl = raw["funding"][(raw["funding"]["line"] == "年度资金总额") & raw["funding"]["report_id"].isin(ids)]
    ind = raw["indicators"][raw["indicators"]["report_id"].isin(ids)]
    problems = ind[(ind["met"] == False) | (ind["score"] < ind["weight"] - 0.005)]  # noqa: E712
    return {"projects": len(ids), "budget": fl["full_year_budget"].sum(), "executed": fl["executed"].sum(),
            "problems": len(problems), "findings": int(raw["findings"]["report_id"].isin(ids).sum())}


def ids_of(raw: dict[str, pd.DataFrame], **where: object) -> set[int]:
    r = raw["reports"]
    for col, value in where.items():
        r = r[r[col] == value]
    return set(r["report_id"])


def test_headline_figures_equal_the_raw_totals_of_primary_copies(con, raw) -> None:
    k = reports.kpis(con, Filters()).iloc[0]
    want = totals(raw, ids_of(raw))
    assert k["projects"] == want["projects"] == 18  # 4 PDF copies of text forms are not counted twice
    assert k["budget"] == pytest.approx(want["budget"]) and k["executed"] == pytest.approx(want["executed"])
    assert k["rate"] == pytest.approx(100 * want["executed"] / want["budget"], abs=0.005)
    assert k["problem_indicators"] == want["problems"] and k["findings"] == want["findings"]
    assert k["mean_score"] == pytest.approx(raw["reports"]["total_score"].mean(), abs=0.005)


def test_filters_narrow_every_figure(con, raw) -> None:
    f = Filters(years=(2024,), departments=(KEXIE,))
    k = reports.kpis(con, f).iloc[0]
    want = totals(raw, ids_of(raw, year=2024, department=KEXIE))
    assert (k["projects"], k["problem_indicators"], k["findings"]) == (want["projects"], want["problems"],
                                                                        want["findings"]) == (4, 10, 2)
    # (10: the two 不适用 rows printed 未达成指标且效果较差 with 0/0 are not judged, so not problems)
    assert reports.kpis(con, Filters(grades=("良",))).iloc[0]["projects"] == 1
    assert reports.kpis(con, Filters(units=("上海市同舟服务中心",))).iloc[0]["projects"] == 4


def test_lowest_execution_department_of_2024(con) -> None:
    df = db.fetch(con, reports.summary_slice(Filters(years=(2024,))))
    assert df.iloc[0]["department"] == KEXIE
    assert df.iloc[0]["rate"] == pytest.approx(100 * 116.93 / 131.60, abs=0.005)
    assert list(df["rate"]) == sorted(df["rate"])


def test_no_rows_is_an_empty_result_not_an_error(con) -> None:
    f = Filters(years=(2023,), departments=("上海市欧美同学会",))
    assert reports.kpis(con, f).iloc[0]["projects"] == 0
    assert db.count(con, reports.summary_slice(f)) == 0
    assert reports.score_bins(con, f).empty and reports.rate_bins(con, f).empty


def test_values_travel_as_parameters(con) -> None:
    evil = "x') OR 1=1 --"
    assert reports.kpis(con, Filters(departments=(evil, "O'Brien"))).iloc[0]["projects"] == 0
    assert db.count(con, indicators.problem_slice(Filters(), q=evil)) == 0
    with pytest.raises(ValueError):
        tables.table_slice(Filters(), "reports", ["year", "1; DROP TABLE reports"])


def test_projects_below_a_threshold_in_ascending_order(con, raw) -> None:
    df = db.fetch(con, reports.projects_slice(Filters(), below_rate=90.0))
    fl = raw["funding"][raw["funding"]["line"] == "年度资金总额"]
    want = fl[fl["executed"] / fl["full_year_budget"] < 0.9]
    assert set(df["report_id"]) == set(want["report_id"])
    assert list(df["rate"]) == sorted(df["rate"])


def test_budget_adjustments(con) -> None:
    df = db.fetch(con, reports.adjusted_slice(Filters()))
    assert set(df["project_name"]) == {"科技工作者系列服务", "抚恤金"}
    row = df[df["project_name"] == "科技工作者系列服务"].iloc[0]
    assert (row["initial_budget"], row["budget"], row["adjustment"]) == (18.0, 38.0, 20.0)


def test_lost_points_by_category_match_the_raw_rows(con, raw) -> None:
    for f in (Filters(), Filters(units=("上海市科学技术协会学会服务中心",))):  # cube and row paths
        ids = ids_of(raw, implementing_unit=f.units[0]) if f.units else ids_of(raw)
        ind = raw["indicators"][raw["indicators"]["report_id"].isin(ids)]
        lost = (ind["weight"] - ind["score"]).clip(lower=0).groupby(ind["level2"]).sum()
        df = db.fetch(con, reports.lost_by_category_slice(f)).set_index("level2")
        assert df.loc["服务对象满意度指标", "lost"] == pytest.approx(lost["服务对象满意度指标"])
        fl = raw["funding"][(raw["funding"]["line"] == "年度资金总额") & raw["funding"]["report_id"].isin(ids)]
        assert df.loc["预算执行率", "lost"] == pytest.approx((fl["weight"] - fl["score"]).sum())


def test_problem_indicators_search_and_categories(con, raw) -> None:
    all_rows = db.fetch(con, indicators.problem_slice(Filters()))
    assert len(all_rows) == totals(raw, ids_of(raw))["problems"]
    hits = db.fetch(con, indicators.problem_slice(Filters(), q="存档"))
    assert len(hits) > 0 and all("存档" in (d or "") + n for d, n in zip(hits["deviation"], hits["name"], strict=True))
    only = db.fetch(con, indicators.problem_slice(Filters(), level1=("效益指标",)))
    assert set(only["level1"]) == {"效益指标"} and len(only) < len(all_rows)
    counts = indicators.problem_counts(con, Filters())
    assert counts["n"].sum() == len(all_rows)
    # Summed from the cube, or (a 实施单位 chosen) counted from the rows: the rows' own figures.
    for f in (Filters(), Filters(units=tuple(raw["reports"]["implementing_unit"].dropna().unique()))):
        got = indicators.problem_counts(con, f).set_index(["level1", "level2"]).sort_index()
        rows = db.fetch(con, indicators.problem_slice(f))
        want = rows.groupby(["level1", "level2"]).agg(
            n=("row_no", "size"), missed=("met", lambda m: int((m == "未达标").sum())),
            lost=("lost", lambda x: round(x.clip(lower=0).sum(), 2))).sort_index()
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
        assert set(map(tuple, indicators.category_options(con, f).values)) == set(want.index)
    full_marks = db.fetch(con, indicators.indicator_findings_slice(Filters()))
    assert list(full_marks["code"]) == ["missed_target_full_score"] and full_marks.iloc[0]["name"] == "展厅访客满意度"


def test_pages_of_a_slice_are_its_rows_in_order(con) -> None:
    for table, spec in tables.DOWNLOAD_TABLES.items():
        s = tables.table_slice(Filters(years=(2024,)), table, list(spec.columns))
        full = db.fetch(con, s)
        assert db.count(con, s) == len(full) > 0
        page = db.fetch(con, s, 7, 5)
        pd.testing.assert_frame_equal(page, full.iloc[5:12].reset_index(drop=True), check_dtype=False)
        assert not any(c.startswith("_") for c in full.columns)
        # The download reads every key at once and sorts in Arrow: the same rows in the same order.
        pd.testing.assert_frame_equal(db.fetch_arrow(con, s).to_pandas(), full, check_dtype=False)


def test_project_lists_page_by_their_keys_in_the_list_order(con) -> None:
    """A page is picked by the sort keys before the rows are read: the same rows as cutting the whole list."""
    for s in (reports.projects_slice(Filters()), reports.projects_slice(Filters(), order="score"),
              reports.projects_slice(Filters(), below_rate=95.0), reports.adjusted_slice(Filters())):
        full = db.fetch(con, s)
        assert db.count(con, s) == len(full) > 2
        for offset in (0, 1, len(full) - 1):
            pd.testing.assert_frame_equal(db.fetch(con, s, 2, offset),
                                          full.iloc[offset:offset + 2].reset_index(drop=True), check_dtype=False)


def test_downloaded_goal_texts_are_the_stored_ones(con, raw) -> None:
    s = tables.table_slice(Filters(departments=(KEXIE,)), "reports", ["report_id", "goal_expected", "goal_actual"])
    got = db.fetch_arrow(con, s).to_pandas()
    want = raw["reports"][raw["reports"]["department"] == KEXIE].sort_values("report_id")
    assert len(got) == len(want) > 1 and list(got["report_id"]) == list(want["report_id"])
    assert list(got["goal_expected"]) == list(want["goal_expected"]) and got["goal_actual"].str.len().min() > 0


def test_project_detail_resolves_duplicates_and_other_years(con) -> None:
    assert project.primary_id(con, TEXT_4) == PDF_4  # the text copy points at the PDF copy
    assert project.primary_id(con, 999) is None
    other = db.fetch(con, project.other_years_slice(PDF_4))
    assert list(other["year"]) == [2023] and other.iloc[0]["grade"] == "良"
    ind = project.indicators(con, PDF_4)
    assert ind["page"].eq(4).all() and ind["span_top"].notna().all()
    assert not project.cells(con, PDF_4).empty
    found = project.search(con, Filters(), "抚恤")
    assert set(found["report_id"]) == {PDF_4, EARLIER}


def test_database_is_read_only_and_a_published_change_is_seen(dash_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(dash_db, copy)
    before = db.store_signature(copy)
    c = db.connect(copy)
    with pytest.raises(duckdb.Error):
        c.execute("DELETE FROM reports")
    c.close()
    with Writer(copy) as w:  # an ingest: writes a delta and renames a new manifest into place
        w.remove_path("data/variants/text/科协_2023.txt")
    assert db.store_signature(copy) != before
    c = db.connect(copy)
    assert reports.kpis(c, Filters()).iloc[0]["projects"] == 17
    c.close()
    assert db.store_signature(tmp_path / "missing.duckdb") is None


def test_schema_problems_name_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    with duckdb.connect(str(path)) as c:
        c.execute("CREATE TABLE reports (report_id BIGINT)")
    c = db.connect(path)
    problems = db.schema_problems(c)
    c.close()
    assert "缺少数据表 files" in problems and any(p.startswith("数据表 reports 缺少列") for p in problems)


@pytest.mark.parametrize("years", [(), (2024,)])
def test_finding_counts_equal_the_raw_findings_with_and_without_a_unit_filter(con, raw, years) -> None:
    """Without a 实施单位 filter the counts are summed from mart_finding_counts; with every unit
    chosen they are counted from the slice's rows: both equal pandas on the raw findings."""
    ids = set(raw["reports"][raw["reports"]["year"].isin(years or raw["reports"]["year"])]["report_id"])
    found = raw["findings"][raw["findings"]["report_id"].isin(ids)]
    want = found.groupby("code").agg(n=("report_id", "size"), projects=("report_id", "nunique"))
    units = tuple(raw["reports"]["implementing_unit"].dropna().unique())
    for f in (Filters(years=years), Filters(years=years, units=units)):
        got = indicators.finding_counts(con, f).set_index("code")[["n", "projects"]]
        assert not got.empty
        pd.testing.assert_frame_equal(got.sort_index(), want.sort_index(), check_dtype=False, check_names=False)


def test_a_form_kind_filter_narrows_every_mart_alike(con, raw) -> None:
    """The samples hold 项目支出 forms only: that kind keeps every row, another kind none."""
    present = set(raw["reports"]["form_kind"])
    for kinds, ids in ((tuple(present), ids_of(raw)), (("部门整体支出",), set())):
        assert "部门整体支出" not in present
        f, want = Filters(kinds=kinds), totals(raw, ids)
        assert len(db.fetch(con, indicators.problem_slice(f))) == want["problems"]
        assert int(indicators.finding_counts(con, f)["n"].sum()) == want["findings"]
        assert int(themes.reason_themes(con, f)["n"].sum()) == want["problems"]
        assert int(indicators.problem_counts(con, f)["n"].sum()) == want["problems"]
        assert db.count(con, indicators.findings_slice(f)) == want["findings"]
