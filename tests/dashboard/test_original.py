"""Rendering the original PDF page with the indicator rows marked."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
from PIL import Image

from dashboard.original import Mark, page_count, render_page, resolve_source
from tests.dashboard.conftest import PDF_4

SCALE = 1.6


def test_marks_land_on_the_stored_row_positions(dash_db: Path) -> None:
    with duckdb.connect(str(dash_db), read_only=True) as c:
        path, page = c.execute("SELECT f.path, r.page_start FROM reports r JOIN files f USING (file_id) "
                               f"WHERE r.report_id = {PDF_4}").fetchone()
        spans = c.execute(f"SELECT span_top, span_bottom, score < weight FROM indicators WHERE report_id = {PDF_4} "
                          "ORDER BY row_no").fetchall()
    pdf = resolve_source(path)
    assert pdf is not None and page_count(pdf) == 4
    marks = [Mark(page, top, bottom, lost) for top, bottom, lost in spans]
    img = Image.open(io.BytesIO(render_page(pdf, page, marks, x_range=(40, 555), band=(66, 260), scale=SCALE)))
    assert abs(img.size[0] - 595.28 * SCALE) <= 1 and abs(img.size[1] - 841.89 * SCALE) <= 1  # A4 at SCALE
    lost_top, lost_bottom, _ = next(s for s in spans if s[2])
    r, g, b = img.convert("RGB").getpixel((int(300 * SCALE), int((lost_top + 2) * SCALE)))
    assert r > g + 20 and r > b + 20  # red fill over the lost row (inside the box, beside the text)
    ok_top = next(s for s in spans if not s[2])[0]
    r, g, b = img.convert("RGB").getpixel((int(300 * SCALE), int((ok_top + 2) * SCALE)))
    assert b >= r  # a plain row is tinted blue, not red
    assert img.convert("L").getpixel((10, int(500 * SCALE))) > 240  # outside the band: veiled, near white


def test_resolve_source_finds_relative_paths_or_says_none(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    f = tmp_path / "data" / "a.pdf"
    f.write_bytes(b"%PDF")
    assert resolve_source("data/a.pdf", tmp_path / "db" / "x.duckdb") == f  # DB in a subfolder of the root
    assert resolve_source("data/a.pdf", tmp_path / "x.duckdb") == f
    assert resolve_source(str(f)) == f
    assert resolve_source("nowhere/b.pdf") is None and resolve_source(None) is None
