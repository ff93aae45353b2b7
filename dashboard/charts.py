"""Chart builders: a DataFrame in, a Plotly figure out. No Streamlit (a static site reuses them).

Charts that show projects carry the report_id in `customdata`, so a click can open the
project; inputs are the (already aggregated, already limited) frames of dashboard.data.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard.labels import GRADE_BANDS, GRADE_COLORS

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
BUDGET_COLOR, EXECUTED_COLOR, BAD_COLOR, NEUTRAL = "#9fb8d6", "#1f5fa8", "#c62828", "#6b7b8c"
LEVEL_COLORS = ["#1f5fa8", "#ef6c00", "#2e7d32", "#8e24aa", "#00838f", "#6d4c41", "#c62828"]
BAR_PX = 26  # height per bar in horizontal bar charts
# The default template is attached when a figure is created; passing template= to every
# update_layout validates a copy of it instead (~130 ms a figure, most of a site build).
TEMPLATE = "plotly_white"
pio.templates.default = TEMPLATE


def short(text: object, n: int = 16) -> str:
    s = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    return s if len(s) <= n else s[: n - 1] + "…"


def unique_labels(labels: Sequence[str], ids: Sequence[object]) -> list[str]:
    """Category labels must be unique or Plotly merges the bars: add the id where two collide."""
    seen = pd.Series(list(labels)).duplicated(keep=False)
    return [f"{lab} #{i}" if dup else lab for lab, i, dup in zip(labels, ids, seen, strict=True)]


def _layout(fig: go.Figure, height: int, title: str = "", **kw: object) -> go.Figure:
    # Title at the very top, the legend (if any) in its own band under it, then the plot.
    named = [t for t in fig.data if t.name and t.showlegend is not False]
    legend = kw.pop("showlegend", len(named) > 1)
    top = (86 if legend else 48) if title else (40 if legend else 16)
    layout = {k: v for k, v in fig.layout.to_plotly_json().items() if k != "template"}
    _merge(layout, {
        "title": {"text": title, "x": 0, "xanchor": "left", "y": 0.995, "yref": "container", "yanchor": "top",
                  "font": {"size": 15}} if title else None,
        "height": height, "font": {"family": FONT, "size": 13},
        "margin": {"l": 10, "r": 20, "t": top, "b": 10}, "showlegend": legend,
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.01, "x": 0, "xanchor": "left"},
        "hoverlabel": {"font_family": FONT}, **kw})
    # A new figure from the merged dicts: update_layout walks every key path (~100 ms a figure,
    # most of a static-site build); the constructor takes the same layout in ~10 ms.
    return go.Figure(data=fig.data, layout={k: v for k, v in layout.items() if v is not None})


def _merge(into: dict, new: dict) -> None:
    """update_layout's merge: nested dicts key by key, anything else replaced."""
    for k, v in new.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            _merge(into[k], v)
        else:
            into[k] = v


def _hbar_height(n: int, groups: int = 1) -> int:
    """Room for the title/legend band plus one bar (or a group of bars) per row."""
    per_row = BAR_PX * (1.6 if groups > 1 else 1)
    return int(max(260, 150 + n * per_row))


def department_budget(df: pd.DataFrame) -> go.Figure:
    """全年预算数 vs 全年执行数 per department (rows in the given order), 执行率 as text."""
    y = [short(d, 18) for d in df["department"]]
    fig = go.Figure([
        go.Bar(y=y, x=df["budget"], name="全年预算数", orientation="h", marker_color=BUDGET_COLOR,
               customdata=df["department"], hovertemplate="%{customdata}<br>全年预算数 %{x:,.2f} 万元<extra></extra>"),
        go.Bar(y=y, x=df["executed"], name="全年执行数", orientation="h", marker_color=EXECUTED_COLOR,
               text=[f"{r:.1f}%" if pd.notna(r) else "" for r in df["rate"]], textposition="outside", cliponaxis=False,
               customdata=df["department"], hovertemplate="%{customdata}<br>全年执行数 %{x:,.2f} 万元<extra></extra>"),
    ])
    return _layout(fig, _hbar_height(len(df), 2), "各主管部门预算与执行（标注为执行率）", barmode="group",
                   yaxis={"autorange": "reversed"}, xaxis={"title": {"text": "万元"}})


