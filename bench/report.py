"""Render BENCHMARKS.md from the last results of bench/etl.py and bench/dashboard.py.

    python bench/report.py

Rewrites only the part of BENCHMARKS.md between the `results` markers; the analysis
written around it is kept.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from common import RESULTS, ROOT

TARGET = ROOT / "BENCHMARKS.md"
START, END = "<!-- results:start (bench/report.py) -->", "<!-- results:end -->"
TITLES = {"etl": "Ingest (`bench/etl.py`)", "dashboard": "Dashboard (`bench/dashboard.py`)",
          "dashboard_1000000": "Dashboard at 1,000,000 forms (`bench/dashboard.py --forms 1000000`)",
          "site": "Static site (`bench/site.py`)", "ocr": "OCR (`bench/ocr.py`)"}
MARK = {True: "✅", False: "❌", None: ""}


def _machine(m: dict[str, Any]) -> str:
    return (f"{m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB RAM; {m['os']}; Python {m['python']}, "
            f"pdfplumber {m['pdfplumber']}, DuckDB {m['duckdb']}, Streamlit {m.get('streamlit', '-')}")


def _value(f: dict[str, Any]) -> str:
    v = f["value"]
    if isinstance(v, float):
        v = f"{v:,.2f}" if abs(v) >= 10 else f"{v:.3g}"
    return f"{v} {f['unit']}".strip()


def section(data: dict[str, Any]) -> list[str]:
    figures = data["figures"]
    load = data.get("load", {})
    met = sum(f["ok"] is True for f in figures)
    missed = sum(f["ok"] is False for f in figures)
    out = [f"### {TITLES.get(data['name'], data['name'])}", "",
           f"- command: `{data['command']}`",
           f"- date: {data['date']}",
           f"- machine: {_machine(data['machine'])}",
           f"- load average (1 min) at start / end: {load.get('start', '?')} / {load.get('end', '?')}",
           f"- goals: {met} met, {missed} missed", "",
           "| figure | value | goal | |", "|---|---|---|---|"]
    out += [f"| {f['label']} | {_value(f)} | {f['goal']} | {MARK[f['ok']]} |" for f in figures]
    if data.get("notes"):
        out += ["", *[f"- {n}" for n in data["notes"]]]
    return out + [""]


def render() -> str:
    lines = [START, ""]
    for name in TITLES:
        path = RESULTS / f"{name}.json"
        if path.exists():
            lines += section(json.loads(path.read_text()))
        else:
            lines += [f"### {TITLES[name]}", "", f"(no results yet: run `python bench/{name}.py`)", ""]
    return "\n".join(lines + [END])


def main() -> int:
    text = TARGET.read_text(encoding="utf-8") if TARGET.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START not in text or END not in text:
        raise SystemExit(f"{TARGET} has no results markers")
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    TARGET.write_text(head + render() + tail, encoding="utf-8")
    print(f"updated {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
