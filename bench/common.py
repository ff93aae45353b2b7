"""Shared helpers for the benchmarks: paths, cache keys, machine facts, goals and results.

Each bench script collects `Figure`s in a `Report`; `Report.finish()` prints them with
their goals, saves them to bench/out/results/<name>.json (BENCHMARKS.md is rendered
from those files by bench/report.py) and returns the exit code: 1 when a goal is missed.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
RESULTS = OUT / "results"
# The repository root goes first on sys.path: before `pip install -e` the package is not
# importable, and after it bench/ (the script's folder, holding etl.py) would shadow it.
if sys.path[:1] != [str(ROOT)]:
    sys.path.insert(0, str(ROOT))


def source_key(params: dict[str, Any], sources: Iterable[Path]) -> str:
    """A short hash of parameters and of the code that makes an artefact: the cache key."""
    h = hashlib.sha256(json.dumps(params, sort_keys=True).encode())
    for p in sorted(sources):
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import duckdb
    import pdfplumber

    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kb = next((int(line.split()[1]) for line in _read("/proc/meminfo").splitlines()
                   if line.startswith("MemTotal")), 0)
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(mem_kb / 2**20, 1),
            "os": platform.platform(), "python": platform.python_version(),
            "pdfplumber": pdfplumber.__version__, "duckdb": duckdb.__version__, "streamlit": _version("streamlit")}


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "-"


def load() -> float:
    """1-minute load average: above ~0.5 on this 2-core machine, other work skews timings."""
    return round(os.getloadavg()[0], 2)


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def warn_if_busy(threshold: float = 0.5) -> None:
    if load() > threshold:
        print(f"注意：机器负载 {load():.2f}（1 分钟平均），其他进程可能影响计时", file=sys.stderr)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def median_time(fn: Callable[[], Any], runs: int) -> float:
    return statistics.median(timed(fn)[0] for _ in range(runs))


@dataclass(slots=True)
class Figure:
    key: str
    label: str
    value: float | int | str
    unit: str = ""
    goal: str = ""  # human-readable goal, e.g. "≤ 1.25 × floor"
    ok: bool | None = None  # None: informational


@dataclass(slots=True)
class Report:
    name: str
    command: str
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    started: str = field(default_factory=lambda: datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"))
    load_start: float = field(default_factory=load)

    def add(self, key: str, label: str, value: float | int | str, unit: str = "", goal: str = "",
            ok: bool | None = None) -> Figure:
        fig = Figure(key, label, _round(value), unit, goal, ok)
        self.figures.append(fig)
        print(f"  {_line(fig)}", flush=True)
        return fig

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"  · {text}", flush=True)

    def finish(self) -> int:
        missed = [f for f in self.figures if f.ok is False]
        print(f"\n{self.name}: {len(self.figures)} figures, "
              f"{sum(f.ok is True for f in self.figures)} goals met, {len(missed)} missed")
        for f in missed:
            print(f"  MISSED {_line(f)}")
        RESULTS.mkdir(parents=True, exist_ok=True)
        data = {"name": self.name, "command": self.command, "date": self.started, "machine": machine(),
                "load": {"start": self.load_start, "end": load()}, "figures": [asdict(f) for f in self.figures],
                "notes": self.notes}
        (RESULTS / f"{self.name}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1))
        return 1 if missed else 0


def _round(value: float | int | str) -> float | int | str:
    if isinstance(value, float):
        return round(value, 4 if abs(value) < 1 else 2)
    return value


def _line(f: Figure) -> str:
    mark = {True: "ok  ", False: "MISS", None: "    "}[f.ok]
    goal = f"   (goal {f.goal})" if f.goal else ""
    return f"[{mark}] {f.label}: {f.value} {f.unit}{goal}"
