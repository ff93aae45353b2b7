"""Discovery: every input file under the given files and folders, and everything that is not one.

Nothing met is dropped without a word: files of a type no reader handles (the suffixes of
`etl.readers.READERS`), folders that cannot be listed, dangling symbolic links and named
paths that do not exist come back as `Skipped`, with a Chinese reason, to be listed in the
summary and stored in `files`. Hidden files and folders (a leading `.`) are not inputs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from etl.readers import reader_for

UNSUPPORTED, FOLDER, LINK, MISSING = "unsupported", "folder", "link", "missing"


@dataclass(frozen=True, slots=True)
class Skipped:
    path: str
    what: str  # UNSUPPORTED, FOLDER, LINK or MISSING
    reason: str

    @property
    def status(self) -> str:
        """Stored in files.status: an unsupported file is skipped; the rest are failures."""
        return "skipped" if self.what == UNSUPPORTED else "error"


@dataclass(slots=True)
class Found:
    files: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)  # the given paths, absolute

    def covers(self, path: str) -> bool:
        """Whether `path` lies in what this discovery looked at (so its absence means something)."""
        return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in self.roots)


def unsupported(path: Path) -> Skipped:
    suffix = path.suffix.lower()
    return Skipped(str(path), UNSUPPORTED, f"不支持的文件类型：{suffix or '无扩展名'}")


def discover(paths: Iterable[str | os.PathLike[str]], exclude: Iterable[Path] = ()) -> Found:
    """Files to read (sorted, absolute) and the paths skipped, under the given files/folders.

    `exclude`: files that are never inputs (the database itself and its journal).
    """
    files: set[str] = set()
    skipped: dict[str, Skipped] = {}
    ignore = {os.path.realpath(p) for p in exclude}
    seen: set[tuple[int, int]] = set()
    roots: list[str] = []

    def take(path: Path) -> None:
        if reader_for(path) is not None:
            files.add(str(path))
        elif os.path.realpath(path) not in ignore:
            skipped.setdefault(str(path), unsupported(path))

    for raw in paths:
        # Absolute paths: a file's identity (and the dashboard's link to the original PDF)
        # must not depend on the folder the command was run from.
        p = Path(os.path.abspath(raw))
        roots += [str(p), str(p.resolve())]
        if p.is_dir():
            _walk(p.resolve(), take, skipped, seen, ignore)
        elif p.is_file():
            take(p.resolve())
        elif p.is_symlink():
            skipped.setdefault(str(p), Skipped(str(p), LINK, "符号链接失效（指向的文件不存在）"))
        else:
            skipped.setdefault(str(p), Skipped(str(p), MISSING, "文件或文件夹不存在"))
    return Found(sorted(files), sorted(skipped.values(), key=lambda s: s.path), roots)


def _walk(root: Path, take: Callable[[Path], None], skipped: dict[str, Skipped],
          seen: set[tuple[int, int]], ignore: set[str]) -> None:
    """Depth-first over `root`, following linked folders once each (a link loop ends); folders
    in `ignore` (the store's deltas) are not entered."""
    stack = [root]
    while stack:
        folder = stack.pop()
        entries = _list(folder, skipped, seen)
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                if entry.is_dir():
                    if os.path.realpath(path) not in ignore:
                        stack.append(path)
                elif entry.is_file():
                    take(path)
                elif entry.is_symlink():
                    skipped[entry.path] = Skipped(entry.path, LINK, "符号链接失效（指向的文件不存在）")
                else:
                    skipped[entry.path] = Skipped(entry.path, UNSUPPORTED, "不是普通文件（设备、管道或套接字）")
            except OSError as exc:
                skipped[entry.path] = Skipped(entry.path, FOLDER, _folder_reason(exc))


def _list(folder: Path, skipped: dict[str, Skipped], seen: set[tuple[int, int]]) -> list[os.DirEntry[str]]:
    try:
        st = folder.stat()
        if (st.st_dev, st.st_ino) in seen:
            return []
        seen.add((st.st_dev, st.st_ino))
        if not os.access(folder, os.R_OK | os.X_OK):
            raise PermissionError(13, "permission denied", str(folder))
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError as exc:
        skipped[str(folder)] = Skipped(str(folder), FOLDER, _folder_reason(exc))
        return []


def _folder_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "无法读取文件夹：没有访问权限"
    return f"无法读取文件夹：系统错误（错误码 {exc.errno}）"
