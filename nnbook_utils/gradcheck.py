"""Numeric checks, used by every chapter: finite-difference gradients, and agreement
between two computations of the same thing.

The derivative is the limit of a difference quotient; with a small but finite step
``h`` the central difference (eq-ch1-central-diff)

    dL/dw  ~  (L(w + h) - L(w - h)) / (2 h)

is accurate to about ``h**2``, so an analytic gradient that agrees with it to many
digits is almost certainly right.

Neither check prints the size of the difference itself. Two computations that agree to
rounding level differ by something like ``4.4e-16`` on one CPU and ``0.0e+00`` or
``6e-14`` on another (numpy's SIMD paths and the BLAS kernel round in different orders),
so a stored output showing that number would be true on one machine only. The checks
print the values at a stable precision and the tolerance they asserted, e.g.
``max |batch - one by one| < 1e-12 (asserted)``.
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
    The printed line reads ``analytic = 2.4800, numeric = 2.4800 (agree within 1e-06 x
    max(1, |gradient|), asserted)``: the values at four decimals and the tolerance that
    was checked, never the difference itself (its digits are rounding noise that differs
    between CPUs).
    """
    a, n = _finite(analytic, "analytic gradient"), _finite(numeric, "numeric gradient")
    if a.shape != n.shape:
        raise ValueError(f"analytic has shape {a.shape} but numeric has shape {n.shape}")
    diff = float(np.max(np.abs(a - n), initial=0.0))
    scale = float(np.max(np.abs(np.concatenate([a.ravel(), n.ravel()])), initial=1.0))
    print(f"analytic = {_fmt(a)}, numeric = {_fmt(n)} "
          f"(agree within {tol:.0e} x max(1, |gradient|), asserted)")
    if not diff <= tol * scale:
        raise AssertionError(
            f"the gradients disagree: |analytic - numeric| = {diff:.3g} > {tol:g} * {scale:.3g}. "
            "Check the derivation step by step (and the sign of each term)."
        )


def agree(a, b, tol=1e-12, label="difference"):
    """Assert that two computations of the same numbers agree, and print that they do.

    ``a`` and ``b`` are numbers or arrays of the same shape, or lists of them (each list is
    flattened and joined, so ``[y_hat, dw, db]`` compares outputs and gradients at once).
    Agreement means ``max |a - b| < tol`` (an absolute tolerance). Prints one line,
    ``max |difference| < 1e-12 (asserted)`` with ``label`` in place of ``difference``
    (e.g. ``label="batch - one by one"``), and never the difference itself, whose digits
    are rounding noise that differs between CPUs. Raises AssertionError, giving the
    difference, when they disagree. Returns nothing.
    """
    if not (np.ndim(tol) == 0 and np.isfinite(tol) and tol > 0):
        raise ValueError(f"tol is a tolerance: a number > 0, got {tol!r}")
    x, y = _finite(_joined(a), "first computation"), _finite(_joined(b), "second computation")
    if x.shape != y.shape:
        raise ValueError(f"the two computations must give the same shape: the first has shape "
                         f"{x.shape}, the second {y.shape}")
    diff = float(np.max(np.abs(x - y), initial=0.0))
    if not diff < tol:
        raise AssertionError(f"max |{label}| = {diff:.3g}, not below {tol:g}: the two computations "
                             "disagree. Check that both compute the same equation.")
    print(f"max |{label}| < {tol:.0e} (asserted)")


def _joined(value):
    if isinstance(value, (list, tuple)):  # several arrays, of any shapes: one flat vector
        try:
            return np.concatenate([np.ravel(np.asarray(v, dtype=float)) for v in value] or [np.zeros(0)])
        except (TypeError, ValueError):
            return None
    return value


def _finite(value, name):
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        array = None
    if value is None or array is None or not np.all(np.isfinite(array)):
        raise ValueError(f"the {name} must give finite numbers, got {value!r}")
    return array


def _fmt(a):
    a = np.round(a, 4) + 0.0  # + 0.0 turns a rounded -0.0 into 0.0: no sign of noise
    if a.ndim == 0:
        return f"{float(a):.4f}"
    return np.array2string(a, precision=4, floatmode="fixed", suppress_small=True)
