"""The golden records: the hand-made answer key for the seed forms, as `Form` objects.

`data/golden/truth.json` is a copy of the key that came with the seed texts. The PDF
generators render these records, and the tests compare parsed forms against them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from etl.compare import FORM_FIELDS, FUNDING_FIELDS, INDICATOR_FIELDS
from etl.model import Form, FundingLine, Indicator

REPO_ROOT = Path(__file__).resolve().parents[2]
TRUTH_PATH = REPO_ROOT / "data" / "golden" / "truth.json"



def load_truth(path: Path = TRUTH_PATH) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))


def to_form(rec: dict[str, Any], form_index: int | None = None) -> Form:
    return Form(
        form_index=form_index or rec["seq"], page_start=1, page_end=1,
        **{k: rec[k] for k in FORM_FIELDS},
        funding=[FundingLine(line=f["line"], **{k: f[k] for k in FUNDING_FIELDS}) for f in rec["funding"]],
        indicators=[Indicator(row_no=i, **{k: ind[k] for k in INDICATOR_FIELDS})
                    for i, ind in enumerate(rec["indicators"], start=1)],
    )


def golden_forms(path: Path = TRUTH_PATH) -> list[Form]:
    return [to_form(r) for r in load_truth(path)]


def golden_by_source(path: Path = TRUTH_PATH) -> dict[str, list[Form]]:
    out: dict[str, list[Form]] = {}
    for rec in load_truth(path):
        out.setdefault(rec["source"], []).append(to_form(rec))
    return out
