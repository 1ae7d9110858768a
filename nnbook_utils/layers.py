"""Layers: the graph engine's network, one matrix product per layer (Chapter 6).

A **dense layer** is a group of ``d_out`` neurons that all read the same ``d_in`` values
(the inputs, or the activations of the layer before) and nothing else. Neuron j computes

    z_j = sum_i W[i, j] a_i + b_j                   (eq-ch6-layer-sum)

which for all j at once is one vector-matrix product, ``z = a W + b`` (eq-ch6-layer-matvec),
and for a batch of n examples, one per row, one matrix product (eq-ch6-batch)::

    Z = X @ W + b        X (n, d_in), W (d_in, d_out), b (d_out,), Z (n, d_out)
    A = f(Z)             elementwise, A (n, d_out)

The convention for the whole book: ``W[i, j]`` is the weight from value i to neuron j, so
``W`` has one **column per neuron** and one row per value it reads.

Backward, for the same batch (Chapter 5's equations, one layer at a time)::

    delta   = dA * f'(Z)          (n, d_out)   dL/dZ                       (eq-ch6-delta)
    dW      = A_prev.T @ delta    (d_in, d_out) summed over the batch      (eq-ch6-dW)
    db      = delta.sum(axis=0)   (d_out,)     the column sums             (eq-ch6-db)
    dA_prev = delta @ W.T         (n, d_in)    the fan-out sum             (eq-ch6-fanout-matrix)

``dA_prev[:, i] = sum_j delta[:, j] W[i, j]`` is Chapter 5's fan-out (eq-ch5-fanout): value
i feeds every neuron j of the layer, and collects ``W[i, j] delta_j`` from each.

Layers are an optimization, not a necessity: :meth:`Sequential.to_graph` writes the same
network as a :class:`nnbook_utils.graph.Graph` (``graph.mlp``'s wiring and names) and
:meth:`Sequential.from_graph` reads one back, so both engines run the same weights and
agree on every output, delta and gradient (``tests/test_layers.py``). Parameters are named
as in the graph engine: neuron j of layer l is ``"L{l}.{j}"``, its weight from input
``x1`` is ``"L1.{j}.w[x1]"``, from neuron i of layer l - 1 ``"L{l}.{j}.w[L{l-1}.{i}]"``,
its bias ``"L{l}.{j}.b"``.

Array libraries
---------------
The math is written against the Python array API standard: the functions come from the
arrays' own namespace (``xp = X.__array_namespace__()``; numpy 2 arrays have one), never
from an imported numpy, so the same code runs on any library that follows the standard
(tested with numpy and ``array_api_strict``; CuPy, or torch through ``array_api_compat``,
should work the same way). numpy is imported only for the default namespace, the
``numpy.random.Generator`` that shuffles the examples, and the bridge to the graph engine.
Parameters, inputs and targets must come from the same namespace; inputs and targets are
converted to the parameters' dtype (float32 or float64).

Speed (what is an optimization here, and why)
---------------------------------------------
Nearly all the work is in the three matrix products per layer, and numpy hands each to
its BLAS (one ``sgemm`` or ``dgemm`` call). What remains is kept small:

- **Preallocated buffers.** Where the namespace accepts ``out=`` (numpy, CuPy), every
  layer keeps its ``Z``, ``A``, ``delta``, ``dA_prev``, ``dW`` and ``db`` arrays and the
  products are written into them (``matmul(..., out=...)``): a training step creates no
  new large arrays, so there is no allocation, no page fault, and the same memory stays in
  the CPU's cache. The standard has no ``out=``; other namespaces get new arrays, with the
  same values (see :func:`_into`).
- **ReLU without a float mask.** Its backward multiplies ``dA`` by the boolean ``Z > 0``
  straight into the delta buffer; its forward writes ``max(Z, 0)`` into the A buffer.
- **No unneeded product.** The first layer's ``dA_prev`` (``dL/dX``) is never computed
  during training: nothing reads it.
- **The update in place.** ``W -= lr * dW`` with ``lr * dW`` written into a kept buffer
  too (``W`` of the first layer of a 784-128-64-10 MLP alone holds 100,352 numbers).
- **Softmax row sums as a product.** With 10 classes and 128 rows, numpy's row-wise sums
  are 128 short loops; ``E @ ones`` is one BLAS call.
- **One dtype throughout.** float32 parameters get float32 inputs and targets (converted
  once per :func:`train`), so numpy never silently computes in float64.

Measured against PyTorch in ``benchmarks/layers_vs_torch.py`` (see benchmarks/README.md).

Example
-------
>>> net = Sequential.init([2, 3, 1], activation="tanh", rng=0)
>>> net.forward(np.zeros((5, 2))).shape
(5, 1)
"""

import contextlib
import math
import re
import warnings
from typing import NamedTuple

import numpy as np

from . import activations, graph
from .neuron import TrainingDiverged  # one exception for every trainer in the package

#: The losses :meth:`Sequential.loss` knows: Part I's three, and softmax cross-entropy.
LOSSES = ("squared_error", "binary_cross_entropy", "max_margin", "softmax_cross_entropy")

#: Namespaces whose functions accept ``out=`` (the buffers are used only for these).
_WRITES_INTO = ("numpy", "cupy")


# --------------------------------------------------------------------- arrays
def _into(fn, *args, out=None, **kwargs):
    """``fn(*args, **kwargs)``, written into the array ``out`` when one is given.

    (speed) numpy and CuPy accept ``out=``: the result goes into a buffer the layer already
    holds. The array API standard has no ``out=``, so there ``out`` is None and ``fn``
    returns a new array with the same values.
    """
    return fn(*args, **kwargs) if out is None else fn(*args, out=out, **kwargs)


def _as_batch(X, xp, dtype, d, per_example="", note=""):
    """``(X, single)``: ``X`` as a batch ``(n, d)`` of ``xp`` arrays of ``dtype``, and whether
    it was one example ``(d,)``; a wrong namespace or shape raises an error that says what
    was expected (``per_example`` and ``note`` add the engine's own words). Both engines,
    :class:`Sequential` and ``schedule.Schedule``, check their inputs with it."""
    X = X if hasattr(X, "__array_namespace__") else xp.asarray(X, dtype=dtype)
    if _namespace(X) is not xp:
        raise ValueError(f"X is a {_namespace(X).__name__} array but the parameters are "
                         f"{xp.__name__} arrays: use one namespace")
    if X.ndim not in (1, 2) or X.shape[-1] != d:
        raise ValueError(f"forward expected {d} input value(s) per example{per_example}: x of "
                         f"shape ({d},) for one example or X of shape (n, {d}) for a batch{note}; "
                         f"got shape {tuple(X.shape)}")
    X = X if X.dtype == dtype else xp.astype(X, dtype)
    return (xp.reshape(X, (1, d)), True) if X.ndim == 1 else (X, False)


