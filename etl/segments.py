"""The store on disk: a base DuckDB file plus delta files published by an atomic manifest.

    data/jixiao.duckdb                  the base: every table, as of its last compaction
    data/jixiao.duckdb.deltas/
        manifest.json                   {"base_id", "generation", "deltas": [oldest .. newest]}
        d-000007-x1y2.duckdb            one ingest's change: new row versions + dead keys

An ingest writes its change as a small delta file and publishes it by renaming a new manifest
into place, so a change costs in proportion to itself, not to the store. A delta holds, per
table, the rows it adds or restates and `_dead_<table>`: the keys whose older rows (in the base
or an earlier delta) it supersedes. A manifest applies to one base only (`base_id`): a
compaction writes a new base, renames it over the old, then writes a manifest without deltas.
Whatever moment a run dies at, a reader finds either the old manifest with its base, or a base
newer than the manifest (whose deltas it already folds in): never a half state.

Readers attach the base and the live deltas READ_ONLY to a private in-memory DuckDB and expose
each table as a view: the union of its segments, each minus the keys later segments killed.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl.errors import JixiaoError

MANIFEST = "manifest.json"
# What a delta kills, as five sets of keys (`_dead_<set>`), and which set each table's older rows
# die by: files by file_id, slice-keyed marts (etl.marts.SLICED) by (year, 主管部门); report-keyed
# tables by the reports the delta restates whole ("touched": reports, findings and marts change
# with the copy election), except the rows only a new or removed report changes ("replaced"), and
# mart_reports, which also restates the other years of the touched projects ("relinked":
# their link to the previous year, etl/years.py).
SET_KEYS: dict[str, tuple[str, ...]] = {"files": ("file_id",), "slices": ("year", "department"),
                                        "touched": ("report_id",), "replaced": ("report_id",),
                                        "relinked": ("report_id",)}
DEAD_SET: dict[str, str] = {"files": "files", "funding": "replaced", "indicators": "replaced", "cells": "replaced",
                            "mart_reports": "relinked"}
DEAD = "_dead_"
DELTA_BLOCK = 16384  # DuckDB's smallest block: a delta of a few rows per table stays a few hundred KB
OPEN_RETRIES = 10  # a compaction swapping the base under a reader: reopen (~0.5 s in all)


def deltas_dir(target: Path) -> Path:
    return target.with_name(f"{target.name}.deltas")


@dataclass(frozen=True, slots=True)
class Manifest:
    base_id: str
    generation: int
    deltas: tuple[str, ...] = ()
    next_seq: int = 1

    def with_delta(self, name: str) -> Manifest:
        return Manifest(self.base_id, self.generation, (*self.deltas, name), self.next_seq + 1)


def read_manifest(target: Path) -> Manifest | None:
    path = deltas_dir(target) / MANIFEST
    try:
        raw = json.loads(path.read_text("utf-8"))
        return Manifest(str(raw["base_id"]), int(raw["generation"]), tuple(map(str, raw["deltas"])),
                        int(raw.get("next_seq", len(raw["deltas"]) + 1)))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        raise JixiaoError(f"增量清单 {path.name} 无法读取（文件损坏）；请用 jixiao ingest --rebuild 重建数据库。") from None


def write_manifest(target: Path, manifest: Manifest) -> None:
    """Publish: write a temporary manifest, flush it to disk, rename it over the old one."""
    folder = deltas_dir(target)
    folder.mkdir(exist_ok=True)
    tmp = folder / f".{MANIFEST}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    body = {"base_id": manifest.base_id, "generation": manifest.generation, "deltas": list(manifest.deltas),
            "next_seq": manifest.next_seq}
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(body, fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, folder / MANIFEST)
    fsync_dir(folder)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def new_delta_name(manifest: Manifest) -> str:
    return f"d-{manifest.next_seq:06d}-{secrets.token_hex(3)}.duckdb"


def base_identity(con: duckdb.DuckDBPyConnection, alias: str = "src") -> tuple[str, int]:
    """(base_id, generation) from a base's meta; ("", 0) for a base from before deltas."""
    meta = dict(con.execute(f"SELECT key, value FROM {alias}.meta WHERE key IN ('base_id', 'generation')"
                            ).fetchall()) if has_table(con, alias, "meta") else {}
    return meta.get("base_id", ""), int(meta.get("generation", 0))


class _Reopen(Exception):
    """The store changed under the reader while it was being opened."""


