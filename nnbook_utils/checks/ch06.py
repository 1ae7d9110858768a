"""The exercise checks of Chapter 6: layers are an optimization.

Layers in the book's convention: ``W`` ``(d_in, d_out)``, one column per neuron; a batch
``(n, d_in)``, one example per row.
"""

import numpy as np

from ._common import Verdict, _as_arrays, _as_number, _call


def _whole_number(value):
    """``value`` as an int if it is one whole number (not a string, not an array of
    several), else None."""
    if isinstance(value, (str, bytes)) or value is None:
        return None
    number, problem = _as_number(value, "")
    if problem or number != round(number):
        return None
    return int(round(number))


def _ch6_layer_case(rng, n, d_in, d_out):
    A_prev = rng.normal(size=(n, d_in))  # (n, d_in)
    W = rng.normal(size=(d_in, d_out))  # (d_in, d_out)
    b = rng.normal(size=d_out)  # (d_out,)
    Z = A_prev @ W + b  # (n, d_out)
    dA = rng.normal(size=(n, d_out))  # (n, d_out)
    return dA, Z, A_prev, W


def _ch6_relu_reference(dA, Z, A_prev, W):
    """Neuron by neuron, as the graph engine computes it (Chapter 5)."""
    from .. import graph

    n, (d_in, d_out) = len(A_prev), W.shape
    inputs = [f"x{i + 1}" for i in range(d_in)]
    neurons = [graph.Neuron(f"n{j}", inputs, "relu", weights=list(W[:, j]),
                            bias=float(Z[0, j] - A_prev[0] @ W[:, j])) for j in range(d_out)]
    net = graph.Graph(inputs, neurons, [f"n{j}" for j in range(d_out)])
    net.forward(A_prev)
    net.backward(dA)
    Delta = np.column_stack([net.delta[f"n{j}"] for j in range(d_out)])  # (n, d_out)
    dW = np.column_stack([net.dw[f"n{j}"] for j in range(d_out)])  # (d_in, d_out)
    db = np.array([net.db[f"n{j}"] for j in range(d_out)])  # (d_out,)
    return Delta, dW, db, Delta @ W.T


def check_relu_layer_backward(fn):
    """Exercise ex-ch6-relu-backward: ``fn(dA, Z, A_prev, W)`` should return
    ``(Delta, dW, db, dA_prev)`` of a ReLU layer (eq-ch6-delta, eq-ch6-dW, eq-ch6-db,
    eq-ch6-fanout-matrix)."""
    name = getattr(fn, "__name__", "your function")
    rng = np.random.default_rng(6)
    what = ["Delta", "dW", "db", "dA_prev"]
    for n, d_in, d_out in [(1, 2, 3), (5, 3, 4), (7, 6, 2)]:
        case = _ch6_layer_case(rng, n, d_in, d_out)
        want = _ch6_relu_reference(*case)
        got, problem = _call(fn, *(np.array(c) for c in case))
        if problem:
            return Verdict(False, problem)
        got, problem = _as_arrays(got, name, what, [w.shape for w in want],
                                  check_shape=False)
        if problem:
            return Verdict(False, problem)
        dA, Z, A_prev, W = case
        for label, g, w in zip(what, got, want):
            if g.shape != w.shape:
                hint = ""
                if label == "dW" and g.shape == w.shape[::-1]:
                    hint = " (dW is shaped like W: A_prev.T @ Delta, not Delta.T @ A_prev)"
                if label == "db" and g.shape == (n,):
                    hint = " (sum over the examples, axis=0: one entry per neuron)"
                return Verdict(False, f"{label} has shape {g.shape}, expected {w.shape}{hint}")
            if not np.allclose(g, w, rtol=1e-9, atol=1e-12):
                hint = ""
                if label == "Delta" and np.allclose(g, dA):
                    hint = " It equals dA: multiply by the ReLU slope (Z > 0)."
                elif label == "Delta" and np.allclose(g, dA * np.maximum(Z, 0)):
                    hint = " You multiplied by max(Z, 0); the slope is 1 where Z > 0, else 0."
                elif label == "db" and np.allclose(g, w / n):
                    hint = " It is the mean; the 1/n is already in dA: take the sum."
                return Verdict(False, f"{label} differs from the graph engine's for a layer with "
                               f"n={n}, d_in={d_in}, d_out={d_out}.{hint}")
    return Verdict(True, "Delta, dW, db and dA_prev agree with the graph engine on three layers.")


