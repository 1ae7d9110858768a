"""Activation functions and their derivatives (Chapter 3).

Each activation ``f`` maps a neuron's pre-activation ``z`` to its output ``a = f(z)``
(eq-ch3-activation); its derivative ``df`` is written as a function of ``z`` too
(``df(z) = f'(z) = da/dz``). In the book's notation ``f`` is any activation and ``sigma``
only the sigmoid. All
work elementwise on floats or numpy arrays of any shape and return arrays of the same
shape. Chapter 3 derives each derivative and checks it by finite differences;
``tests/test_agreement_ch03.py`` checks that the chapter's versions agree with these.

Look one up by name with :func:`get` (the graph engine does):

>>> f, df = get("sigmoid")
"""

import numpy as np


def identity(z):
    """``a = z``: no activation (a linear neuron, as in Chapters 1 and 2)."""
    return np.asarray(z, dtype=float) * 1.0


def d_identity(z):
    """``da/dz = 1``."""
    return np.ones_like(np.asarray(z, dtype=float))


def step(z):
    """``a = 1`` where ``z > 0``, else ``0`` (the perceptron's threshold).
    Implements (eq-ch3-step)."""
    return np.where(np.asarray(z, dtype=float) > 0, 1.0, 0.0)


def d_step(z):
    """``da/dz = 0`` wherever it exists (everywhere but ``z = 0``): a step gives gradient
    descent nothing to follow (the perceptron rule learns without it).
    Implements (eq-ch3-d-step)."""
    return np.zeros_like(np.asarray(z, dtype=float))


def sigmoid(z):
    """The sigmoid ``sigma(z) = 1 / (1 + exp(-z))``, computed without overflow for large
    ``|z|``: with ``u = exp(-|z|)`` in (0, 1], it is ``1 / (1 + u)`` for ``z >= 0`` and
    ``u / (1 + u)`` for ``z < 0``. Implements (eq-ch3-sigmoid)."""
    z = np.asarray(z, dtype=float)
    u = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + u), u / (1.0 + u))


def d_sigmoid(z):
    """``da/dz = sigmoid(z) (1 - sigmoid(z))``, at most 1/4 (at ``z = 0``).
    Implements (eq-ch3-d-sigmoid)."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """``a = tanh(z) = (exp(z) - exp(-z)) / (exp(z) + exp(-z)) = 2 sigmoid(2z) - 1``.
    Implements (eq-ch3-tanh)."""
    return np.tanh(np.asarray(z, dtype=float))


def d_tanh(z):
    """``da/dz = 1 - tanh(z)^2``. Implements (eq-ch3-d-tanh)."""
    return 1.0 - np.tanh(np.asarray(z, dtype=float)) ** 2


def relu(z):
    """``a = max(0, z)``. Implements (eq-ch3-relu)."""
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def d_relu(z):
    """``da/dz = 1`` where ``z > 0``, else ``0`` (the value at ``z = 0`` is taken as 0).
    Implements (eq-ch3-d-relu)."""
    return np.where(np.asarray(z, dtype=float) > 0, 1.0, 0.0)


ACTIVATIONS = {
    "identity": (identity, d_identity),
    "step": (step, d_step),
    "sigmoid": (sigmoid, d_sigmoid),
    "tanh": (tanh, d_tanh),
    "relu": (relu, d_relu),
}
NAMES = tuple(ACTIVATIONS)


def get(name):
    """Return ``(f, df)`` for the activation called ``name`` (one of :data:`NAMES`)."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown activation {name!r}: expected one of {', '.join(NAMES)}"
        ) from None
