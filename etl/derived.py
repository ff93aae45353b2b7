"""Derived state kept up to date by the change, not by the whole database.

The Writer notes which forms a load touched (`Changes`); at commit, `refresh` re-elects
the primary copy of those forms only (etl/primaries.py) and rebuilds the mart rows of
their reports only (etl/marts.py). Adding one file to a 100,000-form store thus costs
in proportion to that file. A rebuild (`full`) recomputes everything, as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import duckdb
import pyarrow as pa

from etl import marts, primaries, themes, years
from etl.keys import key_hash


@dataclass(slots=True)
class Changes:
    full: bool = False  # derive everything (a rebuild, a migration, a bulk load)
    forms: set[int] = field(default_factory=set)  # form_keys added or removed
    removed: set[int] = field(default_factory=set)  # report_ids deleted

    def added(self, form_keys: Iterable[int]) -> None:
        self.forms.update(form_keys)

    def removing(self, con: duckdb.DuckDBPyConnection, report_ids_sql: str) -> None:
        """Note the reports about to be deleted (`report_ids_sql` selects their ids)."""
        for report_id, form_key in con.execute(
                f"SELECT report_id, form_key FROM reports WHERE report_id IN ({report_ids_sql})").fetchall():
            self.removed.add(report_id)
            if form_key is not None:
                self.forms.add(form_key)

    def __bool__(self) -> bool:
        return self.full or bool(self.forms or self.removed)


def _temp(con: duckdb.DuckDBPyConnection, name: str, column: str, values: Iterable[int]) -> None:
    con.register("_vals", pa.table({column: pa.array(sorted(values), type=pa.int64())}))
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT DISTINCT {column} FROM _vals")
    finally:
        con.unregister("_vals")


@lru_cache(maxsize=1)
def marts_version() -> str:
    """What the derived state is made by (the sources of the marts, the year links, the themes
    and their word list, the copy election): a store derived by other code is re-derived whole.
    Read on first use, not at import: an unchanged re-run of the ingest never needs it."""
    sources = [Path(m.__file__).read_text(encoding="utf-8") for m in (marts, primaries, themes, years)]
    return str(key_hash(*sources, themes.WORDS_FILE.read_text(encoding="utf-8")))


def _marts_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Marts built by this code (their SQL's hash in `meta`): else they are rebuilt whole."""
    row = con.execute("SELECT value FROM meta WHERE key = 'marts_sql'").fetchall()
    return bool(row) and row[0][0] == marts_version()


def refresh(con: duckdb.DuckDBPyConnection, changes: Changes, *, sliced: bool = True) -> None:
    """Bring duplicate election and marts up to date with the changes (`sliced=False`: the
    caller recomputes the slice-keyed marts itself, marts.SLICED)."""
    if not _marts_current(con):  # a new database, or marts made by other code
        changes.full = True
    if changes.full:
        con.execute("CREATE OR REPLACE TEMP TABLE _forms AS SELECT DISTINCT form_key FROM reports")
        primaries.elect(con)
        marts.build_marts(con)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('marts_sql', ?)", [marts_version()])
    elif changes:
        _temp(con, "_forms", "form_key", changes.forms)
        primaries.elect(con)
        _temp(con, "_removed", "report_id", changes.removed)
        con.execute("""CREATE OR REPLACE TEMP TABLE _scope AS
                       SELECT report_id FROM reports WHERE form_key IN (SELECT form_key FROM _forms)
                       UNION SELECT report_id FROM _removed""")
        marts.refresh_marts(con, sliced=sliced)
        con.execute("DROP TABLE _removed")
        con.execute("DROP TABLE _scope")
    con.execute("DROP TABLE IF EXISTS _forms")
