"""The functions Chapter 2 defines in its own cells agree with the package's reference
versions (nnbook_utils.linear) on the same seeded inputs, and the chapter's gradient
descent reaches the exact least-squares solution.

The chapter's code cells are run in order in a fresh namespace (matplotlib draws off
screen), then its functions are compared with the package's."""

import numpy as np
import pytest

from helpers import ROOT, run_chapter
from nnbook_utils import checks, data, linear

CHAPTER_2 = ROOT / "chapters" / "02_bias_and_many_inputs.ipynb"


@pytest.fixture(scope="module")
def ch2():
    return run_chapter(CHAPTER_2)


@pytest.fixture
def inputs():
    rng = np.random.default_rng(42)
    X = rng.uniform(-3, 3, size=(25, 3)) * np.array([1.0, 20.0, 0.1])  # (25, 3)
    y = rng.normal(size=25)  # (25,)
    thetas = rng.uniform(-2, 2, size=(6, 4))  # (6, 4) six (w, b)
    return X, y, thetas


def test_model_loss_and_gradients_agree(ch2, inputs):
    X, y, thetas = inputs
    for theta in thetas:
        w, b = theta[:-1], theta[-1]
        reference = linear.predict(w, b, X)
        assert np.allclose(ch2["predict"](w, b, X), reference)
        assert np.allclose([ch2["predict_one"](w, b, row) for row in X], reference)
        assert ch2["mean_loss"](w, b, X, y) == pytest.approx(linear.mean_loss(w, b, X, y), rel=1e-12)
        ref_w, ref_b = linear.mean_grad(w, b, X, y)
        for name in ["mean_grad", "mean_grad_loop", "mean_grad_with_loops"]:
            dL_dw, dL_db = ch2[name](w, b, X, y)
            assert np.allclose(dL_dw, ref_w, rtol=1e-12) and dL_db == pytest.approx(ref_b, rel=1e-12), name
        per_example = [ch2["grad"](w, b, X[k], y[k]) for k in range(len(y))]
        assert np.allclose(np.mean([g[0] for g in per_example], axis=0), ref_w)
        assert np.mean([g[1] for g in per_example]) == pytest.approx(ref_b)


def test_least_squares_curvature_and_scaling_agree(ch2, inputs):
    X, y, _ = inputs
    w, b = ch2["least_squares"](X, y)
    w_ref, b_ref = linear.least_squares(X, y)
    assert np.allclose(w, w_ref) and b == pytest.approx(b_ref)
    assert np.allclose(ch2["curvature"](X), linear.curvature(X))
    assert np.allclose(ch2["with_ones"](X), linear.with_ones(X))
    for name in ["standardize", "my_standardize"]:
        for got, ref in zip(ch2[name](X), linear.standardize(X)):
            assert np.allclose(got, ref), name
    _, mu, s = linear.standardize(X)
    w_s = np.array([0.3, -1.0, 2.0])
    for name in ["unscale", "my_unscale"]:
        w_back, b_back = ch2[name](w_s, 0.7, mu, s)
        w_ref, b_ref = linear.unscale(w_s, 0.7, mu, s)
        assert np.allclose(w_back, w_ref) and b_back == pytest.approx(b_ref), name
    # the way there (eq-ch2-rescale) undoes the way back (eq-ch2-unscale)
    w_there, b_there = ch2["rescale"](w_ref, b_ref, mu, s)
    w_pkg, b_pkg = linear.rescale(w_ref, b_ref, mu, s)
    assert np.allclose(w_there, w_pkg) and b_there == pytest.approx(b_pkg)
    assert np.allclose(w_pkg, w_s) and b_pkg == pytest.approx(0.7)
    assert np.allclose(linear.predict(w_pkg, b_pkg, linear.standardize(X)[0]),
                       linear.predict(w_ref, b_ref, X))


def test_training_agrees(ch2, inputs):
    X, y, _ = inputs
    lr = 0.8 * linear.lr_bound(X)
    ws, bs, losses = ch2["train"](np.zeros(3), 0.5, X, y, lr, 40)
    reference = linear.train(np.zeros(3), 0.5, X, y, lr, 40)
    assert np.allclose(ws, reference.w, rtol=1e-12) and np.allclose(bs, reference.b, rtol=1e-12)
    assert np.allclose(losses, reference.loss, rtol=1e-12)


def test_the_chapters_data_and_results(ch2):
    X, y = data.hikes(n=40, noise=0.2, rng=np.random.default_rng(0))
    assert np.array_equal(ch2["X"], X) and np.array_equal(ch2["y"], y)
    w_star, b_star = linear.least_squares(X, y)
    # the chapter's gradient descent ends at the exact least-squares solution
    assert np.allclose(ch2["ws"][-1], w_star, atol=1e-4) and ch2["bs"][-1] == pytest.approx(b_star, abs=1e-4)
    assert ch2["lr_max"] == pytest.approx(linear.lr_bound(X), rel=1e-12)
    assert ch2["lr_max_s"] == pytest.approx(linear.lr_bound(linear.standardize(X)[0]), rel=1e-12)
    assert np.allclose(ch2["w_back"], w_star, atol=1e-3)
    # centring changes only the bias: the best weights stay those of the raw inputs
    assert np.allclose(ch2["X_c"], X - X.mean(axis=0))
    assert np.allclose(linear.least_squares(ch2["X_c"], y)[0], w_star)
    # and centring changes only the bias, by sum_i w*_i mu_i
    assert np.allclose(ch2["w_c"], w_star) and ch2["b_c"] == pytest.approx(b_star + w_star @ X.mean(axis=0))
    # the chapter's curvature facts: symmetric, its eigenvectors, the diagonal case
    H = linear.curvature(X)
    assert np.allclose(ch2["H"], H) and np.allclose(ch2["lam"], np.linalg.eigvalsh(H))
    assert np.allclose(ch2["H"] @ ch2["V"], ch2["V"] * ch2["lam"])
    assert np.allclose(linear.curvature(ch2["X_four"]), np.diag(np.diag(linear.curvature(ch2["X_four"]))))
    # without a bias the fit is worse: the bias is necessary
    assert ch2["loss_no_b"] > 2 * linear.mean_loss(w_star, b_star, X, y)
    assert ch2["lr_c"] == pytest.approx(ch2["alpha"] * linear.lr_bound(ch2["X_c"]), rel=1e-12)
    # the step counts the chapter predicts are what the package's train takes
    for X_used, lr, steps in [(X, ch2["alpha"] * ch2["lr_max"], ch2["steps_raw"]),
                              (ch2["X_c"], ch2["lr_c"], ch2["steps_c"]),
                              (ch2["X_s"], ch2["alpha"] * ch2["lr_max_s"], ch2["steps_s"])]:
        history = linear.train(np.zeros(2), 0.0, X_used, y, lr, steps)
        excess = history.loss - linear.mean_loss(*linear.least_squares(X_used, y), X_used, y)
        assert excess[steps] <= ch2["tol"] < excess[steps - 1]
    assert ch2["steps_s"] * 10 < ch2["steps_c"] and ch2["steps_c"] * 5 < ch2["steps_raw"]


def test_exercise_solutions_pass_their_checks(ch2):
    assert checks.check_mean_grad_loop(ch2["mean_grad_with_loops"])
    assert checks.check_weighted_mean_grad(ch2["weighted_mean_grad"])
    assert checks.check_scaling(ch2["my_standardize"], ch2["my_unscale"])
