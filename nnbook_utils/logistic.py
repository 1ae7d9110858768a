"""One sigmoid neuron as a binary classifier (Chapter 3): logistic regression.

Reference implementations of the equations that Chapter 3 derives; each docstring names
the equation label it implements. The chapter derives the same functions in its own
cells, and ``tests/test_agreement_ch03.py`` checks that both agree.

Shapes: ``X`` holds one example per row, shape ``(n, d)``; ``w`` has shape ``(d,)``;
``b`` is one number; targets ``y`` have shape ``(n,)`` with values 0 or 1.
"""

from typing import NamedTuple

import numpy as np

from . import activations, losses
from .losses import bce_from_z  # noqa: F401  (Chapter 3's stable loss; it lives with the losses)
from .neuron import TrainingDiverged  # one exception for every trainer in the package


def _batch(w, b, X):
    """Return ``w``, ``b``, ``X`` as floats, or explain what is wrong with their shapes."""
    try:
        X = np.asarray(X, dtype=float)
        w = np.asarray(w, dtype=float)
    except (TypeError, ValueError):
        raise ValueError("w and X must be numbers") from None
    if X.ndim != 2:
        raise ValueError(f"X holds one example per row, shape (n, d); got shape {X.shape}"
                         + (" (for one example x of shape (d,), pass x[None, :])" if X.ndim == 1 else ""))
    if w.shape != (X.shape[1],):
        raise ValueError(f"w needs one weight per input: X has shape {X.shape}, so w must have "
                         f"shape ({X.shape[1]},), but w has shape {w.shape}")
    if np.ndim(b) != 0:
        raise ValueError(f"b is one number (the neuron's bias), got an array of shape {np.shape(b)}")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(w)) and np.isfinite(float(b))):
        raise ValueError("w, b and X must be finite numbers (found nan or inf)")
    return w, float(b), X


def _labels(y, X):
    """Return ``y`` as floats of shape ``(n,)`` with values 0 or 1, or explain why not."""
    y = np.asarray(y, dtype=float)
    if y.shape != (X.shape[0],):
        raise ValueError(f"y needs one label per example: X has shape {X.shape}, so y must have "
                         f"shape ({X.shape[0]},), but y has shape {y.shape}")
    if not np.all((y == 0) | (y == 1)):
        bad = np.unique(y[(y != 0) & (y != 1)])[:5]
        raise ValueError(f"the labels y must be 0 or 1 (the two classes), found {bad}; "
                         "for labels -1/+1 use (y + 1) / 2")
    return y


def preactivation(w, b, X):
    """``z = sum_i w_i x_i + b`` for every row of ``X``: shape ``(n,)``.
    Implements (eq-ch3-preact)."""
    w, b, X = _batch(w, b, X)
    return X @ w + b


def predict_proba(w, b, X):
    """``y_hat = sigmoid(z)``, the probability of class 1 for every row: shape ``(n,)``.
    Implements (eq-ch3-proba)."""
    return activations.sigmoid(preactivation(w, b, X))


def predict(w, b, X):
    """The class 0 or 1 of every row: 1 where ``y_hat > 1/2``, that is ``z > 0``.
    Implements (eq-ch3-threshold)."""
    return activations.step(preactivation(w, b, X))


def mean_loss(w, b, X, y):
    """Mean binary cross-entropy over the examples. Implements (eq-ch3-mean-bce)."""
    w, b, X = _batch(w, b, X)
    y = _labels(y, X)
    return float(np.mean(losses.binary_cross_entropy(predict_proba(w, b, X), y)))


def mean_grad(w, b, X, y):
    """Gradient of the mean loss: ``dL_dw = mean_k (y_hat - y) x`` (shape ``(d,)``) and
    ``dL_db = mean_k (y_hat - y)``. Implements (eq-ch3-mean-grad)."""
    w, b, X = _batch(w, b, X)
    y = _labels(y, X)
    delta = predict_proba(w, b, X) - y  # (n,) dL/dz of each example, (eq-ch3-delta)
    return X.T @ delta / len(y), float(np.mean(delta))


def accuracy(w, b, X, y):
    """The fraction of examples whose predicted class equals the label.
    Implements (eq-ch3-accuracy)."""
    w, b, X = _batch(w, b, X)
    y = _labels(y, X)
    return float(np.mean(predict(w, b, X) == y))


def decision_line(w, b, x1):
    """The boundary ``w1 x1 + w2 x2 + b = 0`` of a neuron with two inputs, solved for
    ``x2 = -(w1 x1 + b) / w2`` at the given ``x1`` (any shape). Implements (eq-ch3-boundary)."""
    w = np.asarray(w, dtype=float)
    if w.shape != (2,):
        raise ValueError(f"a boundary line needs two inputs: w must have shape (2,), got {w.shape}")
    if w[1] == 0:
        raise ValueError("w2 = 0: the boundary is the vertical line x1 = -b / w1, which is not a "
                         "function of x1")
    return -(w[0] * np.asarray(x1, dtype=float) + float(b)) / w[1]


