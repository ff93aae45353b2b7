"""One writer at a time: an exclusive `flock` on a lock file beside the database.

The kernel drops a `flock` when its holder dies, however it dies, so a killed run never
leaves a stale lock; the lock file itself stays (deleting it would let two runs lock two
different files). Its content is the holder's process id, for the waiting message only.
Worker processes never inherit the descriptor (it is opened non-inheritable and workers
come from a fork server), so an orphaned worker cannot keep the database locked.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from etl.errors import JixiaoError


def lock_path(db: Path) -> Path:
    return db.with_name(f".{db.name}.lock")


@contextmanager
def writer_lock(db: Path, *, wait: bool = True, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the database's writer lock for the block; wait for it, or refuse when `wait` is False."""
    path = lock_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            busy = f"数据库 {db} 正在被另一个载入进程（进程号 {_holder(fd)}）写入"
            if not wait:
                raise JixiaoError(busy + "，本次载入已放弃（--no-wait）。") from None
            if on_wait:
                on_wait(busy + "，等待其完成后继续……")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _holder(fd: int) -> str:
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return text if text.isdigit() else "未知"