def live_deltas(target: Path, base_id: str, generation: int, *, settle: bool) -> tuple[str, ...]:
    """The deltas that apply to the base just opened. A manifest for another base means a
    compaction replaced the base meanwhile (reopen: raises _Reopen while `settle`), or that
    the base is newer than the manifest and folds its deltas in, or that the base file was
    restored from a copy: then the base alone is the state."""
    manifest = read_manifest(target)
    if manifest is None or not base_id:
        return ()
    if manifest.base_id == base_id:
        return manifest.deltas
    if settle and manifest.generation >= generation:
        raise _Reopen
    return ()


@dataclass(slots=True)
class Segments:
    """The attached segments of an open store, oldest first (`src` is the base)."""

    aliases: list[str] = field(default_factory=lambda: ["src"])
    base_id: str = ""
    generation: int = 0
    deltas: tuple[str, ...] = ()


def attach(con: duckdb.DuckDBPyConnection, path: Path, alias: str) -> None:
    quoted = str(path).replace("'", "''")  # ATTACH takes no parameters
    con.execute(f"ATTACH '{quoted}' AS {alias} (READ_ONLY)")


def open_segments(con: duckdb.DuckDBPyConnection, target: Path) -> Segments:
    """Attach the base and its live deltas to `con` (retrying while a compaction swaps them)."""
    for attempt in range(OPEN_RETRIES):
        attach(con, target, "src")
        base_id, generation = base_identity(con)
        try:
            deltas = live_deltas(target, base_id, generation, settle=attempt < OPEN_RETRIES - 1)
            folder = deltas_dir(target)
            aliases = ["src"]
            for i, name in enumerate(deltas, start=1):
                try:
                    attach(con, folder / name, f"d{i}")
                except duckdb.Error:
                    raise _Reopen from None  # compacted away just now
                aliases.append(f"d{i}")
            return Segments(aliases, base_id, generation, deltas)
        except _Reopen:
            for alias in [r[0] for r in con.execute("SELECT database_name FROM duckdb_databases() "
                                                    "WHERE NOT internal AND database_name <> 'memory'").fetchall()]:
                con.execute(f"DETACH {alias}")
            time.sleep(0.01 * (attempt + 1))
    raise JixiaoError("数据库正在整理，暂时无法打开；请稍后重试。")


def has_table(con: duckdb.DuckDBPyConnection, alias: str, table: str) -> bool:
    return bool(con.execute("SELECT 1 FROM duckdb_tables() WHERE database_name = ? AND table_name = ?",
                            [alias, table]).fetchall())


def tables_of(con: duckdb.DuckDBPyConnection, alias: str) -> list[str]:
    return [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = ? "
                                      "ORDER BY table_name", [alias]).fetchall()]


@dataclass(frozen=True, slots=True)
class Catalog:
    """Which tables each attached segment has, and the key columns of the base's tables: read
    in two queries (DuckDB's catalog functions cost milliseconds per call)."""

    tables: dict[str, frozenset[str]]
    sets: dict[str, str | None]  # base table -> the dead set it dies by (None: never in a delta)

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection) -> Catalog:
        tables: dict[str, set[str]] = {}
        for db, table in con.execute("SELECT database_name, table_name FROM duckdb_tables()").fetchall():
            tables.setdefault(db, set()).add(table)
        return cls({db: frozenset(ts) for db, ts in tables.items()},
                   {t: dead_set(t) for t in tables.get("src", set())})

    def has(self, alias: str, table: str) -> bool:
        return table in self.tables.get(alias, frozenset())


def dead_set(table: str) -> str | None:
    """The dead set a stored table's rows die by; None for tables deltas never carry."""
    from etl.marts import MARTS, SLICED
    from etl.schema import TABLES

    if table in SLICED:
        return "slices"
    if table in DEAD_SET:
        return DEAD_SET[table]
    by_report = table in MARTS or any(c == "report_id" for c, _ in TABLES.get(table, ()))
    return "touched" if by_report else None


def matches(keys: Sequence[str], left: str, right: str) -> str:
    return " AND ".join(f"{left}.{k} IS NOT DISTINCT FROM {right}.{k}" for k in keys)


