"""Project-wide pytest hooks.

With NNBOOK_NO_SKIPS=1 (set by .ci/run) a skipped test fails the run: in CI everything
the suite should test must actually run.
"""

import os

_skipped = []


def pytest_runtest_logreport(report):
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
