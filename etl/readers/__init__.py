"""Readers: one module per input kind, each turning a file into a `Document`.

`read_document` picks the reader by file suffix. A reader raises `UnreadableFile`
(with a Chinese reason) when the file cannot be read at all.
"""

from __future__ import annotations

from pathlib import Path

from etl.model import Document


EMPTY_FILE = "空文件（0 字节）"


class UnreadableFile(Exception):
    """The file cannot be read as a form source; `reason` is shown to users."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_document(path: str | Path) -> Document:
    path = str(path)
    suffix = Path(path).suffix.lower()
    if suffix == ".pdf":
        from etl.readers.pdf import read_pdf  # pdfplumber is imported only when needed

        return read_pdf(path)
    if suffix == ".txt":
        from etl.readers.text import read_text

        return read_text(path)
    raise UnreadableFile(f"不支持的文件类型：{suffix or '无扩展名'}")
