"""Form grids and their page splitting, independent of any PDF library."""

from __future__ import annotations

import pytest

from tests.synth.golden import golden_forms
from tests.synth.pdf_fpdf import LAYOUT_B, LAYOUT_WPS
from tests.synth.pdf_grid import GCell, GRow, GTable, fmt_number, form_tables, wps_text
from tests.synth.pdf_paging import Metrics, prewrap, row_heights, split_table, wrap_text
from tests.synth.pdf_reportlab import LAYOUT_A
from etl.normalize import clean

UNIT = Metrics(text_width=lambda s: float(len(s)), leading=1.0, pad_x=0.0, pad_y=0.0, min_lines=2)


def coverage(table: GTable) -> list[list[int]]:
    """How many cells cover each grid position (must be exactly 1 everywhere)."""
    grid = [[0] * len(table.widths) for _ in table.rows]
    for r, row in enumerate(table.rows):
        for c in row.cells:
            for rr in range(r, r + c.rowspan):
                for cc in range(c.col, c.col + c.colspan):
                    grid[rr][cc] += 1
    return grid


def assert_full_grid(table: GTable) -> None:
    assert all(n == 1 for line in coverage(table) for n in line), coverage(table)


def test_wrap_breaks_cjk_anywhere_and_keeps_latin_runs_whole():
    assert wrap_text("一二三四五六七", 3, UNIT.text_width) == ["一二三", "四五六", "七"]
    assert wrap_text("ab 12345 cd", 6, UNIT.text_width) == ["ab", "12345", "cd"]
    assert wrap_text("≥10000(人次)", 7, UNIT.text_width) == ["≥10000(", "人次)"]
    assert wrap_text("1234567", 3, UNIT.text_width) == ["123", "456", "7"]
    assert wrap_text("一\n二", 9, UNIT.text_width) == ["一", "二"]


def test_format_numbers_two_ways():
    assert [fmt_number(v, True) for v in (3.2, 0.0, None, 97.69)] == ["3.20", "0.00", "-", "97.69"]
    assert [fmt_number(v, False) for v in (3.2, 0.0, 10.0, 97.69)] == ["3.2", "0", "10", "97.69"]


def test_wps_text_round_trips_through_clean():
    text = "项目名称 年度总体目标 实际完成值 支出 自评 门 长"
    shown = wps_text(text)
    assert shown != text and "⽬" in shown and clean(shown) == text


@pytest.mark.parametrize("layout", [LAYOUT_A, LAYOUT_B, LAYOUT_WPS], ids=["a", "b", "wps"])
def test_every_golden_form_fills_its_grids(layout):
    for form in golden_forms():
        tables = form_tables(form, layout)
        for table in tables:
            assert_full_grid(table)
        ind = tables[-1]
        level1 = [c for row in ind.rows if row.kind == "indicator" for c in row.cells if c.col == 0]
        assert sum(c.rowspan for c in level1) == len(form.indicators)
        assert [c.text for c in level1] == [i.level1 for k, i in enumerate(form.indicators)
                                            if k == 0 or form.indicators[k - 1].level1 != i.level1]


def table(rows: list[list[GCell]], ncols: int, repeat: bool = False, kinds: list[str] | None = None) -> GTable:
    kinds = kinds or ["indicator"] * len(rows)
    return GTable([10.0] * ncols, [GRow(cells, kind) for cells, kind in zip(rows, kinds)], repeat)


def lines(n: int, tag: str = "x") -> str:
    return "\n".join(f"{tag}{i}" for i in range(n))


def test_merged_cell_taller_than_its_rows_stretches_the_last_row():
    t = table([[GCell(lines(5), 0, rowspan=2), GCell("a", 1)], [GCell("b", 1)]], 2)
    assert row_heights(t, UNIT) == [1.0, 4.0]


def test_split_between_rows_clips_merged_cells_and_continues_them_blank():
    t = table([[GCell("L1", 0, rowspan=4), GCell("a", 1)]] + [[GCell(c, 1)] for c in "bcd"], 2)
    first, rest = split_table(t, UNIT, room=2.5, at_top=False)
    assert [r.cells[-1].text for r in first.rows] == ["a", "b"]
    assert first.rows[0].cells[0].rowspan == 2 and first.rows[0].cells[0].text == "L1"
    assert rest.rows[0].cells[0] == GCell("", 0, rowspan=2)
    assert [r.cells[-1].text for r in rest.rows] == ["c", "d"]
    assert_full_grid(first), assert_full_grid(rest)


def test_merged_text_is_never_cut_the_split_moves_up_instead():
    t = table([[GCell("a", 0)], [GCell(lines(3, "L"), 0, rowspan=3), GCell("b", 1)], [GCell("c", 1)],
               [GCell("d", 1)]], 2)
    t.rows[0].cells.append(GCell("", 1))
    first, rest = split_table(t, UNIT, room=3.0, at_top=False)  # 3 rows fit, but L needs 3 lines from row 1
    assert len(first.rows) == 1 and rest.rows[0].cells[0].text == lines(3, "L")


def test_tall_row_is_split_inside_with_its_text_continuing_on_the_next_page():
    t = table([[GCell("a", 0), GCell("b", 1)], [GCell(lines(6), 0), GCell("short", 1)], [GCell("z", 0), GCell("", 1)]], 2)
    first, rest = split_table(t, UNIT, room=4.0, at_top=False)
    assert [c.text for c in first.rows[-1].cells] == [lines(3), "short"]
    assert [c.text for c in rest.rows[0].cells] == ["x3\nx4\nx5", ""]
    assert len(first.rows) == 2 and len(rest.rows) == 2


def test_short_rows_are_not_split_and_headers_are_not_left_alone():
    t = table([[GCell("h", 0)], [GCell(lines(3), 0)], [GCell("z", 0)]], 1, kinds=["ind_header", "indicator", "indicator"])
    assert split_table(t, UNIT, room=2.0, at_top=False) == (None, t)  # only header + 1 line would fit
    first, rest = split_table(t, UNIT, room=4.0, at_top=False)
    assert len(first.rows) == 2 and rest.rows[0].cells[0].text == "z"


def test_repeated_header_table_never_ends_a_page_with_the_header():
    t = table([[GCell("h", 0)], [GCell("a", 0)], [GCell("b", 0)]], 1, repeat=True, kinds=["total"] * 3)
    assert split_table(t, UNIT, room=1.5, at_top=False) == (None, t)
    first, _ = split_table(t, UNIT, room=2.5, at_top=False)
    assert len(first.rows) == 2


def test_at_the_top_of_a_page_a_table_is_always_cut():
    t = table([[GCell(lines(50), 0)], [GCell("z", 0)]], 1)
    first, rest = split_table(t, UNIT, room=10.0, at_top=True)
    assert first is not None and rest is not None
    assert sum(row_heights(first, UNIT)) <= 10.0


def test_prewrap_wraps_to_the_spanned_width():
    t = GTable([3.0, 3.0], [GRow([GCell("一二三四五六七八", 0, colspan=2)], "goal")])
    m = Metrics(UNIT.text_width, 1.0, pad_x=0.0, pad_y=0.0)
    # 0.5 pt rounding slack: 5 chars on a 6-wide span
    assert prewrap(t, m).rows[0].cells[0].text == "一二三四五\n六七八"
