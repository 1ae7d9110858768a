"""nnbook_utils.graph: the reference graph engine, its drawing and its data.

The gradient is checked against finite differences on hundreds of random wirings
(hypothesis draws the wiring, the activations, the parameters and the data)."""

import json

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.patches import FancyArrowPatch

import helpers
from nnbook_utils import data, graph, neuron, plotting
from nnbook_utils.graph import Graph, GraphError, Neuron

SMOOTH = ["identity", "sigmoid", "tanh", "relu"]  # step has no useful derivative
RTOL, ATOL = 1e-5, 1e-7  # finite differences (h = 1e-6) in float64 are good to ~1e-9


def small_net():
    """The network of the module docstring and of Chapter 5's first example."""
    return Graph(inputs=["x1", "x2"],
                 neurons=[Neuron("h1", ["x1", "x2"], "tanh"),
                          Neuron("h2", ["x1", "h1"], "tanh"),
                          Neuron("out", ["h1", "h2", "x2"], "sigmoid", [0.5, -1.0, 2.0], 0.1)],
                 outputs=["out"], rng=np.random.default_rng(0))


# ------------------------------------------------------------------ gradients
@st.composite
def problems(draw, loss):
    """A random network, random parameters, a batch and targets that suit ``loss``."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n_inputs, n_neurons = draw(st.integers(1, 3)), draw(st.integers(1, 6))
    n_outputs = draw(st.integers(1, min(2, n_neurons)))
    net = graph.random_dag(n_inputs, n_neurons, n_outputs, rng=rng,
                           p_edge=draw(st.sampled_from([0.3, 0.6, 1.0])))
    d = net.to_dict()
    for nd in d["neurons"]:  # mix the activations; outputs suit the loss
        nd["activation"] = draw(st.sampled_from(SMOOTH))
        if nd["name"] in d["outputs"] and loss == "binary_cross_entropy":
            nd["activation"] = "sigmoid"
    net = Graph.from_dict(d)
    net.set_parameters(rng.normal(size=net.parameters().size))
    n = draw(st.integers(1, 4))
    X = rng.normal(size=(n, n_inputs))  # (n, n_inputs)
    if loss == "squared_error":
        y = rng.normal(size=(n, n_outputs))
    elif loss == "binary_cross_entropy":
        y = rng.integers(0, 2, size=(n, n_outputs)).astype(float)
    else:
        y = rng.choice([-1.0, 1.0], size=(n, n_outputs))
    l2 = draw(st.sampled_from([0.0, 1e-3, 0.1]))
    return net, X, y, l2


def check_against_finite_differences(net, X, y, l2, loss):
    helpers.check_against_finite_differences(net, X, y, l2, loss, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("loss", ["squared_error", "binary_cross_entropy", "max_margin"])
@settings(max_examples=200, derandomize=True, database=None, deadline=None)
@given(data=st.data())
def test_gradient_matches_finite_differences_on_random_graphs(loss, data):
    check_against_finite_differences(*data.draw(problems(loss)), loss=loss)


def test_gradient_of_one_example_and_of_mlp_match_finite_differences():
    net = small_net()
    check_against_finite_differences(net, np.array([0.3, -1.2]), np.array([1.0]), 0.01,
                                     loss="binary_cross_entropy")
    net = graph.mlp([3, 4, 2], activation="tanh", rng=1)
    X = np.random.default_rng(2).normal(size=(5, 3))  # (5, 3)
    check_against_finite_differences(net, X, np.ones((5, 2)), 0.0, loss="squared_error")


def test_backward_follows_the_chain_rule_by_hand():
    # out = w1*a_h + w2*x, h = identity(v*x): fan-out of x into h and out.
    net = Graph(["x"], [Neuron("h", ["x"], "identity", [3.0]),
                        Neuron("out", ["h", "x"], "identity", [2.0, 5.0], 1.0)], ["out"])
    assert net.forward([2.0]) == pytest.approx([2.0 * 6.0 + 5.0 * 2.0 + 1.0])
    grad = net.backward([1.0])
    assert grad == pytest.approx([2.0 * 2.0, 2.0, 6.0, 2.0, 1.0])  # h.w, h.b, out.w[h], out.w[x], out.b
    assert net.delta == {"h": 2.0, "out": 1.0}
    assert net.dw["out"] == pytest.approx([6.0, 2.0]) and net.db["h"] == 2.0


# ------------------------------------------------------------------ forward, backward
def test_forward_of_one_example_matches_the_batch():
    net = graph.random_dag(3, 8, 2, rng=5)
    X = np.random.default_rng(0).normal(size=(6, 3))  # (6, 3)
    Y = net.forward(X)
    assert Y.shape == (6, 2)
    for i in range(6):
        y_i = net.forward(X[i])
        assert y_i.shape == (2,)
        np.testing.assert_allclose(y_i, Y[i], rtol=1e-14)
        assert isinstance(net.z["h1"], float) and isinstance(net.a["out1"], float)


def test_forward_records_z_and_a_of_every_neuron():
    net = small_net()
    x = np.array([0.5, -1.0])  # (2,)
    out = net.forward(x)
    assert net.order == ["h1", "h2", "out"]
    a_h1 = np.tanh(net.z["h1"])
    assert net.a["h1"] == pytest.approx(a_h1)
    z_out = 0.5 * net.a["h1"] - 1.0 * net.a["h2"] + 2.0 * x[1] + 0.1
    assert net.z["out"] == pytest.approx(z_out)
    assert out == pytest.approx([1 / (1 + np.exp(-z_out))])


def test_neurons_may_be_listed_in_any_order():
    net = small_net()
    shuffled = Graph(net.inputs, net.neurons[::-1], net.outputs)
    assert shuffled.order == ["h1", "h2", "out"]
    X = np.random.default_rng(0).normal(size=(4, 2))  # (4, 2)
    np.testing.assert_array_equal(shuffled.forward(X), net.forward(X))


def test_backward_twice_gives_the_same_and_accumulate_adds():
    net = graph.random_dag(2, 6, rng=1)
    X = np.random.default_rng(3).normal(size=(5, 2))  # (5, 2)
    G = np.random.default_rng(4).normal(size=(5, 1))  # (5, 1)
    net.forward(X)
    first = net.backward(G)
    np.testing.assert_array_equal(net.backward(G), first)
    np.testing.assert_array_equal(net.backward(G, accumulate=True), 2 * first)
    np.testing.assert_array_equal(net.backward(G), first)


def test_parameters_order_names_and_set_parameters():
    net = small_net()
    assert net.parameter_names() == ["h1.w[x1]", "h1.w[x2]", "h1.b", "h2.w[x1]", "h2.w[h1]", "h2.b",
                                     "out.w[h1]", "out.w[h2]", "out.w[x2]", "out.b"]
    theta = net.parameters()
    assert theta[-4:] == pytest.approx([0.5, -1.0, 2.0, 0.1])
    theta[0] = 99.0
    assert net.parameters()[0] != 99.0, "parameters() returns a copy"
    net.set_parameters(np.arange(10.0))
    assert net.neurons[2].weights == [6.0, 7.0, 8.0] and net.neurons[2].bias == 9.0


def test_train_lowers_the_loss_with_a_schedule():
    X, labels = data.two_moons(n=40, rng=0)
    net = graph.mlp([2, 8, 1], activation="tanh", rng=0)
    history = graph.train(net, X, 2 * labels - 1, loss="max_margin", lr=lambda k: 0.5 / (1 + k / 50),
                          steps=60, l2=1e-4)
    assert history.shape == (60,) and history[-1] < 0.6 * history[0]


# ------------------------------------------------------------------ teaching errors
def net_with(*neurons, outputs=("out",), inputs=("x1", "x2")):
    return Graph(list(inputs), list(neurons), list(outputs))


def test_a_cycle_is_named_in_order():
    with pytest.raises(GraphError, match=r"cycle: h1 -> h2 -> h1"):
        net_with(Neuron("h1", ["x1", "h2"]), Neuron("h2", ["h1"]), Neuron("out", ["h2"]))
    with pytest.raises(GraphError, match=r"cycle: h1 -> h2 -> h3 -> h1"):
        net_with(Neuron("out", ["h3"]), Neuron("h1", ["h3"]), Neuron("h2", ["h1", "x2"]),
                 Neuron("h3", ["h2"]))
    with pytest.raises(GraphError, match=r"cycle: out -> out"):
        net_with(Neuron("out", ["x1", "out"]))


def test_bad_wirings_say_what_was_expected():
    with pytest.raises(GraphError, match=r"unknown source 'x3'; the known names are: x1, x2, h1, out"):
        net_with(Neuron("h1", ["x1"]), Neuron("out", ["h1", "x3"]))
    with pytest.raises(GraphError, match=r"'out' lists source 'x1' 2 times"):
        net_with(Neuron("out", ["x1", "x1"]))
    with pytest.raises(GraphError, match=r"two neurons are called 'out'"):
        net_with(Neuron("out", ["x1"]), Neuron("out", ["x2"]))
    with pytest.raises(GraphError, match=r"'x2' is already the name of an input"):
        net_with(Neuron("x2", ["x1"]), Neuron("out", ["x2"]))
    with pytest.raises(GraphError, match=r"has 2 source\(s\) \(x1, x2\) so it needs 2 weight\(s\), got 3"):
        net_with(Neuron("out", ["x1", "x2"], weights=[1.0, 2.0, 3.0]))
    with pytest.raises(GraphError, match=r"neuron 'out': unknown activation 'softmax': expected one of"):
        net_with(Neuron("out", ["x1"], "softmax"))
    with pytest.raises(GraphError, match=r"output 'x1' is an input: outputs must be neurons, one of out"):
        net_with(Neuron("out", ["x1"]), outputs=["x1"])
    with pytest.raises(GraphError, match=r"output 'y' is unknown"):
        net_with(Neuron("out", ["x1"]), outputs=["y"])
    with pytest.raises(GraphError, match=r"sources of neuron 'out' must be a non-empty list"):
        net_with(Neuron("out", "x1"))
    with pytest.raises(GraphError, match=r"input names must be unique"):
        net_with(Neuron("out", ["x1"]), inputs=["x1", "x1"])


def test_bad_calls_say_what_was_expected():
    net = small_net()
    with pytest.raises(ValueError, match=r"expected 2 input value\(s\) per example, one for each of the "
                                         r"inputs x1, x2: .*got shape \(3,\)"):
        net.forward([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"got shape \(4, 3\)"):
        net.forward(np.zeros((4, 3)))
    with pytest.raises(GraphError, match="call net.forward"):
        small_net().backward([1.0])
    net.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"dL_dout must be shaped like the last forward's output, \(4, 1\)"):
        net.backward(np.zeros(4))
    with pytest.raises(ValueError, match=r"expected 10 parameters .* got shape \(9,\)"):
        net.set_parameters(np.zeros(9))
    with pytest.raises(ValueError, match=r"unknown loss 'hinge': expected one of"):
        net.loss(np.zeros((4, 2)), np.zeros(4), loss="hinge")
    with pytest.raises(ValueError, match=r"y must be shaped like the network's output \(4, 1\)"):
        net.loss(np.zeros((4, 2)), np.zeros(3))
    with pytest.raises(ValueError, match=r"targets y that are -1 or \+1"):
        net.loss(np.zeros((4, 2)), np.zeros(4), loss="max_margin")


def test_a_diverging_run_suggests_a_smaller_learning_rate():
    X = np.random.default_rng(0).normal(size=(10, 2))  # (10, 2)
    net = graph.random_dag(2, 4, rng=0, activation="identity")
    with pytest.raises(graph.TrainingDiverged, match=r"the loss grew from .* in step \d+ with "
                                                     r"lr=10.0: .*smaller learning rate") as info:
        graph.train(net, 100 * X, X[:, 0], lr=10.0, steps=200)
    assert info.type is neuron.TrainingDiverged  # the package's one exception for this


# ------------------------------------------------------------------ saturation
def one_sigmoid(weight):
    return Graph(["x1"], [Neuron("out", ["x1"], "sigmoid", [weight], 0.0)], ["out"])


@pytest.mark.parametrize("z", [20.0, 40.0, 100.0, 400.0, 800.0])
@pytest.mark.parametrize("y", [0.0, 1.0])
@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_sigmoid_with_cross_entropy_stays_exact_at_saturation(z, y, sign):
    """z = +-|z| with the label that agrees (right) or not (wrong): the loss is about |z|
    or e^-|z|, and dL/dw = (y_hat - y) x is about +-1 or 0; never NaN or inf."""
    net, X = one_sigmoid(sign * z), np.array([[1.0]])  # (1, 1): so z = weight
    value, grad = net.loss_and_grad(X, np.array([y]), loss="binary_cross_entropy")
    right = (sign > 0) == (y == 1.0)
    expected_loss = np.log1p(np.exp(-z)) if right else z + np.log1p(np.exp(-z))
    assert value == pytest.approx(expected_loss, rel=1e-12, abs=0)
    assert value == net.loss(X, np.array([y]), loss="binary_cross_entropy")
    expected_grad = 0.0 if right else (1.0 if y == 0.0 else -1.0)  # y_hat - y, times x = 1
    np.testing.assert_allclose(grad, [expected_grad, expected_grad], atol=np.exp(-z) * 1.01)
    assert net.delta["out"] == pytest.approx(expected_grad, abs=np.exp(-z) * 1.01)


def test_saturated_but_right_is_not_reported_as_diverged():
    net, X, y = one_sigmoid(40.0), np.array([[1.0], [-1.0]]), np.array([1.0, 0.0])
    value, grad = net.loss_and_grad(X, y, loss="binary_cross_entropy")
    assert np.all(np.isfinite(grad)) and value == pytest.approx(2 * np.exp(-40.0) / 2, rel=1e-9)
    losses_seen = graph.train(net, X, y, loss="binary_cross_entropy", lr=1.0, steps=5)
    assert np.all(np.isfinite(losses_seen)) and losses_seen[-1] <= losses_seen[0]


def test_a_gradient_that_is_not_finite_says_why():
    relu_out = Graph(["x1"], [Neuron("out", ["x1"], "relu", [1.0], 0.0)], ["out"])
    X, y = np.array([[1.0]]), np.array([0.0])  # y_hat = 1 exactly for y = 0
    with pytest.raises(graph.GradientNotFinite, match="give every output neuron a sigmoid"):
        relu_out.loss_and_grad(X, y, loss="binary_cross_entropy")
    with pytest.raises(graph.GradientNotFinite) as info:
        graph.train(relu_out, X, y, loss="binary_cross_entropy", lr=0.1, steps=3)
    assert not isinstance(info.value, graph.TrainingDiverged)  # the loss did not grow
    huge = Graph(["x1"], [Neuron("h", ["x1"], "identity", [1e300]),  # z_h = inf
                          Neuron("out", ["h"], "relu", [-1.0])], ["out"])  # y_hat = relu(-inf) = 0
    with pytest.raises(graph.GradientNotFinite, match="a value inside the network overflowed"):
        with np.errstate(over="ignore", invalid="ignore"):
            huge.loss_and_grad(np.array([[1e10]]), np.array([0.0]))


def test_delta_dw_and_db_describe_the_same_last_backward():
    net = graph.random_dag(2, 5, rng=3)
    X = np.random.default_rng(5).normal(size=(4, 2))  # (4, 2)
    net.forward(X)
    net.backward(np.ones((4, 1)))
    before = (net.delta, net.dw, net.db)
    net.forward(2 * X)  # a new forward pass keeps all three ...
    net.set_parameters(net.parameters() * 0.5)  # ... and so does new parameters
    for old, new in zip(before, (net.delta, net.dw, net.db)):
        assert old.keys() == new.keys()
        for name in old:
            np.testing.assert_array_equal(old[name], new[name])
    net.forward(X)
    net.backward(np.zeros((4, 1)))  # the next backward replaces all three
    assert all(np.all(v == 0) for part in (net.delta, net.dw, net.db) for v in part.values())



def test_delta_keeps_the_shape_of_its_own_backward_and_accumulate_sums_dw_only():
    net = graph.random_dag(2, 5, rng=3)
    X = np.random.default_rng(5).normal(size=(4, 2))  # (4, 2)
    net.forward(X)
    net.backward(np.ones((4, 1)))
    batch_delta = net.delta
    net.forward(X[0])  # one example: the batch's delta must not shrink to a number
    for name, d in net.delta.items():
        np.testing.assert_array_equal(d, batch_delta[name])
    net.backward(np.ones(1))  # a one-example backward gives numbers ...
    one_delta = net.delta
    net.forward(X)  # ... which stay numbers after a batch forward
    assert all(isinstance(v, float) for v in net.delta.values())
    assert net.delta == one_delta
    # accumulate=True: dw is the sum of both passes, delta the last pass's only
    net.forward(X[:2])
    g1 = net.backward(np.ones((2, 1)))
    dw1 = net.dw
    net.forward(X[2:])
    g2 = net.backward(2 * np.ones((2, 1)))
    dw2, delta2 = net.dw, net.delta
    net.forward(X[:2])
    net.backward(np.ones((2, 1)))
    net.forward(X[2:])
    total = net.backward(2 * np.ones((2, 1)), accumulate=True)
    np.testing.assert_allclose(total, g1 + g2, rtol=1e-12, atol=1e-15)
    for name in dw1:
        np.testing.assert_allclose(net.dw[name], dw1[name] + dw2[name],
                                   rtol=1e-12, atol=1e-15)
        np.testing.assert_array_equal(net.delta[name], delta2[name])

# ------------------------------------------------------------------ saving, ready-made wirings
def test_to_dict_from_dict_round_trip_through_json():
    net = graph.random_dag(3, 7, 2, rng=2, activation="relu", output_activation="sigmoid")
    d = json.loads(json.dumps(net.to_dict()))
    assert d["format"] == graph.FORMAT and d["version"] == graph.VERSION
    copy = Graph.from_dict(d)
    np.testing.assert_array_equal(copy.parameters(), net.parameters())
    assert copy.parameter_names() == net.parameter_names() and copy.order == net.order
    X = np.random.default_rng(1).normal(size=(5, 3))  # (5, 3)
    np.testing.assert_array_equal(copy.forward(X), net.forward(X))
    assert copy.to_dict() == net.to_dict()
    with pytest.raises(GraphError, match="version 1, got 2"):
        Graph.from_dict({**d, "version": 2})
    with pytest.raises(GraphError, match="written by Graph.to_dict"):
        Graph.from_dict({"inputs": ["x1"]})


def test_mlp_is_layers_of_fully_connected_neurons():
    net = graph.mlp([2, 16, 16, 1], rng=0)
    assert net.inputs == ["x1", "x2"] and net.outputs == ["L3.0"]
    assert net.order[:2] == ["L1.0", "L1.1"] and len(net.order) == 33
    assert net.parameters().size == 3 * 16 + 17 * 16 + 17
    by_name = {nrn.name: nrn for nrn in net.neurons}
    assert by_name["L2.5"].sources == [f"L1.{j}" for j in range(16)]
    assert by_name["L1.0"].activation == "relu" and by_name["L3.0"].activation == "identity"


def test_random_dag_is_seeded_and_has_skip_connections():
    a, b = graph.random_dag(3, 10, 2, rng=7), graph.random_dag(3, 10, 2, rng=7)
    assert a.to_dict() == b.to_dict()
    assert a.outputs == ["out1", "out2"]
    depth = plotting.graph_depths(a)
    assert any(depth[n.name] - depth[s] > 1 for n in a.neurons for s in n.sources)
    readers = {s for n in a.neurons for s in n.sources}
    assert all(f"h{i}" in readers for i in range(1, 9)), "every hidden neuron is read"


# ------------------------------------------------------------------ drawing and data
def test_draw_graph_shows_every_curve_without_an_empty_strip_below():
    # Skip connections are drawn as curves that dip below the nodes: the axes must show
    # the whole curve, and no more than a small margin below it.
    for seed in range(5):
        net = graph.random_dag(2, 8, 2, rng=seed)
        fig, ax = plt.subplots(figsize=(6, 3))
        plotting.draw_graph(net, ax=ax)
        fig.canvas.draw()
        lowest = min(p.get_path().get_extents().y0  # data units, curves included
                     for p in ax.patches if isinstance(p, FancyArrowPatch))
        nodes = ax.collections[0].get_offsets()[:, 1].min()
        bottom = ax.get_ylim()[0]
        assert bottom <= lowest, "a curve is cut off"
        assert bottom >= min(lowest - 0.2, nodes - 0.5) - 1e-9, "empty strip below"
        plt.close(fig)


def test_draw_graph_draws_one_arrow_per_edge():
    net = graph.random_dag(2, 7, 2, rng=3)
    ax = plotting.draw_graph(net)
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == sum(len(n.sources) for n in net.neurons)
    labels = {t.get_text() for t in ax.texts}
    assert labels == set(net.inputs + net.order)
    fig, ax2 = plt.subplots()
    assert plotting.draw_graph(small_net(), ax=ax2) is ax2


def test_two_moons_shape_labels_and_seed():
    X, y = data.two_moons(n=101, noise=0.1, rng=4)
    assert X.shape == (101, 2) and y.shape == (101,)
    assert set(np.unique(y)) == {0.0, 1.0} and y.sum() == 51
    X2, y2 = data.two_moons(n=101, noise=0.1, rng=np.random.default_rng(4))
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X0, y0 = data.two_moons(n=10, noise=0.0)
    radius = np.where(y0 == 0, np.hypot(*X0.T), np.hypot(X0[:, 0] - 1, X0[:, 1] - 0.5))
    np.testing.assert_allclose(radius, 1.0)
    with pytest.raises(ValueError, match="noise is a standard deviation"):
        data.two_moons(noise=-1)


def test_a_chain_longer_than_the_recursion_limit_builds_and_computes():
    # The depth-first search keeps its path on an explicit stack: a recursive search
    # (Chapter 5's exercise solution) would fail on a chain this long.
    import sys

    k = 3 * sys.getrecursionlimit()
    neurons = [Neuron(f"n{j}", ["x" if j == 1 else f"n{j - 1}"], "identity", [1.0], 0.0)
               for j in range(k, 0, -1)]  # listed last neuron first
    net = Graph(inputs=["x"], neurons=neurons, outputs=[f"n{k}"])
    assert net.order == [f"n{j}" for j in range(1, k + 1)]
    assert net.forward(np.array([2.0]))[0] == 2.0


def chapter5_example():
    """The wiring of Chapter 5's first example (its weights do not matter here)."""
    wiring = {"o2": ["h1", "o1"], "h3": ["h1", "x2"], "o1": ["h2", "h3", "x1"],
              "h1": ["x1", "x2"], "h2": ["x1", "h1"]}
    return Graph(inputs=["x1", "x2"], neurons=[Neuron(j, s) for j, s in wiring.items()],
                 outputs=["o1", "o2"])