def year_comparison(df: pd.DataFrame) -> go.Figure:
    """Per year: budget and executed bars, 执行率 line on a second axis."""
    years = [str(y) for y in df["year"]]
    fig = go.Figure([
        go.Bar(x=years, y=df["budget"], name="全年预算数（万元）", marker_color=BUDGET_COLOR),
        go.Bar(x=years, y=df["executed"], name="全年执行数（万元）", marker_color=EXECUTED_COLOR),
        go.Scatter(x=years, y=df["rate"], name="执行率（%）", yaxis="y2", mode="lines+markers",
                   line={"color": BAD_COLOR}, hovertemplate="%{x}年 执行率 %{y:.2f}%<extra></extra>"),
    ])
    top = max(105.0, float(df["rate"].max() or 0) + 5)
    return _layout(fig, 380, "各年度预算、执行与执行率", barmode="group",
                   xaxis={"type": "category", "title": "年度"}, yaxis={"title": "万元"},
                   yaxis2={"title": "执行率（%）", "overlaying": "y", "side": "right", "range": [0, top],
                           "dtick": 20, "showgrid": False})


def year_department_rates(df: pd.DataFrame, max_lines: int = 10) -> go.Figure:
    """执行率 per department across years, one line per department (the `max_lines` lowest on average)."""
    means = df.groupby("department")["rate"].mean().sort_values()
    keep = set(means.index[:max_lines])
    fig = go.Figure()
    for dept, g in df[df["department"].isin(keep)].sort_values("year").groupby("department", sort=True):
        fig.add_scatter(x=[str(y) for y in g["year"]], y=g["rate"], name=short(dept, 14), mode="lines+markers",
                        hovertemplate=f"{dept}<br>%{{x}}年 执行率 %{{y:.2f}}%<extra></extra>")
    title = "各主管部门执行率（按年度）" + (f"：平均执行率最低的 {max_lines} 个" if len(means) > max_lines else "")
    return _layout(fig, 380, title, xaxis={"type": "category", "title": "年度", "categoryorder": "category ascending"},
                   yaxis={"title": "执行率（%）"})


def rate_histogram(df: pd.DataFrame, threshold: float | None = None, width: float = 5.0) -> go.Figure:
    """Project counts per 执行率 bin (from data.reports.rate_bins); the threshold drawn as a line."""
    labels = [f"{b:.0f}%及以上" if b >= 100 else f"{b:.0f}–{b + width:.0f}%" for b in df["bin"]]
    colors = [BAD_COLOR if threshold is not None and b + width <= threshold else EXECUTED_COLOR for b in df["bin"]]
    fig = go.Figure(go.Bar(x=df["bin"] + width / 2, y=df["n"], width=width * 0.92, marker_color=colors,
                           customdata=labels, hovertemplate="执行率 %{customdata}<br>%{y} 个项目<extra></extra>"))
    if threshold is not None:
        fig.add_vline(x=threshold, line_dash="dash", line_color=BAD_COLOR,
                      annotation_text=f"阈值 {threshold:.0f}%", annotation_position="top left")
    return _layout(fig, 320, "项目执行率分布", yaxis={"title": {"text": "项目数"}}, xaxis={
        "title": {"text": "执行率（%）"}, "range": [max(0, float(df["bin"].min()) - width) if len(df) else 0, 106]})


def _project_labels(df: pd.DataFrame) -> tuple[list[str], list[str]]:
    labels = unique_labels([f"{short(p, 14)}（{y}）" for p, y in zip(df["project_name"], df["year"], strict=True)],
                           list(df["report_id"]))
    hover = [f"{p}<br>{d}<br>{y}年" for p, d, y in zip(df["project_name"], df["department"], df["year"], strict=True)]
    return labels, hover


