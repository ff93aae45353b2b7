"""The template families as data: each family's printed labels, column order and extra fields.

A `FamilySpec` says what a family prints and in which order; `tests.synth.families.truth`
turns a golden record into the form such a sheet holds, and `tests.synth.families.grid`
lays it out. A new family is a new `FamilySpec`, not new code.
"""

from __future__ import annotations

from dataclasses import dataclass

# Head fields: Form attribute, or `extras:<label>` for a text kept under its printed label.
HeadPair = tuple[str, str]  # (printed label, field)


@dataclass(frozen=True, slots=True)
class Column:
    """An indicator column: its printed header, the Indicator field it holds ("" for a
    column printed but not stored, `coef`/`core`/`adjusted` filled by the generator),
    and the top header row's text over it (two-row headers)."""

    header: str
    field: str
    top: str = ""


@dataclass(frozen=True, slots=True)
class FundingRow:
    label: str  # as printed
    line: str  # canonical FundingLine.line
    source: str | None  # golden line whose figures it prints; None: zeros


@dataclass(frozen=True, slots=True)
class FamilySpec:
    key: str
    name: str  # Chinese, for reports
    title: str
    widths_mm: tuple[float, ...]  # the sheet's one column grid
    head: tuple[tuple[HeadPair, ...], ...]
    funding_block: str
    funding_cols: tuple[tuple[str, str], ...]  # (header, FundingLine field or "")
    funding_rows: tuple[FundingRow, ...]
    goal_block: str
    goal_headers: tuple[str, str]
    ind_cols: tuple[Column, ...]
    form_kind: str = "项目支出"
    landscape: bool = False
    codes: tuple[str, ...] = ()  # which of project/department/unit print a code before the name
    report_no: str = ""
    funding_label_header: str = ""  # header over the line labels
    goal_intro: str = ""  # a row above the goal header (`1.项目年度目标完成情况`)
    goal_paragraphs: tuple[str, ...] = ()  # labelled paragraphs after the goals (kept in extras)
    goals_first: bool = False  # goals printed before the funding block
    ind_block: str = ""  # label of a column left of the indicator table
    level1_points: bool = False  # `产出指标（50分）`
    placeholders: bool = False  # `指标N：` / `……` rows without values
    total_label: str = "总分"  # "" : no total row (the total is the head's 自评总分)
    grade: bool = False
    tail: tuple[str, ...] = ()  # labelled rows after the total: 评价结论 ...
    footnote: str = ""
    lead_line: bool = False  # `项目负责人：… 财务负责人：…` line under the table


STANDARD_COLS = (Column("一级指标", "level1"), Column("二级指标", "level2"), Column("三级指标", "name"),
                 Column("年度指标值", "target"), Column("实际完成值", "actual"), Column("分值", "weight"),
                 Column("得分", "score"), Column("偏差原因分析及改进措施", "deviation"))
SHANGHAI_ROWS = (FundingRow("年度资金总额", "年度资金总额", "年度资金总额"),
                 FundingRow("其中：当年财政拨款", "当年财政拨款", "当年财政拨款"),
                 FundingRow("上年结转资金", "上年结转资金", "上年结转资金"),
                 FundingRow("其他资金", "其他资金", "其他资金"))
STANDARD_FUNDING = (("年初预算数", "initial_budget"), ("全年预算数", "full_year_budget"), ("全年执行数", "executed"),
                    ("分值", "weight"), ("执行率", "execution_rate"), ("得分", "score"))
NAME_AND_UNITS = ((("项目名称", "project_name"),), (("主管部门", "department"), ("实施单位", "implementing_unit")))
DEPT_HEAD = ((("单位（盖章）", "implementing_unit"), ("自评总分", "extras:自评总分")),
             (("部门联系人", "extras:部门联系人"), ("联系电话", "extras:联系电话")))
