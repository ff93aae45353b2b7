"""Run a command and measure it: wall time, the process's own peak RSS and each child's.

The children (a worker pool) are found through /proc while the command runs; their
peak RSS is `VmHWM` (the kernel's high-water mark), which only grows, so the last
value read before a child exits is its peak up to a polling interval.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(slots=True)
class Run:
    seconds: float
    returncode: int
    peak_rss_mb: float  # the command's process itself (polled high-water mark)
    tree_peak_mb: float  # the largest process of the tree (ru_maxrss from wait4)
    cpu_s: float  # user + system CPU of the whole tree
    others_cores: float  # CPU the rest of the machine used meanwhile, in cores (0 = quiet)
    child_peaks_mb: dict[int, float] = field(default_factory=dict)  # pid -> peak RSS of each child
    stdout: str = ""
    stderr: str = ""

    @property
    def worker_peak_mb(self) -> float:
        """The largest child's peak, or the process's own when it had no children (one worker)."""
        return max(self.child_peaks_mb.values(), default=self.peak_rss_mb)


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            out += [int(p) for p in task.read_text().split()]
    except OSError:  # the process or one of its threads ended meanwhile
        pass
    return out


def _hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _poll(pid: int, peaks: dict[int, float], stop: threading.Event, every: float) -> None:
    """peaks[pid] is the process itself, the other keys its children."""
    while not stop.is_set():
        for child in (pid, *_children(pid)):
            mb = _hwm_mb(child)
            if mb is not None:
                peaks[child] = max(peaks.get(child, 0.0), mb)
        stop.wait(every)


def busy_seconds() -> float:
    """CPU time the whole machine has spent busy since boot (all cores), from /proc/stat."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def measure(cmd: list[str], env: dict[str, str] | None = None, cwd: str | Path | None = None,
            poll_every: float = 0.05) -> Run:
    """Run `cmd` to completion; never raises on a non-zero exit (the caller reports it)."""
    peaks: dict[int, float] = {}
    stop = threading.Event()
    busy0, t = busy_seconds(), time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    poller = threading.Thread(target=_poll, args=(proc.pid, peaks, stop, poll_every), daemon=True)
    poller.start()
    out_chunks: list[str] = []
    err_chunks: list[str] = []
    readers = [threading.Thread(target=lambda s=s, b=b: b.append(s.read()), daemon=True)
               for s, b in ((proc.stdout, out_chunks), (proc.stderr, err_chunks))]
    for r in readers:
        r.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    busy = busy_seconds() - busy0
    proc.returncode = os.waitstatus_to_exitcode(status)
    stop.set()
    for th in (*readers, poller):
        th.join()
    # ru_maxrss (KiB) of a waited child covers its waited-for descendants too.
    tree = usage.ru_maxrss / 1024
    own = peaks.pop(proc.pid, tree)
    cpu = usage.ru_utime + usage.ru_stime
    others = max(0.0, (busy - cpu) / seconds) if seconds else 0.0
    return Run(seconds, proc.returncode, own, tree, cpu, others, peaks, "".join(out_chunks), "".join(err_chunks))


SPIN = "x = 0\nfor i in range(20_000_000):\n    x += i\n"


def machine_speedup() -> float:
    """What two processes gain over one on this machine right now, on a pure Python loop.

    A virtual machine's two cores may not deliver twice the work of one (the host shares
    them): this is the ceiling for any two-worker speed-up measured at the same time.
    """
    cmd = [sys.executable, "-c", SPIN]
    t = time.perf_counter()
    subprocess.run(cmd, check=True)
    alone = time.perf_counter() - t
    t = time.perf_counter()
    procs = [subprocess.Popen(cmd) for _ in range(2)]
    for p in procs:
        p.wait()
    return 2 * alone / (time.perf_counter() - t)
