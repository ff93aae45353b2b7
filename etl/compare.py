"""Comparing forms: the golden fields, whitespace-free, and a fingerprint over them.

Two copies of one form (a PDF and its text extraction, or the same PDF saved twice)
must give equal `comparable()` dicts; the store uses `fingerprint()` to notice
copies that disagree.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from etl.model import Form

FUNDING_FIELDS = ("initial_budget", "full_year_budget", "executed", "weight", "execution_rate", "score")
INDICATOR_FIELDS = ("level1", "level2", "name", "target", "actual", "weight", "score", "deviation")
FORM_FIELDS = ("year", "project_name", "department", "implementing_unit", "goal_expected", "goal_actual",
               "total_weight", "total_score", "grade")

_SPACE = re.compile(r"\s+")


def squash(text: str | None) -> str:
    """Whitespace removed: how printed text is compared (extraction adds and drops spaces)."""
    return _SPACE.sub("", text or "")


def comparable(form: Form, *, goals: bool = True) -> dict[str, Any]:
    """A form as a plain dict of golden fields, text whitespace-free, for equality checks."""
    def norm(v: Any) -> Any:
        return squash(v) if isinstance(v, str) else v

    out: dict[str, Any] = {k: norm(getattr(form, k)) for k in FORM_FIELDS}
    if not goals:
        out.pop("goal_expected")
        out.pop("goal_actual")
    out["funding"] = [{"line": f.line, **{k: getattr(f, k) for k in FUNDING_FIELDS}} for f in form.funding]
    out["indicators"] = [{k: norm(getattr(i, k)) for k in INDICATOR_FIELDS} for i in form.indicators]
    return out


def fingerprint(form: Form) -> str:
    """Content hash of a form's figures and texts; goal texts left out (text layouts interleave them)."""
    blob = json.dumps(comparable(form, goals=False), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]
