"""Check functions for the exercises: each tells the reader whether an answer is right,
and if not, why not.

A check calls the reader's function on seeded inputs, compares with the reference
(worked out independently, usually by finite differences or by simulation), and returns
a :class:`Verdict`: true or false, shown as one line starting with ``Correct:`` or
``Not yet:``. It never raises because of the reader's code: an error inside it is
reported in the verdict instead.
"""

import numpy as np

from . import data, neuron
from .gradcheck import numeric_grad


class Verdict:
    """The answer of a check: ``bool(verdict)`` says whether the reader's answer is right,
    ``verdict.message`` says why (or why not); a notebook shows it as one line."""

    def __init__(self, ok, message):
        self.ok, self.message = bool(ok), message

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return ("Correct: " if self.ok else "Not yet: ") + self.message


def _call(fn, *args):
    """Call the reader's function; return (result, None) or (None, explanation)."""
    name = getattr(fn, "__name__", "your function")
    try:
        return fn(*args), None
    except NotImplementedError:
        return None, f"{name} still raises NotImplementedError: replace that line with your code."
    except Exception as err:  # the reader's code may fail in any way; explain, don't crash
        return None, f"{name} raised {type(err).__name__}: {err}"


def _as_number(value, what):
    """Return ``(number, None)`` if ``value`` is one finite number, else ``(None, why)``;
    ``what`` starts the explanation, e.g. "steps_to_tolerance returned"."""
    if value is None:
        return None, f"{what} None: did you forget `return`?"
    try:
        number = float(np.asarray(value, dtype=float).reshape(()))
    except (TypeError, ValueError):
        return None, f"{what} {value!r}, which is not one number."
    if not np.isfinite(number):
        return None, f"{what} {number}, not a finite number."
    return number, None


def _close(a, b, tol=1e-6):
    try:
        a = np.asarray(a, dtype=float)
    except (TypeError, ValueError):
        return False
    return a.shape == np.shape(b) and bool(np.all(np.abs(a - b) <= tol * np.maximum(1, np.abs(b))))


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
    if problem or not _close(value, expected):
        return Verdict(False, "right for one example, but not for arrays of examples: "
                               "use np.sign instead of if/else.")
    return Verdict(True, "dL/dw = sign(w x - y) x, for one example and for arrays.")


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
        if not isinstance(got, (tuple, list, np.ndarray)) or len(got) != 2:
            return Verdict(False, f"return two numbers, (dL_dw, dL_db); got {got!r}.")
        if any(np.ndim(g) != 0 for g in got):
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
            return Verdict(False, f"a number of steps is a whole number; got {got!r} (round up with np.ceil).")
        got = int(got)
        if got == expected:
            continue
        hint = " (off by one: w_0 is step 0; count until the error first is <= tol)" if abs(got - expected) == 1 else ""
        return Verdict(False, f"for w0={w0}, lr={frac} / mean(x**2), tol={tol:g} you return {got!r}, "
                               f"but gradient descent first gets within tol at step {expected}{hint}.")
    return Verdict(True, "your formula matches the steps gradient descent really takes.")


