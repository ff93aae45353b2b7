"""Build a database straight from the golden records (no parsing): `python -m tests.synth.golden_db OUT`.

Useful to develop and test the dashboard independently of the parsers.
"""

from __future__ import annotations

import sys

from etl.model import ParsedFile
from etl.checks import check_form
from etl.store import Writer
from tests.synth.golden import golden_by_source


def build(db_path: str) -> None:
    with Writer(db_path, rebuild=True) as w:
        w.add_files(
            ParsedFile(path=f"data/samples/text/{source}", sha256=source, kind="txt", pages=len(forms),
                       forms=[check_form(f) for f in forms])
            for source, forms in golden_by_source().items()
        )


if __name__ == "__main__":
    build(sys.argv[1] if len(sys.argv) > 1 else "data/jixiao.duckdb")
