"""项目详情 for a form that came as .xlsx/.html/.docx: its stored cells drawn merged, with refs."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard.form_html import cell_grid
from dashboard.original import source_note
from etl.parse import parse_document
from etl.readers import read_document
from tests.synth.source_files import paths

SOURCE = "004_7b7c0afb335e079f.txt"


def stored_cells(kind: str) -> pd.DataFrame:
    """The first form's cells as the `cells` table holds them."""
    form = parse_document(read_document(paths(kind)[SOURCE]))[0]
    return pd.DataFrame([{"page": c.page, "row": c.row, "col": c.col, "text": c.text, "rowspan": c.rowspan,
                          "colspan": c.colspan, "ref": c.ref} for c in form.cells]), form


@pytest.mark.parametrize("kind", ["xlsx", "html", "docx"])
def test_source_cells_render_merged_with_their_refs(kind):
    cells, form = stored_cells(kind)
    html = cell_grid(cells)
    first = form.indicators[0].level1
    runs = sum(1 for i in form.indicators if i.level1 == first)
    assert re.search(rf'<td rowspan="{runs}" title="[^"]+">{first}</td>', html)
    # each source row is one <tr>, and no row is wider than the grid once covered positions are left out
    widths = [sum(int(m or 1) for m in re.findall(r'<td(?: rowspan="\d+")?(?: colspan="(\d+)")?', tr))
              for tr in re.findall(r"<tr>(.*?)</tr>", html)]
    assert html.count("<tr>") == cells.groupby(["page", "row"]).ngroups
    assert max(widths) <= cells["col"].max() + 1
    assert source_note(kind) and source_note("pdf") == ""


def test_refs_and_texts_are_escaped():
    cells = pd.DataFrame({"page": [1, 1], "row": [0, 0], "col": [0, 1], "text": ["<b>x</b>", "y"],
                          "rowspan": [1, 1], "colspan": [1, 1], "ref": ['S"1!A1', "S1!B1"]})
    html = cell_grid(cells)
    assert "&lt;b&gt;x&lt;/b&gt;" in html and 'title="S&quot;1!A1"' in html and "<b>" not in html
