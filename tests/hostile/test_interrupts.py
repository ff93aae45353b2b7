"""Killed, interrupted or terminated mid-ingest: no leftovers (or the next run removes them),
no orphaned workers, no stale lock, and a Chinese line instead of a traceback."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import psutil
import pytest

from etl.cli import main
from etl.lock import lock_path
from tests.hostile import pdfs
from tests.hostile.conftest import all_gone, cli, descendants, query, temp_copies, wait_for


@pytest.fixture()
def stuck(good: Path, tmp_path: Path) -> Path:
    """A good file and one that keeps its worker busy until the (long) timeout."""
    folder = tmp_path / "stuck"
    shutil.copytree(good, folder)
    pdfs.self_reference(folder)
    return folder


def start_stuck_ingest(folder: Path, db: Path, log: Path, *extra: str) -> tuple[subprocess.Popen[str], list]:
    """An ingest caught mid-run: its private copy exists and a worker is busy on the stuck file.
    (A private copy: a first load or a --rebuild writes a whole new base; a delta is built in memory.)"""
    proc = cli("ingest", str(folder), "--db", str(db), "--timeout", "300", "--quiet", *extra, log=log)
    # Its descendants: the resource tracker, the fork server and at least one worker.
    wait_for(lambda: temp_copies(db) and len(descendants(proc.pid)) >= 3 or proc.poll() is not None,
             "the ingest to start its workers")
    assert proc.poll() is None, Path(f"{log}.err").read_text(encoding="utf-8")
    return proc, descendants(proc.pid)


def test_sigkill_leftovers_are_cleaned_by_the_next_run(good: Path, stuck: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "j.duckdb"
    assert main(["ingest", str(good), "--db", str(db), "--quiet"]) == 0
    before = query(db, "SELECT path, sha256 FROM files")
    proc, workers = start_stuck_ingest(stuck, db, tmp_path / "killed", "--rebuild")
    lock = str(lock_path(db))
    assert [lock] == [f.path for f in psutil.Process(proc.pid).open_files() if f.path == lock]
    assert not [w for w in workers if lock in {f.path for f in w.open_files()}]  # never inherited
    proc.kill()
    proc.wait()
    wait_for(lambda: all_gone(workers), "the workers to die with their parent", timeout=15)
    assert temp_copies(db)  # SIGKILL cannot clean up: the next run must
    assert query(db, "SELECT path, sha256 FROM files") == before  # the live database untouched
    capsys.readouterr()
    # The dead run's lock is gone with it: --no-wait does not refuse.
    assert main(["ingest", str(good), "--db", str(db), "--quiet", "--no-wait"]) == 0
    assert "已清理先前中断的载入留下的临时文件" in capsys.readouterr().out
    assert temp_copies(db) == []


@pytest.mark.parametrize(("sig", "code", "line"), [(signal.SIGINT, 130, "已中断（Ctrl-C）"),
                                                   (signal.SIGTERM, 143, "已被终止（SIGTERM）")])
def test_interrupt_and_terminate_clean_up(stuck: Path, tmp_path: Path, sig: int, code: int, line: str) -> None:
    db = tmp_path / "j.duckdb"
    log = tmp_path / "run"
    proc, workers = start_stuck_ingest(stuck, db, log)
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)  # Ctrl-C reaches the whole foreground group, workers included
    else:
        proc.send_signal(sig)
    assert proc.wait(timeout=60) == code
    err = Path(f"{log}.err").read_text(encoding="utf-8")
    assert err.strip().splitlines() == [err.strip()] and err.startswith(line), err
    wait_for(lambda: all_gone(workers), "the workers to end", timeout=15)
    assert temp_copies(db) == []
    assert not db.exists()  # nothing half-written was swapped in
