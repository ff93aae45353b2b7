"""未达标指标: every indicator that lost points or missed its target, with target, actual,
score/weight and 偏差原因; filters by category and text; counts by category; and the
findings about single indicators (e.g. full marks despite a missed target)."""

from __future__ import annotations

import streamlit as st

from dashboard import charts
from dashboard.data import indicators, reports
from dashboard.views import common

common.header("未达标指标", "扣了分或未达到年度指标值的三级指标，以及填报的偏差原因分析。")
f = common.filters()
common.stop_if_empty(int(common.q(reports.kpis, f).iloc[0]["projects"]))

cats = common.q(indicators.category_options, f)
c1, c2, c3 = st.columns([1, 1, 2])
level1 = c1.multiselect("一级指标", sorted(cats["level1"].dropna().unique()), key="ind_level1", placeholder="全部")
level2_options = cats[cats["level1"].isin(level1)] if level1 else cats
level2 = c2.multiselect("二级指标", sorted(level2_options["level2"].dropna().unique()), key="ind_level2",
                        placeholder="全部")
text = c3.text_input("搜索指标名称、偏差原因或项目名称", key="ind_q", placeholder="例如：满意度")
args = (tuple(level1), tuple(level2), text)

counts = common.q(indicators.problem_counts, f, *args)
if counts.empty:
    st.info("没有符合条件的未达标或扣分指标。")
else:
    c = st.columns(3)
    c[0].metric("未达标/扣分指标", f"{int(counts['n'].sum()):,}")
    c[1].metric("其中未达指标值", f"{int(counts['missed'].sum()):,}")
    c[2].metric("扣分合计", common.fmt_num(counts["lost"].sum()))
    common.chart(charts.category_counts, counts, key="cat_counts")

st.subheader("指标明细")
st.caption("按扣分从多到少排列。「是否达标」由年度指标值与实际完成值比较得出；无法比较的文字指标为「无法判断」。")
common.table(indicators.problem_slice(f, *args), key="problem_table", what="未达标指标",
             config={"project_name": st.column_config.TextColumn("项目名称", width=140),
                     "name": st.column_config.TextColumn("三级指标", width=170),
                     "target": st.column_config.TextColumn("年度指标值", width=90),
                     "actual": st.column_config.TextColumn("实际完成值", width=100),
                     "weight": st.column_config.NumberColumn("分值", width=50),
                     "score": st.column_config.NumberColumn("得分", width=50),
                     "lost": st.column_config.NumberColumn("扣分", format="%.2f", width=55),
                     "met": st.column_config.TextColumn("是否达标", width=70),
                     "deviation": st.column_config.TextColumn("偏差原因分析及改进措施", width="large")},
             empty="没有符合条件的未达标或扣分指标。")

st.subheader("需要留意的评分")
st.caption("例如未达到年度指标值却得了满分、扣了分却没有填写偏差原因、得分高于分值。")
common.table(indicators.indicator_findings_slice(f, text), key="indicator_findings", what="指标评分问题",
             hide=("report_id", "code", "row_no"), empty="所选范围内没有这类问题。")
