"""Where the seed text extractions live."""

from __future__ import annotations

from pathlib import Path

SEED_DIR = Path(__file__).resolve().parents[3] / "data" / "samples" / "text"
SEEDS = ("000_db8c161870266780.txt", "002_ad0082497000d1dc.txt", "004_7b7c0afb335e079f.txt")


def seed_path(name: str) -> Path:
    path = SEED_DIR / name
    if not path.is_file():
        raise FileNotFoundError(f"seed {name} not found in {SEED_DIR}")
    return path
