"""Chinese labels for everything the dashboard shows: columns, finding codes, grades.

One place, so a table on screen, its CSV and the download page all say the same thing.
"""

from __future__ import annotations

import math

from etl.model import GRADES

# Grade bands as in etl.checks.expected_grade: (grade, lower bound inclusive, upper bound exclusive).
GRADE_BANDS: tuple[tuple[str, float, float], ...] = (("差", 0, 60), ("中", 60, 80), ("良", 80, 90), ("优", 90, 100.01))
GRADE_COLORS = {"优": "#2e7d32", "良": "#1565c0", "中": "#ef6c00", "差": "#c62828"}
ALL_GRADES = GRADES

COLUMNS: dict[str, str] = {
    "report_id": "报告ID", "file_id": "文件ID", "form_index": "表序号", "page_start": "起始页", "page_end": "结束页",
    "year": "年度", "project_name": "项目名称", "department": "主管部门", "implementing_unit": "实施单位",
    "goal_expected": "年度总体目标（预期）", "goal_actual": "年度总体目标（实际完成）",
    "total_weight": "总分值", "total_score": "总分", "grade": "评分等级", "status": "解析状态",
    "line": "资金来源", "initial_budget": "年初预算数（万元）", "full_year_budget": "全年预算数（万元）",
    "budget": "全年预算数（万元）", "executed": "全年执行数（万元）", "execution_rate": "执行率（%，表内所印）",
    "rate": "执行率（%）", "adjustment": "调整额（万元）", "adjustment_pct": "调整幅度（%）",
    "weight": "分值", "score": "得分", "lost": "扣分", "page": "页码",
    "row_no": "指标行号", "level1": "一级指标", "level2": "二级指标", "name": "三级指标",
    "target": "年度指标值", "actual": "实际完成值", "deviation": "偏差原因分析及改进措施", "met": "是否达标",
    "target_op": "指标值比较符", "target_value": "指标值数值", "target_unit": "指标值单位",
    "actual_value": "实际值数值", "actual_unit": "实际值单位",
    "code": "问题代码", "code_label": "问题类型", "severity": "严重程度", "message": "问题说明",
    "path": "源文件", "kind": "文件类型", "pages": "页数", "error": "错误原因", "warnings": "读取警告",
    "n_reports": "表格数", "ingested_at": "入库时间", "sha256": "SHA-256",
    "projects": "项目数", "mean_score": "平均分", "min_score": "最低分", "max_score": "最高分",
    "problem_indicators": "未达标/扣分指标数", "lost_indicators": "扣分指标数", "findings": "问题数", "indicators": "指标数",
    "lost_share": "失分率（%）", "n": "数量", "copies": "其他来源份数",
}

SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}

# Finding codes from etl.checks (plus the store's duplicate check), in Chinese.
FINDING_CODES: dict[str, str] = {
    "parse_gap": "解析缺项",
    "weight_total_mismatch": "分值合计与总分值不符",
    "score_total_mismatch": "得分合计与总分不符",
    "score_exceeds_weight": "得分高于分值",
    "execution_rate_truncated": "执行率被截断（非四舍五入）",
    "execution_rate_mismatch": "执行率与执行数/预算数不符",
    "funding_score_mismatch": "预算执行得分与执行率不符",
    "grade_mismatch": "评分等级与总分不符",
    "missed_target_full_score": "未达指标值仍得满分",
    "lost_points_no_reason": "扣分但未填偏差原因",
    "budget_adjusted": "年中调整预算",
    "funding_parts_mismatch": "资金来源合计与总额不符",
    "duplicate_mismatch": "重复来源内容不一致",
}

# Findings about one indicator row: listed on the 未达标指标 page next to the indicators.
INDICATOR_FINDING_CODES: tuple[str, ...] = ("missed_target_full_score", "lost_points_no_reason", "score_exceeds_weight")

FILE_STATUS = {"ok": "正常", "partial": "部分解析", "error": "失败", "skipped": "已跳过"}


def code_label(code: str) -> str:
    return FINDING_CODES.get(code, code)


def column_label(column: str) -> str:
    return COLUMNS.get(column, column)


def fmt_num(x: object, digits: int = 2, suffix: str = "") -> str:
    """Thousands separators; no decimals from a million up, so headline figures fit their box."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if not isinstance(x, (int, float)) and str(x) == "<NA>":  # pd.NA (str() only for the rare non-number)
        return "—"
    return f"{x:,.{0 if abs(float(x)) >= 1e6 else digits}f}{suffix}"
