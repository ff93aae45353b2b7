"""CSV export rules, in one place: files that open cleanly in Excel on Chinese Windows.

- UTF-8 with a BOM (without it Excel reads the bytes as GBK and shows mojibake);
- CRLF line ends;
- a text cell starting with `=`, `+`, `-`, `@`, tab, CR or LF, or with the full-width
  `＝ ＋ － ＠` (Excel and WPS read those as formulas too), gets a leading `'`: printed
  targets such as `=100%` would otherwise run as formulas (CSV injection);
  numeric columns are left alone so they stay numbers (a negative number is no formula);
- Chinese column headers; the file name says which slice it is.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from dashboard.filters import Filters, describe
from dashboard.labels import column_label

BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")  # one character each
# Characters Windows does not allow in file names, and whitespace runs.
_BAD_NAME_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]+|\s+')
MAX_NAME_CHARS = 120


def excel_safe(table: pa.Table) -> pa.Table:
    """Every text cell Excel would read as a formula gets a leading `'`; other types untouched."""
    return pa.table([_escape(col) for col in table.columns], names=table.column_names)


def _escape(col: pa.ChunkedArray) -> pa.ChunkedArray:
    if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
        return col  # numbers stay numbers, even negative ones
    # One look at each cell's first character (eleven `starts_with` passes cost 2x), and the
    # column is copied only when a cell needs the quote: most exports have none.
    risky = pc.is_in(pc.utf8_slice_codeunits(col, 0, 1), value_set=pa.array(FORMULA_PREFIXES, col.type))
    if not pc.any(risky).as_py():
        return col
    quote, nothing = pa.scalar("'", col.type), pa.scalar("", col.type)
    return pc.if_else(risky, pc.binary_join_element_wise(quote, col, nothing), col)


def csv_bytes(data: pd.DataFrame | pa.Table, *, label_columns: bool = True) -> bytes:
    """The CSV file: BOM, Chinese headers, CRLF, formulas escaped.

    Built in Arrow, not pandas: a 100,000-row slice takes about a second instead of six.
    """
    table = data if isinstance(data, pa.Table) else pa.Table.from_pandas(data, preserve_index=False)
    if label_columns:
        table = table.rename_columns([column_label(c) for c in table.column_names])
    buf = io.BytesIO()
    buf.write(BOM.encode("utf-8"))
    pacsv.write_csv(excel_safe(table), buf, pacsv.WriteOptions(eol="\r\n", batch_size=16384))
    return buf.getvalue()


def safe_part(text: str) -> str:
    return _BAD_NAME_CHARS.sub("_", text).strip("._ ") or "_"


def file_name(what: str, filters: Filters | None = None, extra: Iterable[str] = ()) -> str:
    """`未达标指标_上海市科学技术协会_2024.csv`: what, then the filters, then any extra parts."""
    parts = [what, *(describe(filters, empty="全部") if filters else []), *extra]
    stem = "_".join(safe_part(p) for p in parts if p)
    return stem[:MAX_NAME_CHARS] + ".csv"
