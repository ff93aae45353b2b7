"""A load written as a delta: only the rows it touches, published by the manifest.

`DeltaWriter` reads the live store through the reader's views and works in a scratch
in-memory database that holds just the neighbourhood of the change: the files it replaces or
removes, every copy of every form it touches (the copy election looks at all of them), their
mart rows, and the source rows of the slice-keyed marts' slices (year × 主管部门) those forms
fall in. The same
`Session` code as a whole-base write deletes and inserts there, and `etl.derived.refresh`
re-elects and re-derives there; the result is exactly what a whole-base write would have made
for those keys. `commit` writes the touched keys' new rows and their dead keys as one delta
file and publishes it (etl/segments.py). The cost follows the change, not the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb
import pyarrow as pa

from etl import segments
from etl.derived import Changes, refresh
from etl.marts import MARTS, RELINKED, SLICED, refresh_slices
from etl.schema import REPORT_TABLES, create_schema
from etl.store import Session
from etl.years import names_key, relatives

STORE = "memory.main"  # the reader's views of the live store
SCRATCH = "scratch.main"
# The scratch's temp table holding each dead set's keys (etl/segments.py: SET_KEYS, DEAD_SET).
OWN = {"files": "_own_files", "touched": "_touched", "replaced": "_replaced", "slices": "_own_slices",
       "relinked": "_own_relinked"}


class DeltaWriter(Session):
    """Applies changes to a scratch of the touched rows; `commit` publishes them as a delta."""

    def __init__(self, target: Path, con: duckdb.DuckDBPyConnection, segs: segments.Segments) -> None:
        self.db_path, self.con, self.segments = target, con, segs
        con.execute("ATTACH ':memory:' AS scratch")
        con.execute("USE scratch")  # unqualified names: the scratch, as the Session code expects
        create_schema(con)
        for mart in MARTS:
            con.execute(f"CREATE TABLE {SCRATCH}.{mart} AS SELECT * FROM {STORE}.{mart} LIMIT 0")
        con.execute(f"INSERT OR REPLACE INTO {SCRATCH}.meta SELECT key, value FROM {STORE}.meta")
        self.changes = Changes()
        self.pulled_files: set[int] = set()
        self.pulled_reports: set[int] = set()
        self.own_files: set[int] = set()  # removed or added files
        self.touched: set[int] = set()  # reports whose rows this delta restates
        self.new_reports: set[int] = set()

    def _ids(self, sql: str, **params: object) -> set[int]:
        return {r[0] for r in self._rows(sql, **params) if r[0] is not None}

    def _rows(self, sql: str, **params: object) -> list[tuple]:
        return self.con.execute(sql, params).fetchall()

    def _pull(self, paths: list[str], file_ids: list[int], form_keys: list[int]) -> None:
        """Copy in the files at `paths`/`file_ids`, their reports, and every copy of their forms."""
        # Two lookups, not one with OR: each filter then reaches the scan (zone maps).
        fids = (self._ids(f"SELECT file_id FROM {STORE}.files WHERE path IN (SELECT unnest($p::VARCHAR[]))", p=paths)
                | self._ids(f"SELECT file_id FROM {STORE}.files WHERE file_id IN (SELECT unnest($f::BIGINT[]))",
                            f=file_ids)) - self.pulled_files
        first, keys = set(), set(form_keys)
        for report_id, form_key in self._rows(f"SELECT report_id, form_key FROM {STORE}.reports "
                                              "WHERE file_id IN (SELECT unnest($f::BIGINT[]))", f=sorted(fids)):
            first.add(report_id)
            keys.add(form_key)
        rids, context = set(first), set(fids)
        for report_id, file_id in self._rows(f"SELECT report_id, file_id FROM {STORE}.reports "
                                             "WHERE form_key IN (SELECT unnest($k::BIGINT[]))",
                                             k=sorted(k for k in keys if k is not None)):
            rids.add(report_id)
            context.add(file_id)
        rids -= self.pulled_reports
        context -= self.pulled_files
        self._copy("files", "file_id", context)
        for table in ("reports", *(t for t in REPORT_TABLES if t != "cells")):
            self._copy(table, "report_id", rids)
        self.pulled_files |= context
        self.pulled_reports |= rids
        self.own_files |= fids
        self.touched |= rids

    def _copy(self, table: str, column: str, ids: Iterable[int], exclude: set[int] | None = None) -> None:
        ids = sorted(set(ids) - (exclude or set()))
        if ids:
            self.con.execute(f"INSERT INTO {SCRATCH}.{table} BY NAME SELECT * FROM {STORE}.{table} "
                             f"WHERE {column} IN (SELECT unnest($ids::BIGINT[]))", {"ids": ids})

    def _inserted(self, rows: dict[str, list[tuple]]) -> None:
        self.own_files |= {r[0] for r in rows["files"]}
        new = {r[0] for r in rows["reports"]}
        self.touched |= new
        self.new_reports |= new

    def _pull_marts(self) -> None:
        """The touched forms' mart rows, and every row of the slices they fall in (before and
        after the change) of the marts the slice-keyed ones are computed from: what the
        marts' refresh reads. Those marts are clustered by slice in a base."""
        sources = set(SLICED.values())
        for mart in MARTS:  # mart_reports: the touched forms' rows as they were (new forms have none)
            if mart not in SLICED and mart not in sources:
                self._copy(mart, "report_id", self.touched & self.pulled_reports)
        self._temp("_touched", self.touched)
        self.con.execute(f"""CREATE OR REPLACE TEMP TABLE _own_slices AS
            SELECT DISTINCT year, department FROM {SCRATCH}.mart_reports WHERE report_id IN (SELECT id FROM _touched)
            UNION SELECT DISTINCT year, department FROM {SCRATCH}.reports
                  WHERE report_id IN (SELECT id FROM _touched)""")
        self._pull_relatives()
        for mart in sorted(sources):  # a touched form's rows are in its slice
            self.con.execute(f"""INSERT INTO {SCRATCH}.{mart} BY NAME SELECT * FROM {STORE}.{mart} m
                WHERE EXISTS (SELECT 1 FROM _own_slices s WHERE s.year IS NOT DISTINCT FROM m.year
                              AND s.department IS NOT DISTINCT FROM m.department)""")

    def _pull_relatives(self) -> None:
        """The mart_reports rows of the touched projects' other years (their link to the
        previous year may change), and of those rows' own other years (what re-linking reads)."""
        self.con.execute(f"""CREATE OR REPLACE TEMP TABLE _keys0 AS
            SELECT project_code, names_key FROM {SCRATCH}.mart_reports WHERE report_id IN (SELECT id FROM _touched)
            UNION SELECT nullif(project_code, ''), {names_key()} FROM {SCRATCH}.reports
                  WHERE report_id IN (SELECT id FROM _touched)""")
        self._pull_related("_keys0")
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE _keys1 AS SELECT project_code, names_key "
                         f"FROM {SCRATCH}.mart_reports EXCEPT SELECT project_code, names_key FROM _keys0")
        # Usually none: the other years print the same code and names as the touched forms.
        if self._rows("SELECT count(*) FROM _keys1")[0][0]:
            self._pull_related("_keys1")

    def _pull_related(self, keys: str) -> None:
        """Copy in the store's mart_reports rows sharing a code or names_key with `keys` (a
        superset of those projects' years): their ids by narrow scans (a UNION of the two
        lookups: an OR of them took half as long again), then their rows by id (a filter on the
        whole rows would decode every row's texts)."""
        ids = self._ids(relatives(keys, f"{STORE}.mart_reports"))
        have = self._ids(f"SELECT report_id FROM {SCRATCH}.mart_reports")
        self._copy("mart_reports", "report_id", ids, exclude=have)

    def _temp(self, name: str, ids: Iterable[int]) -> None:
        self.con.register("_ids", pa.table({"id": pa.array(sorted(set(ids)), type=pa.int64())}))
        try:
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT id FROM _ids")
        finally:
            self.con.unregister("_ids")

    def commit(self) -> None:
        if not (self.own_files or self.touched):
            self.discard()
            return
        assert not self.changes.full, "a delta never re-derives the whole store"
        self._pull_marts()
        refresh(self.con, self.changes, sliced=False)
        self.con.execute("CREATE OR REPLACE TEMP TABLE _slices AS SELECT * FROM _own_slices")
        refresh_slices(self.con)  # every slice this delta restates, whole
        self._temp("_own_files", self.own_files)
        self._temp("_own_relinked", self.touched | self._ids(f"SELECT report_id FROM {RELINKED}"))
        self._temp("_replaced", self.new_reports | self.changes.removed)
        manifest = segments.read_manifest(self.db_path)
        if manifest is None or manifest.base_id != self.segments.base_id:
            manifest = segments.Manifest(self.segments.base_id, self.segments.generation)
        name = segments.new_delta_name(manifest)
        folder = segments.deltas_dir(self.db_path)
        folder.mkdir(exist_ok=True)
        self._write(folder / name)
        self.con.close()
        segments.write_manifest(self.db_path, manifest.with_delta(name))

    def _write(self, path: Path) -> None:
        """The delta file: per table, the restated keys' rows and the keys themselves (dead)."""
        quoted = str(path).replace("'", "''")
        self.con.execute(f"ATTACH '{quoted}' AS out (BLOCK_SIZE {segments.DELTA_BLOCK})")
        self.con.execute("BEGIN")  # one commit for the whole file, not one per table
        for kind, keys in segments.SET_KEYS.items():
            cols = ", ".join(keys)
            source = f"SELECT {cols} FROM {OWN[kind]}" if len(keys) > 1 else f"SELECT id AS {cols} FROM {OWN[kind]}"
            self.con.execute(f"CREATE TABLE out.main.{segments.DEAD}{kind} AS {source}")
        for table in segments.tables_of(self.con, "scratch"):
            kind = segments.dead_set(table)
            if kind is None:
                continue
            self.con.execute(f"CREATE TABLE out.main.{table} AS SELECT * FROM {SCRATCH}.{table} AS x WHERE EXISTS "
                             f"(SELECT 1 FROM out.main.{segments.DEAD}{kind} AS k "
                             f"WHERE {segments.matches(segments.SET_KEYS[kind], 'k', 'x')})")
        self.con.execute("COMMIT")
        self.con.execute("USE memory")
        self.con.execute("DETACH out")
        segments.fsync_file(path)
        segments.fsync_dir(path.parent)

    def discard(self) -> None:
        self.con.close()
