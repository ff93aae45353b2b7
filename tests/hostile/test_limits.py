"""Hostile PDFs cost one file, never the batch: each ends within its limits with a Chinese reason."""

from __future__ import annotations

import re
import shutil
import sys
import types
from pathlib import Path

import pytest

from etl.cli import main
from etl.ingest import ingest
from etl.pipeline import BROKEN, TOO_DEEP, process_file
from tests.hostile import pdfs
from tests.hostile.conftest import SEED, query, records_of

ENGLISH = re.compile(r"[A-Za-z]{4,}")  # an exception name or message leaking into a reason


def test_a_hostile_folder_finishes_with_a_reason_per_file(good: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    baseline = tmp_path / "baseline.duckdb"
    ingest([good], baseline, limits=None)  # the good file alone, in this process
    folder = tmp_path / "mixed"
    shutil.copytree(good, folder)
    pdfs.self_reference(folder)  # loops forever in pdfminer
    pdfs.flate_bomb(folder, inflated_mib=1024)  # ~1 MB inflating to 1 GiB, against a 256 MiB limit
    pdfs.deep_page_tree(folder)
    pdfs.bogus_length(folder)
    pdfs.blank_pages(folder, pages=3)
    db = tmp_path / "j.duckdb"
    # One worker: the stuck one must be killed and replaced for the files after it to be read.
    code = main(["ingest", str(folder), "--db", str(db), "--workers", "1", "--timeout", "4",
                 "--max-memory", "256M", "--quiet"])
    assert code == 0
    out = capsys.readouterr().out
    assert "读取文件 1 个，失败 5 个" in out
    rows = {Path(p).name: (status, error, pages) for p, status, error, pages in
            query(db, "SELECT path, status, error, pages FROM files")}
    assert rows["self_reference.pdf"][:2] == ("error", "解析超时（4 秒）")
    assert rows["flate_bomb.pdf"][:2] == ("error", "解析内存超过上限")
    assert rows["deep_page_tree.pdf"][:2] == ("error", TOO_DEEP)
    assert rows["bogus_length.pdf"][:2] == ("error", BROKEN)
    assert rows["blank_pages.pdf"] == ("error", "PDF中没有文字内容，无法解析", 3)
    assert rows[SEED.name][0] == "ok"
    assert not [e for _, e, _ in rows.values() if e and ENGLISH.search(e)]
    assert records_of(db, SEED.name) == records_of(baseline, SEED.name) != []


@pytest.mark.parametrize(("make", "reason"), [(pdfs.deep_page_tree, TOO_DEEP), (pdfs.bogus_length, BROKEN)])
def test_internal_failures_get_a_chinese_reason(tmp_path: Path, make, reason: str) -> None:  # noqa: ANN001
    pf = process_file(str(make(tmp_path)))
    assert pf.error == reason


def test_a_missing_file_is_said_in_chinese(tmp_path: Path) -> None:
    assert process_file(str(tmp_path / "gone.pdf")).error == "无法读取文件：文件不存在"


def test_workers_never_rerun_the_parents_main_script(good: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # As after a Streamlit AppTest in the same process: __main__ is a script that must not run again.
    script = tmp_path / "page.py"
    script.write_text("raise SystemExit('this page ran again in a worker')\n", encoding="utf-8")
    main_module = types.ModuleType("__main__")
    main_module.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", main_module)
    summary = ingest([good], tmp_path / "j.duckdb")
    assert (summary.files_read, summary.failed) == (1, [])
