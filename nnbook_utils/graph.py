"""The graph engine: a neural network wired neuron by neuron (Chapters 4 and 5).

Chapter 5 derives the method and writes it as small functions on dictionaries
(``forward``, ``backward``, one number per value): that code is the legible reference.
This module is its tested, fast form: the same equations, vectorised over a batch of
examples, with the wiring checked when a network is built. ``tests/test_agreement_ch05.py``
checks that the two agree, and the lines below that implement an equation cite its label
in Chapter 5 (or Chapter 3), e.g. ``# (eq-ch5-fanout), push form``.

A network is a directed acyclic graph (DAG). Its nodes are the **inputs** (names such as
``"x1"``) and the **neurons**; each neuron j reads from a list of *sources* s (inputs or
other neurons, in any mix, so skip connections are allowed) and computes

    z_j = sum_s w_js a_s + b_j   (a_s: the value of source s)             (eq-ch5-z)
    a_j = f_j(z_j)               (f_j: any activation, from nnbook_utils.activations) (eq-ch5-a)

Layers are not needed: the two passes below train any DAG, and a layered MLP is one
particular wiring (see :func:`mlp`). Grouping neurons into layers is an optimization
(Chapter 6).

How it computes (Chapter 5's equations, in words)
-------------------------------------------------
- **Forward**: visit the neurons in a topological order (every neuron after all of its
  sources, (eq-ch5-order)) and apply the two lines above. For a batch ``X`` of shape
  ``(n, d)`` each neuron computes its ``z`` and ``a`` for all ``n`` examples at once with
  numpy (eq-ch5-batch): the loop runs over neurons, never over examples.
- **Backward**: visit the neurons in reverse topological order. The error signal of neuron
  j is ``delta_j = dL/dz_j = (dL/da_j) * f_j'(z_j)`` (eq-ch5-delta). ``dL/da_j`` is the
  gradient given for an output, plus ``sum_r w_rj delta_r`` over every neuron r that reads
  from j (eq-ch5-fanout): by the multivariate chain rule, a value that fans out to several
  neurons collects one term from each. The engine builds that sum in *push* form (Chapter
  5's exercise "backward by pushing"): when neuron j's turn comes, it adds ``w_js delta_j``
  to the running ``dL/da_s`` of each of its sources s, so by the time a neuron's turn
  comes, all its readers have added their terms. Then ``dL/dw_js = delta_j a_s``
  (eq-ch5-dw) and ``dL/db_j = delta_j`` (eq-ch5-db), each summed over the examples of the
  batch (for a mean loss the given gradient already holds the ``1/n``, so the sums are the
  means of (eq-ch5-mean-grad)).
- **The topological order** is found by depth-first search (Chapter 5's exercise), written
  with an explicit stack rather than recursion, so that a chain of thousands of neurons
  does not hit Python's recursion limit (about 1000 nested calls).

Parameters as one flat vector
-----------------------------
:meth:`Graph.parameters` returns all parameters as one vector ``theta`` of length ``P``, in
this order: for each neuron in ``net.order``, its weights (in the order of its sources),
then its bias. :meth:`Graph.parameter_names` names each entry (``"h1.w[x1]"``,
``"h1.b"``, ...). :meth:`Graph.backward` returns the gradient in the same order.

The dictionary format (:meth:`Graph.to_dict`, :meth:`Graph.from_dict`)
-----------------------------------------------------------------------
A plain, JSON-serialisable dictionary that holds everything (the round trip is lossless)::

    {"format": "nnbook_utils.graph", "version": 1,
     "inputs": ["x1", "x2"],
     "neurons": [{"name": "h1", "sources": ["x1", "x2"], "activation": "tanh",
                  "weights": [0.5, -1.0], "bias": 0.1},
                 ...],                  # in the order they were given to Graph
     "outputs": ["out"]}

Example
-------
>>> net = Graph(inputs=["x1", "x2"],
...             neurons=[Neuron("h1", ["x1", "x2"]), Neuron("out", ["h1", "x2"], "sigmoid")],
...             outputs=["out"], rng=np.random.default_rng(0))
>>> net.forward(np.zeros((5, 2))).shape
(5, 1)
"""

from dataclasses import dataclass, replace

import numpy as np

from . import activations, losses
from .neuron import TrainingDiverged  # one exception for every trainer in the package

#: The ``"format"`` and ``"version"`` of the dictionaries written by :meth:`Graph.to_dict`.
FORMAT, VERSION = "nnbook_utils.graph", 1


class GraphError(ValueError):
    """Raised for a wiring that is not a valid network (cycle, unknown source, ...)."""


