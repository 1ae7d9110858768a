"""Activation functions and their derivatives (Chapter 3).

Each activation ``f`` maps a neuron's pre-activation ``z`` to its output ``a = f(z)``;
its derivative ``df`` is written as a function of ``z`` too (``df(z) = da/dz``). All
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
    """``a = 1`` where ``z > 0``, else ``0`` (the perceptron's threshold)."""
    return np.where(np.asarray(z, dtype=float) > 0, 1.0, 0.0)


def d_step(z):
    """``da/dz = 0`` wherever it exists (everywhere but ``z = 0``): a step gives gradient
    descent nothing to follow."""
    return np.zeros_like(np.asarray(z, dtype=float))


def sigmoid(z):
    """``a = 1 / (1 + exp(-z))``, computed without overflow for large ``|z|``."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def d_sigmoid(z):
    """``da/dz = sigmoid(z) (1 - sigmoid(z))``."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """``a = tanh(z) = (exp(z) - exp(-z)) / (exp(z) + exp(-z))``."""
    return np.tanh(np.asarray(z, dtype=float))


def d_tanh(z):
    """``da/dz = 1 - tanh(z)^2``."""
    return 1.0 - np.tanh(np.asarray(z, dtype=float)) ** 2


def relu(z):
    """``a = max(0, z)``."""
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def d_relu(z):
    """``da/dz = 1`` where ``z > 0``, else ``0`` (the value at ``z = 0`` is taken as 0)."""
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
