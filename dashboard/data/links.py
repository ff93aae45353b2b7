"""Saved 项目详情 links: which project a number in `?project=` names (no Streamlit here).

New links carry the form's `form_key` (etl/keys.py): it survives `--rebuild`, ingest order
and a replaced file, and opens whichever copy is primary now. Older links carry a
`report_id` (a row: still stable across rebuilds), a `name_key`, or a schema-2 report_id
recorded in `report_aliases` when the database was re-keyed. All resolve here; a number
that names nothing (the form is really gone) gives None, for the view to say so.
"""

from __future__ import annotations

import duckdb

from dashboard.data.db import run

# Tried in order; each yields candidate rows, the primary copy wins. Keys are 53-bit hashes
# and old ids small numbers, so one number cannot name two different forms in practice.
_RESOLVE = """
    WITH hit AS (
        SELECT coalesce(duplicate_of, report_id) AS pid, 1 AS how FROM reports WHERE form_key = $k
        UNION ALL SELECT coalesce(duplicate_of, report_id), 2 FROM reports WHERE report_id = $k
        UNION ALL SELECT coalesce(duplicate_of, report_id), 3 FROM reports WHERE name_key = $k
        {aliases})
    SELECT pid FROM hit ORDER BY how, pid LIMIT 1"""
_ALIASES = """UNION ALL SELECT coalesce(r.duplicate_of, r.report_id), 4 FROM report_aliases a
                 JOIN reports r ON r.form_key = a.form_key WHERE a.old_id = $k"""


def _has_aliases(con: duckdb.DuckDBPyConnection) -> bool:
    return not run(con, "SELECT 1 FROM duckdb_views() WHERE view_name = 'report_aliases' "
                        "UNION ALL SELECT 1 FROM duckdb_tables() WHERE table_name = 'report_aliases'").empty


def resolve(con: duckdb.DuckDBPyConnection, key: int) -> int | None:
    """The report_id to show for a link's number, None when no form answers to it."""
    if not 0 <= key < 1 << 63:
        return None
    df = run(con, _RESOLVE.format(aliases=_ALIASES if _has_aliases(con) else ""), {"k": int(key)})
    return None if df.empty else int(df["pid"].iloc[0])


def link_key(con: duckdb.DuckDBPyConnection, report_id: int) -> int:
    """The number a new link should carry for this report: its form's key."""
    df = run(con, "SELECT coalesce(form_key, report_id) AS k FROM reports WHERE report_id = $id",
             {"id": int(report_id)})
    return int(report_id) if df.empty else int(df["k"].iloc[0])
