"""The records that flow through the pipeline.

readers  : file      -> Document (rows of Cells, each with page and position)
parse    : Document  -> list[Form]
targets  : Indicator -> parsed target/actual and a met verdict
checks   : Form      -> list[Finding]
store    : forms + findings -> DuckDB

Everything here is plain data: no I/O, no behaviour beyond small helpers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FileKind = Literal["pdf", "txt", "xlsx", "xls", "html", "docx", "image"]
Severity = Literal["error", "warning", "info"]

# Canonical funding lines; a family prints a set of them (etl.parse.vocab.FUNDING_LINE_SETS),
# the total always as 年度资金总额 whatever its printed label (总额, 年度资金总额).
FUNDING_LINES: tuple[str, ...] = ("年度资金总额", "当年财政拨款", "上年结转资金", "财政资金", "财政专户管理资金", "单位资金",
                                  "其他资金", "基本支出", "项目支出")
# What a form evaluates: one project's spending, or a whole department's (部门整体支出).
FORM_KINDS: tuple[str, ...] = ("项目支出", "部门整体支出")
GRADES: tuple[str, ...] = ("优", "良", "中", "差")


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell (or one free text line outside a table) as read from the source.

    `row` numbers rows in document order across pages; `col` is the physical column
    index inside that row (empty cells of merged spans are kept, with text "").
    `bbox` is (x0, top, x1, bottom) in PDF points (page pixels for images), None for
    sources without geometry. A merged cell is given once, at its top-left position,
    with `rowspan`/`colspan` > 1; the positions it covers are "" cells of span 1.
    `ref` locates the cell in a source without pages (`Sheet1!C12`, `表2 行5 列3`);
    `confidence` (0-1) is set only for text read by OCR.
    """

    text: str
    page: int
    row: int
    col: int
    bbox: tuple[float, float, float, float] | None = None
    rowspan: int = 1
    colspan: int = 1
    ref: str | None = None
    confidence: float | None = None


@dataclass(slots=True)
class Document:
    """A file turned into reading-ordered rows of cells: the readers' common output.

    The contract every reader keeps, so that one parser serves them all:
    - rows come in reading order across pages; text outside tables (the title, the
      `（2024年度）` line) becomes rows too, one cell per line;
    - a table row has one cell per grid column, in column order; positions covered by a
      merged cell or left blank have text "" (the parser fills merged spans down/right);
    - text wrapped inside a cell keeps its line breaks ("一级\n指标"); the parser joins;
    - a row split by a page break arrives as two rows, one per page; the parser merges;
    - text is passed through `etl.normalize.clean` (look-alike radicals folded).
    """

    path: str
    kind: FileKind
    pages: int
    rows: list[list[Cell]] = field(default_factory=list)
    # Problems found while reading (e.g. glyphs without a Unicode mapping), in Chinese.
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class FundingLine:
    line: str  # canonical name, one of FUNDING_LINES (`其中：本年财政拨款` -> 当年财政拨款)
    initial_budget: float | None = None  # 年初预算数
    full_year_budget: float | None = None  # 全年预算数
    executed: float | None = None  # 全年执行数
    weight: float | None = None  # 分数
    execution_rate: float | None = None  # 执行率(%)
    score: float | None = None  # 得分
    page: int | None = None
    label: str = ""  # the row label as printed (`其中：财政资金`), beside the canonical `line`
    ref: str | None = None  # source cell of the label where the source has no pages


@dataclass(slots=True)
class Indicator:
    row_no: int  # 1-based, printed order, repeated rows kept
    level1: str
    level2: str
    name: str
    target: str  # cell text exactly as printed, wrapped lines joined
    actual: str
    weight: float | None
    score: float | None
    deviation: str = ""
    page: int | None = None
    # (top, bottom) of the row on `page`, PDF points; lets the dashboard mark the row.
    span: tuple[float, float] | None = None
    level1_points: float | None = None  # `产出指标（50分）` -> 50; the name stays 产出指标
    nature: str = ""  # 指标性质 where printed in its own column (`≥`, `＝`, `定性`)
    measure_unit: str = ""  # 度量单位 where printed in its own column
    ref: str | None = None  # source cell of the row's name where the source has no pages


@dataclass(slots=True)
class Form:
    """One 绩效自评表 as printed. Values are never corrected here."""

    form_index: int  # 1-based position in its file
    page_start: int
    page_end: int
    year: int | None = None
    project_name: str = ""
    department: str = ""  # 主管部门
    implementing_unit: str = ""  # 实施单位
    funding: list[FundingLine] = field(default_factory=list)
    goal_expected: str = ""
    goal_actual: str = ""
    indicators: list[Indicator] = field(default_factory=list)
    total_weight: float | None = None
    total_score: float | None = None
    grade: str = ""  # "" where the family prints no 评分等级 (stored NULL)
    form_kind: str = "项目支出"  # one of FORM_KINDS
    # Codes printed before names (`219-上海市欧美同学会`); the names above are stored without them.
    project_code: str = ""
    department_code: str = ""
    unit_code: str = ""
    report_no: str = ""  # 报表编号
    conclusion: str = ""  # 评价结论
    problems: str = ""  # 存在问题
    improvements: str = ""  # 改进措施
    project_lead: str = ""  # 项目负责人 (and phone, as printed)
    # Other labelled texts of a family (财务负责人, 实施内容及过程概述, ...): printed label -> text.
    extras: dict[str, str] = field(default_factory=dict)
    cells: list[Cell] = field(default_factory=list)  # the form's original cells
    # What the parser could not find; each becomes a finding and marks the form partial.
    gaps: list[str] = field(default_factory=list)

    def funding_line(self, line: str) -> FundingLine | None:
        return next((f for f in self.funding if f.line == line), None)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A parsed target or actual value: `≥95.00(%)` -> ('≥', 95.0, '%')."""

    op: str | None
    value: float | None
    unit: str | None


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    message: str  # Chinese, for the dashboard
    row_no: int | None = None  # indicator row, None for the whole form


@dataclass(frozen=True, slots=True)
class Judgement:
    """An indicator's parsed target and actual value and whether the target was met."""

    target: Quantity
    actual: Quantity
    met: bool | None  # None: cannot be judged from the printed text


@dataclass(slots=True)
class CheckedForm:
    """A form with its indicator judgements (aligned with form.indicators) and findings."""

    form: Form
    judgements: list[Judgement]
    findings: list[Finding]

    @property
    def status(self) -> str:
        return "partial" if self.form.gaps else "ok"


@dataclass(slots=True)
class ParsedFile:
    """What a worker returns for one input file."""

    path: str
    sha256: str
    kind: FileKind
    pages: int = 0
    forms: list[CheckedForm] = field(default_factory=list)
    error: str | None = None  # Chinese reason when the file could not be read at all
    warnings: list[str] = field(default_factory=list)