def _ch6_random_sources(rng, n_inputs, n_neurons):
    inputs = [f"x{i + 1}" for i in range(n_inputs)]
    names = [f"n{k + 1}" for k in range(n_neurons)]
    sources = {}
    for k, j in enumerate(names):
        pool = inputs + names[:k]
        picked = rng.choice(len(pool), size=int(rng.integers(1, min(3, len(pool)) + 1)),
                            replace=False)
        sources[j] = [pool[i] for i in sorted(picked)]
    return inputs, sources


def _ch6_depths(sources, inputs):
    depth = {x: 0 for x in inputs}
    while len(depth) < len(inputs) + len(sources):
        for j, s in sources.items():
            if j not in depth and all(t in depth for t in s):
                depth[j] = 1 + max(depth[t] for t in s)  # (eq-ch6-depth)
    return depth


def check_depths(fn):
    """Exercise ex-ch6-depths: ``fn(sources, inputs)`` should return ``{node: depth}`` for
    every input (0) and neuron (eq-ch6-depth)."""
    name = getattr(fn, "__name__", "your function")
    rng = np.random.default_rng(7)
    cases = [(["x1"], {"a": ["x1"]}),
             (["x1", "x2"], {"c": ["a", "x1"], "a": ["x1", "x2"], "b": ["a"]})]
    cases += [_ch6_random_sources(rng, 2, k) for k in (4, 8, 12)]
    for inputs, sources in cases:
        order = list(sources)
        rng.shuffle(order)
        shuffled = {j: list(sources[j]) for j in order}
        got, problem = _call(fn, shuffled, list(inputs))
        if problem:
            return Verdict(False, problem)
        if got is None:
            return Verdict(False, f"{name} returned None: did you forget `return`?")
        if not isinstance(got, dict):
            return Verdict(False, f"{name} should return a dict {{name: depth}}, got "
                           f"{type(got).__name__}")
        want = _ch6_depths(sources, inputs)
        missing = [k for k in want if k not in got]
        if missing:
            return Verdict(False, f"the answer has no depth for {missing} (inputs have depth 0)")
        number = {k: _whole_number(got[k]) for k in want}
        odd = [k for k in want if number[k] is None]
        if odd:
            k = odd[0]
            return Verdict(False, f"the depth of {k} should be one whole number, got "
                           f"{got[k]!r:.60}")
        wrong = [k for k in want if number[k] != want[k]]
        if wrong:
            k = wrong[0]
            if k not in sources:
                return Verdict(False, f"depth of {k} should be 0 (it is an input), got "
                               f"{got[k]!r}")
            hint = ""
            if all(number[j] == 1 + min(want[s] for s in sources[j]) for j in sources):
                hint = " It looks like 1 + min: a neuron waits for its DEEPEST source (max)."
            return Verdict(False, f"depth of {k} should be {want[k]}, got {got[k]!r} (it "
                           f"reads {', '.join(sources[k])}).{hint}")
    return Verdict(True, "every depth is right on five wirings, given in shuffled order.")


