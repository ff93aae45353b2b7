"""A stand-in for a 1,000,000-form database, made in minutes: a generated one copied N times.

    python bench/proxy_db.py [--base-forms 15000] [--times 67] [--out PATH]

`bench/gen_db.py --forms 1000000` takes ~35 min of CPU on two free cores (hours when the
machine is shared). For timing the dashboard's SQL this copies the `--base-forms` database
(`gen_db.py`, without cells) `--times` times into one file: every copy gets its own keys
(report_id, file_id, form_key, name_key shifted by copy × 2^53), paths and project names and
codes (suffix "（k）"), so copies are different projects of the same 主管部门, years and grades;
then the election and the marts are derived as an ingest would. What differs from a real
1M-form corpus: texts repeat (as many distinct reasons, names per copy and 实施单位 as in the
base), so grouping by text meets fewer distinct values. Not used by any goal's default run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb
from common import OUT
from gen_db import ensure_db

from etl.derived import Changes, refresh
from etl.store import create_schema

SHIFT = 2**53  # keys are 53-bit hashes (etl/keys.py): copy k adds k × 2^53
KEYED = {"files": ["file_id"], "reports": ["report_id", "file_id", "duplicate_of", "form_key", "name_key"],
         "funding": ["report_id"], "indicators": ["report_id"], "findings": ["report_id"]}
RENAMED = {"files": {"path": "path || '#' || k"},
           "reports": {"project_name": "project_name || CASE WHEN k = 0 THEN '' ELSE '（' || k || '）' END",
                       "project_code": "CASE WHEN coalesce(project_code, '') = '' THEN project_code "
                                       "ELSE project_code || '-' || k END"}}


def build(base: Path, out: Path, times: int) -> None:
    out.unlink(missing_ok=True)
    with duckdb.connect(str(out)) as con:
        create_schema(con)
        con.execute(f"ATTACH '{base}' AS base (READ_ONLY)")
        for table, keys in KEYED.items():
            cols = [r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_catalog = 'base' "
                "AND table_name = ? ORDER BY ordinal_position", [table]).fetchall()]
            exprs = [f"{c} + k * {SHIFT}" if c in keys else RENAMED.get(table, {}).get(c, c) for c in cols]
            con.execute(f"INSERT INTO {table} SELECT {', '.join(exprs)} "
                        f"FROM base.{table}, (SELECT range AS k FROM range({times}))")
        con.execute("DETACH base")
        refresh(con, Changes(full=True))  # election and marts, as the ingest derives them
        con.execute("CHECKPOINT")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--base-forms", type=int, default=15_000)
    p.add_argument("--times", type=int, default=67)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path)
    args = p.parse_args(argv)
    base = ensure_db(args.base_forms, args.seed, cells=False)
    out = args.out or OUT / "db" / f"proxy_{args.base_forms}x{args.times}.duckdb"
    t = time.perf_counter()
    build(base, out, args.times)
    print(f"built in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
