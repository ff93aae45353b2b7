"""Readers: one module per input kind, each turning a file into a `Document`.

`READERS` maps a file suffix to its kind and the reader function (module path and
name, imported only when a file of that kind is read). `read_document` picks the
reader by suffix. A reader raises `UnreadableFile` (with a Chinese reason) when the
file cannot be read at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from etl.model import Document, FileKind


EMPTY_FILE = "空文件（0 字节）"


@dataclass(frozen=True, slots=True)
class Reader:
    kind: FileKind
    module: str  # e.g. "etl.readers.pdf"
    function: str  # e.g. "read_pdf": (path: str) -> Document


# Every suffix the ingest accepts. Discovery, the pipeline and the CLI's list of skipped
# files all read this one table: a reader is added here and nowhere else.
READERS: dict[str, Reader] = {
    # PDF pages without a usable text layer are OCR'd (etl.readers.pdf_ocr wraps read_pdf).
    ".pdf": Reader("pdf", "etl.readers.pdf_ocr", "read_pdf_or_scan"),
    ".txt": Reader("txt", "etl.readers.text", "read_text"),
    ".xlsx": Reader("xlsx", "etl.readers.xlsx", "read_xlsx"),
    ".xlsm": Reader("xlsx", "etl.readers.xlsx", "read_xlsx"),
    ".xls": Reader("xls", "etl.readers.xlsx", "read_xls"),
    ".html": Reader("html", "etl.readers.html", "read_html"),
    ".htm": Reader("html", "etl.readers.html", "read_html"),
    ".docx": Reader("docx", "etl.readers.docx", "read_docx"),
    **{s: Reader("image", "etl.readers.image", "read_image") for s in (".png", ".jpg", ".jpeg", ".tif", ".tiff")},
}


class UnreadableFile(Exception):
    """The file cannot be read as a form source; `reason` is shown to users."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def reader_for(path: str | Path) -> Reader | None:
    return READERS.get(Path(path).suffix.lower())


def read_document(path: str | Path) -> Document:
    path = str(path)
    reader = reader_for(path)
    if reader is None:
        suffix = Path(path).suffix.lower()
        raise UnreadableFile(f"不支持的文件类型：{suffix or '无扩展名'}")
    read = getattr(import_module(reader.module), reader.function)
    return read(path)
