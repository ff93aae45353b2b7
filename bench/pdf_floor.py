"""The floor for the ingest: bare pdfplumber opening every PDF and extracting its tables.

    python bench/pdf_floor.py FOLDER

Prints `files pages` when done. Run as a subprocess by bench/etl.py so that it is timed
exactly like `jixiao ingest` (interpreter start and imports included).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pdfplumber


def floor(folder: Path) -> tuple[int, int]:
    files = pages = 0
    for path in sorted(folder.rglob("*.pdf")):
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_tables()
                page.close()
                pages += 1
        files += 1
    return files, pages


if __name__ == "__main__":
    n_files, n_pages = floor(Path(sys.argv[1]))
    print(n_files, n_pages)
