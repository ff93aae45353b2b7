"""What every `jixiao` command shares: Chinese argument errors, value parsers, and the guard
that turns Ctrl-C, SIGTERM and errors into one Chinese line and an exit code (no traceback,
unless `--debug`).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NoReturn

import duckdb

from etl.errors import JixiaoError
from etl.pipeline import OS_REASONS

SUMMARY_LIST_MAX = 50  # paths listed per kind in the summary; the files table holds them all
MIN_MEMORY = 128 << 20
INTERRUPTED = "已中断（Ctrl-C）：未完成的载入不会写入数据库，数据库保持中断前的状态。"
TERMINATED = "已被终止（SIGTERM）：未完成的载入不会写入数据库，数据库保持终止前的状态。"
INTERNAL = "内部错误，命令未完成；数据库保持原状。加 --debug 可查看详细信息，请反馈给维护者。"
EXIT_ERROR, EXIT_REFUSED, EXIT_INTERRUPTED, EXIT_BROKEN_PIPE, EXIT_TERMINATED = 1, 2, 130, 141, 143

# argparse's own messages, in Chinese (the rest of its text is ours already).
_ARGPARSE_ZH = [
    (re.compile(r"the following arguments are required: (.*)"), "缺少参数：{0}"),
    (re.compile(r"unrecognized arguments: (.*)"), "无法识别的参数：{0}"),
    (re.compile(r"argument (\S+): invalid int value: (.*)"), "参数 {0} 须为整数，收到 {1}"),
    (re.compile(r"argument (\S+): expected one argument"), "参数 {0} 缺少取值"),
    (re.compile(r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)"), "参数 {0} 的取值 {1} 无效，可选：{2}"),
    (re.compile(r"argument (\S+): (.*)"), "参数 {0}：{1}"),
]


class ChineseParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        for pattern, zh in _ARGPARSE_ZH:
            if m := pattern.fullmatch(message):
                message = zh.format(*m.groups())
                break
        self.print_usage(sys.stderr)
        self.exit(EXIT_REFUSED, f"{self.prog}：参数错误：{message}\n")


def add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--debug", action="store_true", help="出错时显示完整的错误堆栈（排查问题用）")


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"须为正数（秒），收到 {text!r}")
    return value


_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?", re.IGNORECASE)


def size_bytes(text: str) -> int:
    """`512M`, `2G`, `1.5GiB`, `0` (no limit); a bare number is MiB."""
    m = _SIZE.fullmatch(text.strip())
    if not m:
        raise argparse.ArgumentTypeError(f"无法识别的大小 {text!r}（示例：512M、2G；0 为不限）")
    unit = m[2].lower() or "m"
    value = int(float(m[1]) * (1 << (10 * "kmgt".index(unit) + 10)))
    if 0 < value < MIN_MEMORY:
        raise argparse.ArgumentTypeError(f"内存上限至少 128M（收到 {text!r}），否则解析进程无法启动")
    return value


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that every `finally` and `with` cleans up."""


@contextmanager
def _sigterm_raises() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def raise_terminated(signum: int, frame: object) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_guarded(command: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a command; every way it can end becomes an exit code and at most one Chinese line."""
    debug = getattr(args, "debug", False)
    try:
        with _sigterm_raises():
            return command(args)
    except (KeyboardInterrupt, duckdb.InterruptException):
        return _say(INTERRUPTED, EXIT_INTERRUPTED)
    except Terminated:
        return _say(TERMINATED, EXIT_TERMINATED)
    except JixiaoError as exc:
        if debug:
            raise
        return _say(exc.message, EXIT_REFUSED)
    except BrokenPipeError:  # the reader of our output went away (`| head`): end quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        if debug:
            raise
        where = f"（{exc.filename}）" if exc.filename else ""
        return _say(f"文件操作失败{where}：{OS_REASONS.get(exc.errno or 0, f'系统错误（错误码 {exc.errno}）')}。",
                    EXIT_ERROR)
    except Exception:
        if debug:
            raise
        return _say(INTERNAL, EXIT_ERROR)


def _say(message: str, code: int) -> int:
    print(message, file=sys.stderr, flush=True)
    return code