def _namespace(x):
    """The array API namespace of ``x`` (numpy 2 arrays, array_api_strict, CuPy, ...)."""
    try:
        return x.__array_namespace__()
    except AttributeError:
        raise ValueError(f"expected an array with an array API namespace (a numpy array, "
                         f"...), got {type(x).__name__}") from None


def _is_float(xp, dtype):
    return xp.isdtype(dtype, "real floating")


class _Buffers:
    """Arrays that a layer keeps and reuses from one pass to the next (see :func:`_into`).

    ``rows(key, n, cols)`` gives an ``(n, cols)`` array to write into: the first n rows of a
    kept one (the last mini-batch of an epoch is smaller), grown when n is larger. For a
    namespace without ``out=`` it gives None, and the math allocates as usual.
    """

    def __init__(self, xp, dtype):
        self.xp, self.dtype = xp, dtype
        self.enabled = xp.__name__ in _WRITES_INTO
        self._kept = {}

    def rows(self, key, n, cols):
        if not self.enabled:
            return None
        kept = self._kept.get(key)
        if kept is None or kept.shape[0] < n:
            kept = self._kept[key] = self.xp.empty((n, cols), dtype=self.dtype)  # (n, cols)
        return kept[:n]  # (n, cols), contiguous: the first n rows

    def fixed(self, key, shape):
        if not self.enabled:
            return None
        if key not in self._kept:
            self._kept[key] = self.xp.empty(shape, dtype=self.dtype)  # (shape)
        return self._kept[key]


