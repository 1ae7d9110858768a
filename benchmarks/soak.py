"""Soak: execute every chapter many times, each in a fresh kernel, and count the hangs.

    python benchmarks/soak.py [--runs 20] [--stall-after 60] [chapters ...]

Each run executes a temporary copy of a chapter exactly as `make execute` does
(tools/execute.py: a fresh kernel, widget state stored, each cell limited to its time
limit). A run that stalls is a hang: ipykernel 7.x can drop a shell request, and then the
kernel sits idle while the client waits for a reply that never comes (ipykernel issue 1554;
pyproject.toml pins the 6.31 line for it). When a cell has run for longer than
``--stall-after`` seconds, the script takes a stack dump of both processes with py-spy
(installed by the `bench` extra): the notebook client (this process) and the kernel, so
that the report shows who waits for whom, and records how long the cell took in the end.
It prints one line per run and a summary (hangs, failures, cells that stalled), and
exits 1 if any run hung or failed.

This is not a timed test and not part of `make test` (100 executions take about 15
minutes on 2 cores): run it with `make soak` after changing the kernel or client pins.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from execute import ExecutionStalled, execute  # noqa: E402
from paths import chapters  # noqa: E402


def kernel_pids():
    """The ipykernel processes started by this process (children whose command line says so)."""
    me, pids = os.getpid(), []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == me and "ipykernel" in cmd:
            pids.append(int(proc.name))
    return pids


def dump_stacks(where):
    """py-spy dumps of the client (this process) and its kernels, as one text."""
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(py_spy).exists():
        return f"(no stack dump at {where}: py-spy is not installed; `pip install -e .[bench]`)"
    parts = [f"stack dumps at {where}"]
    for role, pid in [("client", os.getpid())] + [("kernel", p) for p in kernel_pids()]:
        out = subprocess.run([py_spy, "dump", "--pid", str(pid)], capture_output=True, text=True, timeout=60)
        parts.append(f"--- {role} (pid {pid}) ---\n{out.stdout}{out.stderr}")
    return "\n".join(parts)


class Watchdog:
    """Dumps both processes' stacks once a cell has run for ``stall_after`` seconds, and
    records how long each such stalled cell took in the end."""

    def __init__(self, stall_after):
        self.stall_after, self.started, self.cell, self.where = stall_after, None, None, ""
        self.dumps, self.stalls = [], []  # stalls: (where, cell, seconds the cell took)
        self._stalled = None
        self._tick = threading.Event()
        threading.Thread(target=self._watch, daemon=True).start()

    def on_cell_start(self, cell, cell_index):
        self._finish_stall()
        self.started, self.cell = time.monotonic(), cell_index

    def stop(self):
        self._finish_stall()
        self.started = None

    def _finish_stall(self):
        if self._stalled is not None:
            where, cell, started = self._stalled
            self.stalls.append((where, cell, time.monotonic() - started))
            self._stalled = None

    def _watch(self):
        while not self._tick.wait(1.0):
            started, cell = self.started, self.cell
            if started is not None and self._stalled is None and time.monotonic() - started > self.stall_after:
                self._stalled = (self.where, cell, started)  # one dump per stalled cell
                self.dumps.append(dump_stacks(f"{self.where}, cell {cell}, after {self.stall_after} s"))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path, help="chapters to soak (default: all)")
    parser.add_argument("--runs", type=int, default=20, help="executions of each chapter (default 20)")
    parser.add_argument("--stall-after", type=float, default=60.0,
                        help="seconds a cell may run before both stacks are dumped (default 60)")
    args = parser.parse_args(argv)
    paths = args.notebooks or chapters()
    watchdog = Watchdog(args.stall_after)
    hangs, failures, seconds = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(1, args.runs + 1):
            for path in paths:
                copy = Path(tmp) / path.name
                shutil.copy(path, copy)  # the copy sits beside nothing: chapters need only the package
                watchdog.where = f"run {run} {path.name}"
                start = time.perf_counter()
                try:
                    execute(copy, store=False, on_cell_start=watchdog.on_cell_start)
                    status = "ok"
                except ExecutionStalled as err:
                    hangs.append((run, path.name, str(err).splitlines()[0]))
                    status = "HANG"
                except Exception as err:  # noqa: BLE001  (a crash is reported, then the soak goes on)
                    failures.append((run, path.name, f"{type(err).__name__}: {err}"[:300]))
                    status = "FAILED"
                finally:
                    watchdog.stop()
                seconds.append(time.perf_counter() - start)
                print(f"run {run:2d}  {path.stem:32s} {seconds[-1]:6.1f} s  {status}", flush=True)
    n = len(seconds)
    print(f"\n{n} executions of {len(paths)} chapter(s), {args.runs} each, in fresh kernels: "
          f"{len(hangs)} hang(s), {len(failures)} failure(s); "
          f"median {sorted(seconds)[n // 2]:.1f} s, longest {max(seconds):.1f} s per execution")
    for run, name, why in hangs + failures:
        print(f"  run {run} {name}: {why}")
    print(f"{len(watchdog.stalls)} cell(s) ran past --stall-after={args.stall_after:g} s and then finished:")
    for where, cell, took in watchdog.stalls:
        print(f"  {where}, cell {cell}: {took:.1f} s")
    for dump in watchdog.dumps:
        print("\n" + dump)
    return 1 if hangs or failures else 0


if __name__ == "__main__":
    sys.exit(main())
