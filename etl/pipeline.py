"""One input file in, one `ParsedFile` out: read, parse, judge, check.

This is what each worker process runs. It never raises for bad input: whatever goes
wrong becomes `ParsedFile.error`, a reason in Chinese, so the batch goes on.
"""

from __future__ import annotations

import errno
import hashlib
from pathlib import Path

from etl.model import CheckedForm, Document, FileKind, ParsedFile
from etl.readers import EMPTY_FILE, UnreadableFile, read_document, reader_for

NOT_A_FORM = "未识别到绩效自评表（不是自评表或版式无法识别）"
MEMORY_LIMIT = "解析内存超过上限"
TOO_DEEP = "文件结构嵌套过深，无法解析"
BROKEN = "文件结构异常，无法读取"
INTERNAL = "解析程序内部错误，已跳过此文件（请反馈给维护者）"
OS_REASONS = {errno.ENOENT: "文件不存在", errno.EACCES: "没有访问权限", errno.EPERM: "没有访问权限",
              errno.EISDIR: "这是文件夹，不是文件", errno.EIO: "磁盘读写错误",
              errno.ENOSPC: "磁盘空间不足", errno.EROFS: "文件系统只读"}


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


def reader_kind(path: str) -> FileKind:
    reader = reader_for(path)
    return reader.kind if reader else "txt"


def os_reason(exc: OSError) -> str:
    return "无法读取文件：" + OS_REASONS.get(exc.errno or 0, f"系统错误（错误码 {exc.errno}）")


def process_file(path: str, sha256: str | None = None) -> ParsedFile:
    """Read and check one file; errors are captured, never raised, and always said in Chinese."""
    result = ParsedFile(path=path, sha256=sha256 or "", kind=reader_kind(path))
    reading = True
    try:
        result.sha256 = result.sha256 or file_sha256(path)
        if Path(path).stat().st_size == 0:
            raise UnreadableFile(EMPTY_FILE)
        doc = read_document(path)
        result.pages, result.warnings = doc.pages, list(doc.warnings)
        reading = False
        result.forms = check_document(doc)
        if not result.forms:
            result.error = NOT_A_FORM
    except UnreadableFile as exc:
        result.error = _limit_reason(exc) or exc.reason
        result.pages = getattr(exc, "pages", result.pages)  # a blank PDF still has pages
    except OSError as exc:
        result.error = _limit_reason(exc) or os_reason(exc)
    except Exception as exc:  # noqa: BLE001 - a parser bug or a hostile file must not stop the batch
        result.error = _limit_reason(exc) or (BROKEN if reading and not isinstance(exc, ImportError) else INTERNAL)
    return result


def _limit_reason(exc: BaseException) -> str | None:
    """The reason when a resource limit lies behind `exc` (libraries wrap what they catch)."""
    seen: set[int] = set()
    stack: list[object] = [exc]
    while stack:
        e = stack.pop()
        if not isinstance(e, BaseException) or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, MemoryError):
            return MEMORY_LIMIT
        if isinstance(e, RecursionError):
            return TOO_DEEP
        stack += [e.__cause__, e.__context__, *e.args[:1]]
    return None
