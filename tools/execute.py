"""Execute chapter notebooks top to bottom and store their outputs (and widget state).

    python tools/execute.py chapters/01_smallest_network.ipynb [...]
    python tools/execute.py --all

This is the only way the book's notebooks get their outputs: a fresh kernel, every cell
in order, outputs written back into the .ipynb. nbval (`make test`) then proves that a
fresh run prints exactly what is stored. Widget state is stored too, so the website can
show the widgets without a kernel.

Each cell has CELL_TIMEOUT seconds (a cell that truly needs longer says so in its
metadata, ``"nnbook": {"timeout": 300}``), so a kernel that hangs fails within about two
minutes, with a message that names the notebook and the cell, instead of stalling a run.

The client looks at the kernel's channels again at least every POLL_SLICE seconds
(:class:`SlicedKernelClient`). Without that, a widget cell sometimes waits for its whole
time limit and then goes on: the kernel has sent its reply and is idle, but the client's
event loop was not woken for it and finds it only at its final poll when the limit runs
out (both processes idle in py-spy; nbclient issue 312; measured with benchmarks/soak.py).
"""

import argparse
import json
import os
import queue
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from paths import ROOT, chapters

#: Seconds a cell may run. Every chapter runs in under 20 s in all; a cell that truly needs
#: longer sets its own limit in its metadata (see cell_timeout). nbval uses the same limits
#: (the root conftest.py).
CELL_TIMEOUT = 120


def cell_timeout(cell):
    """The time limit of one cell: its metadata's ``nnbook.timeout``, else CELL_TIMEOUT."""
    return int(cell.get("metadata", {}).get("nnbook", {}).get("timeout", CELL_TIMEOUT))


#: Seconds the client waits on a channel before it looks again (see SlicedKernelClient).
POLL_SLICE = 1.0


