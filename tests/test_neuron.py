"""nnbook_utils.neuron: the one-weight neuron of Chapter 1, and its data."""

import numpy as np
import pytest

from nnbook_utils import data, neuron
from nnbook_utils.gradcheck import numeric_grad


@pytest.fixture
def xy():
    return data.km_to_miles()


def test_data_is_seeded_and_close_to_the_known_answer():
    x1, y1 = data.km_to_miles()
    x2, y2 = data.km_to_miles(rng=np.random.default_rng(0))
    assert np.array_equal(x1, x2) and np.array_equal(y1, y2)
    assert x1.shape == y1.shape == (10,)
    assert abs(neuron.best_w(x1, y1) - data.KM_TO_MILES) < 0.02
    x3, _ = data.km_to_miles(rng=np.random.default_rng(1))
    assert not np.array_equal(x1, x3)


def test_data_accepts_a_seed_as_rng():
    x1, _ = data.km_to_miles(rng=7)
    x2, _ = data.km_to_miles(rng=np.random.default_rng(7))
    assert np.array_equal(x1, x2)


def test_data_without_noise_lies_on_the_line():
    x, y = data.km_to_miles(n=5, noise=0.0)
    assert np.allclose(y, data.KM_TO_MILES * x)


@pytest.mark.parametrize("kwargs, message", [({"n": 0}, "positive whole number"), ({"noise": -1}, "number >= 0"),
                                             ({"noise": float("nan")}, "number >= 0")])
def test_data_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        data.km_to_miles(**kwargs)


def test_gradient_matches_finite_differences_per_example(xy):
    x, y = xy
    rng = np.random.default_rng(5)
    for w in rng.uniform(-2, 2, size=20):
        for xk, yk in zip(x, y):
            numeric = numeric_grad(lambda v: neuron.loss(neuron.predict(v, xk), yk), w)
            assert neuron.grad(w, xk, yk) == pytest.approx(numeric, rel=1e-6, abs=1e-8)


def test_mean_gradient_matches_finite_differences(xy):
    x, y = xy
    for w in [-1.0, 0.0, 0.3, 0.61, 2.5]:
        numeric = numeric_grad(lambda v: neuron.mean_loss(v, x, y), w)
        assert neuron.mean_grad(w, x, y) == pytest.approx(numeric, rel=1e-6, abs=1e-8)


def test_mean_gradient_is_zero_at_the_best_weight(xy):
    x, y = xy
    assert abs(neuron.mean_grad(neuron.best_w(x, y), x, y)) < 1e-12
    assert neuron.best_w(x, y) == pytest.approx(np.linalg.lstsq(x[:, None], y, rcond=None)[0][0])


def test_training_converges_just_below_the_bound_and_diverges_just_above(xy):
    x, y = xy
    bound, w_star = neuron.lr_bound(x), neuron.best_w(x, y)
    assert bound == pytest.approx(1 / np.mean(x**2))
    below = neuron.train(0.0, x, y, 0.99 * bound, 400)
    above = neuron.train(0.0, x, y, 1.01 * bound, 400)
    assert abs(below.w[-1] - w_star) < 1e-3 * abs(below.w[0] - w_star)
    assert abs(above.w[-1] - w_star) > 10 * abs(above.w[0] - w_star)
    assert below.loss[-1] < below.loss[0] < above.loss[-1]


def test_error_recursion_holds_exactly(xy):
    x, y = xy
    lr, w_star = 0.07, neuron.best_w(x, y)
    history = neuron.train(-1.0, x, y, lr, 25)
    factor = 1 - 2 * lr * np.mean(x**2)
    expected = factor ** np.arange(26) * (history.w[0] - w_star)
    assert np.allclose(history.w - w_star, expected, atol=1e-12)


def test_best_learning_rate_converges_in_one_step(xy):
    x, y = xy
    history = neuron.train(3.0, x, y, neuron.lr_bound(x) / 2, 1)
    assert history.w[1] == pytest.approx(neuron.best_w(x, y))


def test_history_records_every_step_and_unpacks(xy):
    x, y = xy
    ws, losses = neuron.train(0.0, x, y, 0.05, 7)
    assert ws.shape == losses.shape == (8,)
    assert losses[3] == pytest.approx(neuron.mean_loss(ws[3], x, y))


def test_mismatched_lengths_name_both_lengths():
    with pytest.raises(ValueError, match=r"x has 3 value\(s\).*y has 2 value\(s\)"):
        neuron.mean_loss(0.5, [1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="x has 3"):
        neuron.train(0.0, [1.0, 2.0, 3.0], [1.0, 2.0], 0.1, 5)


@pytest.mark.parametrize("x, y, message", [([], [], "empty"), ([1.0, np.nan], [1.0, 2.0], "finite")])
def test_bad_data_is_explained(x, y, message):
    with pytest.raises(ValueError, match=message):
        neuron.mean_grad(0.0, x, y)


@pytest.mark.parametrize("lr", [0.0, -0.1])
def test_non_positive_learning_rate_is_rejected(xy, lr):
    with pytest.raises(ValueError, match="must be positive"):
        neuron.train(0.0, *xy, lr, 3)


def test_non_finite_loss_names_the_learning_rate_bound(xy):
    x, y = xy
    with pytest.raises(neuron.TrainingDiverged, match=r"learning rate is probably too large.*1/mean\(x\*\*2\) = 0\.2407"):
        neuron.train(0.0, x, y, 100.0, 1000)


def test_all_zero_inputs_are_explained():
    with pytest.raises(ValueError, match="every x is 0"):
        neuron.lr_bound([0.0, 0.0])
    with pytest.raises(ValueError, match="every x is 0"):
        neuron.best_w([0.0, 0.0], [1.0, 2.0])


@pytest.mark.parametrize("call, message", [
    (lambda: neuron.grad(0.5, [1.0, 2.0, 3.0], [1.0]), r"x has 3 value\(s\).*y has 1 value\(s\)"),
    (lambda: neuron.loss([1.0, 2.0], [1.0, 2.0, 3.0]), r"y_hat has 2 value\(s\).*y has 3"),
    (lambda: neuron.mean_loss(np.array([0.1, 0.2]), [1.0, 2.0], [1.0, 2.0]), "w is one number"),
    (lambda: neuron.predict("half", [1.0]), "w must be a number"),
    (lambda: neuron.lr_bound([]), "empty"),
    (lambda: neuron.lr_bound([np.inf]), "finite"),
    (lambda: neuron.train(np.nan, [1.0], [1.0], 0.1, 3), "w0 must be a finite number"),
    (lambda: neuron.train(0.0, [1.0], [1.0], "fast", 3), "lr must be a number"),
    (lambda: neuron.mean_grad(0.5, ["a"], [1.0]), "x must be numbers"),
])
def test_bad_input_gets_a_teaching_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
