"""预算执行: budget vs executed per department and project, the 执行率 distribution,
projects below a threshold, and budgets adjusted during the year."""

from __future__ import annotations

import streamlit as st

from dashboard import charts
from dashboard.data import db, reports
from dashboard.views import common

CHART_DEPARTMENTS = 30  # departments drawn; the table lists all
CHART_PROJECTS = 25

common.header("预算执行", "执行率 = 全年执行数 ÷ 全年预算数（年度资金总额一行）。")
f = common.filters()
k = common.q(reports.kpis, f).iloc[0]
common.stop_if_empty(int(k["projects"]))

c = st.columns(3)
c[0].metric("全年预算数（万元）", common.fmt_num(k["budget"]))
c[1].metric("全年执行数（万元）", common.fmt_num(k["executed"]))
c[2].metric("总体执行率", common.fmt_num(k["rate"], suffix="%"))

st.subheader("各主管部门：预算与执行")
depts = common.q(db.fetch, reports.summary_slice(f, "department"), CHART_DEPARTMENTS, 0)
n_depts = common.q(reports.count_departments, f)
if n_depts > CHART_DEPARTMENTS:
    st.caption(f"图中为执行率最低的 {CHART_DEPARTMENTS} 个部门（共 {n_depts} 个），表格列出全部。")
st.caption("点击部门的条形或勾选表格中的行，即只看该部门。")
common.chart(charts.department_budget, depts, key="dept_budget_chart", pick="departments")
common.table(reports.summary_slice(f, "department"), key="dept_budget_table", what="各主管部门预算执行", link=False,
             pick="department",
             config={"rate": common.rate_column()}, hide=("mean_score", "min_score", "problem_indicators", "findings"))

st.subheader("项目执行率")
threshold = st.slider("执行率低于（%）", min_value=0, max_value=100, value=90, step=1, key="rate_threshold",
                      help="列出执行率低于该值的项目，从低到高")
left, right = st.columns(2)
with left:
    common.chart(charts.rate_histogram, common.q(reports.rate_bins, f), threshold, key="rate_hist")
low = reports.projects_slice(f, below_rate=float(threshold))
low_top = common.q(db.fetch, low, CHART_PROJECTS, 0)
with right:
    if low_top.empty:
        st.success(f"没有执行率低于 {threshold}% 的项目。")
    else:
        common.chart(charts.project_bars, low_top, "rate", f"执行率最低的项目（低于 {threshold}%，点击查看详情）",
                     ref=float(threshold), key="low_rate_chart", clickable=True)
st.markdown(f"**执行率低于 {threshold}% 的项目**（从低到高）")
common.table(low, key="low_rate_table", what=f"执行率低于{threshold}%的项目", config={"rate": common.rate_column()},
             empty=f"没有执行率低于 {threshold}% 的项目。")

with st.expander("全部项目的预算执行", expanded=False):
    common.table(reports.projects_slice(f), key="all_projects_table", what="项目预算执行",
                 config={"rate": common.rate_column()})

st.subheader("年中预算调整（年初预算数 ≠ 全年预算数）")
adjusted = reports.adjusted_slice(f)
adj_top = common.q(db.fetch, adjusted, CHART_PROJECTS, 0)
if adj_top.empty:
    st.info("所选范围内没有年中调整预算的项目。")
else:
    common.chart(charts.budget_adjustments, adj_top, key="adjust_chart", clickable=True)
    common.table(adjusted, key="adjust_table", what="年中预算调整",
                 config={"rate": common.rate_column(),
                         "adjustment_pct": st.column_config.NumberColumn("调整幅度（%）", format="%.2f%%",
                                                                         help="相对年初预算数；年初为0时为空")})
