"""Forms added from the dashboard (dashboard.uploads): what is refused, where files go, per-file results."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from dashboard import uploads

SAMPLE = sorted((Path(__file__).resolve().parents[2] / "data" / "samples" / "text").glob("*.txt"))[0]


def test_only_known_types_within_the_size_limit_are_taken(tmp_path: Path) -> None:
    assert uploads.refusal("a.exe", 10).startswith("不支持的文件类型 .exe")
    assert uploads.refusal("表.pdf", uploads.MAX_FILE_MB * 1024 * 1024 + 1) == f"文件超过 {uploads.MAX_FILE_MB} MB"
    assert uploads.refusal("表.PDF", 0) == "文件为空" and uploads.refusal("表.txt", 5) is None
    assert uploads.safe_name("../../etc/passwd.txt") == "passwd.txt"
    assert uploads.safe_name("C:\\x\\..\\表\x00.pdf") == "表.pdf"
    saved, refused = uploads.save([("../a.txt", b"x"), ("b.sh", b"x"), ("a.txt", b"y")], tmp_path / "up")
    assert [p.name for p in saved] == ["a.txt", "a_1.txt"] and all(p.parent == tmp_path / "up" for p in saved)
    assert [(r.name, r.status) for r in refused] == [("b.sh", "未接收")]


def test_the_write_password_must_be_set_and_equal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(uploads.WRITE_PASSWORD_ENV, raising=False)
    assert not uploads.password_ok("")
    monkeypatch.setenv(uploads.WRITE_PASSWORD_ENV, "s3cret")
    assert uploads.password_ok("s3cret") and not uploads.password_ok("s3cre") and not uploads.password_ok("")


def test_uploads_are_loaded_like_the_cli_and_reported_per_file(tmp_path: Path) -> None:
    db = tmp_path / "j.duckdb"
    folder = uploads.upload_folder(db)
    saved, _ = uploads.save([(SAMPLE.name, SAMPLE.read_bytes()), ("坏.pdf", b"%PDF-1.4 broken")], folder)
    results = {r.name: r for r in uploads.load(saved, db)}
    assert results[SAMPLE.name].status == "已载入" and results[SAMPLE.name].forms >= 1
    assert results["坏.pdf"].status == "读取失败" and results["坏.pdf"].reason
    with duckdb.connect(str(db), read_only=True) as c:
        assert c.execute("SELECT count(*) FROM files").fetchone()[0] == 2
    again = uploads.load([shutil.copy(SAMPLE, folder / "copy.txt") and folder / "copy.txt"], db)
    assert again[0].status.startswith("已在数据库中")
