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
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from etl.limits import no_main_script
from etl.model import ParsedFile
from etl.pipeline import process_file

EXECUTORS = ("local", "dask")
IN_FLIGHT_PER_THREAD = 4  # tasks queued per worker thread: keeps workers busy, bounds held results

Todo = Sequence[tuple[str, str | None]]  # (path, sha256 or None)


def process_bytes(path: str, data: bytes, sha256: str | None) -> ParsedFile:
    """On a worker without the shared folder: parse a private copy, report the original path."""
    with tempfile.TemporaryDirectory(prefix="jixiao-") as tmp:
        local = Path(tmp) / f"file{Path(path).suffix.lower()}"
        local.write_bytes(data)
        result = process_file(str(local), sha256)
    result.path = path
    return result


def _lost(path: str, sha256: str | None, exc: BaseException) -> ParsedFile:
    from etl.readers import reader_for

    reader = reader_for(path)
    return ParsedFile(path=path, sha256=sha256 or "", kind=reader.kind if reader else "txt",
                      error=f"解析失败（集群工作进程出错 {type(exc).__name__}）")


@dataclass(slots=True)
class DaskExecutor:
    scheduler: str | None = None  # tcp://HOST:8786; None: a LocalCluster on this machine
    workers: int = 2  # LocalCluster size when no scheduler is given
    ship_bytes: bool = False

    @contextmanager
    def _client(self) -> Iterator[object]:
        from distributed import Client, LocalCluster

        if self.scheduler:
            with Client(self.scheduler) as client:
                yield client
            return
        # Nannies spawn (and restart) workers for the cluster's whole life: keep the parent's
        # __main__ script out of them for as long (see limits.no_main_script).
        with no_main_script(), LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                            dashboard_address=None) as cluster, Client(cluster) as client:
            yield client

    def _submit(self, client: object, path: str, sha: str | None) -> object:
        if self.ship_bytes:
            data = Path(path).read_bytes()
            return client.submit(process_bytes, path, data, sha, pure=False)  # type: ignore[attr-defined]
        return client.submit(process_file, path, sha, pure=False)  # type: ignore[attr-defined]

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
            future = client.submit(process_file, path, sha, pure=False)  # type: ignore[attr-defined]
        owner[future] = (path, sha)
        queue.add(future)  # type: ignore[attr-defined]


def make(executor: str, *, scheduler: str | None = None, workers: int | None = None,
         ship_bytes: bool = False) -> DaskExecutor | None:
    """The executor to parse with; None for `local` (the ingest's own process pool)."""
    if executor == "local":
        return None
    if executor == "dask":
        return DaskExecutor(scheduler=scheduler, workers=workers or os.cpu_count() or 1, ship_bytes=ship_bytes)
    raise ValueError(f"未知的执行方式：{executor}（可选 {'、'.join(EXECUTORS)}）")
