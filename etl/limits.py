"""Parsing under limits: every file is read in a worker process with a wall-clock and a memory limit.

A hostile file (a content stream that references itself, a decompression bomb) must cost
one file, never the batch. Each worker gets a memory limit (RLIMIT_DATA) at start, so a
bomb ends in a MemoryError within seconds; the parent kills a worker that exceeds the
file's wall-clock limit and starts a fresh one. Workers die with their parent: Linux's
PR_SET_PDEATHSIG, and a watchdog thread where that is missing.

Workers come from a fork server (one clean single-threaded process forked per worker):
not `fork` of this process, which may hold DuckDB threads and the writer's lock file.
"""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import resource
import signal
import sys
import threading
import time
import types
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import resource_tracker
from multiprocessing.connection import Connection, wait

from etl.errors import JixiaoError
from etl.model import ParsedFile
from etl.pipeline import MEMORY_LIMIT, process_file, reader_kind

DEFAULT_TIMEOUT = 120.0  # seconds per file
DEFAULT_MAX_MEMORY = 2 << 30  # bytes per worker
CRASHED = "解析进程意外退出（可能是文件触发了底层库错误）"
CANNOT_START = "解析进程无法启动（内存上限是否过小？可用 --max-memory 调大），本次载入未写入数据库。"
MAX_STARTUP_FAILURES = 3
PR_SET_PDEATHSIG = 1
Task = tuple[str, "str | None"]


@dataclass(frozen=True, slots=True)
class Limits:
    timeout: float = DEFAULT_TIMEOUT  # wall clock per file, seconds
    max_memory: int = DEFAULT_MAX_MEMORY  # memory per worker (see MEMORY_RLIMIT), bytes; 0 = no limit

    def timeout_reason(self) -> str:
        return f"解析超时（{self.timeout:g} 秒）"


# --- the worker side ---------------------------------------------------------------------

def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)

    def watch() -> None:  # also covers the moment before prctl, and systems without it
        while True:
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass
            time.sleep(0.5)

    threading.Thread(target=watch, daemon=True, name="jixiao-watchdog").start()


# RLIMIT_DATA (Linux ≥ 4.7: heap and private writable mappings), not RLIMIT_AS: the address
# space also counts reservations never written (allocator arenas, thread stacks, ONNX
# Runtime's pools) — an OCR'd A4 page reserves 1.8 GB of address space but writes 0.7 GB.
MEMORY_RLIMIT = resource.RLIMIT_DATA if sys.platform.startswith("linux") else resource.RLIMIT_AS


def _limit_memory(max_memory: int) -> None:
    if max_memory > 0:
        _, hard = resource.getrlimit(MEMORY_RLIMIT)
        soft = max_memory if hard == resource.RLIM_INFINITY else min(max_memory, hard)
        resource.setrlimit(MEMORY_RLIMIT, (soft, hard))