@pytest.mark.parametrize("net", [chapter5_example()] + [graph.random_dag(2, 8, 2, rng=s)
                                                         for s in range(3)])
def test_skip_edges_are_bent_around_the_nodes_in_between(net):
    # draw_graph's layout: a column per depth, each column centred on y = 0
    depth = plotting.graph_depths(net)
    columns = {}
    for name in net.inputs + net.order:
        columns.setdefault(depth[name], []).append(name)
    pos = {name: (d, (len(names) - 1) / 2 - i) for d, names in columns.items()
           for i, name in enumerate(names)}
    for nrn in net.neurons:
        for s in nrn.sources:
            if depth[nrn.name] - depth[s] < 2:
                continue
            others = np.array([pos[m] for m in pos if m not in (s, nrn.name)])
            bend = plotting._skip_bend(pos[s], pos[nrn.name], others)
            curve = plotting._curve(pos[s], pos[nrn.name], bend)  # (51, 2)
            gap = min(np.hypot(*(curve - o).T).min() for o in others)
            best = max(min(np.hypot(*(plotting._curve(pos[s], pos[nrn.name], r) - o).T).min()
                           for o in others) for r in np.arange(-16, 17) / 20 if r != 0)
            assert gap >= min(0.22, best), f"{s} -> {nrn.name} runs through a node"
    if net.inputs == ["x1", "x2"] and "o1" in net.order:  # Chapter 5's skip edge x1 -> o1
        others = np.array([pos[m] for m in pos if m not in ("x1", "o1")])
        old = plotting._curve(pos["x1"], pos["o1"], 0.2)  # the fixed bend ran through h1
        assert min(np.hypot(*(old - o).T).min() for o in others) < 0.1
