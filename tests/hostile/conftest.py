"""Shared helpers for the hostile-input suite: a small good corpus and ways to run the CLI."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

from etl.store import connect_readonly
from tests.synth.golden import REPO_ROOT

SEED = REPO_ROOT / "data" / "samples" / "text" / "004_7b7c0afb335e079f.txt"  # the smallest seed text


@pytest.fixture()
def good(tmp_path: Path) -> Path:
    """A folder with one good form file (the smallest seed text)."""
    folder = tmp_path / "good"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    return folder


def query(db: Path, sql: str) -> list[tuple]:
    with connect_readonly(db) as con:
        return con.execute(sql).fetchall()


def records_of(db: Path, name: str) -> list[tuple]:
    """What the database holds for the file called `name`: its forms and their rows, ids left out."""
    return query(db, f"""
        SELECT r.year, r.project_name, r.department, r.total_score, r.fingerprint,
               (SELECT count(*) FROM indicators i WHERE i.report_id = r.report_id),
               (SELECT count(*) FROM findings d WHERE d.report_id = r.report_id)
        FROM reports r JOIN files f USING (file_id) WHERE f.path LIKE '%/{name}' ORDER BY r.form_index""")


def _as_from_a_shell() -> None:
    """In the child before exec: Ctrl-C as a terminal delivers it. An ignored SIGINT is
    inherited across exec, and something earlier in a full test run leaves it ignored in
    the pytest process (not isolated yet): the child would then never see the signal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def cli(*args: str, log: Path) -> subprocess.Popen[str]:
    """`python -m etl ...` in a child process of its own group (so signals hit it alone);
    stdout and stderr go to `log`.out and `log`.err, to be read while it runs."""
    out, err = (open(f"{log}.{ext}", "w", encoding="utf-8") for ext in ("out", "err"))
    with out, err:
        return subprocess.Popen([sys.executable, "-m", "etl", *args], cwd=REPO_ROOT, text=True, stdout=out,
                                stderr=err, start_new_session=True, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
                                preexec_fn=_as_from_a_shell)


def wait_for(condition: Callable[[], object], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def descendants(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


def all_gone(procs: list[psutil.Process]) -> bool:
    return not [p for p in procs if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def temp_copies(db: Path) -> list[Path]:
    return sorted(db.parent.glob(f".{db.name}.*.tmp*"))
