"""`jixiao`: the command line, a thin layer over `etl.ingest`.

    jixiao ingest PATH... [--db data/jixiao.duckdb] [--workers N] [--rebuild] [--strict]
                  [--timeout 120] [--max-memory 2G] [--no-wait] [--debug]
                  [--executor local|dask] [--scheduler tcp://HOST:8786] [--ship-bytes]
    jixiao dashboard [--db ...] [--port 8501] [--host 127.0.0.1]
                                                  (ingests the bundled samples when no database exists)
    jixiao site [--db ...] --out site/ [--year Y] [--department D] [--no-images]   (static report site)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from etl.cli_support import SUMMARY_LIST_MAX, ChineseParser, add_common, run_guarded, seconds, size_bytes
from etl.dbguard import check_database
from etl.executors import EXECUTORS
from etl.discover import FOLDER, LINK, MISSING, UNSUPPORTED
from etl.ingest import DEFAULT_DB, IngestSummary, ingest
from etl.limits import DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT, Limits
from etl.model import ParsedFile

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLES = REPO_ROOT / "data" / "samples"


def _parser() -> argparse.ArgumentParser:
    p = ChineseParser(prog="jixiao", description="绩效自评表 PDF/文本 → DuckDB → 看板")
    sub = p.add_subparsers(dest="command", required=True, parser_class=ChineseParser)
    _ingest_parser(sub.add_parser("ingest", help="读取 PDF 或文本文件（可为文件夹，递归）并载入数据库"))
    _dashboard_parser(sub.add_parser("dashboard", help="启动看板（无数据库时先载入自带样例）"))
    add_site_parser(sub)
    comp = sub.add_parser("compact", help="把载入累积的增量文件并入主数据库文件（平时自动进行）")
    comp.add_argument("--db", default=str(DEFAULT_DB), help="数据库文件（默认 %(default)s）")
    comp.add_argument("--no-wait", action="store_true", help="数据库正被写入时立即放弃，而不是等待")
    add_common(comp)
    return p


def _ingest_parser(ing: argparse.ArgumentParser) -> None:
    ing.add_argument("paths", nargs="+", metavar="PATH", help="文件或文件夹")
    ing.add_argument("--db", default=str(DEFAULT_DB), help="数据库文件（默认 %(default)s）")
    ing.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="并行进程数（默认 CPU 核数）")
    ing.add_argument("--rebuild", action="store_true", help="清空数据库后重新载入")
    ing.add_argument("--strict", action="store_true", help="有文件读取失败时以退出码 1 结束")
    ing.add_argument("--quiet", action="store_true", help="不显示进度条")
    ing.add_argument("--timeout", type=seconds, default=DEFAULT_TIMEOUT,
                     help="每个文件的解析时限，秒（默认 %(default)g）")
    ing.add_argument("--max-memory", type=size_bytes, default=DEFAULT_MAX_MEMORY, metavar="SIZE",
                     help="每个解析进程的内存上限，如 512M、2G；0 为不限（默认 2G）")
    ing.add_argument("--no-wait", action="store_true", help="数据库正被另一次载入写入时立即放弃，而不是等待")
    ing.add_argument("--executor", choices=EXECUTORS, default="local",
                     help="解析在哪里运行：local 本机进程池（默认），dask 为 Dask 集群")
    ing.add_argument("--scheduler", metavar="tcp://HOST:8786",
                     help="Dask 调度器地址（--executor dask；不填则在本机启动 --workers 个进程）")
    ing.add_argument("--ship-bytes", action="store_true",
                     help="把文件内容发给 Dask 工作进程（工作机看不到同一路径时使用）")
    add_common(ing)


def _dashboard_parser(dash: argparse.ArgumentParser) -> None:
    dash.add_argument("--db", default=str(DEFAULT_DB))
    dash.add_argument("--port", type=int, default=8501)
    dash.add_argument("--host", default="127.0.0.1",
                      help="监听地址（默认只限本机；0.0.0.0 供局域网访问，此时须设置环境变量 JIXIAO_PASSWORD）")
    add_common(dash)


def _more(paths: list[str]) -> str:
    extra = len(paths) - SUMMARY_LIST_MAX
    return f" 等（另有 {extra} 个，完整列表见数据库 files 表）" if extra > 0 else ""


def _names(paths: list[str]) -> str:
    return "、".join(Path(p).name or p for p in paths[:SUMMARY_LIST_MAX]) + _more(paths)


SKIP_HEADINGS = {UNSUPPORTED: "跳过 {n} 个不支持的文件", FOLDER: "无法读取的文件夹 {n} 个",
                 LINK: "失效的符号链接 {n} 个", MISSING: "不存在的路径 {n} 个"}


def add_site_parser(sub: argparse._SubParsersAction) -> None:
    site = sub.add_parser("site", help="生成静态报告网站（无需服务器和网络，双击 index.html 打开）")
    site.add_argument("--db", default=str(DEFAULT_DB), help="数据库文件（默认 %(default)s）")
    site.add_argument("--out", default="site", help="输出文件夹（默认 %(default)s；已有的非本工具生成的文件夹会被拒绝）")
    site.add_argument("--year", type=int, help="只包含这一年度")
    site.add_argument("--department", help="只包含这个主管部门")
    site.add_argument("--no-images", action="store_true", help="不渲染原始 PDF 页面图像（更快、更小）")
    site.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="并行进程数（默认 CPU 核数）")
    site.add_argument("--quiet", action="store_true", help="不显示进度条")
    add_common(site)


def cmd_site(args: argparse.Namespace) -> int:
    """The static site from the same database the dashboard reads (dashboard.site)."""
    from dashboard.site.build import build  # its SiteError is a JixiaoError: run_guarded reports it

    r = build(Path(args.db), Path(args.out), year=args.year, department=args.department,
              images=not args.no_images, progress=not args.quiet, workers=args.workers)
    print(f"站点已写入 {r.out}：{r.pages:,} 个页面（项目 {r.projects:,} 个），{r.files:,} 个文件，"
          f"共 {r.bytes / 2**20:.1f} MB。双击 {r.out / 'index.html'} 即可离线浏览。")
    return 0


def print_summary(s: IngestSummary, db: str) -> None:
    print(f"\n数据库：{db}")
    print(f"读取文件 {s.files_read} 个，失败 {len(s.failed)} 个，未变化跳过 {s.skipped_unchanged} 个"
          f"（共发现 {s.files_seen} 个）")
    print(f"本次载入表格 {s.forms} 张，指标 {s.indicators} 行，核查发现 {s.findings} 条；"
          f"数据库中共有表格 {s.db_forms} 张（重复来源只计一次）")
    _print_skipped(s)
    if s.partial:
        print(f"部分解析（有缺项，见数据质量页）{len(s.partial)} 个：")
        for path in sorted(s.partial):
            print(f"  - {path}")
    if s.failed:
        print(f"读取失败 {len(s.failed)} 个：")
        for path, reason in sorted(s.failed):
            print(f"  - {path}：{reason}")
    if s.leftovers_removed:
        print(f"已清理先前中断的载入留下的临时文件 {s.leftovers_removed} 个")


def _print_skipped(s: IngestSummary) -> None:
    """Unsupported files by name on one line; unreadable folders, dead links, missing paths in full."""
    for what, heading in SKIP_HEADINGS.items():
        paths = [k.path for k in s.skipped if k.what == what]
        if not paths:
            continue
        if what == UNSUPPORTED:
            print(f"{heading.format(n=len(paths))}：{_names(paths)}")
        else:
            print(f"{heading.format(n=len(paths))}：{_more(paths)}")
            print("\n".join(f"  - {path}" for path in paths[:SUMMARY_LIST_MAX]))


def cmd_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm  # imported here: an unchanged re-run's cost is mostly start-up

    bar = tqdm(desc="解析", unit="个文件", disable=args.quiet, file=sys.stderr)

    def tick(pf: ParsedFile) -> None:
        bar.update(1)
        bar.set_postfix_str(Path(pf.path).name[-30:], refresh=False)

    def waiting(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    limits = Limits(timeout=args.timeout, max_memory=args.max_memory)
    try:
        summary = ingest(args.paths, args.db, workers=max(1, args.workers), rebuild=args.rebuild, progress=tick,
                         limits=limits, wait=not args.no_wait, on_wait=waiting,
                         executor=args.executor, scheduler=args.scheduler, ship_bytes=args.ship_bytes)
    finally:
        bar.close()
    print_summary(summary, args.db)
    failed = summary.failed or any(k.status == "error" for k in summary.skipped)
    return 1 if args.strict and failed else 0


def cmd_compact(args: argparse.Namespace) -> int:
    """Fold the deltas into a new base now (ingest does it by itself when they grow)."""
    from etl.compact import compact_now

    count, size = compact_now(Path(args.db), wait=not args.no_wait)
    print(f"已整理 {args.db}：并入增量 {count} 个（{size / 1e6:.1f} MB）" if count else f"{args.db} 没有待整理的增量")
    return 0


LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def cmd_dashboard(args: argparse.Namespace) -> int:
    if args.host not in LOCAL_HOSTS and not os.environ.get("JIXIAO_PASSWORD"):
        print(f"看板将对网络开放（--host {args.host}），请先设置访问密码：JIXIAO_PASSWORD=… jixiao dashboard "
              f"--host {args.host}", file=sys.stderr)
        return 2
    db = Path(args.db)
    check_database(db, rebuild=False)
    if not db.exists():
        print(f"未找到数据库 {db}，先载入自带样例 {SAMPLES} …")
        print_summary(ingest([SAMPLES], db), str(db))
    env = {**os.environ, "JIXIAO_DB": str(db.resolve())}
    cmd = [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "dashboard" / "app.py"),
           "--server.port", str(args.port), "--server.address", args.host]
    return subprocess.call(cmd, env=env, cwd=REPO_ROOT)


COMMANDS = {"ingest": cmd_ingest, "dashboard": cmd_dashboard, "site": cmd_site, "compact": cmd_compact}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return run_guarded(COMMANDS[args.command], args)


if __name__ == "__main__":
    sys.exit(main())
