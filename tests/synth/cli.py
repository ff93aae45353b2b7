"""The command line shared by the sample generators that write under a data folder."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from tests.synth.golden import REPO_ROOT


def run_builder(description: str, build: Callable[[Path], list[Path]], argv: list[str] | None = None) -> None:
    """`--data-dir` (default data/), then `build(data_dir)`; prints each written file's size."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--data-dir", type=Path, default=REPO_ROOT / "data")
    args = parser.parse_args(argv)
    for path in build(args.data_dir):
        print(f"{path.stat().st_size / 1024:7.1f} KB  {path}")
