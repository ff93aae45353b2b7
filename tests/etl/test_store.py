"""The store: replacing a file's records, duplicate copies, and the atomic swap."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from etl.checks import check_form
from etl.model import Form, ParsedFile
from etl.store import REPORT_TABLES, Writer, connect_readonly
from etl.swap import leftovers, remove_leftovers
from tests.synth.golden import golden_by_source

SOURCE = "002_ad0082497000d1dc.txt"  # 上海市科学技术协会, 4 forms


def parsed(path: str, forms: list[Form], sha: str = "a", kind: str = "txt") -> ParsedFile:
    return ParsedFile(path=path, sha256=sha, kind=kind, pages=3, forms=[check_form(f) for f in forms])


def counts(db: Path) -> dict[str, int]:
    with connect_readonly(db) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("files", "reports", *REPORT_TABLES)}


@pytest.fixture()
def forms() -> list[Form]:
    return golden_by_source()[SOURCE]


def test_load_and_replace_a_changed_file(tmp_path: Path, forms: list[Form]) -> None:
    db = tmp_path / "j.duckdb"
    with Writer(db) as w:
        w.add_files([parsed("a.txt", forms)])
    first = counts(db)
    assert first["reports"] == 4 and first["indicators"] == sum(len(f.indicators) for f in forms)
    changed = copy.deepcopy(forms[:3])
    changed[0].project_name = "科技社团党建工作（修订）"
    with Writer(db) as w:
        w.add_files([parsed("a.txt", changed, sha="b")])
    with connect_readonly(db) as con:
        assert con.execute("SELECT sha256 FROM files").fetchall() == [("b",)]
        names = [r[0] for r in con.execute("SELECT project_name FROM reports ORDER BY form_index").fetchall()]
        assert names[0] == "科技社团党建工作（修订）" and len(names) == 3
        # No orphans: every report-keyed row belongs to a live report.
        for table in REPORT_TABLES:
            orphans = con.execute(f"SELECT count(*) FROM {table} WHERE report_id NOT IN "
                                  "(SELECT report_id FROM reports)").fetchone()[0]
            assert orphans == 0, table


def test_error_file_is_recorded(tmp_path: Path) -> None:
    db = tmp_path / "j.duckdb"
    with Writer(db) as w:
        w.add_files([ParsedFile(path="bad.pdf", sha256="x", kind="pdf", error="扫描件，无文本层，无法解析")])
    with connect_readonly(db) as con:
        assert con.execute("SELECT status, error, n_reports FROM files").fetchall() == \
            [("error", "扫描件，无文本层，无法解析", 0)]


def test_copies_of_a_form_in_two_files(tmp_path: Path, forms: list[Form]) -> None:
    db = tmp_path / "j.duckdb"
    altered = copy.deepcopy(forms)
    altered[1].indicators[0].score = 1.0
    with Writer(db) as w:
        w.add_files([parsed("seed.txt", forms, sha="t"), parsed("seed.pdf", altered, sha="p", kind="pdf")])
    with connect_readonly(db) as con:
        primaries = con.execute("SELECT f.kind, count(*) FROM reports r JOIN files f USING (file_id) "
                                "WHERE duplicate_of IS NULL GROUP BY 1 ORDER BY 1").fetchall()
        # The PDF copy is primary (it can show its page) unless its arithmetic does not close
        # and the text copy's does: the altered form is shown from the text (etl/primaries.py).
        assert primaries == [("pdf", 3), ("txt", 1)]
        mismatch = con.execute("SELECT r.project_name, f.message FROM findings f JOIN reports r USING (report_id) "
                               "WHERE code = 'duplicate_mismatch'").fetchall()
        assert [m[0] for m in mismatch] == [forms[1].project_name] and "seed.pdf" in mismatch[0][1]
    with Writer(db) as w:  # the PDF copy goes away: the text copy becomes primary again
        w.remove_path("seed.pdf")
    with connect_readonly(db) as con:
        assert con.execute("SELECT count(*) FROM reports WHERE duplicate_of IS NULL").fetchone()[0] == 4
        assert con.execute("SELECT count(*) FROM findings WHERE code = 'duplicate_mismatch'").fetchone()[0] == 0


def test_failed_load_leaves_the_live_database_untouched(tmp_path: Path, forms: list[Form]) -> None:
    db = tmp_path / "j.duckdb"
    with Writer(db) as w:
        w.add_files([parsed("a.txt", forms)])
    before = counts(db)
    with pytest.raises(RuntimeError), Writer(db) as w:
        w.add_files([parsed("b.txt", forms, sha="b")])
        raise RuntimeError("crash mid-ingest")
    assert counts(db) == before
    assert [p.name for p in tmp_path.iterdir()] == ["j.duckdb"]  # no temp files left behind


# A separate reader process, as dashboard sessions are: open, query, close in a loop and
# print every (reports, indicators) snapshot seen and every error. A plain subprocess, not
# multiprocessing: spawn would re-run whatever module another test left as __main__.
READER = """
import json, sys, duckdb
from etl.store import connect_readonly
seen, errors = set(), []
for _ in range(int(sys.argv[2])):
    try:
        with connect_readonly(sys.argv[1]) as con:
            seen.add(con.execute("SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM indicators)").fetchone())
    except Exception as exc:
        errors.append(repr(exc))
print(json.dumps({"seen": sorted(seen), "errors": errors}))
"""


def test_readers_never_see_a_half_written_database(tmp_path: Path, forms: list[Form]) -> None:
    db = tmp_path / "j.duckdb"
    per_file = (len(forms), sum(len(f.indicators) for f in forms))
    with Writer(db) as w:
        w.add_files([parsed("f0.txt", forms, sha="0")])
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db), "300"], stdout=subprocess.PIPE, text=True)
    for i in range(1, 8):
        with Writer(db) as w:
            w.add_files([parsed(f"f{i}.txt", forms, sha=str(i))])
    out, _ = reader.communicate(timeout=120)
    result = json.loads(out)
    assert not result["errors"]
    # Every snapshot a reader saw is a whole number of loaded files, never a partial load.
    assert result["seen"] and all(r % per_file[0] == 0 and i * per_file[0] == r * per_file[1]
                                  for r, i in result["seen"]), result["seen"]


def test_only_copies_of_dead_runs_are_leftovers(tmp_path: Path) -> None:
    db = tmp_path / "j.duckdb"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    dead_pid = int(dead.stdout)
    mine = tmp_path / f".j.duckdb.{os.getpid()}.abc123.tmp"  # a live run's copy: kept
    stale = [tmp_path / f".j.duckdb.{dead_pid}.x_y9.tmp", tmp_path / f".j.duckdb.{dead_pid}.x_y9.tmp.wal"]
    other_db = tmp_path / f".other.duckdb.{dead_pid}.abc.tmp"  # another database's: not ours to judge
    for p in (mine, *stale, other_db):
        p.write_bytes(b"x")
    assert remove_leftovers(db) == sorted(stale)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, other_db.name])


def test_a_writer_names_its_copy_after_its_process(tmp_path: Path) -> None:
    w = Writer(tmp_path / "j.duckdb")
    try:
        assert w.tmp_path.name.startswith(f".j.duckdb.{os.getpid()}.") and w.tmp_path.suffix == ".tmp"
        assert leftovers(tmp_path / "j.duckdb") == []  # ours, alive
    finally:
        w.discard()
    assert list(tmp_path.iterdir()) == []
