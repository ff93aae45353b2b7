"""Building Documents by hand, the way a reader would produce them."""

from __future__ import annotations

from etl.model import Cell, Document

GridRow = tuple[int, list[str]]  # (page, cell texts)

HEADER = ["一级\n指标", "二级\n指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]


def document(rows: list[GridRow], *, kind: str = "pdf", boxes: bool = True) -> Document:
    """Cells get PDF-like boxes: rows stacked 20pt apart per page, columns 60pt wide."""
    out: list[list[Cell]] = []
    tops: dict[int, float] = {}
    for r, (page, texts) in enumerate(rows):
        top = tops.get(page, 60.0)
        tops[page] = top + 20.0
        out.append([Cell(text=t, page=page, row=r, col=c,
                         bbox=(40.0 + 60 * c, top, 100.0 + 60 * c, top + 18.0) if boxes else None)
                    for c, t in enumerate(texts)])
    pages = max((p for p, _ in rows), default=1)
    return Document(path="hand.pdf", kind=kind, pages=pages, rows=out)  # type: ignore[arg-type]


def form_head(page: int = 1, *, project: str = "信息化运维项目", year: str = "（2024年度）") -> list[GridRow]:
    """Title, year, labels, funding block and goals of a form, as grid rows."""
    return [
        (page, ["财政项目支出绩效自评表"]),
        (page, [year]),
        (page, ["项目名称", "", project, "", "", "", "", ""]),
        (page, ["主管部门", "", "上海市欧美同学会", "", "实施单位", "上海市欧美同学会", "", ""]),
        (page, ["项目资金\n（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分数", "执行率(%)", "得分"]),
        (page, ["", "年度资金总额：", "11.21", "11.21", "11.20", "10.00", "99.91", "9.99"]),
        (page, ["", "其中：当年财政\n拨款", "11.21", "11.21", "11.20", "-", "99.91", "-"]),
        (page, ["", "上年结转资金", "0.00", "0.00", "0.00", "-", "0.00", "-"]),
        (page, ["", "其他资金", "0.00", "0.00", "0.00", "-", "0.00", "-"]),
        (page, ["年度\n总体\n目标", "预期目标", "", "", "实际完成情况", "", "", ""]),
        (page, ["", "信创系统日常运维、二级等保", "", "", "完成信创系统日常运维，启动网站\n二级等保工作。", "", "", ""]),
    ]
