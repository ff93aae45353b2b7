"""Where the seed text extractions live (they have moved between folders over time)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
SEED_DIRS = (REPO / "data" / "variants" / "text", REPO / "data" / "samples", Path("/work/shared/seeds"))
SEEDS = ("000_db8c161870266780.txt", "002_ad0082497000d1dc.txt", "004_7b7c0afb335e079f.txt")


def seed_path(name: str) -> Path:
    for folder in SEED_DIRS:
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"seed {name} not found in {[str(d) for d in SEED_DIRS]}")
