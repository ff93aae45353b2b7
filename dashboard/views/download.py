"""数据下载: pick a table and its columns; the sidebar filters apply; preview, row count, CSV."""

from __future__ import annotations

import streamlit as st

from dashboard.data import db, tables
from dashboard.labels import column_label
from dashboard.views import common

PREVIEW_ROWS = 200

common.header("数据下载", "选择数据表和列，左侧的筛选条件同样适用。CSV 为 UTF-8（带 BOM），可直接用 Excel 打开。")
f = common.filters()

table = st.radio("数据表", list(tables.DOWNLOAD_TABLES), format_func=lambda t: tables.DOWNLOAD_TABLES[t].title,
                 horizontal=True, key="dl_table")
available = list(tables.DOWNLOAD_TABLES[table].columns)
columns = st.multiselect("列", available, default=tables.default_columns(table), format_func=column_label,
                         key=f"dl_columns_{table}", help="较长的文字列（如年度总体目标）默认不选，可手动加入")
if not columns:
    st.info("请至少选择一列。")
    st.stop()
s = tables.table_slice(f, table, columns)
n = common.q(db.count, s)
st.metric("行数", f"{n:,}")
if n == 0:
    st.info(common.EMPTY)
    st.stop()
preview = common.q(db.fetch, s, PREVIEW_ROWS, 0)
st.dataframe(preview, hide_index=True, column_config={c: common.column_config(c) for c in columns}, placeholder="—")
st.caption(f"预览前 {min(n, PREVIEW_ROWS):,} 行；下载包含全部 {n:,} 行。")
common.download(s, tables.DOWNLOAD_TABLES[table].title, key="dl_table_csv")
