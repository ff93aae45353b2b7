"""Stable keys: same inputs give the same keys in any order and after --rebuild; old links resolve."""

from __future__ import annotations

import copy
from pathlib import Path

import duckdb
import pytest

from dashboard.data import links
from etl import keys
from etl.checks import check_form
from etl.model import Form, ParsedFile
from etl.store import REPORT_TABLES, Writer, connect_readonly
from tests.etl.exports import export
from tests.synth.golden import golden_by_source

KEY_COLUMNS = "SELECT f.path, r.form_index, f.file_id, r.report_id, r.form_key FROM reports r JOIN files f USING (file_id)"


def parsed(path: str, forms: list[Form], sha: str, kind: str = "txt") -> ParsedFile:
    return ParsedFile(path=path, sha256=sha, kind=kind, pages=3, forms=[check_form(f) for f in forms])


@pytest.fixture(scope="module")
def files() -> list[ParsedFile]:
    """The golden forms as three text files, a PDF copy of one, and an unreadable file."""
    out = [parsed(f"/d/{src}", forms, sha=f"sha-{i}") for i, (src, forms) in enumerate(golden_by_source().items())]
    out.append(parsed("/d/copy.pdf", [copy.deepcopy(c.form) for c in out[0].forms],
                      sha="sha-pdf", kind="pdf"))
    out.append(ParsedFile(path="/d/scan.pdf", sha256="sha-scan", kind="pdf", error="扫描件，无文本层，无法解析"))
    return out


def test_key_hash_and_norm() -> None:
    assert keys.key_hash("a", 1) == keys.key_hash("a", 1) != keys.key_hash("a1")
    assert 0 <= keys.key_hash("x") < 1 << keys.KEY_BITS <= 2**53
    assert keys.norm("项⽬ 名称\n（一）") == keys.norm("项目名称(一)")  # Kangxi radical, space, full-width
    assert keys.form_identity(2024, "部门", "单位", "项目", None) == keys.name_identity(2024, "部门", "单位", "项目")
    assert keys.form_identity(2024, "部门", "单位", "项目", " 11-T001 ")[0] == "code"
    assert keys.form_identity(None, "部门", "单位", "项目", None) is None
    assert keys.form_keys(7, None, "部门", "单位", "项目", None) == (7, 7)  # no identity: keyed by the row


def test_same_keys_in_any_order_and_after_rebuild(tmp_path: Path, files: list[ParsedFile]) -> None:
    one, other = tmp_path / "one.duckdb", tmp_path / "other.duckdb"
    with Writer(one) as w:
        w.add_files(files)
    for pf in reversed(files):  # one file per run, in the opposite order
        with Writer(other) as w:
            w.add_files([pf])
    assert export(one) == export(other)
    with connect_readonly(one) as con:
        before = con.execute(KEY_COLUMNS + " ORDER BY ALL").fetchall()
    with Writer(one, rebuild=True) as w:
        w.add_files(files[::-1])
    with connect_readonly(one) as con:
        assert con.execute(KEY_COLUMNS + " ORDER BY ALL").fetchall() == before


def _make_schema2(db: Path) -> dict[int, str]:
    """Turn a database into what schema 2 stored (sequential ids, no key columns); old id -> project."""
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE r2 AS SELECT * EXCLUDE (form_key, name_key, copies, copy_choice) FROM reports")
    con.execute("CREATE TABLE f2 AS SELECT * FROM files")
    for table in ("reports", "files"):  # without their keys' indexes, so ids can be rewritten
        con.execute(f"DROP TABLE {table}")
        con.execute(f"ALTER TABLE {table[0]}2 RENAME TO {table}")
    con.execute("DROP TABLE report_aliases")
    con.execute("DELETE FROM meta WHERE key IN ('base_id', 'generation')")  # schema 2 had one file, no deltas
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.execute("CREATE TEMP TABLE fm AS SELECT file_id AS old, row_number() OVER (ORDER BY path) AS new FROM files")
    con.execute("CREATE TEMP TABLE rm AS SELECT report_id AS old, fm.new * 10000 + form_index AS new "
                "FROM reports JOIN fm ON file_id = fm.old")
    for table in ("reports", *REPORT_TABLES):
        con.execute(f"UPDATE {table} SET report_id = rm.new FROM rm WHERE {table}.report_id = rm.old")
    for table in ("reports", "files"):
        con.execute(f"UPDATE {table} SET file_id = fm.new FROM fm WHERE {table}.file_id = fm.old")
    old = dict(con.execute("SELECT report_id, project_name FROM reports WHERE duplicate_of IS NULL").fetchall())
    con.close()
    return old


def test_schema2_links_survive_upgrade_and_rebuild(tmp_path: Path, files: list[ParsedFile]) -> None:
    db = tmp_path / "j.duckdb"
    with Writer(db) as w:
        w.add_files(files[:3])
    old = _make_schema2(db)
    with Writer(db) as w:  # the next load re-keys it
        w.add_files(files[3:])
    fresh = tmp_path / "fresh.duckdb"
    with Writer(fresh) as w:
        w.add_files(files)
    assert {k: v for k, v in export(db).items() if k != "report_aliases"} == \
           {k: v for k, v in export(fresh).items() if k != "report_aliases"}
    for _ in range(2):
        with connect_readonly(db) as con:
            for old_id, name in old.items():
                shown = links.resolve(con, old_id)
                assert shown is not None
                assert con.execute("SELECT project_name FROM reports WHERE report_id = ?", [shown]).fetchone()[0] == name
                assert links.resolve(con, links.link_key(con, shown)) == shown
            assert links.resolve(con, 123) is None  # a form that is really gone
        with Writer(db, rebuild=True) as w:
            w.add_files(files[::-1])
