"""Field-by-field comparison against the golden records, for accuracy figures (OCR tests, bench/ocr.py).

`etl.compare.leaves` flattens a form's comparable dict; here every leaf is one
field (`funding[1].executed`, `indicators[4].target`, `grade`), counted right or wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from etl.compare import comparable, leaves
from etl.model import Form


@dataclass(slots=True)
class FieldTally:
    total: int = 0
    wrong: list[tuple[int, str, Any, Any]] = field(default_factory=list)  # (form_index, path, got, want)

    @property
    def right(self) -> int:
        return self.total - len(self.wrong)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0

    def add(self, got: Form | None, want: Form) -> None:
        """Count every field of `want`; a field `got` lacks (or no form at all) is wrong."""
        have = leaves(comparable(got)) if got else {}
        for path, value in leaves(comparable(want)).items():
            self.total += 1
            if have.get(path) != value or path not in have:
                self.wrong.append((want.form_index, path, have.get(path), value))
