"""Field-by-field comparison against the golden records, for accuracy figures (OCR tests, bench/ocr.py).

`etl.compare.comparable` turns a form into nested dicts and lists; here every leaf is one
field (`funding[1].executed`, `indicators[4].target`, `grade`), counted right or wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from etl.compare import comparable
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
        self._walk(comparable(got) if got else None, comparable(want), want.form_index, "")

    def _walk(self, got: Any, want: Any, form: int, path: str) -> None:
        if isinstance(want, dict):
            for k, v in want.items():
                self._walk(got.get(k) if isinstance(got, dict) else None, v, form, f"{path}.{k}" if path else k)
        elif isinstance(want, list):
            for i, v in enumerate(want):
                self._walk(got[i] if isinstance(got, list) and i < len(got) else None, v, form, f"{path}[{i}]")
        else:
            self.total += 1
            if got != want:
                self.wrong.append((form, path, got, want))