# --- Chapter 3: a decision ---


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def check_d_softplus(fn):
    """Exercise ex-ch3-softplus: ``fn(z)`` should return the derivative of
    ``softplus(z) = log(1 + exp(z))``, elementwise, for one number and for arrays."""
    z = np.linspace(-6, 6, 13) + 0.05  # (13,) away from round numbers
    expected = np.array([numeric_grad(lambda v: np.log1p(np.exp(v)), zi) for zi in z])  # (13,)
    name = getattr(fn, "__name__", "your function")
    got = []
    for zi in z:
        value, problem = _call(fn, zi)
        if not problem:
            value, problem = _as_number(value, f"{name}({zi:.2f}) returned")
        if problem:
            return Verdict(False, problem)
        got.append(value)
    got = np.array(got)  # (13,)
    if not _close(got, expected):
        if _close(got, np.log1p(np.exp(z))):
            return Verdict(False, "that is softplus itself; the exercise asks for its slope d/dz.")
        if _close(got, _sigmoid(-z)):
            return Verdict(False, "you have sigma(-z) = 1 - sigma(z): the inner derivative of "
                                  "exp(z) is +exp(z) (chain rule), so no minus sign appears.")
        if _close(got, np.exp(z)):
            return Verdict(False, "you have the derivative of exp(z) only; the chain rule also "
                                  "needs the outer link, d log(u)/du = 1/u with u = 1 + exp(z).")
        i = int(np.argmax(np.abs(got - expected)))
        return Verdict(False, f"at z = {z[i]:.2f} you return {got[i]:.4f}, but the slope of "
                              f"softplus there is {expected[i]:.4f}.")
    value, problem = _call(fn, z)
    if problem or not _close(value, expected):
        return Verdict(False, "right for one number, but not for an array of z: use numpy "
                              "functions (np.exp), not math.exp or if/else.")
    return Verdict(True, "d softplus/dz = exp(z) / (1 + exp(z)) = sigma(z): the slope of "
                         "softplus is the sigmoid.")


def _bce_cases():
    """Data of the check's own, two and three inputs, with parameters to test at."""
    X2, y2 = data.two_blobs(n=30, rng=np.random.default_rng(5))
    rng = np.random.default_rng(6)
    X3 = rng.normal(size=(17, 3))  # (17, 3)
    y3 = (rng.uniform(size=17) < 0.5).astype(float)  # (17,)
    return [(np.array([0.5, -1.0]), 0.3, X2, y2), (np.array([1.5, 2.0]), -0.2, X2, y2),
            (np.array([0.4, -0.7, 1.2]), 0.1, X3, y3)]


def check_bce_grad(fn):
    """Exercise ex-ch3-bce-grad: ``fn(w, b, X, y)`` should return ``(dL_dw, dL_db)``, the
    gradient of the mean binary cross-entropy of one sigmoid neuron: ``dL_dw`` of shape
    ``(d,)`` and ``dL_db`` one number."""
    name = getattr(fn, "__name__", "your function")
    for w, b, X, y in _bce_cases():
        def mean_bce(p):
            y_hat = _sigmoid(X @ p[:-1] + p[-1])  # (n,)
            return np.mean(-(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat)))
        expected = numeric_grad(mean_bce, np.append(w, b))  # (d + 1,)
        got, problem = _call(fn, w, b, X, y)
        if problem:
            return Verdict(False, problem)
        if got is None:
            return Verdict(False, f"{name} returned None: did you forget `return`?")
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            return Verdict(False, f"return two things, (dL_dw, dL_db); got {type(got).__name__}.")
        try:
            dL_dw = np.asarray(got[0], dtype=float)
        except (TypeError, ValueError):
            return Verdict(False, f"dL_dw is {got[0]!r}, which is not an array of numbers.")
        if dL_dw.ndim == 0 and np.shape(got[1]) == w.shape:
            return Verdict(False, "the two gradients are swapped: return (dL_dw, dL_db).")
        if dL_dw.shape == (len(y), len(w)) or dL_dw.shape == (len(y),):
            return Verdict(False, f"dL_dw has shape {dL_dw.shape}: one value per example. Take the "
                                  "mean over the examples (eq-ch3-mean-grad).")
        if dL_dw.shape != w.shape:
            return Verdict(False, f"dL_dw should have one entry per weight, shape {w.shape}; "
                                  f"yours has shape {dL_dw.shape}. The check tries d = 2 and "
                                  "d = 3 inputs: take d from w or X, don't fix it.")
        dL_db, problem = _as_number(got[1], "dL_db is")
        if problem:
            return Verdict(False, problem)
        mine = np.append(dL_dw, dL_db)  # (d + 1,)
        if _close(mine, expected):
            continue
        y_hat = _sigmoid(X @ w + b)  # (n,)
        delta = y_hat - y  # (n,)
        if _close(mine, -expected):
            return Verdict(False, "the sign is flipped: the error is y_hat - y, not y - y_hat.")
        if _close(mine, expected * len(y)):
            return Verdict(False, "n times too large: average over the examples, don't sum.")
        se = 2 * delta * y_hat * (1 - y_hat)  # (n,) dL/dz of the squared error
        if _close(mine, np.append(X.T @ se / len(y), se.mean())):
            return Verdict(False, "that is the gradient of the squared error through a sigmoid; "
                                  "with cross-entropy the factor sigma'(z) cancels (eq-ch3-delta).")
        if _close(dL_dw, np.full(w.shape, delta.mean())):
            return Verdict(False, "dL_dw is the same for every weight: multiply the error of each "
                                  "example by its input x_i before averaging (dz/dw_i = x_i).")
        z_delta = X @ w + b - y  # (n,)
        if _close(mine, np.append(X.T @ z_delta / len(y), z_delta.mean())):
            return Verdict(False, "you used z - y: the prediction is y_hat = sigma(z), not z.")
        return Verdict(False, f"at w={w}, b={b} you return {np.round(mine, 4)}, finite "
                              f"differences give {np.round(expected, 4)} (dL_dw..., dL_db).")
    return Verdict(True, "dL/dw = mean((y_hat - y) x) and dL/db = mean(y_hat - y).")


