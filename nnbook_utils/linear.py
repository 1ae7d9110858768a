"""The neuron of Chapter 2: many inputs and a bias, ``y_hat = sum_i w_i x_i + b``.

Reference implementations of the equations that Chapter 2 derives (linear regression by
gradient descent, the exact least-squares solution, and input scaling); each docstring
names the equation label it implements. The chapter derives the same functions in its
own cells, and ``tests/test_agreement_ch02.py`` checks that both agree.

Shapes: ``X`` has shape ``(n, d)``, one example per row and one input per column; ``w``
has shape ``(d,)``; ``b`` is a scalar; ``y`` has shape ``(n,)``. The parameters together
are ``theta = (w_1, ..., w_d, b)``, of shape ``(d + 1,)``, and ``X~`` is ``X`` with a
column of ones appended (the input that ``b`` multiplies). As in the chapter, the
*residual* of an example is ``y_hat - y`` (prediction minus target), and the *parameter
error* is ``theta - theta*``.
"""

from typing import NamedTuple

import numpy as np

from .neuron import TrainingDiverged, _as_floats, _number, loss

__all__ = ["TrainingDiverged", "History", "predict", "mean_loss", "mean_grad", "with_ones",
           "least_squares", "curvature", "lr_bound", "standardize", "unscale", "rescale", "train"]


def _check_X(X):
    X = _as_floats(X, "X")
    if X.ndim != 2:
        hint = " For a single input use X[:, None]." if X.ndim == 1 else ""
        raise ValueError(f"X must hold one example per row, shape (n, d); got shape {X.shape}.{hint}")
    if X.shape[0] == 0:
        raise ValueError("X is empty: the data set needs at least one example")
    return X


def _check_Xy(X, y):
    X, y = _check_X(X), _as_floats(y, "y")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must hold one target per row of X: X has shape {X.shape}, so y should "
                         f"have shape ({X.shape[0]},), but it has shape {y.shape}")
    return X, y


def _check_w(w, X):
    w = _as_floats(w, "w")
    if w.shape != (X.shape[1],):
        raise ValueError(f"w must hold one weight per column of X: X has shape {X.shape}, so w should "
                         f"have shape ({X.shape[1]},), but it has shape {w.shape}")
    return w


def predict(w, b, X):
    """Predictions ``y_hat = X @ w + b`` for every row of ``X``, shape ``(n,)``.
    Implements (eq-ch2-batch), the model (eq-ch2-model) for all examples at once."""
    X = _check_X(X)
    return X @ _check_w(w, X) + _number(b, "b")


def mean_loss(w, b, X, y):
    """Mean squared error over the data set. Implements (eq-ch2-mean-loss)."""
    X, y = _check_Xy(X, y)
    return float(np.mean(loss(predict(w, b, X), y)))


def mean_grad(w, b, X, y):
    """Gradient of the mean loss: ``(dL_dw, dL_db)`` with ``dL_dw`` of shape ``(d,)``,
    ``(2/n) X^T (y_hat - y)``, and ``dL_db`` a float, ``mean(2 (y_hat - y))``.
    Implements (eq-ch2-mean-grad)."""
    X, y = _check_Xy(X, y)
    residual = predict(w, b, X) - y  # (n,) the residuals y_hat - y
    return 2 * X.T @ residual / len(y), float(np.mean(2 * residual))


def with_ones(X):
    """``X~``: ``X`` with a column of ones appended, shape ``(n, d + 1)``, so that
    ``X~ @ theta = X @ w + b`` for ``theta = (w, b)``."""
    X = _check_X(X)
    return np.column_stack([X, np.ones(len(X))])


def least_squares(X, y):
    """The exact minimiser ``(w, b)`` of the mean loss: the solution of the normal
    equations ``X~^T X~ theta = X~^T y``. Implements (eq-ch2-normal).

    The minimiser is unique exactly when no column of ``X~``, the column of ones
    included, is a combination of the others (eq-ch2-excess); otherwise this raises
    ValueError. That happens for a constant input (a multiple of the ones), and also for
    an input such as ``x_2 = 0.08 x_1 + 0.1``, which is a combination only together with
    the ones."""
    X, y = _check_Xy(X, y)
    Xt = with_ones(X)  # (n, d + 1)
    A = Xt.T @ Xt  # (d + 1, d + 1)
    if np.linalg.matrix_rank(A) < A.shape[0]:
        raise ValueError("the normal equations have no unique solution: some column of X~ "
                         "(X with its column of ones) is a combination of the others, such as a "
                         "constant input, which acts like the bias, or x_2 = 0.08 x_1 + 0.1")
    theta = np.linalg.solve(A, Xt.T @ y)  # (d + 1,)
    return theta[:-1], float(theta[-1])


def curvature(X):
    """The matrix ``H = (2/n) X~^T X~`` of shape ``(d + 1, d + 1)``: the curvature (the
    Hessian) of the mean loss in ``theta = (w, b)``, so that the gradient is
    ``H (theta - theta*)`` (eq-ch2-grad-H). Implements (eq-ch2-H)."""
    Xt = with_ones(X)  # (n, d + 1)
    return 2 * Xt.T @ Xt / len(Xt)


