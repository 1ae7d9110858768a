"""The exercise checks of Chapter 1: the smallest possible neural network."""

import numpy as np

from .. import data, neuron
from ..gradcheck import numeric_grad
from ._common import Verdict, _as_number, _call, _close


def check_abs_loss_grad(fn):
    """Exercise ex-ch1-abs: ``fn(w, x, y)`` should return dL/dw for L = |w x - y|."""
    rng = np.random.default_rng(1)
    w = rng.uniform(-1, 2, size=20)  # (20,)
    x = rng.uniform(-3, 3, size=20)  # (20,)
    y = rng.uniform(-2, 2, size=20)  # (20,)
    keep = np.abs(w * x - y) > 0.05  # stay away from the kink, where dL/dw does not exist
    w, x, y = w[keep], x[keep], y[keep]
    expected = np.array([numeric_grad(lambda v: abs(v * xi - yi), wi) for wi, xi, yi in zip(w, x, y)])
    got = []
    for args in zip(w, x, y):
        value, problem = _call(fn, *args)
        if not problem:
            value, problem = _as_number(value, getattr(fn, "__name__", "your function") + " returned")
        if problem:
            return Verdict(False, problem)
        got.append(value)
    if not _close(got, expected):
        got = np.asarray(got, dtype=float)
        if _close(-got, expected):
            return Verdict(False, "the sign is flipped: when y_hat > y the loss grows with w (if x > 0).")
        if _close(got, np.sign(w * x - y)):
            return Verdict(False, "you have dL/dy_hat; multiply by dy_hat/dw = x (chain rule).")
        if _close(got, 2 * (w * x - y) * x):
            return Verdict(False, "that is the gradient of the squared loss, not of |y_hat - y|.")
        i = int(np.argmax(np.abs(got - expected)))
        return Verdict(False, f"at w={w[i]:.3f}, x={x[i]:.3f}, y={y[i]:.3f} you return {got[i]:.4f}, "
                               f"but the slope of the loss there is {expected[i]:.4f}.")
    value, problem = _call(fn, w, x, y)
    if not problem and not _close(value, expected):
        try:
            shape = np.shape(value)
        except Exception:  # e.g. a ragged list: numpy cannot give it a shape
            shape = None
        if shape != expected.shape:
            return Verdict(False, f"right for one example; for arrays x, y of {len(x)} examples "
                                   f"return one value per example, shape {expected.shape}; "
                                   f"got shape {shape}.")
    if problem or not _close(value, expected):
        return Verdict(False, "right for one example, but not for arrays of examples: "
                               "use np.sign instead of if/else.")
    return Verdict(True, "dL/dw = sign(w x - y) x, for one example and for arrays.")


def _not_scalar(value):
    """True unless ``value`` is one number (or something numpy sees as 0-d)."""
    try:
        return np.ndim(value) != 0
    except ValueError:  # a ragged list
        return True


def check_bias_grads(fn):
    """Exercise ex-ch1-bias: ``fn(w, b, x, y)`` should return (dL/dw, dL/db) of the mean
    squared loss of the model y_hat = w x + b over the arrays x, y."""
    x, y = data.km_to_miles(n=12, rng=np.random.default_rng(2))
    y = y + 0.3
    def mean_loss(p):
        return np.mean((p[0] * x + p[1] - y) ** 2)
    for w, b in [(0.2, -0.1), (1.1, 0.7), (-0.4, 0.0)]:
        expected = numeric_grad(mean_loss, np.array([w, b]))  # (2,)
        got, problem = _call(fn, w, b, x, y)
        if problem:
            return Verdict(False, problem)
        if got is None:
            return Verdict(False, "bias_grads returned None: did you forget `return`?")
        if not isinstance(got, (tuple, list, np.ndarray)) or getattr(got, 'ndim', 1) == 0 \
                or len(got) != 2:
            return Verdict(False, f"return two numbers, (dL_dw, dL_db); got {got!r}.")
        if any(_not_scalar(g) for g in got):
            return Verdict(False, "each gradient should be one number: take the mean over the "
                                   "examples (eq-ch1-mean-grad), not one value per example.")
        (dL_dw, problem_w), (dL_db, problem_b) = _as_number(got[0], "dL_dw is"), _as_number(got[1], "dL_db is")
        if problem_w or problem_b:
            return Verdict(False, problem_w or problem_b)
        got = np.array([dL_dw, dL_db])
        if _close(got, expected):
            continue
        if _close(got[::-1], expected):
            return Verdict(False, "the two gradients are swapped: return (dL_dw, dL_db).")
        if _close(got, expected / 2):
            return Verdict(False, "half the right size: the power rule gives a factor 2.")
        if _close(got, expected * len(x)):
            return Verdict(False, "n times too large: average over the examples, don't sum.")
        return Verdict(False, f"at w={w}, b={b} you return ({got[0]:.4f}, {got[1]:.4f}), "
                               f"finite differences give ({expected[0]:.4f}, {expected[1]:.4f}).")
    return Verdict(True, "dL/dw = mean(2 (y_hat - y) x) and dL/db = mean(2 (y_hat - y)).")


def check_steps_to_tolerance(fn):
    """Exercise ex-ch1-steps: ``fn(w0, x, y, lr, tol)`` should return the first step t at
    which |w_t - w*| <= tol under gradient descent, computed from (eq-ch1-error-t)."""
    # Data of its own (not the chapter's), so an answer must use its x and y arguments.
    x, y = data.km_to_miles(n=15, noise=0.2, rng=np.random.default_rng(3))
    bound = neuron.lr_bound(x)
    cases = [(0.0, 0.1, 1e-3), (2.0, 0.3, 1e-6), (0.0, 0.9, 1e-4), (-1.0, 0.7, 1e-8), (0.6, 0.2, 0.5)]
    for w0, frac, tol in cases:  # the last case is within tol at the start: 0 steps
        lr = frac * bound
        history = neuron.train(w0, x, y, lr, 400)
        within = np.abs(history.w - neuron.best_w(x, y)) <= tol  # (401,)
        assert within.any(), "check_steps_to_tolerance: a case that never converges; fix the check"
        expected = int(np.argmax(within))
        got, problem = _call(fn, w0, x, y, lr, tol)
        if not problem:
            got, problem = _as_number(got, "steps_to_tolerance returned")
        if problem:
            return Verdict(False, problem)
        if got != int(got):
            return Verdict(False, f"a number of steps is a whole number; got {got:.15g} (round up with np.ceil).")
        if got == expected:
            continue
        hint = " (off by one: w_0 is step 0; count until the error first is <= tol)" if abs(got - expected) == 1 else ""
        return Verdict(False, f"for w0={w0}, lr={frac} / mean(x**2), tol={tol:g} you return {got:.15g}, "
                               f"but gradient descent first gets within tol at step {expected}{hint}.")
    return Verdict(True, "your formula matches the steps gradient descent really takes.")