# --------------------------------------------------------------------- activations
def sigmoid(Z):
    """``1 / (1 + exp(-Z))`` elementwise, without overflow for large ``|Z|`` (any namespace).
    Implements (eq-ch3-sigmoid)."""
    xp = _namespace(Z)
    e = xp.exp(-xp.abs(Z))  # in [0, 1]: never overflows
    return xp.where(Z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softmax(Z):
    """Each row of ``Z`` ``(n, Q)`` (``Q`` classes) turned into probabilities
    ``exp(z_q) / sum_j' exp(z_j')`` (eq-ch7-softmax), computed after subtracting the row's
    largest score (the same value, no overflow). Implements (eq-ch7-softmax-stable)."""
    xp = _namespace(Z)
    E = xp.exp(Z - xp.max(Z, axis=1, keepdims=True))  # (n, Q) in [0, 1], the largest 1
    return E / xp.sum(E, axis=1, keepdims=True)  # (n, Q)  (eq-ch7-softmax-stable)


# Each activation is a pair: f(xp, Z, out) -> A and delta(xp, Z, A, dA, out) -> dA * f'(Z).
# The derivative is written with whatever is cheapest: A for sigmoid and tanh (no second
# exp or tanh), Z for ReLU. `out` is a buffer to write into, or None.
def _identity(xp, Z, out):
    return Z  # A = Z: the same array


def _d_identity(xp, Z, A, dA, out):
    return dA  # f'(z) = 1


def _step(xp, Z, out):
    return xp.astype(Z > 0, Z.dtype)  # 1 where z > 0, else 0


def _d_step(xp, Z, A, dA, out):
    return xp.zeros_like(dA)  # f'(z) = 0 wherever it exists


def _sigmoid(xp, Z, out):
    return sigmoid(Z)


def _d_sigmoid(xp, Z, A, dA, out):
    return dA * (A * (1.0 - A))  # f'(z) = sigma(z) (1 - sigma(z))  (eq-ch3-d-sigmoid)


def _tanh(xp, Z, out):
    return _into(xp.tanh, Z, out=out)


def _d_tanh(xp, Z, A, dA, out):
    return dA * (1.0 - A**2)  # f'(z) = 1 - tanh(z)^2  (eq-ch3-d-tanh)


def _relu(xp, Z, out):
    return _into(xp.maximum, Z, 0.0, out=out)  # max(z, 0)  (eq-ch3-relu)


def _d_relu(xp, Z, A, dA, out):
    if out is None:
        return xp.where(Z > 0, dA, 0.0)  # f'(z) = 1 where z > 0, else 0  (eq-ch3-d-relu)
    # (speed) numpy: multiply by the boolean mask straight into the buffer, no float mask
    return xp.multiply(dA, Z > 0, out=out)


_ACTIVATIONS = {"identity": (_identity, _d_identity), "step": (_step, _d_step),
                "sigmoid": (_sigmoid, _d_sigmoid), "tanh": (_tanh, _d_tanh),
                "relu": (_relu, _d_relu)}
assert tuple(_ACTIVATIONS) == activations.NAMES, "the same activations as the graph engine"


def activation_functions(name):
    """``(f, delta)`` for the activation called ``name`` (one of ``activations.NAMES``):
    ``f(xp, Z, out)`` gives ``A``, ``delta(xp, Z, A, dA, out)`` gives ``dA * f'(Z)``
    (eq-ch6-delta). ``out`` is an array to write into, or None. Raises ValueError for an
    unknown name, listing the known ones."""
    activations.get(name)  # the same names as the graph engine, the same error message
    return _ACTIVATIONS[name]


# --------------------------------------------------------------------- losses
def binary_cross_entropy_from_z(Z, Y):
    """Binary cross-entropy of a sigmoid neuron, elementwise, computed from its ``z``:
    ``max(z, 0) - y z + log(1 + exp(-|z|))``, finite for every finite z (the same numbers as
    ``losses.bce_from_z``, in any namespace). Implements (eq-ch3-bce-stable)."""
    xp = _namespace(Z)
    return xp.maximum(Z, 0.0) - Y * Z + xp.log1p(xp.exp(-xp.abs(Z)))  # (eq-ch3-bce-stable)


def softmax_cross_entropy(Z, Y):
    """Cross-entropy of softmax probabilities, one value per row: ``-sum_q Y[q] log
    softmax(z)_q = log sum_j exp(z_j) - sum_q Y[q] z_q`` (eq-ch7-cross-entropy,
    eq-ch7-ce-lse) for scores ``Z`` ``(n, Q)`` of ``Q`` classes and one-hot targets ``Y``
    ``(n, Q)``. Computed by log-sum-exp (the largest score taken out first,
    eq-ch7-log-sum-exp), so no ``exp`` overflows: the result is finite whenever the loss
    itself fits in a float (say |z| < 1e307). Returns shape ``(n,)``."""
    return _softmax_parts(Z, Y)[0][:, 0]


def _softmax_parts(Z, Y):
    """The loss of each row ``(n, 1)`` (eq-ch7-ce-lse with eq-ch7-log-sum-exp) and the
    softmax probabilities ``(n, Q)`` (eq-ch7-softmax-stable).

    (speed) A batch has few classes (Q = 10) but many rows, and numpy's row-wise sums over
    10 numbers are slow (one short loop per row); the row sums are one matrix-vector
    product with a column of ones instead, ``E @ 1``.
    """
    xp = _namespace(Z)
    M = xp.max(Z, axis=1, keepdims=True)  # (n, 1) the largest score of each row
    E = xp.exp(Z - M)  # (n, Q) in [0, 1], the largest is exactly 1
    S = E @ xp.ones((Z.shape[1], 1), dtype=Z.dtype)  # (n, 1) the row sums, in [1, Q]
    per = xp.log(S) + M - (Y * Z) @ xp.ones((Z.shape[1], 1), dtype=Z.dtype)  # (n, 1)
    return per, E / S  # log-sum-exp - z_y (eq-ch7-ce-lse), softmax (eq-ch7-softmax-stable)


def mean_loss_terms(loss, Z, A, Y):
    """``(L, dA, delta)`` of a batch's output neurons, ``Z``, ``A`` and targets ``Y`` ``(n, k)``:
    the mean loss over the batch ``L`` (a 0-d array; the loss of one example is summed over
    the outputs), and its gradient, either ``dA = dL/dA`` (``delta`` None: the caller
    multiplies by ``f'(Z)``) or, for the two cross-entropies, ``delta = dL/dZ`` directly
    (``dA`` None). ``loss``: one of :data:`LOSSES` (binary cross-entropy needs sigmoid
    outputs, softmax cross-entropy identity ones; the caller checks). ``Z`` is read only by
    the two cross-entropies (None will do for the others)."""
    xp, n = _namespace(A), A.shape[0]
    if loss == "binary_cross_entropy":  # sigmoid outputs
        L = xp.sum(binary_cross_entropy_from_z(Z, Y)) / n  # (eq-ch3-bce-stable)
        return L, None, (A - Y) / n  # delta = (y_hat - y) / n directly: no 0/0  (eq-ch3-delta)
    if loss == "softmax_cross_entropy":  # identity outputs: the scores
        per, P = _softmax_parts(Z, Y)  # (n, 1), (n, k)
        P -= Y  # (n, k) in place: P is a new array
        P *= 1.0 / n
        return xp.sum(per) / n, None, P  # delta = (softmax(z) - y) / n  (eq-ch7-grad-z)
    if loss == "squared_error":
        R = A - Y  # (n, k) residuals
        # (eq-ch1-loss) summed over the outputs; dL/dy_hat = 2 (y_hat - y) / n for the mean
        return xp.sum(R * R) / n, R * (2.0 / n), None
    M = 1.0 - Y * A  # (n, k) max_margin: L = max(0, 1 - y score), micrograd's hinge
    return xp.sum(xp.maximum(M, 0.0)) * (1.0 / n), xp.where(M > 0, Y * (-1.0 / n), 0.0), None


def _output_loss(loss, act, Z, A, Y):
    """``(L, delta)``: the mean loss and the output layer's ``delta = dL/dZ`` ``(n, k)``."""
    L, dA, delta = mean_loss_terms(loss, Z, A, Y)
    if delta is None:
        delta = activation_functions(act)[1](_namespace(Z), Z, A, dA, None)  # (eq-ch6-delta)
    return L, delta


def targets(y, loss, n, k, xp, dtype):
    """``y`` as an ``(n, k)`` array of ``dtype`` in namespace ``xp``, checked for ``loss``: shaped
    like the ``k`` outputs (or ``(n,)`` for one output); 0 or 1 for binary cross-entropy, -1 or
    +1 for max-margin; for softmax cross-entropy integer class labels ``(n,)`` (turned into
    one-hot rows) or one-hot rows. Raises ValueError saying what was expected."""
    y = y if hasattr(y, "__array_namespace__") else xp.asarray(y)
    if _namespace(y) is not xp:
        raise ValueError(f"y is a {_namespace(y).__name__} array but the parameters are "
                         f"{xp.__name__} arrays: use one namespace")
    if loss == "softmax_cross_entropy" and y.ndim == 1:
        return _one_hot(y, n, k, xp, dtype)
    given = tuple(y.shape)
    if y.ndim == 1 and k == 1:
        y = xp.reshape(y, (-1, 1))  # (n, 1) targets for a one-output network
    if tuple(y.shape) != (n, k):
        raise ValueError(f"y must be shaped like the network's output ({n}, {k}) (one column "
                         f"per output), or ({n},) for one output; got shape {given}")
    Y = xp.astype(y, dtype)  # (n, k)
    allowed = {"binary_cross_entropy": (0, 1), "max_margin": (-1, 1),
               "softmax_cross_entropy": (0, 1)}.get(loss)
    if allowed and not bool(xp.all((Y == allowed[0]) | (Y == allowed[1]))):
        raise ValueError(f"{loss.replace('_', ' ')} needs targets y that are {allowed[0]} or "
                         f"{allowed[1]}" + (" (one-hot rows)" if "softmax" in loss else ""))
    if loss == "softmax_cross_entropy" and not bool(xp.all(xp.sum(Y, axis=1) == 1)):
        raise ValueError("softmax cross-entropy needs one-hot rows in y (exactly one 1 per "
                         "row), or class labels of shape (n,)")
    if not bool(xp.all(xp.isfinite(Y))):
        raise ValueError("y must be finite numbers (found nan or inf)")
    return Y


def _one_hot(labels, n, k, xp, dtype):
    if tuple(labels.shape) != (n,) or not xp.isdtype(labels.dtype, "integral"):
        raise ValueError(f"softmax cross-entropy needs y as {n} class labels, integers of shape "
                         f"({n},), or one-hot rows of shape ({n}, {k}); got shape "
                         f"{tuple(labels.shape)}, dtype {labels.dtype}")
    if n and not (0 <= int(xp.min(labels)) and int(xp.max(labels)) < k):
        raise ValueError(f"class labels must be 0 .. {k - 1} (one per output), got labels in "
                         f"[{int(xp.min(labels))}, {int(xp.max(labels))}]")
    classes = xp.arange(k, dtype=labels.dtype)  # (k,)
    return xp.astype(xp.reshape(labels, (-1, 1)) == classes, dtype)  # (n, k) one-hot


def _check_loss(loss, output_activation):
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}: expected one of {', '.join(LOSSES)}")
    if loss == "binary_cross_entropy" and output_activation != "sigmoid":
        raise ValueError("binary cross-entropy reads the outputs as probabilities: give the output "
                         f"layer the activation 'sigmoid' (it has {output_activation!r}); the loss "
                         "is then computed from z, which stays finite (eq-ch3-bce-stable)")
    if loss == "softmax_cross_entropy" and output_activation != "identity":
        raise ValueError("softmax cross-entropy turns the output layer's z into probabilities "
                         "itself: give the output layer the activation 'identity' (it has "
                         f"{output_activation!r})")


