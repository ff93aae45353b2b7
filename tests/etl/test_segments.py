"""The store grows by the change: deltas published by a manifest, merged and folded, never half-read."""

from __future__ import annotations

import copy
import shutil
import threading
import time
from pathlib import Path

import pytest

from etl import compact, segments
from etl.checks import check_form
from etl.ingest import ingest
from etl.model import Form, ParsedFile
from etl.store import Writer, connect_readonly
from tests.etl.exports import export
from tests.synth.golden import golden_by_source

ROOT = Path(__file__).resolve().parents[2]


def parsed(path: str, forms: list[Form], sha: str, kind: str = "txt") -> ParsedFile:
    return ParsedFile(path=path, sha256=sha, kind=kind, pages=3, forms=[check_form(f) for f in forms])


@pytest.fixture(scope="module")
def sources() -> dict[str, list[Form]]:
    return golden_by_source()


def steps(sources: dict[str, list[Form]]) -> list[list[ParsedFile]]:
    """Loads that add, duplicate (a PDF copy of a text), replace and move forms between slices."""
    names = sorted(sources)
    moved = copy.deepcopy(sources[names[0]])
    moved[0].department = "另一个主管部门"
    moved[1].indicators[0].score = 0.5
    return [[parsed(f"/t/{names[0]}", sources[names[0]], "a")],
            [parsed(f"/t/{names[1]}", sources[names[1]], "b")],
            [parsed(f"/p/{names[0]}.pdf", sources[names[0]], "pa", "pdf")],  # a second copy of each form
            [parsed(f"/t/{names[0]}", moved, "a2")],  # replaced: a form moves to another slice
            [parsed(f"/t/{names[2]}", sources[names[2]], "c")]]


def whole(db: Path, last: dict[str, ParsedFile]) -> dict[str, list[tuple]]:
    """What one whole-base write of the final inputs stores."""
    with Writer(db) as w:
        w.add_files(last.values())
    return export(db)


def test_deltas_store_what_a_whole_write_stores(tmp_path: Path, sources: dict[str, list[Form]]) -> None:
    db, loads = tmp_path / "j.duckdb", steps(sources)
    last: dict[str, ParsedFile] = {}
    for load in loads:
        with Writer(db) as w:
            w.add_files(load)
        last.update({pf.path: pf for pf in load})
    assert len(segments.read_manifest(db).deltas) == len(loads) - 1  # the first load wrote the base
    expected = whole(tmp_path / "whole.duckdb", last)
    assert export(db) == expected
    compact.merge(db)
    assert len(segments.read_manifest(db).deltas) == 1
    assert export(db) == expected
    with Writer(db) as w:
        w.remove_path(f"/p/{sorted(sources)[0]}.pdf")
    del last[f"/p/{sorted(sources)[0]}.pdf"]
    assert export(db) == whole(tmp_path / "whole_after_removal.duckdb", last)
    compact.fold(db)
    assert segments.read_manifest(db).deltas == ()
    assert [p.name for p in segments.deltas_dir(db).iterdir()] == [segments.MANIFEST]


def test_a_load_leaves_the_base_file_alone(tmp_path: Path, sources: dict[str, list[Form]]) -> None:
    db, names = tmp_path / "j.duckdb", sorted(sources)
    with Writer(db) as w:
        w.add_files([parsed(f"/t/{n}", sources[n], n) for n in names[:-1]])
    before = db.stat()
    with Writer(db) as w:
        w.add_files([parsed(f"/t/{names[-1]}", sources[names[-1]], "new")])
    after = db.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (before.st_ino, before.st_mtime_ns, before.st_size)
    (delta,) = segments.read_manifest(db).deltas
    assert (segments.deltas_dir(db) / delta).stat().st_size < before.st_size
    with connect_readonly(db) as con:
        assert con.execute("SELECT count(DISTINCT file_id) FROM reports").fetchone()[0] == len(names)


def test_killed_publish_leaves_an_orphan_the_next_run_removes(tmp_path: Path) -> None:
    db = tmp_path / "j.duckdb"
    ingest([ROOT / "data" / "samples" / "bad"], db, workers=1)
    ingest([ROOT / "data" / "samples" / "text" / sorted(p.name for p in (ROOT / "data/samples/text").iterdir())[0]],
           db, workers=1)
    state = export(db)
    folder = segments.deltas_dir(db)
    listed = segments.read_manifest(db).deltas
    orphan = folder / "d-000099-dead00.duckdb"  # written, then killed before the manifest named it
    shutil.copyfile(folder / listed[0], orphan) if listed else orphan.write_bytes(b"x")
    (folder / f".{segments.MANIFEST}.1.ab.tmp").write_text("{", encoding="utf-8")
    assert export(db) == state  # unlisted: invisible
    summary = ingest([ROOT / "data" / "samples" / "bad"], db, workers=1)
    assert summary.leftovers_removed == 2 and not orphan.exists()
    assert export(db) == state


