"""Chart builders: real frames from the sample database in, figures that carry the right data out."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import charts
from dashboard.data import db, indicators, reports
from dashboard.filters import Filters
from tests.dashboard.conftest import EARLIER, PDF_2, PDF_4


@pytest.fixture(scope="module")
def con(dash_db: Path):
    c = db.connect(dash_db)
    yield c
    c.close()


def test_project_charts_carry_report_ids_for_clicks(con) -> None:
    low = db.fetch(con, reports.projects_slice(Filters(), below_rate=90.0), 25, 0)
    fig = charts.project_bars(low, "rate", "执行率最低", ref=90.0)
    assert list(fig.data[0].customdata) == list(low["report_id"])
    assert list(fig.data[0].x) == list(low["rate"])
    dots = charts.project_bars(db.fetch(con, reports.projects_slice(Filters(), order="score"), 20, 0),
                               "total_score", "总分最低", unit="分", zero_based=False)
    assert dots.data[0].type == "scatter" and dots.layout.xaxis.range[0] > 0  # scores not drawn from zero
    adjusted = db.fetch(con, reports.adjusted_slice(Filters()))
    adj = charts.budget_adjustments(adjusted)
    assert {int(i) for t in adj.data if t.customdata is not None for i in t.customdata} == \
        set(adjusted["report_id"]) == {PDF_2, PDF_4, EARLIER}


def test_same_named_projects_keep_separate_bars() -> None:
    assert charts.unique_labels(["抚恤金（2024）", "抚恤金（2024）", "其他"], [1, 2, 3]) == \
        ["抚恤金（2024） #1", "抚恤金（2024） #2", "其他"]


def test_score_histogram_marks_the_grade_bands(con) -> None:
    fig = charts.score_histogram(reports.score_bins(con, Filters()))
    names = {a.text for a in fig.layout.annotations}
    assert {"优", "良"} <= names  # scores run from 88 to 100 here
    assert sum(fig.data[0].y) == reports.kpis(con, Filters()).iloc[0]["projects"]


def test_department_charts(con) -> None:
    summary = db.fetch(con, reports.summary_slice(Filters()))
    fig = charts.department_budget(summary)
    assert [t.name for t in fig.data] == ["全年预算数", "全年执行数"]
    assert sum(fig.data[0].x) == pytest.approx(summary["budget"].sum())
    boxes = charts.department_boxes(reports.department_scores(con, Filters()))
    assert len(boxes.data[0].median) == 3
    heat = charts.lost_heatmap(reports.lost_by_department(con, Filters()))
    assert "预算执行" in list(heat.data[0].x)


def test_year_comparison_and_rates(con) -> None:
    by_year = db.fetch(con, reports.summary_slice(Filters(), "year")).sort_values("year")
    fig = charts.year_comparison(by_year)
    assert list(fig.data[0].x) == ["2023", "2024"]
    lines = charts.year_department_rates(db.fetch(con, reports.summary_slice(Filters(), "year_department")), 2)
    assert len(lines.data) == 2 and "最低的 2 个" in lines.layout.title.text


def test_category_and_finding_charts(con) -> None:
    counts = indicators.problem_counts(con, Filters())
    fig = charts.category_counts(counts)
    assert sum(fig.data[0].x) + sum(fig.data[1].x) == counts["n"].sum()
    codes = charts.finding_codes(indicators.finding_counts(con, Filters()))
    assert "执行率被截断（非四舍五入）" in list(codes.data[0].y)
    rates = charts.rate_histogram(reports.rate_bins(con, Filters()), 90.0)
    assert sum(rates.data[0].y) == 18
