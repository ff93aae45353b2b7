"""`jixiao site`: build the static site into a temporary folder next to --out, then swap it in.

--out is replaced only when the build completed, and only if it is empty, missing or a
previous jixiao site (it holds MARKER): any other folder is refused, never deleted.
Deterministic: the same database gives the same bytes in every file except the build
stamp in index.html's footer.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sys
import tempfile
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
import plotly.io as pio

from dashboard.data import db
from dashboard.data.base import FILTER, filter_params
from dashboard.filters import Filters
from dashboard.site import overview, pages, projects, render
from etl.errors import JixiaoError

MARKER = ".jixiao-site"
MARKER_TEXT = "本文件夹由 jixiao site 生成；重新生成时会整体替换。\n"
DEPTS_PER_TASK = 8  # 主管部门 per overview task: their pages share one query per table (overview.Bulk)


class SiteError(JixiaoError):
    """A Chinese message for the user: wrong --out, unreadable database (the CLI prints it, exit code 2)."""


@dataclass(frozen=True, slots=True)
class Result:
    out: Path
    pages: int
    projects: int
    files: int
    bytes: int


def check_target(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise SiteError(f"--out 指向的是一个文件而不是文件夹：{out}")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise SiteError(f"文件夹 {out} 不是空的，也不是 jixiao 生成的站点；为免误删，拒绝覆盖。请换一个 --out。")


def build(db_file: Path, out: Path, *, year: int | None = None, department: str | None = None,
          images: bool = True, progress: bool = True, stamp: str | None = None, workers: int = 1) -> Result:
    """Write the site for the database's primary forms (optionally one year / one 主管部门) to `out`."""
    db_file, out = Path(db_file), Path(out)
    check_target(out)
    if not db_file.is_file():
        raise SiteError(f"找不到数据库文件：{db_file}（先运行 jixiao ingest）")
    try:
        con = db.connect(db_file)
    except duckdb.Error as exc:
        raise SiteError(f"无法打开数据库 {db_file.name}（{type(exc).__name__}），文件可能已损坏或不是 DuckDB 数据库") from exc
    try:
        problems = db.schema_problems(con)
        if problems:
            raise SiteError("数据库结构不完整：" + "；".join(problems))
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
        try:
            base = Filters(years=(year,) if year else (), departments=(department,) if department else ())
            site = pages.Site(tmp, con, base, projects.Options(db_file.resolve(), images, base.years),
                              stamp=stamp if stamp is not None else _now())
            with render.bare_figures():
                n_projects = _write(site, progress, workers)
            (tmp / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
            _swap(tmp, out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    finally:
        con.close()
    files = [p for p in out.rglob("*") if p.is_file()]
    return Result(out, sum(p.suffix == ".html" for p in files), n_projects, len(files),
                  sum(p.stat().st_size for p in files))


def _write(site: pages.Site, progress: bool, workers: int) -> int:
    from tqdm import tqdm

    params = filter_params(site.base)
    n_projects = int(db.run(site.con, f"SELECT count(*) AS n FROM mart_reports WHERE {FILTER}", params)["n"].iloc[0])
    pairs = pages.year_department_pairs(site)
    scopes = list(pages.overview_scopes(site, pairs))
    pages.write_static(site)
    tasks = itertools.chain(_overview_tasks(scopes, pairs),
                            (Task(ids=tuple(ids)) for ids in projects.batches(site.con, FILTER, params)))
    with tqdm(total=len(scopes) + n_projects, desc="生成站点", unit="页", disable=not progress,
              file=sys.stderr) as bar:
        for task, rows in _run(site, tasks, workers):
            pages.add_search(site, rows)  # in task order, whichever worker finished first
            bar.update(len(task.scopes) + len(task.ids))
    pages.write_search(site)
    return n_projects


@dataclass(frozen=True, slots=True)
class Task:
    """Some overview pages or one batch of projects: independent files, so workers can share them out."""

    scopes: tuple = ()
    pairs: Any = None
    departments: tuple[str, ...] = ()  # the 主管部门 whose pages these are (fetched together)
    ids: tuple[int, ...] = ()


def _overview_tasks(scopes: list[overview.Scope], pairs: Any) -> Iterator[Task]:
    """The index and year pages one by one (each reads a whole year or more), then the pages
    of DEPTS_PER_TASK 主管部门 at a time."""
    general = [s for s in scopes if s.single_dept is None]
    yield from (Task(scopes=(s,), pairs=pairs) for s in general)
    by_dept: dict[str, list[overview.Scope]] = {}
    for s in scopes:
        if s.single_dept is not None:
            by_dept.setdefault(s.single_dept, []).append(s)
    depts = list(by_dept)
    for i in range(0, len(depts), DEPTS_PER_TASK):
        chunk = tuple(depts[i:i + DEPTS_PER_TASK])
        yield Task(scopes=tuple(s for d in chunk for s in by_dept[d]), pairs=pairs, departments=chunk)


def _do(site: pages.Site, task: Task) -> list[list[Any]]:
    bulk = overview.Bulk.fetch(site.con, site.base.years, task.departments) if task.departments else None
    for scope in task.scopes:
        pages.write_overview(site, scope, task.pairs, bulk)
    return pages.write_projects(site, list(task.ids)) if task.ids else []


_WORKER: pages.Site | None = None


def _init_worker(root: Path, db_file: Path, base: Filters, opts: projects.Options, stamp: str) -> None:
    global _WORKER  # noqa: PLW0603 - one connection and Jinja environment per worker process
    pio.templates.default = None  # for the worker's life, as render.bare_figures does in the main process
    con = db.connect(db_file)
    # One DuckDB thread per worker: the workers already fill the cores, and a page's queries are
    # small (threads cost more than they save: ~15 % of a worker's CPU).
    con.execute("SET threads = 1")
    _WORKER = pages.Site(root, con, base, opts, stamp=stamp)


def _in_worker(task: Task) -> list[list[Any]]:
    assert _WORKER is not None
    return _do(_WORKER, task)


def _run(site: pages.Site, tasks: Iterator[Task], workers: int) -> Iterator[tuple[Task, list[list[Any]]]]:
    """(task, search rows) in task order; with workers > 1 from a process pool, a few tasks ahead."""
    if workers <= 1:
        for task in tasks:
            yield task, _do(site, task)
        return
    args = (site.root, site.opts.db_file, site.base, site.opts, site.stamp)
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=args) as pool:
        window: deque = deque()
        for task in tasks:
            window.append((task, pool.submit(_in_worker, task)))
            if len(window) > 2 * workers:  # bounded: memory does not grow with the number of forms
                done, future = window.popleft()
                yield done, future.result()
        while window:
            done, future = window.popleft()
            yield done, future.result()


def _swap(tmp: Path, out: Path) -> None:
    """Put the finished build at `out`; the previous site (or empty folder) goes only after that."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
    tmp.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _now() -> str:
    return datetime.now(timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
