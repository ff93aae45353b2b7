"""Measure how well each family reads: `python -m tests.synth.families.score`.

For every family and producer: forms read exactly out of 17 and the share of fields
right (every golden field plus the family's own: codes, labels, points, split targets).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from etl.compare import field_score
from etl.model import Form
from etl.parse import parse_document
from etl.readers.pdf import read_pdf
from tests.synth.families.build import expected_forms, pdf_path
from tests.synth.families.spec import FAMILIES, FAMILY_GROUPS, PRODUCERS


@dataclass(slots=True)
class Score:
    forms: int = 0
    exact: int = 0
    fields: int = 0
    right: int = 0
    wrong: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return 100.0 * self.right / self.fields if self.fields else 0.0


def score(parsed: list[Form], expected: list[Form]) -> Score:
    s = Score(forms=len(expected))
    for k, want in enumerate(expected):
        got = parsed[k] if k < len(parsed) else Form(form_index=k + 1, page_start=0, page_end=0)
        n, wrong = field_score(got, want)
        s.fields += n
        s.right += n - min(n, len(wrong))
        s.exact += not wrong
        s.wrong += [f"{k + 1}:{w}" for w in wrong]
    return s


def family_score(key: str, producer: str) -> Score:
    parsed = parse_document(read_pdf(str(pdf_path(key, producer))))
    return score(parsed, expected_forms(FAMILIES[key], producer))


def merged(scores: list[Score]) -> Score:
    out = Score()
    for s in scores:
        out.forms, out.exact, out.fields, out.right = (out.forms + s.forms, out.exact + s.exact,
                                                      out.fields + s.fields, out.right + s.right)
        out.wrong += s.wrong
    return out


def main() -> int:
    print(f"{'family':34} {'producer':10} {'exact':>7} {'fields right':>14}")
    for group, keys in FAMILY_GROUPS.items():
        for key in keys:
            scores = []
            for producer in PRODUCERS:
                scores.append(family_score(key, producer))
                s = scores[-1]
                print(f"{FAMILIES[key].name:28} {producer:10} {s.exact:>3}/{s.forms:<3} {s.share:13.2f}%  "
                      f"{' '.join(s.wrong[:4])}")
            s = merged(scores)
            print(f"{group + ' ' + key:34} {'both':10} {s.exact:>3}/{s.forms:<3} {s.share:13.2f}%  ({s.fields} fields)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
