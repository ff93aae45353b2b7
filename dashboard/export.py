"""CSV export rules, in one place: files that open cleanly in Excel on Chinese Windows.

- UTF-8 with a BOM (without it Excel reads the bytes as GBK and shows mojibake);
- CRLF line ends;
- a text cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`: printed
  targets such as `=100%` would otherwise run as formulas (CSV injection);
  numeric columns are left alone so they stay numbers;
- Chinese column headers; the file name says which slice it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from dashboard.filters import Filters, describe
from dashboard.labels import column_label

BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Characters Windows does not allow in file names, and whitespace runs.
_BAD_NAME_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]+|\s+')
MAX_NAME_CHARS = 120


def escape_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def excel_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell that Excel would read as a formula escaped."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
            continue
        out[col] = s.map(escape_cell, na_action="ignore").astype(object)
    return out


def with_labels(df: pd.DataFrame) -> pd.DataFrame:
    """Columns renamed to their Chinese labels (the same ones the tables show)."""
    return df.rename(columns={c: column_label(c) for c in df.columns})


def csv_bytes(df: pd.DataFrame, *, label_columns: bool = True) -> bytes:
    frame = excel_safe(with_labels(df) if label_columns else df)
    return (BOM + frame.to_csv(index=False, lineterminator="\r\n")).encode("utf-8")


def safe_part(text: str) -> str:
    return _BAD_NAME_CHARS.sub("_", text).strip("._ ") or "_"


def file_name(what: str, filters: Filters | None = None, extra: Iterable[str] = ()) -> str:
    """`未达标指标_上海市科学技术协会_2024.csv`: what, then the filters, then any extra parts."""
    parts = [what, *(describe(filters, empty="全部") if filters else []), *extra]
    stem = "_".join(safe_part(p) for p in parts if p)
    return stem[:MAX_NAME_CHARS] + ".csv"