# --- Chapter 2: bias and many inputs ---


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
    dL_db, problem = _as_number(got[1], "dL_db is")
    if problem:
        return None, problem
    try:
        dL_dw = np.asarray(got[0], dtype=float)
    except (TypeError, ValueError):
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
        theta, problem = _ch2_gradient(fn, (w.copy(), b, X, y), w.shape)
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
        theta, problem = _ch2_gradient(fn, (w.copy(), b, X, y, q.copy()), w.shape)
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
    try:
        X_s, mu, s = (np.asarray(v, dtype=float) for v in got)
    except (TypeError, ValueError):
        return Verdict(False, "standardize should return three arrays of numbers.")
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
    got, problem = _call(unscale, w_s.copy(), b_s, mu_ref, s_ref)
    if problem:
        return Verdict(False, problem)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return Verdict(False, f"unscale should return (w, b); got {got!r}.")
    b, problem = _as_number(got[1], "b is")
    if problem:
        return Verdict(False, problem)
    try:
        w = np.asarray(got[0], dtype=float)
    except (TypeError, ValueError):
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


# --- Chapter 5: any graph of neurons ---
# Networks in Chapter 5's format: {name: {"sources": [...], "weights": array,
# "bias": float, "activation": str}}; a source that is not a key is an input.


def _ch5_neuron(sources, rng, activation="tanh"):
    return {"sources": list(sources), "weights": rng.normal(size=len(sources)),  # (k,)
            "bias": float(0.3 * rng.normal()), "activation": activation}


def _ch5_fixed_net(rng):
    """Fan-out (p feeds q, r, s), a skip connection (x1 -> q) and an output (r) that
    another neuron (s) reads. Returns (inputs, net in a valid order, outputs)."""
    net = {"p": _ch5_neuron(["x1", "x2"], rng), "q": _ch5_neuron(["p", "x1"], rng),
           "r": _ch5_neuron(["p", "q", "x2"], rng, "identity"),
           "s": _ch5_neuron(["p", "r"], rng, "sigmoid")}
    return ["x1", "x2"], net, ["r", "s"]


