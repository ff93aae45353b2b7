"""`jixiao ingest` end to end on the seed texts: summary, incremental runs, bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from etl.cli import main
from etl.store import connect_readonly
from tests.synth.golden import REPO_ROOT
from tests.synth.samples import SAMPLE_LAYOUTS
from tests.synth.source_files import SAMPLE_FOLDERS

SEEDS = sorted((REPO_ROOT / "data").rglob("0*_*.txt"))  # the three seed text extractions


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, src / seed.name)
    return src


def run(*args: str) -> int:
    return main(["ingest", *args, "--quiet"])


def table(db: Path, sql: str) -> list[tuple]:
    with connect_readonly(db) as con:
        return con.execute(sql).fetchall()


def test_seed_texts_load_17_forms(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "j.duckdb"
    assert len(SEEDS) == 3
    assert run(str(corpus), "--db", str(db), "--workers", "2") == 0
    out = capsys.readouterr().out
    assert "读取文件 3 个，失败 0 个，未变化跳过 0 个" in out
    assert "表格 17 张，指标 161 行" in out
    assert table(db, "SELECT count(*), count(DISTINCT department), list(DISTINCT year ORDER BY year) "
                     "FROM reports") == [(17, 3, [2023, 2024])]
    assert table(db, "SELECT DISTINCT status FROM files") == [("ok",)]


def test_rerun_skips_unchanged_and_replaces_changed(corpus: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "j.duckdb"
    run(str(corpus), "--db", str(db))
    before = table(db, "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM indicators), "
                       "(SELECT count(*) FROM findings), (SELECT count(*) FROM cells)")
    capsys.readouterr()
    run(str(corpus), "--db", str(db))
    assert "未变化跳过 3 个" in capsys.readouterr().out
    seed = corpus / SEEDS[1].name
    seed.write_text(seed.read_text(encoding="utf-8").replace("项目名称 抚恤金", "项目名称 抚恤金（调整）"),
                    encoding="utf-8")
    run(str(corpus), "--db", str(db))
    out = capsys.readouterr().out
    assert "读取文件 1 个" in out and "未变化跳过 2 个" in out
    after = table(db, "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM indicators), "
                      "(SELECT count(*) FROM findings), (SELECT count(*) FROM cells)")
    assert after == before  # replaced, not duplicated, nothing orphaned
    assert table(db, "SELECT project_name FROM reports WHERE project_name LIKE '抚恤金%'") == [("抚恤金（调整）",)]
    assert table(db, "SELECT count(*) FROM files") == [(3,)]


def test_rebuild_starts_from_empty(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "j.duckdb"
    run(str(corpus), "--db", str(db))
    run(str(corpus / SEEDS[0].name), "--db", str(db), "--rebuild")
    assert table(db, "SELECT count(*) FROM files") == [(1,)]


def test_bad_text_inputs_are_recorded_and_the_batch_goes_on(corpus: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    (corpus / "空.txt").write_bytes(b"")
    (corpus / "通知.txt").write_text("关于做好2024年度部门预算编制工作的通知\n各区财政局：……", encoding="utf-8")
    (corpus / "乱码.txt").write_bytes(b"\xff\xfe\x00\x00garbage\x80\x81")
    archive = tmp_path / "附件.zip"  # named explicitly, of a type no reader handles
    archive.write_bytes(b"PK\x03\x04")
    db = tmp_path / "j.duckdb"
    assert run(str(corpus), str(archive), "--db", str(db)) == 0
    out = capsys.readouterr().out
    assert "失败 3 个" in out and "表格 17 张" in out and "跳过 1 个不支持的文件：附件.zip" in out
    rows = table(db, "SELECT regexp_extract(path, '[^/]+$'), status, error FROM files WHERE status <> 'ok'")
    errors = {name: error for name, status, error in rows if status == "error"}
    assert set(errors) == {"空.txt", "通知.txt", "乱码.txt"}
    assert [(n, s, e) for n, s, e in rows if s == "skipped"] == [("附件.zip", "skipped", "不支持的文件类型：.zip")]
    assert all(reason and "Traceback" not in reason for reason in errors.values())
    assert run(str(corpus), str(archive), "--db", str(tmp_path / "strict.duckdb"), "--strict") == 1


# The family samples: the 4 forms of 科协 in each of the four project-form families, renamed to
# the family's region, and one 部门整体支出 form in each of the two whole-department layouts.
FAMILY_SAMPLE_FORMS = 4 * 4 + 2
FAMILY_SAMPLE_DEPARTMENTS = 4 + 2


def test_bundled_samples_are_the_17_forms_and_the_families_with_the_bad_inputs_listed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "j.duckdb"
    assert run(str(REPO_ROOT / "data" / "samples"), "--db", str(db)) == 0
    out = capsys.readouterr().out
    assert f"数据库中共有表格 {17 + FAMILY_SAMPLE_FORMS} 张" in out
    for name, reason in [("空文件.pdf", "空文件"), ("文件损坏.pdf", "损坏"), ("已加密.pdf", "加密"),
                         ("不是表格.png", "未识别到绩效自评表"), ("不是自评表.pdf", "未识别到绩效自评表")]:
        assert any(name in line and reason in line for line in out.splitlines()), name
    primaries = table(db, "SELECT count(*), count(DISTINCT department), list(DISTINCT year ORDER BY year), "
                          "bool_and(f.kind = 'pdf') FROM reports r JOIN files f USING (file_id) "
                          "WHERE duplicate_of IS NULL")
    assert primaries == [(17 + FAMILY_SAMPLE_FORMS, 3 + FAMILY_SAMPLE_DEPARTMENTS, [2023, 2024], True)]
    kinds = table(db, "SELECT form_kind, count(*) FROM reports WHERE duplicate_of IS NULL GROUP BY 1 ORDER BY 1")
    assert kinds == [("部门整体支出", 2), ("项目支出", 17 + FAMILY_SAMPLE_FORMS - 2)]
    # Every copy (the text, each PDF layout but the primary, each source file, the OCR'd scan of
    # form 1) agrees with its primary.
    assert table(db, "SELECT count(*) FROM findings WHERE code = 'duplicate_mismatch'") == [(0,)]
    assert table(db, "SELECT count(*) FROM reports WHERE duplicate_of IS NOT NULL") == \
        [(17 * (len(SAMPLE_LAYOUTS) + len(SAMPLE_FOLDERS)) + 1,)]


def test_paths_are_stored_absolute_whatever_the_working_folder(corpus: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "j.duckdb"
    monkeypatch.chdir(corpus.parent)
    run("in", "--db", str(db))
    monkeypatch.chdir(corpus)
    seed = SEEDS[2].name
    (corpus / seed).write_text((corpus / seed).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    run(seed, "--db", str(db))  # same file, named relative to another folder: replaced, not added
    paths = [p for (p,) in table(db, "SELECT path FROM files ORDER BY path")]
    assert paths == sorted(str(corpus / s.name) for s in SEEDS)
