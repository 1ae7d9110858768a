"""The exercise checks of Chapter 4: neurons feeding neurons."""

import numpy as np

from ..gradcheck import numeric_grad
from ._common import Verdict, _as_number, _call, _close


def _ch4_sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _chain3_loss(theta, x, y, offsets=(0.0, 0.0, 0.0)):
    """Squared error of the chain x -> 1 -> 2 -> 3 of sigmoid neurons; ``offsets`` are
    added to z1, z2, z3 (so that finite differences in them give dL/dz_j)."""
    w1, b1, w2, b2, w3, b3 = theta
    z1 = w1 * x + b1 + offsets[0]
    z2 = w2 * _ch4_sigmoid(z1) + b2 + offsets[1]
    z3 = w3 * _ch4_sigmoid(z2) + b3 + offsets[2]
    return (_ch4_sigmoid(z3) - y) ** 2


def _chain3_mistakes(theta, x, y):
    """The error signals that common mistakes give, each with its explanation."""
    w1, b1, w2, b2, w3, b3 = theta
    z1 = w1 * x + b1
    z2 = w2 * _ch4_sigmoid(z1) + b2
    z3 = w3 * _ch4_sigmoid(z2) + b3
    ds = [_ch4_sigmoid(z) * (1 - _ch4_sigmoid(z)) for z in (z1, z2, z3)]
    d3 = 2 * (_ch4_sigmoid(z3) - y) * ds[2]
    wrong_w2 = d3 * w2 * ds[1]
    no_slope2 = d3 * w3
    return [
        ((wrong_w2 * w1 * ds[0], wrong_w2, d3),
         "each delta_j uses the weight of the connection to the NEXT neuron: "
         "delta_2 = delta_3 w3 sigma'(z2), delta_1 = delta_2 w2 sigma'(z1)."),
        ((no_slope2 * ds[1] * w2, no_slope2, d3 / ds[2]),
         "these are dL/da_j, not dL/dz_j: multiply each by the slope of its own "
         "activation, sigma'(z_j) (eq-ch4-delta2)."),
    ]


def check_chain3_deltas(fn):
    """Exercise ex-ch4-chain3: ``fn(theta, x, y)`` should return the error signals
    ``(delta1, delta2, delta3)`` (each dL/dz_j) of a chain of three sigmoid neurons with
    ``theta = (w1, b1, w2, b2, w3, b3)`` and the squared error ``(a3 - y)^2``."""
    rng = np.random.default_rng(41)
    name = getattr(fn, "__name__", "your function")
    for _ in range(4):
        theta = rng.normal(0, 1.5, size=6)  # (6,)
        x, y = float(rng.uniform(-2, 2)), float(rng.uniform(0, 1))
        expected = numeric_grad(lambda e: _chain3_loss(theta, x, y, e), np.zeros(3))  # (3,)
        got, problem = _call(fn, theta.copy(), x, y)
        if problem:
            return Verdict(False, problem)
        if got is None:
            return Verdict(False, f"{name} returned None: did you forget `return`?")
        if (not isinstance(got, (tuple, list, np.ndarray))
                or (isinstance(got, np.ndarray) and got.ndim == 0) or len(got) != 3):
            return Verdict(False, f"return three numbers, (delta1, delta2, delta3); got {got!r}.")
        numbers = [_as_number(g, f"delta{j + 1} is") for j, g in enumerate(got)]
        problems = [p for _, p in numbers if p]
        if problems:
            return Verdict(False, problems[0])
        got = np.array([v for v, _ in numbers])  # (3,)
        if _close(got, expected):
            continue
        if _close(got[::-1], expected):
            return Verdict(False, "the order is reversed: return (delta1, delta2, delta3), "
                                  "the first neuron's error signal first.")
        if _close(-got, expected):
            return Verdict(False, "the sign is flipped: delta3 = 2 (a3 - y) sigma'(z3), "
                                  "with a3 - y, not y - a3.")
        if _close(2 * got, expected):
            return Verdict(False, "half the right size: dL/da3 = 2 (a3 - y) (power rule).")
        for wrong, why in _chain3_mistakes(theta, x, y):
            if _close(got, wrong):
                return Verdict(False, why)
        if _close(got[2], expected[2]):
            return Verdict(False, f"delta3 is right, but delta1, delta2 = {got[0]:.4g}, {got[1]:.4g} "
                                  f"should be {expected[0]:.4g}, {expected[1]:.4g}: check the "
                                  "recursion (eq-ch4-delta-recursion).")
        return Verdict(False, f"for theta={np.round(theta, 3)}, x={x:.3f}, y={y:.3f} you return "
                              f"{np.round(got, 5)}, finite differences give {np.round(expected, 5)}.")
    return Verdict(True, "delta3 = 2 (a3 - y) sigma'(z3), delta2 = delta3 w3 sigma'(z2), "
                         "delta1 = delta2 w2 sigma'(z1).")


