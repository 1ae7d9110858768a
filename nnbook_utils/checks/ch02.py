"""The exercise checks of Chapter 2: bias and many inputs."""

import numpy as np

from ..gradcheck import numeric_grad
from ._common import Verdict, _as_number, _call, _close


def _real_array(value, what):
    """``value`` as a float array, or ``(None, why not)``: numbers only, and no complex
    values (``np.asarray(..., dtype=float)`` would drop their imaginary part with only a
    warning)."""
    try:
        if np.iscomplexobj(value):
            return None, f"{what} should be real numbers; got complex values."
        return np.asarray(value, dtype=float), None
    except (TypeError, ValueError, OverflowError):
        return None, None


def _is_complex(value):
    """Whether ``value`` holds complex numbers (numpy's complex scalars and 0-d arrays
    would otherwise lose their imaginary part on conversion to float)."""
    try:
        return bool(np.iscomplexobj(value))
    except (TypeError, ValueError, OverflowError):
        return False


def _ch2_data():
    """Data of the checks' own (3 inputs, not the chapter's 2), so an answer must work
    for any number of inputs and use its arguments."""
    rng = np.random.default_rng(12)
    X = rng.normal(size=(9, 3)) * np.array([1.0, 10.0, 0.1]) + np.array([2.0, -5.0, 1.0])  # (9, 3)
    y = rng.normal(size=9)  # (9,)
    return X, y


def _ch2_gradient(fn, args, shape):
    """Call the reader's ``fn(*args)`` and turn its ``(dL_dw, dL_db)`` into one array
    ``(dL_dw..., dL_db)``; return ``(array, None)`` or ``(None, why not)``. ``shape`` is the
    shape ``dL_dw`` needs."""
    got, problem = _call(fn, *args)
    if problem:
        return None, problem
    if got is None:
        return None, f"{getattr(fn, '__name__', 'your function')} returned None: did you forget `return`?"
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return None, f"return a pair (dL_dw, dL_db); got {got!r}."
    if _is_complex(got[1]):
        return None, "dL_db should be a real number; got a complex value."
    dL_db, problem = _as_number(got[1], "dL_db is")
    if problem:
        return None, problem
    dL_dw, problem = _real_array(got[0], "dL_dw")
    if problem:
        return None, problem
    if dL_dw is None:
        return None, f"dL_dw should be numbers, one per weight; got {got[0]!r}."
    if dL_dw.shape != shape:
        return None, (f"dL_dw should hold one partial derivative per weight, shape {shape}; "
                      f"got shape {dL_dw.shape}. Loop over the weights i, and for each over "
                      "the examples k.")
    return np.append(dL_dw, dL_db), None


def _ch2_wrong(theta, expected, w, b, bias_hint):
    """Why a Chapter 2 gradient ``theta`` (``dL_dw..., dL_db``) that differs from the
    finite-difference ``expected`` at ``(w, b)`` is wrong: the mistakes common to both
    Chapter 2 gradient exercises, else both values side by side."""
    if _close(theta, expected / 2):
        return Verdict(False, "half the right size: the power rule gives a factor 2.")
    if _close(theta, -expected):
        return Verdict(False, "the sign is flipped: use (y_hat - y), not (y - y_hat).")
    if _close(theta[:-1], expected[:-1]):
        return Verdict(False, f"dL_dw is right but dL_db is {theta[-1]:.4f}, not {expected[-1]:.4f}: "
                              + bias_hint)
    return Verdict(False, f"at w={w}, b={b} you return {np.round(theta, 4)}, "
                          f"finite differences give {np.round(expected, 4)} (w first, then b).")


def check_mean_grad_loop(fn):
    """Exercise ex-ch2-loop: ``fn(w, b, X, y)`` should return ``(dL_dw, dL_db)`` of the
    mean squared loss, ``dL_dw`` with one entry per weight, computed with loops."""
    X, y = _ch2_data()
    for w, b in [(np.array([0.5, -0.1, 2.0]), 0.3), (np.array([-1.0, 0.2, 0.0]), -2.0)]:
        def loss_of(theta):
            return np.mean((X @ theta[:-1] + theta[-1] - y) ** 2)
        expected = numeric_grad(loss_of, np.append(w, b))  # (4,)
        theta, problem = _ch2_gradient(fn, (w.copy(), b, X.copy(), y.copy()), w.shape)
        if problem:
            return Verdict(False, problem)
        if _close(theta, expected):
            continue
        if _close(theta, expected * len(y)):
            return Verdict(False, "n times too large: divide the sum over the examples by n (a mean).")
        return _ch2_wrong(theta, expected, w, b, "the bias multiplies an input that is always 1.")
    return Verdict(True, "dL/dw_i = mean_k 2 (y_hat_k - y_k) x_ki and dL/db = mean_k 2 (y_hat_k - y_k).")