# --------------------------------------------------------------------- one layer
class Dense:
    """A dense layer: ``d_out`` neurons, each reading all ``d_in`` values before it.

    ``W`` ``(d_in, d_out)``: ``W[i, j]`` is the weight from value i to neuron j (one column
    per neuron). ``b`` ``(d_out,)``. ``activation``: a name in ``activations.NAMES``. Both
    arrays are copied; their namespace and dtype (float32 or float64) are the layer's.

    After :meth:`forward`: ``A_prev`` (what the layer read), ``Z`` and ``A`` ``(n, d_out)``.
    After :meth:`backward`: ``delta`` ``(n, d_out)``, ``dW`` ``(d_in, d_out)``, ``db``
    ``(d_out,)``. Each is a copy; the layer reuses its own arrays on the next pass.
    """

    def __init__(self, W, b, activation="relu"):
        self._f, self._d_act = activation_functions(activation)  # teaches on a bad name
        if hasattr(W, "__array_namespace__"):
            xp, W = _namespace(W), _namespace(W).asarray(W, copy=True)  # (d_in, d_out)
        else:
            xp, W = np, np.array(W, dtype=np.float64)  # (d_in, d_out) from nested lists
        if W.ndim != 2 or not _is_float(xp, W.dtype):
            raise ValueError("W holds one column of weights per neuron: a 2-d array of floats of "
                             f"shape (d_in, d_out); got shape {W.shape}, dtype {W.dtype}")
        b = xp.asarray(b, dtype=W.dtype, copy=True)  # (d_out,)
        if b.shape != (W.shape[1],):
            raise ValueError(f"b holds one bias per neuron: W has shape {W.shape} (one column per "
                             f"neuron), so b must have shape ({W.shape[1]},), got shape {b.shape}")
        self.W, self.b, self.activation, self.xp = W, b, activation, xp
        self._buf = _Buffers(xp, W.dtype)
        self._A_prev = self._Z = self._A = self._delta = self._dW = self._db = None

    @property
    def d_in(self):
        """How many values each neuron reads (rows of ``W``)."""
        return self.W.shape[0]

    @property
    def d_out(self):
        """How many neurons the layer has (columns of ``W``)."""
        return self.W.shape[1]

    def __repr__(self):
        return f"Dense(d_in={self.d_in}, d_out={self.d_out}, activation={self.activation!r})"

    # ----------------------------------------------------------------- forward
    def forward(self, A_prev):
        """``A = f(A_prev @ W + b)`` ``(n, d_out)`` for a batch ``A_prev`` ``(n, d_in)``, one
        example per row. Implements (eq-ch6-batch): row by row, (eq-ch6-layer-matvec);
        entry by entry, (eq-ch6-layer-sum)."""
        return self._forward(self._check_input(A_prev))

    def _forward(self, A_prev):
        """:meth:`forward` on an input already checked (the network checks X once)."""
        xp, n, buf = self.xp, A_prev.shape[0], self._buf
        Z = _into(xp.matmul, A_prev, self.W, out=buf.rows("Z", n, self.d_out))  # (eq-ch6-batch)
        Z += self.b  # (n, d_out) every row gets the biases
        A = self._f(xp, Z, buf.rows("A", n, self.d_out))  # (n, d_out)  A = f(Z)
        self._A_prev, self._Z, self._A = A_prev, Z, A
        return A

    def _check_input(self, A_prev):
        if not hasattr(A_prev, "__array_namespace__"):
            A_prev = self.xp.asarray(A_prev, dtype=self.W.dtype)  # nested lists
        if A_prev.ndim != 2 or A_prev.shape[1] != self.d_in:
            raise ValueError(f"this layer reads {self.d_in} values per example (W has shape "
                             f"{tuple(self.W.shape)}), so its input must have shape (n, "
                             f"{self.d_in}), one example per row; got shape {tuple(A_prev.shape)}")
        if _namespace(A_prev) is not self.xp or A_prev.dtype != self.W.dtype:
            raise ValueError(f"the input must be an array of the layer's namespace and dtype "
                             f"({self.xp.__name__}, {self.W.dtype}); got {A_prev.dtype} from "
                             f"{_namespace(A_prev).__name__} (convert it with astype)")
        return A_prev

    # ----------------------------------------------------------------- backward
    def backward(self, dA, need_dA_prev=True):
        """From ``dA = dL/dA`` ``(n, d_out)`` of the last :meth:`forward`: the layer's
        ``delta = dA * f'(Z)`` (eq-ch6-delta), its gradients, and ``dL/dA_prev`` ``(n, d_in)``
        (None with ``need_dA_prev=False``). See :meth:`backward_from_delta`."""
        if self._Z is None:
            raise ValueError("backward needs the values of a forward pass: call forward first")
        if tuple(dA.shape) != tuple(self._Z.shape):
            raise ValueError(f"dA must be shaped like the layer's output of the last forward, "
                             f"{tuple(self._Z.shape)}; got shape {tuple(dA.shape)}")
        return self._backward(dA, need_dA_prev)

    def _backward(self, dA, need_dA_prev):
        delta = self._d_act(self.xp, self._Z, self._A, dA,
                            self._buf.rows("delta", dA.shape[0], self.d_out))  # (eq-ch6-delta)
        return self._backward_delta(delta, need_dA_prev)

    def backward_from_delta(self, delta, need_dA_prev=True):
        """The same, given the layer's ``delta = dL/dZ`` ``(n, d_out)`` itself (as for a
        sigmoid output with cross-entropy, whose delta is ``(y_hat - y) / n``). Computes
        ``dW = A_prev.T @ delta`` (eq-ch6-dW), ``db`` = the column sums of delta (eq-ch6-db),
        and returns ``dL/dA_prev = delta @ W.T`` (eq-ch6-fanout-matrix)."""
        if self._Z is None or tuple(delta.shape) != tuple(self._Z.shape):
            raise ValueError(f"delta must be shaped like the layer's Z of the last forward, "
                             f"{None if self._Z is None else tuple(self._Z.shape)}; got shape "
                             f"{tuple(delta.shape)}")
        return self._backward_delta(delta, need_dA_prev)

    def _backward_delta(self, delta, need_dA_prev):
        xp, buf = self.xp, self._buf
        self._delta = delta
        self._dW = _into(xp.matmul, self._A_prev.T, delta,
                         out=buf.fixed("dW", self.W.shape))  # (d_in, d_out)  (eq-ch6-dW)
        self._db = _into(xp.sum, delta, axis=0, out=buf.fixed("db", self.b.shape))  # (eq-ch6-db)
        if not need_dA_prev:
            return None  # (speed) the first layer's dL/dX: nothing reads it during training
        return _into(xp.matmul, delta, self.W.T,
                     out=buf.rows("dA_prev", delta.shape[0], self.d_in))  # (eq-ch6-fanout-matrix)

    def _sgd(self, lr, l2):
        """``W <- W - lr * (dW + 2 l2 W)``, ``b`` the same, in place (eq-ch2-update); with
        ``l2``, this is weight decay (eq-ch7-weight-decay)."""
        xp, buf, dW, db = self.xp, self._buf, self._dW, self._db
        if l2:
            dW, db = dW + (2.0 * l2) * self.W, db + (2.0 * l2) * self.b  # (eq-ch7-l2-grad)
        # (speed) lr * dW goes into a kept buffer: W1 alone is 100,000 numbers, and a new array
        # of that size each step costs more than the subtraction itself
        self.W -= _into(xp.multiply, dW, lr, out=buf.fixed("step W", self.W.shape))
        self.b -= _into(xp.multiply, db, lr, out=buf.fixed("step b", self.b.shape))

    # ----------------------------------------------------------------- views
    def _copy(self, x):
        return None if x is None else self.xp.asarray(x, copy=True)

    A_prev = property(lambda self: self._copy(self._A_prev), doc="Input of the last forward.")
    Z = property(lambda self: self._copy(self._Z), doc="``Z`` of the last forward.")
    A = property(lambda self: self._copy(self._A), doc="``A = f(Z)`` of the last forward.")
    delta = property(lambda self: self._copy(self._delta), doc="``dL/dZ`` of the last backward.")
    dW = property(lambda self: self._copy(self._dW), doc="``dL/dW`` of the last backward.")
    db = property(lambda self: self._copy(self._db), doc="``dL/db`` of the last backward.")


