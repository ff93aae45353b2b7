"""Every page of the app through Streamlit's AppTest, on the sample database."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from dashboard.data.db import BUILD_COMMAND
from dashboard.export import BOM
from tests.dashboard.conftest import EARLIER, PDF_4, TEXT_1, TEXT_4

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
PAGES = ["overview", "budget", "scores", "indicators", "detail", "quality", "download"]
KEXIE = "上海市科学技术协会"


def open_app(page: str | None = None, project: str | None = None, **params: str | list[str]) -> AppTest:
    """The app as a browser opening a link: filter params on the first run, then the page."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(params)
    at.run()
    if page:
        at.switch_page(f"views/{page}.py")
    if project:
        at.query_params["project"] = project
    if page or project:
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def row_counts(at: AppTest) -> list[int]:
    """The "共 N 行" notes under the tables, in page order."""
    return [int(m.group(1).replace(",", "")) for c in at.caption if (m := re.match(r"共 ([\d,]+) 行", c.value))]


@pytest.fixture()
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], bytes]]:
    """file name -> the callable a download button would run on click."""
    seen: dict[str, Callable[[], bytes]] = {}
    original = MediaFileManager.add_deferred

    def capture(self, data_callable, mimetype, coordinates, file_name=None, **kw):  # noqa: ANN001
        seen[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", capture)
    return seen


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_content(db_env: Path, page: str) -> None:
    at = open_app(page, project=str(PDF_4) if page == "detail" else None)
    assert not at.error
    assert at.title and at.title[0].value
    assert at.dataframe or at.metric


def test_headline_numbers_equal_the_sql_totals(db_env: Path) -> None:
    with duckdb.connect(str(db_env), read_only=True) as c:
        n, budget, executed, mean = c.execute("""
            SELECT count(*), sum(f.full_year_budget), sum(f.executed), avg(r.total_score)
            FROM reports r JOIN funding f ON f.report_id = r.report_id AND f.line = '年度资金总额'
            WHERE r.duplicate_of IS NULL""").fetchone()
        findings = c.execute("SELECT count(*) FROM findings JOIN reports USING (report_id) "
                             "WHERE duplicate_of IS NULL").fetchone()[0]
    m = metrics(open_app())
    assert m["项目数"] == str(n)
    assert m["全年预算数（万元）"] == f"{budget:,.2f}" and m["全年执行数（万元）"] == f"{executed:,.2f}"
    assert m["总体执行率"] == f"{100 * executed / budget:,.2f}%" and m["平均总分"] == f"{mean:,.2f}"
    assert m["发现的问题"] == str(findings) and m["评分「良」"] == "1"


def test_a_sidebar_filter_changes_rows_and_the_url(db_env: Path) -> None:
    at = open_app()
    assert row_counts(at)[0] == 3  # three departments
    at.multiselect(key="f_depts").set_value([KEXIE]).run()
    assert metrics(at)["项目数"] == "5"  # 4 forms of 2024 and the 2023 copy
    assert row_counts(at)[0] == 1
    assert at.query_params["dept"] == KEXIE
    at.button_group(key="f_years").set_value([2024]).run()
    assert metrics(at)["项目数"] == "4" and at.query_params["year"] == "2024"
    at.button[0].click().run()  # 重置筛选
    assert metrics(at)["项目数"] == "18" and "dept" not in at.query_params


def test_a_link_with_filters_reopens_the_view(db_env: Path) -> None:
    at = open_app("budget", year="2024", dept=KEXIE)
    assert at.multiselect(key="f_depts").value == [KEXIE]
    assert at.button_group(key="f_years").value == [2024]
    assert metrics(at)["全年预算数（万元）"] == "131.60"
    assert "上海市科学技术协会 · 2024" in " ".join(c.value for c in at.caption)


def test_unknown_filter_values_in_a_link_are_ignored(db_env: Path) -> None:
    at = open_app(year=["2024", "abc"], dept=["已撤销的部门"], grade="A")
    assert metrics(at)["项目数"] == "13"


def test_a_filter_with_no_rows_shows_an_empty_state(db_env: Path) -> None:
    for page in ("overview", "budget", "scores", "indicators"):
        at = open_app(page, year="2023", dept="上海市欧美同学会")
        assert not at.error and any("没有项目" in i.value for i in at.info)


def test_a_project_link_opens_that_project(db_env: Path) -> None:
    at = open_app("detail", project=str(PDF_4))
    assert at.title[0].value == "抚恤金"
    assert "上海市科学技术协会" in at.markdown[0].value
    assert metrics(at)["总分"] == "93.00" and metrics(at)["执行率"] == "100.00%"
    assert at.get("image"), "the original PDF page is shown"
    assert "死者家属满意度" in at.get("html")[0].proto.body
    other = at.dataframe[-1].value
    assert list(other["year"]) == [2023]


def test_a_link_to_the_text_copy_shows_the_primary(db_env: Path) -> None:
    at = open_app("detail", project=str(TEXT_4))
    assert at.title[0].value == "抚恤金"
    assert any("另一份来源" in i.value for i in at.info)


def test_a_text_source_says_so(db_env: Path) -> None:
    at = open_app("detail", project=str(TEXT_1))  # a golden text source; not on disk in the test tree
    notes = [w.value for w in at.warning] + [i.value for i in at.info]
    assert any("原始文件已不在原处" in n or "文本文件" in n for n in notes)


def test_detail_without_a_project_offers_the_picker(db_env: Path) -> None:
    at = open_app("detail")
    assert any("请在上方搜索并选择" in i.value for i in at.info)
    at.selectbox[0].set_value(EARLIER).run()
    assert at.title[0].value == "抚恤金" and at.query_params["project"] == str(EARLIER)


def test_selecting_a_table_row_opens_its_project(db_env: Path) -> None:
    at = open_app("budget")
    first = at.dataframe[1].value.iloc[0]  # 执行率低于 90% 的项目, lowest first
    at.session_state["low_rate_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert at.title[0].value == first["project_name"]
    assert at.query_params["project"] == str(first["report_id"])


def test_indicator_search_narrows_the_list(db_env: Path) -> None:
    at = open_app("indicators")
    before = row_counts(at)[0]
    at.text_input(key="ind_q").input("存档").run()
    after = row_counts(at)[0]
    assert 0 < after < before
    assert all("存档" in d for d in at.dataframe[0].value["deviation"])


def test_quality_page_lists_failed_files_and_findings(db_env: Path) -> None:
    at = open_app("quality")
    files = at.dataframe[0].value
    assert files.iloc[0]["status"] == "失败" and "未识别到绩效自评表" in files.iloc[0]["error"]
    assert metrics(at)["失败"] == "1"
    assert "未达指标值仍得满分" in set(at.dataframe[1].value["code_label"])


def test_download_page_applies_the_filters(db_env: Path) -> None:
    at = open_app("download", dept=KEXIE)
    at.radio(key="dl_table").set_value("indicators").run()
    with duckdb.connect(str(db_env), read_only=True) as c:
        want = c.execute("SELECT count(*) FROM indicators JOIN reports USING (report_id) "
                         "WHERE duplicate_of IS NULL AND department = ?", [KEXIE]).fetchone()[0]
    assert metrics(at)["行数"] == str(want)


def test_downloads_are_excel_safe_and_named_after_the_slice(db_env: Path, downloads: dict) -> None:
    open_app("indicators", year="2024", dept=KEXIE)
    data = downloads["未达标指标_上海市科学技术协会_2024.csv"]()
    assert data.startswith(BOM.encode("utf-8"))
    df = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    with duckdb.connect(str(db_env), read_only=True) as c:
        want = c.execute("SELECT count(*) FROM indicators JOIN reports USING (report_id) WHERE duplicate_of IS NULL "
                         "AND department = ? AND year = 2024 AND (met IS FALSE OR score < weight - 0.005)",
                         [KEXIE]).fetchone()[0]
    assert len(df) == want > 0 and "偏差原因分析及改进措施" in df.columns
    assert pd.api.types.is_numeric_dtype(df["得分"])

    downloads.clear()
    open_app("indicators")
    text = downloads["未达标指标_全部.csv"]().decode("utf-8-sig")
    assert ",\"'=95%\"," in text  # 部门人员满意度: 实际完成值 printed as =95%
    assert not re.search(r'(^|,)"?[=+@]', text, re.M)  # no cell starts a formula


def test_a_missing_database_shows_the_command_that_builds_it(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_DB", str(tmp_path / "none.duckdb"))
    at = open_app()
    assert "还没有数据库" in at.error[0].value
    assert at.code[0].value == BUILD_COMMAND


def test_a_database_without_the_schema_says_what_is_missing(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    monkeypatch.setenv("JIXIAO_DB", str(path))
    at = open_app()
    assert "缺少数据表 reports" in at.error[0].value


def test_a_link_to_a_project_that_is_gone_says_so(db_env: Path) -> None:
    at = open_app("detail", project="999")
    assert any("不在当前数据库中" in w.value for w in at.warning)
    assert at.title[0].value == "项目详情"