def _xor_net(theta, X):
    """The XOR network of Chapter 4 (eq-ch4-xor-hidden, eq-ch4-xor-output), written
    independently of the chapter: returns z_h1, a_h1, z_h2, a_h2, y_hat, each (n,)."""
    W = np.array([[theta[0], theta[1]], [theta[3], theta[4]]])  # (2, 2)
    z = X @ W.T + np.array([theta[2], theta[5]])  # (n, 2)
    a = _ch4_sigmoid(z)  # (n, 2)
    y_hat = _ch4_sigmoid(a @ np.array([theta[6], theta[7]]) + theta[8])  # (n,)
    return z[:, 0], a[:, 0], z[:, 1], a[:, 1], y_hat


def _xor_mean_bce(theta, X, y):
    y_hat = _xor_net(theta, X)[-1]
    return float(np.mean(-(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))))


_XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)  # (4, 2) the XOR examples
_XOR_Y = np.array([0, 1, 1, 0.0])  # (4,)


def _xor_cases():
    rng = np.random.default_rng(42)
    cases = [(rng.normal(size=9), _XOR_X.copy(), _XOR_Y.copy())]
    for n in [5, 7]:  # inputs of its own, so an answer must use its X and y
        X = rng.uniform(-1, 2, size=(n, 2))  # (n, 2)
        y = (rng.uniform(size=n) < 0.5).astype(float)  # (n,)
        y[:2] = [0.0, 1.0]
        cases.append((rng.normal(0, 1.5, size=9), X, y))
    return cases


def _is_vector(value, n):
    """True if ``value`` holds ``n`` numbers, of shape (n,) or (n, 1) (False for ragged
    input)."""
    try:
        shape = np.shape(np.asarray(value, dtype=float))
        return value is not None and shape in [(n,), (n, 1)]
    except (TypeError, ValueError, OverflowError):
        return False


def check_xor_grad_w12(fn):
    """Exercise ex-ch4-xor-weight: ``fn(theta, X, y)`` should return the gradient of the
    mean binary cross-entropy of the XOR network with respect to w_h1_2 (``theta[1]``,
    the weight from x_2 into hidden neuron h1), ``theta`` in the order w_h1_1, w_h1_2,
    b_h1, w_h2_1, w_h2_2, b_h2, w_o_h1, w_o_h2, b_o (the chapter's PARAM_NAMES)."""
    name = getattr(fn, "__name__", "your function")
    for theta, X, y in _xor_cases():
        expected = numeric_grad(lambda th: _xor_mean_bce(th, X, y), theta)  # (9,)
        got, problem = _call(fn, theta.copy(), X.copy(), y.copy())
        if problem:
            return Verdict(False, problem)
        if _is_vector(got, len(y)):
            return Verdict(False, "you return one number per example: the gradient of the mean "
                                  "loss is the mean of them (eq-ch4-xor-grads).")
        if isinstance(got, (list, tuple)) and any(g is None for g in got):
            return Verdict(False, f"{name} returned {got!r}, which holds None: did you "
                                  "forget `return` somewhere?")
        got, problem = _as_number(got, f"{name} returned")
        if problem:
            return Verdict(False, problem)
        if _close(got, expected[1]):
            continue
        z_h1, a_h1, z_h2, a_h2, y_hat = _xor_net(theta, X)
        d_o = y_hat - y  # (n,)
        s1 = a_h1 * (1 - a_h1)  # (n,) sigma'(z_h1)
        wrong = [
            (-expected[1], "the sign is flipped: delta_o = y_hat - y."),
            (len(y) * expected[1], "n times too large: take the mean over the examples, not the sum."),
            (expected[0], "that is the gradient of w_h1_1: the weight w_h1_2 multiplies "
                          "x_2 = X[:, 1]."),
            (expected[4], "that is the gradient of w_h2_2, hidden neuron h2: w_h1_2 belongs to "
                          "hidden neuron h1, whose delta uses w_o_h1 = theta[6] and "
                          "sigma'(z_h1)."),
            (expected[2], "that is dL/db_h1: multiply delta_h1 by the input x_2 "
                          "(eq-ch4-xor-grads)."),
            (np.mean(d_o * theta[6] * X[:, 1]), "the slope of hidden neuron h1 is missing: "
                                                "delta_h1 = delta_o w_o_h1 sigma'(z_h1)."),
            (np.mean(d_o * theta[7] * s1 * X[:, 1]), "hidden neuron h1 feeds the output through "
                                                     "w_o_h1 = theta[6], not w_o_h2."),
            (np.mean(2 * d_o * y_hat * (1 - y_hat) * theta[6] * s1 * X[:, 1]),
             "that is the error signal of the squared error; with cross-entropy and a sigmoid "
             "output delta_o = y_hat - y (eq-ch4-xor-delta-out)."),
            (numeric_grad(lambda th: _xor_mean_bce(th, _XOR_X, _XOR_Y), theta)[1],
             "that is the gradient on the four XOR examples, but the check passed other data: "
             "use the X and y given to your function, not the chapter's X_xor and y_xor."),
        ]
        for value, why in wrong:
            if _close(got, value):
                return Verdict(False, why)
        return Verdict(False, f"you return {got:.6f}, finite differences give {expected[1]:.6f}.")
    return Verdict(True, "dL/dw_h1_2 = mean(delta_h1 x_2), with delta_h1 = (y_hat - y) w_o_h1 "
                         "sigma'(z_h1).")