DEPT_ROWS = (FundingRow("年度资金总额", "年度资金总额", "年度资金总额"),
             FundingRow("其中：基本支出", "基本支出", "当年财政拨款"),
             FundingRow("项目支出", "项目支出", "其他资金"))

CAIZHENG = FamilySpec(
    key="caizheng", name="财政部式县级表（池州）", title="项目支出绩效自评表",
    widths_mm=(16, 18, 34, 22, 22, 16, 16, 36), head=NAME_AND_UNITS, codes=("department", "unit"),
    funding_block="项目资金（万元）",
    funding_cols=(("年初预算数", "initial_budget"), ("全年预算数（A）", "full_year_budget"),
                  ("全年执行数（B）", "executed"), ("分值", "weight"), ("执行率（B/A）", "execution_rate"),
                  ("得分", "score")),
    funding_rows=(SHANGHAI_ROWS[0], FundingRow("其中：本年财政拨款", "当年财政拨款", "当年财政拨款"), *SHANGHAI_ROWS[2:]),
    goal_block="年度总体目标", goal_headers=("预期目标", "实际完成情况"), ind_cols=STANDARD_COLS,
    level1_points=True, placeholders=True,
    footnote="注：1.实际完成值与年度指标值有偏差的，须说明原因；2.定量指标按完成比例计分。",
)

_SPLIT = (Column("指标性质", "nature", "年度指标值"), Column("指标值", "target", "年度指标值"),
          Column("度量单位", "measure_unit", "年度指标值"))
YUNNAN = FamilySpec(
    key="yunnan", name="云南式双行表头", title="项目支出绩效自评表", landscape=True,
    widths_mm=(16, 18, 40, 16, 22, 18, 26, 18, 18, 45), head=NAME_AND_UNITS,
    funding_block="项目资金（万元）", funding_cols=STANDARD_FUNDING, funding_rows=SHANGHAI_ROWS,
    goal_block="年度总体目标", goal_headers=("预期目标", "实际完成情况"),
    ind_cols=(Column("一级指标", "level1", "绩效指标"), Column("二级指标", "level2", "绩效指标"),
              Column("三级指标", "name", "绩效指标"), *_SPLIT, Column("实际完成值", "actual"),
              Column("分值", "weight"), Column("得分", "score"), Column("偏差原因分析及改进措施", "deviation")),
    grade=True,
)

SICHUAN = FamilySpec(
    key="sichuan", name="四川部门预算项目支出绩效自评表", title="部门预算项目支出绩效自评表", landscape=True,
    widths_mm=(18, 16, 18, 40, 16, 20, 16, 24, 18, 18, 40), report_no="510000_0013zp",
    head=((("项目名称", "project_name"),), (("主管部门", "department"), ("实施单位（盖章）", "implementing_unit"))),
    codes=("project", "department", "unit"),
    goals_first=True, goal_block="项目基本情况", goal_intro="1.项目年度目标完成情况",
    goal_headers=("项目年度目标", "年度目标完成情况"), goal_paragraphs=("2.项目实施内容及过程概述",),
    funding_block="预算执行情况（10分）", funding_label_header="年度预算数（万元）",
    funding_cols=(("年初预算", "initial_budget"), ("调整后预算数", "full_year_budget"), ("预算执行数", "executed"),
                  ("预算执行率", "execution_rate"), ("权重", "weight"), ("得分", "score"), ("原因", "")),
    funding_rows=(FundingRow("总额", "年度资金总额", "年度资金总额"), FundingRow("其中：财政资金", "财政资金", "当年财政拨款"),
                  FundingRow("财政专户管理资金", "财政专户管理资金", None),
                  FundingRow("单位资金", "单位资金", "上年结转资金"), FundingRow("其他资金", "其他资金", "其他资金")),
    ind_block="绩效指标（90分）",
    ind_cols=(Column("一级指标", "level1"), Column("二级指标", "level2"), Column("三级指标", "name"),
              Column("指标性质", "nature"), Column("指标值", "target"), Column("度量单位", "measure_unit"),
              Column("完成值", "actual"), Column("权重", "weight"), Column("得分", "score"),
              Column("未完成原因分析", "deviation")),
    total_label="合计", tail=("评价结论", "存在问题", "改进措施"), lead_line=True,
)