# --------------------------------------------------------------------- a sequence of layers
class Sequential:
    """Layers applied one after the other: the output ``A`` of layer l is the input of
    layer l + 1. ``layers``: :class:`Dense` objects of one namespace and dtype, each reading
    as many values as the one before has neurons. ``input_names``: the names of the inputs
    (default ``x1 .. xd``), used by :meth:`parameter_names` and :meth:`to_graph`.

    Parameters as one flat vector (:meth:`parameters`): layer by layer, ``W`` row by row
    (``W.reshape(-1)``), then ``b``. :meth:`parameter_names` names each entry as the graph
    engine does; :meth:`to_graph_order` reorders a vector into the graph engine's order.
    """

    def __init__(self, layers, input_names=None):
        layers = list(layers)
        if not layers or not all(isinstance(layer, Dense) for layer in layers):
            raise ValueError(f"layers must be a non-empty list of Dense layers, got {layers!r}")
        _check_chain(layers)
        names = ([f"x{i + 1}" for i in range(layers[0].d_in)] if input_names is None
                 else list(input_names))
        if len(names) != layers[0].d_in:
            raise ValueError(f"input_names must name the {layers[0].d_in} inputs, got {len(names)}")
        self.layers, self.input_names = layers, names
        self.xp, self.dtype = layers[0].xp, layers[0].W.dtype
        self._single = False

    @classmethod
    def init(cls, sizes, activation="relu", output_activation="identity", rng=None,
             dtype="float64", xp=None):
        """A new network ``sizes = [d, h1, ..., n_outputs]``, as :func:`graph.mlp` builds it:
        the same activations, and for the same ``rng`` (a Generator or a seed, default 0) the
        same weights, each drawn from ``N(0, 1 / d_in)``; biases 0. ``dtype``: ``"float32"``
        or ``"float64"``; ``xp``: the namespace of the parameters (default numpy)."""
        if len(sizes) < 2 or not all(int(s) == s >= 1 for s in sizes):
            raise ValueError(f"sizes lists whole numbers >= 1, inputs first, at least two: got "
                             f"{sizes!r}")
        rng = np.random.default_rng(0 if rng is None else rng)
        xp = np if xp is None else xp
        dt, layers = _dtype(xp, dtype), []
        for l, (d_in, d_out) in enumerate(zip(sizes, sizes[1:]), start=1):
            # graph.mlp draws neuron by neuron, so draw W transposed: one row per neuron
            W = rng.normal(0.0, 1.0 / np.sqrt(d_in), size=(d_out, d_in)).T  # (d_in, d_out)
            act = output_activation if l == len(sizes) - 1 else activation
            layers.append(Dense(xp.asarray(W.copy(), dtype=dt), xp.zeros(d_out, dtype=dt), act))
        return cls(layers)

    @property
    def sizes(self):
        """``[d, h1, ..., n_outputs]``."""
        return [self.layers[0].d_in] + [layer.d_out for layer in self.layers]

    def __repr__(self):
        acts = [layer.activation for layer in self.layers]
        return f"Sequential(sizes={self.sizes}, activations={acts}, dtype={self.dtype})"

    # ----------------------------------------------------------------- forward, backward
    def forward(self, X):
        """Outputs ``(n, n_outputs)`` for a batch ``X`` ``(n, d)`` (or ``(n_outputs,)`` for
        one example ``(d,)``): each layer's (eq-ch6-batch) in turn. Returns a new array."""
        X, self._single = self._as_batch(X)  # (n, d)
        Y = self.xp.asarray(self._forward(X), copy=True)  # (n, n_outputs): not a buffer
        return Y[0, :] if self._single else Y

    def _forward(self, X):
        A = X  # (n, d)
        for layer in self.layers:
            A = layer._forward(A)  # (n, d_out), each checked by __init__ to fit the next
        return A

    def _as_batch(self, X):
        return _as_batch(X, self.xp, self.dtype, self.layers[0].d_in, note=f", one example per "
                         f"row (W of layer 1 has shape {self.layers[0].W.shape})")

    def backward(self, dL_dout):
        """Gradient ``(P,)`` of the loss (in the order of :meth:`parameters`), given
        ``dL_dout``, the gradient of the TOTAL loss with respect to each output of the last
        :meth:`forward`, shaped like that output (for a mean loss it holds the ``1/n``).
        Every layer keeps its ``delta``, ``dW`` and ``db``."""
        last = self.layers[-1]
        if last._A is None:
            raise ValueError("backward needs the values of a forward pass: call net.forward(X) "
                             "first")
        want = (last.d_out,) if self._single else tuple(last._A.shape)
        G = self.xp.asarray(dL_dout, dtype=self.dtype)
        if tuple(G.shape) != want:
            raise ValueError(f"dL_dout must be shaped like the last forward's output, {want}; got "
                             f"shape {tuple(G.shape)}")
        G = self.xp.reshape(G, tuple(last._A.shape))  # (n, n_outputs)
        self._backprop(last._d_act(self.xp, last._Z, last._A, G, None))  # (eq-ch6-delta)
        return self.gradient()

    def _backprop(self, delta):
        """Backward through every layer, from the output layer's ``delta`` ``(n, n_outputs)``:
        each layer passes ``dL/dA_prev`` (eq-ch6-fanout-matrix) to the one before it."""
        dA = self.layers[-1]._backward_delta(delta, len(self.layers) > 1)  # (n, d_in)
        for l in range(len(self.layers) - 2, -1, -1):  # the layers before the last, in reverse
            dA = self.layers[l]._backward(dA, l > 0)  # (n, d_in) or None

    def gradient(self):
        """The gradient of the last backward as one flat vector ``(P,)`` (order of
        :meth:`parameters`)."""
        if self.layers[0]._dW is None:
            raise ValueError("no gradient yet: call backward (or loss_and_grad) first")
        xp = self.xp
        return xp.concat([xp.reshape(g, (-1,)) for layer in self.layers
                          for g in (layer._dW, layer._db)])  # (P,)

    @property
    def deltas(self):
        """Every layer's ``delta`` of the last backward: a list of ``(n, d_out)`` arrays."""
        return [layer.delta for layer in self.layers]

    # ----------------------------------------------------------------- losses
    def loss(self, X, y, loss="squared_error", l2=0.0):
        """Mean loss over the examples (the loss of one example summed over the outputs), plus
        ``l2 * sum(theta**2)`` over all parameters, biases included (as the graph engine).
        ``loss``: one of :data:`LOSSES`. ``y``: shaped like the output, or ``(n,)`` for one
        output; for softmax cross-entropy, class labels ``(n,)`` (integers) or one-hot rows."""
        return float(self._loss_delta(X, y, loss, l2)[0])

    def loss_and_grad(self, X, y, loss="squared_error", l2=0.0):
        """``(loss, grad)``: :meth:`loss` and its gradient ``(P,)`` (order of
        :meth:`parameters`), by one forward and one backward pass. Binary cross-entropy (on
        a sigmoid output) and softmax cross-entropy start backward from the output delta
        ``(y_hat - y) / n`` directly (eq-ch3-delta)."""
        value, delta = self._loss_delta(X, y, loss, l2)
        self._backprop(delta)
        grad = self.gradient()  # (P,)
        if l2:
            grad = grad + (2.0 * l2) * self.parameters()  # (P,)  (eq-ch7-l2-grad)
        return float(value), grad

    def _loss_delta(self, X, y, loss, l2):
        _check_loss(loss, self.layers[-1].activation)
        X, _ = self._as_batch(X)
        Y = self._targets(y, loss, X.shape[0])  # (n, n_outputs)
        return self._mean_loss(self._forward(X), Y, loss, _l2(l2))

    def _mean_loss(self, A, Y, loss, l2):
        last = self.layers[-1]
        value, delta = _output_loss(loss, last.activation, last._Z, A, Y)
        if l2:
            value = value + l2 * sum(self.xp.sum(p * p) for layer in self.layers
                                     for p in (layer.W, layer.b))  # (eq-ch7-l2-loss)
        return value, delta

    def _targets(self, y, loss, n):
        return targets(y, loss, n, self.layers[-1].d_out, self.xp, self.dtype)

    # ----------------------------------------------------------------- parameters
    def parameters(self):
        """All parameters as one flat vector ``(P,)``: layer by layer, ``W`` row by row,
        then ``b``. A new array."""
        xp = self.xp
        return xp.concat([xp.reshape(p, (-1,)) for layer in self.layers
                          for p in (layer.W, layer.b)])  # (P,)

    def set_parameters(self, theta):
        """Replace every parameter by ``theta`` ``(P,)``, in the order of :meth:`parameters`
        (copied, converted to the network's dtype)."""
        xp, P = self.xp, sum(layer.W.size + layer.b.size for layer in self.layers)
        theta = xp.asarray(theta, dtype=self.dtype)  # (P,)
        if tuple(theta.shape) != (P,):
            raise ValueError(f"expected {P} parameters (one per entry of parameter_names()), got "
                             f"shape {tuple(theta.shape)}")
        if not bool(xp.all(xp.isfinite(theta))):
            raise ValueError("parameters must be finite numbers (no NaN or inf)")
        start = 0
        for layer in self.layers:
            k = layer.W.size
            W = xp.reshape(theta[start:start + k], layer.W.shape)  # (d_in, d_out)
            layer.W = xp.asarray(W, copy=True)
            layer.b = xp.asarray(theta[start + k:start + k + layer.d_out], copy=True)  # (d_out,)
            start += k + layer.d_out

    def neuron_names(self):
        """The graph engine's name of every neuron, layer by layer: ``[["L1.0", ...], ...]``
        (column j of layer l's ``Z``, ``A`` and ``delta`` is neuron ``"L{l}.{j}"``)."""
        return [[f"L{l}.{j}" for j in range(layer.d_out)]
                for l, layer in enumerate(self.layers, start=1)]

    def parameter_names(self):
        """The name of each entry of :meth:`parameters`, as the graph engine names it:
        ``W[i, j]`` of layer l is ``"L{l}.{j}.w[source i]"``, ``b[j]`` is ``"L{l}.{j}.b"``."""
        names, sources = [], self.input_names
        for layer_names in self.neuron_names():
            names += [f"{neuron}.w[{s}]" for s in sources for neuron in layer_names]
            names += [f"{neuron}.b" for neuron in layer_names]
            sources = layer_names
        return names

    def _graph_index(self):
        """``index`` ``(P,)`` with ``parameters()[index]`` in the graph engine's order: for
        each neuron (column j of a layer) its weights, then its bias."""
        pieces, start = [], 0
        for layer in self.layers:
            d_in, d_out = layer.W.shape
            W_at = start + np.arange(d_in * d_out).reshape(d_in, d_out)  # (d_in, d_out)
            b_at = start + d_in * d_out + np.arange(d_out)  # (d_out,)
            pieces.append(np.vstack([W_at, b_at[None, :]]).T.reshape(-1))  # ((d_in + 1) d_out,)
            start += (d_in + 1) * d_out
        return np.concatenate(pieces)  # (P,)

    def to_graph_order(self, v):
        """A vector ``(P,)`` in the order of :meth:`parameters` (parameters, or a gradient)
        reordered into the graph engine's order (``Graph.parameter_names`` of :meth:`to_graph`)."""
        return self.xp.take(v, self.xp.asarray(self._graph_index()), axis=0)  # (P,)

    def from_graph_order(self, v):
        """The inverse of :meth:`to_graph_order`: a vector in the graph engine's order,
        reordered into the order of :meth:`parameters`."""
        inverse = np.argsort(self._graph_index())  # (P,)
        return self.xp.take(v, self.xp.asarray(inverse), axis=0)  # (P,)

    def to_graph(self):
        """The same network as a :class:`graph.Graph` (``graph.mlp``'s wiring and names), with
        the same weights in float64 numpy: the reference to compare against."""
        neurons, sources = [], self.input_names
        for layer, names in zip(self.layers, self.neuron_names()):
            neurons += [graph.Neuron(name, list(sources), layer.activation) for name in names]
            sources = names
        net = graph.Graph(list(self.input_names), neurons, list(sources))
        net.set_parameters(_to_numpy(self.to_graph_order(self.parameters())))
        return net

    @classmethod
    def from_graph(cls, net, dtype="float64", xp=None):
        """The layered form of a :class:`graph.Graph` wired layer by layer as ``graph.mlp``
        wires it (neuron j of layer l named ``"L{l}.{j}"``, reading every neuron of layer
        l - 1, one activation per layer), with the same weights. Raises ValueError, naming the
        neuron, for any other wiring (``nnbook_utils.schedule`` runs any graph)."""
        names, acts = _layered(net)
        xp = np if xp is None else xp
        dt = _dtype(xp, dtype)
        sizes = [len(net.inputs)] + [len(layer) for layer in names]
        layers = [Dense(xp.zeros((d_in, d_out), dtype=dt), xp.zeros(d_out, dtype=dt), act)
                  for d_in, d_out, act in zip(sizes, sizes[1:], acts)]
        seq = cls(layers, input_names=net.inputs)
        at = {name: k for k, name in enumerate(net.parameter_names())}
        theta = net.parameters()[[at[name] for name in seq.parameter_names()]]  # (P,)
        seq.set_parameters(xp.asarray(theta, dtype=dt))
        return seq

    # ----------------------------------------------------------------- training
    def _sgd(self, lr, l2):
        """One step ``theta <- theta - lr * grad`` on every layer (``grad`` with the penalty)."""
        for layer in self.layers:
            layer._sgd(lr, l2)


