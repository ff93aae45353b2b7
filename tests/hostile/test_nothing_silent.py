"""Nothing is skipped without a word: unsupported files, unreadable folders and dangling links
are counted and listed in the summary and stored in `files`; partial files carry a reason."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import etl.discover
from etl.cli import main
from tests.hostile.conftest import SEED, query, records_of


def test_skipped_paths_are_listed_and_stored(good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    shutil.copytree(good, folder)
    (folder / "预算表.xlsz").write_bytes(b"PK\x03\x04")
    (folder / "说明").write_text("没有扩展名", encoding="utf-8")
    (folder / "失效.pdf").symlink_to(tmp_path / "已删除.pdf")
    locked = folder / "保密"
    locked.mkdir()
    hidden = SEED.read_text(encoding="utf-8").replace("项目名称", "项目名称 ", 1)  # other bytes, same form
    (locked / "藏起来的.txt").write_text(hidden, encoding="utf-8")
    real_access = os.access
    # Tests run as root, for whom every folder is readable: deny this one as for a normal user.
    monkeypatch.setattr(etl.discover.os, "access",
                        lambda p, mode: False if Path(p) == locked else real_access(p, mode))
    db = tmp_path / "j.duckdb"
    assert main(["ingest", str(folder), "--db", str(db), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "跳过 2 个不支持的文件：说明、预算表.xlsz" in out
    assert f"无法读取的文件夹 1 个：\n  - {locked}" in out
    assert f"失效的符号链接 1 个：\n  - {folder / '失效.pdf'}" in out
    stored = {Path(p).name: (status, error) for p, status, error in
              query(db, "SELECT path, status, error FROM files WHERE status <> 'ok'")}
    assert stored == {
        "预算表.xlsz": ("skipped", "不支持的文件类型：.xlsz"),
        "说明": ("skipped", "不支持的文件类型：无扩展名"),
        "失效.pdf": ("error", "符号链接失效（指向的文件不存在）"),
        "保密": ("error", "无法读取文件夹：没有访问权限"),
    }
    assert records_of(db, SEED.name) != []
    # A re-run that meets the same things writes nothing: the database file is not swapped.
    inode = db.stat().st_ino
    assert main(["ingest", str(folder), "--db", str(db), "--quiet", "--strict"]) == 1  # failures, --strict
    assert db.stat().st_ino == inode
    monkeypatch.undo()
    assert main(["ingest", str(folder), "--db", str(db), "--quiet"]) == 0  # the folder is readable now
    assert query(db, "SELECT status, error FROM files WHERE path LIKE '%藏起来的.txt'") == [("ok", None)]
    assert query(db, "SELECT count(*) FROM files WHERE path LIKE '%保密'") == [(0,)]


def test_a_partial_file_carries_its_reason(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    cut = tmp_path / "缺指标.txt"
    cut.write_text(text[: text.index("一级指标")], encoding="utf-8")  # the indicator tables cut off
    db = tmp_path / "j.duckdb"
    main(["ingest", str(cut), "--db", str(db), "--quiet"])
    (status, error), = query(db, "SELECT status, error FROM files")
    assert status == "partial"
    assert error.startswith("部分解析：第1张表") and "绩效指标" in error
