"""数据质量: every ingested file with its status and reason; findings by code, each linking
to its project."""

from __future__ import annotations

import streamlit as st

from dashboard import charts
from dashboard.data import indicators, tables
from dashboard.labels import FILE_STATUS
from dashboard.views import common

common.header("数据质量", "入库文件的读取情况，以及自动检查发现的问题（表内数字不一致等）。")
f = common.filters()

st.subheader("入库文件")
status = common.q(tables.file_status_counts)
c = st.columns(1 + len(FILE_STATUS))
by_code = dict(zip(status["code"], status["n"], strict=True))
c[0].metric("文件数", f"{int(status['n'].sum()):,}")
for col, code in zip(c[1:], FILE_STATUS, strict=True):
    col.metric(FILE_STATUS[code], f"{int(by_code.get(code, 0)):,}")
dups = common.q(tables.duplicate_count)
if dups:
    st.caption(f"另有 {dups:,} 张表与其他文件中的表格重复（例如同一 PDF 及其文本版），各页只统计主记录。")
chosen = st.pills("按状态筛选文件", list(FILE_STATUS), format_func=FILE_STATUS.get, selection_mode="multi",
                  key="file_status")
st.caption("文件列表不受左侧筛选影响（读取失败的文件没有项目信息）。")
common.table(tables.files_slice(tuple(chosen)), key="files_table", what="入库文件", hide=("file_id",),
             link=False, with_filters=False, empty="没有这种状态的文件。",
             config={"path": st.column_config.TextColumn("源文件", width="medium"),
                     "error": st.column_config.TextColumn("错误原因", width="large")})

st.subheader("发现的问题（按类型）")
common.filter_caption()
counts = common.q(indicators.finding_counts, f)
if counts.empty:
    st.success("所选范围内没有发现问题。")
    st.stop()
left, right = st.columns([2, 3])
with left:
    common.chart(charts.finding_codes, counts, key="finding_codes")
with right:
    labels = dict(zip(counts["code"], counts["code_label"], strict=True))
    codes = st.multiselect("问题类型", list(labels), format_func=labels.get, key="finding_code_filter",
                           placeholder="全部类型")
    text = st.text_input("搜索问题说明或项目名称", key="finding_q")
common.small_table(counts, key="finding_counts", what="问题按类型",
                   columns=["code_label", "severity", "n", "projects", "code"],
                   config={"n": "条数", "projects": "涉及项目数"})
st.subheader("问题清单")
common.table(indicators.findings_slice(f, tuple(codes), text), key="findings_table", what="问题清单",
             hide=("report_id", "code"))
