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
    project = bool(texts) and vocab.match_label(texts[0], vocab.PROJECT_LABELS) is not None
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
    form.form_kind = _kind(rows)
    whole = form.form_kind == vocab.DEPARTMENT_KIND_WORD
    form.project_code, form.project_name = _named(rows, vocab.PROJECT_LABELS, gaps, required=not whole)
    form.department_code, form.department = _named(rows, vocab.DEPARTMENT_LABELS, gaps, required=not whole)
    form.unit_code, form.implementing_unit = _named(rows, vocab.UNIT_LABELS, gaps)
    if whole:
        _whole_department_identity(form)
    form.funding = parse_funding(rows, gaps)
    form.goal_expected, form.goal_actual = parse_goals(rows, gaps)
    table = parse_table(rows, gaps)
    form.indicators = table.indicators
    form.total_weight, form.total_score = table.total_weight, table.total_score
    _texts(rows, form, gaps)
    if not table.has_total:
        self_total = vocab.parse_number(form.extras.get(vocab.SELF_TOTAL))
        if self_total is None:
            gaps.add("未找到总分")
        form.total_score = self_total
    grade = label_value(rows, vocab.GRADE_LABELS, gaps, vocab.GRADE)
    if grade == "":
        gaps.add(f"未找到{vocab.GRADE}")
    form.grade = grade or ""  # a family without 评分等级: no grade, and no gap
    form.gaps = gaps.items
    return form


def _whole_department_identity(form: Form) -> None:
    """A 部门整体支出 form evaluates the printing unit itself: where no 主管部门 or 项目名称 is
    printed, the unit is its department and the kind names its "project", so the form is
    grouped, filtered and de-duplicated like any other (the printed cells stay as they are)."""
    if not form.department:
        form.department, form.department_code = form.implementing_unit, form.unit_code
    if not form.project_name:
        form.project_name = vocab.DEPARTMENT_KIND_WORD


def _kind(rows: list[Row]) -> str:
    """部门整体支出 where the title says so, else 项目支出."""
    title = next((c.text for row in rows[:3] for c in row if vocab.is_title(c.text)), "")
    return vocab.DEPARTMENT_KIND_WORD if vocab.DEPARTMENT_KIND_WORD in label_key(title) else "项目支出"


def _named(rows: list[Row], labels: tuple[str, ...], gaps: Gaps, required: bool = True) -> tuple[str, str]:
    """(code, name) of a labelled name printed as `219-上海市欧美同学会` or plain."""
    value = label_value(rows, labels, gaps, labels[0])
    if not value:
        if required or value == "":
            gaps.add(f"未找到{labels[0]}")
        return "", ""
    return vocab.split_code(value)


def _texts(rows: list[Row], form: Form, gaps: Gaps) -> None:
    """报表编号, 项目负责人, 评价结论 / 存在问题 / 改进措施 and the family's other labelled texts."""
    form.report_no = label_value(rows, vocab.REPORT_NO_LABELS, gaps, "报表编号") or ""
    form.project_lead = label_value(rows, vocab.LEAD_LABELS, gaps, "项目负责人") or ""
    for label, attr in vocab.TEXT_FIELDS.items():
        setattr(form, attr, label_value(rows, (label,), gaps, label, below=True) or "")
    for label in vocab.EXTRA_LABELS:
        value = label_value(rows, (label,), gaps, label, below=True)
        if value:
            form.extras[label] = value


def _year(rows: list[Row]) -> int | None:
    for row in rows[:8]:
        for cell in row:
            year = vocab.year_of(cell.text)
            if year and ("年度" in label_key(cell.text) or vocab.year_of(cell.text, line_only=True)):
                return year
    return None