def lr_bound(X):
    """The bound ``2 / lambda_max(H)`` on the learning rate. Implements (eq-ch2-lr-bound).

    Gradient descent on the mean loss converges for ``0 < lr < lr_bound(X)`` and diverges
    above it. (Chapter 1's ``neuron.lr_bound``, ``1 / mean(x**2)``, is the case of one input
    and no bias.)"""
    return float(2 / np.linalg.eigvalsh(curvature(X))[-1])


def standardize(X):
    """Scale every column to mean 0 and standard deviation 1.

    Returns ``(X_s, mu, s)``: ``X_s = (X - mu) / s`` of shape ``(n, d)``, and the column
    means ``mu`` and standard deviations ``s``, both ``(d,)``, needed to map the weights
    back with :func:`unscale`. Implements (eq-ch2-standardize)."""
    X = _check_X(X)
    mu, s = X.mean(axis=0), X.std(axis=0)  # (d,), (d,)
    if np.any(s == 0):
        raise ValueError(f"column(s) {np.flatnonzero(s == 0).tolist()} of X are constant: "
                         "their standard deviation is 0, so they cannot be scaled")
    return (X - mu) / s, mu, s


def unscale(w_s, b_s, mu, s):
    """Map weights learned on standardized inputs back to the original units:
    ``w = w_s / s`` and ``b = b_s - sum(w_s * mu / s)``. Implements (eq-ch2-unscale)."""
    w_s, mu, s = _as_floats(w_s, "w_s"), _as_floats(mu, "mu"), _as_floats(s, "s")
    if not w_s.shape == mu.shape == s.shape or w_s.ndim != 1:
        raise ValueError(f"w_s, mu and s need one entry per input, shape (d,); got shapes "
                         f"{w_s.shape}, {mu.shape} and {s.shape}")
    w = w_s / s  # (d,)
    return w, _number(b_s, "b_s") - float(np.sum(w * mu))


def rescale(w, b, mu, s):
    """The way there, the inverse of :func:`unscale`: the weights ``w_s = s * w`` and bias
    ``b_s = b + sum(w * mu)`` on standardized inputs that make the same predictions as
    ``(w, b)`` on the original ones. Implements (eq-ch2-rescale)."""
    w, mu, s = _as_floats(w, "w"), _as_floats(mu, "mu"), _as_floats(s, "s")
    if not w.shape == mu.shape == s.shape or w.ndim != 1:
        raise ValueError(f"w, mu and s need one entry per input, shape (d,); got shapes "
                         f"{w.shape}, {mu.shape} and {s.shape}")
    return s * w, _number(b, "b") + float(np.sum(w * mu))  # (eq-ch2-rescale)


class History(NamedTuple):
    """What :func:`train` records before the first step and after every step:
    ``w[t]`` (shape ``(steps + 1, d)``), ``b[t]`` and ``loss[t]`` (``(steps + 1,)``).

    A named tuple, so ``ws, bs, losses = train(...)`` works too."""

    w: np.ndarray  # (steps + 1, d)
    b: np.ndarray  # (steps + 1,)
    loss: np.ndarray  # (steps + 1,)


def train(w0, b0, X, y, lr, steps):
    """Gradient descent from ``(w0, b0)`` for ``steps`` steps (eq-ch2-update) on the mean
    loss. Returns a :class:`History`. Raises :class:`TrainingDiverged` if the loss stops
    being finite, naming the bound (eq-ch2-lr-bound) that the learning rate should stay
    under."""
    X, y = _check_Xy(X, y)
    w, b = _check_w(w0, X).copy(), _number(b0, "b0")
    if not _number(lr, "lr") > 0:
        raise ValueError(f"the learning rate must be positive, got lr={lr!r}")
    if int(steps) != steps or steps < 0:
        raise ValueError(f"steps must be a whole number >= 0, got {steps!r}")
    ws, bs, losses = [w], [b], [mean_loss(w, b, X, y)]
    for t in range(int(steps)):
        with np.errstate(over="ignore", invalid="ignore"):  # we raise our own error below
            dL_dw, dL_db = mean_grad(w, b, X, y)
            w, b = w - lr * dL_dw, b - lr * dL_db
            finite = np.all(np.isfinite(w)) and np.isfinite(b)
            losses.append(float(np.mean((X @ w + b - y) ** 2)) if finite else np.inf)
        if not np.isfinite(losses[-1]):
            raise TrainingDiverged(
                f"the loss became {losses[-1]} at step {t + 1} with lr={lr}: the learning rate "
                f"is probably too large. For this data gradient descent converges only for "
                f"0 < lr < 2/lambda_max(H) = {lr_bound(X):.4g} (eq-ch2-lr-bound); scaling the "
                f"inputs (eq-ch2-standardize) allows larger rates."
            )
        ws.append(w)
        bs.append(b)
    return History(w=np.array(ws), b=np.array(bs), loss=np.array(losses))
