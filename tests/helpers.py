"""Shared helpers for the tests: where things are, and how to read the chapters."""

import os
import re
import sys
from pathlib import Path

import nbformat
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from paths import ROOT, chapters  # noqa: E402  (the tools' definition of a chapter)

CHAPTERS = chapters()

# The browser tests (test_browser, test_jupyterlab, test_slides) drive the system's Chromium.
CHROMIUM = Path(os.environ.get("NNBOOK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def browser_problems():
    """What a browser test lacks here: the python package playwright, or Chromium."""
    problems = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("the python package playwright (`make test` installs it)")
    if not CHROMIUM.exists():
        problems.append(f"Chromium at {CHROMIUM} (Debian/Ubuntu: `sudo apt-get install chromium`; "
                        "elsewhere set NNBOOK_CHROMIUM to a Chromium or Chrome binary)")
    return problems


def skip_or_fail(message):
    """A test that cannot run here: skipped, saying why; in CI (NNBOOK_NO_SKIPS=1, .ci/run)
    a failure, since everything the suite should test must run there."""
    import pytest

    if os.environ.get("NNBOOK_NO_SKIPS") == "1":
        pytest.fail(message)
    pytest.skip(message)

# A labelled display equation: $$ ... $$ (label)
EQ_LABEL = re.compile(r"\$\$[ \t]*\(([A-Za-z0-9_-]+)\)")
# An equation cited in a code comment: # (eq-ch1-grad) ... (every one on the line)
EQ_CITATION = re.compile(r"\((eq-[A-Za-z0-9_-]+)\)")
# A prose reference: {eq}`label`
EQ_REFERENCE = re.compile(r"\{eq\}`([^`]+)`")


def read(path):
    return nbformat.read(path, as_version=4)


def markdown(nb):
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]


def labels(nb):
    return [m for text in markdown(nb) for m in EQ_LABEL.findall(text)]


def citations(cell_source):
    """The equation labels cited in the comments of a code cell (the text after '#')."""
    return {m for line in cell_source.splitlines() if "#" in line
            for m in EQ_CITATION.findall(line.split("#", 1)[1])}


def toc_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            files.append(chapter["file"])
            files += [s["file"] for s in chapter.get("sections", [])]
    return files


def config():
    return yaml.safe_load((ROOT / "_config.yml").read_text())


def run_chapter(path):
    """Run a chapter's code cells in order in a fresh namespace (figures drawn off screen,
    then closed) and return the namespace: the functions and values the chapter defined."""
    import matplotlib
    from IPython.core.inputtransformer2 import TransformerManager

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ipython_to_python = TransformerManager().transform_cell  # e.g. a %pip line, as Jupyter does
    namespace = {"__name__": f"chapter_{path.stem[:2]}"}
    for cell in code_cells(read(path)):
        source = ipython_to_python(cell.source)
        exec(compile(source, f"{path.name}:{cell.execution_count}", "exec"), namespace)
    plt.close("all")
    return namespace


def check_against_finite_differences(engine, X, y, l2, loss, rtol, atol):
    """``engine.loss_and_grad`` (graph, layers or schedule) against central differences of
    ``engine.loss`` in every parameter; the parameters are restored afterwards."""
    import numpy as np
    import pytest

    from nnbook_utils.gradcheck import numeric_grad

    value, grad = engine.loss_and_grad(X, y, loss=loss, l2=l2)
    theta = engine.parameters()

    def loss_at(t):
        engine.set_parameters(t)
        return engine.loss(X, y, loss=loss, l2=l2)

    numeric = numeric_grad(loss_at, theta)
    assert value == pytest.approx(loss_at(theta), rel=1e-12)  # (and theta is back)
    np.testing.assert_allclose(grad, numeric, rtol=rtol, atol=atol)
