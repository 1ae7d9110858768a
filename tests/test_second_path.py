"""The figures stored in the chapters are what a fresh run draws.

nbval compares the text outputs of every cell but skips images. This test re-executes
each chapter with the project's own command (tools/execute.py) into a temporary copy and
compares every stored figure, including those inside the widgets' stored state, pixel by
pixel with the fresh one (a tiny tolerance absorbs anti-aliasing differences)."""

import base64
import io
import shutil

import matplotlib.image
import numpy as np
import pytest

from helpers import CHAPTERS, code_cells, read
from execute import execute  # noqa: I001  (tools/, put on the path by helpers)


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
    assert fraction < 0.002, f"{where}: {fraction:.1%} of the pixels differ from a fresh run"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_stored_figures_are_what_a_fresh_run_draws(path, tmp_path):
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    execute(copy)
    stored, fresh = read(path), read(copy)
    stored_cells, fresh_cells = cell_images(stored), cell_images(fresh)
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
