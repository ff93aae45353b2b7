"""Document -> forms: where each 绩效自评表 starts, and its header fields, totals, grade.

A form starts at its title (财政项目支出绩效自评表); where a title is missing, at a
year line or a 项目名称 row that would otherwise be a second one in the same form.
Every field is found by its printed label; what cannot be found becomes a gap (in
Chinese) and the form is still returned.
"""

from __future__ import annotations

from etl.model import Document, Form
from etl.normalize import label_key
from etl.parse import vocab
from etl.parse.cells import Gaps, Row, label_value, pages_of
from etl.parse.funding import parse_funding, parse_goals
from etl.parse.indicators import parse_table


def parse_document(doc: Document) -> list[Form]:
    """One Form per 绩效自评表 in the document, in printed order."""
    return [parse_form(rows, i) for i, rows in enumerate(split_forms(doc.rows), start=1)]


def _marks(row: Row) -> tuple[bool, bool, bool]:
    """(title, year line, 项目名称) for a row."""
    texts = [c.text for c in row if c.text.strip()]
    title = any(vocab.is_title(t) for t in texts)
    year = len(texts) == 1 and vocab.year_of(texts[0], line_only=True) is not None
    project = bool(texts) and vocab.starts_with_label(texts[0], vocab.PROJECT)
    return title, year, project


def split_forms(rows: list[Row]) -> list[list[Row]]:
    forms: list[list[Row]] = []
    seen_year = seen_project = False
    for row in rows:
        title, year, project = _marks(row)
        starts = title or (year and (seen_year or seen_project)) or (project and seen_project) \
            or (not forms and (year or project))
        if starts:
            forms.append([])
            seen_year = seen_project = False
        if forms:
            forms[-1].append(row)
        seen_year |= year
        seen_project |= project
    return forms


def parse_form(rows: list[Row], index: int) -> Form:
    gaps = Gaps()
    first, last = pages_of(rows)
    form = Form(form_index=index, page_start=first, page_end=last,
                cells=[c for row in rows for c in row])
    form.year = _year(rows)
    if form.year is None:
        gaps.add("未找到年度")
    form.project_name = _field(rows, vocab.PROJECT, gaps)
    form.department = _field(rows, vocab.DEPARTMENT, gaps)
    form.implementing_unit = _field(rows, vocab.UNIT, gaps)
    form.funding = parse_funding(rows, gaps)
    form.goal_expected, form.goal_actual = parse_goals(rows, gaps)
    table = parse_table(rows, gaps)
    form.indicators = table.indicators
    form.total_weight, form.total_score = table.total_weight, table.total_score
    if not table.has_total:
        gaps.add("未找到总分")
    form.grade = _field(rows, vocab.GRADE, gaps)
    form.gaps = gaps.items
    return form


def _year(rows: list[Row]) -> int | None:
    for row in rows[:8]:
        for cell in row:
            year = vocab.year_of(cell.text)
            if year and ("年度" in label_key(cell.text) or vocab.year_of(cell.text, line_only=True)):
                return year
    return None


def _field(rows: list[Row], label: str, gaps: Gaps) -> str:
    value = label_value(rows, label, gaps, label)
    if value is None or not value:
        gaps.add(f"未找到{label}")
    return value or ""
