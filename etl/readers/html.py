"""Web pages (`.html` / `.htm`) -> Document, with BeautifulSoup on lxml.

The encoding is taken from a byte-order mark, else the `<meta charset>` (GBK/GB2312 read
as their superset GB18030), else detected: UTF-8 when the bytes are valid UTF-8, GB18030
otherwise. Each `<table>` becomes a grid (rowspan/colspan placed as browsers place them);
text outside tables (title, `（2024年度）`) becomes one row per block. A page may hold
several forms. `Cell.ref` is `表2 第5行 第3列`; `page` is the table's number.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Doctype, ProcessingInstruction

from etl.model import Document
from etl.readers import UnreadableFile
from etl.readers.grid import Grid, append_grid, append_line

NOT_HTML = "网页文件中没有可读的内容"
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_GB = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "euc-cn", "gb18030"}
_SPACE = re.compile(r"[ \t\r\n\f]+")
# Elements whose start and end break the text flow into separate lines.
BLOCKS = frozenset("p div h1 h2 h3 h4 h5 h6 li ul ol section article header footer caption center "
                   "blockquote pre form body tr dt dd dl address hr".split())
SKIP = frozenset("script style head template noscript title".split())


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding used) for the page's bytes."""
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            return raw.decode(enc, errors="replace"), enc
    meta = _META.search(raw[:4096])
    declared = meta.group(1).decode("ascii").lower() if meta else None
    candidates = ["gb18030" if declared in _GB else declared] if declared else []
    for enc in [*candidates, "utf-8", "gb18030"]:
        try:
            return raw.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("gb18030", errors="replace"), "gb18030"


def read_html(path: str) -> Document:
    with open(path, "rb") as fh:
        raw = fh.read()
    text, _ = decode(raw)
    soup = BeautifulSoup(text, "lxml")
    walker = _Walker(Document(path=path, kind="html", pages=0))
    walker.walk(soup.body or soup)
    walker.flush()
    doc = walker.doc
    if not doc.rows:
        raise UnreadableFile(NOT_HTML)
    doc.pages = max(c.page for row in doc.rows for c in row)
    return doc


@dataclass(slots=True)
class _Walker:
    """Walks the page in document order, collecting text lines and tables."""

    doc: Document
    tables: int = 0
    line: list[str] = field(default_factory=list)

    def flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self.line)).strip()
        self.line.clear()
        page = self.tables + 1
        append_line(self.doc, text, page, f"表{page}之前")

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, (Comment, Doctype, ProcessingInstruction)):
                continue
            if isinstance(child, NavigableString):
                self.line.append(str(child))
            elif isinstance(child, Tag) and child.name not in SKIP:
                if child.name == "table":
                    self.flush()
                    self.tables += 1
                    append_grid(self.doc, table_grid(child, self.tables))
                elif child.name == "br":
                    self.flush()
                elif child.name in BLOCKS:
                    self.flush()
                    self.walk(child)
                    self.flush()
                else:
                    self.walk(child)


def cell_text(cell: Tag) -> str:
    """A cell's text as shown: whitespace collapsed, `<br>` and blocks as line breaks."""
    lines: list[str] = [""]

    def visit(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, (Comment, Doctype, ProcessingInstruction)):
                continue
            if isinstance(child, NavigableString):
                lines[-1] += str(child)
            elif isinstance(child, Tag) and child.name not in SKIP:
                if child.name == "br":
                    lines.append("")
                elif child.name in BLOCKS:
                    lines.append("")
                    visit(child)
                    lines.append("")
                else:
                    visit(child)

    visit(cell)
    return "\n".join(t for t in (_SPACE.sub(" ", x).strip() for x in lines) if t)


def _rows(table: Tag) -> list[Tag]:
    """The table's own rows (thead, tbody, tfoot or direct), not those of nested tables."""
    return [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]


def _span(cell: Tag, name: str) -> int:
    try:
        return max(1, min(int(str(cell.get(name, "1")).strip() or 1), 1000))
    except ValueError:
        return 1


def table_grid(table: Tag, number: int) -> Grid:
    """Cells placed the way browsers place them: each in the first column no earlier
    row span occupies; rowspan="0" and spans past the last row end at the last row."""
    grid = Grid(number, lambda r, c: f"表{number} 第{r + 1}行 第{c + 1}列")
    rows = _rows(table)
    taken: set[tuple[int, int]] = set()
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in taken:
                c += 1
            rowspan = _span(cell, "rowspan") if cell.get("rowspan") != "0" else len(rows) - r
            rowspan = min(rowspan, len(rows) - r)
            colspan = _span(cell, "colspan")
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
            grid.texts[r, c] = cell_text(cell)
            if rowspan > 1 or colspan > 1:
                grid.spans[r, c] = (rowspan, colspan)
            c += colspan
    return grid
