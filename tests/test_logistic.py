"""nnbook_utils.logistic (one sigmoid neuron as a classifier, Chapter 3), the data set
data.two_blobs, and the Chapter 3 figure and widget that draw it."""

import ipywidgets
import numpy as np
import pytest

from nnbook_utils import data, logistic, plotting, widgets
from nnbook_utils.gradcheck import numeric_grad


@pytest.fixture
def blobs():
    return data.two_blobs(n=40, rng=np.random.default_rng(7))


def test_two_blobs_is_seeded_balanced_and_labelled_0_or_1():
    X, y = data.two_blobs(n=41, rng=np.random.default_rng(1))
    assert X.shape == (41, 2) and y.shape == (41,)
    assert set(np.unique(y)) == {0.0, 1.0} and y.sum() == 21
    X2, y2 = data.two_blobs(n=41, rng=1)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert X[y == 1, 0].mean() > X[y == 0, 0].mean()  # class 1 sits to the right
    with pytest.raises(ValueError, match="at least 2"):
        data.two_blobs(n=1)
    with pytest.raises(ValueError, match="shape \\(2, 2\\)"):
        data.two_blobs(centers=[0.0, 1.0])


def test_probabilities_are_the_sigmoid_of_the_weighted_sum(blobs):
    X, _ = blobs
    w, b = np.array([0.7, -1.2]), 0.3
    z = X[:, 0] * w[0] + X[:, 1] * w[1] + b
    assert np.allclose(logistic.preactivation(w, b, X), z)
    assert np.allclose(logistic.predict_proba(w, b, X), 1 / (1 + np.exp(-z)))
    assert np.array_equal(logistic.predict(w, b, X), (z > 0).astype(float))


def test_mean_loss_is_the_mean_cross_entropy(blobs):
    X, y = blobs
    w, b = np.array([0.7, -1.2]), 0.3
    p = 1 / (1 + np.exp(-(X @ w + b)))
    expected = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert logistic.mean_loss(w, b, X, y) == pytest.approx(expected, rel=1e-12)
    assert logistic.mean_loss(np.zeros(2), 0.0, X, y) == pytest.approx(np.log(2))


def test_mean_grad_matches_finite_differences(blobs):
    X, y = blobs
    for w, b in [(np.array([0.7, -1.2]), 0.3), (np.array([-2.0, 0.5]), -1.0)]:
        dL_dw, dL_db = logistic.mean_grad(w, b, X, y)
        numeric = numeric_grad(lambda p: logistic.mean_loss(p[:2], p[2], X, y), np.append(w, b))
        assert dL_dw.shape == (2,)
        assert np.allclose(np.append(dL_dw, dL_db), numeric, atol=1e-8)


def test_bce_from_z_agrees_with_the_loss_and_stays_finite():
    z = np.array([-5.0, -0.3, 0.0, 0.8, 6.0])
    for label in [0.0, 1.0]:
        y = np.full(5, label)
        p = 1 / (1 + np.exp(-z))
        assert np.allclose(logistic.bce_from_z(z, y), -(y * np.log(p) + (1 - y) * np.log(1 - p)))
    far = logistic.bce_from_z(np.array([-800.0, 800.0]), np.array([0.0, 0.0]))
    assert np.allclose(far, [0.0, 800.0])
    with pytest.raises(ValueError, match="same shape"):
        logistic.bce_from_z(np.zeros(3), np.zeros(2))


def test_training_lowers_the_loss_and_separates_the_blobs(blobs):
    X, y = blobs
    history = logistic.train(np.zeros(2), 0.0, X, y, lr=0.5, steps=150)
    assert history.w.shape == (151, 2) and history.b.shape == (151,) and history.loss.shape == (151,)
    assert np.all(np.diff(history.loss) < 0)  # a small enough step lowers the loss every time
    assert logistic.accuracy(history.w[-1], history.b[-1], X, y) >= 0.9
    ws, bs, losses = history  # unpacks like the chapter's train
    step_by_hand = history.w[0] - 0.5 * logistic.mean_grad(history.w[0], history.b[0], X, y)[0]
    assert np.allclose(ws[1], step_by_hand)


