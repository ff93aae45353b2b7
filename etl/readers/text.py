"""Reader for plain-text extractions of 绩效自评表 (the `.txt` seeds and the like).

Two layouts are recognised:
- tab-separated: each line is a table row, cells split by tabs (stray `<p>` tags dropped);
- line-broken: `extract_text`-style output where cells wrap onto their own lines; rows
  are rebuilt from the printed labels and each indicator's `weight score` pair
  (text_blocks -> text_rows).
Pages: form feeds if present, else a run of 3+ blank lines marks a page break.
"""

from __future__ import annotations

import re
from pathlib import Path

from etl.model import Cell, Document
from etl.normalize import clean, has_cid
from etl.readers import UnreadableFile
from etl.readers.text_blocks import plan
from etl.readers.text_lines import Line
from etl.readers.text_rows import emit

PAGE_BREAK_BLANKS = 3
CID_WARNING = "第{pages}页含无法识别的字符（cid），相关内容未载入"
_TAGS = re.compile(r"</?\s*p\s*/?>", re.IGNORECASE)
_BREAK_TAGS = re.compile(r"<\s*br\s*/?>", re.IGNORECASE)
_ENCODINGS = ("utf-8-sig", "gb18030")


def read_text(path: str) -> Document:
    text = _decode(Path(path).read_bytes())
    return text_document(text, path)


def text_document(text: str, path: str = "") -> Document:
    """The Document for already decoded text (what `read_text` does after reading)."""
    raw_lines, pages = _paged_lines(text)
    if _is_tabbed(raw_lines):
        specs, warnings = _tab_rows(raw_lines), []
    else:
        lines = [Line(c, p) for p, t in raw_lines for part in t.split("\n") if (c := clean(part))]
        specs, warnings = emit(plan(lines))
    rows = [[Cell(text=t, page=page, row=r, col=c) for c, t in enumerate(cells)]
            for r, (page, cells) in enumerate(specs)]
    cid_pages = sorted({c.page for row in rows for c in row if has_cid(c.text)})
    if cid_pages:
        warnings.append(CID_WARNING.format(pages="、".join(map(str, cid_pages))))
    return Document(path=path, kind="txt", pages=pages, rows=rows, warnings=warnings)


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile("不是文本文件（含二进制内容）")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for enc in _ENCODINGS:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("无法识别文本编码（既不是 UTF-8 也不是 GB18030）")


def _paged_lines(text: str) -> tuple[list[tuple[int, str]], int]:
    """(page, raw line) for every non-blank line, tags removed; and the page count.

    Form feeds, where present, are the page breaks; otherwise a run of blank lines is."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    explicit = "\f" in text
    chunks = text.rstrip("\n").removesuffix("\f").split("\f") if explicit else [text]
    out: list[tuple[int, str]] = []
    for number, chunk in enumerate(chunks, start=1):
        blanks = 0
        for raw in chunk.split("\n"):
            line = _BREAK_TAGS.sub("\n", _TAGS.sub("", raw))
            if not line.strip():
                blanks += 1
                continue
            page = number if explicit or not out else out[-1][0] + (blanks >= PAGE_BREAK_BLANKS)
            out.append((page, line))
            blanks = 0
    pages = len(chunks) if explicit else max((p for p, _ in out), default=1)
    return out, pages


def _is_tabbed(lines: list[tuple[int, str]]) -> bool:
    tabbed = sum(1 for _, t in lines if "\t" in t.strip("\t") or t.count("\t") >= 2)
    return bool(lines) and tabbed >= max(2, len(lines) // 3)


def _tab_rows(lines: list[tuple[int, str]]) -> list[tuple[int, list[str]]]:
    """One row per line, one cell per tab-separated field (empty fields keep positions)."""
    out: list[tuple[int, list[str]]] = []
    for page, line in lines:
        cells = [_clean_cell(c) for c in line.split("\t")]
        while len(cells) > 1 and not cells[-1]:
            cells.pop()
        if any(cells):
            out.append((page, cells))
    return out


def _clean_cell(text: str) -> str:
    return "\n".join(clean(part) for part in text.split("\n")).strip()
