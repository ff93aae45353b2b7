"""项目详情: one form in full — header, funding, goals, the indicator table as printed,
findings, the same project in other years, and the original PDF page(s) with rows marked.
Opened from any table or chart, or by link: `/project?project=<report_id>`."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import filters as flt
from dashboard import form_html, original
from dashboard.data import db, leads, project
from dashboard.labels import file_name
from dashboard.views import common
from etl.checks_ocr import LOW_CONFIDENCE

log = logging.getLogger("jixiao.dashboard")


def label(row: pd.Series) -> str:
    return f"{row['project_name']} · {row['year']}年 · {row['department']}"


def pick_project() -> int | None:
    """The project from the URL, or the one picked here (then written to the URL)."""
    wanted = flt.project_from_params(st.query_params.get_all)
    if notice := flt.project_notice(st.query_params.get_all):
        st.warning(common.plain(notice), icon=":material/link_off:")
    f = common.filters()
    c1, c2 = st.columns([1, 2])
    text = c1.text_input("搜索项目", key="detail_q", placeholder="项目名称、单位或部门")
    found = common.q(project.search, f, text)
    n = common.q(project.count_search, f, text)
    labels = {int(r["report_id"]): label(r) for _, r in found.iterrows()}
    if wanted is not None and wanted not in labels:
        rep = common.q(project.report, wanted)
        if rep.empty:
            st.warning(f"链接中的项目（报告ID {wanted}）不在当前数据库中（数据库可能已重建），请重新选择。")
        else:
            labels = {wanted: label(rep.iloc[0])} | labels
    ids = list(labels)
    if wanted is None and text.strip() and n == 1 and st.session_state.get("_detail_opened") != text:
        st.session_state["_detail_opened"] = text  # one match: open it (once per search text)
        wanted = ids[0]
        st.query_params[flt.PROJECT_KEY] = str(wanted)
    chosen = c2.selectbox(f"选择项目（当前范围内 {n:,} 个匹配" + ("，仅列出前 300 个，请输入关键词缩小" if n > len(found) else "")
                          + "）", ids, index=ids.index(wanted) if wanted in labels else None,
                          format_func=lambda i: labels.get(i, str(i)), placeholder="请选择或输入搜索")
    if chosen is not None and chosen != wanted:
        st.query_params[flt.PROJECT_KEY] = str(chosen)
    return chosen


def previous(r: pd.Series) -> pd.Series | None:
    """The same project's latest earlier year (by project code, else department + unit + name)."""
    hist = common.q(leads.history, int(r["report_id"]))
    earlier = hist[hist["year"] < r["year"]] if pd.notna(r["year"]) else hist.iloc[0:0]
    return None if earlier.empty else earlier.iloc[-1]


def delta(now: object, before: pd.Series | None, col: str, unit: str) -> dict:
    """st.metric's delta arguments: the change from the earlier year, neutral when unchanged."""
    if before is None or pd.isna(now) or pd.isna(before[col]):
        return {}
    change = float(now) - float(before[col])
    if abs(change) < 0.005:
        return {"delta": f"与{int(before['year'])}年持平", "delta_color": "off", "delta_arrow": "off"}
    return {"delta": f"{change:+.2f}{unit}（较{int(before['year'])}年）"}


