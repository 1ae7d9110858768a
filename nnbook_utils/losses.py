"""Losses of one example and their derivatives (Chapters 1, 3, 5 and 7).

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

Several classes (Chapter 7) are not elementwise: the loss of an example reads all its
scores ``z`` ``(k,)`` at once, so these are not in the registry :func:`get` (which holds
losses of one output value, for the graph engine):

- :func:`softmax` turns scores into probabilities (eq-ch7-softmax).
- :func:`softmax_cross_entropy` is ``L = -log softmax(z)_y`` (eq-ch7-cross-entropy), computed
  by the stable log-sum-exp (eq-ch7-log-sum-exp), finite for every finite ``z``.
- :func:`d_softmax_cross_entropy` is its gradient ``softmax(z) - onehot(y)`` (eq-ch7-grad-z).

``nnbook_utils.layers.softmax_cross_entropy`` computes the same loss inside the layers
engine (any array namespace, one-hot targets); ``tests/test_activations_losses.py``
checks they agree.
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


# --------------------------------------------------------------------- several classes
#: Below this, ``exp(z_c - max z)`` is taken as exactly 0. ``exp(-700)`` is about 1e-304:
#: next to the largest term, which is 1, it never changes a sum (it is far below the
#: rounding step of 1, about 1e-16), and skipping it means no underflow is ever signalled.
_EXP_FLOOR = -700.0


def _scores(z):
    """``z`` as a float array ``(Q,)`` or ``(n, Q)`` of finite scores (``Q`` classes), or a
    teaching error."""
    try:
        z = np.asarray(z, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"z must be numbers (the scores of the classes), got {z!r}") from None
    if z.ndim not in (1, 2) or z.shape[-1] == 0:
        raise ValueError("z holds one score per class: shape (k,) for one example or (n, k) for "
                         f"a batch, with k >= 1 classes; got shape {z.shape}")
    if not np.all(np.isfinite(z)):
        raise ValueError("z must be finite numbers (found nan or inf)")
    return z


def _exp_shifted(z):
    """``(E, M)``: ``E = exp(z - M)`` with ``M`` the largest score of each row (kept as an axis
    of length 1), so every entry of ``E`` is in [0, 1] and the largest is exactly 1."""
    M = np.max(z, axis=-1, keepdims=True)  # (..., 1) the largest score of each row
    D = z - M  # (..., Q) all <= 0
    E = np.exp(D, out=np.zeros_like(D), where=D > _EXP_FLOOR)  # (..., Q) in [0, 1]
    return E, M


def softmax(z):
    """Scores ``z`` turned into probabilities along the last axis, ``exp(z_q) / sum_j'
    exp(z_j')`` (eq-ch7-softmax); ``z`` ``(Q,)`` for one example or ``(n, Q)`` for a batch
    of ``Q`` classes, the result has the same shape. Implements (eq-ch7-softmax-stable).

    Computed after subtracting each row's largest score, which gives the same value (the
    factor ``exp(-max z)`` cancels between the top and the bottom) and never overflows:
    every ``exp`` is of a number <= 0.
    """
    E, _ = _exp_shifted(_scores(z))
    return E / np.sum(E, axis=-1, keepdims=True)  # (..., Q) (eq-ch7-softmax-stable)


def _one_hot_targets(z, y):
    """``y`` as one-hot rows shaped like ``z``: from class labels (an int for ``z`` ``(Q,)``,
    integers ``(n,)`` for ``z`` ``(n, Q)``) or from one-hot rows; or a teaching error."""
    k = z.shape[-1]
    try:
        y = np.asarray(y)
    except (TypeError, ValueError):
        y = np.asarray(None)
    if y.shape == z.shape[:-1] and y.dtype.kind in "iu":  # class labels
        if y.size and not (y.min() >= 0 and y.max() < k):
            raise ValueError(f"class labels must be 0 .. {k - 1} (one per score in z), got labels "
                             f"in [{y.min()}, {y.max()}]")
        return (y[..., None] == np.arange(k)).astype(float)  # (..., k) one-hot
    if y.shape == z.shape and y.dtype.kind in "iufb":  # one-hot rows
        Y = y.astype(float)  # (..., k)
        if not (np.all((Y == 0) | (Y == 1)) and np.all(np.sum(Y, axis=-1) == 1)):
            raise ValueError("softmax cross-entropy needs one-hot rows in y (exactly one 1 per "
                             "row, the rest 0), or class labels")
        return Y
    labels = (f"one int in 0 .. {k - 1}" if z.ndim == 1 else
              f"{z.shape[0]} integers of shape ({z.shape[0]},), each in 0 .. {k - 1}")
    raise ValueError(f"softmax cross-entropy needs y as class labels ({labels}) or one-hot "
                     f"rows of shape {z.shape}, like z; got "
                     + (f"shape {y.shape}, dtype {y.dtype}" if y.dtype != object else repr(y)))


def softmax_cross_entropy(z, y):
    """Cross-entropy of the softmax probabilities, one value per example:
    ``L = -log softmax(z)_y`` for the true class ``y`` (eq-ch7-cross-entropy), computed as
    ``log sum_j exp(z_j) - z_y`` (eq-ch7-ce-lse) with the log-sum-exp taken stably,
    ``log sum_j exp(z_j) = m + log sum_j exp(z_j - m)``, ``m = max_j z_j`` (eq-ch7-log-sum-exp).

    ``z``: scores ``(n, Q)`` of ``Q`` classes (returns the loss of each example, ``(n,)``) or
    ``(Q,)`` (returns a float). ``y``: class labels (integers ``(n,)``, or one int for one
    example) or one-hot rows shaped like ``z``. No ``exp`` of a positive number is ever
    taken, so nothing overflows on the way: the result is finite whenever the loss itself
    fits in a float (scores of 1000 and far beyond; say |z| < 1e307). A caller takes the
    mean over a batch.
    """
    z = _scores(z)
    Y = _one_hot_targets(z, y)  # (..., Q)
    E, M = _exp_shifted(z)
    lse = M[..., 0] + np.log(np.sum(E, axis=-1))  # (...,) (eq-ch7-log-sum-exp); the sum is >= 1
    per = lse - np.sum(Y * z, axis=-1)  # (...,) log sum exp(z) - z_y  (eq-ch7-ce-lse)
    return float(per) if z.ndim == 1 else per


def d_softmax_cross_entropy(z, y):
    """``dL/dz = softmax(z) - onehot(y)``, the gradient of each example's loss
    :func:`softmax_cross_entropy` with respect to its own scores; the same shape as ``z``.
    Implements (eq-ch7-grad-z). For the mean over a batch of n, divide by n."""
    z = _scores(z)
    return softmax(z) - _one_hot_targets(z, y)  # (..., Q) (eq-ch7-grad-z)


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