class GradientNotFinite(FloatingPointError):
    """Raised by :meth:`Graph.loss_and_grad` when the gradient is NaN or inf, with a message
    that says where it came from. ``err.loss`` holds the loss of that pass."""

    def __init__(self, message, loss):
        super().__init__(message)
        self.loss = loss


@dataclass
class Neuron:
    """One neuron: ``z = sum_i weights[i] * value(sources[i]) + bias``, ``a = activation(z)``.

    ``sources`` are names of inputs or of other neurons. Without ``weights``, :class:`Graph`
    draws them from its ``rng``.
    """

    name: str
    sources: list
    activation: str = "tanh"
    weights: list = None
    bias: float = 0.0


class _Compiled:
    """What the loops need about one neuron, precomputed when the graph is built.

    Two row numbers, because the value array ``V`` of :meth:`Graph.forward` holds the
    inputs first: neuron number ``j`` of the topological order is row ``j`` of ``Z`` and
    ``delta`` (one row per neuron) and row ``d + j`` of ``V`` (one row per input, then one
    per neuron), where ``d`` is the number of inputs."""

    def __init__(self, j, row, src, f, df, w, b, gw, gb):
        self.j = j  # position in the topological order (its row in Z and delta)
        self.row = row  # its row in V: d + j (after the inputs' rows)
        self.src = src  # (k,) rows of its sources in V (an input's row is its column in X)
        self.f, self.df = f, df  # activation f_j and its derivative f_j'
        self.w, self.b = w, b  # (k,) and (1,): views into the flat parameter vector
        self.gw, self.gb = gw, gb  # (k,) and (1,): views into the flat gradient vector


