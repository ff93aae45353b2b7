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
# Fields a template family adds (codes, points, split targets, texts); compared with `full=True`.
FAMILY_FORM_FIELDS = ("form_kind", "project_code", "department_code", "unit_code", "report_no", "conclusion",
                      "problems", "improvements", "project_lead", "extras")
FAMILY_FUNDING_FIELDS = ("label",)
FAMILY_INDICATOR_FIELDS = ("level1_points", "nature", "measure_unit")

_SPACE = re.compile(r"\s+")


def squash(text: str | None) -> str:
    """Whitespace removed: how printed text is compared (extraction adds and drops spaces)."""
    return _SPACE.sub("", text or "")


def _norm(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _norm(x) for k, x in v.items()}
    return squash(v) if isinstance(v, str) else v


def comparable(form: Form, *, goals: bool = True, full: bool = False) -> dict[str, Any]:
    """A form as a plain dict of golden fields, text whitespace-free, for equality checks;
    `full` adds the family fields (codes, printed funding labels, points, split targets)."""
    ff, fu, fi = (FAMILY_FORM_FIELDS, FAMILY_FUNDING_FIELDS, FAMILY_INDICATOR_FIELDS) if full else ((), (), ())
    out: dict[str, Any] = {k: _norm(getattr(form, k)) for k in FORM_FIELDS + ff}
    if not goals:
        out.pop("goal_expected")
        out.pop("goal_actual")
    out["funding"] = [{"line": f.line, **{k: _norm(getattr(f, k)) for k in FUNDING_FIELDS + fu}} for f in form.funding]
    out["indicators"] = [{k: _norm(getattr(i, k)) for k in INDICATOR_FIELDS + fi} for i in form.indicators]
    return out


def leaves(value: Any, path: str = "") -> dict[str, Any]:
    """A comparable() dict flattened to field path -> value (`indicators[3].target`)."""
    if isinstance(value, dict):
        return {k: v for key, x in value.items() for k, v in leaves(x, f"{path}.{key}" if path else key).items()}
    if isinstance(value, list):
        return {k: v for n, x in enumerate(value) for k, v in leaves(x, f"{path}[{n}]").items()}
    return {path: value}


def field_score(got: Form, want: Form) -> tuple[int, list[str]]:
    """(number of fields of `want`, the paths that `got` does not match), family fields included.
    A missing or extra list entry counts every field of it as wrong."""
    a, b = leaves(comparable(got, full=True)), leaves(comparable(want, full=True))
    wrong = sorted(k for k in b.keys() | a.keys() if a.get(k, "<missing>") != b.get(k, "<missing>"))
    return len(b), wrong


def fingerprint(form: Form) -> str:
    """Content hash of a form's figures and texts; goal texts left out (text layouts interleave them)."""
    blob = json.dumps(comparable(form, goals=False), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]
