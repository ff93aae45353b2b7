"""偏差原因 themes (dashboard.data.themes) on the reasons of the bundled samples."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import pytest

from dashboard.data import db, indicators, themes
from dashboard.filters import Filters
from etl.checks import check_form
from tests.synth.golden import golden_by_source

RETAINED = "未留存佐证资料（满意度调查、问卷等）"


def sample_problem_reasons() -> list[str]:
    """The 偏差原因 of every indicator of the 17 sample forms that lost points or missed its target."""
    out = []
    for forms in golden_by_source().values():
        for form in forms:
            checked = check_form(form)
            out += [i.deviation for i, j in zip(checked.form.indicators, checked.judgements, strict=True)
                    if j.met is False or (i.score is not None and i.weight is not None and i.score < i.weight - 0.005)]
    return out


def test_the_sample_reasons_group_into_the_expected_themes() -> None:
    reasons = sample_problem_reasons()
    assigned = themes.assign(reasons)
    counts = Counter(assigned[r].theme for r in reasons)
    assert len(reasons) == 15
    assert counts[RETAINED] == 9  # "未留存满意度资料" and its wordings, in 9 of the 15 reasons
    assert counts["仍有提升空间、需进一步完善"] == 3
    assert counts[themes.EMPTY_THEME] == 1
    assert assigned["受众群体不同"].basis == "受众"


def test_unruled_wording_is_grouped_by_a_shared_word() -> None:
    a = themes.assign(["场地改造工期延误导致活动减少", "场地改造未按期完成", "天空很蓝"])
    assert a["场地改造未按期完成"].theme == a["场地改造工期延误导致活动减少"].theme
    assert a["场地改造未按期完成"].theme.startswith("含“") or a["场地改造未按期完成"].basis
    assert a["天空很蓝"].theme == themes.OTHER_THEME


@pytest.fixture(scope="module")
def con(dash_db: Path) -> duckdb.DuckDBPyConnection:
    c = db.connect(dash_db)
    yield c
    c.close()


def test_each_theme_opens_exactly_its_rows(con: duckdb.DuckDBPyConnection) -> None:
    f = Filters()
    table = themes.reason_themes(con, f)
    lookup = themes.lookup(con, f)
    all_rows = db.fetch(con, indicators.problem_slice(f, themes=lookup))
    assert table["n"].sum() == len(all_rows)
    for theme, n in zip(table["theme"], table["n"], strict=True):
        rows = db.fetch(con, indicators.problem_slice(f, themes=lookup, theme=theme))
        assert len(rows) == n and set(rows["theme"]) == {theme}
    top = table.iloc[0]
    assert top["theme"] == RETAINED and top["n"] == 10  # the 9 of the samples + the 2023 copy of 抚恤金
    assert "留存" in top["basis"]


def test_the_theme_is_a_column_of_the_csv(con: duckdb.DuckDBPyConnection) -> None:
    f = Filters(departments=("中国共产党上海市委员会统一战线工作部",))
    rows = db.fetch_arrow(con, indicators.problem_slice(f, themes=themes.lookup(con, f)))
    assert "theme" in rows.column_names and "满意度未达指标值" in rows.column("theme").to_pylist()
