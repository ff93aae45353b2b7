"""A golden record as a family prints it: the form the parser must read back.

Names, figures, goals and indicators are the golden record's; the family adds what its
sheet carries (codes before names, points in 一级指标, split targets, 评价结论, contacts)
and drops what it does not print (年初预算数, 评分等级, 一级/二级 levels). Everything
here is deterministic: the same record gives the same form.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import replace

from etl.model import Form, FundingLine, Indicator
from etl.targets import parse_quantity
from tests.synth.families.spec import FamilySpec

_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_OP_SIGNS = {"≥": "≥", "≤": "≤", ">": ">", "<": "<"}
PEOPLE = ("王建国", "李华", "张敏", "刘洋", "陈静", "杨帆", "赵磊")
FUNDING_FIELDS = ("initial_budget", "full_year_budget", "executed", "weight", "execution_rate", "score")


def code(text: str, digits: int) -> str:
    return str(zlib.crc32(text.encode()) % 10 ** digits).zfill(digits)


def dept_code(department: str) -> str:
    return str(200 + zlib.crc32(department.encode()) % 100)


def family_form(golden: Form, spec: FamilySpec, producer: str) -> Form:
    """The form `spec` prints for `golden` (by `producer`: the office build writes `﹦`)."""
    f = replace(golden, funding=[], indicators=[], extras={}, form_kind=spec.form_kind, grade=golden.grade
                if spec.grade else "")
    fields = {fld for row in spec.head for _, fld in row}
    if spec.form_kind == "部门整体支出":  # no 项目名称/主管部门 printed: the unit is the department
        f.project_name, f.department = "部门整体支出", golden.implementing_unit
    if "project" in spec.codes:
        f.project_code = f"51000021R{code(golden.project_name + golden.department, 12)}"
    if "department" in spec.codes:
        f.department_code = dept_code(golden.department)
    if "unit" in spec.codes:
        f.unit_code = dept_code(golden.department) + code(golden.implementing_unit, 3)
    person = PEOPLE[golden.form_index % len(PEOPLE)]
    phone = f"0{838 if spec.key == 'zhongjiang' else 851}-{code(golden.project_name, 7)}"
    if "project_lead" in fields:
        f.project_lead = f"{person} {phone}"
    if spec.lead_line:
        f.project_lead = person
        f.extras["财务负责人"] = PEOPLE[(golden.form_index + 3) % len(PEOPLE)]
    if "extras:部门联系人" in fields:
        f.extras.update({"部门联系人": person, "联系电话": phone})
    if "extras:自评总分" in fields:
        f.extras["自评总分"] = f"{golden.total_score:.2f}" if golden.total_score is not None else ""
    if not spec.total_label:
        f.total_weight = None
    for label in spec.goal_paragraphs:
        f.extras[re.sub(r"^\d+\.", "", label)] = f"按年度计划组织实施{golden.project_name}，资金按进度拨付，过程资料齐全。"
    if spec.report_no:
        f.report_no = spec.report_no
    if "评价结论" in spec.tail:
        f.conclusion = f"自评得分{golden.total_score:g}分，年度绩效目标基本完成。"
        f.problems = "个别指标设置不够细化，量化程度不高。"
        f.improvements = "进一步细化量化绩效指标，加强预算执行进度管理。"
    f.funding = [_funding(golden, spec, row.label, row.line, row.source) for row in spec.funding_rows]
    f.indicators = indicators(golden.indicators, spec, producer)
    return f


def _funding(golden: Form, spec: FamilySpec, label: str, line: str, source: str | None) -> FundingLine:
    printed = {fld for _, fld in spec.funding_cols}
    src = golden.funding_line(source) if source else None
    out = FundingLine(line=line, label=label)
    for fld in FUNDING_FIELDS:
        if fld not in printed:
            continue
        if src is not None:
            setattr(out, fld, getattr(src, fld))
        elif fld in ("initial_budget", "full_year_budget", "executed"):
            setattr(out, fld, 0.0)
    return out


def indicators(inds: list[Indicator], spec: FamilySpec, producer: str) -> list[Indicator]:
    fields = {c.field for c in spec.ind_cols}
    out = []
    points = level1_points(inds) if spec.level1_points else {}
    for k, ind in enumerate(inds):
        new = replace(ind, level1_points=points.get(k))
        for fld in ("level1", "level2", "deviation"):
            if fld not in fields:
                setattr(new, fld, "")
        if "nature" in fields:
            new.nature, new.target, new.measure_unit, new.actual = split_target(ind.target, ind.actual, k, producer)
        out.append(new)
    return out


def level1_points(inds: list[Indicator]) -> dict[int, float]:
    """Row index -> the points of its 一级指标 run (the sum of its rows' 分值)."""
    out: dict[int, float] = {}
    start = 0
    for k in range(1, len(inds) + 1):
        if k == len(inds) or inds[k].level1 != inds[start].level1:
            total = round(sum(i.weight or 0 for i in inds[start:k]), 2)
            out.update({j: total for j in range(start, k)})
            start = k
    return out


def split_target(target: str, actual: str, k: int, producer: str) -> tuple[str, str, str, str]:
    """(指标性质, 指标值, 度量单位, 实际完成值) for a printed `≥95.00(%)` / `98.00(%)`:
    a qualitative target is 定性 with its text as the value; an actual in the target's
    unit is printed as a bare number."""
    q = parse_quantity(target)
    if q.value is None:
        return "定性", target, "", actual
    if q.op == "=":
        nature = "﹦" if producer == "office" and k % 2 else ("＝" if k % 2 else "=")
    else:
        nature = _OP_SIGNS.get(q.op or "", "")
    value = _NUMBER.search(target.split(")")[0] if "(" in target else target)
    assert value is not None
    a = parse_quantity(actual)
    bare = _NUMBER.search(actual)
    if a.value is not None and a.op is None and a.unit == q.unit and bare is not None:
        actual = bare.group()
    return nature, value.group(), q.unit or "", actual