def project_bars(df: pd.DataFrame, value: str, title: str, *, unit: str = "%", ref: float | None = None,
                 zero_based: bool = True) -> go.Figure:
    """One row per project (lowest first), clickable: customdata is the report_id.

    Bars from zero for amounts and rates; dots on a narrowed axis (`zero_based=False`) for
    scores, where 93 vs 100 would otherwise look alike.
    """
    labels, hover = _project_labels(df)
    values = df[value]
    common = {"y": labels, "x": values, "customdata": df["report_id"], "hovertext": hover, "cliponaxis": False,
              "text": [f"{v:.2f}{unit}" if pd.notna(v) else "" for v in values],
              "hovertemplate": "%{hovertext}<br>%{x:.2f}" + unit + "<br>点击打开项目详情<extra></extra>"}
    if zero_based:
        fig = go.Figure(go.Bar(orientation="h", marker_color=EXECUTED_COLOR, textposition="outside", **common))
        hi = max([float(values.max()) if values.notna().any() else 0, ref or 0, 1.0])
        fig.update_xaxes(range=[0, hi * 1.2])
    else:
        fig = go.Figure(go.Scatter(mode="markers+text", marker={"color": EXECUTED_COLOR, "size": 11},
                                   textposition="middle right", **common))
        lo, hi = (float(values.min()), float(values.max())) if values.notna().any() else (0.0, 1.0)
        pad = max(1.0, (hi - lo) * 0.1)
        fig.update_xaxes(range=[lo - pad, hi + 3 * pad], showgrid=True)
    if ref is not None:
        fig.add_vline(x=ref, line_dash="dash", line_color=BAD_COLOR)
    fig.update_yaxes(autorange="reversed", showgrid=True)
    return _layout(fig, _hbar_height(len(df)), title, clickmode="event+select")


def budget_adjustments(df: pd.DataFrame) -> go.Figure:
    """年初预算数 -> 全年预算数 per project as a dumbbell; clickable like project_bars."""
    labels, _ = _project_labels(df)
    fig = go.Figure()
    for y, a, b in zip(labels, df["initial_budget"], df["budget"], strict=True):
        fig.add_scatter(x=[a, b], y=[y, y], mode="lines", line={"color": NEUTRAL, "width": 2},
                        showlegend=False, hoverinfo="skip")
    fig.add_scatter(x=df["initial_budget"], y=labels, mode="markers", name="年初预算数", customdata=df["report_id"],
                    marker={"color": BUDGET_COLOR, "size": 11}, hovertemplate="年初 %{x:,.2f} 万元<extra></extra>")
    fig.add_scatter(x=df["budget"], y=labels, mode="markers", name="全年预算数", customdata=df["report_id"],
                    marker={"color": EXECUTED_COLOR, "size": 11}, hovertemplate="全年 %{x:,.2f} 万元<extra></extra>")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="万元")
    return _layout(fig, _hbar_height(len(df)), "年中预算调整（年初 → 全年）", clickmode="event+select")


def score_histogram(df: pd.DataFrame) -> go.Figure:
    """Projects per 1-point total-score bin, grade bands shaded and named."""
    fig = go.Figure(go.Bar(x=df["bin"] + 0.5, y=df["n"], width=0.9, marker_color=EXECUTED_COLOR,
                           customdata=df["bin"], hovertemplate="总分 %{customdata}–%{customdata}.99<br>"
                                                               "%{y} 个项目<extra></extra>"))
    lo = max(0.0, min([float(df["bin"].min())] if len(df) else [60.0]) - 5)
    bands = [(g, max(a, lo), min(b, 101)) for g, a, b in GRADE_BANDS if b > lo]
    # Shapes and labels set in one go: add_vrect per band validates the layout each time (~30 ms a band).
    return _layout(
        fig, 340, "总分分布（底色为评分等级区间）", xaxis={"title": {"text": "总分"}, "range": [lo, 101]},
        yaxis={"title": {"text": "项目数"}},
        shapes=[{"type": "rect", "xref": "x", "yref": "y domain", "x0": a, "x1": b, "y0": 0, "y1": 1,
                 "fillcolor": GRADE_COLORS[g], "opacity": 0.08, "line": {"width": 0}} for g, a, b in bands],
        annotations=[{"text": g, "x": a, "xref": "x", "y": 1, "yref": "y domain", "xanchor": "left", "yanchor": "top",
                      "showarrow": False, "font": {"color": GRADE_COLORS[g]}} for g, a, _ in bands])


def department_boxes(df: pd.DataFrame) -> go.Figure:
    """Total-score spread per department from precomputed quartiles (data.reports.department_scores)."""
    names = [short(d, 18) for d in df["department"]]
    fig = go.Figure(go.Box(
        y=names, q1=df["q1"], median=df["median"], q3=df["q3"], lowerfence=df["min_score"],
        upperfence=df["max_score"], mean=df["mean_score"], orientation="h", marker_color=EXECUTED_COLOR,
        name="总分", boxmean=True, hovertext=df["department"]))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="总分")
    return _layout(fig, _hbar_height(len(df)), "各主管部门总分分布（箱线：最低/四分位/中位/最高，虚线为均值）",
                   showlegend=False)


