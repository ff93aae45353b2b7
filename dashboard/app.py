"""绩效看板 entry point: `streamlit run dashboard/app.py`.

The pages live in dashboard/views/, not pages/: Streamlit treats a pages/ folder next to
the entry point as an old-style multipage app and would run a page without this file.

Defines the pages (st.navigation) and the sidebar filters shared by every page. The
filters live in the URL query string (?year=2024&dept=…), so a copied link reopens the
same view; the widgets keep their state while the user moves between pages. A link's
unknown values are named in a notice. With JIXIAO_PASSWORD set, a password is asked first;
with JIXIAO_WRITE_PASSWORD set, a page for adding forms appears (it asks for that password).
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run` puts only dashboard/ on the path
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard import filters as flt  # noqa: E402
from dashboard import pdf_export, uploads  # noqa: E402
from dashboard.data import db, tables  # noqa: E402
from dashboard.labels import ALL_GRADES, FORM_KINDS  # noqa: E402
from dashboard.views import common, style  # noqa: E402

log = logging.getLogger("jixiao.dashboard")
ICON = ROOT / "dashboard" / "static" / "icon.png"
WIDGET_KEYS = {"years": "f_years", "departments": "f_depts", "units": "f_units", "grades": "f_grades",
               "kinds": "f_kinds"}
PASSWORD_ENV, WRITE_PASSWORD_ENV = "JIXIAO_PASSWORD", uploads.WRITE_PASSWORD_ENV

OVERVIEW = st.Page("views/overview.py", title="总览", icon=":material/dashboard:", url_path="home", default=True)
PAGES = [
    OVERVIEW,
    st.Page("views/budget.py", title="预算执行", icon=":material/account_balance:", url_path="budget"),
    st.Page("views/scores.py", title="得分分布", icon=":material/leaderboard:", url_path="scores"),
    st.Page("views/indicators.py", title="未达标指标", icon=":material/flag:", url_path="indicators"),
    st.Page("views/detail.py", title="项目详情", icon=":material/description:", url_path="project"),
    st.Page("views/quality.py", title="数据质量", icon=":material/fact_check:", url_path="quality"),
    st.Page("views/download.py", title="数据下载", icon=":material/download:", url_path="download"),
]
UPLOAD = st.Page("views/upload.py", title="添加自评表", icon=":material/upload_file:", url_path="upload")


def _to_overview() -> None:
    """/overview (an older link) opens the overview with the link's filters."""
    st.switch_page(OVERVIEW, query_params={k: st.query_params.get_all(k) for k in st.query_params})


ALIASES = [st.Page(_to_overview, title="总览", url_path="overview", visibility="hidden")]


def missing_database(path: Path, problems: list[str] | None = None) -> None:
    st.title("财政项目支出绩效自评看板")
    if problems:
        st.error(f"数据库 {path.name} 无法使用：" + "；".join(problems))
    else:
        st.error(f"还没有数据库：{path.name}")
    st.markdown("在项目根目录运行下面的命令，把自评表（PDF 或文本）导入数据库，然后刷新本页：")
    st.code(db.BUILD_COMMAND, language="bash")
    st.markdown("或者用 `jixiao dashboard` 启动看板：没有数据库时它会先导入自带的样例。")
    st.caption("也可以用环境变量 JIXIAO_DB 指定另一个数据库文件。")
    st.stop()


def password_gate() -> None:
    """With JIXIAO_PASSWORD set, nothing is shown before the password is entered."""
    if not os.environ.get(PASSWORD_ENV) or st.session_state.get("_authenticated"):
        return
    st.title("绩效看板")
    with st.form("login"):
        given = st.text_input("访问密码", type="password")
        if st.form_submit_button("进入") and uploads.password_ok(given, PASSWORD_ENV):
            st.session_state["_authenticated"] = True
            st.rerun()
        elif given:
            st.error("密码不正确。")
    st.stop()


def init_from_url(options: dict[str, list]) -> None:
    """Once per session: the URL's filters become the widgets' starting values; unknown
    values are kept as notices to show."""
    if st.session_state.get("_filters_from_url"):
        return
    get_all = st.query_params.get_all
    f = flt.restrict(flt.from_params(get_all), options["years"], options["departments"])
    for field, key in WIDGET_KEYS.items():
        st.session_state[key] = list(getattr(f, field))
    st.session_state["_link_notices"] = flt.unknown_notices(get_all, options["years"], options["departments"])
    st.session_state["_link_filters"] = f
    st.session_state["_filters_from_url"] = True


def link_notices(f: flt.Filters) -> None:
    """The link's unknown values, until the user changes the filters (plain text: they come from the URL)."""
    if f == st.session_state.get("_link_filters"):
        for note in st.session_state.get("_link_notices", []):
            st.warning(common.plain(note), icon=":material/link_off:")


def reset_filters() -> None:
    for key in WIDGET_KEYS.values():
        st.session_state[key] = []


def apply_pending_filter() -> None:
    """A click on a department (table row or bar) asks for its filter; widgets take it here, before they exist."""
    pending = st.session_state.pop("_pending_filter", None)
    if pending:
        field, values = pending
        st.session_state[WIDGET_KEYS[field]] = list(values)


