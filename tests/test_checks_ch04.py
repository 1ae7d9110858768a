"""nnbook_utils.checks, Chapter 4: the exercise checks accept right answers and explain
wrong ones (with the reason a reader needs to fix them)."""

import numpy as np
import pytest

from nnbook_utils import checks
from nnbook_utils.activations import d_sigmoid, sigmoid


def unfinished(*args):
    raise NotImplementedError


def chain3_forward(theta, x):
    w1, b1, w2, b2, w3, b3 = theta
    z1 = w1 * x + b1
    z2 = w2 * sigmoid(z1) + b2
    z3 = w3 * sigmoid(z2) + b3
    return z1, z2, z3


def chain3_right(theta, x, y):
    z1, z2, z3 = chain3_forward(theta, x)
    d3 = 2 * (sigmoid(z3) - y) * d_sigmoid(z3)
    d2 = d3 * theta[4] * d_sigmoid(z2)
    d1 = d2 * theta[2] * d_sigmoid(z1)
    return d1, d2, d3


def test_chain3_deltas_accepts_the_right_answer():
    verdict = checks.check_chain3_deltas(chain3_right)
    assert verdict and repr(verdict).startswith("Correct:")
    as_array = checks.check_chain3_deltas(lambda *a: np.array(chain3_right(*a)))
    assert as_array


@pytest.mark.parametrize("wrong, reason", [
    (lambda th, x, y: chain3_right(th, x, y)[::-1], "order is reversed"),
    (lambda th, x, y: tuple(-d for d in chain3_right(th, x, y)), "sign is flipped"),
    (lambda th, x, y: tuple(d / 2 for d in chain3_right(th, x, y)), "power rule"),
    (lambda th, x, y: (0.0, 0.0, chain3_right(th, x, y)[2]), "delta3 is right"),
    (lambda th, x, y: 1.0, "three numbers"),
    (lambda th, x, y: None, "forget `return`"),
    (lambda th, x, y: ("a", "b", "c"), "not one number"),
    (lambda th, x, y: np.array(0.5), "three numbers"),  # a 0-d array has no len()
    (lambda th, x, y: np.array(None), "three numbers"),
    (lambda th, x, y: (10**400, 0, 0), "too large for a float"),  # too big for a float
])
def test_chain3_deltas_explains_common_mistakes(wrong, reason):
    verdict = checks.check_chain3_deltas(wrong)
    assert not verdict and reason in verdict.message, verdict.message


def test_chain3_deltas_explains_the_wrong_weight_and_the_missing_slope():
    def wrong_weight(theta, x, y):  # delta_j uses w_j instead of w_{j+1}
        z1, z2, z3 = chain3_forward(theta, x)
        d3 = 2 * (sigmoid(z3) - y) * d_sigmoid(z3)
        d2 = d3 * theta[2] * d_sigmoid(z2)
        return d2 * theta[0] * d_sigmoid(z1), d2, d3

    def no_slope(theta, x, y):  # dL/da_j instead of dL/dz_j
        z1, z2, z3 = chain3_forward(theta, x)
        d3 = 2 * (sigmoid(z3) - y) * d_sigmoid(z3)
        # dL/da1 = delta2 w2 = delta3 w3 sigma'(z2) w2, dL/da2 = delta3 w3
        dL_da1 = d3 * theta[4] * d_sigmoid(z2) * theta[2]
        return dL_da1, d3 * theta[4], 2 * (sigmoid(z3) - y)

    verdict = checks.check_chain3_deltas(wrong_weight)
    assert not verdict and "NEXT neuron" in verdict.message
    verdict = checks.check_chain3_deltas(no_slope)
    assert not verdict and "dL/da_j" in verdict.message


def xor_forward(theta, X):
    w11, w12, b1, w21, w22, b2, wo1, wo2, bo = theta
    z1 = w11 * X[:, 0] + w12 * X[:, 1] + b1
    z2 = w21 * X[:, 0] + w22 * X[:, 1] + b2
    y_hat = sigmoid(wo1 * sigmoid(z1) + wo2 * sigmoid(z2) + bo)
    return z1, z2, y_hat


def w12_per_example(theta, X, y):
    z1, _, y_hat = xor_forward(theta, X)
    return (y_hat - y) * theta[6] * d_sigmoid(z1) * X[:, 1]


def test_xor_grad_w12_accepts_the_right_answer():
    verdict = checks.check_xor_grad_w12(lambda th, X, y: np.mean(w12_per_example(th, X, y)))
    assert verdict and repr(verdict).startswith("Correct:")


def test_xor_grad_w12_explains_common_mistakes():
    def hidden_2(theta, X, y):  # the delta of hidden neuron 2
        _, z2, y_hat = xor_forward(theta, X)
        return np.mean((y_hat - y) * theta[7] * d_sigmoid(z2) * X[:, 1])

    def no_slope(theta, X, y):
        _, _, y_hat = xor_forward(theta, X)
        return np.mean((y_hat - y) * theta[6] * X[:, 1])

    def squared_error(theta, X, y):
        z1, _, y_hat = xor_forward(theta, X)
        return np.mean(2 * (y_hat - y) * y_hat * (1 - y_hat) * theta[6] * d_sigmoid(z1) * X[:, 1])

    def uses_x1(theta, X, y):
        z1, _, y_hat = xor_forward(theta, X)
        return np.mean((y_hat - y) * theta[6] * d_sigmoid(z1) * X[:, 0])

    def ignores_its_data(theta, X, y):  # always the four XOR examples
        X_xor = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
        return np.mean(w12_per_example(theta, X_xor, np.array([0, 1, 1, 0.0])))

    cases = [
        (w12_per_example, "one number per example"),
        (lambda *a: -np.mean(w12_per_example(*a)), "sign is flipped"),
        (lambda *a: np.sum(w12_per_example(*a)), "not the sum"),
        (hidden_2, "hidden neuron h1"),
        (no_slope, "slope of hidden neuron h1 is missing"),
        (squared_error, "squared error"),
        (uses_x1, "gradient of w_h1_1"),
        (ignores_its_data, "not the chapter's X_xor"),
        (lambda *a: 0.123, "finite differences give"),
        (unfinished, "NotImplementedError"),
        (lambda *a: 1 / 0, "ZeroDivisionError"),
        (lambda *a: None, "forget `return`"),
        (lambda *a: 10**400, "too large for a float"),  # an int too big for a float
        (lambda *a: [None], "holds None"),
        (lambda *a: w12_per_example(*a)[:, None], "one number per example"),  # (n, 1)
    ]
    for wrong, reason in cases:
        verdict = checks.check_xor_grad_w12(wrong)
        assert not verdict and reason in verdict.message, (reason, verdict.message)
