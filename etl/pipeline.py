"""One input file in, one `ParsedFile` out: read, parse, judge, check.

This is what each worker process runs. It never raises for bad input: whatever goes
wrong becomes `ParsedFile.error`, a reason in Chinese, so the batch goes on.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from etl.model import CheckedForm, Document, FileKind, ParsedFile
from etl.readers import EMPTY_FILE, READERS, UnreadableFile, read_document, reader_for

SUFFIX_KINDS: dict[str, FileKind] = {suffix: r.kind for suffix, r in READERS.items()}
NOT_A_FORM = "未识别到绩效自评表（不是自评表或版式无法识别）"


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def check_document(doc: Document) -> list[CheckedForm]:
    # Imported on first use: `jixiao ingest` on an unchanged folder only hashes files,
    # and its start-up time is most of what such a re-run costs.
    from etl.checks import check_form
    from etl.checks_ocr import check_ocr
    from etl.parse import parse_document

    checked = [check_form(form) for form in parse_document(doc)]
    for c in checked:
        c.findings += check_ocr(c.form)  # scanned forms: which figures to verify
    return checked


def process_file(path: str, sha256: str | None = None) -> ParsedFile:
    """Read and check one file; errors are captured, never raised."""
    reader = reader_for(path)
    kind: FileKind = reader.kind if reader else "txt"
    result = ParsedFile(path=path, sha256=sha256 or "", kind=kind)
    try:
        result.sha256 = result.sha256 or file_sha256(path)
        if Path(path).stat().st_size == 0:
            raise UnreadableFile(EMPTY_FILE)
        doc = read_document(path)
        result.pages, result.warnings = doc.pages, list(doc.warnings)
        result.forms = check_document(doc)
        if not result.forms:
            result.error = NOT_A_FORM
    except UnreadableFile as exc:
        result.error = exc.reason
    except OSError as exc:
        result.error = f"无法读取文件：{exc.strerror or exc}"
    except Exception as exc:  # noqa: BLE001 - a parser bug must not stop the batch
        result.error = f"解析失败（内部错误 {type(exc).__name__}: {exc}）"
    return result
