"""The functions Chapter 1 defines in its own cells agree with the package's reference
versions (nnbook_utils.neuron) on the same seeded inputs.

The chapter's code cells are run in order in a fresh namespace (matplotlib draws off
screen), then its functions are compared with the package's."""

import numpy as np
import pytest

from helpers import ROOT, run_chapter
from nnbook_utils import data, neuron

CHAPTER_1 = ROOT / "chapters" / "01_smallest_network.ipynb"


@pytest.fixture(scope="module")
def ch1():
    return run_chapter(CHAPTER_1)


@pytest.fixture
def inputs():
    rng = np.random.default_rng(42)
    x = rng.uniform(-3, 3, size=25)  # (25,)
    y = rng.normal(size=25)  # (25,)
    ws = rng.uniform(-2, 2, size=7)  # (7,)
    return x, y, ws


def test_predict_loss_and_gradients_agree(ch1, inputs):
    x, y, ws = inputs
    for w in ws:
        assert np.allclose(ch1["predict"](w, x), neuron.predict(w, x))
        assert np.allclose(ch1["loss"](w * x, y), neuron.loss(w * x, y))
        assert np.allclose(ch1["grad"](w, x, y), neuron.grad(w, x, y))
        assert ch1["mean_loss"](w, x, y) == pytest.approx(neuron.mean_loss(w, x, y), rel=1e-12)
        assert ch1["mean_grad"](w, x, y) == pytest.approx(neuron.mean_grad(w, x, y), rel=1e-12)
        assert ch1["mean_grad_loop"](w, x, y) == pytest.approx(neuron.mean_grad(w, x, y), rel=1e-12)


def test_training_agrees(ch1, inputs):
    x, y, _ = inputs
    lr = 0.5 * neuron.lr_bound(x) * 0.9
    ws_chapter, losses_chapter = ch1["train"](0.3, x, y, lr, 20)
    reference = neuron.train(0.3, x, y, lr, 20)
    assert np.allclose(ws_chapter, reference.w, rtol=1e-12)
    assert np.allclose(losses_chapter, reference.loss, rtol=1e-12)


def test_data_and_derived_quantities_agree(ch1):
    x, y = data.km_to_miles(n=10, noise=0.05, rng=np.random.default_rng(0))
    assert np.array_equal(ch1["x"], x) and np.array_equal(ch1["y"], y)
    assert ch1["w_star"] == pytest.approx(neuron.best_w(x, y), rel=1e-12)
    assert ch1["lr_max"] == pytest.approx(neuron.lr_bound(x), rel=1e-12)
    assert ch1["lr_best"] == pytest.approx(neuron.lr_bound(x) / 2, rel=1e-12)


def test_exercise_solutions_pass_their_checks(ch1):
    from nnbook_utils import checks

    assert checks.check_steps_to_tolerance(ch1["steps_to_tolerance"])
    assert checks.check_abs_loss_grad(ch1["abs_loss_grad"])
    assert checks.check_bias_grads(ch1["bias_grads"])