ZHONGJIANG = FamilySpec(
    key="zhongjiang", name="四川县级绩效目标自评表（中江）", title="项目支出绩效目标自评表",
    widths_mm=(16, 18, 34, 16, 24, 24, 16, 32),
    head=(*NAME_AND_UNITS, (("项目负责人及电话", "project_lead"),)),
    funding_block="资金情况（万元）",
    funding_cols=(("全年预算数（A）", "full_year_budget"), ("全年执行数（B）", "executed"), ("分值", "weight"),
                  ("执行率（B/A）", "execution_rate"), ("得分", "score")),
    funding_rows=(FundingRow("年度资金总额", "年度资金总额", "年度资金总额"),
                  FundingRow("其中：财政资金", "财政资金", "当年财政拨款"), FundingRow("其他资金", "其他资金", "其他资金")),
    goal_block="年度总体目标", goal_headers=("年初设定目标", "年度总体目标完成情况综述"),
    ind_cols=(Column("一级指标", "level1"), Column("二级指标", "level2"), Column("三级指标", "name"),
              Column("分值", "weight"), Column("年度指标值", "target"), Column("全年实际值", "actual"),
              Column("得分", "score"), Column("未完成原因及拟采取的改进措施", "deviation")),
)

DEPT_GUIZHOU = FamilySpec(
    key="dept_guizhou", name="部门整体支出绩效自评表（贵州绥阳）", title="部门整体支出绩效自评表",
    form_kind="部门整体支出", widths_mm=(16, 18, 34, 22, 22, 16, 16, 36), head=DEPT_HEAD,
    funding_block="年度预算执行情况（万元）", funding_cols=STANDARD_FUNDING, funding_rows=DEPT_ROWS,
    goal_block="年度总体目标", goal_headers=("预期目标", "实际完成情况"), ind_cols=STANDARD_COLS,
)

DEPT_CHONGQING = FamilySpec(
    key="dept_chongqing", name="部门整体支出绩效自评表（重庆，平铺指标）", title="部门整体支出绩效自评表",
    form_kind="部门整体支出", landscape=True, widths_mm=(46, 16, 16, 24, 24, 24, 18, 18, 18, 20), head=DEPT_HEAD,
    funding_block="年度预算执行情况（万元）", funding_cols=STANDARD_FUNDING, funding_rows=DEPT_ROWS,
    goal_block="年度总体目标", goal_headers=("预期目标", "实际完成情况"),
    ind_cols=(Column("指标名称", "name"), Column("计量单位", "measure_unit"), Column("指标性质", "nature"),
              Column("年初指标值", "target"), Column("调整指标值", "adjusted"), Column("全年完成值", "actual"),
              Column("得分系数", "coef"), Column("指标权重", "weight"), Column("指标得分", "score"),
              Column("是否核心指标", "core")),
    total_label="",
)

FAMILIES: dict[str, FamilySpec] = {s.key: s for s in (CAIZHENG, YUNNAN, SICHUAN, ZHONGJIANG, DEPT_GUIZHOU,
                                                       DEPT_CHONGQING)}
# The five families; the fifth has two layouts.
FAMILY_GROUPS: dict[str, tuple[str, ...]] = {
    "1 财政部式县级表": ("caizheng",), "2 云南双行表头": ("yunnan",), "3 四川部门预算表": ("sichuan",),
    "4 中江绩效目标自评表": ("zhongjiang",), "5 部门整体支出": ("dept_guizhou", "dept_chongqing"),
}
PRODUCERS: tuple[str, ...] = ("reportlab", "office")
