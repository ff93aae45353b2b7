"""Every stored table as rows, for comparing two stores (load times left out: they differ)."""

from __future__ import annotations

from pathlib import Path

from etl.marts import MARTS
from etl.store import TABLES, connect_readonly

ORDER_BY_KEY = {"files": "file_id", "reports": "report_id"}  # the others: every column


def export(db: Path, *, extra: tuple[str, ...] = ("report_aliases",)) -> dict[str, list[tuple]]:
    """Tables, marts and `extra`, each ordered by its key (else by all columns)."""
    with connect_readonly(db) as con:
        out = {}
        for table in [*TABLES, *MARTS, *extra]:
            cols = [c for c in con.execute(f"SELECT * FROM {table} LIMIT 0").fetchnumpy() if c != "ingested_at"]
            order = ORDER_BY_KEY.get(table, "ALL")
            out[table] = con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {order}").fetchall()
        return out
