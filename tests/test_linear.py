"""nnbook_utils.linear: the neuron with many inputs and a bias (Chapter 2), its data,
and the Chapter 2 figures and widget that draw it."""

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnbook_utils import data, linear, neuron, plotting, widgets
from nnbook_utils.gradcheck import numeric_grad


@pytest.fixture
def Xy():
    return data.hikes()


def random_problem(seed, n=30, d=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * rng.uniform(0.1, 10, size=d) + rng.normal(size=d)  # (n, d)
    y = rng.normal(size=n)  # (n,)
    return X, y


def test_hikes_are_seeded_and_follow_naismiths_rule():
    X1, y1 = data.hikes()
    X2, y2 = data.hikes(rng=np.random.default_rng(0))
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert X1.shape == (40, 2) and y1.shape == (40,)
    assert not np.array_equal(X1, data.hikes(rng=1)[0])
    X, y = data.hikes(n=7, noise=0.0)
    assert np.allclose(y, X @ data.NAISMITH_W + data.NAISMITH_B)
    assert np.all(X[:, 1] <= 0.08 * X[:, 0]) and np.all((X[:, 0] >= 2) & (X[:, 0] < 25))
    w, b = linear.least_squares(X1, y1)
    assert np.allclose(w, data.NAISMITH_W, atol=0.1) and abs(b - data.NAISMITH_B) < 0.1


@pytest.mark.parametrize("kwargs, message", [({"n": 0}, "positive whole number"), ({"n": 2.5}, "whole number"),
                                             ({"noise": -1}, "number >= 0")])
def test_hikes_reject_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        data.hikes(**kwargs)


def test_predict_is_the_sum_over_inputs_plus_bias():
    X, _ = random_problem(1)
    w, b = np.array([0.5, -2.0, 1.5]), 0.25
    by_hand = [sum(w[i] * X[k, i] for i in range(3)) + b for k in range(len(X))]
    assert np.allclose(linear.predict(w, b, X), by_hand)


def test_mean_loss_and_gradient_match_finite_differences():
    for seed in range(5):
        X, y = random_problem(seed)
        theta = np.random.default_rng(seed + 10).normal(size=4)  # (4,)
        expected = numeric_grad(lambda th: linear.mean_loss(th[:-1], th[-1], X, y), theta)
        dL_dw, dL_db = linear.mean_grad(theta[:-1], theta[-1], X, y)
        assert dL_dw.shape == (3,) and isinstance(dL_db, float)
        assert np.allclose(np.append(dL_dw, dL_db), expected, rtol=1e-6, atol=1e-6)
        residual = X @ theta[:-1] + theta[-1] - y
        assert linear.mean_loss(theta[:-1], theta[-1], X, y) == pytest.approx(np.mean(residual**2))


def test_one_input_without_bias_reduces_to_chapter_1():
    x, y = data.km_to_miles()
    X = x[:, None]  # (10, 1)
    w = np.array([0.4])
    # with b = 0 the model, loss and weight gradient are Chapter 1's
    assert np.allclose(linear.predict(w, 0.0, X), neuron.predict(0.4, x))
    assert linear.mean_loss(w, 0.0, X, y) == pytest.approx(neuron.mean_loss(0.4, x, y))
    assert linear.mean_grad(w, 0.0, X, y)[0][0] == pytest.approx(neuron.mean_grad(0.4, x, y))


def test_least_squares_zeroes_the_gradient_and_matches_lstsq():
    X, y = random_problem(3)
    w, b = linear.least_squares(X, y)
    dL_dw, dL_db = linear.mean_grad(w, b, X, y)
    assert np.allclose(dL_dw, 0, atol=1e-10) and abs(dL_db) < 1e-10
    reference = np.linalg.lstsq(linear.with_ones(X), y, rcond=None)[0]
    assert np.allclose(np.append(w, b), reference)


def test_least_squares_explains_a_non_unique_solution():
    X, y = random_problem(4)
    X[:, 1] = 2 * X[:, 0]
    with pytest.raises(ValueError, match="no unique solution"):
        linear.least_squares(X, y)


def test_curvature_and_bound():
    X, y = random_problem(5)
    H = linear.curvature(X)
    theta = np.random.default_rng(0).normal(size=4)
    w_star, b_star = linear.least_squares(X, y)
    grad = np.append(*linear.mean_grad(theta[:-1], theta[-1], X, y))
    assert np.allclose(grad, H @ (theta - np.append(w_star, b_star)))  # (eq-ch2-grad-H)
    assert linear.lr_bound(X) == pytest.approx(2 / np.linalg.eigvalsh(H).max())


@pytest.mark.parametrize("fraction, converges", [(0.98, True), (1.02, False)])
def test_the_bound_separates_convergence_from_divergence(Xy, fraction, converges):
    X, y = Xy
    Xs = linear.standardize(X)[0]
    history = linear.train(np.zeros(2), 0.0, Xs, y, fraction * linear.lr_bound(Xs), 2000)
    w_star, b_star = linear.least_squares(Xs, y)
    error = np.linalg.norm(np.append(history.w[-1], history.b[-1]) - np.append(w_star, b_star))
    assert (error < 1e-6) == converges


def test_train_records_the_history_and_reaches_least_squares(Xy):
    X, y = Xy
    Xs, mu, s = linear.standardize(X)
    history = linear.train(np.zeros(2), 0.0, Xs, y, 0.9 * linear.lr_bound(Xs), 100)
    ws, bs, losses = history
    assert ws.shape == (101, 2) and bs.shape == (101,) and losses.shape == (101,)
    assert np.all(np.diff(losses) <= 1e-12)
    w, b = linear.unscale(ws[-1], bs[-1], mu, s)
    w_star, b_star = linear.least_squares(X, y)
    assert np.allclose(w, w_star, atol=1e-6) and b == pytest.approx(b_star, abs=1e-6)
    # zero steps: only the start
    assert linear.train(np.ones(2), 1.0, X, y, 0.001, 0).w.shape == (1, 2)


def test_standardize_and_unscale_keep_the_predictions():
    X, _ = random_problem(6)
    Xs, mu, s = linear.standardize(X)
    assert np.allclose(Xs.mean(axis=0), 0) and np.allclose(Xs.std(axis=0), 1)
    w_s, b_s = np.array([1.0, -0.5, 2.0]), 0.3
    w, b = linear.unscale(w_s, b_s, mu, s)
    assert np.allclose(linear.predict(w, b, X), linear.predict(w_s, b_s, Xs))


def test_standardizing_makes_training_faster(Xy):
    X, y = Xy
    Xs = linear.standardize(X)[0]
    kappa = [np.ptp(np.log(np.linalg.eigvalsh(linear.curvature(A)))) for A in (X, Xs)]
    assert kappa[1] < kappa[0] - 5  # the condition number drops by a factor > e^5


def test_diverging_training_raises_and_names_the_bound(Xy):
    X, y = Xy
    with pytest.raises(neuron.TrainingDiverged, match="lambda_max"):
        linear.train(np.zeros(2), 0.0, X, y, 5 * linear.lr_bound(X), 2000)
    assert linear.TrainingDiverged is neuron.TrainingDiverged


@pytest.mark.parametrize("call, message", [
    (lambda X, y: linear.predict(np.zeros(3), 0.0, X), r"X has shape \(40, 2\), so w should have shape \(2,\)"),
    (lambda X, y: linear.predict(np.zeros(2), 0.0, X[:, 0]), r"X\[:, None\]"),
    (lambda X, y: linear.mean_loss(np.zeros(2), 0.0, X, y[:5]), r"X has shape \(40, 2\).*shape \(5,\)"),
    (lambda X, y: linear.predict(np.zeros(2), np.zeros(2), X), "b is one number"),
    (lambda X, y: linear.train(np.zeros(2), 0.0, X, y, -0.1, 5), "must be positive"),
    (lambda X, y: linear.train(np.zeros(2), 0.0, X, y, 0.001, 1.5), "whole number"),
    (lambda X, y: linear.standardize(np.column_stack([X, np.ones(40)])), r"column\(s\) \[2\]"),
    (lambda X, y: linear.unscale(np.zeros(2), 0.0, np.zeros(3), np.ones(3)), "one entry per input"),
    (lambda X, y: linear.mean_grad(np.zeros(2), 0.0, X, np.full(40, np.nan)), "finite"),
])
def test_bad_input_is_explained(Xy, call, message):
    X, y = Xy
    with pytest.raises(ValueError, match=message):
        call(X, y)


def test_contour_figure_marks_the_minimum_and_the_path(Xy):
    X, y = Xy
    history = linear.train(np.zeros(2), 0.0, X, y, 0.003, 50)
    fig = plotting.scaling_view(X, y, inputs="raw", fraction=0.9, steps=50)
    ax_c, ax_l = fig.axes[:2]
    path, star = ax_c.lines[0], ax_c.lines[1]
    assert np.allclose(star.get_data(), np.array(linear.least_squares(X, y)[0])[:, None])
    assert path.get_xydata().shape == (51, 2) and ax_l.get_yscale() == "log"
    assert "slice" in ax_c.get_title()  # raw contours are a slice at b = b*: the title says so
    # centring changes only the bias, so the best weights (the star) stay where they are
    centred = plotting.scaling_view(X, y, inputs="centred", fraction=0.9, steps=50).axes[0]
    assert np.allclose(centred.lines[1].get_data(), star.get_data())
    assert "slice" not in centred.get_title() and centred.get_xlabel() == "$w_1$"
    standardized = plotting.scaling_view(X, y, inputs="standardized", fraction=0.9, steps=50).axes[0]
    assert standardized.get_xlabel() == "$w'_1$"
    with pytest.raises(ValueError, match="inputs must be one of"):
        plotting.scaling_view(X, y, inputs="scaled", fraction=0.9, steps=5)
    fig2, ax = plt.subplots()
    plotting.plot_contours_with_path(ax, X, y, history.w)
    assert ax.get_xlabel() == "$w_1$" and np.allclose(ax.lines[0].get_xydata(), history.w)


def test_scaling_explorer_drives_the_train_it_is_given(Xy, capsys):
    X, y = Xy
    calls = []

    def spy_train(w0, b0, X, y, lr, steps):
        calls.append((X.mean(), lr))
        return linear.train(w0, b0, X, y, lr, steps)

    box = widgets.scaling_explorer(X, y, inputs="raw", fraction=0.5, steps=20, train=spy_train)
    buttons, slider = box.children[0].children
    assert isinstance(buttons, ipywidgets.ToggleButtons) and isinstance(slider, ipywidgets.FloatSlider)
    assert list(buttons.options) == ["raw", "centred", "standardized"]
    assert calls[-1][0] == pytest.approx(X.mean())
    assert calls[-1][1] == pytest.approx(0.5 * linear.lr_bound(X))
    Xs, mu, _ = linear.standardize(X)
    buttons.value = "centred"
    assert calls[-1][0] == pytest.approx(0.0, abs=1e-12)
    assert calls[-1][1] == pytest.approx(0.5 * linear.lr_bound(X - mu))
    buttons.value = "standardized"
    assert calls[-1][0] == pytest.approx(0.0, abs=1e-12)
    assert calls[-1][1] == pytest.approx(0.5 * linear.lr_bound(Xs))
    slider.value = 1.1  # beyond the bound: the package's train raises, the widget explains
    box2 = widgets.scaling_explorer(X, y, fraction=1.1, steps=3000)
    assert box2 is not None