def build_kills(con: duckdb.DuckDBPyConnection, cat: Catalog, aliases: Sequence[str], prefix: str) -> dict[str, str]:
    """Per dead set, one small table of the keys segments killed, with the position (in
    `aliases`) of the segment that killed them: `{prefix}{set}`. One table to anti-join
    instead of a union over every later segment in every view."""
    kills = {}
    for kind, keys in SET_KEYS.items():
        parts = [f"SELECT {', '.join(keys)}, {i} AS seq FROM {a}.{DEAD}{kind}"
                 for i, a in enumerate(aliases) if i and cat.has(a, DEAD + kind)]
        if parts:
            kills[kind] = f"{prefix}{kind}"
            con.execute(f"CREATE OR REPLACE TABLE {kills[kind]} AS {' UNION ALL '.join(parts)}")
    return kills


def union_sql(cat: Catalog, table: str, aliases: Sequence[str], kills: dict[str, str]) -> str:
    """One table over `aliases` (oldest first): each segment's rows minus the keys a later
    segment restated or deleted (its dead set for the table; `kills` from build_kills)."""
    kind = cat.sets.get(table)
    parts = []
    for i, alias in enumerate(aliases):
        if not cat.has(alias, table):
            continue
        part = f"SELECT * FROM {alias}.{table}"
        if kind in kills and i < len(aliases) - 1:
            match = matches(SET_KEYS[kind], "k", "x")
            part += f" AS x WHERE NOT EXISTS (SELECT 1 FROM {kills[kind]} AS k WHERE k.seq > {i} AND {match})"
        parts.append(part)
    return " UNION ALL BY NAME ".join(parts)


def create_views(con: duckdb.DuckDBPyConnection, segments: Segments) -> None:
    """Every base table as a view in the connection's own catalog, named as in the base."""
    cat = Catalog.read(con)
    # Qualified: a writer later switches the default catalog to its scratch (etl/deltas.py).
    own = con.execute("SELECT current_database()").fetchone()[0]
    kills = build_kills(con, cat, segments.aliases, f"{own}.main._kill_")
    for table in sorted(cat.tables.get("src", ())):
        aliases = segments.aliases if cat.sets[table] else ["src"]
        con.execute(f'CREATE OR REPLACE VIEW "{table}" AS {union_sql(cat, table, aliases, kills)}')


def connect_store(target: Path) -> tuple[duckdb.DuckDBPyConnection, Segments]:
    con = duckdb.connect(":memory:")
    try:
        segments = open_segments(con, target)
        create_views(con, segments)
    except BaseException:
        con.close()
        raise
    return con, segments


def signature(target: Path) -> tuple[tuple[int, int, int], ...] | None:
    """Changes whenever a reader should reopen: a new base or a new manifest. None if missing."""
    sig = []
    for path in (target, deltas_dir(target) / MANIFEST):
        try:
            st = path.stat()
        except OSError:
            if path == target:
                return None
            continue
        sig.append((st.st_ino, st.st_mtime_ns, st.st_size))
    return tuple(sig)


def _delta_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir()
            if (p.name.startswith("d-") and (p.suffix == ".duckdb" or p.name.endswith(".duckdb.wal")))
            or (p.name.startswith(f".{MANIFEST}.") and p.suffix == ".tmp")]


def remove_unlisted(target: Path) -> list[Path]:
    """Delta files no manifest of the live base lists (a killed run's, or folded by a
    compaction), and half-written manifests. Called under the writer lock only."""
    try:
        manifest = read_manifest(target)
    except JixiaoError:
        return []  # a damaged manifest: nothing is judged garbage until a --rebuild replaces it
    listed: set[str] = set()
    if manifest is not None and target.exists():
        con = duckdb.connect(":memory:")
        try:
            attach(con, target, "src")
            base_id, _ = base_identity(con)
        finally:
            con.close()
        if manifest.base_id == base_id:
            listed = set(manifest.deltas)
    removed = []
    for path in _delta_files(deltas_dir(target)):
        if path.name.removesuffix(".wal") not in listed:
            path.unlink(missing_ok=True)
            removed.append(path)
    return sorted(removed)


def copy_store(src: Path, dst: Path) -> None:
    """Copy a whole store (base, manifest and deltas) over another path: for tests and
    benchmarks, and for taking a backup while no ingest runs. Not atomic."""
    import shutil

    shutil.rmtree(deltas_dir(dst), ignore_errors=True)
    shutil.copyfile(src, dst)
    if deltas_dir(src).is_dir():
        shutil.copytree(deltas_dir(src), deltas_dir(dst))
