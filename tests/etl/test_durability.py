"""A kill at any moment of an ingest leaves the previous state readable; readers never see an error."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from etl.ingest import ingest
from etl.segments import copy_store
from etl.store import connect_readonly
from tests.etl.exports import export

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"


class Poller(threading.Thread):
    """Opens the database afresh again and again, as the dashboard does, and checks one snapshot
    is whole: the marts agree with the tables they come from."""

    def __init__(self, db: Path) -> None:
        super().__init__(daemon=True)
        self.db, self.stop, self.errors, self.reads = db, threading.Event(), [], 0

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                with connect_readonly(self.db) as con:
                    primaries, mart = con.execute(
                        "SELECT (SELECT count(*) FROM reports WHERE duplicate_of IS NULL), "
                        "(SELECT count(*) FROM mart_reports)").fetchone()
                    assert primaries == mart, (primaries, mart)
                self.reads += 1
            except Exception as exc:  # noqa: BLE001 - collected, asserted by the test
                self.errors.append(repr(exc))
            time.sleep(0.005)


def run_ingest(db: Path, folder: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "etl", "ingest", str(folder), "--db", str(db), "--workers", "1", "--quiet"]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def test_kill_at_random_points_leaves_a_whole_store(tmp_path: Path) -> None:
    base, after, db = (tmp_path / f"{n}.duckdb" for n in ("base", "after", "db"))
    ingest([SAMPLES / "bad"], base, workers=1)
    copy_store(base, after)
    t = time.perf_counter()
    assert run_ingest(after, SAMPLES / "text").wait() == 0
    full = time.perf_counter() - t
    states = [export(base), export(after)]
    copy_store(base, db)
    poller = Poller(db)
    poller.start()
    try:
        for seed in range(3):
            proc = run_ingest(db, SAMPLES / "text")
            time.sleep(random.Random(seed).uniform(0.2, 1.0) * full)
            os.killpg(proc.pid, signal.SIGKILL)  # the ingest and its workers, at once
            proc.wait()
            got = export(db)
            assert got in states  # the old state, or the new one whole: never anything between
            if got == states[1]:
                copy_store(base, db)  # killed too late: start the next seed from the old state
    finally:
        poller.stop.set()
        poller.join()
    assert poller.errors == [] and poller.reads > 0