def show_header(r: pd.Series, total: pd.Series | None) -> None:
    st.title(common.plain(r["project_name"] or "（未填项目名称）"))
    st.markdown(f"**{r['year']}年度** · 主管部门：**{common.plain(r['department'])}** · "
                f"实施单位：**{common.plain(r['implementing_unit'])}**"
                + (f" · 项目编码：{common.plain(r['project_code'])}" if r.get("project_code") else ""))
    common.filter_caption()
    before = previous(r)
    c = st.columns(5)
    c[0].metric("总分", common.fmt_num(r["total_score"]), **delta(r["total_score"], before, "total_score", " 分"),
                help=f"分值 {common.fmt_num(r['total_weight'])}")
    c[1].metric("评分等级", r["grade"] or "—")
    if total is not None:
        c[2].metric("全年预算数（万元）", common.fmt_num(total["full_year_budget"]))
        c[3].metric("全年执行数（万元）", common.fmt_num(total["executed"]))
        rate = (100 * total["executed"] / total["full_year_budget"]
                if pd.notna(total["executed"]) and pd.notna(total["full_year_budget"]) and total["full_year_budget"]
                else None)
        c[4].metric("执行率", common.fmt_num(rate, suffix="%"),
                    **delta(None if rate is None else round(rate, 2), before, "rate", " 个百分点"),
                    help=f"表内所印：{common.fmt_num(total['execution_rate'])}%")
    pages = f"第 {r['page_start']}–{r['page_end']} 页" if r["page_end"] != r["page_start"] else f"第 {r['page_start']} 页"
    status = "完整" if r["status"] == "ok" else "部分解析（有缺项，见下方问题）"
    st.caption(f"来源：{common.plain(file_name(r['path']))}（第 {r['form_index']} 张表，{pages}）· 解析：{status}"
               f" · 报告ID {r['report_id']} · [查看原始表格 ↓](#original)")


def show_goals(r: pd.Series) -> None:
    st.subheader("年度总体目标")
    left, right = st.columns(2)
    for col, title, text in ((left, "预期目标", r["goal_expected"]), (right, "实际完成情况", r["goal_actual"])):
        with col.container(border=True):
            st.markdown(f"**{title}**")
            st.text(text or "（未填写）")


@st.cache_data(max_entries=64, show_spinner="正在渲染原始页面……")
def render(path: str, sig: tuple, page: int, marks: tuple[original.Mark, ...],
           x_range: tuple[float, float] | None, band: tuple[float, float] | None) -> bytes:
    return original.render_page(Path(path), page, marks, x_range, band)


def show_original(r: pd.Series, ind: pd.DataFrame) -> None:
    st.subheader("原始表格", anchor="original")
    source = original.resolve_source(r["path"], common.db_file())
    cells = common.q(project.cells, int(r["report_id"]))
    if source is None:
        st.warning(f"原始文件已不在原处：{common.plain(file_name(r['path']))}。下面是入库时保存的表格文字（如有）。")
    elif r["kind"] in ("pdf", "image") and "confidence" in cells and cells["confidence"].notna().any():
        show_ocr(source, r, cells)
        return
    elif r["kind"] == "pdf":
        show_pdf(source, r, ind, cells)
        return
    else:
        st.info(original.source_note(r["kind"]))
    if not cells.empty:
        st.html(f'<div class="jx-scroll">{form_html.cell_grid(cells)}</div>')
    elif source is not None:
        with st.expander(f"查看源文本文件 {common.plain(source.name)}"):
            st.text(original.read_text(source))
    else:
        st.caption("没有保存原始单元格。")


def show_pdf(source: Path, r: pd.Series, ind: pd.DataFrame, cells: pd.DataFrame) -> None:
    marks = tuple(original.marks_for(ind))
    if not marks:
        st.caption("没有指标行的位置信息，页面未标注。")
    else:
        st.caption("蓝框为指标行，红底为扣分或未达标的行；同页的其他表格已淡化。")
    sig = db.signature(source)
    try:
        n_pages = original.page_count(source)
        for page in original.page_range(r["page_start"], r["page_end"], n_pages):
            x_range, band = original.extent(cells, page)
            png = render(str(source), sig, page, marks, x_range, band)
            st.image(png, caption=f"{common.plain(source.name)} 第 {page} 页", width="stretch")
    except Exception:  # noqa: BLE001 - a damaged PDF must not break the page
        log.exception("rendering %s failed", source)
        st.warning("无法显示原始 PDF（文件可能已损坏或被改动）。")
        return
    st.download_button("下载原始 PDF 文件", data=source.read_bytes, file_name=source.name, mime="application/pdf",
                       key="pdf_download", on_click="ignore", icon=":material/picture_as_pdf:")


