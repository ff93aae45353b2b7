"""Build the family samples: `python -m tests.synth.families.build [--family KEY]`.

tests/data/families/<family>/<producer>.pdf  the 17 golden forms in the family's layout
                                             (names as in truth.json), for the golden tests:
                                             ReportLab prints the 9 of 上海市欧美同学会,
                                             LibreOffice the 8 of the other two departments
data/samples/families/<family>.pdf            one sample per family for `jixiao ingest`: the
                                             4 forms of 上海市科学技术协会, the 上海市 renamed
                                             to the family's region so that they are forms of
                                             their own, not copies of the Shanghai samples

The files are committed: LibreOffice is a development tool only.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from etl.model import Form
from tests.synth.families.render import render_office, render_reportlab
from tests.synth.families.spec import FAMILIES, PRODUCERS, FamilySpec
from tests.synth.families.truth import family_form
from tests.synth.golden import REPO_ROOT, golden_by_source

TESTS_DIR = REPO_ROOT / "tests" / "data" / "families"
SAMPLES_DIR = REPO_ROOT / "data" / "samples" / "families"
REGIONS = {"caizheng": "池州市", "yunnan": "昆明市", "sichuan": "四川省", "zhongjiang": "中江县",
           "dept_guizhou": "绥阳县", "dept_chongqing": "重庆市"}
# Which seed sources each producer prints (together: the 17 golden forms).
PRODUCER_SOURCES = {"reportlab": ("000_db8c161870266780.txt",),
                    "office": ("002_ad0082497000d1dc.txt", "004_7b7c0afb335e079f.txt")}
SAMPLE_SOURCE = "002_ad0082497000d1dc.txt"
# The producer of each family's bundled sample.
SAMPLE_PRODUCER = {"caizheng": "office", "yunnan": "reportlab", "sichuan": "office", "zhongjiang": "reportlab",
                   "dept_guizhou": "office", "dept_chongqing": "reportlab"}


def expected_forms(spec: FamilySpec, producer: str, region: str = "") -> list[Form]:
    """The producer's golden forms as the family prints them (in one file: form_index 1..n);
    with `region`, the bundled sample's forms renamed."""
    by_source = golden_by_source()
    sources = (SAMPLE_SOURCE,) if region else PRODUCER_SOURCES[producer]
    out = []
    for k, g in enumerate((f for s in sources for f in by_source[s]), start=1):
        if region:
            g = replace(g, department=g.department.replace("上海市", region),
                        implementing_unit=g.implementing_unit.replace("上海市", region))
        out.append(replace(family_form(g, spec, producer), form_index=k))
    return out


def pdf_path(key: str, producer: str) -> Path:
    return TESTS_DIR / key / f"{producer}.pdf"


def render(forms: list[Form], spec: FamilySpec, producer: str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    make = render_office if producer == "office" else render_reportlab
    return make(forms, spec, path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="生成各模板族的示例PDF")
    parser.add_argument("--family", action="append", choices=sorted(FAMILIES))
    parser.add_argument("--producer", action="append", choices=PRODUCERS)
    args = parser.parse_args(argv)
    for key in args.family or FAMILIES:
        spec = FAMILIES[key]
        for producer in args.producer or PRODUCERS:
            path = render(expected_forms(spec, producer), spec, producer, pdf_path(key, producer))
            print(f"{path.stat().st_size / 1024:7.1f} KB  {path}")
        producer = SAMPLE_PRODUCER[key]
        if producer in (args.producer or PRODUCERS):
            path = render_sample(key, spec, producer)
            print(f"{path.stat().st_size / 1024:7.1f} KB  {path}")


def render_sample(key: str, spec: FamilySpec, producer: str) -> Path:
    forms = expected_forms(spec, producer, REGIONS[key])
    if spec.form_kind == "部门整体支出":  # a unit prints one 部门整体支出 form a year
        forms = forms[:1]
    return render(forms, spec, producer, SAMPLES_DIR / f"{key}.pdf")


if __name__ == "__main__":
    main()