class Graph:
    """A neural network wired neuron by neuron; see the module docstring.

    ``inputs``: names of the inputs (their order is the column order of ``X``).
    ``neurons``: :class:`Neuron` objects, in any order. ``outputs``: names of the neurons
    whose activations :meth:`forward` returns, in that order. ``rng``: a
    ``numpy.random.Generator`` or a seed (default seed 0) for the neurons given without
    weights: each weight is drawn from ``N(0, 1 / k)`` for a neuron with ``k`` sources, so
    that ``z`` starts at a moderate size. The wiring is checked here: a bad one raises
    :class:`GraphError` saying what was expected and what was given.

    After :meth:`forward`, ``net.z[name]`` and ``net.a[name]`` hold each neuron's
    pre-activation and activation (a number for one example, shape ``(n,)`` for a batch);
    after :meth:`backward`, ``net.delta[name]`` (``dL/dz``, shaped like ``z``),
    ``net.dw[name]`` (one entry per source) and ``net.db[name]``. A later :meth:`forward`
    or :meth:`set_parameters` keeps all three, and ``delta`` keeps the shape of the
    backward pass that computed it (a number after one example, ``(n,)`` after a batch),
    whatever the later forward pass was. The next :meth:`backward` replaces all three,
    except with ``accumulate=True``: then ``dw`` and ``db`` are the *sums* over the
    passes since the last plain :meth:`backward` (to add the gradients of several
    batches), while ``delta`` is the last pass's only.
    """

    def __init__(self, inputs, neurons, outputs, rng=None):
        self.inputs = _names(inputs, "inputs")
        if len(set(self.inputs)) != len(self.inputs):
            raise GraphError(f"input names must be unique, got {self.inputs}")
        self._given = _check_neurons(neurons, self.inputs)  # name -> Neuron, as listed
        self.outputs = _check_outputs(outputs, self._given, self.inputs)
        self.order = _topological_order(self._given)
        self._compile(np.random.default_rng(0 if rng is None else rng))
        self._V = self._Z = self._delta = None  # no forward or backward pass yet
        self._delta_single = False  # whether _delta came from one example

    # ----------------------------------------------------------------- building
    def _compile(self, rng):
        # Every parameter lives in one flat vector self._theta (P,) and every gradient in one
        # flat vector self._grad (P,), in the documented order. Each neuron's w, b, gw and gb
        # are *views* into them (numpy slices share memory with the vector they slice), not
        # copies: `w[:] = ...` below, `u.gw += ...` in _backprop and `self._theta[:] = theta`
        # in set_parameters all write into the same memory. So parameters() and backward()
        # return the flat vectors without gathering anything, and set_parameters() updates
        # every neuron at once.
        d, neurons = len(self.inputs), [self._given[name] for name in self.order]
        row = {name: i for i, name in enumerate(self.inputs + self.order)}
        sizes = [len(nrn.sources) + 1 for nrn in neurons]  # weights and a bias each
        self._theta = np.zeros(sum(sizes))  # (P,) every parameter, in the documented order
        self._grad = np.zeros(sum(sizes))  # (P,) their gradient
        self._units, start = [], 0
        for j, nrn in enumerate(neurons):
            k = len(nrn.sources)
            w, b = self._theta[start:start + k], self._theta[start + k:start + k + 1]
            w[:] = rng.normal(0.0, 1.0 / np.sqrt(k), size=k) if nrn.weights is None else nrn.weights
            b[:] = nrn.bias
            f, df = activations.get(nrn.activation)
            src = np.array([row[s] for s in nrn.sources])  # (k,)
            gw, gb = self._grad[start:start + k], self._grad[start + k:start + k + 1]
            self._units.append(_Compiled(j, d + j, src, f, df, w, b, gw, gb))
            start += k + 1
        self._out_rows = np.array([row[name] for name in self.outputs])  # (n_outputs,)

    @property
    def neurons(self):
        """The neurons as :class:`Neuron` objects with their current weights and bias, in
        the order they were given."""
        by_name = {name: unit for name, unit in zip(self.order, self._units)}
        return [Neuron(nrn.name, list(nrn.sources), nrn.activation,
                       [float(v) for v in by_name[nrn.name].w], float(by_name[nrn.name].b[0]))
                for nrn in self._given.values()]

    def __repr__(self):
        return (f"Graph(inputs={self.inputs}, neurons={len(self.order)}, "
                f"outputs={self.outputs}, parameters={self._theta.size})")

    # ----------------------------------------------------------------- forward
    def forward(self, X):
        """Outputs of the network for one example or a batch.

        ``X`` of shape ``(n_inputs,)`` (one example) gives shape ``(n_outputs,)``; ``X`` of
        shape ``(n, n_inputs)`` (one example per row) gives ``(n, n_outputs)``. Implements
        Chapter 5's forward equations: for each neuron in topological order,
        ``z = w . a_sources + b`` (eq-ch5-z) and ``a = f(z)`` (eq-ch5-a), vectorised over
        the batch (eq-ch5-batch).
        """
        X, self._single = self._as_batch(X)  # (n, d)
        d, n = len(self.inputs), X.shape[0]
        V = np.empty((d + len(self._units), n))  # values a: rows of the inputs, then neurons
        V[:d] = X.T
        Z = np.empty((len(self._units), n))  # pre-activations, one row per neuron
        for u in self._units:  # topological order (eq-ch5-order): its sources are computed
            Z[u.j] = u.w @ V[u.src] + u.b  # (n,)  (eq-ch5-z), every example (eq-ch5-batch)
            V[u.row] = u.f(Z[u.j])  # (n,)  (eq-ch5-a)  a_j = f_j(z_j)
        self._V, self._Z = V, Z  # (delta, dw and db stay those of the last backward)
        Y = V[self._out_rows].T  # (n, n_outputs)
        return Y[0] if self._single else Y

    def _as_batch(self, X):
        d = len(self.inputs)
        X = np.asarray(X, dtype=float)
        if X.ndim == 0 and d == 1:
            X = X.reshape(1)
        want = f"x of shape ({d},) for one example or X of shape (n, {d}) for a batch"
        if X.ndim not in (1, 2) or X.shape[-1] != d:
            hint = " (for a batch of one-input examples use X[:, None])" if d == 1 and X.ndim == 1 else ""
            raise ValueError(
                f"forward expected {d} input value(s) per example, one for each of the inputs "
                f"{', '.join(self.inputs)}: {want}; got shape {X.shape}{hint}")
        return (X[None, :], True) if X.ndim == 1 else (X, False)

    # ----------------------------------------------------------------- backward
    def backward(self, dL_dout, accumulate=False):
        """Gradient of the loss with respect to every parameter, as a flat vector ``(P,)``.

        ``dL_dout`` is the gradient of the TOTAL loss with respect to each output of the last
        :meth:`forward`, shaped like that output (so for a mean loss it already holds the
        ``1/n``). Implements Chapter 5's backward equations: for each neuron in reverse
        topological order ``delta = dL/da * f'(z)`` (eq-ch5-delta), ``dL/dw_i = sum over the
        batch of delta * a_i`` (eq-ch5-dw), ``dL/db = sum of delta`` (eq-ch5-db), and every
        source i collects ``w_i * delta`` into its own ``dL/da`` (eq-ch5-fanout, push form:
        the contributions add up, by the multivariate chain rule). After a batch with a mean
        loss, ``net.delta[name][k]`` is ``dL/dz`` of the MEAN loss for example k, that is
        1/n times the error signal of example k's own loss. The gradient replaces the previous one, so calling twice gives the same
        result; with ``accumulate=True`` it is added to the previous one instead.
        """
        n_out, n = len(self.outputs), self._batch_size()
        shape = (n_out,) if self._single else (n, n_out)
        G = np.asarray(dL_dout, dtype=float)
        if G.shape != shape:
            raise ValueError(f"dL_dout must be shaped like the last forward's output, {shape} "
                             f"(one entry per output {', '.join(self.outputs)}), got shape {G.shape}")
        return self._backprop(dA_out=G.reshape(-1, n_out).T, accumulate=accumulate)

    def _batch_size(self):
        if self._V is None:
            raise GraphError("backward needs the values of a forward pass: call net.forward(X) first "
                             "(after set_parameters too)")
        return self._V.shape[1]

    def _backprop(self, dA_out=None, delta_out=None, accumulate=False):
        """The backward loop. The loss enters either as ``dA_out``, ``dL/da`` of each output
        ``(n_outputs, n)``, or as ``delta_out``, ``dL/dz`` of each output ``(n_outputs, n)``
        when it is known directly (sigmoid with cross-entropy: ``(y_hat - y) / n``)."""
        V, Z = self._V, self._Z
        dA = np.zeros_like(V)  # dL/da for every input and neuron, over the batch
        delta = np.zeros_like(Z)  # dL/dz, one row per neuron
        if dA_out is not None:
            dA[self._out_rows] = dA_out  # the outputs' gradients, given
        if delta_out is not None:
            delta[self._out_rows - len(self.inputs)] = delta_out  # the outputs' delta, given
        if not accumulate:
            self._grad[:] = 0.0
        for u in reversed(self._units):  # reverse order: every reader of u has pushed its term
            delta[u.j] += dA[u.row] * u.df(Z[u.j])  # (n,)  (eq-ch5-delta)
            u.gw += V[u.src] @ delta[u.j]  # (k,)  (eq-ch5-dw), summed over the batch
            u.gb += delta[u.j].sum()  # (1,)  (eq-ch5-db), summed over the batch
            # (eq-ch5-fanout), push form: source s of u adds w_us * delta_u to its dL/da_s.
            # Correct only because a neuron lists each source once (checked when it is built):
            # with a repeated row in u.src, numpy's += would add only one of the terms.
            dA[u.src] += np.outer(u.w, delta[u.j])  # (k, n)
        self._delta = delta
        self._delta_single = self._single  # delta's own shape, kept past a later forward
        return self._grad.copy()

    # ----------------------------------------------------------------- per-neuron views
    def _per_neuron(self, rows, single=None):
        if rows is None:
            return {}
        if self._single if single is None else single:
            return {name: float(rows[j, 0]) for j, name in enumerate(self.order)}
        return {name: rows[j].copy() for j, name in enumerate(self.order)}

    @property
    def z(self):
        """``{name: z}`` of the last forward (a number, or shape ``(n,)`` for a batch)."""
        return self._per_neuron(self._Z)

    @property
    def a(self):
        """``{name: a}`` of the last forward (a number, or shape ``(n,)`` for a batch)."""
        return self._per_neuron(None if self._V is None else self._V[len(self.inputs):])

    @property
    def delta(self):
        """``{name: dL/dz}`` of the last backward, shaped like that backward's ``z`` (a
        number for one example, ``(n,)`` for a batch), even after a later forward."""
        return self._per_neuron(self._delta, single=self._delta_single)

    @property
    def dw(self):
        """``{name: dL/dw}`` of the last backward: one entry per source, in source order."""
        return {name: u.gw.copy() for name, u in zip(self.order, self._units)}

    @property
    def db(self):
        """``{name: dL/db}`` of the last backward."""
        return {name: float(u.gb[0]) for name, u in zip(self.order, self._units)}

    # ----------------------------------------------------------------- parameters
    def parameters(self):
        """All parameters as a flat copy ``(P,)``: for each neuron in ``net.order`` its
        weights (in the order of its sources), then its bias."""
        return self._theta.copy()

    def parameter_names(self):
        """The name of each entry of :meth:`parameters`: ``"h1.w[x1]"``, ..., ``"h1.b"``."""
        return [f"{name}.{p}" for name in self.order
                for p in [f"w[{s}]" for s in self._given[name].sources] + ["b"]]

    def set_parameters(self, theta):
        """Replace every parameter by ``theta`` ``(P,)``, in the order of :meth:`parameters`.
        Values of an earlier forward pass are dropped (call :meth:`forward` again)."""
        theta = np.asarray(theta, dtype=float)
        if theta.shape != self._theta.shape:
            raise ValueError(f"expected {self._theta.size} parameters (one per entry of "
                             f"parameter_names()), got shape {theta.shape}")
        if not np.all(np.isfinite(theta)):
            raise ValueError("parameters must be finite numbers (no NaN or inf)")
        self._theta[:] = theta  # in place: the neurons' weights are views into it
        self._V = self._Z = None  # (delta, dw and db stay those of the last backward)

    # ----------------------------------------------------------------- losses
    def loss(self, X, y, loss="squared_error", l2=0.0):
        """Mean loss over the examples (eq-ch5-mean-loss) plus ``l2 * sum(theta**2)`` (over ALL parameters,
        biases included, as in micrograd's demo). ``y`` is shaped like :meth:`forward`'s
        output (or ``(n,)`` for a network with one output). ``loss`` is a name in
        ``nnbook_utils.losses.NAMES``; the loss of one example is summed over the outputs."""
        Y_hat, Y, n = self._predict_for(X, y)
        return self._mean_loss(Y_hat, Y, n, loss) + _l2(l2) * float(np.sum(self._theta**2))

    def loss_and_grad(self, X, y, loss="squared_error", l2=0.0):
        """``(loss, grad)``: :meth:`loss` and its gradient ``(P,)`` with respect to
        :meth:`parameters` (one forward and one backward pass), the mean of the examples'
        gradients (eq-ch5-mean-grad).

        Binary cross-entropy on outputs that are all sigmoid neurons is computed from their
        ``z`` (Chapter 3's stable form (eq-ch3-bce-stable), finite for any ``z``), and their
        error signal is set directly to ``delta = (y_hat - y) / n`` (eq-ch3-delta): going
        through ``dL/dy_hat = (y_hat - y) / (y_hat (1 - y_hat))`` and then ``f'(z)`` would
        divide 0 by 0 once ``y_hat`` rounds to 0 or 1. Any other pairing takes the general
        path; a gradient that is not finite raises :class:`GradientNotFinite`, saying why.
        """
        _, df = losses.get(loss)
        Y_hat, Y, n = self._predict_for(X, y)
        value = self._mean_loss(Y_hat, Y, n, loss) + _l2(l2) * float(np.sum(self._theta**2))
        if self._from_z(loss):
            delta_out = (Y_hat - Y).reshape(-1, len(self.outputs)).T / n  # (eq-ch3-delta), / n
            grad = self._backprop(delta_out=delta_out)  # (P,)
        else:
            grad = self.backward(df(Y_hat, Y) / n)  # (P,)
        grad += 2.0 * l2 * self._theta  # (P,) the penalty's gradient
        if not np.all(np.isfinite(grad)):
            raise GradientNotFinite(self._why_not_finite(loss, df(Y_hat, Y), value), value)
        return value, grad

    def _from_z(self, loss):
        """Whether the loss is binary cross-entropy on sigmoid outputs only: then it is
        computed from z, and the outputs' delta is known directly."""
        return loss == "binary_cross_entropy" and all(
            self._given[name].activation == "sigmoid" for name in self.outputs)

    def _mean_loss(self, Y_hat, Y, n, loss):
        """The loss of each example summed over the outputs, then the mean over the batch."""
        f, _ = losses.get(loss)
        if not self._from_z(loss):
            return float(np.sum(f(Y_hat, Y)) / n)
        losses._probabilities(Y_hat, Y)  # the same checks of y (0 or 1) as the general path
        Z_out = self._Z[self._out_rows - len(self.inputs)].T  # (n, n_outputs) the outputs' z
        return float(np.sum(losses.bce_from_z(Z_out, Y.reshape(Z_out.shape))) / n)  # (eq-ch3-bce-stable)

    def _why_not_finite(self, loss, dL_dy_hat, value):
        if not np.all(np.isfinite(dL_dy_hat)):
            return (f"the gradient is not finite: the derivative of the loss {loss!r} is NaN or "
                    f"inf at an output (the loss is {value}). An output reached a value where the "
                    "loss's slope is infinite, e.g. binary cross-entropy at a y_hat of exactly 0 "
                    "or 1. For binary cross-entropy give every output neuron a sigmoid "
                    "activation: the engine then computes the loss from z, which stays finite.")
        return (f"the gradient is not finite (the loss is {value}): a value inside the network "
                "overflowed, e.g. a weight or an activation too large for a float.")

    def _predict_for(self, X, y):
        Y_hat = self.forward(X)  # (n_outputs,) or (n, n_outputs)
        Y = np.asarray(y, dtype=float)
        if len(self.outputs) == 1 and Y.shape == Y_hat.shape[:-1]:
            Y = Y.reshape(Y_hat.shape)  # (n,) targets for a one-output network
        if Y.shape != Y_hat.shape:
            raise ValueError(f"y must be shaped like the network's output {Y_hat.shape} (one "
                             f"column per output {', '.join(self.outputs)}), got shape {Y.shape}")
        return Y_hat, Y, 1 if self._single else Y_hat.shape[0]

    # ----------------------------------------------------------------- saving
    def to_dict(self):
        """The whole network as a JSON-serialisable dict (format in the module docstring)."""
        return {"format": FORMAT, "version": VERSION, "inputs": list(self.inputs),
                "neurons": [dict(name=n.name, sources=n.sources, activation=n.activation,
                                 weights=n.weights, bias=n.bias) for n in self.neurons],
                "outputs": list(self.outputs)}

    @classmethod
    def from_dict(cls, d):
        """The network saved by :meth:`to_dict` (identical outputs and parameters)."""
        if not isinstance(d, dict):
            raise GraphError(f"expected a dict written by Graph.to_dict(), got {type(d).__name__}")
        if d.get("format") != FORMAT:
            raise GraphError(f"expected a dict written by Graph.to_dict(), with \"format\": "
                             f"\"{FORMAT}\"; got \"format\": {d.get('format')!r}")
        if d.get("version") != VERSION:
            raise GraphError(f"expected format version {VERSION}, got {d.get('version')!r}")
        keys = ["name", "sources", "activation", "weights", "bias"]
        neurons = []
        for nd in d.get("neurons", []):
            if not isinstance(nd, dict) or sorted(nd) != sorted(keys):
                raise GraphError(f"each neuron must be a dict with the keys {keys}, got {nd!r}")
            neurons.append(Neuron(**nd))
        return cls(d.get("inputs"), neurons, d.get("outputs"))


