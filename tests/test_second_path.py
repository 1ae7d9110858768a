"""The stored outputs are what a fresh run prints and draws on another floating-point path.

nbval (in `make test`) re-runs every chapter on this machine's own path and compares the
text outputs, but skips images. This test re-executes each chapter with the project's own
command (tools/execute.py) into a temporary copy, on a second floating-point path: numpy's
SIMD targets above its baseline switched off and OpenBLAS on an older core type
(tools/execute.py, other_path_env). It then compares every text output (sanitized as nbval
sanitizes it) and every stored figure, including those inside the widgets' stored state,
pixel by pixel with the fresh ones (a tiny tolerance absorbs anti-aliasing differences).

What it proves: the stored outputs do not depend on the CPU they were made on. An AVX-512
machine and an AVX2 machine round differently (the order of SIMD sums, the BLAS kernel);
here each runs a path that differs from its own, so an output that prints rounding noise,
or a result that flips on the last bit, fails on either kind of machine, not only on the
kind that did not execute the chapter."""

import base64
import configparser
import io
import re
import shutil

import matplotlib.image
import numpy as np
import pytest

from helpers import CHAPTERS, ROOT, code_cells, read
from execute import _numpy_paths, execute, other_path_env  # noqa: I001  (tools/, put on the path by helpers)

OTHER_ENV, OTHER_PATH = other_path_env()
# The tag of a cell whose output is a timing (seconds measured on this machine, or a figure
# of them): its text and figures are exempt, and the cell says why in a comment. The claims
# made from timings are ratios that the cell asserts with a wide margin, so they still run.
TIMING = "nnbook-timing"


def test_the_other_path_really_differs_from_this_one():
    here, there = _numpy_paths(None), _numpy_paths(OTHER_ENV)
    assert there["openblas"] == OTHER_ENV["OPENBLAS_CORETYPE"] != here["openblas"], OTHER_PATH
    assert there["above_baseline"] == [], OTHER_PATH  # only the baseline's kernels are left


def sanitizers():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "tests" / "nbval_sanitize.cfg")
    return [(re.compile(cfg[s]["regex"]), cfg[s]["replace"]) for s in cfg.sections()]


def cell_text(cell, rules):
    """The text nbval compares: streams and text/plain, sanitized."""
    text = "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in cell.outputs)
    for regex, replace in rules:
        text = regex.sub(replace, text)
    return text


def cell_images(nb):
    return [[o.data["image/png"] for o in c.outputs if "image/png" in o.get("data", {})] for c in code_cells(nb)]


def widget_images(nb):
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    outputs = [o for model in state.values() for o in model.get("state", {}).get("outputs", [])]
    return [o["data"]["image/png"] for o in outputs if "image/png" in o.get("data", {})]


def pixels(png_base64):
    return matplotlib.image.imread(io.BytesIO(base64.b64decode(png_base64)), format="png")


def differing(stored, fresh):
    """The fraction of pixels that differ visibly (1.0 if the sizes differ)."""
    a, b = pixels(stored), pixels(fresh)
    if a.shape != b.shape:
        return 1.0
    return float(np.mean(np.any(np.abs(a - b) > 0.1, axis=-1)))


def assert_same_picture(stored, fresh, where):
    fraction = differing(stored, fresh)
    assert fraction < 0.002, f"{where}: {fraction:.1%} of the pixels differ from a fresh run ({OTHER_PATH})"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_a_run_on_the_other_path_prints_and_draws_what_is_stored(path, tmp_path):
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    fresh, _ = execute(copy, env=OTHER_ENV, store=False)
    stored = read(path)
    rules = sanitizers()
    for n, (old, new) in enumerate(zip(code_cells(stored), code_cells(fresh)), start=1):
        if "nbval-ignore-output" in old.metadata.get("tags", []):
            continue  # as nbval: widget reprs (the figures inside are compared below)
        assert cell_text(new, rules) == cell_text(old, rules), f"code cell {n} prints differently ({OTHER_PATH})"
    stored_cells, fresh_cells = cell_images(stored), cell_images(fresh)
    for n, cell in enumerate(code_cells(stored)):
        if TIMING in cell.metadata.get("tags", []):  # measured seconds: never the same twice
            stored_cells[n] = fresh_cells[n] = []
    assert any(stored_cells), "the chapter has figures"
    assert [len(i) for i in stored_cells] == [len(i) for i in fresh_cells], "figures added or missing"
    for n, (old, new) in enumerate(zip(stored_cells, fresh_cells), start=1):
        for a, b in zip(old, new):
            assert_same_picture(a, b, f"code cell {n}")
    stored_widgets, fresh_widgets = widget_images(stored), widget_images(fresh)
    assert len(stored_widgets) == len(fresh_widgets)
    # widget models are keyed by random ids, so pair each stored figure with its closest fresh one
    for n, a in enumerate(stored_widgets, start=1):
        closest = min(fresh_widgets, key=lambda b: differing(a, b))
        assert_same_picture(a, closest, f"widget figure {n}")