def check_layer_flops(fn):
    """Exercise ex-ch6-flops: ``fn(n, d_in, d_out)`` should give ``6 n d_in d_out``
    (eq-ch6-flops): three products of ``n d_in d_out`` multiply-adds, 2 FLOPs each."""
    name = getattr(fn, "__name__", "your function")
    # (1, 1, 1) last: there several wrong counts coincide, the first two tell them apart
    for n, d_in, d_out in [(32, 4, 3), (7, 10, 5), (1, 1, 1)]:
        got, problem = _call(fn, n, d_in, d_out)
        if problem:
            return Verdict(False, problem)
        if isinstance(got, (list, tuple)) or np.ndim(got) != 0:
            return Verdict(False, f"{name}({n}, {d_in}, {d_out}) returned {got!r:.60}, which "
                           "is not one number: return the count itself.")
        value, problem = _as_number(got, f"{name}({n}, {d_in}, {d_out}) returned")
        if problem:
            return Verdict(False, problem)
        want = 6 * n * d_in * d_out
        if abs(value - want) > 1e-9 * want:
            ratio = value / want if want else 0
            hints = {1 / 6: " That counts the forward multiplications only.",
                     1 / 3: " That counts one product: backward has two more (dW, dA_prev).",
                     1 / 2: " That counts a multiply-add as 1 FLOP: the convention counts 2.",
                     2 / 3: " Two products: did you forget dW or dA_prev?"}
            hint = next((h for r, h in hints.items() if abs(ratio - r) < 1e-9), "")
            exact = (n * d_out * (2 * d_in - 1) + d_in * d_out * (2 * n - 1)
                     + n * d_in * (2 * d_out - 1))
            if abs(value - exact) <= 1e-9 * exact:
                hint = (" That is the exact count (t - 1 additions in a sum of t terms); "
                        "(eq-ch6-flops) uses the convention of 2 FLOPs per multiply-add.")
            return Verdict(False, f"{name}({n}, {d_in}, {d_out}) = {value!r}, expected "
                           f"{want}.{hint}")
    return Verdict(True, "6 n d_in d_out: three products, 2 FLOPs per multiply-add.")


def check_sparse_level(fn):
    """Exercise ex-ch6-sparse-level: ``fn(V, rows, cols, w, b)`` should give the dense
    level's ``Z = V @ W + b`` (eq-ch6-level) from the edges alone."""
    name = getattr(fn, "__name__", "your function")
    rng = np.random.default_rng(8)
    for n, s, m, E in [(1, 3, 2, 3), (4, 5, 3, 7), (6, 8, 4, 20)]:
        V = rng.normal(size=(n, s))  # (n, s)
        pairs = [(int(r), int(c)) for r in range(s) for c in range(m)]
        pick = rng.choice(len(pairs), size=min(E, len(pairs)), replace=False)
        rows = np.array([pairs[p][0] for p in pick])  # (E,)
        cols = np.array([pairs[p][1] for p in pick])  # (E,)
        w = rng.normal(size=len(pick))  # (E,)
        b = rng.normal(size=m)  # (m,)
        W = np.zeros((s, m))  # (s, m)
        W[rows, cols] = w
        want = V @ W + b  # (n, m)
        got, problem = _call(fn, V.copy(), rows.copy(), cols.copy(), w.copy(), b.copy())
        if problem:
            return Verdict(False, problem)
        if got is None:
            return Verdict(False, f"{name} returned None: did you forget `return`?")
        try:
            if np.iscomplexobj(got):
                raise TypeError
            got = np.asarray(got, dtype=float)
        except (TypeError, ValueError, OverflowError):
            return Verdict(False, f"{name} returned {got!r:.60}, which is not an array of "
                                  f"real numbers of shape {want.shape} (n, m).")
        if got.shape != want.shape:
            return Verdict(False, f"Z has shape {got.shape}, expected {want.shape} (n, m)")
        if not np.allclose(got, want, rtol=1e-9, atol=1e-12):
            hint = ""
            if np.allclose(got, V @ W):
                hint = " The biases are missing."
            else:
                Z_fancy = np.tile(b, (n, 1))  # (n, m) the Z[:, cols] += ... answer
                Z_fancy[:, cols] += V[:, rows] * w
                if np.allclose(got, Z_fancy, rtol=1e-9, atol=1e-12):
                    hint = (" Several edges go to the same neuron: with Z[:, cols] += ..., "
                            "numpy keeps only one of them; np.add.at adds them all.")
            return Verdict(False, f"Z differs from the dense product for n={n}, s={s}, "
                           f"m={m}.{hint}")
    return Verdict(True, "the edges alone give the dense level's Z on three levels.")