# --------------------------------------------------------------------- checks
def _names(names, what):
    if isinstance(names, str) or not isinstance(names, (list, tuple)) or not names:
        raise GraphError(f"{what} must be a non-empty list of names, e.g. ['x1', 'x2'], got {names!r}")
    if not all(isinstance(name, str) for name in names):
        raise GraphError(f"{what} must be names (strings), got {names!r}")
    return list(names)


def _check_neurons(neurons, inputs):
    """Check every neuron on its own and against the others; return ``{name: Neuron}``."""
    if isinstance(neurons, Neuron) or not isinstance(neurons, (list, tuple)) or not neurons:
        raise GraphError(f"neurons must be a non-empty list of Neuron objects, got {neurons!r}")
    given = {}
    for nrn in neurons:
        if not isinstance(nrn, Neuron):
            raise GraphError(f"neurons must be Neuron objects, got {nrn!r}")
        if not isinstance(nrn.name, str):
            raise GraphError(f"a neuron's name must be a string, got {nrn.name!r}")
        if nrn.name in inputs:
            raise GraphError(f"neuron name {nrn.name!r} is already the name of an input "
                             f"(inputs: {', '.join(inputs)}); give the neuron another name")
        if nrn.name in given:
            raise GraphError(f"two neurons are called {nrn.name!r}: every neuron needs its own name")
        given[nrn.name] = replace(nrn, sources=nrn.sources if isinstance(nrn.sources, str)
                                  else list(nrn.sources))  # a copy: later edits don't leak in
    known = inputs + list(given)
    for nrn in given.values():
        sources = _names(nrn.sources, f"the sources of neuron {nrn.name!r}")
        for s in sources:
            if s not in known:
                raise GraphError(f"neuron {nrn.name!r} reads from an unknown source {s!r}; "
                                 f"the known names are: {', '.join(known)}")
            if sources.count(s) > 1:
                raise GraphError(f"neuron {nrn.name!r} lists source {s!r} {sources.count(s)} times: "
                                 "one edge per source (a single weight already sets its strength)")
        if nrn.weights is not None:
            w = np.asarray(nrn.weights, dtype=float)
            if w.shape != (len(sources),):
                raise GraphError(f"neuron {nrn.name!r} has {len(sources)} source(s) "
                                 f"({', '.join(sources)}) so it needs {len(sources)} weight(s), "
                                 f"got {w.size} (shape {w.shape})")
            if not np.all(np.isfinite(w)):
                raise GraphError(f"neuron {nrn.name!r}: weights must be finite numbers, got {w}")
        if not (isinstance(nrn.bias, (int, float, np.number)) and np.isfinite(nrn.bias)):
            raise GraphError(f"neuron {nrn.name!r}: the bias must be one finite number, "
                             f"got {nrn.bias!r}")
        try:
            activations.get(nrn.activation)
        except ValueError as err:
            raise GraphError(f"neuron {nrn.name!r}: {err}") from None
    return given


