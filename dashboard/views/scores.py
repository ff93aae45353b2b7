"""得分分布: the total-score histogram with grade bands, per-department spread, and where
points are lost (by 一级/二级指标, per department)."""

from __future__ import annotations

import streamlit as st

from dashboard import charts
from dashboard.data import db, reports
from dashboard.views import common

CHART_DEPARTMENTS = 30
CHART_PROJECTS = 20

common.header("得分分布", "评分等级：优 ≥ 90 分，良 80–90 分，中 60–80 分，差 < 60 分。")
f = common.filters()
k = common.q(reports.kpis, f).iloc[0]
common.stop_if_empty(int(k["projects"]))

left, right = st.columns(2)
with left:
    common.chart(charts.score_histogram, common.q(reports.score_bins, f), key="score_hist")
with right:
    lowest = common.q(db.fetch, reports.projects_slice(f, order="score"), CHART_PROJECTS, 0)
    common.chart(charts.project_bars, lowest, "total_score", "总分最低的项目（点击查看详情）", unit="分",
                 zero_based=False, key="low_score_chart", clickable=True)

st.subheader("各主管部门")
by_dept = common.q(reports.department_scores, f, CHART_DEPARTMENTS)
n_depts = common.q(reports.count_departments, f)
if n_depts > CHART_DEPARTMENTS:
    st.caption(f"图中为总分中位数最低的 {CHART_DEPARTMENTS} 个部门（共 {n_depts} 个）。")
left, right = st.columns(2)
with left:
    common.chart(charts.department_boxes, by_dept, key="dept_box")
with right:
    common.chart(charts.grade_stack, by_dept, key="grade_stack")

st.subheader("失分在哪里")
st.caption("扣分 = 分值 − 得分；「预算执行 / 预算执行率」为资金表中的执行率得分。失分率 = 扣分合计 ÷ 分值合计。")
lost = reports.lost_by_category_slice(f)
lost_df = common.q(db.fetch, lost, 200, 0)
if lost_df["lost"].fillna(0).sum() <= 0:
    st.success("所选项目没有扣分。")
else:
    common.chart(charts.lost_by_category, lost_df, key="lost_cat")
    common.chart(charts.lost_heatmap, common.q(reports.lost_by_department, f, CHART_DEPARTMENTS), key="lost_heat")
common.table(lost, key="lost_table", what="按指标类别失分", link=False,
             config={"lost_share": st.column_config.NumberColumn("失分率（%）", format="%.2f%%")})

st.subheader("全部项目得分")
common.table(reports.projects_slice(f, order="score"), key="score_table", what="项目得分",
             config={"rate": common.rate_column()})
