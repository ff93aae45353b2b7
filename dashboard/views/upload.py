"""添加自评表 (for analysts): upload PDFs or text files and load them like `jixiao ingest`.

Listed only when JIXIAO_WRITE_PASSWORD is set, and usable only after that password is
entered here. The dashboard itself reads the database read-only; the ingest writes a
private copy and swaps it in, so the other pages pick the new data up on their next run.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import uploads
from dashboard.views import common, tables_html

st.title("添加自评表")
if not uploads.password_ok(st.session_state.get("_write_password", "")):
    st.info("添加自评表会修改数据库，需要输入写入密码（由管理员通过环境变量 JIXIAO_WRITE_PASSWORD 设置）。")
    with st.form("write_login"):
        given = st.text_input("写入密码", type="password")
        if st.form_submit_button("确认"):
            if uploads.password_ok(given):
                st.session_state["_write_password"] = given
                st.rerun()
            st.error("写入密码不正确，未开放上传。")
    st.stop()

kinds = "、".join(uploads.allowed_suffixes())
st.markdown(f"上传绩效自评表（{kinds}，每个文件不超过 {uploads.MAX_FILE_MB} MB）。"
            "载入方式与命令行 `jixiao ingest` 相同：已载入的相同文件会跳过，每个文件的结果列在下方。")
files = st.file_uploader("选择文件", type=[s.lstrip(".") for s in uploads.allowed_suffixes()],
                         accept_multiple_files=True, key="upload_files")
if files and st.button("载入数据库", type="primary", icon=":material/upload:"):
    db_path = common.db_file()
    saved, refused = uploads.save(((f.name, f.getvalue()) for f in files), uploads.upload_folder(db_path))
    results = list(refused)
    if saved:
        bar = st.progress(0.0, text="正在解析……")
        try:
            results += uploads.load(saved, db_path,
                                    progress=lambda done, total: bar.progress(done / total,
                                                                              text=f"已解析 {done}/{total} 个文件"))
        except Exception:  # noqa: BLE001 - logged for the administrator; the user gets a sentence
            common.log.exception("upload ingest failed")
            st.error("载入失败，数据库未改变。详情已记录在服务器日志中。")
            st.stop()
        bar.empty()
    df = pd.DataFrame([{"file_name": r.name, "status": r.status, "n_reports": r.forms, "error": r.reason}
                       for r in results])
    ok = sum(r.status == uploads.STATUS_TEXT["ok"] for r in results)
    st.success(f"完成：{ok} 个文件已载入，共 {len(results)} 个。") if ok else st.warning("没有文件被载入。")
    st.html(tables_html.html_table(df, ["file_name", "status", "n_reports", "error"],
                                   labels={"status": "结果", "error": "原因"}))