def _worker(conn: Connection, parent: int, max_memory: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent decides
    _die_with_parent(parent)
    _limit_memory(max_memory)
    try:
        conn.send("ready")
        while (task := conn.recv()) is not None:
            result = process_file(*task)
            try:
                conn.send(result)
            except MemoryError:
                conn.send(ParsedFile(path=task[0], sha256=task[1] or "", kind=result.kind, error=MEMORY_LIMIT))
            if result.error == MEMORY_LIMIT:
                return  # start afresh rather than go on in a fragmented heap
    except (EOFError, OSError, KeyboardInterrupt, MemoryError):
        pass  # the parent is gone or gave up on us; it records whatever we were doing
    finally:
        os._exit(0)  # no interpreter teardown, no traceback on the user's terminal


# --- the parent side ---------------------------------------------------------------------

@contextmanager
def no_main_script() -> Iterator[None]:
    """Start children without the parent's `__main__` script.

    multiprocessing re-runs the parent's main script in every child it starts (functions
    pickled by reference may live there). Ours are importable by name, and the parent's main
    may be anything — a Streamlit page run by a test, a script read from stdin — which would
    run again, or fail, in each worker. A bare module has no file or spec: nothing is re-run.
    """
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


@dataclass(slots=True)
class _Slot:
    proc: mp.process.BaseProcess
    conn: Connection
    ready: bool = False
    task: Task | None = None
    deadline: float = 0.0


class LimitedPool:
    """Worker processes that each parse one file at a time under `limits`."""

    def __init__(self, workers: int, limits: Limits) -> None:
        self.limits = limits
        self.size = max(1, workers)
        self._ctx = mp.get_context("forkserver")
        self._ctx.set_forkserver_preload(["etl.pipeline"])
        self.slots: list[_Slot] = []
        self._retried: set[str] = set()  # paths whose worker died once already
        self._startup_failures = 0

    def __enter__(self) -> LimitedPool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _start(self) -> _Slot:
        parent_end, child_end = self._ctx.Pipe()
        proc = self._ctx.Process(target=_worker, args=(child_end, os.getpid(), self.limits.max_memory),
                                 name="jixiao-parse", daemon=True)
        # Children inherit a blocked SIGINT (across exec too): a Ctrl-C never reaches the fork
        # server or a worker half-started, which would print a traceback; ours is delivered after.
        resource_tracker.ensure_running()  # first: starting it unblocks SIGINT again
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            with no_main_script():
                proc.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
        child_end.close()
        slot = _Slot(proc, parent_end)
        self.slots.append(slot)
        return slot

    def _retire(self, slot: _Slot) -> None:
        if slot.proc.is_alive():
            slot.proc.kill()
        slot.proc.join()
        slot.conn.close()
        self.slots.remove(slot)

    def close(self) -> None:
        for slot in list(self.slots):
            self._retire(slot)

    def run(self, todo: Iterable[Task]) -> Iterator[ParsedFile]:
        """Parse every task; results come in completion order, one per task, whatever happens."""
        queue = deque(todo)
        while len(self.slots) < min(self.size, len(queue)):
            self._start()
        while queue or any(s.task for s in self.slots):
            for slot in [s for s in self.slots if s.ready and s.task is None]:
                if queue:
                    self._dispatch(slot, queue.popleft())
            yield from self._collect(queue)

    def _dispatch(self, slot: _Slot, task: Task) -> None:
        slot.task, slot.deadline = task, time.monotonic() + self.limits.timeout
        slot.conn.send(task)

    def _collect(self, queue: deque[Task]) -> Iterator[ParsedFile]:
        busy = [s.deadline for s in self.slots if s.task]
        timeout = max(0.0, min(busy) - time.monotonic()) if busy else None
        ready = wait([s.conn for s in self.slots], timeout)
        for slot in list(self.slots):
            if slot.conn in ready:
                yield from self._receive(slot, queue)
            elif slot.task and time.monotonic() >= slot.deadline:
                yield self._failed(slot, self.limits.timeout_reason(), queue)

    def _receive(self, slot: _Slot, queue: deque[Task]) -> Iterator[ParsedFile]:
        try:
            msg = slot.conn.recv()
        except (EOFError, OSError):  # the worker died: killed by the system, or a crash in C code
            task = slot.task
            if task and task[0] not in self._retried:  # maybe not the file's fault: one more try
                self._retried.add(task[0])
                queue.appendleft(task)
                slot.task = None
            if slot.task:
                yield self._failed(slot, CRASHED, queue)
                return
            if not slot.ready:
                self._startup_failures += 1
                if self._startup_failures > MAX_STARTUP_FAILURES:
                    raise JixiaoError(CANNOT_START)
            self._replace(slot, queue)
            return
        if msg == "ready":
            slot.ready = True
            self._startup_failures = 0
            return
        slot.task = None
        if msg.error == MEMORY_LIMIT:  # that worker exits after sending (see _worker): start another
            self._replace(slot, queue)
        yield msg

    def _failed(self, slot: _Slot, reason: str, queue: deque[Task]) -> ParsedFile:
        path, sha = slot.task or ("", None)
        self._replace(slot, queue)
        return ParsedFile(path=path, sha256=sha or "", kind=reader_kind(path), error=reason)

    def _replace(self, slot: _Slot, queue: deque[Task]) -> None:
        self._retire(slot)
        if queue:  # otherwise the remaining workers finish what is under way
            self._start()


def parse_files(todo: list[Task], workers: int, limits: Limits | None) -> Iterator[ParsedFile]:
    """Parse `todo` in worker processes under `limits` (None: in this process, no limits)."""
    if not todo:
        return
    if limits is None:
        yield from (process_file(path, sha) for path, sha in todo)
        return
    with LimitedPool(min(workers, len(todo)), limits) as pool:
        yield from pool.run(todo)
