"""A project's years (etl/years.py): each form's link to its project's previous year, kept right
by every load, replacement and removal, in deltas as in a whole write."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from etl.model import Form, ParsedFile
from etl.store import Writer, connect_readonly
from tests.etl.exports import export
from tests.etl.test_segments import parsed, whole
from tests.synth.golden import golden_by_source

SOURCE = "002_ad0082497000d1dc.txt"  # 4 forms of 2024


@pytest.fixture(scope="module")
def forms() -> list[Form]:
    return golden_by_source()[SOURCE]


def as_year(forms: list[Form], year: int, score: float) -> list[Form]:
    out = copy.deepcopy(forms)
    for f in out:
        f.year = year
        f.total_score = score
    return out


def links(db: Path) -> dict[tuple[str, int], tuple[int | None, float | None]]:
    """(project, year) -> (previous year, its total score)."""
    with connect_readonly(db) as con:
        rows = con.execute("SELECT project_name, year, prev_year, prev_score FROM mart_reports").fetchall()
    return {(name, year): (prev_year, prev_score) for name, year, prev_year, prev_score in rows}


def load(db: Path, files: list[ParsedFile] = (), remove: str = "") -> None:
    with Writer(db) as w:
        if remove:
            w.remove_path(remove)
        w.add_files(files)


def test_links_follow_every_change(tmp_path: Path, forms: list[Form]) -> None:
    db, name = tmp_path / "j.duckdb", forms[0].project_name
    files = {y: parsed(f"/t/{y}.txt", as_year(forms, y, 80.0 + y - 2020), str(y)) for y in (2022, 2023, 2024)}
    load(db, [files[2024]])  # the base
    assert links(db)[(name, 2024)] == (None, None)
    load(db, [files[2022]])  # a delta: an earlier year appears
    assert links(db)[(name, 2024)] == (2022, 82.0)
    load(db, [files[2023]])  # a later earlier year: it becomes the link
    got = links(db)
    assert got[(name, 2024)] == (2023, 83.0) and got[(name, 2023)] == (2022, 82.0) and got[(name, 2022)] == (None, None)
    changed = parsed("/t/2023.txt", as_year(forms, 2023, 60.0), "2023b")  # replaced: its score changes
    load(db, [changed])
    assert links(db)[(name, 2024)] == (2023, 60.0)
    assert export(db) == whole(tmp_path / "whole.duckdb", {p.path: p for p in (files[2022], changed, files[2024])})
    load(db, remove="/t/2023.txt")
    assert links(db)[(name, 2024)] == (2022, 82.0)
    assert export(db) == whole(tmp_path / "whole2.duckdb", {p.path: p for p in (files[2022], files[2024])})


def test_a_printed_code_links_renamed_projects_and_names_link_uncoded_ones(tmp_path: Path, forms: list[Form]) -> None:
    db = tmp_path / "j.duckdb"
    old, new = as_year(forms[:3], 2023, 70.0), as_year(forms[:3], 2024, 90.0)
    old[0].project_code = new[0].project_code = "31000021T000000123"
    new[0].project_name = "改名后的项目"  # the same code: the same project under a new name
    old[1].project_code = "31000021T000000999"  # one side coded, the other not: the names decide
    old[2].project_code, new[2].project_code = "A-1", "A-2"  # two codes: two projects, whatever the names
    load(db, [parsed("/t/2024.txt", new, "n")])
    load(db, [parsed("/t/2023.txt", old, "o")])
    got = links(db)
    assert got[("改名后的项目", 2024)] == (2023, 70.0)
    assert got[(forms[1].project_name, 2024)] == (2023, 70.0)
    assert got[(forms[2].project_name, 2024)] == (None, None)


def test_a_delta_relinks_through_a_code_the_new_form_does_not_print(tmp_path: Path, forms: list[Form]) -> None:
    """F (2024, code C) pairs with the new uncoded X (2021) by its names and with G (2022, code C,
    other names) by the code. Re-linking F needs G, which shares nothing with X: the delta must
    pull the other years of X's other years."""
    db = tmp_path / "j.duckdb"
    g, f = as_year(forms[:1], 2022, 70.0), as_year(forms[:1], 2024, 90.0)
    x = as_year(forms[:1], 2021, 50.0)
    g[0].project_code = f[0].project_code = "31000021T000000777"
    g[0].project_name = "旧名称的项目"
    load(db, [parsed("/t/g.txt", g, "g"), parsed("/t/f.txt", f, "f")])  # the base
    load(db, [parsed("/t/x.txt", x, "x")])  # a delta
    assert links(db)[(forms[0].project_name, 2024)] == (2022, 70.0)
    files = [parsed("/t/g.txt", g, "g"), parsed("/t/f.txt", f, "f"), parsed("/t/x.txt", x, "x")]
    assert export(db) == whole(tmp_path / "whole.duckdb", {p.path: p for p in files})
