"""The depth schedule: any graph of neurons, one matrix product per depth (Chapter 6).

The graph engine visits one neuron at a time. Many neurons could be computed together: a
neuron can be computed as soon as all of its sources are, so give every neuron a **depth**

    depth(input) = 0,    depth(j) = 1 + max over the sources s of j of depth(s)    (eq-ch6-depth)

Neurons of equal depth never read each other (a source is always less deep), so all the
neurons of one depth, a **level**, can be computed at once. Put the values in one array
``V`` ``(n, d + N)``: the inputs first, then the neurons level by level. Level k reads only
columns before its own, ``V[:, :s_k]``, and computes (eq-ch6-level)::

    Z_k = V[:, :s_k] @ W_k + b_k     W_k (s_k, m_k): W_k[i, j] = the weight from value i to
                                     neuron j if that edge exists, else 0 (the mask)
    A_k = f(Z_k)                     written into V[:, s_k : s_k + m_k]

the layered product (eq-ch6-batch) with zeros where the graph has no edge. Backward runs the
levels in reverse with the layers' equations: ``delta_k = dA_k * f'(Z_k)`` (eq-ch6-delta),
``dW_k = V[:, :s_k].T @ delta_k`` (eq-ch6-dW), ``db_k`` the column sums (eq-ch6-db), and
``dV[:, :s_k] += delta_k @ W_k.T`` (eq-ch6-fanout-matrix): each earlier value collects the
fan-out sum from every neuron of the level that reads it. The entries of ``dW_k`` where
there is no edge are not gradients of anything and are dropped.

The zeros are the price: :meth:`Schedule.multiplications` counts the products of the dense
levels against the edges the graph really has. An MLP written as a graph wastes the columns
of everything below the layer it reads (for 2-16-16-1: 50 of 354 multiplications per
example); a sparse random graph can waste most of the work and still be faster than one
neuron at a time, because a few larger products beat many small ones.

The result equals the graph engine's (outputs, every ``z``, ``a``, ``delta``, ``dw`` and
``db``, to rounding; ``tests/test_schedule.py`` checks it on hundreds of random graphs),
and parameters and gradients are flat vectors in the graph engine's order
(:meth:`graph.Graph.parameter_names`).

Array libraries and speed
-------------------------
As in :mod:`nnbook_utils.layers`: the math uses the arrays' own namespace (the array API
standard); numpy builds the index arrays, once. Everything a pass needs is precomputed when
the schedule is built: each level's rows, the index array that gathers the flat parameter
vector into every ``W_k`` at once (a gather from ``theta`` with one extra 0 at its end,
which every masked entry reads) and the one that takes the gradient back out. A forward or
backward pass is then a loop over the levels, a few array calls each, and no Python loop
over neurons. The biases ride along as the weights of a constant input 1, the arrays are
stored transposed, and a level sends ``dL/da`` back only to the neurons it reads: see
:class:`Schedule`. :func:`train` steps all the ``W_k`` at once, as one flat vector.
"""

import math
from typing import NamedTuple

import numpy as np

from . import graph, layers
from .layers import _as_batch, _into, _quiet_overflow
from .neuron import TrainingDiverged


def depths(net):
    """``{name: depth}`` of every input (0) and neuron of a :class:`graph.Graph`: one more
    than the deepest of its sources. Implements (eq-ch6-depth)."""
    depth = {name: 0 for name in net.inputs}
    sources = {nrn.name: nrn.sources for nrn in net.neurons}
    for name in net.order:  # topological: the sources' depths are known
        depth[name] = 1 + max(depth[s] for s in sources[name])  # (eq-ch6-depth)
    return depth


class Level(NamedTuple):
    """One depth of a :class:`Schedule`: its neurons (in the column order of ``W_k``), how
    many values they may read (``reads``: the inputs and neurons before the level), and per
    example the multiplications of its dense product (``reads * len(neurons)``) against the
    weights the graph really has (``edges``)."""

    depth: int
    neurons: list
    reads: int
    dense: int
    edges: int


class Multiplications(NamedTuple):
    """Multiplications per example of one product (forward; backward does two more of the
    same shapes): ``dense`` as the levels compute them, ``edges`` the graph's weights, and
    ``wasted = dense - edges``, the multiplications by a 0 of the mask."""

    dense: int
    edges: int
    wasted: int