def _check_outputs(outputs, given, inputs):
    outputs = _names(outputs, "outputs")
    for name in outputs:
        if name not in given:
            kind = "an input" if name in inputs else "unknown"
            raise GraphError(f"output {name!r} is {kind}: outputs must be neurons, one of "
                             f"{', '.join(given)}")
    if len(set(outputs)) != len(outputs):
        raise GraphError(f"each output may be listed once, got {outputs}")
    return outputs


def _topological_order(given):
    """Neuron names, each after all of its sources (eq-ch5-order): depth-first search, in
    the order given, as in Chapter 5's exercise ``dfs_order``.

    The exercise's solution is recursive (``place(j)`` calls ``place`` on each source);
    this one keeps the same path on an explicit stack, so that a chain of more neurons than
    Python's recursion limit (about 1000) still works. ``path`` is the stack of neurons
    being placed ("open": its sources are being placed), and ``todo[i]`` iterates over the
    sources of ``path[i]`` that are still to visit. The ``for ... else`` places the neuron
    on top of the stack once its iterator is exhausted: all its sources are placed.

    Raises GraphError naming the neurons of a cycle in the direction the values flow,
    e.g. ``h1 -> h2 -> h1`` (h2 reads from h1 and h1 reads from h2).
    """
    order, state = [], {}  # state: "open" while on the current path, then "done"
    for root in given:
        if root in state:
            continue
        path, todo = [root], [iter(given[root].sources)]  # a stack of neurons to finish
        state[root] = "open"
        while path:
            for s in todo[-1]:  # the next source of the neuron on top of the stack
                if s not in given or state.get(s) == "done":
                    continue  # an input, or a neuron already placed
                if state.get(s) == "open":
                    raise GraphError(_cycle_message(path[path.index(s):], list(given)))
                state[s] = "open"
                path.append(s)
                todo.append(iter(given[s].sources))
                break
            else:  # all its sources are placed: the neuron can be placed
                state[path[-1]] = "done"
                order.append(path.pop())
                todo.pop()
    return order


