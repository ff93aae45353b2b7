"""`--db` is written only when it is a jixiao database (or absent): nothing else is destroyed."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import duckdb
import pytest

from etl.cli import main
from etl.errors import JixiaoError
from tests.hostile.conftest import SEED, query, records_of


def ingest(*args: str) -> int:
    return main(["ingest", *args, "--quiet"])


def foreign_duckdb(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE accounts (id INTEGER, name VARCHAR)")
        con.execute("INSERT INTO accounts VALUES (1, '张三')")
    return path


@pytest.mark.parametrize("kind", ["text", "foreign", "folder"])
@pytest.mark.parametrize("rebuild", [False, True])
def test_what_is_not_ours_is_refused(good: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     kind: str, rebuild: bool) -> None:
    target = tmp_path / "target.duckdb"
    if kind == "text":
        target.write_text("会议纪要：明天开会。\n", encoding="utf-8")
    elif kind == "foreign":
        foreign_duckdb(target)
    else:
        target.mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    content = target.read_bytes() if target.is_file() else None
    code = ingest(str(good), "--db", str(target), *(["--rebuild"] if rebuild else []))
    err = capsys.readouterr().err
    assert code == 2
    line, = err.strip().splitlines()  # one sentence, no traceback
    assert str(target) in line and "Traceback" not in line
    assert {"text": "不是 DuckDB 数据库文件", "foreign": "其他程序的 DuckDB 数据库", "folder": "是一个文件夹"}[kind] in line
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no lock, no temp copy, nothing
    if content is not None:
        assert target.read_bytes() == content


def test_another_schema_version_needs_rebuild(good: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "j.duckdb"
    assert ingest(str(good), "--db", str(db)) == 0
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    capsys.readouterr()
    assert ingest(str(good), "--db", str(db)) == 2
    err = capsys.readouterr().err
    assert "结构版本 1" in err and "--rebuild 重新载入" in err
    assert ingest(str(good), "--db", str(db), "--rebuild") == 0
    assert query(db, "SELECT value FROM meta WHERE key = 'schema_version'") != [("1",)]


def test_a_database_from_before_the_marker_is_still_ours(good: Path, tmp_path: Path) -> None:
    db = tmp_path / "j.duckdb"
    assert ingest(str(good), "--db", str(db)) == 0
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM meta WHERE key = 'app'")
    assert ingest(str(good), "--db", str(db), "--rebuild") == 0
    assert query(db, "SELECT value FROM meta WHERE key = 'app'") == [("jixiao",)]


def test_a_symlinked_db_updates_its_target_and_the_mode_is_kept(good: Path, tmp_path: Path) -> None:
    real = tmp_path / "store" / "real.duckdb"
    real.parent.mkdir()
    assert ingest(str(good), "--db", str(real)) == 0
    os.chmod(real, 0o640)
    owner = (4321, 4321) if os.geteuid() == 0 else (os.getuid(), os.getgid())  # only root gives files away
    os.chown(real, *owner)
    link = tmp_path / "link.duckdb"
    link.symlink_to(real)
    other = tmp_path / "more"
    other.mkdir()
    (other / "b.txt").write_text(SEED.read_text(encoding="utf-8").replace("项目名称", "项目名称 ", 1), "utf-8")
    assert ingest(str(other), "--db", str(link)) == 0
    assert link.is_symlink() and link.resolve() == real
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert (real.stat().st_uid, real.stat().st_gid) == owner
    assert query(real, "SELECT count(*) FROM files") == [(2,)]
    assert records_of(real, SEED.name) != []


def test_debug_shows_the_error_itself(tmp_path: Path, good: Path) -> None:
    with pytest.raises(JixiaoError, match="是一个文件夹"):
        main(["ingest", str(good), "--db", str(tmp_path), "--debug"])


def test_argument_errors_are_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["ingest", "--timeout", "-1", "x"])
    assert exit_info.value.code == 2
    assert "参数错误：参数 --timeout：须为正数（秒）" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["ingest"])
    assert "参数错误：缺少参数：PATH" in capsys.readouterr().err


def test_the_dashboard_refuses_a_folder_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dashboard", "--db", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == f"{tmp_path} 是一个文件夹，不是数据库文件；请用 --db 指定一个 .duckdb 文件。"
