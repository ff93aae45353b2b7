"""Opening the database and running parameterised queries. No Streamlit here.

Values always travel as DuckDB parameters (`$name`); the only SQL text put together
in Python is fixed fragments and whitelisted column names.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from etl import segments
from etl.marts import MARTS
from etl.store import TABLES, connect_readonly

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB = REPO_ROOT / "data" / "jixiao.duckdb"
BUILD_COMMAND = "jixiao ingest data/samples --db data/jixiao.duckdb"
REQUIRED_TABLES = ("files", "reports", "funding", "indicators", "findings")


def db_path() -> Path:
    """From JIXIAO_DB (relative paths are taken from the repo root), else data/jixiao.duckdb."""
    raw = os.environ.get("JIXIAO_DB")
    if not raw:
        return DEFAULT_DB
    p = Path(raw).expanduser()
    return p if p.is_absolute() else REPO_ROOT / p


def store_signature(path: Path) -> tuple | None:
    """Changes whenever the ingest publishes a change (a new manifest or base). None if missing."""
    return segments.signature(path)


def signature(path: Path) -> tuple[int, int, int] | None:
    """(inode, mtime_ns, size) of a file: changes when it is replaced or rewritten. None if missing."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    return connect_readonly(path)


def schema_problems(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Missing tables or columns, in Chinese; empty when the dashboard can work."""
    have = {(t, c) for t, c in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_catalog = 'src'").fetchall()}
    tables = {t for t, _ in have}
    problems = [f"缺少数据表 {t}" for t in (*REQUIRED_TABLES, *MARTS) if t not in tables]
    for table in REQUIRED_TABLES:
        if table in tables:
            missing = [c for c, _ in TABLES[table] if (table, c) not in have]
            if missing:
                problems.append(f"数据表 {table} 缺少列：{', '.join(missing)}")
    return problems


@dataclass(frozen=True, slots=True)
class Slice:
    """A query for a table on screen or a download: SQL text plus its parameters.

    Hashable (params as a tuple of pairs, lists as tuples), so it can key a cache.
    `order` is the ORDER BY, kept apart so a count can skip it. Output columns whose
    name starts with `_` are internal (sort keys) and dropped by `fetch`.
    """

    sql: str
    params: tuple[tuple[str, Any], ...] = ()
    order: str = ""
    # Optional cheaper count query; `paged`: the SQL takes $_limit/$_offset itself (it
    # limits its keys before joining wide columns), so fetch must not add a LIMIT.
    count: str = ""
    paged: bool = False
    # A paged slice's rows all at once (a download), without picking a page of keys first;
    # `whole_sort`: its order as columns sorted ascending, nulls first, by Arrow after the
    # query (DuckDB sorting 100,000 rows that carry long texts costs more than the query).
    whole: str = ""
    whole_sort: tuple[str, ...] = ()

    def param_dict(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.params}


def make_params(**kwargs: Any) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items()))


def _bind(sql: str, params: dict[str, Any] | None) -> dict[str, Any]:
    """Only the parameters the SQL names: DuckDB refuses unused ones."""
    used = set(_PARAM.findall(sql))
    return {k: v for k, v in (params or {}).items() if k in used}


def run(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """One query on its own cursor (connections are not safe to share across threads)."""
    with con.cursor() as cur:
        return cur.execute(sql, _bind(sql, params)).df()


def records(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Rows as dicts, NULL as None: for code that handles rows one by one (no pandas per row)."""
    with con.cursor() as cur:
        cur.execute(sql, _bind(sql, params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _page(s: Slice, limit: int | None, offset: int = 0) -> tuple[str, dict[str, Any]]:
    """The slice in its order, rows `offset`..`offset + limit` (all when limit is None)."""
    body = s.whole if limit is None and s.whole else s.sql
    sql = f"SELECT * FROM ({body}) AS t {('ORDER BY ' + s.order) if s.order else ''}"
    if limit is not None and not s.paged:
        sql += " LIMIT $_limit OFFSET $_offset"
    # A paged slice takes $_limit/$_offset inside its own SQL.
    return sql, s.param_dict() | {"_limit": None if limit is None else int(limit), "_offset": int(offset)}


def fetch(con: duckdb.DuckDBPyConnection, s: Slice, limit: int | None = None, offset: int = 0) -> pd.DataFrame:
    """Rows `offset`..`offset + limit` of the slice in its order (all rows when limit is None)."""
    df = run(con, *_page(s, limit, offset))
    return df.drop(columns=[c for c in df.columns if c.startswith("_")])  # internal sort keys


def fetch_arrow(con: duckdb.DuckDBPyConnection, s: Slice) -> pa.Table:
    """The whole slice as Arrow (for downloads: no pandas round trip), internal columns dropped."""
    if s.whole_sort:
        sql, params = s.whole, s.param_dict()
    else:
        sql, params = _page(s, None)
    with con.cursor() as cur:
        table = cur.sql(sql, params=_bind(sql, params)).to_arrow_table()
    if s.whole_sort:
        table = table.sort_by([(c, "ascending", "at_start") for c in s.whole_sort])
    return table.drop_columns([c for c in table.column_names if c.startswith("_")])


def count(con: duckdb.DuckDBPyConnection, s: Slice) -> int:
    sql = s.count or f"SELECT count(*) AS n FROM ({s.whole or s.sql}) AS t"
    return int(run(con, sql, s.param_dict()).iloc[0, 0])
