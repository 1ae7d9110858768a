"""Project-wide pytest hooks.

Before the tests, matplotlib's font cache is built (see pytest_configure).

nbval gives each notebook cell the same limit as tools/execute.py (CELL_TIMEOUT, or the
cell's own ``nnbook.timeout``), so a kernel that hangs fails that cell within about two
minutes, named as ``chapters/NN_name.ipynb::Cell K``, instead of stalling the run.

With NNBOOK_NO_SKIPS=1 (set by .ci/run) a skipped test fails the run: in CI everything
the suite should test must actually run.
"""

import os
import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parent / "tools"

_skipped = []


def pytest_runtest_setup(item):
    cell = getattr(item, "cell", None)  # an nbval item: one notebook cell
    if cell is not None and hasattr(item.config.option, "nbval_cell_timeout"):
        if str(TOOLS) not in sys.path:
            sys.path.insert(0, str(TOOLS))
        from execute import cell_timeout  # tools/execute.py: one definition of the limits

        item.config.option.nbval_cell_timeout = cell_timeout(cell)


def pytest_configure(config):
    # Build matplotlib's font cache (if missing) before any notebook kernel starts, so
    # that no chapter prints "Matplotlib is building the font cache" in nbval's run.
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_collectreport(report):
    # a whole module skipped while collecting (e.g. pytest.importorskip)
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("NNBOOK_NO_SKIPS") == "1" and _skipped and exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if os.environ.get("NNBOOK_NO_SKIPS") == "1" and _skipped:
        terminalreporter.write_line(
            f"NNBOOK_NO_SKIPS=1: {len(_skipped)} skipped test(s) fail this run: " + ", ".join(_skipped),
            red=True,
        )