def hessian(w, b, X):
    """The curvature matrix (Hessian) of the mean loss at ``w``, ``b``:
    ``H = (1/n) sum_k y_hat_k (1 - y_hat_k) x~_k x~_k^T`` with ``x~ = (x_1, ..., x_d, 1)``,
    shape ``(d + 1, d + 1)``, the bias last. Every weight ``y_hat (1 - y_hat)`` is
    positive, so ``v^T H v >= 0`` for every ``v``: the mean loss is convex.
    Implements (eq-ch3-hessian)."""
    w, b, X = _batch(w, b, X)
    X_tilde = np.column_stack([X, np.ones(len(X))])  # (n, d + 1)
    weights = activations.d_sigmoid(X @ w + b)  # (n,) y_hat (1 - y_hat), (eq-ch3-d-sigmoid)
    return X_tilde.T @ (weights[:, None] * X_tilde) / len(X)  # (d + 1, d + 1)


class Minimum(NamedTuple):
    """What :func:`newton` returns: the parameters with zero gradient, and how many
    Newton steps it took to get there."""

    w: np.ndarray  # (d,)
    b: float
    steps: int


def newton(w0, b0, X, y, tol=1e-12, max_steps=50):
    """The minimum of the mean loss by Newton's method, from ``w0``, ``b0``: repeat
    ``solve H dtheta = -gradient``, ``theta <- theta + dtheta`` (eq-ch3-newton) until the
    length of the gradient is below ``tol``. The mean loss is convex, so the point found
    is the global minimum (eq-ch3-global-min). Chapter 3 uses it as the referee for
    gradient descent.

    Returns a :class:`Minimum` ``(w, b, steps)``. Raises ``ValueError`` when there is no
    minimum to find: when a line separates the classes, the loss only falls as the
    weights grow (eq-ch3-bce-right), and a point that classifies every example right can
    never have zero gradient; also when the curvature matrix is singular, or the gradient
    is not below ``tol`` after ``max_steps`` steps.
    """
    w, b, X = _batch(w0, b0, X)
    y = _labels(y, X)
    theta = np.append(w, b)  # (d + 1,) the bias last
    for step in range(int(max_steps) + 1):
        dL_dw, dL_db = mean_grad(theta[:-1], theta[-1], X, y)
        gradient = np.append(dL_dw, dL_db)  # (d + 1,)
        if np.linalg.norm(gradient) < tol:
            break
        if step == max_steps:
            raise ValueError(f"Newton's method did not reach a gradient below {tol:g} in "
                             f"{max_steps} steps (it is {np.linalg.norm(gradient):.3g}); "
                             "start closer to the minimum, e.g. at w = 0, b = 0")
        try:
            theta = theta + np.linalg.solve(hessian(theta[:-1], theta[-1], X), -gradient)
        except np.linalg.LinAlgError:
            raise ValueError(f"the curvature matrix is singular at step {step + 1}: every "
                             "y_hat is (nearly) 0 or 1, or one input is a combination of the "
                             "others; start at w = 0, b = 0") from None
    w, b = theta[:-1], float(theta[-1])
    if np.all(predict(w, b, X) == y):
        raise ValueError("a line separates the two classes, so the mean loss has no minimum: "
                         "it falls towards 0 as the weights grow (Chapter 3, eq-ch3-bce-right), "
                         f"and Newton's method stopped only because the gradient, "
                         f"{np.linalg.norm(gradient):.2g}, fell below tol")
    return Minimum(w=w, b=b, steps=step)


class History(NamedTuple):
    """What :func:`train` records before the first step and after every step.

    A named tuple, so ``ws, bs, losses = train(...)`` works too."""

    w: np.ndarray  # (steps + 1, d)
    b: np.ndarray  # (steps + 1,)
    loss: np.ndarray  # (steps + 1,)


def train(w0, b0, X, y, lr, steps):
    """Gradient descent on the mean loss, from ``w0``, ``b0``: the update (eq-ch2-update)
    with the gradient (eq-ch3-mean-grad).

    Returns a :class:`History`; ``history.w[-1]`` and ``history.b[-1]`` are the trained
    parameters. Raises :class:`TrainingDiverged` if the mean loss stops being finite.
    """
    w, b, X = _batch(w0, b0, X)
    y = _labels(y, X)
    if not (np.ndim(lr) == 0 and float(lr) > 0):
        raise ValueError(f"the learning rate must be one positive number, got lr={lr!r}")
    if int(steps) != steps or steps < 0:
        raise ValueError(f"steps must be a whole number >= 0, got {steps!r}")
    ws, bs, history = [w], [b], [mean_loss(w, b, X, y)]
    for t in range(int(steps)):
        dL_dw, dL_db = mean_grad(ws[-1], bs[-1], X, y)
        ws.append(ws[-1] - lr * dL_dw)
        bs.append(bs[-1] - lr * dL_db)
        history.append(mean_loss(ws[-1], bs[-1], X, y))
        if not np.isfinite(history[-1]):
            raise TrainingDiverged(
                f"the mean loss became {history[-1]} at step {t + 1} with lr={lr}: the neuron is so "
                "sure of a wrong answer that sigmoid(z) rounds to exactly 0 or 1. Try a smaller "
                "learning rate or fewer steps.")
    return History(w=np.array(ws), b=np.array(bs), loss=np.array(history))
