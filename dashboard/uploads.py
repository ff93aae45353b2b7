"""Forms added from the dashboard (page 添加自评表): checks, storage and the same ingest as the CLI.

No Streamlit here. Uploads are untrusted: only the suffixes the readers know, a size limit,
a plain file name (no folders), saved under `uploads/<time>/` beside the database, then
`etl.ingest.ingest` loads them (private copy of the database, atomic swap) and each file's
result is reported as the CLI reports it.
"""

from __future__ import annotations

import hmac
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from etl.ingest import ingest
from etl.model import ParsedFile
from etl.readers import READERS
from etl.store import file_status

MAX_FILE_MB = 50
MAX_FILES = 100
WRITE_PASSWORD_ENV = "JIXIAO_WRITE_PASSWORD"
STATUS_TEXT = {"ok": "已载入", "partial": "部分解析（有缺项）", "error": "读取失败"}


def password_ok(given: str, env: str = WRITE_PASSWORD_ENV) -> bool:
    """True only when the variable is set and `given` equals it (constant-time comparison)."""
    want = os.environ.get(env, "")
    return bool(want) and hmac.compare_digest(given.encode("utf-8"), want.encode("utf-8"))


def allowed_suffixes() -> list[str]:
    return sorted(READERS)


def safe_name(name: str) -> str:
    """The bare file name, without folders or control characters, at most 120 characters."""
    base = re.split(r"[\\/]", name)[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip().lstrip(".")
    stem, dot, suffix = base.rpartition(".")
    return (stem[:100] + dot + suffix[:10]) if dot else base[:110]


def refusal(name: str, size: int, max_mb: int = MAX_FILE_MB) -> str | None:
    """Why an upload is refused (Chinese), or None when it may be loaded."""
    suffix = Path(safe_name(name)).suffix.lower()
    if suffix not in READERS:
        return f"不支持的文件类型 {suffix or '（无扩展名）'}，只接受 {'、'.join(allowed_suffixes())}"
    if size > max_mb * 1024 * 1024:
        return f"文件超过 {max_mb} MB"
    if size == 0:
        return "文件为空"
    return None


@dataclass(slots=True)
class FileResult:
    name: str
    status: str  # 已载入 / 部分解析 / 读取失败 / 未接收
    forms: int = 0
    reason: str = ""


def save(files: Iterable[tuple[str, bytes]], folder: Path) -> tuple[list[Path], list[FileResult]]:
    """Write the acceptable uploads into `folder`; the others come back as refused results."""
    saved: list[Path] = []
    refused: list[FileResult] = []
    for n, (name, data) in enumerate(files):
        clean = safe_name(name)
        why = refusal(clean, len(data)) if n < MAX_FILES else f"一次最多 {MAX_FILES} 个文件"
        if why:
            refused.append(FileResult(clean or "（无名文件）", "未接收", reason=why))
            continue
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / clean
        stem, k = target.stem, 1
        while target.exists():  # two uploads with one name: keep both
            target = folder / f"{stem}_{k}{target.suffix}"
            k += 1
        target.write_bytes(data)
        saved.append(target)
    return saved, refused


def upload_folder(db_path: Path) -> Path:
    return db_path.resolve().parent / "uploads" / time.strftime("%Y%m%d-%H%M%S")


def load(paths: list[Path], db_path: Path, progress: Callable[[int, int], None] | None = None) -> list[FileResult]:
    """Ingest `paths` into the database (as `jixiao ingest` does) and report each file."""
    results: list[FileResult] = []
    by_path: dict[str, ParsedFile] = {}

    def tick(pf: ParsedFile) -> None:
        by_path[str(Path(pf.path).resolve())] = pf
        if progress:
            progress(len(by_path), len(paths))

    ingest([str(p) for p in paths], db_path, workers=1, progress=tick)
    for p in paths:
        pf = by_path.get(str(p.resolve()))
        if pf is None:  # same bytes as a file already loaded
            results.append(FileResult(p.name, "已在数据库中（内容相同，未重复载入）"))
            continue
        status = file_status(pf)
        results.append(FileResult(p.name, STATUS_TEXT[status], len(pf.forms), pf.error or ""))
    return results