def _ch5_random_net(rng, n_inputs=2, n_neurons=7):
    """A random DAG: each neuron reads 1 to 3 of the inputs and earlier neurons. Returns
    (inputs, net in a valid order, outputs: the last neuron and one other)."""
    inputs = [f"x{i + 1}" for i in range(n_inputs)]
    names = [f"n{k + 1}" for k in range(n_neurons)]
    net = {}
    for k, name in enumerate(names):
        pool = inputs + names[:k]
        picked = rng.choice(len(pool), size=int(rng.integers(1, min(3, len(pool)) + 1)), replace=False)
        net[name] = _ch5_neuron([pool[i] for i in sorted(picked)], rng,
                                str(rng.choice(["tanh", "sigmoid", "identity"])))
    return inputs, net, [names[-1], names[int(rng.integers(0, n_neurons - 1))]]


def _ch5_shuffled(net, rng):
    return {name: net[name] for name in rng.permutation(list(net))}


def _ch5_copy(net):
    return {name: {**n, "sources": list(n["sources"]), "weights": np.array(n["weights"], dtype=float)}
            for name, n in net.items()}


def _ch5_forward(net, order, inputs, x):
    from . import activations

    a, z = dict(zip(inputs, x)), {}
    for j in order:
        n = net[j]
        z[j] = float(sum(w * a[s] for w, s in zip(n["weights"], n["sources"])) + n["bias"])
        a[j] = float(activations.get(n["activation"])[0](z[j]))
    return z, a


def _ch5_describe(net):
    return "(" + "; ".join(f"{j} reads {', '.join(n['sources'])}" for j, n in net.items()) + ")"


def check_topological_order(fn):
    """Exercise ex-ch5-topo: ``fn(net)`` should return the neurons of ``net`` (not its
    inputs) in a topological order, every source before each neuron that reads it
    (eq-ch5-order), and raise ValueError for a wiring with a cycle."""
    name = getattr(fn, "__name__", "your function")
    rng = np.random.default_rng(5)
    _, fixed, _ = _ch5_fixed_net(rng)
    cases = [{"p": fixed["p"]}, fixed, dict(reversed(list(fixed.items())))]
    cases += [_ch5_shuffled(_ch5_random_net(rng, n_neurons=k)[1], rng) for k in (3, 6, 9, 12)]
    for net in cases:
        got, problem = _call(fn, _ch5_copy(net))
        if problem:
            return Verdict(False, problem)
        if got is None:
            return Verdict(False, f"{name} returned None: did you forget `return`?")
        if isinstance(got, (str, dict)) or not isinstance(got, (list, tuple)):
            return Verdict(False, f"return a list of neuron names; got {got!r}.")
        inputs = sorted({s for n in net.values() for s in n["sources"] if s not in net})
        listed_inputs = sorted({s for s in got if s in inputs})
        if listed_inputs:
            return Verdict(False, f"your order contains the inputs {listed_inputs}: list only the "
                                  "neurons (inputs are known from the start).")
        twice = sorted({s for s in got if list(got).count(s) > 1})
        if twice:
            return Verdict(False, f"{twice} appear more than once: place each neuron once.")
        missing = [j for j in net if j not in got]
        unknown = [j for j in got if j not in net]
        if missing or unknown:
            return Verdict(False, f"for the network {_ch5_describe(net)} your order {list(got)} "
                                  + (f"misses {missing}." if missing else f"has unknown names {unknown}."))
        position = {j: k for k, j in enumerate(got)}
        for j in got:
            early = [s for s in net[j]["sources"] if s in net and position[s] > position[j]]
            if early:
                return Verdict(False, f"for the network {_ch5_describe(net)} your order {list(got)} "
                                      f"puts {j} before its source {early[0]}; (eq-ch5-order) wants "
                                      "every source first.")
    cycles = [("a two-neuron cycle", {"p": _ch5_neuron(["x1", "q"], rng), "q": _ch5_neuron(["p"], rng)}),
              ("a self-loop", {"p": _ch5_neuron(["x1"], rng), "q": _ch5_neuron(["p", "q"], rng)}),
              ("a cycle q -> r -> s -> q behind a valid start",
               {"p": _ch5_neuron(["x1"], rng), "q": _ch5_neuron(["p", "s"], rng),
                "r": _ch5_neuron(["q"], rng), "s": _ch5_neuron(["r", "x2"], rng),
                "t": _ch5_neuron(["s", "p"], rng)})]
    for what, net in cycles:
        try:
            got = fn(_ch5_copy(net))
        except ValueError:
            continue
        except NotImplementedError:
            return Verdict(False, f"{name} still raises NotImplementedError: replace that line with your code.")
        except Exception as err:  # the reader's code may fail in any way; explain, don't crash
            return Verdict(False, f"for {what}, {_ch5_describe(net)}, {name} raised {type(err).__name__} "
                                  f"({err}); raise a ValueError that says there is a cycle.")
        return Verdict(False, f"{_ch5_describe(net)} has {what}, so no order exists, but {name} "
                              f"returned {got!r}: raise a ValueError instead.")
    return Verdict(True, "every source comes before its readers, and a cycle raises ValueError.")


