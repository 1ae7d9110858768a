"""Fixtures shared by the website tests (tests/test_book.py, tests/test_browser.py):
the site is built once per test session."""

import subprocess
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from helpers import ROOT

JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"


@pytest.fixture(scope="session")
def html(tmp_path_factory):
    """The website, built from this checkout with warnings as errors, in a temporary
    folder (so that the tests never touch _build/html). Returns its html folder."""
    out = tmp_path_factory.mktemp("book")
    result = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(ROOT), "--path-output", str(out), "-W", "-n", "--keep-going"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, f"the book does not build cleanly:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return out / "_build" / "html"


@pytest.fixture(autouse=True)
def close_figures():
    """Close the figures a test drew (matplotlib draws off screen: the root conftest.py
    selects the Agg backend before any test runs)."""
    yield
    plt.close("all")