def _check_chain(layers):
    """Each layer must read as many values as the one before has neurons, in one namespace
    and dtype; or a ValueError names both layers' shapes."""
    for l, (before, layer) in enumerate(zip(layers, layers[1:]), start=2):
        if layer.d_in != before.d_out:
            raise ValueError(f"layer {l} reads {layer.d_in} values (W of shape {layer.W.shape}) "
                             f"but layer {l - 1} gives {before.d_out} (W of shape "
                             f"{before.W.shape}): W of layer {l} needs {before.d_out} rows")
        if layer.xp is not before.xp or layer.W.dtype != before.W.dtype:
            raise ValueError(f"all layers need one namespace and dtype: layer {l - 1} has "
                             f"{before.W.dtype}, layer {l} has {layer.W.dtype}")


def _dtype(xp, dtype):
    """``xp.float32`` or ``xp.float64`` for a name (``"float32"``) or a dtype."""
    for name in ("float32", "float64"):
        if (dtype == name) if isinstance(dtype, str) else (dtype == getattr(xp, name)):
            return getattr(xp, name)
    raise ValueError(f"dtype must be float32 or float64, got {dtype!r}")


def _to_numpy(x):
    return x if isinstance(x, np.ndarray) else np.from_dlpack(x)


def _l2(l2):
    if not (np.ndim(l2) == 0 and np.isfinite(l2) and l2 >= 0):
        raise ValueError(f"l2 is a penalty strength: a number >= 0, got {l2!r}")
    return float(l2)


