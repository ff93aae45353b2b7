"""The golden records: the hand-made answer key for the seed forms, as `Form` objects.

`data/golden/truth.json` is a copy of the key that came with the seed texts. The PDF
generators render these records, and the tests compare parsed forms against them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from etl.model import Form, FundingLine, Indicator

REPO_ROOT = Path(__file__).resolve().parents[2]
TRUTH_PATH = REPO_ROOT / "data" / "golden" / "truth.json"

FUNDING_FIELDS = ("initial_budget", "full_year_budget", "executed", "weight", "execution_rate", "score")
INDICATOR_FIELDS = ("level1", "level2", "name", "target", "actual", "weight", "score", "deviation")
FORM_FIELDS = ("year", "project_name", "department", "implementing_unit", "goal_expected", "goal_actual",
               "total_weight", "total_score", "grade")


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


_SPACE = re.compile(r"\s+")


def squash(text: str | None) -> str:
    """Whitespace removed: how printed text is compared (extraction adds and drops spaces)."""
    return _SPACE.sub("", text or "")


def comparable(form: Form, *, goals: bool = True) -> dict[str, Any]:
    """A form as a plain dict of golden fields, text whitespace-free, for equality in tests."""
    def norm(v: Any) -> Any:
        return squash(v) if isinstance(v, str) else v

    out: dict[str, Any] = {k: norm(getattr(form, k)) for k in FORM_FIELDS}
    if not goals:
        out.pop("goal_expected")
        out.pop("goal_actual")
    out["funding"] = [{"line": f.line, **{k: getattr(f, k) for k in FUNDING_FIELDS}} for f in form.funding]
    out["indicators"] = [{k: norm(getattr(i, k)) for k in INDICATOR_FIELDS} for i in form.indicators]
    return out
