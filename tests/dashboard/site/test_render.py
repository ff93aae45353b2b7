"""Rows from Arrow without pandas are the rows the pages were rendered from with pandas."""

from __future__ import annotations

import datetime
import decimal
import math

import pyarrow as pa

from dashboard.site.render import arrow_rows, table


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return type(a) is type(b) and a == b


def test_arrow_rows_equal_pandas_records_with_nulls_of_every_type() -> None:
    data = pa.table({
        "year": pa.array([2024, None, 2023], pa.int32()), "report_id": [1, 2, 3], "score": [1.5, None, 2.0],
        "name": ["甲", None, "=cmd"], "unit": pa.array(["乙", "丙", None], pa.large_string()),
        "met": [True, None, False], "amount": pa.array([decimal.Decimal("1.50"), None, decimal.Decimal("2")]),
        "day": pa.array([datetime.date(2024, 1, 1), None, None]), "grade": ["优", "良", "中"]})
    ours, theirs = arrow_rows(data), data.to_pandas().to_dict("records")
    assert [list(r) for r in ours] == [list(r) for r in theirs]
    assert all(_same(a[k], b[k]) for a, b in zip(ours, theirs, strict=True) for k in a)
    cols = ["year", "report_id", "score", "name", "unit", "met", "grade"]
    assert table(ours, cols) == table(data.to_pandas(), cols)  # the same cells, byte for byte
