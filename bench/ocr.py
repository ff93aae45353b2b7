"""OCR benchmark: scanned forms read by PP-OCRv4 (rapidocr-onnxruntime) and by Tesseract (chi_sim).

    python bench/ocr.py [--files N] [--engine rapidocr|rapidocr-shipped|tesseract ...]

Reads the golden scans (data/scans: 200 dpi colour, skewed ±1°, speckled, JPEG, red seal over
the figures; made by tests.synth.scans) with each engine on the same pages and the same
grid, one thread, in this process (`rapidocr-shipped`: the same model with its graph as
shipped, not simplified by etl.readers.ocr_model, to measure that rewrite in the same run). Reports per engine: CPU seconds per page (the cost on one
core, whatever else runs on the machine), pages per second, the share of that time spent in
recognition vs page preparation and grid detection, and the field accuracy against
data/golden/truth.json. Exits 1 when the chosen engine (rapidocr) misses a goal.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import time
from dataclasses import dataclass, field

from common import ROOT, Report, warn_if_busy

import etl.readers.image as image
from etl.checks_ocr import LOW_CONFIDENCE
from etl.pipeline import check_document
from etl.readers.ocr_engine import Engine, RapidEngine, TesseractEngine
from etl.readers.pdf_ocr import read_pdf_or_scan
from tests.synth.golden import golden_by_source
from tests.synth.golden_fields import FieldTally
from tests.synth.samples import pdf_name

ENGINES = {"rapidocr": RapidEngine, "rapidocr-shipped": lambda: RapidEngine(simplify=False),
           "tesseract": TesseractEngine}
PAGE_GOAL = 3.0  # CPU seconds per OCR page on one core
ACCURACY_GOAL = 0.98


def cpu() -> float:
    """CPU seconds of this process and its finished children (tesseract runs as a child)."""
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + kids.ru_utime + kids.ru_stime


@dataclass
class Timed:
    """An engine that adds up the CPU time spent recognising."""

    inner: Engine
    seconds: float = 0.0
    lines: int = 0

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def measures_punctuation(self) -> bool:
        return self.inner.measures_punctuation

    def read_lines(self, crops):
        t = cpu()
        out = self.inner.read_lines(crops)
        self.seconds += cpu() - t
        self.lines += len(crops)
        return out


@dataclass
class Result:
    pages: int = 0
    total: float = 0.0
    ocr: float = 0.0
    lines: int = 0
    tally: FieldTally = field(default_factory=FieldTally)
    forms_ok: int = 0
    confidences: list[float] = field(default_factory=list)


def run(engine: Engine, sources: list[str]) -> Result:
    timed = Timed(engine)
    image.engine = lambda: timed  # ocr_page asks `engine()` for its recogniser
    golden = golden_by_source()
    res = Result()
    for src in sources:
        path = ROOT / "data" / "scans" / pdf_name(golden[src])
        t = cpu()
        doc = read_pdf_or_scan(str(path))
        res.total += cpu() - t
        res.pages += doc.pages
        checked = check_document(doc)
        for got, want in zip(checked, golden[src]):
            res.tally.add(got.form, want)
            res.forms_ok += not got.form.gaps
        res.tally.total += sum(len(_fields(w)) for w in golden[src][len(checked):])
        res.confidences += [c.confidence for row in doc.rows for c in row if c.confidence is not None and c.text]
    res.ocr, res.lines = timed.seconds, timed.lines
    return res


def _fields(form) -> list[int]:
    tally = FieldTally()
    tally.add(None, form)
    return [0] * tally.total


def report(rep: Report, name: str, res: Result, chosen: bool) -> None:
    per_page = res.total / max(1, res.pages)
    rep.add(f"{name}_cpu_per_page", f"{name}: CPU per page (one core)", per_page, "s",
            f"≤ {PAGE_GOAL:g} s" if chosen else "", per_page <= PAGE_GOAL if chosen else None)
    rep.add(f"{name}_pages_per_s", f"{name}: pages per second per core", 1 / per_page if per_page else 0.0)
    rep.add(f"{name}_ocr_share", f"{name}: share of time in recognition", res.ocr / max(res.total, 1e-9))
    rep.add(f"{name}_grid_share", f"{name}: share in rendering, cleaning, deskew, grid and line finding",
            1 - res.ocr / max(res.total, 1e-9))
    rep.add(f"{name}_lines", f"{name}: text lines recognised per page", res.lines / max(1, res.pages))
    acc = res.tally.accuracy
    rep.add(f"{name}_accuracy", f"{name}: golden fields right ({res.tally.right}/{res.tally.total})", acc, "",
            f"≥ {ACCURACY_GOAL:.0%}" if chosen else "", acc >= ACCURACY_GOAL if chosen else None)
    rep.add(f"{name}_forms_ok", f"{name}: forms without gaps", res.forms_ok)
    low = sum(c < LOW_CONFIDENCE for c in res.confidences)
    rep.add(f"{name}_low_share", f"{name}: share of OCR'd cells below {LOW_CONFIDENCE:g}", low / max(1, len(res.confidences)))
    for form, path, got, want in res.tally.wrong[:12]:
        got, want = _where_they_differ(str(got), str(want))
        rep.note(f"{name} wrong: form {form} {path}: {got!r} (want {want!r})")


def _where_they_differ(got: str, want: str, around: int = 12) -> tuple[str, str]:
    """The two texts cut to a few characters either side of their first difference."""
    at = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
    start = max(0, at - around)
    cut = (lambda t: ("…" if start else "") + t[start:at + around] + ("…" if len(t) > at + around else ""))
    return cut(got), cut(want)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=3, help="how many of the three scanned files (4, 6, 8 pages)")
    parser.add_argument("--engine", action="append", choices=list(ENGINES))
    args = parser.parse_args(argv)
    warn_if_busy()
    sources = sorted(golden_by_source(), key=lambda s: len(golden_by_source()[s]))[:args.files]
    rep = Report("ocr", "python bench/ocr.py" + (f" --files {args.files}" if args.files != 3 else "")
                 + "".join(f" --engine {e}" for e in args.engine or []))
    for name in args.engine or ["rapidocr", "tesseract"]:
        if name == "tesseract" and shutil.which("tesseract") is None:
            rep.note("tesseract not installed (Debian tesseract-ocr-chi-sim): comparison skipped")
            continue
        report(rep, name.replace("-", "_"), run(ENGINES[name](), sources), chosen=name == "rapidocr")
    return rep.finish()


if __name__ == "__main__":
    raise SystemExit(main())