def check_push_backward(fn):
    """Exercise ex-ch5-push: ``fn(net, order, z, a, dL_dy_hat)`` should return
    ``{name: delta}``, the error signal dL/dz of every neuron (eq-ch5-fanout,
    eq-ch5-delta), for a loss that adds the squared error of every output."""
    from . import activations

    name = getattr(fn, "__name__", "your function")
    rng = np.random.default_rng(6)
    cases = [_ch5_fixed_net(rng)] + [_ch5_random_net(rng, n_neurons=k) for k in (4, 7, 10)]
    for inputs, net, outputs in cases:
        order = list(net)  # built in a valid order
        x = rng.normal(size=len(inputs))  # (n_inputs,)
        y = rng.uniform(0.1, 0.9, size=len(outputs))  # (n_outputs,)

        def loss_at(candidate):
            a = _ch5_forward(candidate, order, inputs, x)[1]
            return sum((a[o] - yk) ** 2 for o, yk in zip(outputs, y))

        def with_bias(j, b):
            return {**net, j: {**net[j], "bias": b}}

        expected = {j: numeric_grad(lambda b: loss_at(with_bias(j, b)), net[j]["bias"]) for j in order}
        z, a = _ch5_forward(net, order, inputs, x)
        dL_dy_hat = {o: 2 * (a[o] - yk) for o, yk in zip(outputs, y)}
        got, problem = _call(fn, _ch5_copy(net), list(order), dict(z), dict(a), dict(dL_dy_hat))
        if problem:
            return Verdict(False, problem)
        if got is None:
            return Verdict(False, f"{name} returned None: did you forget `return delta`?")
        if not isinstance(got, dict):
            return Verdict(False, f"return a dictionary {{neuron name: delta}}; got {type(got).__name__}.")
        missing = [j for j in order if j not in got]
        if missing:
            return Verdict(False, f"delta has no entry for the neurons {missing}.")
        values = {}
        for j in order:
            values[j], problem = _as_number(got[j], f"delta[{j!r}] is")
            if problem:
                return Verdict(False, problem)
        wrong = [j for j in order if abs(values[j] - expected[j]) > 1e-5 * max(1, abs(expected[j]))]
        if not wrong:
            continue
        j = wrong[-1]  # the last in the order: the errors of its sources may follow from it
        readers = [k for k in order if j in net[k]["sources"]]
        terms = readers + (["the loss"] if j in outputs else [])
        d_sigma = float(activations.get(net[j]["activation"])[1](z[j]))
        where = (f"for {_ch5_describe(net)} with outputs {outputs}, delta[{j!r}] is {values[j]:.6f} "
                 f"but should be {expected[j]:.6f}")
        if d_sigma != 0 and abs(values[j] - expected[j] / d_sigma) <= 1e-5 * max(1, abs(expected[j] / d_sigma)):
            return Verdict(False, f"{where}: that is dL/da; multiply by sigma'(z) (eq-ch5-delta).")
        own = dL_dy_hat.get(j, 0.0) * d_sigma  # the output's own term, times sigma'(z)
        if own != 0 and not readers and abs(values[j] - (expected[j] - own)) <= 1e-5 * max(1, abs(expected[j])):
            return Verdict(False, f"{where}: the loss's own term is missing. {j} is an output, so its "
                                  f"dL/da starts at dL_dy_hat[{j!r}], not at 0 (eq-ch5-fanout).")
        if j in outputs and readers:
            return Verdict(False, f"{where}. {j} is an output AND other neurons ({', '.join(readers)}) read "
                                  "it: its dL/da starts at dL/dy_hat, and each reader then adds (+=) its "
                                  "term (walk reversed(order), so all have arrived first).")
        if len(terms) > 1:
            return Verdict(False, f"{where}. {j} gets {len(terms)} terms in (eq-ch5-fanout), from "
                                  f"{', '.join(terms)}: add each one (+=), walking reversed(order), "
                                  "so that all of them have arrived before you compute delta.")
        return Verdict(False, f"{where}. Walk reversed(order); delta = dL/da * sigma'(z), and each "
                              "neuron then adds delta * w to the dL/da of each of its sources.")
    return Verdict(True, "every delta matches the slope of the loss in that neuron's bias.")


