"""The leader-facing behaviour of the app (AppTest): hostile links, text from the data shown
as typed, the form-kind filter, the overview's leads, department picks, printing copies of
tables, no server paths, and the upload page's password."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.views.common import plain
from etl.checks import check_form
from etl.keys import report_key
from etl.model import ParsedFile
from etl.store import Writer
from tests.dashboard.conftest import PDF_4, TEXT_7
from tests.dashboard.test_app import APP, PAGES, metrics, open_app
from tests.synth.golden import golden_by_source

HOSTILE = "![t](http://127.0.0.1:9/t.png) **粗体** =HYPERLINK(\"http://x\",\"y\") <b>b</b> :red[红]"


@pytest.mark.parametrize("page", PAGES)
def test_a_hostile_year_shows_a_notice_not_a_traceback(db_env: Path, page: str) -> None:
    at = open_app(page, year="²²²²", project="²" if page == "detail" else None)
    assert not at.exception and not at.error
    notes = " ".join(w.value for w in at.warning)
    assert "链接中的年度 ²²²² 不存在，已显示全部年度" in notes.replace("\\", "")


def test_an_unknown_year_and_a_huge_project_id_are_named(db_env: Path) -> None:
    at = open_app("detail", year="1999", project="9" * 4301)
    notes = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "链接中的年度 1999 不存在，已显示全部年度" in notes and "不是有效的报告ID" in notes
    assert metrics(open_app(year="1999"))["项目数"] == "18"


@pytest.fixture()
def hostile_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    forms = next(iter(golden_by_source().values()))
    bad = [dataclasses.replace(forms[0], project_name=HOSTILE, department=HOSTILE, implementing_unit=HOSTILE)]
    path = tmp_path / "hostile.duckdb"
    with Writer(path, rebuild=True) as w:
        w.add_files([ParsedFile(path=f"/srv/secret/{HOSTILE[:10]}.txt", sha256="h", kind="txt", pages=1,
                                forms=[check_form(f) for f in bad])])
    monkeypatch.setenv("JIXIAO_DB", str(path))
    return path


def test_names_from_the_data_are_escaped_markdown(hostile_db: Path) -> None:
    at = open_app("detail", project=str(report_key("h", "", 1)))
    assert at.title[0].value == plain(HOSTILE)  # every markdown character escaped: shown as typed
    assert "\\!\\[t\\]\\(http\\:\u2060//" in at.title[0].value  # a word joiner stops the autolink
    assert plain(HOSTILE) in at.markdown[0].value
    assert not any("/srv/secret" in c.value for c in at.caption)  # the file name only


def test_the_form_kind_filter_holds_and_lives_in_the_link(db_env: Path) -> None:
    assert metrics(open_app(kind="项目支出"))["项目数"] == "18"
    at = open_app("budget", kind="部门整体支出")
    assert any("没有项目" in i.value for i in at.info)
    assert at.button_group(key="f_kinds").value == ["部门整体支出"] and at.query_params["kind"] == "部门整体支出"


def test_the_overview_leads_with_the_worst_projects_and_changes(db_env: Path) -> None:
    at = open_app()
    bodies = " ".join(h.proto.body for h in at.get("html"))
    assert f'href="project?project={TEXT_7}"' in bodies  # 外事出访、交流, the lowest 执行率, links to its page
    assert "执行率最低" in bodies and "扣分最多" in bodies and "未达指标值仍得满分" in bodies
    assert any(s.value == "与上一年度相比" for s in at.subheader)
    assert "未留存佐证资料" in " ".join(m.value for m in at.markdown)


def test_a_department_row_sets_the_department_filter(db_env: Path) -> None:
    at = open_app()
    first = at.dataframe[0].value.iloc[0]["department"]
    at.session_state["dept_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert at.multiselect(key="f_depts").value == [first] and at.query_params["dept"] == first


def test_every_data_grid_has_a_printable_copy(db_env: Path) -> None:
    at = open_app("budget")
    printable = [h for h in at.get("html") if h.proto.body.startswith("<div class=\"jx-print-only\">")]
    assert len(printable) == len(at.dataframe)
    assert all(d in " ".join(h.proto.body for h in printable)
               for d in at.dataframe[0].value["department"])


def test_a_search_with_one_match_opens_it(db_env: Path) -> None:
    at = open_app("detail")
    at.text_input(key="detail_q").input("外事出访").run()
    assert at.title[0].value == plain("外事出访、交流") and at.query_params["project"] == str(TEXT_7)


def test_year_over_year_on_the_project_page(db_env: Path) -> None:
    at = open_app("detail", project=str(PDF_4))
    score = next(m for m in at.metric if m.label == "总分")
    assert score.delta == "+5.00 分（较2023年）"
    assert next(m for m in at.metric if m.label == "执行率").delta == "与2023年持平"  # 100% both years


def test_the_upload_page_needs_the_write_password(db_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JIXIAO_WRITE_PASSWORD", raising=False)
    at = open_app()
    with pytest.raises(Exception):  # not a page of the app without a write password
        at.switch_page("views/upload.py").run()
    monkeypatch.setenv("JIXIAO_WRITE_PASSWORD", "s3cret")
    at = open_app("upload")
    assert not at.get("file_uploader") and any("写入密码" in i.value for i in at.info)
    at.text_input[0].input("wrong")
    next(b for b in at.button if b.label == "确认").click().run()
    assert any("不正确" in e.value for e in at.error) and not at.get("file_uploader")


def test_a_password_guards_the_whole_dashboard(db_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_PASSWORD", "open sesame")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.metric and not at.dataframe
    at.text_input[0].input("open sesame")
    next(b for b in at.button if b.label == "进入").click().run()
    assert metrics(at)["项目数"] == "18"
