"""The one-weight neuron of Chapter 1: ``y_hat = w * x``.

Reference implementations of the equations that Chapter 1 derives; each docstring
names the equation label it implements. The chapter derives the same functions in its
own cells, and ``tests/test_agreement_ch01.py`` checks that both agree.

Shapes: ``w`` is a scalar; ``x`` and ``y`` are scalars or arrays of shape ``(n,)``
(one example per entry).
"""

from typing import NamedTuple

import numpy as np


class TrainingDiverged(FloatingPointError):
    """Raised by every trainer in the package (neuron, linear, logistic, graph) when the
    loss stops being a finite number during training."""


def _check_pair(a, b, names=("x", "y")):
    """Return a, b as float arrays of the same shape, or explain why not."""
    a, b = _as_floats(a, names[0]), _as_floats(b, names[1])
    if a.shape != b.shape:
        raise ValueError(
            f"{names[0]} and {names[1]} must hold one value per example: {names[0]} has "
            f"{a.size} value(s) (shape {a.shape}), {names[1]} has {b.size} value(s) (shape {b.shape})"
        )
    if a.size == 0:
        raise ValueError(f"{names[0]} and {names[1]} are empty: the data set needs at least one example")
    return a, b


def _as_floats(values, name):
    try:
        values = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers, got {values!r}") from None
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} must be finite numbers (found nan or inf)")
    return values


def _number(value, name):
    """Return ``value`` as a float if it is one finite number, or explain why not."""
    if np.ndim(value) != 0:
        raise ValueError(f"{name} is one number here, got an array of shape {np.shape(value)}")
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    return value


def predict(w, x):
    """Prediction of the neuron, ``y_hat = w x``. Implements (eq-ch1-model)."""
    return _number(w, "w") * _as_floats(x, "x")


def loss(y_hat, y):
    """Squared error of one example, ``L = (y_hat - y)**2``. Implements (eq-ch1-loss)."""
    y_hat, y = _check_pair(y_hat, y, names=("y_hat", "y"))
    return (y_hat - y) ** 2


def mean_loss(w, x, y):
    """Mean squared error over the data set. Implements (eq-ch1-mean-loss)."""
    x, y = _check_pair(x, y)
    return float(np.mean(loss(predict(w, x), y)))


def grad(w, x, y):
    """dL/dw of one example, ``2 (y_hat - y) x``. Implements (eq-ch1-grad).

    With arrays ``x`` and ``y`` it returns one derivative per example."""
    x, y = _check_pair(x, y)
    return 2 * (predict(w, x) - y) * x


def mean_grad(w, x, y):
    """Derivative of the mean loss, the mean of (eq-ch1-grad). Implements (eq-ch1-mean-grad)."""
    x, y = _check_pair(x, y)
    return float(np.mean(grad(w, x, y)))


def gd_step(w, x, y, lr):
    """One step of gradient descent, ``w - lr * dL/dw``. Implements (eq-ch1-update)."""
    return w - lr * mean_grad(w, x, y)


def best_w(x, y):
    """The minimiser of the mean loss, ``mean(x y) / mean(x**2)``. Implements (eq-ch1-wstar)."""
    x, y = _check_pair(x, y)
    if not np.any(x):
        raise ValueError("every x is 0, so every w gives the same loss: there is no unique best w")
    return float(np.mean(x * y) / np.mean(x**2))


def lr_bound(x):
    """The bound on the learning rate, ``1 / mean(x**2)``. Implements (eq-ch1-lr-bound).

    Gradient descent on the mean loss converges for ``0 < lr < lr_bound(x)`` and
    diverges above it.
    """
    x = _as_floats(x, "x")
    if x.size == 0:
        raise ValueError("x is empty: the data set needs at least one example")
    mean_sq = np.mean(x**2)
    if mean_sq == 0:
        raise ValueError("every x is 0: the loss does not depend on w, so no learning rate is bounded")
    return float(1 / mean_sq)



class History(NamedTuple):
    """What :func:`train` records: ``w[t]`` and ``loss[t]`` for t = 0..steps.

    A named tuple, so ``ws, losses = train(...)`` works too.
    """

    w: np.ndarray  # (steps + 1,)
    loss: np.ndarray  # (steps + 1,)


def train(w0, x, y, lr, steps):
    """Gradient descent from ``w0`` for ``steps`` steps (eq-ch1-update) on the mean loss.

    Returns a :class:`History` with the weight and the mean loss before the first step
    and after every step, so ``history.w[-1]`` is the trained weight. Raises
    :class:`TrainingDiverged` if the loss stops being finite, naming the bound
    (eq-ch1-lr-bound) that the learning rate should stay under.
    """
    x, y = _check_pair(x, y)
    w0 = _number(w0, "w0")
    if not _number(lr, "lr") > 0:
        raise ValueError(f"the learning rate must be positive, got lr={lr!r}")
    if int(steps) != steps or steps < 0:
        raise ValueError(f"steps must be a whole number >= 0, got {steps!r}")
    ws = [w0]
    losses = [mean_loss(w0, x, y)]
    for t in range(int(steps)):
        with np.errstate(over="ignore", invalid="ignore"):  # we raise our own error below
            ws.append(gd_step(ws[-1], x, y, lr))
            losses.append(mean_loss(ws[-1], x, y))
        if not np.isfinite(losses[-1]):
            raise TrainingDiverged(
                f"the loss became {losses[-1]} at step {t + 1} with lr={lr}: the learning rate "
                f"is probably too large. For this data gradient descent converges only for "
                f"0 < lr < 1/mean(x**2) = {lr_bound(x):.4g} (eq-ch1-lr-bound)."
            )
    return History(w=np.array(ws), loss=np.array(losses))
