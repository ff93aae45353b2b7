"""Best copy wins; election and marts kept up to date per change equal a full rebuild."""

from __future__ import annotations

import copy
from pathlib import Path

import duckdb
import pytest

from etl.checks import check_form
from etl.compact import fold
from etl.derived import Changes, refresh
from etl.marts import MARTS
from etl.model import Form, ParsedFile
from etl.segments import copy_store
from etl.store import Writer, connect_readonly
from tests.synth.golden import golden_by_source

SOURCE = "002_ad0082497000d1dc.txt"  # 上海市科学技术协会, 4 forms
DERIVED = ["SELECT report_id, duplicate_of, copies, copy_choice FROM reports",
           "SELECT * FROM findings WHERE code = 'duplicate_mismatch'", *(f"SELECT * FROM {m}" for m in MARTS)]


def parsed(path: str, forms: list[Form], sha: str, kind: str = "txt") -> ParsedFile:
    return ParsedFile(path=path, sha256=sha, kind=kind, pages=3, forms=[check_form(f) for f in forms])


@pytest.fixture(scope="module")
def forms() -> list[Form]:
    return golden_by_source()[SOURCE]


def garbage(forms: list[Form]) -> list[Form]:
    """A copy read badly: numbers lost, gaps recorded (as a PDF with broken glyphs would be)."""
    out = copy.deepcopy(forms)
    for f in out:
        f.gaps = ["未能读取：年度资金总额"]
        for line in f.funding:
            line.full_year_budget = line.executed = 1.0
    return out


def derived(db: Path) -> list[list[tuple]]:
    with connect_readonly(db) as con:
        return [con.execute(f"{sql} ORDER BY ALL").fetchall() for sql in DERIVED]


def rebuilt(db: Path, tmp: Path) -> list[list[tuple]]:
    """The derived state recomputed from scratch on a copy of the store, folded into one file."""
    copy_store(db, tmp)
    fold(tmp)
    con = duckdb.connect(str(tmp))
    refresh(con, Changes(full=True))
    con.close()
    return derived(tmp)


def test_a_garbage_copy_never_outranks_a_good_one(tmp_path: Path, forms: list[Form]) -> None:
    db = tmp_path / "j.duckdb"
    with Writer(db) as w:  # the garbage PDF sorts first and is a PDF: it used to win
        w.add_files([parsed("/a/0.pdf", garbage(forms), "g", "pdf"), parsed("/a/1.txt", forms, "t"),
                     parsed("/a/2.pdf", forms, "p", "pdf")])
    with connect_readonly(db) as con:
        shown = con.execute("SELECT source_path, copies, copy_choice, budget FROM mart_reports ORDER BY ALL").fetchall()
    assert [s[0] for s in shown] == ["/a/2.pdf"] * 4  # good, and a PDF: beats the good text copy
    assert all(s[1] == 3 and s[2].startswith("共 3 份来源，显示此份（PDF，解析缺项 0 处") for s in shown)
    assert sorted(s[3] for s in shown) == sorted(f.funding_line("年度资金总额").full_year_budget for f in forms)
    with Writer(db) as w:
        w.remove_path("/a/2.pdf")
    with connect_readonly(db) as con:
        assert {r[0] for r in con.execute("SELECT source_path FROM mart_reports").fetchall()} == {"/a/1.txt"}


def test_incremental_equals_full(tmp_path: Path, forms: list[Form]) -> None:
    db, other = tmp_path / "j.duckdb", golden_by_source()
    altered = copy.deepcopy(forms)
    altered[1].indicators[0].score = 1.0
    altered[2].department = "另一个主管部门"  # moves a form to another cube slice
    steps = [
        lambda w: w.add_files([parsed(f"/t/{s}", f, s) for s, f in other.items()]),
        lambda w: w.add_files([parsed("/p/a.pdf", forms, "pa", "pdf")]),
        lambda w: w.add_files([parsed("/p/g.pdf", garbage(forms), "pg", "pdf")]),
        lambda w: w.add_files([parsed("/p/a.pdf", altered, "pa2", "pdf")]),  # replaced
        lambda w: w.remove_path(f"/t/{SOURCE}"),
        lambda w: w.remove_path("/p/g.pdf"),
    ]
    for step in steps:
        with Writer(db) as w:
            step(w)
            assert not w.changes.full
        assert derived(db) == rebuilt(db, tmp_path / "full.duckdb")
