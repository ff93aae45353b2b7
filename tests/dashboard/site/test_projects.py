"""The project pages' batched queries give what the dashboard's per-project queries give."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from dashboard.data import db, project
from dashboard.site import projects
from etl.checks import check_form
from etl.model import ParsedFile
from etl.store import Writer
from tests.synth.golden import golden_by_source


@pytest.fixture(scope="module")
def years_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One file's golden forms in three years, with every way two forms can be the same project:
    the same printed code, a code on one side only, no code on either side (then by 主管部门 +
    实施单位 + 项目名称), and the same names under different codes (not the same project)."""
    name, forms = next(iter(golden_by_source().items()))
    codes = {2022: ["A1", "", "", "C3"], 2023: ["A1", "B2", "", "C4"], 2024: ["", "B2", "", "C5"]}
    files = []
    for year, year_codes in codes.items():
        renamed = [dataclasses.replace(f, year=year, project_code=year_codes[i] if i < len(year_codes) else "")
                   for i, f in enumerate(forms)]
        files.append(ParsedFile(path=f"data/{year}/{name}", sha256=f"{name}{year}", kind="txt", pages=len(forms),
                                forms=[check_form(f) for f in renamed]))
    path = tmp_path_factory.mktemp("years") / "jixiao.duckdb"
    with Writer(path, rebuild=True) as w:
        w.add_files(files)
    return path


def test_other_years_read_through_arrow_equal_the_dashboards_rows(years_db: Path) -> None:
    with db.connect(years_db) as con:
        ids = [int(i) for i in db.run(con, "SELECT report_id FROM reports WHERE duplicate_of IS NULL")["report_id"]]
        fast = projects._by_project(con, project.other_years_slice(ids))
        plain = project.by_project(con, project.other_years_slice(ids))
        names = db.run(con, "SELECT report_id, project_name FROM reports")
    assert fast == plain
    name_of = dict(zip(names["report_id"], names["project_name"], strict=True))
    matched: dict[str, int] = {}
    for rid, rows in plain.items():
        matched[name_of[rid]] = matched.get(name_of[rid], 0) + len(rows)
    # Each year's form finds the two others: by code (A1, B2), by names when one side has no code.
    assert matched["缴纳残疾人就业保障费"] == matched["政治引领"] == matched["组织建设"] == 6
    assert "队伍建设" not in matched  # the same names under three different codes