class _Group(NamedTuple):  # the neurons of one level with one activation: its columns lo:hi
    lo: int
    hi: int
    f: object
    delta: object


class _Plan(NamedTuple):  # what a pass needs about one level, precomputed
    lo: int  # its first row in Vt; the level reads Vt[:lo], its neurons are Vt[lo:hi]
    hi: int
    groups: list  # [_Group]: contiguous ranges of the level's neurons, one per activation
    start: int  # where its Wt_k, (hi - lo, lo), begins in the flat vector of all Wt_k
    feeds: int  # the first neuron row it reads (lo if none): backward sends dL/da from there


class _Work(NamedTuple):  # the arrays a pass writes into, kept for one batch size (numpy)
    Vt: object  # (1 + d + N, n) every value, row 0 the constant 1
    Z: list  # [(m_k, n)] each level's Zt
    D: list  # [(m_k, n)] each level's delta
    grad: object  # (S,) the gradient of every Wt_k, flat ...
    dW: list  # [(m_k, s_k)] ... and the same as one view per level


def _level_order(net, depth, given):
    """The neuron names of each level, by depth; within a level grouped by activation (so
    each activation is a contiguous range of rows), then in the graph's topological order."""
    topo = {name: i for i, name in enumerate(net.order)}
    by_depth = {}
    for name in net.order:
        by_depth.setdefault(depth[name], []).append(name)
    return [sorted(by_depth[k], key=lambda nm: (given[nm].activation, topo[nm]))
            for k in sorted(by_depth)]


