"""Finite-difference gradient checks, used by every chapter.

The derivative is the limit of a difference quotient; with a small but finite step
``h`` the central difference (eq-ch1-central-diff)

    dL/dw  ~  (L(w + h) - L(w - h)) / (2 h)

is accurate to about ``h**2``, so an analytic gradient that agrees with it to many
digits is almost certainly right.
"""

import numpy as np


def numeric_grad(f, w, h=1e-6):
    """Central-difference gradient of a scalar function ``f`` at ``w``.

    ``w`` may be a scalar or an array of any shape; the result has the same shape,
    one partial derivative per entry (each entry is nudged by ``+h`` and ``-h`` while
    the others stay fixed). Implements (eq-ch1-central-diff).
    """
    if not h > 0:
        raise ValueError(f"the step h must be positive, got h={h!r}")
    w = np.asarray(w, dtype=float)
    g = np.zeros_like(w)
    flat_w, flat_g = w.reshape(-1), g.reshape(-1)

    def f_at(flat):  # call f with an argument shaped like w (a float if w is a scalar)
        return _scalar(f(flat.reshape(w.shape) if w.ndim else flat[0]))

    for i in range(flat_w.size):
        plus, minus = flat_w.copy(), flat_w.copy()
        plus[i] += h
        minus[i] -= h
        flat_g[i] = (f_at(plus) - f_at(minus)) / (2 * h)
    return float(g) if g.ndim == 0 else g


def _scalar(value):
    if value is not None and np.size(value) == 1:
        try:
            return float(np.asarray(value, dtype=float).reshape(()))
        except (TypeError, ValueError):
            pass
    raise ValueError(f"numeric_grad needs f to return one number (a loss), got {value!r}")


def check_grad(analytic, numeric, tol=1e-6):
    """Print both gradients and assert that they agree (raise AssertionError if not).

    Agreement means ``|analytic - numeric| <= tol * max(1, |analytic|, |numeric|)``
    entry by entry (an absolute tolerance for small gradients, a relative one for large).
    The printed line reads ``analytic = 2.4800, numeric = 2.4800 (|diff| = 3e-11)``.
    """
    a, n = _finite(analytic, "analytic"), _finite(numeric, "numeric")
    if a.shape != n.shape:
        raise ValueError(f"analytic has shape {a.shape} but numeric has shape {n.shape}")
    diff = float(np.max(np.abs(a - n), initial=0.0))
    scale = float(np.max(np.abs(np.concatenate([a.ravel(), n.ravel()])), initial=1.0))
    print(f"analytic = {_fmt(a)}, numeric = {_fmt(n)} (|diff| = {diff:.0e})")
    if not diff <= tol * scale:
        raise AssertionError(
            f"the gradients disagree: |analytic - numeric| = {diff:.3g} > {tol:g} * {scale:.3g}. "
            "Check the derivation step by step (and the sign of each term)."
        )


def _finite(value, name):
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        array = None
    if value is None or array is None or not np.all(np.isfinite(array)):
        raise ValueError(f"the {name} gradient must be finite numbers, got {value!r}")
    return array


def _fmt(a):
    if a.ndim == 0:
        return f"{float(a):.4f}"
    return np.array2string(a, precision=4, floatmode="fixed", suppress_small=True)
