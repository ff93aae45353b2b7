"""A family's form as one ruled table on the family's column grid (`GTable`), plus the
free text lines printed above and below it. Both producers draw these."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from etl.model import Form, FundingLine, Indicator
from tests.synth.families.spec import FamilySpec
from tests.synth.pdf_grid import GCell, GRow, GTable, _fill_gaps, _runs, fmt_number

MM = 72 / 25.4


@dataclass(slots=True)
class Sheet:
    """What a producer prints for one form: lines above the table, the table, lines below."""

    above: list[str]
    table: GTable
    below: list[str] = field(default_factory=list)
    header_rows: int = 1  # indicator header rows (repeated on every page where the producer can)


def _num(value: float | None) -> str:
    return fmt_number(value, True)


def _short(value: float | None) -> str:
    return fmt_number(value, False)


def _code_name(code: str, name: str) -> str:
    return f"{code}-{name}" if code else name


def head_value(form: Form, fld: str) -> str:
    if fld.startswith("extras:"):
        return form.extras.get(fld[7:], "")
    codes = {"project_name": form.project_code, "department": form.department_code,
             "implementing_unit": form.unit_code}
    return _code_name(codes.get(fld, ""), getattr(form, fld))


def _head_rows(form: Form, spec: FamilySpec, n: int) -> list[GRow]:
    rows = []
    for pairs in spec.head:
        if len(pairs) == 1:
            slots = [(0, 2), (2, n - 2)]
        else:
            h = n // 2
            slots = [(0, 2), (2, h - 2), (h, 2), (h + 2, n - h - 2)]
        cells = []
        for (label, fld), (lab, val) in zip(pairs, zip(slots[::2], slots[1::2])):
            cells += [GCell(label, *lab, align="center"), GCell(head_value(form, fld), *val)]
        rows.append(GRow(cells, "info"))
    return rows


def _funding_rows(form: Form, spec: FamilySpec, n: int) -> list[GRow]:
    m = len(spec.funding_cols)
    first = n - m
    head = [GCell(spec.funding_block, 0, 1, 1 + len(form.funding), "center"),
            GCell(spec.funding_label_header, 1, first - 1, align="center")]
    head += [GCell(h, first + k, align="center") for k, (h, _) in enumerate(spec.funding_cols)]
    rows = [GRow(head, "funding")]
    for fl in form.funding:
        cells = [GCell(fl.label, 1, first - 1)]
        cells += [GCell(_value(fl, fld), first + k, align="right") for k, (_, fld) in enumerate(spec.funding_cols)]
        rows.append(GRow(cells, "funding"))
    return rows


def _value(fl: FundingLine, fld: str) -> str:
    return _num(getattr(fl, fld)) if fld else ""


def _goal_rows(form: Form, spec: FamilySpec, n: int) -> list[GRow]:
    h = (n + 1) // 2
    rows = []
    if spec.goal_intro:
        rows.append(GRow([GCell(spec.goal_intro, 1, n - 1)], "goal"))
    rows.append(GRow([GCell(spec.goal_headers[0], 1, h - 1, align="center"),
                      GCell(spec.goal_headers[1], h, n - h, align="center")], "goal"))
    rows.append(GRow([GCell(form.goal_expected, 1, h - 1), GCell(form.goal_actual, h, n - h)], "goal"))
    for label in spec.goal_paragraphs:
        key = label.split(".", 1)[-1]
        rows += [GRow([GCell(label, 1, n - 1)], "goal"), GRow([GCell(form.extras.get(key, ""), 1, n - 1)], "goal")]
    rows[0].cells.insert(0, GCell(spec.goal_block, 0, 1, len(rows), "center"))
    return rows


def _header_rows(spec: FamilySpec, b: int) -> list[GRow]:
    cols = spec.ind_cols
    if not any(c.top for c in cols):
        return [GRow([GCell(c.header, b + k, align="center") for k, c in enumerate(cols)], "ind_header")]
    top: list[GCell] = []
    bottom: list[GCell] = []
    for k, c in enumerate(cols):
        if not c.top:
            top.append(GCell(c.header, b + k, 1, 2, "center"))
            continue
        if top and top[-1].text == c.top and top[-1].rowspan == 1:
            top[-1].colspan += 1
        else:
            top.append(GCell(c.top, b + k, align="center"))
        bottom.append(GCell(c.header, b + k, align="center"))
    return [GRow(top, "ind_header"), GRow(bottom, "ind_header")]


def _level1_text(ind: Indicator) -> str:
    return f"{ind.level1}（{_short(ind.level1_points)}分）" if ind.level1_points is not None else ind.level1


def _printed_rows(inds: list[Indicator], placeholders: bool) -> list[tuple[Indicator, bool]]:
    """(row, is placeholder) as the sheet prints them; a 财政部 template adds a `指标N：`
    row after each 二级指标 group and a `……` row after each 一级指标 group."""
    out: list[tuple[Indicator, bool]] = []
    for k, ind in enumerate(inds):
        out.append((ind, False))
        if not placeholders:
            continue
        nxt = inds[k + 1] if k + 1 < len(inds) else None
        group = (ind.level1, ind.level2)
        if nxt is None or (nxt.level1, nxt.level2) != group:
            size = sum(1 for i in inds if (i.level1, i.level2) == group)
            out.append((replace(ind, name=f"指标{size + 1}："), True))
        if nxt is None or nxt.level1 != ind.level1:
            out.append((replace(ind, name="……"), True))
    return out


def _ind_text(ind: Indicator, fld: str, placeholder: bool) -> str:
    if placeholder:
        return ind.name if fld == "name" else ""
    if fld in ("weight", "score"):
        return _num(getattr(ind, fld))
    if fld == "adjusted":
        return ind.target
    if fld == "coef":
        return f"{ind.score / ind.weight:.2f}" if ind.weight and ind.score is not None else ""
    if fld == "core":
        return "是" if ind.weight and ind.weight >= 10 else "否"
    return getattr(ind, fld) if fld else ""


def _indicator_rows(form: Form, spec: FamilySpec, b: int) -> list[GRow]:
    printed = _printed_rows(form.indicators, spec.placeholders)
    run1 = _runs([(i.level1,) for i, _ in printed])
    run2 = _runs([(i.level1, i.level2) for i, _ in printed])
    rows = []
    for k, (ind, placeholder) in enumerate(printed):
        cells = []
        for c_k, col in enumerate(spec.ind_cols):
            if col.field == "level1":
                if run1[k]:
                    cells.append(GCell(_level1_text(ind), b + c_k, 1, run1[k], "center"))
            elif col.field == "level2":
                if run2[k]:
                    cells.append(GCell(ind.level2, b + c_k, 1, run2[k], "center"))
            else:
                align = "right" if col.field in ("weight", "score", "coef") else "left"
                cells.append(GCell(_ind_text(ind, col.field, placeholder), b + c_k, align=align))
        rows.append(GRow(cells, "indicator"))
    return rows


def _total_rows(form: Form, spec: FamilySpec, b: int, n: int) -> list[GRow]:
    rows = []
    fields = [c.field for c in spec.ind_cols]
    if spec.total_label:
        w, s = b + fields.index("weight"), b + fields.index("score")
        cells = [GCell(spec.total_label, 0, w, align="center"), GCell(_num(form.total_weight), w, align="right"),
                 GCell(_num(form.total_score), s, align="right")]
        rows.append(GRow(cells, "total"))
    if spec.grade:
        rows.append(GRow([GCell("评分等级", 0, 2, align="center"), GCell(form.grade, 2, n - 2, align="center")], "total"))
    texts = {"评价结论": form.conclusion, "存在问题": form.problems, "改进措施": form.improvements}
    rows += [GRow([GCell(label, 0, 2, align="center"), GCell(texts[label], 2, n - 2)], "total") for label in spec.tail]
    if spec.footnote:
        rows.append(GRow([GCell(spec.footnote, 0, n)], "total"))
    return rows


def family_sheet(form: Form, spec: FamilySpec) -> Sheet:
    n = len(spec.widths_mm)
    b = 1 if spec.ind_block else 0
    header = _header_rows(spec, b)
    body = _indicator_rows(form, spec, b)
    if spec.ind_block:
        header[0].cells.insert(0, GCell(spec.ind_block, 0, 1, len(header) + len(body), "center"))
    parts = [_funding_rows(form, spec, n), _goal_rows(form, spec, n)]
    rows = _head_rows(form, spec, n) + [r for p in (parts[::-1] if spec.goals_first else parts) for r in p]
    rows += header + body + _total_rows(form, spec, b, n)
    table = GTable([w * MM for w in spec.widths_mm], _fill_gaps(rows, n))
    above = [spec.title, f"（{form.year}年度）"]
    if spec.report_no:
        above.append(f"报表编号：{spec.report_no}")
    below = [f"项目负责人：{form.project_lead}　　财务负责人：{form.extras.get('财务负责人', '')}"] if spec.lead_line else []
    return Sheet(above, table, below, len(header))