# --- Chapter 4: neurons feeding neurons ---


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
        ((no_slope2 * w2, no_slope2, d3 / ds[2]),
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
        if not isinstance(got, (tuple, list, np.ndarray)) or len(got) != 3:
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
    independently of the chapter: returns z1, a1, z2, a2, y_hat, each (n,)."""
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


def check_xor_grad_w12(fn):
    """Exercise ex-ch4-xor-weight: ``fn(theta, X, y)`` should return the gradient of the
    mean binary cross-entropy of the XOR network with respect to w12 (``theta[1]``, the
    weight from x2 into hidden neuron 1), ``theta`` in the order w11, w12, b1, w21, w22,
    b2, wo1, wo2, bo."""
    name = getattr(fn, "__name__", "your function")
    for theta, X, y in _xor_cases():
        expected = numeric_grad(lambda th: _xor_mean_bce(th, X, y), theta)  # (9,)
        got, problem = _call(fn, theta.copy(), X.copy(), y.copy())
        if problem:
            return Verdict(False, problem)
        if got is not None and np.ndim(got) == 1 and np.size(got) == len(y):
            return Verdict(False, "you return one number per example: the gradient of the mean "
                                  "loss is the mean of them (eq-ch4-xor-grads).")
        got, problem = _as_number(got, f"{name} returned")
        if problem:
            return Verdict(False, problem)
        if _close(got, expected[1]):
            continue
        z1, a1, z2, a2, y_hat = _xor_net(theta, X)
        d_o = y_hat - y  # (n,)
        s1 = a1 * (1 - a1)  # (n,)
        wrong = [
            (-expected[1], "the sign is flipped: delta_o = y_hat - y."),
            (len(y) * expected[1], "n times too large: take the mean over the examples, not the sum."),
            (expected[0], "that is the gradient of w11: the weight w12 multiplies x2 = X[:, 1]."),
            (expected[4], "that is the gradient of w22, hidden neuron 2: w12 belongs to hidden "
                          "neuron 1, whose delta uses wo1 = theta[6] and sigma'(z1)."),
            (expected[2], "that is dL/db1: multiply delta_1 by the input x2 (eq-ch4-grad-delta)."),
            (np.mean(d_o * theta[6] * X[:, 1]), "the slope of hidden neuron 1 is missing: "
                                                "delta_1 = delta_o wo1 sigma'(z1)."),
            (np.mean(d_o * theta[7] * s1 * X[:, 1]), "hidden neuron 1 feeds the output through wo1 "
                                                     "= theta[6], not wo2."),
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
    return Verdict(True, "dL/dw12 = mean(delta_1 x2), with delta_1 = (y_hat - y) wo1 sigma'(z1).")
