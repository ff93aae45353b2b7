"""Sites built from the dashboard's test database (tests/dashboard/conftest.py), once per session."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from dashboard.site.build import build
from etl.checks import check_form
from etl.model import ParsedFile
from etl.store import Writer
from tests.synth.golden import golden_by_source

STAMP = "2026-01-01 00:00:00 测试"
SCRIPT_NAME = '<script>alert("x")</script>项目'
FORMULA_NAME = "=cmd|' /C calc'!A0"


@pytest.fixture(scope="session")
def site(dash_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the test database with page images (one of its files is a real PDF)."""
    out = tmp_path_factory.mktemp("site") / "site"
    build(dash_db, out, progress=False, stamp=STAMP)
    return out


@pytest.fixture(scope="session")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The golden forms of one file, two of them renamed to markup and to a spreadsheet formula."""
    name, forms = next(iter(golden_by_source().items()))
    forms = [dataclasses.replace(forms[0], project_name=SCRIPT_NAME),
             dataclasses.replace(forms[1], project_name=FORMULA_NAME), *forms[2:]]
    path = tmp_path_factory.mktemp("hostile") / "jixiao.duckdb"
    with Writer(path, rebuild=True) as w:
        w.add_files([ParsedFile(path=f"data/variants/text/{name}", sha256=name, kind="txt", pages=len(forms),
                                forms=[check_form(f) for f in forms])])
    return path
