"""The Dask executor loads the same records as the process pool, in any order, across --rebuild."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from etl.ingest import ingest
from etl.executors import local_cluster
from etl.limits import Limits
from etl.store import connect_readonly
from tests.etl.exports import export

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


@pytest.fixture(scope="module")
def cluster():  # one LocalCluster of processes for the module (start-up takes seconds)
    with local_cluster(2) as c:
        yield c


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Text extractions and every bad file (PDFs read by pdfplumber): quick to parse five times."""
    root = tmp_path_factory.mktemp("in")
    shutil.copytree(SAMPLES / "text", root / "text")
    shutil.copytree(SAMPLES / "bad", root / "bad")
    return root


def test_dask_loads_what_the_pool_loads(tmp_path: Path, cluster, inputs: Path) -> None:
    local, remote, shipped = (tmp_path / f"{n}.duckdb" for n in ("local", "dask", "ship"))
    ingest([inputs], local, workers=2)
    summary = ingest([inputs], remote, executor="dask", scheduler=cluster.scheduler_address)
    assert summary.forms > 0 and len(summary.failed) == 5  # the five bad files, each with its reason
    want = export(local)
    assert export(remote) == want
    # Another order, in two runs, with bytes shipped to the workers (--rebuild: tests/etl/test_keys.py).
    ingest([inputs / "bad"], shipped, executor="dask", scheduler=cluster.scheduler_address,
           ship_bytes=True)
    ingest([inputs / "text"], shipped, executor="dask", scheduler=cluster.scheduler_address, ship_bytes=True)
    assert export(shipped) == want


def test_a_lost_worker_is_a_recorded_failure(tmp_path: Path, cluster, inputs: Path, monkeypatch) -> None:
    from etl import executors

    def explode(path: str, data: bytes, sha: str | None, limits: Limits | None = None):
        raise MemoryError("worker out of memory")

    monkeypatch.setattr(executors, "process_bytes", explode)
    db = tmp_path / "j.duckdb"
    summary = ingest([inputs / "text"], db, executor="dask", scheduler=cluster.scheduler_address, ship_bytes=True)
    assert len(summary.failed) == 3 and all("集群工作进程出错" in reason for _, reason in summary.failed)
    with connect_readonly(db) as con:
        assert con.execute("SELECT count(*) FROM files WHERE status = 'error'").fetchone()[0] == 3


def test_the_per_file_limits_hold_on_dask_workers(tmp_path: Path, cluster, inputs: Path) -> None:
    from tests.hostile import pdfs

    folder = tmp_path / "in"
    shutil.copytree(inputs / "text", folder)
    pdfs.self_reference(folder)  # loops forever in pdfminer
    db = tmp_path / "j.duckdb"
    summary = ingest([folder], db, executor="dask", scheduler=cluster.scheduler_address, limits=Limits(timeout=10))
    assert summary.failed == [(str(folder / "self_reference.pdf"), "解析超时（10 秒）")]
    assert summary.files_read == 3