def _cycle_message(reads_from, listed):
    flow = reads_from[::-1]  # each reads from the next, so reversed: each feeds the next
    first = min(range(len(flow)), key=lambda i: listed.index(flow[i]))
    flow = flow[first:] + flow[:first]
    return (f"the wiring has a cycle: {' -> '.join(flow + flow[:1])} (each one feeds the next). "
            "A network must be a directed acyclic graph, so that every neuron can be computed "
            "after its sources.")


def _l2(l2):
    if not (np.ndim(l2) == 0 and np.isfinite(l2) and l2 >= 0):
        raise ValueError(f"l2 is a penalty strength: a number >= 0, got {l2!r}")
    return float(l2)


# --------------------------------------------------------------------- training
def train(net, X, y, loss="squared_error", lr=0.1, steps=100, l2=0.0):
    """Full-batch gradient descent: ``steps`` times ``theta <- theta - lr * grad``.

    ``lr`` is a number, or a function of the step ``k`` (0, 1, ...) returning one (a
    schedule, such as micrograd's ``lambda k: 1.0 - 0.9 * k / 100``). Returns the loss
    before each step, shape ``(steps,)``.

    Raises :class:`TrainingDiverged` only when the loss really grew: it became NaN or inf
    (or larger than before while its gradient stopped being finite), or a step made the
    parameters overflow; the message names the step and its learning rate. A gradient that
    is not finite while the loss did not grow raises :class:`GradientNotFinite`, which says
    what happened (a smaller learning rate would not help).
    """
    losses_seen = np.empty(int(steps))  # (steps,)
    for k in range(int(steps)):
        try:
            with np.errstate(over="ignore", invalid="ignore"):
                value, grad = net.loss_and_grad(X, y, loss=loss, l2=l2)
        except GradientNotFinite as err:
            if k > 0 and not err.loss <= losses_seen[k - 1]:  # NaN, inf or larger: it grew
                raise _diverged(err.loss, losses_seen[k - 1], k, lr) from None
            raise
        if not np.isfinite(value):
            raise _diverged(value, losses_seen[k - 1], k, lr) if k > 0 else GradientNotFinite(
                f"the loss is {value} before the first step: check the data and the "
                "starting parameters", value)
        losses_seen[k] = value
        rate = lr(k) if callable(lr) else lr
        with np.errstate(over="ignore", invalid="ignore"):
            theta = net.parameters() - rate * grad  # (P,)
        if not np.all(np.isfinite(theta)):
            raise TrainingDiverged(
                f"the parameters overflowed in step {k} with lr={rate} (the loss was {value:.4g}): "
                "the step was far too large. Try a smaller learning rate.")
        net.set_parameters(theta)
    return losses_seen