def sidebar(options: dict[str, list]) -> flt.Filters:
    ss = st.session_state
    apply_pending_filter()
    with st.sidebar:
        st.subheader("筛选")
        years = st.pills("年度", options["years"], selection_mode="multi", key=WIDGET_KEYS["years"],
                         help="不选即全部年度")
        depts = st.multiselect("主管部门", options["departments"], key=WIDGET_KEYS["departments"],
                               placeholder="全部（可输入名称搜索）")
        units = common.q(tables.unit_options, tuple(sorted(years)), tuple(depts), tuple(ss[WIDGET_KEYS["units"]]))
        ss[WIDGET_KEYS["units"]] = [u for u in ss[WIDGET_KEYS["units"]] if u in units]
        chosen_units = st.multiselect("实施单位", units, key=WIDGET_KEYS["units"], placeholder="全部（可输入名称搜索）",
                                      help=f"列出所选年度和部门下的单位（最多 {tables.UNIT_OPTIONS_LIMIT} 个，"
                                           "可先选主管部门缩小范围）")
        grades = st.pills("评分等级", ALL_GRADES, selection_mode="multi", key=WIDGET_KEYS["grades"])
        kinds = st.pills("表格类型", FORM_KINDS, selection_mode="multi", key=WIDGET_KEYS["kinds"],
                         help="项目支出绩效自评表或部门整体支出绩效自评表；不选即全部")
        st.button("重置筛选", on_click=reset_filters, icon=":material/restart_alt:", width="stretch")
        st.caption("筛选条件保存在网址中：复制浏览器地址即可分享当前视图。")
    return flt.Filters(years=tuple(sorted(years)), departments=tuple(depts), units=tuple(chosen_units),
                       grades=tuple(g for g in ALL_GRADES if g in grades),
                       kinds=tuple(k for k in FORM_KINDS if k in kinds))


def sync_url(f: flt.Filters, on_detail: bool) -> None:
    """Write the filters to the URL; other pages' own keys are kept, `project` only on 项目详情."""
    want = flt.to_params(f)
    for key in flt.PARAM_KEYS.values():
        if key in want:
            if st.query_params.get_all(key) != want[key]:
                st.query_params[key] = want[key]
        elif key in st.query_params:
            del st.query_params[key]
    if not on_detail and flt.PROJECT_KEY in st.query_params:
        del st.query_params[flt.PROJECT_KEY]


def server_url(url_path: str) -> str:
    """This page on this server, as the server itself reaches it (for the PDF)."""
    address = st.get_option("server.address") or "127.0.0.1"
    host = "127.0.0.1" if address in ("0.0.0.0", "::", "localhost") else address
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    query = urlencode([(k, v) for k in st.query_params for v in st.query_params.get_all(k)])
    path = "/".join(p for p in (base, url_path) if p)
    return f"http://{host}:{st.get_option('server.port')}/{path}" + (f"?{query}" if query else "")


def print_button(page: st.Page, f: flt.Filters) -> None:
    """A4 PDF of this page for the current filters, printed on the server by Chromium."""
    url = server_url("" if page.url_path == OVERVIEW.url_path else page.url_path)
    name = "_".join([page.title, *flt.describe(f)]) + ".pdf"
    with st.sidebar:
        st.download_button("打印 / 导出 PDF", data=lambda: pdf_export.page_pdf_or_notice(url), file_name=name,
                           mime="application/pdf", on_click="ignore", icon=":material/print:", width="stretch",
                           key="print_pdf", help="本页在当前筛选条件下的 A4 PDF（约需 10–20 秒）；"
                                                 "也可使用浏览器的打印功能")


def navigation() -> st.Page:
    pages = PAGES + ([UPLOAD] if os.environ.get(WRITE_PASSWORD_ENV) else [])
    return st.navigation(pages + ALIASES)


def main() -> None:
    st.set_page_config(page_title="绩效看板", page_icon=str(ICON), layout="wide",
                       menu_items={"Get help": None, "Report a bug": None,
                                   "About": "绩效看板：财政项目支出绩效自评表的汇总、核查与下载。"})
    st.html(style.CSS)
    password_gate()
    page = navigation()
    path = common.db_file()
    if not path.exists():
        missing_database(path)
    try:
        problems = common.q(db.schema_problems)
    except Exception as exc:  # noqa: BLE001 - a damaged file must show a message, not a traceback
        log.warning("schema check failed: %r", exc)
        problems = ["文件已损坏或不是看板数据库"]
    if problems:
        missing_database(path, problems)
    options = common.q(tables.filter_options)
    init_from_url(options)
    f = sidebar(options)
    st.session_state["filters"] = f
    sync_url(f, on_detail=page.url_path == "project")
    print_button(page, f)
    link_notices(f)
    try:
        page.run()
    except Exception:  # noqa: BLE001 - a leader never sees a traceback; the console keeps it
        log.exception("page %s failed", page.url_path)
        st.error("这一页出错了，已记录在服务器日志中。请调整筛选条件或刷新页面；问题持续时请联系管理员。")


main()