def _layered(net):
    """The neuron names of each layer of a graph wired as ``graph.mlp`` wires it, and each
    layer's activation; or a ValueError naming the first neuron that breaks the pattern."""
    if not isinstance(net, graph.Graph):
        raise ValueError(f"from_graph needs a graph.Graph, got {type(net).__name__}")
    how = ("from_graph needs a network wired layer by layer, as graph.mlp builds it: neuron j "
           "of layer l is named 'L{l}.{j}' and reads every neuron of layer l - 1 (layer 1: every "
           "input), with one activation per layer. nnbook_utils.schedule.Schedule runs any graph. ")
    found = {}
    for nrn in net.neurons:
        m = re.fullmatch(r"L([1-9][0-9]*)\.(0|[1-9][0-9]*)", nrn.name)
        if m is None:
            raise ValueError(how + f"Neuron {nrn.name!r} is not named that way.")
        found.setdefault(int(m[1]), {})[int(m[2])] = nrn
    layers = [found.get(l, {}) for l in range(1, len(found) + 1)]
    names, acts, previous = [], [], list(net.inputs)
    for l, layer in enumerate(layers, start=1):
        if sorted(layer) != list(range(len(layer))) or not layer:
            raise ValueError(how + f"Layer {l} has neurons {sorted(layer)}: expected 0, 1, ...")
        for j in range(len(layer)):
            nrn = layer[j]
            if sorted(nrn.sources) != sorted(previous):
                raise ValueError(how + f"Neuron {nrn.name!r} reads {nrn.sources}, not every value "
                                 f"of the layer before ({', '.join(previous)}).")
            if nrn.activation != layer[0].activation:
                raise ValueError(how + f"Neuron {nrn.name!r} has activation {nrn.activation!r}, "
                                 f"but L{l}.0 has {layer[0].activation!r}.")
        previous = [layer[j].name for j in range(len(layer))]
        names.append(previous)
        acts.append(layer[0].activation)
    if list(net.outputs) != previous:
        raise ValueError(how + f"The outputs must be the last layer, {previous}; got "
                         f"{net.outputs}.")
    return names, acts


