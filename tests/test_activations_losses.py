"""The package's activations and losses: values at known points, derivatives against
finite differences, and teaching errors for bad input."""

import numpy as np
import pytest

from nnbook_utils import activations, losses
from nnbook_utils.gradcheck import numeric_grad

Z = np.array([-3.0, -0.7, -0.1, 0.2, 0.9, 2.5])  # (6,) away from the kinks at 0


@pytest.mark.parametrize("name", activations.NAMES)
def test_activation_derivatives_match_finite_differences(name):
    f, df = activations.get(name)
    numeric = np.array([numeric_grad(lambda t: float(f(t)), z) for z in Z])
    assert np.allclose(df(Z), numeric, atol=1e-7), name
    assert f(Z).shape == df(Z).shape == Z.shape


def test_activation_values():
    assert activations.sigmoid(0.0) == 0.5
    assert np.array_equal(activations.step(np.array([-1.0, 0.0, 2.0])), [0.0, 0.0, 1.0])
    assert np.array_equal(activations.relu(np.array([-1.0, 0.0, 2.0])), [0.0, 0.0, 2.0])
    assert activations.d_sigmoid(0.0) == 0.25 and activations.d_tanh(0.0) == 1.0


def test_sigmoid_does_not_overflow():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert np.array_equal(activations.sigmoid(np.array([-1000.0, 1000.0])), [0.0, 1.0])


def test_unknown_activation_lists_the_known_ones():
    with pytest.raises(ValueError, match="unknown activation 'sigmod'.*sigmoid"):
        activations.get("sigmod")


@pytest.mark.parametrize("name, y_hat, y", [
    ("squared_error", np.array([0.3, -1.2, 2.0]), np.array([1.0, 0.5, 2.5])),
    ("binary_cross_entropy", np.array([0.2, 0.7, 0.95]), np.array([0.0, 1.0, 1.0])),
    ("max_margin", np.array([0.3, -1.7, 0.4]), np.array([1.0, 1.0, -1.0])),
])
def test_loss_derivatives_match_finite_differences(name, y_hat, y):
    f, df = losses.get(name)
    numeric = np.array([numeric_grad(lambda t: float(f(t, yi)), yh) for yh, yi in zip(y_hat, y)])
    assert np.allclose(df(y_hat, y), numeric, atol=1e-7), name


def test_loss_values():
    assert losses.squared_error(3.0, 1.0) == 4.0
    assert losses.binary_cross_entropy(0.5, 1.0) == pytest.approx(np.log(2))
    assert np.array_equal(losses.max_margin([2.0, 0.5], [1.0, 1.0]), [0.0, 0.5])


def test_saturated_cross_entropy_is_infinite_not_an_error():
    assert losses.binary_cross_entropy(np.array([0.0]), np.array([1.0]))[0] == np.inf
    assert losses.binary_cross_entropy(np.array([0.0]), np.array([0.0]))[0] == 0.0


@pytest.mark.parametrize("call, message", [
    (lambda: losses.squared_error([1.0, 2.0], [1.0]), r"same shape: y_hat has shape \(2,\), y has shape \(1,\)"),
    (lambda: losses.binary_cross_entropy([0.5], [2.0]), "targets y that are 0 or 1"),
    (lambda: losses.binary_cross_entropy([1.5], [1.0]), "between 0 and 1"),
    (lambda: losses.max_margin([0.5], [0.0]), "targets y that are -1 or \\+1"),
    (lambda: losses.get("hinge"), "unknown loss 'hinge'.*max_margin"),
])
def test_loss_errors_teach(call, message):
    with pytest.raises(ValueError, match=message):
        call()
