"""Which copy of a form is shown: the best one, not the first path (issue 9).

The same form found in several files (a PDF, its text extraction, a re-scan) shares one
`form_key` (etl/keys.py). Among its copies the primary is chosen by quality:

1. fewest `parse_gap` findings (the copy read completely),
2. fewest other error/warning findings (the copy whose arithmetic closes),
3. complete (`ok`) before `partial`,
4. PDF before other kinds (it can show its original page),
5. then path and position, so that the choice never depends on ingest order.

The others point at it through `duplicate_of`; every copy carries `copies`, and the
primary of a form with several copies says in `copy_choice` (Chinese) which copy is shown
and why. Copies whose content differs get a `duplicate_mismatch` finding on the primary.

Derived state, recomputed per changed form: `elect(con)` reads the temp table `_forms`
(form_key) filled by `etl.changes`, so a load costs in proportion to what it changed.
"""

from __future__ import annotations

import duckdb

KIND_LABELS = {"pdf": "PDF", "txt": "文本", "xlsx": "Excel", "xls": "Excel", "docx": "Word", "html": "网页", "image": "图片"}

_KIND = "CASE e.kind " + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in KIND_LABELS.items()) + " ELSE e.kind END"

_RANKED = """
    CREATE OR REPLACE TEMP TABLE _elect AS
    WITH scope AS (SELECT report_id, form_key, file_id, form_index, status FROM reports
                   WHERE form_key IN (SELECT form_key FROM _forms)),
    fx AS (SELECT report_id, count(*) FILTER (WHERE code = 'parse_gap') AS gaps,
                  count(*) FILTER (WHERE code NOT IN ('parse_gap', 'duplicate_mismatch')
                                   AND severity IN ('error', 'warning')) AS issues
           FROM findings WHERE report_id IN (SELECT report_id FROM scope) GROUP BY report_id)
    SELECT s.report_id, f.kind, f.path, coalesce(fx.gaps, 0) AS gaps, coalesce(fx.issues, 0) AS issues,
           first_value(s.report_id) OVER w AS primary_id, count(*) OVER (PARTITION BY s.form_key) AS copies
    FROM scope s JOIN files f USING (file_id) LEFT JOIN fx USING (report_id)
    WINDOW w AS (PARTITION BY s.form_key ORDER BY coalesce(fx.gaps, 0), coalesce(fx.issues, 0),
                 s.status = 'partial', f.kind = 'pdf' DESC, f.path, s.form_index, s.report_id)"""

_APPLY = f"""
    UPDATE reports SET duplicate_of = nullif(e.primary_id, e.report_id), copies = e.copies,
        copy_choice = CASE WHEN e.copies > 1 AND e.primary_id = e.report_id THEN
            '共 ' || e.copies || ' 份来源，显示此份（' || {_KIND} || '，解析缺项 ' || e.gaps || ' 处，核算问题 '
            || e.issues || ' 条）：按解析完整、核算相符、PDF 优先选出' END
    FROM _elect e WHERE reports.report_id = e.report_id"""

_MISMATCH = """
    INSERT INTO findings
    SELECT p.report_id, NULL, 'duplicate_mismatch', 'warning',
           '同一表格的另一份来源内容不一致：' || f.path || '（第' || d.form_index || '张表）'
    FROM reports d JOIN reports p ON d.duplicate_of = p.report_id JOIN files f ON d.file_id = f.file_id
    WHERE d.fingerprint <> p.fingerprint AND p.form_key IN (SELECT form_key FROM _forms)"""


def elect(con: duckdb.DuckDBPyConnection) -> None:
    """Re-elect the primary copy of every form in the temp table `_forms`."""
    con.execute(_RANKED)
    con.execute(_APPLY)
    con.execute("DELETE FROM findings WHERE code = 'duplicate_mismatch' AND report_id IN "
                "(SELECT report_id FROM reports WHERE form_key IN (SELECT form_key FROM _forms))")
    con.execute(_MISMATCH)
    con.execute("DROP TABLE _elect")