@st.cache_data(max_entries=32, show_spinner="正在渲染扫描页……")
def render_ocr(path: str, sig: tuple, page: int, boxes: tuple[original.OcrBox, ...]) -> bytes:
    return original.render_ocr_page(Path(path), page, boxes, LOW_CONFIDENCE)


def show_ocr(source: Path, r: pd.Series, cells: pd.DataFrame) -> None:
    """A scanned form: the page images with every OCR'd cell outlined and its confidence."""
    st.caption(f"扫描件，文字经OCR识别。框为识别出的单元格及其置信度：红框低于{LOW_CONFIDENCE:.0%}，请对照原件核对。")
    read = cells.dropna(subset=["confidence", "x0", "top", "x1", "bottom"])
    sig = db.signature(source)
    try:
        for page in range(int(r["page_start"] or 1), int(r["page_end"] or r["page_start"] or 1) + 1):
            on_page = read[read["page"] == page]
            boxes = tuple(original.OcrBox(float(c.x0), float(c.top), float(c.x1), float(c.bottom), float(c.confidence))
                          for c in on_page.itertuples())
            st.image(render_ocr(str(source), sig, page, boxes), caption=f"{source.name} 第 {page} 页", width="stretch")
    except Exception as exc:  # noqa: BLE001 - a damaged scan must not break the page
        st.warning(f"无法显示扫描页（{type(exc).__name__}）。")


def main() -> None:
    chosen = pick_project()
    if chosen is None:
        st.title("项目详情")
        st.info("请在上方搜索并选择一个项目，或从其他页面的表格、图表点击项目进入。")
        return
    pid = common.q(project.primary_id, chosen)
    if pid is None:
        st.error(f"找不到报告ID为 {chosen} 的项目（数据库可能已重建）。请重新选择。")
        return
    if pid != chosen:
        st.info("该链接指向同一表格的另一份来源，下面显示其主记录。")
    rep = common.q(project.report, pid)
    if rep.empty:
        st.error("找不到该项目（数据库可能已重建）。请重新选择。")
        return
    r = rep.iloc[0]
    funding = common.q(db.fetch, project.funding_slice(pid))
    total = funding[funding["line"] == "年度资金总额"]
    show_header(r, None if total.empty else total.iloc[0])
    file_extra = [r["project_name"], str(r["year"])]

    st.subheader("资金情况（万元）")
    common.table(project.funding_slice(pid), key="funding_table", what="项目资金", link=False,
                 with_filters=False, file_extra=file_extra, hide=())
    show_goals(r)

    st.subheader("绩效指标")
    ind = common.q(project.indicators, pid)
    if ind.empty:
        st.info("没有读到绩效指标。")
    else:
        table = form_html.indicator_table(ind, r["total_weight"], r["total_score"], r["grade"])
        st.html(f'<div class="jx-scroll">{table}</div>')
        common.download(project.indicators_slice(pid), "绩效指标", key="indicators_dl", with_filters=False,
                        extra=file_extra)

    st.subheader("发现的问题")
    common.table(project.findings_slice(pid), key="project_findings", what="项目问题", link=False, hide=("code",), wrap=True,
                 with_filters=False, file_extra=file_extra, empty="没有发现问题。")

    st.subheader("其他年度的同一项目")
    st.caption("按项目编码匹配；表上没有编码时按主管部门、实施单位和项目名称匹配。")
    common.table(project.other_years_slice(pid), key="other_years", what="其他年度", with_filters=False,
                 file_extra=file_extra, config={"rate": common.rate_column()},
                 empty="没有其他年度的同一项目。")
    copies = common.q(project.copies, pid)
    if not copies.empty:
        st.caption("同一表格的其他来源：" + "；".join(
            f"{common.plain(file_name(c.path))}（第{c.form_index}张表{'' if c.same_content else '，内容不一致'}）"
            for c in copies.itertuples()))
    show_original(r, ind)


main()