def grade_stack(df: pd.DataFrame) -> go.Figure:
    """Number of projects per grade and department (columns 优 良 中 差)."""
    names = [short(d, 18) for d in df["department"]]
    fig = go.Figure([go.Bar(y=names, x=df[g], name=g, orientation="h", marker_color=GRADE_COLORS[g],
                            hovertext=df["department"], hovertemplate="%{hovertext}<br>" + g + " %{x} 个<extra></extra>")
                     for g in GRADE_COLORS if g in df.columns])
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="项目数")
    return _layout(fig, _hbar_height(len(df)), "各主管部门评分等级", barmode="stack")


def lost_by_category(df: pd.DataFrame, top: int = 25) -> go.Figure:
    """Points lost per 二级指标, coloured by 一级指标 (from data.reports.lost_by_category_slice)."""
    d = df[df["lost"] > 0].head(top)
    fig = go.Figure()
    for n, (level1, g) in enumerate(d.groupby("level1", sort=False)):
        fig.add_bar(y=[f"{level1} / {l2}" for l2 in g["level2"]], x=g["lost"], name=level1, orientation="h",
                    marker_color=LEVEL_COLORS[n % len(LEVEL_COLORS)], customdata=g["lost_share"],
                    hovertemplate="%{y}<br>扣分 %{x:.2f}，失分率 %{customdata:.2f}%<extra></extra>")
    fig.update_yaxes(autorange="reversed", categoryorder="total descending")
    fig.update_xaxes(title_text="扣分合计")
    return _layout(fig, _hbar_height(len(d)), "失分在哪里：按一级/二级指标的扣分合计")


def lost_heatmap(df: pd.DataFrame) -> go.Figure:
    """Average points lost per project, department × 一级指标."""
    pivot = df.pivot_table(index="department", columns="level1", values="lost", aggfunc="sum", fill_value=0)
    fig = go.Figure(go.Heatmap(
        z=pivot.values, x=list(pivot.columns), y=[short(d, 18) for d in pivot.index], colorscale="Reds",
        text=[[f"{v:.2f}" for v in row] for row in pivot.values], texttemplate="%{text}",
        customdata=[[d] * len(pivot.columns) for d in pivot.index], colorbar={"title": "分/项目"},
        hovertemplate="%{customdata}<br>%{x}：平均每个项目扣 %{z:.2f} 分<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, _hbar_height(len(pivot)), "各主管部门平均每个项目的扣分（按一级指标）")


def category_counts(df: pd.DataFrame) -> go.Figure:
    """Problem indicators per 一级/二级指标 (from data.indicators.problem_counts)."""
    labels = [f"{a} / {b}" for a, b in zip(df["level1"], df["level2"], strict=True)]
    fig = go.Figure([
        go.Bar(y=labels, x=df["n"] - df["missed"], name="扣分但判定达标或无法判断", orientation="h",
               marker_color=BUDGET_COLOR),
        go.Bar(y=labels, x=df["missed"], name="未达指标值", orientation="h", marker_color=BAD_COLOR),
    ])
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="指标数")
    return _layout(fig, _hbar_height(len(df)), "未达标/扣分指标：按类别计数", barmode="stack")


def finding_codes(df: pd.DataFrame) -> go.Figure:
    """Findings per code (from data.indicators.finding_counts)."""
    colors = {"错误": BAD_COLOR, "警告": "#ef6c00", "提示": NEUTRAL}
    fig = go.Figure(go.Bar(y=df["code_label"], x=df["n"], orientation="h", text=df["n"], textposition="outside",
                           marker_color=[colors.get(s, NEUTRAL) for s in df["severity"]],
                           customdata=df["severity"], hovertemplate="%{y}（%{customdata}）<br>%{x} 条<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="条数")
    return _layout(fig, _hbar_height(len(df)), "问题按类型（红=错误，橙=警告，灰=提示）")


def grade_donut(df: pd.DataFrame) -> go.Figure:
    """Projects per grade (from data.reports.grade_counts)."""
    fig = go.Figure(go.Pie(labels=df["grade"], values=df["n"], hole=0.55, sort=False,
                           marker_colors=[GRADE_COLORS.get(g, NEUTRAL) for g in df["grade"]],
                           textinfo="label+value", hovertemplate="%{label}：%{value} 个（%{percent}）<extra></extra>"))
    return _layout(fig, 260, "评分等级", showlegend=False)
