"""Keeping the number and size of deltas bounded (etl/segments.py).

After each load: when the deltas together outgrow a quarter of the base, they are folded into
a new base (`BaseWriter` with no change: O(store), but only after the store has changed by a
quarter of its size, so O(1) per changed row over time); else when there are more than
`MAX_DELTAS`, they are merged into one delta (O(deltas)). Readers keep their snapshot
throughout: both publish by the manifest, and old files are removed only after it.
Runs under the writer lock (`jixiao ingest` does it; `jixiao compact` forces a fold).
"""

from __future__ import annotations

from pathlib import Path

from etl import segments

MAX_DELTAS = 8
FOLD_SHARE = 0.25


def delta_bytes(target: Path) -> tuple[int, int]:
    """(number of live deltas, their total size in bytes)."""
    manifest = segments.read_manifest(target)
    if manifest is None:
        return 0, 0
    folder = segments.deltas_dir(target)
    return len(manifest.deltas), sum((folder / d).stat().st_size for d in manifest.deltas if (folder / d).exists())


def maybe_compact(target: Path) -> str | None:
    """Fold or merge when the policy says so; returns what was done ("fold", "merge") or None."""
    count, size = delta_bytes(target)
    if count and size > FOLD_SHARE * target.stat().st_size:
        fold(target)
        return "fold"
    if count > MAX_DELTAS:
        merge(target)
        return "merge"
    return None


def compact_now(db: Path, *, wait: bool = True) -> tuple[int, int]:
    """`jixiao compact`: under the writer lock, fold whatever deltas there are; returns their
    (number, bytes) before. Refuses (JixiaoError) a path that is not a jixiao database."""
    from etl.dbguard import check_database, database_target
    from etl.errors import JixiaoError
    from etl.lock import writer_lock

    check_database(db, rebuild=False)
    target = database_target(db)
    if not target.exists():
        raise JixiaoError(f"数据库 {db} 不存在。")
    with writer_lock(target, wait=wait):
        segments.remove_unlisted(target)
        count, size = delta_bytes(target)
        if count:
            fold(target)
    return count, size


def fold(target: Path) -> None:
    """A new base holding the base and every delta; the deltas go."""
    from etl.store import BaseWriter

    BaseWriter(target).commit()


def merge(target: Path) -> None:
    """The live deltas as one: per table, their live rows and all their dead keys."""
    con, segs = segments.connect_store(target)
    try:
        if len(segs.aliases) <= 2:
            return
        deltas = segs.aliases[1:]
        manifest = segments.read_manifest(target)
        assert manifest is not None and manifest.base_id == segs.base_id
        name = segments.new_delta_name(manifest)
        path = segments.deltas_dir(target) / name
        quoted = str(path).replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS out (BLOCK_SIZE {segments.DELTA_BLOCK})")
        cat = segments.Catalog.read(con)
        for kind, keys in segments.SET_KEYS.items():  # the merged delta kills what any of them did
            dead = [f"SELECT {', '.join(keys)} FROM {a}.{segments.DEAD}{kind}" for a in deltas
                    if cat.has(a, segments.DEAD + kind)]
            if dead:
                con.execute(f"CREATE TABLE out.main.{segments.DEAD}{kind} AS {' UNION '.join(dead)}")
        kills = segments.build_kills(con, cat, deltas, "memory.main._merge_")
        for table in sorted(t for t, kind in cat.sets.items() if kind):
            body = segments.union_sql(cat, table, deltas, kills)
            if body:
                con.execute(f"CREATE TABLE out.main.{table} AS {body}")
        con.execute("DETACH out")
        segments.fsync_file(path)
    finally:
        con.close()
    segments.write_manifest(target, segments.Manifest(manifest.base_id, manifest.generation, (name,),
                                                      manifest.next_seq + 1))
    segments.remove_unlisted(target)
