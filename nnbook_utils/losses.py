"""Losses of one example and their derivatives (Chapters 1, 3 and 5).

Each loss ``f(y_hat, y)`` is elementwise: it returns the loss of every example, and a
caller takes the mean over a batch. Its derivative ``df(y_hat, y)`` is ``dL/dy_hat``,
elementwise too. Look one up by name with :func:`get` (the graph engine does).

- ``squared_error``: ``L = (y_hat - y)^2`` (Chapter 1's (eq-ch1-loss)).
- ``binary_cross_entropy``: ``L = -(y log y_hat + (1 - y) log(1 - y_hat))`` for targets
  ``y`` in {0, 1} and a probability ``y_hat`` in [0, 1] (Chapter 3). A prediction of
  exactly 0 for ``y = 1`` (or 1 for ``y = 0``) costs ``inf``: a caller that trains
  reports it as a diverged run.
  :func:`bce_from_z` computes the same loss from the sigmoid's input ``z`` without
  forming ``y_hat``, finite for every finite ``z`` (Chapter 3's (eq-ch3-bce-stable)); the
  graph engine uses it for a sigmoid output.
- ``max_margin``: ``L = max(0, 1 - y * score)`` for targets ``y`` in {-1, +1} and a
  real-valued ``score`` (the "hinge" loss of micrograd's demo).
"""

import numpy as np


def _floats(y_hat, y):
    y_hat, y = np.asarray(y_hat, dtype=float), np.asarray(y, dtype=float)
    if y_hat.shape != y.shape:
        raise ValueError(
            f"predictions and targets must have the same shape: y_hat has shape {y_hat.shape}, "
            f"y has shape {y.shape}"
        )
    return y_hat, y


def squared_error(y_hat, y):
    """``L = (y_hat - y)^2``, elementwise."""
    y_hat, y = _floats(y_hat, y)
    return (y_hat - y) ** 2


def d_squared_error(y_hat, y):
    """``dL/dy_hat = 2 (y_hat - y)``, elementwise."""
    y_hat, y = _floats(y_hat, y)
    return 2.0 * (y_hat - y)


def _probabilities(y_hat, y):
    y_hat, y = _floats(y_hat, y)
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("binary cross-entropy needs targets y that are 0 or 1")
    if np.any((y_hat < 0) | (y_hat > 1)):
        raise ValueError(
            "binary cross-entropy needs predictions between 0 and 1 (a sigmoid output); "
            f"got values in [{y_hat.min():.4g}, {y_hat.max():.4g}]"
        )
    return y_hat, y


def binary_cross_entropy(y_hat, y):
    """``L = -(y log y_hat + (1 - y) log(1 - y_hat))``, elementwise."""
    y_hat, y = _probabilities(y_hat, y)
    with np.errstate(divide="ignore", invalid="ignore"):  # a saturated y_hat gives inf
        return -(np.where(y == 1, np.log(y_hat), 0.0) + np.where(y == 0, np.log1p(-y_hat), 0.0))


def d_binary_cross_entropy(y_hat, y):
    """``dL/dy_hat = (y_hat - y) / (y_hat (1 - y_hat))``, elementwise."""
    y_hat, y = _probabilities(y_hat, y)
    with np.errstate(divide="ignore", invalid="ignore"):  # a saturated y_hat gives inf
        return (y_hat - y) / (y_hat * (1.0 - y_hat))


def bce_from_z(z, y):
    """Binary cross-entropy computed from ``z`` without forming ``sigmoid(z)``:
    ``max(z, 0) - y z + log(1 + exp(-|z|))``, finite for every finite ``z``.
    Implements (eq-ch3-bce-stable). ``np.log1p(u)`` computes ``log(1 + u)`` without
    first rounding ``1 + u``: for a tiny ``u`` (a large ``|z|``) it keeps the value, about
    ``u``, where ``np.log(1 + u)`` returns 0."""
    z, y = np.asarray(z, dtype=float), np.asarray(y, dtype=float)
    if z.shape != y.shape:
        raise ValueError(f"z and y must have the same shape: z has shape {z.shape}, y has shape {y.shape}")
    return np.maximum(z, 0.0) - y * z + np.log1p(np.exp(-np.abs(z)))  # (eq-ch3-bce-stable)


def _signed(score, y):
    score, y = _floats(score, y)
    if not np.all((y == -1) | (y == 1)):
        raise ValueError("the max-margin loss needs targets y that are -1 or +1")
    return score, y


def max_margin(score, y):
    """``L = max(0, 1 - y score)``, elementwise."""
    score, y = _signed(score, y)
    return np.maximum(0.0, 1.0 - y * score)


def d_max_margin(score, y):
    """``dL/dscore = -y`` where ``1 - y score > 0``, else ``0``, elementwise."""
    score, y = _signed(score, y)
    return np.where(1.0 - y * score > 0, -y, 0.0)


LOSSES = {
    "squared_error": (squared_error, d_squared_error),
    "binary_cross_entropy": (binary_cross_entropy, d_binary_cross_entropy),
    "max_margin": (max_margin, d_max_margin),
}
NAMES = tuple(LOSSES)


def get(name):
    """Return ``(f, df)`` for the loss called ``name`` (one of :data:`NAMES`)."""
    try:
        return LOSSES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown loss {name!r}: expected one of {', '.join(NAMES)}") from None
