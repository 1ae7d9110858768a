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


# --------------------------------------------------------------------- several classes (Chapter 7)
Z3 = np.array([[0.3, -1.2, 2.0, 0.1], [1.5, 1.4, -0.3, 0.0], [-2.0, 0.5, 0.4, 3.1]])  # (3, 4)
Y3 = np.array([2, 0, 1])  # (3,) class labels


def test_softmax_rows_are_probabilities_and_shift_invariant():
    P = losses.softmax(Z3)  # (3, 4)
    assert P.shape == Z3.shape and np.all(P > 0)
    assert np.allclose(P.sum(axis=1), 1.0, atol=1e-15)
    assert np.allclose(losses.softmax(Z3 + np.array([[5.0], [-300.0], [1e3]])), P, atol=1e-15)
    assert np.allclose(losses.softmax(Z3[1]), P[1], atol=1e-15)  # one example (k,)
    direct = np.exp(Z3) / np.exp(Z3).sum(axis=1, keepdims=True)  # (3, 4) the textbook form
    assert np.allclose(P, direct, rtol=1e-14)


def test_softmax_cross_entropy_is_minus_log_of_the_true_class_probability():
    per = losses.softmax_cross_entropy(Z3, Y3)  # (3,)
    assert per.shape == (3,)
    assert np.allclose(per, -np.log(losses.softmax(Z3)[np.arange(3), Y3]), rtol=1e-13)
    one = losses.softmax_cross_entropy(Z3[0], 2)
    assert isinstance(one, float) and one == pytest.approx(per[0], rel=1e-15)
    assert losses.softmax_cross_entropy([0.0, 0.0], 1) == pytest.approx(np.log(2))


def test_labels_and_one_hot_rows_give_the_same_numbers():
    onehot = np.eye(4)[Y3]  # (3, 4)
    assert np.array_equal(losses.softmax_cross_entropy(Z3, Y3),
                          losses.softmax_cross_entropy(Z3, onehot))
    assert np.array_equal(losses.d_softmax_cross_entropy(Z3, Y3),
                          losses.d_softmax_cross_entropy(Z3, onehot.astype(int)))


def test_softmax_cross_entropy_gradient_matches_finite_differences():
    dz = losses.d_softmax_cross_entropy(Z3, Y3)  # (3, 4)
    for i in range(3):
        numeric = numeric_grad(lambda z: losses.softmax_cross_entropy(z, Y3[i]), Z3[i])
        assert np.allclose(dz[i], numeric, atol=1e-8)
    assert np.allclose(dz.sum(axis=1), 0.0, atol=1e-15)  # softmax sums to 1, one-hot too
    assert np.allclose(dz, losses.softmax(Z3) - np.eye(4)[Y3], atol=0)


def test_softmax_cross_entropy_at_extreme_logits_is_finite_without_any_warning():
    z = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, 1000.0], [1e5, -1e5, 3.0]])  # (3, 3)
    y = np.array([0, 1, 1])  # (3,)
    with np.errstate(all="raise"):  # overflow, underflow, invalid, divide: all would raise
        per = losses.softmax_cross_entropy(z, y)
        P, dz = losses.softmax(z), losses.d_softmax_cross_entropy(z, y)
    assert np.all(np.isfinite(per)) and np.all(np.isfinite(P)) and np.all(np.isfinite(dz))
    assert np.allclose(per, [0.0, 2000.0, 1e5 + 1e5], rtol=1e-15)
    assert np.array_equal(P[0], [1.0, 0.0, 0.0]) and np.array_equal(dz[1], [0.0, -1.0, 1.0])
    with np.errstate(over="ignore"):
        naive = np.log(np.exp(z[0]).sum()) - z[0, 0]  # the textbook form overflows: inf - 1000
    assert not np.isfinite(naive)


def test_softmax_cross_entropy_agrees_with_the_layers_engine():
    from nnbook_utils import layers
    rng = np.random.default_rng(2)
    z = rng.normal(scale=20.0, size=(50, 10))  # (50, 10)
    y = rng.integers(0, 10, size=50)  # (50,)
    engine = layers.softmax_cross_entropy(z, np.eye(10)[y])  # (50,)
    assert np.allclose(losses.softmax_cross_entropy(z, y), engine, rtol=1e-13, atol=1e-13)
    assert np.allclose(losses.softmax(z), layers.softmax(z), rtol=1e-13, atol=1e-300)


@pytest.mark.parametrize("call, message", [
    (lambda: losses.softmax_cross_entropy(Z3, [2, 0, 4]), r"class labels must be 0 \.\. 3.*\[0, 4\]"),
    (lambda: losses.softmax_cross_entropy(Z3, [2, 0, -1]), r"class labels must be 0 \.\. 3"),
    (lambda: losses.softmax_cross_entropy(Z3, [2.0, 0.0, 1.0]), r"3 integers of shape \(3,\)"),
    (lambda: losses.softmax_cross_entropy(Z3, [2, 0]), r"one-hot rows of shape \(3, 4\)"),
    (lambda: losses.softmax_cross_entropy(Z3[0], [0, 1]), r"one int in 0 \.\. 3"),
    (lambda: losses.softmax_cross_entropy(Z3, np.full((3, 4), 0.25)), "exactly one 1 per row"),
    (lambda: losses.softmax_cross_entropy(Z3, "abc"), "class labels"),
    (lambda: losses.softmax_cross_entropy(np.zeros((2, 2, 2)), 0), r"shape \(k,\).*\(n, k\)"),
    (lambda: losses.softmax_cross_entropy(np.zeros((3, 0)), [0, 0, 0]), "k >= 1 classes"),
    (lambda: losses.softmax_cross_entropy([[1.0, np.nan]], [0]), "finite numbers"),
    (lambda: losses.softmax([[1, 2], [3]]), "z must be numbers"),
    (lambda: losses.softmax([1j, 2.0]), "z must be numbers"),
    (lambda: losses.d_softmax_cross_entropy(Z3, [9, 0, 1]), "class labels must be"),
])
def test_softmax_cross_entropy_errors_teach(call, message):
    with pytest.raises(ValueError, match=message):
        call()