def test_training_that_saturates_is_reported():
    X = np.array([[0.0], [1.0]])  # separable: the loss keeps falling towards 0, never reaching it
    y = np.array([0.0, 1.0])
    with pytest.raises(logistic.TrainingDiverged, match="smaller learning rate"):
        logistic.train(np.array([0.0]), -0.5, X, y, lr=1e4, steps=50)


def test_decision_line_is_where_z_is_zero():
    w, b = np.array([1.5, -0.5]), 0.25
    x1 = np.linspace(-2, 2, 5)
    x2 = logistic.decision_line(w, b, x1)
    assert np.allclose(w[0] * x1 + w[1] * x2 + b, 0)
    with pytest.raises(ValueError, match="vertical line"):
        logistic.decision_line(np.array([1.0, 0.0]), 0.0, x1)
    with pytest.raises(ValueError, match="shape \\(2,\\)"):
        logistic.decision_line(np.array([1.0, 2.0, 3.0]), 0.0, x1)


def test_bad_input_is_explained(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match=r"w must have shape \(2,\), but w has shape \(3,\)"):
        logistic.predict_proba(np.ones(3), 0.0, X)
    with pytest.raises(ValueError, match=r"x\[None, :\]"):
        logistic.predict_proba(np.ones(2), 0.0, X[0])
    with pytest.raises(ValueError, match="b is one number"):
        logistic.predict_proba(np.ones(2), np.zeros(2), X)
    with pytest.raises(ValueError, match=r"y must have shape \(40,\)"):
        logistic.mean_loss(np.ones(2), 0.0, X, y[:10])
    with pytest.raises(ValueError, match="must be 0 or 1.*-1/\\+1"):
        logistic.mean_grad(np.ones(2), 0.0, X, 2 * y - 1)
    with pytest.raises(ValueError, match="learning rate"):
        logistic.train(np.zeros(2), 0.0, X, y, lr=-0.1, steps=5)
    with pytest.raises(ValueError, match="steps"):
        logistic.train(np.zeros(2), 0.0, X, y, lr=0.1, steps=2.5)
    with pytest.raises(ValueError, match="finite"):
        logistic.accuracy(np.array([np.nan, 1.0]), 0.0, X, y)


def test_boundary_view_draws_the_line_and_reports_loss_and_accuracy(blobs):
    X, y = blobs
    w, b = np.array([1.0, 2.0]), -0.5
    fig = plotting.boundary_view(X, y, w, b)
    ax = fig.axes[0]
    line = [l for l in ax.lines if l.get_label() == "boundary $z = 0$"][0]
    x1, x2 = line.get_data()
    assert np.allclose(w[0] * np.asarray(x1) + w[1] * np.asarray(x2) + b, 0)
    assert f"{logistic.mean_loss(w, b, X, y):.3f}" in ax.get_title()
    assert f"{logistic.accuracy(w, b, X, y):.0%}" in ax.get_title()
    fig_vertical = plotting.boundary_view(X, y, np.array([1.0, 0.0]), 0.5)  # w2 = 0: a vertical line
    assert any(l.get_label() == "boundary $z = 0$" for l in fig_vertical.axes[0].lines)


def test_boundary_explorer_drives_the_functions_it_is_given(blobs):
    X, y = blobs
    seen = []

    def spy_accuracy(w, b, X, y):
        seen.append((tuple(np.asarray(w)), b))
        return logistic.accuracy(w, b, X, y)

    box = widgets.boundary_explorer(X, y, w=(1.0, -2.0), b=0.5, accuracy=spy_accuracy)
    sliders = box.children[0].children
    assert [s.description for s in sliders] == ["w1", "w2", "b"]
    assert all(isinstance(s, ipywidgets.FloatSlider) for s in sliders)
    assert seen[-1] == ((1.0, -2.0), 0.5)
    sliders[2].value = -1.0
    assert seen[-1] == ((1.0, -2.0), -1.0)