class SlicedChannel(AsyncZMQSocketChannel):
    """A kernel channel whose ``get_msg(timeout)`` waits in slices of at most POLL_SLICE
    seconds. Each slice ends with a fresh look at the socket, so a message whose wake-up
    the event loop missed is read within POLL_SLICE seconds instead of at the timeout."""

    async def get_msg(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                return await super().get_msg(timeout=POLL_SLICE if left is None else min(POLL_SLICE, left))
            except queue.Empty:
                if left is not None and left <= POLL_SLICE:
                    raise  # the whole timeout has passed


class SlicedKernelClient(AsyncKernelClient):
    """The async kernel client with :class:`SlicedChannel` for the shell and IOPub channels."""

    shell_channel_class = SlicedChannel
    iopub_channel_class = SlicedChannel


class _Client(NotebookClient):
    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        km.client_factory = SlicedKernelClient
        return km


class ExecutionStalled(RuntimeError):
    """A cell did not finish within its limit, or the kernel died: names notebook and cell."""


def execute(path, env=None, store=True, on_cell_start=None):
    """Run the notebook at ``path`` in a fresh kernel; write its outputs back if ``store``.

    ``env``: the kernel's whole environment (default: this process's). ``on_cell_start``:
    called with ``(cell, cell_index)`` as each cell starts (benchmarks/soak.py watches the
    cells with it). Returns the executed notebook and the seconds it took. Raises
    ExecutionStalled naming the cell that hung."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    current = {}

    def started(cell, cell_index):
        current["index"] = cell_index
        if on_cell_start is not None:
            on_cell_start(cell, cell_index)

    client = _Client(nb, timeout_func=cell_timeout, kernel_name="python3",
                            store_widget_state=True, record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}},
                            on_cell_start=started)
    start = time.perf_counter()
    try:
        client.execute(**({} if env is None else {"env": env}))
    except (CellTimeoutError, DeadKernelError) as err:
        i = current.get("index")
        what = ("did not finish within its limit of "
                f"{cell_timeout(nb.cells[i])} s" if isinstance(err, CellTimeoutError) else "lost its kernel")
        raise ExecutionStalled(
            f"{path.name}, cell {i} (code cell {_code_number(nb, i)}) {what}. If the cell was "
            "idle rather than busy, the kernel dropped a request: see benchmarks/soak.py, which "
            f"dumps both processes' stacks when that happens.\n{err}") from None
    seconds = time.perf_counter() - start
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = _merged_streams(cell.outputs)
    if not _has_widgets(nb):
        nb.metadata.pop("widgets", None)
    nbformat.validate(nb)
    if store:
        nbformat.write(nb, path)
    return nb, seconds


def _merged_streams(outputs):
    """Consecutive stream outputs of the same stream joined into one. Under load the kernel's
    flush timer can cut one print into two chunks; joined, the stored notebook is the same
    whatever the machine was doing (nbval joins them too when it compares)."""
    merged = []
    for out in outputs:
        if (out.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == out.get("name")):
            merged[-1]["text"] += out["text"]
        else:
            merged.append(out)
    return merged


def _code_number(nb, index):
    return sum(c.cell_type == "code" for c in nb.cells[:index + 1])


def _has_widgets(nb):
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    return bool(state.get("state"))


# ------------------------------------------------------------------ the other floating-point path
def other_path_env():
    """The environment of a second floating-point path on this machine: numpy's SIMD targets
    above its baseline switched off (NPY_DISABLE_CPU_FEATURES, naming those this CPU has),
    and OpenBLAS on an older core type than the one it picked (OPENBLAS_CORETYPE).

    On an AVX-512 machine this runs neither its AVX-512 nor the AVX2 kernels; on an AVX2
    machine, not its AVX2 kernels: both differ from the path the stored outputs were made
    on, which is what a reader's other CPU does too. Returns ``(env, description)``."""
    here = _numpy_paths(os.environ)
    env = dict(os.environ, NPY_DISABLE_CPU_FEATURES=" ".join(here["above_baseline"]),
               OPENBLAS_CORETYPE="Core2" if here["openblas"] == "Nehalem" else "Nehalem")
    return env, (f"numpy without {env['NPY_DISABLE_CPU_FEATURES'] or '(nothing above baseline)'}, "
                 f"OpenBLAS {env['OPENBLAS_CORETYPE']} instead of {here['openblas']}")


def _numpy_paths(env):
    """What a fresh Python started with ``env`` runs: numpy's dispatched SIMD targets that
    are on, and OpenBLAS's core type."""
    code = ("import json, numpy, threadpoolctl\n"
            "from numpy._core import _multiarray_umath as m\n"
            "on = [f for f in m.__cpu_dispatch__ if m.__cpu_features__.get(f)]\n"
            "blas = [i['architecture'] for i in threadpoolctl.threadpool_info()\n"
            "        if i['internal_api'] == 'openblas']\n"
            "print(json.dumps({'above_baseline': on, 'openblas': blas[0] if blas else None}))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


# ---------------------------------------------------------------- the measured times
#: Each chapter's measured execution time, recorded by ``make execute``; the workshop page
#: (book/workshop.md) shows them and tests/test_workshop.py checks that it shows these.
TIMES_FILE = ROOT / "book" / "execution_times.json"


def title(nb):
    """A notebook's title: the text of its first ``# `` heading."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    raise ValueError("the notebook has no '# Title' heading")


def record_time(path, nb, seconds, file=TIMES_FILE):
    """Store that the chapter at ``path`` (executed as ``nb``) took ``seconds``, with the
    date and the machine's cores and load, in ``file`` (a JSON object keyed by the
    chapter's file name without .ipynb). Other chapters' entries are kept."""
    file = Path(file)
    times = json.loads(file.read_text()) if file.exists() else {}
    times.setdefault("about", "Seconds each chapter took in `make execute` (a fresh kernel, "
                              "every cell); written by tools/execute.py, shown on book/workshop.md.")
    entry = {"title": title(nb), "seconds": round(seconds, 1),
             "measured": time.strftime("%Y-%m-%d"), "cpus": os.cpu_count(),
             "load": round(os.getloadavg()[0], 1)}
    times.setdefault("chapters", {})[Path(path).stem] = entry
    times["chapters"] = dict(sorted(times["chapters"].items()))
    file.write_text(json.dumps(times, indent=1) + "\n")


#: The page that shows the times, in its block ``<!-- times: ... -->`` ... ``<!-- /times -->``.
WORKSHOP_PAGE = ROOT / "book" / "workshop.md"


def show_times(file=TIMES_FILE, page=WORKSHOP_PAGE):
    """Write the table of ``file``'s times into the workshop page's times block."""
    from nnbook_utils.workshop import times_table, with_block
    page = Path(page)
    page.write_text(with_block(page.read_text(), "times", times_table(file)))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", help="notebooks to execute")
    parser.add_argument("--all", action="store_true", help="execute every chapter in chapters/")
    args = parser.parse_args(argv)
    paths = chapters() if args.all else [Path(p) for p in args.notebooks]
    if not paths:
        parser.error("name at least one notebook, or pass --all")
    for path in paths:
        if not path.exists():
            parser.error(f"no such notebook: {path}")
        print(f"executing {path} ...", flush=True)
        nb, seconds = execute(path)
        print(f"  done in {seconds:.1f} s", flush=True)
        if path.resolve() in chapters():  # a chapter of the book: its time goes on the workshop page
            record_time(path, nb, seconds)
            show_times()
            print(f"  recorded in {TIMES_FILE.relative_to(ROOT)} and {WORKSHOP_PAGE.relative_to(ROOT)}",
                  flush=True)


if __name__ == "__main__":
    sys.exit(main())
