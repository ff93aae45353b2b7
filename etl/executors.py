"""Where per-file parsing runs: this machine's process pool (`local`) or a Dask cluster (`dask`).

    jixiao ingest PATH... --executor dask --scheduler tcp://HOST:8786 [--ship-bytes]

Only parsing moves (`etl.pipeline.process_file`, a pure function of the file). Change
detection, the one writer and the atomic commit stay in the ingest process, so a Dask run
writes the same records, committed the same way; keys derive from content (etl/keys.py),
so the order results come back in does not matter.

Workers read each file from the same path (a shared folder, e.g. NFS, mounted at the same
place) or, with `ship_bytes`, receive its bytes and parse a private temporary copy. Without a
scheduler address a `LocalCluster` of `workers` processes (one thread each) is started.
A task whose worker dies (out of memory, killed) is retried by Dask, then recorded as a
failed file with a Chinese reason; the batch goes on.

The per-file limits (etl/limits.py: time, memory) hold on the cluster too: each Dask worker
parses through its own one-process `LimitedPool`, which needs workers that may start child
processes (`distributed.worker.daemon: False`, set here for the LocalCluster; for other
clusters `DASK_DISTRIBUTED__WORKER__DAEMON=False`). A daemonic worker parses without them and
says so in the file's warnings.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from etl.limits import LimitedPool, Limits, no_main_script
from etl.model import ParsedFile
from etl.pipeline import process_file

EXECUTORS = ("local", "dask")
IN_FLIGHT_PER_THREAD = 4  # tasks queued per worker thread: keeps workers busy, bounds held results

Todo = Sequence[tuple[str, str | None]]  # (path, sha256 or None)


NO_LIMITS = "集群工作进程为守护进程，未能对本文件施加解析时间和内存限制（见 README：DASK_DISTRIBUTED__WORKER__DAEMON=False）"
_POOLS: dict[Limits, LimitedPool] = {}  # one per worker process, kept between tasks


def process_limited(path: str, sha256: str | None, limits: Limits | None) -> ParsedFile:
    """On a worker: parse one file under the same per-file limits as the local process pool."""
    if limits is None:
        return process_file(path, sha256)
    if mp.current_process().daemon:  # may not start the child that enforces the limits
        result = process_file(path, sha256)
        result.warnings.append(NO_LIMITS)
        return result
    pool = _POOLS.get(limits)
    if pool is None:
        pool = _POOLS[limits] = LimitedPool(1, limits)
    return next(iter(pool.run([(path, sha256)])))


def process_bytes(path: str, data: bytes, sha256: str | None, limits: Limits | None = None) -> ParsedFile:
    """On a worker without the shared folder: parse a private copy, report the original path."""
    with tempfile.TemporaryDirectory(prefix="jixiao-") as tmp:
        local = Path(tmp) / f"file{Path(path).suffix.lower()}"
        local.write_bytes(data)
        result = process_limited(str(local), sha256, limits)
    result.path = path
    return result


def _lost(path: str, sha256: str | None, exc: BaseException) -> ParsedFile:
    from etl.readers import reader_for

    reader = reader_for(path)
    return ParsedFile(path=path, sha256=sha256 or "", kind=reader.kind if reader else "txt",
                      error=f"解析失败（集群工作进程出错 {type(exc).__name__}）")


@contextmanager
def local_cluster(workers: int) -> Iterator[object]:
    """A LocalCluster of `workers` processes × 1 thread, whose workers may start the child
    process that enforces the per-file limits."""
    import dask
    from distributed import LocalCluster

    # Nannies spawn (and restart) workers for the cluster's whole life: keep the parent's
    # __main__ script out of them for as long (see limits.no_main_script).
    with no_main_script(), dask.config.set({"distributed.worker.daemon": False}), \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster


@dataclass(slots=True)
class DaskExecutor:
    scheduler: str | None = None  # tcp://HOST:8786; None: a LocalCluster on this machine
    workers: int = 2  # LocalCluster size when no scheduler is given
    ship_bytes: bool = False
    limits: Limits | None = Limits()

    @contextmanager
    def _client(self) -> Iterator[object]:
        from distributed import Client

        if self.scheduler:
            with Client(self.scheduler) as client:
                yield client
            return
        with local_cluster(self.workers) as cluster, Client(cluster) as client:
            yield client

    def _submit(self, client: object, path: str, sha: str | None) -> object:
        if self.ship_bytes:
            data = Path(path).read_bytes()
            return client.submit(process_bytes, path, data, sha, self.limits, pure=False)  # type: ignore[attr-defined]
        return client.submit(process_limited, path, sha, self.limits, pure=False)  # type: ignore[attr-defined]

    def parse(self, todo: Todo) -> Iterator[ParsedFile]:
        """Parsed files in completion order, at most a few tasks per worker thread in flight."""
        from distributed import as_completed

        if not todo:
            return
        with self._client() as client:
            threads = sum(client.nthreads().values()) or 1  # type: ignore[attr-defined]
            pending = iter(todo)
            owner: dict[object, tuple[str, str | None]] = {}
            queue = as_completed()
            for path, sha in pending:
                self._add(client, queue, owner, path, sha)
                if len(owner) >= threads * IN_FLIGHT_PER_THREAD:
                    break
            for future in queue:
                path, sha = owner.pop(future)
                try:
                    yield future.result()
                except Exception as exc:  # noqa: BLE001 - a lost worker must not stop the batch
                    yield _lost(path, sha, exc)
                finally:
                    future.release()
                nxt = next(pending, None)
                if nxt is not None:
                    self._add(client, queue, owner, *nxt)

    def _add(self, client: object, queue: object, owner: dict, path: str, sha: str | None) -> None:
        try:
            future = self._submit(client, path, sha)
        except OSError:  # ship_bytes and the file cannot be read here: the worker says why
            future = client.submit(process_limited, path, sha, self.limits, pure=False)  # type: ignore[attr-defined]
        owner[future] = (path, sha)
        queue.add(future)  # type: ignore[attr-defined]


def make(executor: str, *, scheduler: str | None = None, workers: int | None = None,
         ship_bytes: bool = False, limits: Limits | None = Limits()) -> DaskExecutor | None:
    """The executor to parse with; None for `local` (the ingest's own process pool)."""
    if executor == "local":
        return None
    if executor == "dask":
        return DaskExecutor(scheduler=scheduler, workers=workers or os.cpu_count() or 1, ship_bytes=ship_bytes,
                            limits=limits)
    raise ValueError(f"未知的执行方式：{executor}（可选 {'、'.join(EXECUTORS)}）")