def test_a_base_restored_from_a_copy_is_read_alone(tmp_path: Path, sources: dict[str, list[Form]]) -> None:
    db, backup, names = tmp_path / "j.duckdb", tmp_path / "backup.duckdb", sorted(sources)
    with Writer(db) as w:
        w.add_files([parsed(f"/t/{names[0]}", sources[names[0]], "a")])
    shutil.copyfile(db, backup)
    old = export(db)
    with Writer(db) as w:
        w.add_files([parsed(f"/t/{names[1]}", sources[names[1]], "b")])
    compact.fold(db)  # the manifest now names a newer base
    with Writer(db) as w:
        w.add_files([parsed(f"/t/{names[2]}", sources[names[2]], "c")])
    shutil.copyfile(backup, db)  # an administrator restores yesterday's file
    assert export(db) == old  # its deltas belong to another base: not applied


class Poller(threading.Thread):
    def __init__(self, db: Path) -> None:
        super().__init__(daemon=True)
        self.db, self.stop, self.errors, self.seen = db, threading.Event(), [], set()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                with connect_readonly(self.db) as con:
                    n, marts, files = con.execute(
                        "SELECT (SELECT count(*) FROM reports WHERE duplicate_of IS NULL), "
                        "(SELECT count(*) FROM mart_reports), (SELECT count(*) FROM files)").fetchone()
                assert n == marts, (n, marts)
                self.seen.add(files)
            except Exception as exc:  # noqa: BLE001 - collected, asserted by the test
                self.errors.append(repr(exc))


def test_readers_see_whole_states_through_merges_and_folds(tmp_path: Path, sources: dict[str, list[Form]]) -> None:
    db, names = tmp_path / "j.duckdb", sorted(sources)
    with Writer(db) as w:
        w.add_files([parsed("/t/0", sources[names[0]], "0")])
    poller = Poller(db)
    poller.start()
    try:
        for i in range(1, 7):
            with Writer(db) as w:
                w.add_files([parsed(f"/t/{i}", sources[names[i % len(names)]], str(i))])
            if i % 3 == 0:
                compact.merge(db)
            if i == 4:
                compact.fold(db)
        time.sleep(0.2)
    finally:
        poller.stop.set()
        poller.join()
    assert poller.errors == []
    assert poller.seen <= set(range(1, 8)) and 7 in poller.seen  # whole loads only, the last one seen


def test_jixiao_compact_folds_the_deltas(tmp_path: Path, sources: dict[str, list[Form]],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    from etl.cli import main

    db, names = tmp_path / "j.duckdb", sorted(sources)
    for i, name in enumerate(names[:3]):
        with Writer(db) as w:
            w.add_files([parsed(f"/t/{name}", sources[name], str(i))])
    state = export(db)
    assert main(["compact", "--db", str(db)]) == 0
    assert "并入增量 2 个" in capsys.readouterr().out
    assert segments.read_manifest(db).deltas == () and export(db) == state
    assert main(["compact", "--db", str(db)]) == 0
    assert "没有待整理的增量" in capsys.readouterr().out
    assert main(["compact", "--db", str(tmp_path / "none.duckdb")]) == 2


def test_a_damaged_manifest_is_refused_until_a_rebuild(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from etl.cli import main
    from etl.errors import JixiaoError

    db, text = tmp_path / "j.duckdb", ROOT / "data" / "samples" / "text"
    assert main(["ingest", str(ROOT / "data" / "samples" / "bad"), "--db", str(db), "--quiet"]) == 0
    segments.deltas_dir(db).mkdir(exist_ok=True)
    (segments.deltas_dir(db) / segments.MANIFEST).write_text('{"base_id": ', encoding="utf-8")
    with pytest.raises(JixiaoError, match="增量清单"):
        connect_readonly(db)
    capsys.readouterr()
    assert main(["ingest", str(text), "--db", str(db), "--quiet"]) == 2
    assert "增量清单" in capsys.readouterr().err
    assert main(["ingest", str(text), "--db", str(db), "--quiet", "--rebuild"]) == 0
    with connect_readonly(db) as con:
        assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == 17


def test_a_compaction_killed_at_any_moment_leaves_the_same_store(tmp_path: Path,
                                                                 sources: dict[str, list[Form]]) -> None:
    import os
    import random
    import signal
    import subprocess
    import sys

    db, names = tmp_path / "j.duckdb", sorted(sources)
    for i, name in enumerate(names):
        with Writer(db) as w:
            w.add_files([parsed(f"/t/{name}", sources[name], str(i))])
    saved = tmp_path / "saved.duckdb"
    segments.copy_store(db, saved)
    state = export(db)
    cmd = [sys.executable, "-m", "etl", "compact", "--db", str(db)]
    t = time.perf_counter()
    assert subprocess.run(cmd, cwd=ROOT, capture_output=True).returncode == 0
    full = time.perf_counter() - t
    for seed in range(3):
        segments.copy_store(saved, db)
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(random.Random(seed).uniform(0.3, 1.0) * full)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert export(db) == state  # folded or not, the same rows
        segments.remove_unlisted(db)
        assert export(db) == state
