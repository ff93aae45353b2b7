"""绩效看板 entry point: `streamlit run dashboard/app.py`.

The pages live in dashboard/views/, not pages/: Streamlit treats a pages/ folder next to
the entry point as an old-style multipage app and would run a page without this file.

Defines the pages (st.navigation) and the sidebar filters shared by every page. The
filters live in the URL query string (?year=2024&dept=…), so a copied link reopens the
same view; the widgets keep their state while the user moves between pages.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run` puts only dashboard/ on the path
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard import filters as flt  # noqa: E402
from dashboard.data import db, tables  # noqa: E402
from dashboard.labels import ALL_GRADES  # noqa: E402
from dashboard.views import common  # noqa: E402

WIDGET_KEYS = {"years": "f_years", "departments": "f_depts", "units": "f_units", "grades": "f_grades"}

PAGES = [
    st.Page("views/overview.py", title="总览", icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("views/budget.py", title="预算执行", icon=":material/account_balance:", url_path="budget"),
    st.Page("views/scores.py", title="得分分布", icon=":material/leaderboard:", url_path="scores"),
    st.Page("views/indicators.py", title="未达标指标", icon=":material/flag:", url_path="indicators"),
    st.Page("views/detail.py", title="项目详情", icon=":material/description:", url_path="project"),
    st.Page("views/quality.py", title="数据质量", icon=":material/fact_check:", url_path="quality"),
    st.Page("views/download.py", title="数据下载", icon=":material/download:", url_path="download"),
]


def missing_database(path: Path, problems: list[str] | None = None) -> None:
    st.title("财政项目支出绩效自评看板")
    if problems:
        st.error(f"数据库 {path} 无法使用：" + "；".join(problems))
    else:
        st.error(f"还没有数据库：{path}")
    st.markdown("在项目根目录运行下面的命令，把自评表（PDF 或文本）导入数据库，然后刷新本页：")
    st.code(db.BUILD_COMMAND, language="bash")
    st.markdown("或者用 `jixiao dashboard` 启动看板：没有数据库时它会先导入自带的样例。")
    st.caption("也可以用环境变量 JIXIAO_DB 指定另一个数据库文件。")
    st.stop()


def init_from_url(options: dict[str, list]) -> None:
    """Once per session: the URL's filters become the widgets' starting values."""
    if st.session_state.get("_filters_from_url"):
        return
    f = flt.restrict(flt.from_params(st.query_params.get_all), options["years"], options["departments"])
    for field, key in WIDGET_KEYS.items():
        st.session_state[key] = list(getattr(f, field))
    st.session_state["_filters_from_url"] = True


def reset_filters() -> None:
    for key in WIDGET_KEYS.values():
        st.session_state[key] = []


def sidebar(options: dict[str, list]) -> flt.Filters:
    ss = st.session_state
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
        st.button("重置筛选", on_click=reset_filters, icon=":material/restart_alt:", width="stretch")
        st.caption("筛选条件保存在网址中：复制浏览器地址即可分享当前视图。")
    return flt.Filters(years=tuple(sorted(years)), departments=tuple(depts), units=tuple(chosen_units),
                       grades=tuple(g for g in ALL_GRADES if g in grades))


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


def main() -> None:
    st.set_page_config(page_title="绩效看板", page_icon=":material/monitoring:", layout="wide")
    page = st.navigation(PAGES)
    path = common.db_file()
    if not path.exists():
        missing_database(path)
    try:
        problems = common.q(db.schema_problems)
    except Exception as exc:  # noqa: BLE001 - a damaged file must show a message, not a traceback
        problems = [f"{type(exc).__name__}: {exc}"]
    if problems:
        missing_database(path, problems)
    options = common.q(tables.filter_options)
    init_from_url(options)
    f = sidebar(options)
    st.session_state["filters"] = f
    sync_url(f, on_detail=page.url_path == "project")
    page.run()


main()