class Schedule:
    """A :class:`graph.Graph` in per-depth matrix form: the same wiring and parameters
    (copied from ``net``: later changes to either do not reach the other). ``dtype``:
    ``"float64"`` (default) or ``"float32"``; ``xp``: the namespace of the parameters
    (default numpy).

    How the arrays are laid out:

    - Value 0 is a constant 1, the input that every bias multiplies (Chapter 2's
      (eq-ch2-theta)); then the d inputs; then the neurons level by level (within a level,
      grouped by activation). So row 0 of each ``W_k`` holds the level's biases,
      ``V[:, :s_k] @ W_k`` already includes ``+ b_k``, and row 0 of ``dW_k`` is the column
      sums of ``delta_k``, that is ``db_k`` (eq-ch6-db).
    - (speed) The code stores every array transposed, one row per value as the graph engine
      does: ``Vt = V.T`` ``(1 + d + N, n)``, ``Wt_k = W_k.T`` ``(m_k, s_k)``, ``Zt_k``.
      Then a level's values are one contiguous block of rows, and numpy's elementwise
      operations on it run about twice as fast as on the strided columns of ``V``. The
      products are (eq-ch6-level) and the rest transposed: ``Zt_k = Wt_k @ Vt[:s_k]``.

    :attr:`levels` lists the levels, :meth:`multiplications` counts what the mask costs.
    After :meth:`forward`: ``z``, ``a``; after :meth:`backward`: ``delta``, ``dw``, ``db``,
    dicts by neuron name, as the graph engine's.
    """

    def __init__(self, net, dtype="float64", xp=None):
        if not isinstance(net, graph.Graph):
            raise ValueError(f"Schedule needs a graph.Graph, got {type(net).__name__}")
        self.xp = np if xp is None else xp
        self.dtype = layers._dtype(self.xp, dtype)
        self._fast = self.xp.__name__ in layers._WRITES_INTO  # out= works: use the buffers
        self.inputs, self.outputs = list(net.inputs), list(net.outputs)
        self._names = net.parameter_names()
        self._build(net, depths(net))
        self._work = (None, None)  # (n, _Work): the arrays for the last batch size
        self._lr_mask = (None, None)  # (lr, lr * mask) of the last step
        self.set_parameters(self.xp.asarray(net.parameters(), dtype=self.dtype))
        self._Vt = self._Zt = self._Dt = self._dWt = None

    # ----------------------------------------------------------------- building
    def _build(self, net, depth):
        """The row of every value, the levels, and the index arrays (numpy, once)."""
        given = {nrn.name: nrn for nrn in net.neurons}
        order = _level_order(net, depth, given)  # [[names of level 1], ...]
        values = ["1"] + net.inputs + [name for level in order for name in level]
        self._row = {name: r for r, name in enumerate(values) if r > 0}
        self._d, self._P = len(net.inputs), len(self._names)
        first, at = {}, 0  # name -> index of its first weight in theta (graph's order)
        for name in net.order:
            first[name], at = at, at + len(given[name].sources) + 1
        self._plans, self.levels = [], []
        gather = np.concatenate([self._plan_level(k, names, given, first)
                                 for k, names in enumerate(order, start=1)])  # (S,)
        at = np.empty(self._P, dtype=np.int64)  # (P,) where each parameter sits in that vector
        at[gather[gather < self._P]] = np.flatnonzero(gather < self._P)
        self._gather, self._at = self._index(gather), self._index(at)
        self._mask = self.xp.asarray(gather < self._P, dtype=self.dtype)  # (S,) 1 on an edge
        self._outputs(net, len(values))
        self._out_acts = {given[name].activation for name in net.outputs}
        self._sources = {name: self._index([0] + [self._row[s] for s in given[name].sources])
                         for name in net.order}

    def _plan_level(self, k, names, given, first):
        """Plan level k; return where each entry of its ``Wt_k`` comes from in theta, flat
        ``(m * s_k,)``: a weight's or a bias's index, or P (the extra 0) where no edge is."""
        lo, m, P = self._row[names[0]], len(names), self._P
        gather = np.full((m, lo), P)  # (m, lo) row j: neuron j; column 0: the constant 1
        for j, name in enumerate(names):
            reads = [self._row[s] for s in given[name].sources]
            gather[j, reads] = first[name] + np.arange(len(reads))  # its weights
            gather[j, 0] = first[name] + len(reads)  # its bias
        read = np.flatnonzero(np.any(gather < P, axis=0))  # (r,) rows of Vt it reads
        feeds = min([r for r in read if r > self._d], default=lo)  # its first neuron row
        before = self._plans[-1] if self._plans else None  # Wt_k follows the level before's
        start = before.start + before.lo * (before.hi - before.lo) if before else 0
        self._plans.append(_Plan(lo, lo + m, self._groups(names, given), start, feeds))
        self.levels.append(Level(k, names, lo - 1, (lo - 1) * m, int(np.sum(gather[:, 1:] < P))))
        return gather.reshape(-1)

    def _outputs(self, net, rows):
        outputs = [self._row[name] for name in net.outputs]
        self._out_rows = self._index(outputs)  # (n_outputs,) rows of Vt
        together = outputs == list(range(outputs[0], outputs[0] + len(outputs)))
        self._out_slice = slice(outputs[0], outputs[0] + len(outputs)) if together else None
        E = np.zeros((rows, len(outputs)))  # (1 + d + N, n_outputs) one 1 per column
        E[outputs, np.arange(len(outputs))] = 1.0
        self._E_out = self.xp.asarray(E, dtype=self.dtype)  # puts the outputs in their rows

    def _index(self, values):
        return self.xp.asarray(np.asarray(values, dtype=np.int64))

    @staticmethod
    def _groups(names, given):
        groups, lo = [], 0
        for j in range(1, len(names) + 1):
            if j == len(names) or given[names[j]].activation != given[names[lo]].activation:
                f, delta = layers.activation_functions(given[names[lo]].activation)
                groups.append(_Group(lo, j, f, delta))
                lo = j
        return groups

    def multiplications(self):
        """:class:`Multiplications` per example of one product, summed over the levels."""
        dense = sum(lv.dense for lv in self.levels)
        edges = sum(lv.edges for lv in self.levels)
        return Multiplications(dense, edges, dense - edges)

    def __repr__(self):
        return (f"Schedule(inputs={self._d}, neurons={len(self._row) - self._d}, "
                f"levels={len(self.levels)}, parameters={self._P})")

    # ----------------------------------------------------------------- parameters
    def parameters(self):
        """All parameters ``(P,)`` in the graph engine's order (a new array)."""
        return self.xp.take(self._flat, self._at)  # (P,)

    def parameter_names(self):
        """The graph engine's names of the entries of :meth:`parameters`."""
        return list(self._names)

    def set_parameters(self, theta):
        """Replace every parameter by ``theta`` ``(P,)`` (the graph engine's order) and gather
        each level's dense ``W_k`` from it: its edges' weights and biases, 0 elsewhere."""
        xp = self.xp
        theta = xp.asarray(theta, dtype=self.dtype)  # (P,)
        if tuple(theta.shape) != (self._P,):
            raise ValueError(f"expected {self._P} parameters (one per entry of parameter_names()), "
                             f"got shape {tuple(theta.shape)}")
        if not bool(xp.all(xp.isfinite(theta))):
            raise ValueError("parameters must be finite numbers (no NaN or inf)")
        ext = xp.concat([theta, xp.zeros(1, dtype=self.dtype)])  # (P + 1,) the mask reads the 0
        self._set_flat(xp.take(ext, self._gather))  # (S,)  (eq-ch6-level)

    def _set_flat(self, flat):
        """All ``Wt_k`` as one flat vector ``(S,)``; each ``Wt_k`` is a reshaped slice of it."""
        self._flat = flat
        self._Wt = [self.xp.reshape(flat[p.start:p.start + (p.hi - p.lo) * p.lo],
                                    (p.hi - p.lo, p.lo)) for p in self._plans]  # (m_k, s_k) each

    def weights(self):
        """Each level's ``W_k`` ``(s_k, m_k)`` as (eq-ch6-level) writes it: row 0 the biases,
        row i the weights from value i, 0 where there is no edge (copies)."""
        return [self.xp.asarray(Wt.T, copy=True) for Wt in self._Wt]

    # ----------------------------------------------------------------- forward
    def forward(self, X):
        """Outputs ``(n, n_outputs)`` for a batch ``X`` ``(n, d)`` (``(n_outputs,)`` for one
        example ``(d,)``), level by level. Implements (eq-ch6-level)."""
        X, self._single = self._as_batch(X)  # (n, d)
        Y = self._forward(X)  # (n, n_outputs)
        return Y[0, :] if self._single else self.xp.asarray(Y, copy=True)

    def _arrays(self, n):
        """The :class:`_Work` arrays for a batch of n. (speed) With numpy they are made once
        per batch size and reused, so a step allocates almost nothing; in a namespace without
        ``out=`` only ``Vt`` is made, anew for each pass, and the rest is None."""
        if self._work[0] == n:
            return self._work[1]
        xp, L = self.xp, len(self._plans)
        Vt = xp.empty((1 + len(self._row), n), dtype=self.dtype)  # (1 + d + N, n)
        Vt[:1, :] = 1.0  # the constant input of the biases  (eq-ch2-theta)
        if not self._fast:
            return _Work(Vt, [None] * L, [None] * L, None, [None] * L)
        shapes = [(p.hi - p.lo, p.lo) for p in self._plans]
        grad = xp.empty(int(self._flat.shape[0]), dtype=self.dtype)  # (S,)
        work = _Work(Vt, [xp.empty((m, n), dtype=self.dtype) for m, _ in shapes],
                     [xp.empty((m, n), dtype=self.dtype) for m, _ in shapes], grad,
                     [xp.reshape(grad[p.start:p.start + m * lo], (m, lo))
                      for p, (m, lo) in zip(self._plans, shapes)])  # views into grad
        self._work = (n, work)
        return work

    def _forward(self, X, same_X=False):
        """The levels in order; returns the outputs ``(n, n_outputs)`` (a view into Vt).
        ``same_X``: X is already in Vt (the steps of :func:`train` after the first)."""
        xp, (n, d) = self.xp, X.shape
        work = self._arrays(n)
        Vt = work.Vt  # (1 + d + N, n) every value, a row each; row 0 is 1
        if not (same_X and self._fast):
            Vt[1:d + 1, :] = X.T
        self._Zt = []
        for p, Wt, out in zip(self._plans, self._Wt, work.Z):
            Zt = _into(xp.matmul, Wt, Vt[:p.lo, :], out=out)  # (m_k, n)  (eq-ch6-level)
            self._activate(p, Zt, Vt)  # Vt[lo:hi] = f(Zt)
            self._Zt.append(Zt)
        self._Vt, self._work_now = Vt, work
        out = Vt[self._out_slice, :] if self._out_slice else xp.take(Vt, self._out_rows, axis=0)
        return out.T  # (n, n_outputs)

    def _activate(self, p, Zt, Vt):
        """``A_k = f(Z_k)``, one activation group at a time, written into ``Vt[lo:hi]``."""
        for g in p.groups:
            lo, hi = p.lo + g.lo, p.lo + g.hi
            out = Vt[lo:hi, :] if self._fast else None  # (speed) numpy writes into Vt
            A = g.f(self.xp, Zt[g.lo:g.hi, :] if len(p.groups) > 1 else Zt, out)  # (hi - lo, n)
            if A is not out:
                Vt[lo:hi, :] = A

    def _as_batch(self, X):
        return _as_batch(X, self.xp, self.dtype, self._d,
                         per_example=f", one for each of the inputs {', '.join(self.inputs)}")

    # ----------------------------------------------------------------- backward
    def backward(self, dL_dout):
        """Gradient ``(P,)`` in the graph engine's order, given ``dL_dout``, the gradient of
        the TOTAL loss with respect to each output of the last :meth:`forward`, shaped like
        that output. The levels in reverse: (eq-ch6-delta), (eq-ch6-dW), (eq-ch6-db),
        (eq-ch6-fanout-matrix)."""
        if self._Vt is None:
            raise ValueError("backward needs the values of a forward pass: call forward(X) first")
        n, k = self._Vt.shape[1], len(self.outputs)
        want = (k,) if self._single else (n, k)
        G = self.xp.asarray(dL_dout, dtype=self.dtype)
        if tuple(G.shape) != want:
            raise ValueError(f"dL_dout must be shaped like the last forward's output, {want} (one "
                             f"entry per output {', '.join(self.outputs)}); got shape "
                             f"{tuple(G.shape)}")
        return self.xp.take(self._backprop(dA_out=self.xp.reshape(G, (n, k))), self._at)

    def _backprop(self, dA_out=None, delta_out=None):
        """The levels in reverse; returns the gradient of every ``Wt_k``, flat ``(S,)``. The
        loss enters as ``dA_out`` ``(n, n_outputs)``, dL/da of the outputs, or as
        ``delta_out``, their dL/dz when it is known directly."""
        xp, Vt, work = self.xp, self._Vt, self._work_now
        dVt = self._at_outputs(dA_out)  # (1 + d + N, n) dL/da of every value: the outputs' share
        direct = None if delta_out is None else self._at_outputs(delta_out)  # (1 + d + N, n)
        L = len(self._plans)
        self._Dt, self._dWt = [None] * L, [None] * L
        for k in range(L - 1, -1, -1):  # every reader of level k is deeper: done already
            p = self._plans[k]
            Dt = self._delta(k, p, dVt)  # (m_k, n)  delta_k = dA_k * f'(Z_k)  (eq-ch6-delta)
            if direct is not None:
                Dt = Dt + direct[p.lo:p.hi, :]  # the outputs' dL/dz, given
            self._Dt[k] = Dt
            # (eq-ch6-dW), transposed; column 0 (the constant 1) the row sums (eq-ch6-db)
            self._dWt[k] = _into(xp.matmul, Dt, Vt[:p.lo, :].T, out=work.dW[k])  # (m_k, s_k)
            if p.feeds < p.lo:  # (speed) only to the neurons it reads: dL/dx is not needed
                r = p.feeds  # the rows before r are the constant, the inputs, unread neurons
                fanout = self._Wt[k][:, r:].T @ Dt  # (s_k - r, n)  (eq-ch6-fanout-matrix)
                if self._fast:  # (speed) numpy adds in place through the view: no copy back
                    rows = dVt[r:p.lo, :]
                    rows += fanout
                else:
                    dVt[r:p.lo, :] += fanout
        if work.grad is not None:
            return work.grad  # (S,) (speed) each dWt_k was written into its part of it
        return xp.concat([xp.reshape(dWt, (-1,)) for dWt in self._dWt])  # (S,)

    def _at_outputs(self, G):
        """A ``(1 + d + N, n)`` array, 0 but in the outputs' rows, which hold ``G.T``."""
        xp, shape = self.xp, self._Vt.shape
        if G is not None and self._out_slice is None:
            return self._E_out @ G.T  # a 0/1 matrix puts each output's row in place
        full = xp.zeros(shape, dtype=self.dtype)  # (1 + d + N, n)
        if G is not None:
            full[self._out_slice, :] = G.T  # (speed) the outputs are side by side: one slice
        return full

    def _delta(self, k, p, dVt):
        """``delta_k = dA_k * f'(Z_k)``, one activation group at a time."""
        xp, Zt, At, dAt = self.xp, self._Zt[k], self._Vt[p.lo:p.hi, :], dVt[p.lo:p.hi, :]
        if len(p.groups) == 1:
            return p.groups[0].delta(xp, Zt, At, dAt, self._work_now.D[k])  # (m_k, n)
        return xp.concat([g.delta(xp, Zt[g.lo:g.hi, :], At[g.lo:g.hi, :], dAt[g.lo:g.hi, :], None)
                          for g in p.groups], axis=0)  # (m_k, n)

    def _step(self, grad, lr, l2):
        """``W <- W - lr * (mask * dW + 2 l2 W)`` on the flat vector of all ``Wt_k``, in place
        (eq-ch2-update). ``grad`` ``(S,)`` is overwritten."""
        if self._lr_mask[0] != lr:  # (speed) lr * mask is kept while the rate stays the same
            self._lr_mask = (lr, lr * self._mask)
        grad *= self._lr_mask[1]  # (S,) lr dW on the edges: the zeros of the mask stay zero
        if l2:  # W - lr (dW + 2 l2 W) = (1 - 2 l2 lr) W - lr dW: the penalty shrinks W
            self._flat *= 1.0 - 2.0 * l2 * lr
        self._flat -= grad  # (S,) in place: with numpy each Wt_k, a view, sees it
        if not self._fast:  # another namespace: take each Wt_k out of it again
            self._set_flat(self._flat)

    # ----------------------------------------------------------------- losses
    def loss(self, X, y, loss="squared_error", l2=0.0):
        """As :meth:`graph.Graph.loss`: the mean loss over the examples (summed over the
        outputs) plus ``l2 * sum(theta**2)``."""
        X, Y, l2 = self._prepare(X, y, loss, l2)
        return self._terms(X, Y, loss, l2)[0]

    def loss_and_grad(self, X, y, loss="squared_error", l2=0.0):
        """``(loss, grad)`` as :meth:`graph.Graph.loss_and_grad`: binary cross-entropy on
        sigmoid outputs is computed from their z (eq-ch3-bce-stable) and their delta set to
        ``(y_hat - y) / n`` directly (eq-ch3-delta)."""
        X, Y, l2 = self._prepare(X, y, loss, l2)
        value, grad = self._loss_and_flat_grad(X, Y, loss, l2)
        grad = self.xp.take(grad, self._at)  # (P,) the edges' entries, graph engine's order
        if l2:
            grad = grad + (2.0 * l2) * self.parameters()  # (P,) the penalty's gradient
        return value, grad

    def _prepare(self, X, y, loss, l2):
        """``X`` ``(n, d)``, the targets ``(n, n_outputs)`` and ``l2``, checked."""
        self._check_loss(loss)
        X, self._single = self._as_batch(X)  # (n, d)
        Y = layers.targets(y, loss, X.shape[0], len(self.outputs), self.xp, self.dtype)
        return X, Y, layers._l2(l2)

    def _terms(self, X, Y, loss, l2, same_X=False):
        """Forward, then ``(L, dA, delta)`` as :func:`layers.mean_loss_terms`, the penalty
        added to ``L`` (a float)."""
        xp, Y_hat = self.xp, self._forward(X, same_X)  # (n, n_outputs)
        Z_out = None
        if loss in ("binary_cross_entropy", "softmax_cross_entropy"):  # computed from z
            Zt = xp.concat(self._Zt, axis=0)  # (N, n)
            Z_out = xp.take(Zt, self._out_rows - (self._d + 1), axis=0).T  # (n, n_outputs)
        value, dA, delta = layers.mean_loss_terms(loss, Z_out, Y_hat, Y)
        value = float(value)
        if l2:
            value += l2 * float(xp.vecdot(self._flat, self._flat))  # the mask's zeros add 0
        return value, dA, delta

    def _loss_and_flat_grad(self, X, Y, loss, l2, same_X=False):
        value, dA, delta = self._terms(X, Y, loss, l2, same_X)
        return value, self._backprop(dA_out=dA, delta_out=delta)  # (S,) not masked

    def _check_loss(self, loss):
        if loss not in layers.LOSSES:
            raise ValueError(f"unknown loss {loss!r}: expected one of {', '.join(layers.LOSSES)}")
        need = {"binary_cross_entropy": "sigmoid", "softmax_cross_entropy": "identity"}.get(loss)
        if need and self._out_acts != {need}:
            raise ValueError(f"{loss.replace('_', ' ')} needs every output neuron to have the "
                             f"activation {need!r} (its loss is computed from z); the outputs "
                             f"have {sorted(self._out_acts)}")

    # ----------------------------------------------------------------- per-neuron views
    def _per_neuron(self, rows):
        """``{name: its row}`` from per-level arrays (the levels are contiguous, in order)."""
        if not rows or rows[0] is None:
            return {}
        full, r0 = self.xp.concat(rows, axis=0), self._d + 1  # (N, n)
        return {name: (float(full[r - r0, 0]) if self._single
                       else self.xp.asarray(full[r - r0, :], copy=True))
                for name, r in self._row.items() if r >= r0}

    @property
    def z(self):
        """``{name: z}`` of the last forward, as the graph engine's ``net.z``."""
        return self._per_neuron(self._Zt)

    @property
    def a(self):
        """``{name: a}`` of the last forward, as the graph engine's ``net.a``."""
        return {} if self._Vt is None else self._per_neuron([self._Vt[self._d + 1:, :]])

    @property
    def delta(self):
        """``{name: dL/dz}`` of the last backward, as the graph engine's ``net.delta``."""
        return self._per_neuron(self._Dt)

    @property
    def dw(self):
        """``{name: dL/dw}`` of the last backward: one entry per source, in source order."""
        return {name: g[1:] for name, g in self._dw_db().items()}

    @property
    def db(self):
        """``{name: dL/db}`` of the last backward."""
        return {name: float(g[0]) for name, g in self._dw_db().items()}

    def _dw_db(self):
        """``{name: [dL/db, dL/dw...]}``: the entries of each neuron's row of ``dWt_k`` that
        are its edges (entry 0 is its bias)."""
        if self._dWt is None:
            return {}
        return {name: self.xp.take(dWt[j, :], self._sources[name])
                for lv, dWt in zip(self.levels, self._dWt) for j, name in enumerate(lv.neurons)}


