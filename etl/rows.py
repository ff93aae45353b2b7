"""Rows of parsed files, in the column order of `etl.store.TABLES`, and their bulk insert."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING

import duckdb

from etl import keys
from etl.compare import fingerprint
from etl.model import CheckedForm, ParsedFile
from etl.schema import TABLES

if TYPE_CHECKING:  # pyarrow is imported on first write: an unchanged re-run never loads it
    import pyarrow as pa


def file_status(pf: ParsedFile) -> str:
    if pf.error:
        return "error"
    return "partial" if any(c.status == "partial" for c in pf.forms) else "ok"


def file_reason(pf: ParsedFile) -> str | None:
    """files.error: why a file failed, or what its partial forms lack (never NULL for `partial`)."""
    if pf.error:
        return pf.error
    parts = [f"第{i}张表（{c.form.project_name or '项目名称未识别'}）：{'；'.join(c.form.gaps)}"
             for i, c in enumerate(pf.forms, start=1) if c.status == "partial"]
    return "部分解析：" + "。".join(parts) if parts else None


def parsed_rows(file_id: int, pf: ParsedFile, rows: dict[str, list[tuple]]) -> None:
    """Append a parsed file's rows (its `files` row and its forms'), in TABLES column order."""
    rows["files"].append((file_id, pf.path, pf.sha256, pf.kind, pf.pages, file_status(pf), file_reason(pf),
                          "\n".join(pf.warnings) or None, len(pf.forms), datetime.now(timezone.utc)))
    for checked in pf.forms:
        form_rows(keys.report_key(pf.sha256, pf.path, checked.form.form_index), file_id, checked, rows)


def form_rows(report_id: int, file_id: int, checked: CheckedForm, rows: dict[str, list[tuple]]) -> None:
    """Append one checked form's rows, table by table, in TABLES column order."""
    f = checked.form
    rows["reports"].append((report_id, file_id, f.form_index, f.page_start, f.page_end, f.year, f.project_name,
                            f.department, f.implementing_unit, f.goal_expected, f.goal_actual, f.total_weight,
                            f.total_score, f.grade or None, checked.status, fingerprint(f), f.form_kind, f.project_code,
                            f.department_code, f.unit_code, f.report_no, f.conclusion, f.problems, f.improvements,
                            f.project_lead, json.dumps(f.extras, ensure_ascii=False) if f.extras else None, None,
                            *keys.form_keys(report_id, f.year, f.department, f.implementing_unit, f.project_name,
                                            f.project_code), None, None))
    for fl in f.funding:
        rows["funding"].append((report_id, fl.line, fl.initial_budget, fl.full_year_budget, fl.executed,
                                fl.weight, fl.execution_rate, fl.score, fl.page, fl.label or fl.line, fl.ref))
    for ind, j in zip(f.indicators, checked.judgements, strict=True):
        top, bottom = ind.span or (None, None)
        rows["indicators"].append((report_id, ind.row_no, ind.level1, ind.level2, ind.name, ind.target,
                                   ind.actual, ind.weight, ind.score, ind.deviation, j.target.op, j.target.value,
                                   j.target.unit, j.actual.value, j.actual.unit, j.met, ind.page, top, bottom,
                                   ind.level1_points, ind.nature, ind.measure_unit, ind.ref))
    for fd in checked.findings:
        rows["findings"].append((report_id, fd.row_no, fd.code, fd.severity, fd.message))
    for c in f.cells:
        x0, top, x1, bottom = c.bbox or (None, None, None, None)
        rows["cells"].append((report_id, c.page, c.row, c.col, c.text, x0, top, x1, bottom,
                              c.rowspan, c.colspan, c.ref, c.confidence))


def arrow_table(table: str, rows: Sequence[tuple]) -> pa.Table:
    """Rows (tuples in TABLES column order) as an Arrow table with the table's types."""
    import pyarrow as pa

    schema = pa.schema([(name, _arrow_type(sqltype)) for name, sqltype in TABLES[table]])
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    return pa.Table.from_arrays([pa.array(col, type=schema.field(i).type) for i, col in enumerate(columns)],
                                schema=schema)


def insert_arrow(con: duckdb.DuckDBPyConnection, table: str, batch: pa.Table) -> None:
    if batch.num_rows == 0:
        return
    con.register("_batch", batch)
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM _batch")
    finally:
        con.unregister("_batch")


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[tuple]) -> None:
    """Bulk insert through Arrow: far faster than executemany for thousands of rows."""
    if rows:
        insert_arrow(con, table, arrow_table(table, rows))


def _arrow_type(sqltype: str) -> pa.DataType:
    import pyarrow as pa

    base = sqltype.split()[0]
    return {"BIGINT": pa.int64(), "INTEGER": pa.int32(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_(),
            "TIMESTAMP": pa.timestamp("us", tz="UTC"), "VARCHAR": pa.string()}[base]