def check_weighted_mean_grad(fn):
    """Exercise ex-ch2-weighted: ``fn(w, b, X, y, q)`` should return ``(dL_dw, dL_db)`` of
    the weighted mean loss ``sum_k q_k (y_hat_k - y_k)^2 / sum_k q_k``."""
    X, y = _ch2_data()
    q = np.random.default_rng(13).uniform(0.2, 3.0, size=len(y))  # (9,) importances
    for w, b in [(np.array([0.5, -0.1, 2.0]), 0.3), (np.array([-1.0, 0.2, 0.0]), -2.0)]:
        def loss_of(theta, q=q):
            return np.sum(q * (X @ theta[:-1] + theta[-1] - y) ** 2) / np.sum(q)
        expected = numeric_grad(loss_of, np.append(w, b))  # (4,)
        theta, problem = _ch2_gradient(fn, (w.copy(), b, X.copy(), y.copy(), q.copy()), w.shape)
        if problem:
            return Verdict(False, problem)
        if _close(theta, expected):
            continue
        if _close(theta, numeric_grad(lambda th: loss_of(th, np.ones_like(q)), np.append(w, b))):
            return Verdict(False, "that is the plain mean gradient: multiply each example's term by q_k.")
        if _close(theta, expected * np.sum(q) / len(y)):
            return Verdict(False, "divide by sum_k q_k, not by n: the weights q_k replace the count.")
        return _ch2_wrong(theta, expected, w, b, "weight the bias's terms by q_k too.")
    return Verdict(True, "dL/dw = 2 X^T (q * (y_hat - y)) / sum(q) and dL/db = 2 sum(q * (y_hat - y)) / sum(q).")


def check_scaling(standardize, unscale):
    """Exercise ex-ch2-scaling: ``standardize(X)`` should return ``(X_s, mu, s)`` with every
    column of ``X_s`` at mean 0 and standard deviation 1, and ``unscale(w_s, b_s, mu, s)``
    the ``(w, b)`` that make the same predictions on ``X`` as ``(w_s, b_s)`` make on ``X_s``."""
    X, _ = _ch2_data()
    mu_ref, s_ref = X.mean(axis=0), X.std(axis=0)  # (3,), (3,)
    got, problem = _call(standardize, X.copy())
    if problem:
        return Verdict(False, problem)
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return Verdict(False, f"standardize should return (X_s, mu, s); got {got!r}.")
    arrays = []
    for value, what in zip(got, ("X_s", "mu", "s")):
        array, problem = _real_array(value, what)
        if problem:
            return Verdict(False, problem)
        if array is None:
            return Verdict(False, "standardize should return three arrays of numbers.")
        arrays.append(array)
    X_s, mu, s = arrays
    if mu.shape != (3,) or s.shape != (3,):
        return Verdict(False, f"mu and s need one entry per column of X, shape (3,) here; got {mu.shape} "
                              f"and {s.shape}. Take the mean and std along the examples: axis=0.")
    if _close(s, s_ref**2):
        return Verdict(False, "s is the variance; divide by the standard deviation (its square root).")
    if _close(s, X.std(axis=0, ddof=1)):
        return Verdict(False, "s divides by n - 1 (ddof=1); the chapter's standard deviation divides by n, "
                              "as X.std(axis=0) does, so that X_s has X_s.std(axis=0) = 1.")
    if not (_close(mu, mu_ref) and _close(s, s_ref)):
        return Verdict(False, "mu and s should be the mean and standard deviation of each column of X.")
    if X_s.shape != X.shape or not _close(X_s, (X - mu_ref) / s_ref):
        return Verdict(False, "X_s should be (X - mu) / s: subtract the column means, then divide by s.")
    w_s, b_s = np.array([0.7, -1.2, 0.4]), 0.9  # (3,)
    target = X_s @ w_s + b_s  # (9,)
    got, problem = _call(unscale, w_s.copy(), b_s, mu_ref.copy(), s_ref.copy())
    if problem:
        return Verdict(False, problem)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return Verdict(False, f"unscale should return (w, b); got {got!r}.")
    if _is_complex(got[1]):
        return Verdict(False, "b should be a real number; got a complex value.")
    b, problem = _as_number(got[1], "b is")
    if problem:
        return Verdict(False, problem)
    w, problem = _real_array(got[0], "w")
    if problem:
        return Verdict(False, problem)
    if w is None:
        return Verdict(False, f"w should be numbers, one per input; got {got[0]!r}.")
    if w.shape != w_s.shape:
        return Verdict(False, f"w should have one entry per input, shape {w_s.shape}; got {w.shape}.")
    if _close(w, w_s * s_ref):
        return Verdict(False, "w_s * s goes the wrong way: x_s = (x - mu) / s divides by s, so w = w_s / s.")
    if not _close(w, w_s / s_ref):
        return Verdict(False, "w is not w_s / s: substitute x_s = (x - mu) / s into the model.")
    if _close(b, b_s):
        return Verdict(False, "w is right, but b also changes: the terms -w_s mu / s are constants.")
    if _close(b, b_s + np.sum(w_s * mu_ref / s_ref)):
        return Verdict(False, "the sign of the bias correction is flipped: b = b_s - sum_i w_s,i mu_i / s_i.")
    if not _close(X @ w + b, target):
        return Verdict(False, "with your (w, b) the predictions on X differ from those of (w_s, b_s) on X_s.")
    return Verdict(True, "X_s = (X - mu) / s, and w = w_s / s, b = b_s - sum(w_s mu / s) give the same "
                         "predictions.")
