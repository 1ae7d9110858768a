"""The functions Chapter 6 defines in its own cells (layer_sum, forward_layers,
backward_layers, depths, build_levels, forward_levels, flops) agree with the package's
layered engine (nnbook_utils.layers), depth schedule (nnbook_utils.schedule) and graph
engine on seeded inputs.

The chapter's code cells are run in order in a fresh namespace (matplotlib draws off
screen)."""

import numpy as np
import pytest

from helpers import ROOT, run_chapter
from nnbook_utils import graph, layers, schedule

CHAPTER_6 = ROOT / "chapters" / "06_layers_are_an_optimization.ipynb"


@pytest.fixture(scope="module")
def ch6():
    return run_chapter(CHAPTER_6)


@pytest.mark.parametrize("sizes", [[2, 3, 1], [3, 5, 4, 2], [4, 8, 8, 8, 3]])
def test_layers_agree_with_sequential(ch6, sizes):
    rng = np.random.default_rng(60)
    net = graph.mlp(sizes, activation="tanh", rng=rng)
    seq = layers.Sequential.from_graph(net)
    theta = dict(zip(net.parameter_names(), net.parameters()))
    Wb = [ch6["layer_weights"](theta, sizes, l) for l in range(1, len(sizes))]
    Ws, bs = [W for W, _ in Wb], [b for _, b in Wb]
    for W, b, layer in zip(Ws, bs, seq.layers):
        np.testing.assert_array_equal(W, layer.W)
        np.testing.assert_array_equal(b, layer.b)
    acts = [layer.activation for layer in seq.layers]
    X = rng.normal(size=(6, sizes[0]))  # (6, d)
    Zs, As = ch6["forward_layers"](X, Ws, bs, acts)
    np.testing.assert_allclose(As[-1], seq.forward(X), rtol=0, atol=1e-12)
    G = rng.normal(size=As[-1].shape)  # (6, n_outputs)
    Deltas, dWs, dbs = ch6["backward_layers"](G, Zs, As, Ws, acts)
    seq.backward(G)
    for D, dW, db, layer in zip(Deltas, dWs, dbs, seq.layers):
        np.testing.assert_allclose(D, layer.delta, rtol=0, atol=1e-12)
        np.testing.assert_allclose(dW, layer.dW, rtol=0, atol=1e-12)
        np.testing.assert_allclose(db, layer.db, rtol=0, atol=1e-12)
    z = ch6["layer_sum"](X[0], Ws[0], bs[0])
    np.testing.assert_allclose(z, X[0] @ seq.layers[0].W + seq.layers[0].b, atol=1e-12)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_levels_agree_with_schedule(ch6, seed):
    dag = graph.random_dag(n_inputs=3, n_neurons=10, n_outputs=2, rng=seed, p_edge=0.35)
    depth = ch6["depths"](dag)
    assert depth == schedule.depths(dag)
    sched = schedule.Schedule(dag)
    levels, Ws, bs, column = ch6["build_levels"](dag, depth)
    assert levels == [lv.neurons for lv in sched.levels] or \
        [sorted(lv) for lv in levels] == [sorted(lv.neurons) for lv in sched.levels]
    assert sum(W.size for W in Ws) == sched.multiplications().dense
    assert sum(np.count_nonzero(W) for W in Ws) == sched.multiplications().edges
    X = np.random.default_rng(seed).normal(size=(5, 3))  # (5, 3)
    V, Zs = ch6["forward_levels"](X, dag, levels, Ws, bs)
    out = [column[o] for o in dag.outputs]
    np.testing.assert_allclose(V[:, out], sched.forward(X), rtol=0, atol=1e-12)
    # (eq-ch6-level-backward): every delta agrees with the Schedule's
    G = np.random.default_rng(seed + 10).normal(size=(5, 2))  # (5, 2)
    sched.backward(G)
    _, Deltas = ch6["backward_levels"](G, dag, levels, Ws, V, Zs, column)
    for k, level in enumerate(levels):
        for c, j in enumerate(level):
            np.testing.assert_allclose(Deltas[k][:, c], sched.delta[j], rtol=0, atol=1e-12)


def test_python_pass_matches_graph(ch6):
    net = graph.mlp([3, 5, 1], activation="tanh", rng=4)
    X = np.random.default_rng(5).normal(size=(4, 3))  # (4, 3)
    Y = np.zeros((4, 1))  # (4, 1)
    g = ch6["python_pass"](ch6["to_dicts"](net), net.order, net.inputs, net.outputs,
                           X.tolist(), Y.tolist())
    net.forward(X)
    expected = net.backward(2 * (net.forward(X) - Y))
    np.testing.assert_allclose(np.concatenate([g[j] for j in net.order]), expected,
                               rtol=0, atol=1e-12)


def test_flops_counts_three_products(ch6):
    assert ch6["flops"]([3, 4, 2], 5) == 6 * 5 * (3 * 4 + 4 * 2)
