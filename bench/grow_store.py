"""A store N times bigger than a generated one, made by replicating its rows under new keys.

    python bench/grow_store.py STORE --times 10     # prints the path of the grown store

Generating a million forms through `bench/gen_db.py` takes hours on this machine; what the
write path of a load depends on is how many rows the store's tables hold, not how they were
made. Copy k of every row gets new ids (file, report, form and name keys hashed with k), and
its file paths a `#k` suffix; year and 主管部门 stay, so each cube slice is N times bigger
(the worst case for re-deriving a slice). Cells are kept once (a load never reads them).
Big tables are written clustered by key, as jixiao writes every base (etl/store.py CLUSTER);
the slice-keyed marts are recomputed from the grown marts. Cached beside the source store.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import time
from pathlib import Path

import duckdb

from etl.marts import MARTS, SLICED
from etl.store import CLUSTER, clustered_mark

ID_COLUMNS = ("file_id", "report_id", "duplicate_of", "form_key", "name_key")
PATH_COLUMNS = ("path", "source_path")
KEY_SPACE = 2 ** 53  # keys stay integers a browser holds exactly (etl/keys.py)


def _column(name: str, k: int) -> str:
    if k and name in ID_COLUMNS:
        return f"(hash({name}, {k}) % {KEY_SPACE})::BIGINT AS {name}"
    if k and name in PATH_COLUMNS:
        return f"{name} || '#{k}' AS {name}"
    return name


def grown_path(store: Path, times: int) -> Path:
    return store.with_name(f"{store.stem}_x{times}.duckdb")


def grow(store: Path, times: int) -> Path:
    out = grown_path(store, times)
    if out.exists():
        return out
    tmp = out.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH '{store}' AS src (READ_ONLY)")
    con.execute(f"ATTACH '{tmp}' AS out")
    tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'src'").fetchall()]
    for table in tables:
        t = time.perf_counter()
        cols = [r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE database_name = 'src' "
                                          "AND table_name = ? ORDER BY column_index", [table]).fetchall()]
        copies = 1 if table in ("cells", "meta", "report_aliases", *SLICED) else times
        body = " UNION ALL ".join(f"SELECT {', '.join(_column(c, k) for c in cols)} FROM src.{table}"
                                  for k in range(copies))
        order = f" ORDER BY {CLUSTER[table]}" if table in CLUSTER else ""
        if table == "meta":  # keeps its primary key: a later fold writes it with INSERT OR REPLACE
            con.execute("CREATE TABLE out.main.meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
            con.execute("INSERT INTO out.main.meta SELECT key, value FROM src.meta")
        elif table not in SLICED:
            con.execute(f"CREATE TABLE out.main.{table} AS {body}{order}")
        print(f"  {table}: {time.perf_counter() - t:.1f} s", flush=True)
    con.execute("USE out")
    for mart in SLICED:
        con.execute(f"CREATE TABLE {mart} AS {MARTS[mart]}")
    con.execute("DELETE FROM meta WHERE key IN ('base_id', 'generation', 'clustered')")
    con.execute("INSERT INTO meta VALUES ('base_id', ?), ('generation', '1'), ('clustered', ?)",
                [secrets.token_hex(8), clustered_mark()])
    con.execute("USE memory")
    con.execute("DETACH out")
    con.close()
    tmp.rename(out)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("store", type=Path)
    p.add_argument("--times", type=int, default=10)
    args = p.parse_args(argv)
    print(grow(args.store, args.times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
