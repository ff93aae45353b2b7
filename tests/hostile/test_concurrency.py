"""Two ingests on one database: the second waits for the first and neither run's files are lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.cli import main
from etl.lock import writer_lock
from tests.hostile.conftest import SEED, cli, query, wait_for


def variant(folder: Path, name: str, tag: str) -> None:
    """The seed form with its project names changed: a file of its own, other bytes."""
    folder.mkdir()
    text = SEED.read_text(encoding="utf-8").replace("项目名称", f"项目名称 {tag}")
    (folder / name).write_text(text, encoding="utf-8")


def test_concurrent_ingests_keep_both_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "j.duckdb"
    variant(tmp_path / "a", "a.txt", "甲")
    variant(tmp_path / "b", "b.txt", "乙")
    logs = [tmp_path / "run_a", tmp_path / "run_b"]
    # Hold the lock as a third writer would, so that both runs are certainly waiting at once.
    with writer_lock(db):
        runs = [cli("ingest", str(tmp_path / name), "--db", str(db), "--quiet", log=log)
                for name, log in zip("ab", logs, strict=True)]
        for log in logs:
            wait_for(lambda log=log: "等待其完成后继续" in Path(f"{log}.err").read_text(encoding="utf-8"),
                     "the run to report that it waits")
        assert main(["ingest", str(tmp_path / "a"), "--db", str(db), "--quiet", "--no-wait"]) == 2
        err = capsys.readouterr().err
        assert "正在被另一个载入进程" in err and "本次载入已放弃（--no-wait）" in err
    assert [run.wait(timeout=120) for run in runs] == [0, 0]
    # Whichever ran second read the database the first had just written: both are there.
    assert sorted(Path(p).name for (p,) in query(db, "SELECT path FROM files")) == ["a.txt", "b.txt"]
    names = {n for (n,) in query(db, "SELECT DISTINCT project_name FROM reports")}
    assert any(n.startswith("甲") for n in names) and any(n.startswith("乙") for n in names)
