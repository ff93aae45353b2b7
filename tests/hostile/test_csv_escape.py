"""CSV injection: every cell Excel or WPS would run as a formula is escaped, through the real CSV bytes."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from dashboard.export import csv_bytes

RISKY = ["\n=1+1", "\r\n=cmd|' /C calc'!A0", "＝HYPERLINK(\"http://x\")", "＋1", "－2", "＠SUM(A1)",
         "=HYPERLINK(\"http://x\",\"点我\")", "\t=1", "-2+3"]
SAFE = ["项目＝名称", "a\n=b", "满意度 = 100%", "（－）"]


def read_back(column: list[object]) -> pd.Series:
    data = csv_bytes(pd.DataFrame({"v": column}), label_columns=False)
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)["v"]


@pytest.mark.parametrize("cell", RISKY)
def test_a_risky_start_is_escaped(cell: str) -> None:
    assert read_back([cell]).tolist() == ["'" + cell]


def test_text_that_only_contains_a_sign_later_is_untouched() -> None:
    assert read_back(SAFE).tolist() == SAFE


def test_negative_numbers_stay_numbers() -> None:
    back = read_back([-3.5, 2.0])
    assert back.tolist() == [-3.5, 2.0] and back.dtype.kind == "f"