# --------------------------------------------------------------------- mini-batch training
class History(NamedTuple):
    """What :func:`train` records. A named tuple, so ``steps, epochs = train(...)`` works."""

    loss: np.ndarray  # (steps,) the loss of each mini-batch, before its step
    epoch_loss: np.ndarray  # (epochs,) the mean over each epoch's examples


def train(net, X, y, loss="squared_error", lr=0.1, epochs=1, batch_size=32, rng=None,
          l2=0.0, progress=0):
    """Mini-batch gradient descent on a :class:`Sequential`, in place; returns a :class:`History`.

    Each epoch visits the examples in a new order, ``rng.permutation(n)`` (``rng``: a
    ``numpy.random.Generator`` or a seed, default 0), in mini-batches of ``batch_size`` (the
    last one may be smaller); each mini-batch makes one step ``theta <- theta - lr * grad``
    of its mean loss (:meth:`Sequential.loss_and_grad`): stochastic gradient descent,
    (eq-ch7-sgd). ``lr``: a number, or a function of
    the step ``k`` (0, 1, ...). ``progress``: 0 (default) prints nothing; k > 0 prints one
    line every k epochs and after the last, ``epoch 5/20: loss 0.1234`` (the epoch's mean
    loss at 4 decimals: no timings, so the text is the same on every run).

    Raises :class:`TrainingDiverged` if a loss becomes NaN or inf, saying the step and its
    learning rate; ValueError if that comes from NaN or inf in the data.
    """
    _check_loss(loss, net.layers[-1].activation)

    def rate(k):
        return lr(k) if callable(lr) else lr

    return _loop(net, X, y, loss, epochs, batch_size, rng, l2, progress,
                 update=lambda k, l2: net._sgd(rate(k), l2), lr_at=rate)


def _loop(net, X, y, loss, epochs, batch_size, rng, l2, progress, update, lr_at,
          after_epoch=None):
    """The loop of :func:`train` and of ``optim.train``: the checks, each epoch's seeded
    shuffle, the mini-batches, the progress lines and the :class:`History`.

    Only the update differs between the two: ``update(k, l2)`` takes step ``k`` once the
    backward pass has put the mini-batch's gradients into the layers; ``lr_at(k)`` is step
    ``k``'s learning rate, for the error message; ``after_epoch(epoch)`` (or None) runs after
    each epoch, ``epoch`` = 1, 2, ..., outside the silenced warnings.
    """
    X, _ = net._as_batch(X)  # (n, d), the network's dtype (converted once, here)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError("train needs a batch X of shape (n, d) with at least one example")
    n = X.shape[0]
    Y = net._targets(y, loss, n)  # (n, n_outputs), checked once, here
    epochs, progress = _count(epochs, "epochs", 1), _count(progress, "progress", 0)
    batch_size = _count(batch_size, "batch_size", 1)
    l2, rng = _l2(l2), np.random.default_rng(0 if rng is None else rng)
    starts = list(range(0, n, batch_size))  # where each mini-batch begins
    sizes = np.diff(np.append(starts, n))  # (batches,) examples per mini-batch
    step_loss = np.empty((epochs, len(starts)))  # (epochs, batches)
    for epoch in range(epochs):
        with _quiet_overflow():  # a loss that overflows is reported as TrainingDiverged
            order = net.xp.asarray(rng.permutation(n))  # (n,) this epoch's seeded shuffle
            for s, start in enumerate(starts):
                k = epoch * len(starts) + s  # the step
                at = order[start:start + int(sizes[s])]  # (b,) the examples of the mini-batch
                step_loss[epoch, s] = _step(net, X, Y, at, loss, l2, k, update, lr_at)
        if progress and ((epoch + 1) % progress == 0 or epoch + 1 == epochs):
            print(f"epoch {epoch + 1:>{len(str(epochs))}}/{epochs}: loss "
                  f"{step_loss[epoch] @ sizes / n:.4f}")
        if after_epoch is not None:
            after_epoch(epoch + 1)
    return History(step_loss.reshape(-1), step_loss @ sizes / n)


def _step(net, X, Y, at, loss, l2, k, update, lr_at):
    """One step on the mini-batch of the examples ``at``: forward, loss, backward, then
    ``update(k, l2)``. Returns the loss (before the step)."""
    xp = net.xp
    Xb, Yb = xp.take(X, at, axis=0), xp.take(Y, at, axis=0)  # (b, d), (b, n_outputs)
    value, delta = net._mean_loss(net._forward(Xb), Yb, loss, l2)
    value = float(value)
    if not math.isfinite(value):
        if not bool(xp.all(xp.isfinite(Xb))):
            raise ValueError(f"X holds NaN or inf (in the mini-batch of step {k}): every "
                             "input must be a finite number")
        raise TrainingDiverged(
            f"the loss became {value} at step {k} with lr={lr_at(k)}: the parameters grew "
            "too far in one step. Try a smaller learning rate.")
    net._backprop(delta)
    update(k, l2)
    return value


@contextlib.contextmanager
def _quiet_overflow():
    """Silence numpy's RuntimeWarnings (overflow, invalid value) while training: a run that
    overflows raises TrainingDiverged, which says what to do.

    (speed) Not ``np.errstate``: inside an errstate block every numpy call looks the error
    state up anew, about 0.5 microseconds each, a tenth of a small network's step.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def _count(value, name, least):
    if not (isinstance(value, (int, np.integer)) and value >= least):
        raise ValueError(f"{name} must be a whole number >= {least}, got {value!r}")
    return int(value)
