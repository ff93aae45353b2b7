"""总览: headline figures, the per-department table and, for several years, a comparison."""

from __future__ import annotations

import streamlit as st

from dashboard import charts
from dashboard.data import db, reports
from dashboard.labels import ALL_GRADES
from dashboard.views import common

common.header("总览", "全部所选项目的预算执行、得分和问题概况。点击表格中的行或图中的项目可查看详情。")
f = common.filters()
k = common.q(reports.kpis, f).iloc[0]
common.stop_if_empty(int(k["projects"]))

c = st.columns(5)
c[0].metric("项目数", f"{int(k['projects']):,}")
c[1].metric("全年预算数（万元）", common.fmt_num(k["budget"]))
c[2].metric("全年执行数（万元）", common.fmt_num(k["executed"]))
c[3].metric("总体执行率", common.fmt_num(k["rate"], suffix="%"), help="全年执行数合计 ÷ 全年预算数合计")
c[4].metric("平均总分", common.fmt_num(k["mean_score"]))

grades = common.q(reports.grade_counts, f)
counts = dict(zip(grades["grade"], grades["n"], strict=True))
c = st.columns(6)
for col, g in zip(c, ALL_GRADES, strict=False):
    col.metric(f"评分「{g}」", f"{int(counts.get(g, 0)):,}")
c[4].metric("未达标/扣分指标", f"{int(k['problem_indicators']):,}", help="扣了分或未达到年度指标值的三级指标")
c[5].metric("发现的问题", f"{int(k['findings']):,}", help="表内数据不一致等，详见「数据质量」页")

st.subheader("各主管部门")
st.caption("按执行率从低到高排列；点击列名可重新排序。")
common.table(reports.summary_slice(f, "department"), key="dept_table", what="各主管部门汇总", link=False,
             config={"rate": common.rate_column(),
                     "mean_score": st.column_config.NumberColumn("平均分", format="%.2f"),
                     "min_score": st.column_config.NumberColumn("最低分", format="%.2f")})

years = common.q(reports.years_present, f)
if len(years) > 1:
    st.subheader("年度对比")
    by_year = common.q(db.fetch, reports.summary_slice(f, "year")).sort_values("year")
    left, right = st.columns(2)
    with left:
        common.chart(charts.year_comparison, by_year, key="year_chart")
    with right:
        by_dept = common.q(db.fetch, reports.summary_slice(f, "year_department"), 2000, 0)
        common.chart(charts.year_department_rates, by_dept, key="year_dept_chart")
    common.table(reports.summary_slice(f, "year"), key="year_table", what="各年度汇总", link=False,
                 config={"rate": common.rate_column()})
