"""The exercise checks of Chapter 3: a decision (activation functions)."""

import warnings

import numpy as np

from .. import data
from ..gradcheck import numeric_grad
from ._common import Verdict, _as_number, _call, _close


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _recording_call(fn, *args):
    """``_call`` that records numpy's floating-point warnings instead of printing them: a
    check reports an overflow in its verdict, not as a warning under the reader's cell.
    Returns ``(result, problem, warned)``, ``warned`` the first warning's text or None."""
    with np.errstate(all="warn", under="ignore"), \
            warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        value, problem = _call(fn, *args)
    texts = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    warned = texts[0] if texts else None
    return value, problem, warned


def _not_real(value):
    """True if ``value`` is a string or holds complex numbers: ``np.asarray(.., float)``
    would turn ``"0.5"`` into 0.5 and drop an imaginary part, accepting a wrong answer."""
    if isinstance(value, (str, bytes)):
        return True
    try:
        return bool(np.iscomplexobj(value)) or any(
            isinstance(v, (str, bytes, complex)) for v in np.ravel(np.asarray(value, dtype=object)))
    except (TypeError, ValueError, OverflowError):
        return False


def _real_number(value, what):
    """``_as_number`` that refuses strings and complex numbers (one number: a plain number,
    a 0-d array or an array of shape (1,))."""
    if _not_real(value):
        return None, (f"{what} {value!r}, which is not one number: the check needs a "
                      "real number, not a string or a complex number.")
    return _as_number(value, what)


def _shown(value):
    """``value`` as an array of floats if it is one, else as its repr (for a message)."""
    if _not_real(value):
        return repr(value)
    try:
        return str(np.asarray(value, dtype=float))
    except (TypeError, ValueError, OverflowError):
        return repr(value)


def check_d_softplus(fn):
    """Exercise ex-ch3-softplus: ``fn(z)`` should return the derivative of
    ``softplus(z) = log(1 + exp(z))``, elementwise, for one number and for arrays, and
    right for large ``|z|`` (``z = -800`` and ``800``, where the slope is 0 and 1:
    ``np.exp(800)`` is ``inf``, and ``inf / inf`` is ``nan``). An answer that is right
    there but makes ``np.exp`` overflow on the way (``1 / (1 + exp(-z))`` at ``z = -800``)
    passes, with a note about numpy's overflow warning."""
    z = np.linspace(-6, 6, 13) + 0.05  # (13,) away from round numbers
    expected = np.array([numeric_grad(lambda v: np.log1p(np.exp(v)), zi) for zi in z])  # (13,)
    name = getattr(fn, "__name__", "your function")
    got = []
    for zi in z:
        value, problem = _call(fn, zi)
        if not problem:
            value, problem = _real_number(value, f"{name}({zi:.2f}) returned")
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
    if problem or _not_real(value) or not _close(value, expected):
        return Verdict(False, "right for one number, but not for an array of z: use numpy "
                              "functions (np.exp), not math.exp or if/else.")
    far = np.array([-800.0, 800.0])  # (2,) where exp(-z) or exp(z) overflows
    slopes = np.array([0.0, 1.0])  # (2,) sigma(-800) and sigma(800), to float precision
    value, problem, warned = _recording_call(fn, far)
    if problem or _not_real(value) or not _close(value, slopes):
        got = problem or f"it returns {_shown(value)}"
        return Verdict(False, f"right for moderate z, but not at z = -800 and 800, where the "
                              f"slope is 0 and 1: {got}. np.exp of a large positive number "
                              "is inf, and inf / inf is nan: write it so that np.exp only "
                              "gets numbers <= 0, e.g. exp(-|z|).")
    message = ("d softplus/dz = exp(z) / (1 + exp(z)) = sigma(z): the slope of softplus "
               "is the sigmoid, right also at z = -800 and 800")
    if warned:
        return Verdict(True, message + f". Note: on the way numpy warned \"{warned}\" (a "
                             "RuntimeWarning, which the check kept from printing): e.g. "
                             "exp(800) is inf, and 1 / (1 + inf) = 0 is still right. With "
                             "exp(-|z|), np.exp only gets numbers <= 0 and never overflows.")
    return Verdict(True, message + ", with no warning from numpy.")


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
    ``(d,)`` and ``dL_db`` one real number (a 0-d array or an array of shape ``(1,)``
    also counts as one number)."""
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
            if _not_real(got[0]):
                raise TypeError("not real")
            dL_dw = np.asarray(got[0], dtype=float)
        except (TypeError, ValueError, OverflowError):
            return Verdict(False, f"dL_dw is {got[0]!r}, which is not an array of real numbers.")
        try:
            swapped = np.shape(got[1]) == w.shape
        except ValueError:  # a ragged list has no shape
            swapped = False
        if dL_dw.ndim == 0 and swapped:
            return Verdict(False, "the two gradients are swapped: return (dL_dw, dL_db).")
        if dL_dw.shape == (len(y), len(w)) or dL_dw.shape == (len(y),):
            return Verdict(False, f"dL_dw has shape {dL_dw.shape}: one value per example. Take the "
                                  "mean over the examples (eq-ch3-mean-grad).")
        if dL_dw.shape != w.shape:
            return Verdict(False, f"dL_dw should have one entry per weight, shape {w.shape}; "
                                  f"yours has shape {dL_dw.shape}. The check tries d = 2 and "
                                  "d = 3 inputs: take d from w or X, don't fix it.")
        dL_db, problem = _real_number(got[1], "dL_db is")
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
