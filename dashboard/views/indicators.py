"""未达标指标: every indicator that lost points or missed its target, with target, actual,
score/weight and 偏差原因 in full; the reasons grouped into recurring themes (each theme
opens its rows, `?theme=…` in the URL); filters by category and text; counts by category;
and the findings about single indicators (e.g. full marks despite a missed target)."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from dashboard import charts
from dashboard import filters as flt
from dashboard.data import indicators, reports, themes
from dashboard.views import common, tables_html

THEME_KEY = "theme"
SHOWN_THEMES = 20

common.header("未达标指标", "扣了分或未达到年度指标值的三级指标，以及填报的偏差原因分析。")
f = common.filters()
common.stop_if_empty(int(common.q(reports.kpis, f).iloc[0]["projects"]))

st.subheader("偏差原因主题")
st.caption("把各项目填写的偏差原因按反复出现的说法归类（先按关键词规则，其余按原因的第一个实词，"
           "「依据」列出决定归类的词）；点击主题只看该主题的指标。")
by_theme = common.q(themes.reason_themes, f)
labels = list(by_theme["theme"])
if "ind_theme" not in st.session_state:  # first run: the theme from the link, if it exists
    wanted = st.query_params.get(THEME_KEY, "")
    st.session_state["ind_theme"] = wanted if wanted in labels else None
    if wanted and wanted not in labels:
        st.warning(common.plain(f"链接中的偏差原因主题 {wanted[:24]} 不存在，已显示全部主题"))
# The most frequent themes are listed; a chosen one always is (a word theme may be rare).
chosen = st.session_state.get("ind_theme")
shown = by_theme[(by_theme.index < SHOWN_THEMES) | (by_theme["theme"] == chosen)].copy()
if by_theme.empty:
    st.info("所选范围内没有偏差原因。")
else:
    base = flt.to_params(f)
    shown["link"] = shown["theme"]
    st.html(tables_html.html_table(
        shown, ["link", "n", "projects", "departments", "basis", "example"],
        labels={"link": "主题", "n": "指标数", "projects": "项目数", "departments": "部门数", "basis": "依据",
                "example": "例句"},
        link="link", href=lambda r: "indicators?" + urlencode(
            [(k, v) for k, vs in base.items() for v in vs] + [(THEME_KEY, r["theme"])])))
    rest = by_theme[~by_theme["theme"].isin(shown["theme"])]
    if not rest.empty:
        st.caption(f"另有 {len(rest):,} 个较少见的主题，共 {int(rest['n'].sum()):,} 条指标（见下方指标明细的「偏差原因主题」列）。")
theme = st.pills("只看主题", list(shown["theme"]), key="ind_theme", selection_mode="single") or ""
if theme:
    st.query_params[THEME_KEY] = theme
elif THEME_KEY in st.query_params:
    del st.query_params[THEME_KEY]

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

st.subheader("指标明细" + (f"：{common.plain(theme)}" if theme else ""))
st.caption("按扣分从多到少排列，偏差原因完整显示。「是否达标」由年度指标值与实际完成值比较得出；无法比较的文字指标为「无法判断」。")
common.table(indicators.problem_slice(f, *args, theme=theme), key="problem_table", what="未达标指标",
             hide=("report_id", "row_no"), wrap=True, page_rows=50,
             file_extra=[theme] if theme else (), empty="没有符合条件的未达标或扣分指标。")

st.subheader("需要留意的评分")
st.caption("例如未达到年度指标值却得了满分、扣了分却没有填写偏差原因、得分高于分值。")
common.table(indicators.indicator_findings_slice(f, text), key="indicator_findings", what="指标评分问题",
             hide=("report_id", "code", "row_no"), wrap=True, empty="所选范围内没有这类问题。")
