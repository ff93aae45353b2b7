"""Word documents (`.docx`) -> Document, with python-docx.

The body is read in order: each paragraph outside a table is a text row, each table a
grid. Word merges are kept: `gridSpan` is a column span, `vMerge="restart"` opens a
vertical merge that the `vMerge` (continue) cells below extend; `gridBefore` shifts a
row right. `Cell.ref` is `表2 第5行 第3列`; `page` is the table's number (a .docx has no
fixed pages).
"""

from __future__ import annotations

import zipfile
from typing import Any

from etl.model import Document
from etl.readers import UnreadableFile
from etl.readers.grid import Grid, append_grid, append_line

CORRUPT = "Word文件损坏或格式不对，无法读取"
ENCRYPTED = "Word文件已加密，无法读取"
NO_TEXT = "Word文件中没有文字内容"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_docx(path: str) -> Document:
    from docx import Document as open_docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        word = open_docx(path)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        with open(path, "rb") as fh:
            raise UnreadableFile(ENCRYPTED if fh.read(8) == _OLE else CORRUPT) from exc
    doc = Document(path=path, kind="docx", pages=0)
    tables = paragraphs = 0
    for child in word.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            tables += 1
            append_grid(doc, table_grid(child, tables))
        elif tag == "p":
            paragraphs += 1
            for line in _paragraph_text(child).split("\n"):
                append_line(doc, line, tables + 1, f"第{paragraphs}段")
    if not doc.rows:
        raise UnreadableFile(NO_TEXT)
    doc.pages = max(c.page for row in doc.rows for c in row)
    return doc


def _paragraph_text(p: Any) -> str:
    from docx.text.paragraph import Paragraph

    return Paragraph(p, None).text


def _cell_text(tc: Any) -> str:
    return "\n".join(_paragraph_text(p) for p in tc.iterchildren() if p.tag.endswith("}p"))


def _grid_before(tr: Any) -> int:
    pr = tr.trPr
    if pr is None:
        return 0
    node = next((e for e in pr.iterchildren() if e.tag.endswith("}gridBefore")), None)
    return int(node.get(node.tag.replace("gridBefore", "val"), 0)) if node is not None else 0


def table_grid(tbl: Any, number: int) -> Grid:
    grid = Grid(number, lambda r, c: f"表{number} 第{r + 1}行 第{c + 1}列")
    open_merges: dict[int, tuple[int, int]] = {}  # column -> top-left of the merge running down it
    for r, tr in enumerate(tbl.tr_lst):
        c = _grid_before(tr)
        for tc in tr.tc_lst:
            span = max(1, tc.grid_span)
            merge = tc.vMerge
            origin = open_merges.get(c)
            if merge == "continue" and origin is not None:
                r0, c0 = origin
                grid.spans[r0, c0] = (r - r0 + 1, grid.spans.get(origin, (1, span))[1])
            else:
                grid.texts[r, c] = _cell_text(tc)
                if span > 1:
                    grid.spans[r, c] = (1, span)
                for k in range(c, c + span):
                    open_merges.pop(k, None)
                if merge == "restart":
                    open_merges[c] = (r, c)
            c += span
    return grid
