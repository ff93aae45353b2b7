"""总览: headline figures, the projects that need attention, recurring 偏差原因, departments
(a row sets the department filter), changes since the year before and, for several years, a comparison."""

from __future__ import annotations

import streamlit as st

from dashboard import charts
from dashboard import filters as flt
from dashboard.data import db, leads, reports, themes
from dashboard.labels import ALL_GRADES
from dashboard.views import common, tables_html

common.header("总览", "全部所选项目的预算执行、得分和问题概况。点击项目名称查看详情，勾选部门行只看该部门。")
f = common.filters()
k = common.q(reports.kpis, f).iloc[0]
common.stop_if_empty(int(k["projects"]))

grades = common.q(reports.grade_counts, f)
counts = dict(zip(grades["grade"], grades["n"], strict=True))
figures = [
    ("项目数", f"{int(k['projects']):,}", None),
    ("全年预算数（万元）", common.fmt_num(k["budget"]), None),
    ("全年执行数（万元）", common.fmt_num(k["executed"]), None),
    ("总体执行率", common.fmt_num(k["rate"], suffix="%"), "全年执行数合计 ÷ 全年预算数合计"),
    ("平均总分", common.fmt_num(k["mean_score"]), None),
    ("评分等级 优/良/中/差", " / ".join(f"{int(counts.get(g, 0)):,}" for g in ALL_GRADES), "各等级的项目数"),
    ("未达标/扣分指标", f"{int(k['problem_indicators']):,}", "扣了分或未达到年度指标值的三级指标"),
    ("发现的问题", f"{int(k['findings']):,}", "表内数据不一致等，详见「数据质量」页"),
]
for row in (figures[:4], figures[4:]):
    for col, (label, value, help_) in zip(st.columns(4), row, strict=True):
        col.metric(label, value, help=help_)

st.subheader("需要关注的项目")
params = flt.to_params(f)
cols = st.columns(3)
for col, by in zip(cols, leads.WORST_TITLES, strict=True):
    title, value_label = leads.WORST_TITLES[by]  # by: rate (%), lost (points), missed_full (count)
    worst = common.q(leads.worst_projects, f, by).rename(columns={"value": by})  # its own number format
    with col:
        if worst.empty:
            st.caption(f"{title}：无")
            continue
        st.html(tables_html.html_table(
            worst, ["project_name", "year", by], caption=title,
            labels={"project_name": "项目", "year": "年度", by: value_label},
            link="project_name", href=lambda r: tables_html.project_href(r["report_id"], params)))

reasons = common.q(themes.reason_themes, f)
filled = reasons[reasons["theme"] != themes.EMPTY_THEME]
if not filled.empty:
    top = filled.iloc[0]
    total = int(filled["n"].sum())
    st.markdown(f"**反复出现的偏差原因**：{common.plain(top['theme'])}（{int(top['n'])} / {total} 条，"
                f"{int(top['projects'])} 个项目）。各主题见「未达标指标」页。")

st.subheader("各主管部门")
st.caption("按执行率从低到高排列；点击列名可重新排序。")
common.table(reports.summary_slice(f, "department"), key="dept_table", what="各主管部门汇总", link=False,
             pick="department",
             config={"department": st.column_config.TextColumn("主管部门", pinned=True),
                     "rate": common.rate_column(),
                     "mean_score": st.column_config.NumberColumn("平均分", format="%.2f"),
                     "min_score": st.column_config.NumberColumn("最低分", format="%.2f")})

changes = leads.changes_slice(f)
if common.q(db.count, changes):
    st.subheader("与上一年度相比")
    st.caption("同一项目（项目编码相同，无编码时主管部门、实施单位和项目名称相同）与其最近一个较早年度的比较，"
               "执行率下降最多的在前。")
    common.table(changes, key="changes_table", what="与上年相比", wrap=True)

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
