"""The synthetic corpus: deterministic, varied, valid forms; and the database built from it."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from etl.checks import check_form
from etl.compare import comparable
from etl.ingest import ingest
from tests.synth.corpus import SPOILS, YEARS, Corpus, corpus_files, departments
from tests.synth.golden import REPO_ROOT
from tests.synth.pdf_fonts import charset
from tests.synth.pdf_reportlab import form_texts

sys.path.append(str(REPO_ROOT / "bench"))  # bench scripts are not a package

# Every finding code a deliberate inconsistency (corpus.SPOILS) must produce somewhere.
SPOIL_CODES = {"score_total_mismatch", "grade_mismatch", "execution_rate_mismatch", "score_exceeds_weight",
               "missed_target_full_score", "lost_points_no_reason", "funding_parts_mismatch",
               "weight_total_mismatch"}
NOT_INFO = ("error", "warning")


@pytest.fixture(scope="module")
def forms() -> list:
    return [f for cf in corpus_files(600, seed=7) for f in cf.forms]


def snapshot(n: int, seed: int) -> list[tuple[str, list[dict]]]:
    return [(cf.stem, [comparable(f) for f in cf.forms]) for cf in corpus_files(n, seed)]


def test_same_seed_same_corpus_other_seed_other_corpus() -> None:
    assert snapshot(40, 1) == snapshot(40, 1)
    assert snapshot(40, 1) != snapshot(40, 2)


def test_exact_size_and_a_small_corpus_is_a_prefix_of_a_big_one() -> None:
    small, big = list(corpus_files(30, 5)), list(corpus_files(90, 5))
    assert sum(len(f.forms) for f in small) == 30 and sum(len(f.forms) for f in big) == 90
    assert all(1 <= len(f.forms) <= 6 for f in big)
    for a, b in zip(small[:-1], big, strict=False):  # the last small file may be cut short
        assert [comparable(f) for f in a.forms] == [comparable(f) for f in b.forms]
    corpus = Corpus(5)
    assert [comparable(f) for f in corpus.file(3).forms] == [comparable(f) for f in big[3].forms]


def test_forms_vary_like_real_ones(forms: list) -> None:
    counts = [len(f.indicators) for f in forms]
    assert min(counts) <= 3 and max(counts) >= 30 and max(counts) <= 40
    assert 8 <= sum(counts) / len(counts) <= 12  # ~1,000,000 indicators per 100,000 forms
    assert {f.year for f in forms} == set(YEARS)
    assert len({f.department for f in forms}) >= 100  # ~250 files spread over 200 departments
    assert set(departments()) >= {f.department for f in forms} and len(set(departments())) == 200
    assert any(len(i.name) > 40 for f in forms for i in f.indicators)  # wraps in a narrow cell
    assert any(f.goal_expected.count("\n") >= 2 for f in forms)  # several paragraphs
    assert any(len(i.deviation) > 60 for f in forms for i in f.indicators)
    assert {i.level1 for f in forms for i in f.indicators} >= {"产出指标", "效益指标", "满意度指标"}


def test_forms_are_printable_and_unique_per_department_year(forms: list) -> None:
    chars = charset()
    missing = {c for t in form_texts(forms) for c in t if not c.isspace() and c not in chars}
    assert not missing
    keys = Counter((f.year, f.department, f.project_name) for f in forms)
    assert keys.most_common(1)[0][1] == 1


def test_most_forms_add_up_and_every_inconsistency_kind_occurs(forms: list) -> None:
    checked = [check_form(f) for f in forms]
    flagged = [c for c in checked if any(fd.severity in NOT_INFO for fd in c.findings)]
    assert 0.05 <= len(flagged) / len(checked) <= 0.3
    codes = {fd.code for c in checked for fd in c.findings}
    assert SPOIL_CODES <= codes and len(SPOILS) == len(SPOIL_CODES)
    for c in checked:  # a consistent form: weights add to 100 and the grade fits the score
        if not c.findings or all(fd.severity == "info" for fd in c.findings):
            assert c.form.total_weight == 100.0
            assert all(fl.line for fl in c.form.funding) and len(c.form.funding) == 4


def schema(db: Path) -> dict[str, list[tuple[str, str]]]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT table_name, column_name, data_type FROM information_schema.columns "
                           "ORDER BY table_name, ordinal_position").fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, dtype in rows:
        out.setdefault(table, []).append((column, dtype))
    return out


def test_generated_database_has_the_ingest_schema_and_consistent_rows(tmp_path: Path) -> None:
    import gen_db

    db = tmp_path / "gen.duckdb"
    gen_db.build(db, forms=120, seed=3, cells=True, workers=1)
    ingested, empty = tmp_path / "ingest.duckdb", tmp_path / "empty"
    empty.mkdir()
    ingest([empty], ingested, workers=1)  # a first run creates the schema
    assert schema(db) == schema(ingested)
    files = list(corpus_files(120, 3))
    copies = [f for f in files if f.index % gen_db.TEXT_COPY_EVERY == gen_db.TEXT_COPY_EVERY - 1]
    with duckdb.connect(str(db), read_only=True) as con:
        q = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        assert q("SELECT count(*) FROM reports WHERE duplicate_of IS NULL") == 120
        assert q("SELECT count(*) FROM reports") == 120 + sum(len(f.forms) for f in copies)
        assert q("SELECT count(*) FROM indicators i JOIN reports r USING (report_id) WHERE r.duplicate_of IS NULL") \
            == sum(len(f.indicators) for cf in files for f in cf.forms)
        for table in ("funding", "indicators", "findings", "cells"):
            assert q(f"SELECT count(*) FROM {table} WHERE report_id NOT IN (SELECT report_id FROM reports)") == 0
        # every indicator has a page and a row span inside its form's pages; every form has cells
        assert q("SELECT count(*) FROM indicators i JOIN reports r USING (report_id) "
                 "WHERE i.page NOT BETWEEN r.page_start AND r.page_end OR i.span_top >= i.span_bottom") == 0
        assert q("SELECT count(DISTINCT report_id) FROM cells") == q("SELECT count(*) FROM reports")
        assert q("SELECT count(*) FROM files WHERE status = 'error'") == len(files) // gen_db.SCAN_EVERY
