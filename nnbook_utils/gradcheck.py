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
    for i in range(flat_w.size):
        plus, minus = flat_w.copy(), flat_w.copy()
        plus[i] += h
        minus[i] -= h
        f_plus = _scalar(f(plus.reshape(w.shape) if w.ndim else plus[0]))
        f_minus = _scalar(f(minus.reshape(w.shape) if w.ndim else minus[0]))
        flat_g[i] = (f_plus - f_minus) / (2 * h)
    return float(g) if g.ndim == 0 else g


def _scalar(value):
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        array = np.array([np.nan, np.nan])
    if array.size != 1 or value is None:
        raise ValueError(f"numeric_grad needs f to return one number (a loss), got {value!r}")
    return float(array.reshape(()))


def check_grad(analytic, numeric, tol=1e-6):
    """Print both gradients and assert that they agree (raise AssertionError if not).

    Agreement means ``|analytic - numeric| <= tol * max(1, |analytic|, |numeric|)``
    entry by entry (an absolute tolerance for small gradients, a relative one for large).
    The printed line reads ``analytic = 2.4800, numeric = 2.4800 (|diff| = 3e-11)``.
    """
    a, n = _finite(analytic, "analytic"), _finite(numeric, "numeric")
    if a.shape != n.shape:
        raise ValueError(f"analytic has shape {a.shape} but numeric has shape {n.shape}")
    diff = float(np.max(np.abs(a - n))) if a.size else 0.0
    scale = max(1.0, float(np.max(np.abs(a))) if a.size else 0.0, float(np.max(np.abs(n))) if n.size else 0.0)
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