# --------------------------------------------------------------------- training
def train(sched, X, y, loss="squared_error", lr=0.1, steps=100, l2=0.0):
    """Full-batch gradient descent on a :class:`Schedule`, as :func:`graph.train`: ``steps``
    times ``theta <- theta - lr * grad`` (``lr`` a number or a function of the step k).
    Returns the loss before each step ``(steps,)``. Raises :class:`TrainingDiverged`, saying
    the step and its learning rate, when the loss stops being finite.

    (speed) The step is taken on the flat vector of all ``W_k`` at once, ``W <- W - lr *
    (mask * dW + 2 l2 W)``: the mask keeps the zeros where the graph has no edge at zero, so
    this is the graph engine's update of every parameter, without gathering the parameters
    out of the ``W_k`` and back in each step.
    """
    X, Y, l2 = sched._prepare(X, y, loss, l2)
    losses_seen = np.empty(layers._count(steps, "steps", 0))  # (steps,)
    with _quiet_overflow():  # a loss that overflows is reported as TrainingDiverged
        for k in range(losses_seen.size):
            rate = lr(k) if callable(lr) else lr
            value, grad = sched._loss_and_flat_grad(X, Y, loss, l2, same_X=k > 0)  # (S,)
            if not math.isfinite(value):
                raise TrainingDiverged(
                    f"the loss became {value} at step {k} with lr={rate}: the parameters grew "
                    "too far in one step. Try a smaller learning rate.")
            losses_seen[k] = value
            sched._step(grad, rate, l2)
    return losses_seen