def _diverged(value, previous, k, lr):
    rate = lr(k - 1) if callable(lr) else lr  # the step that made it grow
    return TrainingDiverged(
        f"the loss grew from {previous:.4g} to {value:.4g} in step {k - 1} with lr={rate}: the "
        "parameters went too far in one step. Try a smaller learning rate.")


# --------------------------------------------------------------------- ready-made wirings
def random_dag(n_inputs, n_neurons, n_outputs=1, rng=None, p_edge=0.5, activation="tanh",
               output_activation="identity"):
    """A random network: each neuron reads from a random non-empty subset of the inputs and
    the neurons before it, so skip connections appear.

    Inputs are ``x1, x2, ...``; hidden neurons ``h1, h2, ...`` (activation ``activation``);
    the last ``n_outputs`` neurons are the outputs ``out`` (or ``out1, out2, ...``) with
    ``output_activation`` (default ``"identity"``: a real-valued score). Each possible
    source is used with probability ``p_edge`` (one is drawn if none was); a hidden neuron
    that no later neuron reads is then given one reader, so every neuron matters. Weights
    are drawn as in :class:`Graph`, biases are 0. ``rng``: a Generator or a seed (default 0).
    """
    if not (int(n_inputs) == n_inputs >= 1 and int(n_outputs) == n_outputs >= 1
            and int(n_neurons) == n_neurons >= n_outputs):
        raise ValueError(f"need whole numbers n_inputs >= 1 and n_neurons >= n_outputs >= 1, got "
                         f"n_inputs={n_inputs!r}, n_neurons={n_neurons!r}, n_outputs={n_outputs!r}")
    if not 0 < p_edge <= 1:
        raise ValueError(f"p_edge is a probability in (0, 1], got {p_edge!r}")
    rng = np.random.default_rng(0 if rng is None else rng)
    n_hidden = n_neurons - n_outputs
    inputs = [f"x{i + 1}" for i in range(n_inputs)]
    outs = ["out"] if n_outputs == 1 else [f"out{i + 1}" for i in range(n_outputs)]
    names = [f"h{i + 1}" for i in range(n_hidden)] + outs
    sources = []
    for i in range(n_neurons):
        candidates = inputs + names[:i]
        chosen = [c for c in candidates if rng.random() < p_edge]
        sources.append(chosen or [candidates[rng.integers(len(candidates))]])
    for i in range(n_hidden):  # a hidden neuron nobody reads gets one reader after it
        if not any(names[i] in s for s in sources[i + 1:]):
            sources[rng.integers(i + 1, n_neurons)].append(names[i])
    neurons = [Neuron(name, s, activation if i < n_hidden else output_activation)
               for i, (name, s) in enumerate(zip(names, sources))]
    return Graph(inputs, neurons, outs, rng=rng)


def mlp(sizes, activation="relu", output_activation="identity", rng=None):
    """A layered MLP written as a graph: ``sizes = [d, h1, ..., n_outputs]``.

    Inputs ``x1 .. xd``; neuron j of layer l is ``"L{l}.{j}"`` (``L1.0``, ``L1.1``, ...)
    and reads every neuron of layer l - 1 (the inputs for layer 1). Hidden layers use
    ``activation``, the last layer ``output_activation``; the outputs are the last layer.
    The parameter order (neuron by neuron, weights then bias) is micrograd's.
    """
    if len(sizes) < 2 or not all(int(s) == s >= 1 for s in sizes):
        raise ValueError(f"sizes lists whole numbers >= 1, inputs first, at least two: got {sizes!r}")
    previous = [f"x{i + 1}" for i in range(sizes[0])]
    inputs, neurons = previous, []
    for l, size in enumerate(sizes[1:], start=1):
        act = output_activation if l == len(sizes) - 1 else activation
        layer = [Neuron(f"L{l}.{j}", list(previous), act) for j in range(size)]
        neurons += layer
        previous = [nrn.name for nrn in layer]
    return Graph(inputs, neurons, previous, rng=rng)
