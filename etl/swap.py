"""The writer's private copy of the database: its name, the swap, and leftovers of killed runs.

The copy is named `.<db>.<pid>.<random>.tmp` beside the database (same file system, so the
swap is an atomic rename). The process id in the name tells the next run whether the copy's
owner is gone: a run killed with SIGKILL cannot clean up, the next one does.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

_TEMP = re.compile(r"\.(?P<db>.+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.tmp(\.wal)?")


def new_temp_path(target: Path) -> Path:
    """A fresh, unused name for the private copy (DuckDB wants to create the file itself)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.unlink(tmp)
    return Path(tmp)


def temp_files(tmp: Path) -> tuple[Path, Path]:
    return tmp, Path(f"{tmp}.wal")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def leftovers(target: Path) -> list[Path]:
    """Private copies (and their WAL) of `target` whose owner process is gone."""
    if not target.parent.is_dir():
        return []
    found = []
    for entry in target.parent.iterdir():
        m = _TEMP.fullmatch(entry.name)
        if m and m["db"] == target.name and not _alive(int(m["pid"])):
            found.append(entry)
    return sorted(found)


def remove_leftovers(target: Path) -> list[Path]:
    removed = []
    for path in leftovers(target):
        try:
            path.unlink()
            removed.append(path)
        except FileNotFoundError:
            pass  # another run cleaned it first
    return removed


def swap_in(tmp: Path, target: Path) -> None:
    """Rename the finished copy over `target`, keeping the original file's mode and owner."""
    try:
        st = target.stat()
    except FileNotFoundError:
        st = None
    if st is not None:
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        tmp_st = tmp.stat()
        if (tmp_st.st_uid, tmp_st.st_gid) != (st.st_uid, st.st_gid):
            try:
                os.chown(tmp, st.st_uid, st.st_gid)
            except PermissionError:
                pass  # only root may give a file away; the mode is kept at least
    os.replace(tmp, target)
