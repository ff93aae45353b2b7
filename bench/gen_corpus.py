"""Write the synthetic corpus as PDFs through the project's own generators.

    python bench/gen_corpus.py [--forms 200] [--seed 0] [--force]

Each corpus file becomes one PDF in one of the generators' layouts: "a" (ReportLab,
report-engine style), "b" (fpdf2, landscape, 2023-style half-width labels, repeated
indicator header) or "wps" (fpdf2, radical look-alikes, fake bold). Older years lean
to "b", 2024 to "a". Files are rendered in worker processes; the folder is cached
under bench/out/corpus/, keyed by the parameters and the generator code, with a
manifest.json listing each file's layout, forms and indicators. Prints the folder.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from common import OUT, ROOT, source_key

from tests.synth.corpus import CorpusFile, corpus_files

LAYOUTS = ("a", "b", "wps")
LAYOUT_WEIGHTS = {2024: (6, 1.5, 2.5)}  # other years
OLDER_WEIGHTS = (2.5, 6, 1.5)
SOURCES = [ROOT / "etl" / "synth" / n for n in ("corpus.py", "corpus_vocab.py", "pdf_grid.py", "pdf_paging.py",
                                                "pdf_reportlab.py", "pdf_fpdf.py", "pdf_fonts.py")] + \
          [Path(__file__)]


def corpus_dir(forms: int, seed: int) -> Path:
    return OUT / "corpus" / f"forms{forms}_seed{seed}_{source_key({'forms': forms, 'seed': seed}, SOURCES)}"


def layout_for(cf: CorpusFile, seed: int) -> str:
    rng = random.Random(f"{seed}:{cf.index}:layout")
    return rng.choices(LAYOUTS, weights=LAYOUT_WEIGHTS.get(cf.year, OLDER_WEIGHTS))[0]


def render(cf: CorpusFile, path: Path, layout: str) -> None:
    if layout == "a":
        from tests.synth.pdf_reportlab import render_reportlab

        render_reportlab(cf.forms, path)
    else:
        from tests.synth.pdf_fpdf import render_fpdf

        render_fpdf(cf.forms, path, layout=layout)


def _render_one(args: tuple[CorpusFile, str, int]) -> dict[str, object]:
    cf, folder, seed = args
    layout = layout_for(cf, seed)
    path = Path(folder) / f"{cf.stem}_{layout}.pdf"
    render(cf, path, layout)
    return {"file": path.name, "layout": layout, "year": cf.year, "department": cf.department,
            "forms": len(cf.forms), "indicators": sum(len(f.indicators) for f in cf.forms)}


def build(folder: Path, forms: int, seed: int, workers: int = 2) -> None:
    tmp = folder.with_name(folder.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    jobs = [(cf, str(tmp), seed) for cf in corpus_files(forms, seed)]
    with ProcessPoolExecutor(workers) as pool:
        manifest = list(pool.map(_render_one, jobs, chunksize=4))
    (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=0))
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)  # a half-written corpus is never taken for a cached one


def ensure_corpus(forms: int, seed: int = 0, force: bool = False) -> Path:
    folder = corpus_dir(forms, seed)
    if force or not (folder / "manifest.json").exists():
        t = time.perf_counter()
        build(folder, forms, seed)
        print(f"rendered {forms} forms to {folder.name} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        for stale in folder.parent.glob(folder.name.rsplit("_", 1)[0] + "_*"):
            # the same parameters rendered by older code
            if stale != folder and stale.name.rsplit("_", 1)[0] == folder.name.rsplit("_", 1)[0]:
                shutil.rmtree(stale, ignore_errors=True)
    return folder


def manifest(folder: Path) -> list[dict[str, object]]:
    return json.loads((folder / "manifest.json").read_text())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--forms", type=int, default=200)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--force", action="store_true", help="re-render even when cached")
    args = p.parse_args(argv)
    print(ensure_corpus(args.forms, args.seed, args.force))
    return 0


if __name__ == "__main__":
    sys.exit(main())
