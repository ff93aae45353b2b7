"""`jixiao`: the command line, a thin layer over `etl.ingest`.

    jixiao ingest PATH... [--db data/jixiao.duckdb] [--workers N] [--rebuild] [--strict]
                  [--timeout 120] [--max-memory 2G] [--no-wait] [--debug]
    jixiao dashboard [--db ...] [--port 8501]     (ingests the bundled samples when no database exists)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from etl.cli_support import SUMMARY_LIST_MAX, ChineseParser, add_common, run_guarded, seconds, size_bytes
from etl.dbguard import check_database
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
    add_common(ing)


def _dashboard_parser(dash: argparse.ArgumentParser) -> None:
    dash.add_argument("--db", default=str(DEFAULT_DB))
    dash.add_argument("--port", type=int, default=8501)
    add_common(dash)


def _names(paths: list[str]) -> str:
    shown = [Path(p).name or p for p in paths[:SUMMARY_LIST_MAX]]
    more = f" 等（另有 {len(paths) - SUMMARY_LIST_MAX} 个，完整列表见数据库 files 表）" if len(paths) > SUMMARY_LIST_MAX else ""
    return "、".join(shown) + more


SKIP_HEADINGS = {UNSUPPORTED: "跳过 {n} 个不支持的文件", FOLDER: "无法读取的文件夹 {n} 个",
                 LINK: "失效的符号链接 {n} 个", MISSING: "不存在的路径 {n} 个"}


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
            print(f"{heading.format(n=len(paths))}：")
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
                         limits=limits, wait=not args.no_wait, on_wait=waiting)
    finally:
        bar.close()
    print_summary(summary, args.db)
    failed = summary.failed or any(k.status == "error" for k in summary.skipped)
    return 1 if args.strict and failed else 0


def cmd_dashboard(args: argparse.Namespace) -> int:
    db = Path(args.db)
    check_database(db, rebuild=False)
    if not db.exists():
        print(f"未找到数据库 {db}，先载入自带样例 {SAMPLES} …")
        print_summary(ingest([SAMPLES], db), str(db))
    env = {**os.environ, "JIXIAO_DB": str(db.resolve())}
    cmd = [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "dashboard" / "app.py"),
           "--server.port", str(args.port)]
    return subprocess.call(cmd, env=env, cwd=REPO_ROOT)


COMMANDS = {"ingest": cmd_ingest, "dashboard": cmd_dashboard}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return run_guarded(COMMANDS[args.command], args)


if __name__ == "__main__":
    sys.exit(main())
