"""nnbook_utils.schedule: the depth schedule computes what the graph engine computes.

Hundreds of random wirings (graph.random_dag, skip connections included, activations mixed
within a level) run through both engines; every output, z, a, delta, dw, db and the flat
gradient must agree to 1e-12 in float64. Also: finite differences, float32, the counts of
the multiplications the mask wastes, training, array_api_strict, and the teaching errors."""

import sys

import array_api_strict as xps
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import ROOT, check_against_finite_differences
from nnbook_utils import graph, schedule
from nnbook_utils.graph import Graph, Neuron
from nnbook_utils.neuron import TrainingDiverged
from nnbook_utils.schedule import Schedule

sys.path.insert(0, str(ROOT / "benchmarks"))
import schedule_vs_graph as bench  # noqa: E402  (its engines must agree; torch not needed)

SMOOTH = ["identity", "sigmoid", "tanh", "relu"]
TOL = dict(rtol=1e-12, atol=1e-12)
LOSSES = ["squared_error", "binary_cross_entropy", "max_margin"]


@st.composite
def problems(draw, loss=None):
    """A random DAG with mixed activations and random parameters, a batch, and targets."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    loss = loss or draw(st.sampled_from(LOSSES))
    n_inputs, n_neurons = draw(st.integers(1, 4)), draw(st.integers(1, 12))
    n_outputs = draw(st.integers(1, min(3, n_neurons)))
    net = graph.random_dag(n_inputs, n_neurons, n_outputs, rng=rng,
                           p_edge=draw(st.sampled_from([0.2, 0.5, 1.0])))
    d = net.to_dict()
    for nd in d["neurons"]:
        nd["activation"] = draw(st.sampled_from(SMOOTH))
        if nd["name"] in d["outputs"] and loss == "binary_cross_entropy":
            nd["activation"] = "sigmoid"
    net = Graph.from_dict(d)
    net.set_parameters(rng.normal(size=net.parameters().size))
    n = draw(st.integers(1, 5))
    X = rng.normal(size=(n, n_inputs))  # (n, n_inputs)
    y = {"squared_error": rng.normal(size=(n, n_outputs)),
         "binary_cross_entropy": rng.integers(0, 2, size=(n, n_outputs)).astype(float),
         "max_margin": rng.choice([-1.0, 1.0], size=(n, n_outputs))}[loss]
    return net, X, y, loss, draw(st.sampled_from([0.0, 1e-2]))


def assert_same_as_graph(sched, net):
    for name in net.order:
        for mine, theirs in [(sched.z, net.z), (sched.a, net.a), (sched.delta, net.delta),
                             (sched.dw, net.dw)]:
            np.testing.assert_allclose(mine[name], theirs[name], **TOL, err_msg=name)
        assert sched.db[name] == pytest.approx(net.db[name], rel=1e-12, abs=1e-12)


# ------------------------------------------------------------------ against the graph engine
@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(problem=problems())
def test_every_value_delta_and_gradient_matches_the_graph_engine(problem):
    net, X, y, loss, l2 = problem
    sched = Schedule(net)
    np.testing.assert_array_equal(sched.parameters(), net.parameters())
    assert sched.parameter_names() == net.parameter_names()
    value, grad = sched.loss_and_grad(X, y, loss=loss, l2=l2)
    value_g, grad_g = net.loss_and_grad(X, y, loss=loss, l2=l2)
    assert value == pytest.approx(value_g, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(grad, grad_g, **TOL)
    assert_same_as_graph(sched, net)
    G = np.random.default_rng(0).normal(size=(X.shape[0], len(net.outputs)))  # (n, n_outputs)
    np.testing.assert_allclose(sched.forward(X), net.forward(X), **TOL)
    np.testing.assert_allclose(sched.backward(G), net.backward(G), **TOL)
    assert_same_as_graph(sched, net)


def test_one_example_gives_the_graph_engines_shapes():
    net = graph.random_dag(3, 6, 2, rng=4)
    sched, x = Schedule(net), np.array([0.5, -1.0, 2.0])  # (3,)
    np.testing.assert_allclose(sched.forward(x), net.forward(x), **TOL)
    assert sched.forward(x).shape == (2,) and isinstance(sched.z["out1"], float)
    np.testing.assert_allclose(sched.backward(np.ones(2)), net.backward(np.ones(2)), **TOL)
    assert sched.db["h1"] == pytest.approx(net.db["h1"], rel=1e-12)


# ------------------------------------------------------------------ depths and levels
def small_net():
    return Graph(["x1", "x2"], [Neuron("h1", ["x1", "x2"]), Neuron("h2", ["x1", "h1"]),
                                Neuron("h3", ["x2"], "relu"),
                                Neuron("out", ["h1", "h2", "h3", "x2"], "sigmoid")], ["out"])


def test_depth_is_one_more_than_the_deepest_source():
    assert schedule.depths(small_net()) == {"x1": 0, "x2": 0, "h1": 1, "h3": 1, "h2": 2, "out": 3}
    levels = Schedule(small_net()).levels
    assert [lv.neurons for lv in levels] == [["h3", "h1"], ["h2"], ["out"]]  # relu < tanh
    for seed in range(30):  # neurons of one level never read each other
        net = graph.random_dag(2, 10, rng=seed)
        depth, sources = schedule.depths(net), {n.name: n.sources for n in net.neurons}
        for name in net.order:
            assert depth[name] == 1 + max(depth[s] for s in sources[name])
        for lv in Schedule(net).levels:
            assert not any(s in lv.neurons for name in lv.neurons for s in sources[name])


def test_the_levels_dense_weights_have_zeros_exactly_where_no_edge_is():
    net = small_net()
    sched = Schedule(net)
    W2 = sched.weights()[1]  # (4, 1) level 2 reads 1, x1, x2, h3, h1: rows 0..4
    assert W2.shape == (5, 1)
    h2 = next(n for n in net.neurons if n.name == "h2")
    np.testing.assert_array_equal(W2[:, 0], [h2.bias, h2.weights[0], 0.0, 0.0, h2.weights[1]])


def test_multiplications_count_what_the_mask_wastes():
    sched = Schedule(graph.mlp([2, 16, 16, 1]))
    # level 2 reads the inputs too (2 * 16 zeros), level 3 the inputs and layer 1 (18 zeros)
    assert [(lv.reads, lv.dense, lv.edges) for lv in sched.levels] == [
        (2, 32, 32), (18, 288, 256), (34, 34, 16)]
    assert sched.multiplications() == (354, 304, 50)
    full = Schedule(graph.random_dag(3, 6, p_edge=1.0, rng=0))  # each reads all before it
    assert full.multiplications().wasted == 0 and len(full.levels) == 6
    small = Schedule(small_net()).multiplications()
    assert small.edges == sum(len(n.sources) for n in small_net().neurons) == 9
    assert small.dense == 2 * 2 + 4 * 1 + 5 * 1 and small.wasted == small.dense - 9


# ------------------------------------------------------------------ finite differences, float32
@pytest.mark.parametrize("loss", LOSSES)
@settings(max_examples=20, derandomize=True, database=None, deadline=None)
@given(data=st.data())
def test_gradient_matches_finite_differences(loss, data):
    net, X, y, loss, l2 = data.draw(problems(loss=loss))
    check_against_finite_differences(Schedule(net), X, y, l2, loss, rtol=1e-5, atol=1e-7)


def test_float32_within_float32_tolerance():
    net = graph.random_dag(3, 10, 2, rng=2, p_edge=0.6)
    X = np.random.default_rng(1).normal(size=(20, 3))  # (20, 3)
    y = np.random.default_rng(2).normal(size=(20, 2))  # (20, 2)
    s64, s32 = Schedule(net), Schedule(net, dtype="float32")
    v64, g64 = s64.loss_and_grad(X, y, l2=1e-3)
    v32, g32 = s32.loss_and_grad(X.astype(np.float32), y, l2=1e-3)
    assert g32.dtype == np.float32 and s32.forward(X).dtype == np.float32
    assert v32 == pytest.approx(v64, rel=1e-5)
    np.testing.assert_allclose(g32, g64, rtol=1e-4, atol=1e-5)


# ------------------------------------------------------------------ training
def test_training_matches_the_graph_engine_on_the_benchmark_task():
    X, y, net = bench.same_start()
    sched = Schedule(net)
    losses_g = graph.train(net, X, y, loss="max_margin", lr=bench.lr, steps=15, l2=bench.ALPHA)
    losses_s = schedule.train(sched, X, y, loss="max_margin", lr=bench.lr, steps=15,
                              l2=bench.ALPHA)
    np.testing.assert_allclose(losses_s, losses_g, rtol=bench.RTOL)
    np.testing.assert_allclose(sched.parameters(), net.parameters(), rtol=1e-9, atol=1e-12)
    assert losses_s[-1] < losses_s[0]


def test_a_diverging_run_names_the_step_and_the_learning_rate():
    net = graph.random_dag(2, 6, rng=1, activation="relu")
    X = np.random.default_rng(0).normal(size=(10, 2))  # (10, 2)
    with pytest.raises(TrainingDiverged, match=r"the loss became (nan|inf) at step \d+ with "
                                               r"lr=1000000.0: .* Try a smaller learning rate"):
        schedule.train(Schedule(net), X, np.ones(10), lr=1e6, steps=100)


# ------------------------------------------------------------------ array API
def test_the_same_numbers_with_array_api_strict():
    net = graph.random_dag(3, 9, 2, rng=5, p_edge=0.5)
    d = net.to_dict()
    for nd, act in zip(d["neurons"], SMOOTH * 3):
        nd["activation"] = act  # mixed activations within the levels
    net = Graph.from_dict(d)
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(6, 3)), rng.choice([-1.0, 1.0], size=(6, 2))  # (6, 3), (6, 2)
    strict = Schedule(net, xp=xps)
    value_s, grad_s = strict.loss_and_grad(xps.asarray(X), xps.asarray(y), "max_margin", l2=0.1)
    value, grad = net.loss_and_grad(X, y, "max_margin", l2=0.1)
    assert value_s == pytest.approx(value, rel=1e-12)
    np.testing.assert_allclose(np.asarray(grad_s), grad, **TOL)
    for name in net.order:
        np.testing.assert_allclose(np.asarray(strict.delta[name]), net.delta[name], **TOL)
    losses_s = schedule.train(strict, xps.asarray(X), xps.asarray(y), "max_margin", lr=0.1,
                              steps=5, l2=0.1)
    np.testing.assert_allclose(losses_s, graph.train(net, X, y, "max_margin", lr=0.1, steps=5,
                                                     l2=0.1), **TOL)
    np.testing.assert_allclose(np.asarray(strict.parameters()), net.parameters(), **TOL)


# ------------------------------------------------------------------ teaching errors
def test_bad_calls_say_what_was_expected():
    sched = Schedule(small_net())
    with pytest.raises(ValueError, match=r"expected 2 input value\(s\) per example, one for each "
                                         r"of the inputs x1, x2: .* got shape \(4, 3\)"):
        sched.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="call forward"):
        Schedule(small_net()).backward(np.zeros((4, 1)))
    sched.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"dL_dout must be shaped like the last forward's output, "
                                         r"\(4, 1\) \(one entry per output out\); got shape \(4,"
                                         r" 2\)"):
        sched.backward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"expected 13 parameters .* got shape \(3,\)"):
        sched.set_parameters(np.zeros(3))
    with pytest.raises(ValueError, match="parameters must be finite"):
        sched.set_parameters(np.full(13, np.inf))
    with pytest.raises(ValueError, match="unknown loss 'hinge': expected one of"):
        sched.loss(np.zeros((4, 2)), np.zeros(4), "hinge")
    tanh_out = Schedule(graph.random_dag(2, 3, rng=0, output_activation="tanh"))
    with pytest.raises(ValueError, match=r"binary cross entropy needs every output neuron to have "
                                         r"the activation 'sigmoid'.*have \['tanh'\]"):
        tanh_out.loss(np.zeros((4, 2)), np.zeros(4), "binary_cross_entropy")
    with pytest.raises(ValueError, match=r"y must be shaped like the network's output \(4, 1\)"):
        sched.loss(np.zeros((4, 2)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match="Schedule needs a graph.Graph, got dict"):
        Schedule(small_net().to_dict())
