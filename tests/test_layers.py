"""nnbook_utils.layers: the layered engine computes what the graph engine computes.

The same weights are loaded into both engines (graph.mlp's wiring, compared by name) and
every output, delta and gradient must agree to 1e-12 in float64, on random widths, depths,
activations and losses drawn by hypothesis. The gradients are also checked against finite
differences, float32 against float64, and the array API against array_api_strict."""

import array_api_strict as xps
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import check_against_finite_differences
from nnbook_utils import data, graph, layers
from nnbook_utils.layers import Dense, Sequential
from nnbook_utils.neuron import TrainingDiverged

SMOOTH = ["identity", "sigmoid", "tanh", "relu"]
TOL = dict(rtol=1e-12, atol=1e-12)  # float64: the two engines sum in different orders
OUTPUT_ACTIVATIONS = {"squared_error": SMOOTH, "binary_cross_entropy": ["sigmoid"],
                      "max_margin": ["identity", "tanh"], "softmax_cross_entropy": ["identity"]}


def random_targets(rng, loss, n, k):
    if loss == "squared_error":
        return rng.normal(size=(n, k))  # (n, k)
    if loss == "binary_cross_entropy":
        return rng.integers(0, 2, size=(n, k)).astype(float)  # (n, k)
    if loss == "max_margin":
        return rng.choice([-1.0, 1.0], size=(n, k))  # (n, k)
    return rng.integers(0, k, size=n)  # (n,) class labels


@st.composite
def problems(draw, losses=tuple(OUTPUT_ACTIVATIONS)):
    """Random sizes, activations, parameters, a batch and targets that suit the loss."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    loss = draw(st.sampled_from(losses))
    sizes = draw(st.lists(st.integers(1, 5), min_size=2, max_size=5))
    acts = [draw(st.sampled_from(SMOOTH)) for _ in sizes[2:]]
    acts.append(draw(st.sampled_from(OUTPUT_ACTIVATIONS[loss])))
    net = Sequential([Dense(rng.normal(size=(d_in, d_out)), rng.normal(size=d_out), act)
                      for d_in, d_out, act in zip(sizes, sizes[1:], acts)])
    n = draw(st.integers(1, 6))
    X = rng.normal(size=(n, sizes[0]))  # (n, d)
    return net, X, random_targets(rng, loss, n, sizes[-1]), loss, draw(st.sampled_from([0.0, 1e-2]))


def graph_targets(y, loss, k):
    """The graph engine has no softmax: it gets the one-hot rows (and is compared on the rest)."""
    return np.eye(k)[y] if loss == "softmax_cross_entropy" else y


# ------------------------------------------------------------------ against the graph engine
@settings(max_examples=250, derandomize=True, database=None, deadline=None)
@given(problem=problems(losses=("squared_error", "binary_cross_entropy", "max_margin")))
def test_every_output_delta_and_gradient_matches_the_graph_engine(problem):
    net, X, y, loss, l2 = problem
    g = net.to_graph()
    value, grad = net.loss_and_grad(X, y, loss=loss, l2=l2)
    value_g, grad_g = g.loss_and_grad(X, y, loss=loss, l2=l2)
    assert value == pytest.approx(value_g, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(net.to_graph_order(grad), grad_g, **TOL)
    np.testing.assert_allclose(net.forward(X), g.forward(X), **TOL)
    for layer, names in zip(net.layers, net.neuron_names()):
        for j, name in enumerate(names):  # column j of the layer is neuron "L{l}.{j}"
            np.testing.assert_allclose(layer.Z[:, j], g.z[name], **TOL)
            np.testing.assert_allclose(layer.A[:, j], g.a[name], **TOL)
            np.testing.assert_allclose(layer.delta[:, j], g.delta[name], **TOL)
            np.testing.assert_allclose(layer.dW[:, j], g.dw[name], **TOL)
            assert layer.db[j] == pytest.approx(g.db[name], rel=1e-12, abs=1e-12)


def test_backward_from_a_given_output_gradient_matches_the_graph_engine():
    net = Sequential.init([3, 5, 4, 2], activation="tanh", output_activation="sigmoid", rng=4)
    g = graph.mlp([3, 5, 4, 2], activation="tanh", output_activation="sigmoid", rng=4)
    rng = np.random.default_rng(1)
    X, G = rng.normal(size=(7, 3)), rng.normal(size=(7, 2))  # (7, 3), (7, 2)
    np.testing.assert_allclose(net.forward(X), g.forward(X), **TOL)
    np.testing.assert_allclose(net.to_graph_order(net.backward(G)), g.backward(G), **TOL)
    assert len(net.deltas) == 3 and net.deltas[0].shape == (7, 5)


def test_init_draws_the_same_weights_as_graph_mlp():
    for sizes in ([2, 16, 16, 1], [4, 3, 5], [1, 1]):
        net = Sequential.init(sizes, activation="relu", rng=7)
        g = graph.mlp(sizes, activation="relu", rng=7)
        np.testing.assert_array_equal(net.to_graph_order(net.parameters()), g.parameters())
        assert net.to_graph().parameter_names() == g.parameter_names()


def test_parameter_names_are_the_graph_engines_and_the_orders_invert():
    net = Sequential.init([2, 3, 1], rng=0)
    names = np.array(net.parameter_names(), dtype=object)  # (P,)
    assert list(net.to_graph_order(names)) == graph.mlp([2, 3, 1]).parameter_names()
    assert net.parameter_names()[:4] == ["L1.0.w[x1]", "L1.1.w[x1]", "L1.2.w[x1]", "L1.0.w[x2]"]
    assert net.parameter_names()[6:9] == ["L1.0.b", "L1.1.b", "L1.2.b"]
    theta = np.arange(13.0)  # (13,)
    np.testing.assert_array_equal(net.from_graph_order(net.to_graph_order(theta)), theta)


def test_from_graph_and_to_graph_round_trip_the_weights():
    g = graph.mlp([3, 4, 2], activation="tanh", output_activation="sigmoid", rng=2)
    net = Sequential.from_graph(g)
    assert [layer.activation for layer in net.layers] == ["tanh", "sigmoid"]
    assert net.layers[0].W[1, 2] == g.neurons[2].weights[1]  # W[i, j]: from x(i+1) to L1.j
    np.testing.assert_array_equal(net.to_graph().parameters(), g.parameters())
    shuffled = graph.Graph(g.inputs, [graph.Neuron(n.name, n.sources[::-1], n.activation,
                                                   n.weights[::-1], n.bias)
                                      for n in g.neurons[::-1]], g.outputs)
    np.testing.assert_array_equal(Sequential.from_graph(shuffled).parameters(), net.parameters())


def test_from_graph_names_the_neuron_that_is_not_layered():
    how = "from_graph needs a network wired layer by layer"
    with pytest.raises(ValueError, match=how + r".*Neuron 'h1' is not named that way"):
        Sequential.from_graph(graph.random_dag(2, 3, rng=0))
    g = graph.mlp([2, 2, 1]).to_dict()
    g["neurons"][2]["sources"].append("x1")  # a skip connection into L2.0
    g["neurons"][2]["weights"].append(0.5)
    with pytest.raises(ValueError, match=r"Neuron 'L2.0' reads \['L1.0', 'L1.1', 'x1'\], not "):
        Sequential.from_graph(graph.Graph.from_dict(g))
    g = graph.mlp([2, 2, 1]).to_dict()
    g["neurons"][1]["activation"] = "tanh"
    with pytest.raises(ValueError, match=r"'L1.1' has activation 'tanh', but L1.0 has 'relu'"):
        Sequential.from_graph(graph.Graph.from_dict(g))
    with pytest.raises(ValueError, match="needs a graph.Graph, got dict"):
        Sequential.from_graph(g)


# ------------------------------------------------------------------ finite differences
@pytest.mark.parametrize("loss", list(OUTPUT_ACTIVATIONS))
@settings(max_examples=25, derandomize=True, database=None, deadline=None)
@given(data=st.data())
def test_gradient_matches_finite_differences(loss, data):
    net, X, y, loss, l2 = data.draw(problems(losses=(loss,)))
    check_against_finite_differences(net, X, y, l2, loss, rtol=1e-5, atol=1e-7)


def test_softmax_cross_entropy_is_minus_log_softmax_and_stays_finite():
    Z = np.array([[1.0, 2.0, 0.5], [1000.0, -1000.0, 0.0]])  # (2, 3) the second row saturates
    Y = np.eye(3)[[1, 0]]  # (2, 3) one-hot
    expected = -np.log(np.exp(Z[0]) / np.exp(Z[0]).sum())[1]
    per = layers.softmax_cross_entropy(Z, Y)  # (2,)
    assert per[0] == pytest.approx(expected, rel=1e-12) and per[1] == 0.0
    np.testing.assert_allclose(layers.softmax(Z).sum(axis=1), 1.0, rtol=1e-15)
    net = Sequential([Dense(np.eye(3), np.zeros(3), "identity")])
    assert net.loss(Z, np.array([1, 0]), "softmax_cross_entropy") == pytest.approx(per.mean())
    assert net.loss(Z, Y, "softmax_cross_entropy") == net.loss(Z, np.array([1, 0]),
                                                               "softmax_cross_entropy")


@pytest.mark.parametrize("z", [20.0, 100.0, 800.0])
@pytest.mark.parametrize("y", [0.0, 1.0])
def test_sigmoid_with_cross_entropy_stays_exact_at_saturation(z, y):
    net = Sequential([Dense([[z]], [0.0], "sigmoid")])
    value, grad = net.loss_and_grad(np.array([[1.0]]), np.array([y]), "binary_cross_entropy")
    expected = np.log1p(np.exp(-z)) + (z if y == 0.0 else 0.0)  # right for y = 1, wrong for 0
    assert value == pytest.approx(expected, rel=1e-12, abs=0)
    np.testing.assert_allclose(grad, [1.0 - y] * 2, atol=np.exp(-z) * 1.01)  # y_hat - y, x = 1
    p = 1 / (1 + np.exp(-0.7))
    assert layers.binary_cross_entropy_from_z(np.array(0.7), np.array(y)) == pytest.approx(
        -(y * np.log(p) + (1 - y) * np.log(1 - p)), rel=1e-12)


# ------------------------------------------------------------------ float32
def test_float32_runs_stay_float32_within_float32_tolerance():
    net64 = Sequential.init([6, 8, 5, 3], activation="tanh", rng=3)
    net32 = Sequential.init([6, 8, 5, 3], activation="tanh", rng=3, dtype="float32")
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 6)), rng.integers(0, 3, size=40)  # (40, 6), (40,)
    v64, g64 = net64.loss_and_grad(X, y, "softmax_cross_entropy", l2=1e-3)
    v32, g32 = net32.loss_and_grad(X.astype(np.float32), y, "softmax_cross_entropy", l2=1e-3)
    assert g32.dtype == np.float32 and net32.forward(X).dtype == np.float32
    assert v32 == pytest.approx(v64, rel=1e-5)
    np.testing.assert_allclose(g32, g64, rtol=1e-4, atol=1e-6)
    h64 = layers.train(net64, X, y, "softmax_cross_entropy", lr=0.5, epochs=3, batch_size=8, rng=1)
    h32 = layers.train(net32, X, y, "softmax_cross_entropy", lr=0.5, epochs=3, batch_size=8, rng=1)
    assert all(layer.W.dtype == np.float32 for layer in net32.layers)
    np.testing.assert_allclose(h32.loss, h64.loss, rtol=1e-4)
    np.testing.assert_allclose(net32.parameters(), net64.parameters(), rtol=1e-4, atol=1e-5)


# ------------------------------------------------------------------ mini-batch training
def test_one_epoch_is_the_steps_on_the_shuffled_mini_batches():
    net = Sequential.init([2, 6, 1], activation="tanh", rng=1)
    twin = Sequential.init([2, 6, 1], activation="tanh", rng=1)
    X, labels = data.two_moons(n=30, rng=np.random.default_rng(0))  # (30, 2), (30,)
    history = layers.train(net, X, labels, "squared_error", lr=0.1, epochs=1, batch_size=8, rng=5)
    order = np.random.default_rng(5).permutation(30)  # (30,) the epoch's documented order
    for k, start in enumerate(range(0, 30, 8)):  # batches of 8, 8, 8 and 6
        at = order[start:start + 8]
        value, grad = twin.loss_and_grad(X[at], labels[at], "squared_error")
        assert history.loss[k] == pytest.approx(value, rel=1e-12)
        twin.set_parameters(twin.parameters() - 0.1 * grad)
    np.testing.assert_allclose(net.parameters(), twin.parameters(), **TOL)
    sizes = [8, 8, 8, 6]
    assert history.epoch_loss[0] == pytest.approx(history.loss @ sizes / 30, rel=1e-12)


def test_training_is_seeded_and_lowers_the_loss():
    X, labels = data.two_moons(n=100, rng=np.random.default_rng(1))  # (100, 2), (100,)
    runs = []
    for _ in range(2):
        net = Sequential.init([2, 16, 16, 1], activation="relu", output_activation="sigmoid", rng=0)
        runs.append(layers.train(net, X, labels, "binary_cross_entropy", lr=0.5, epochs=30,
                                 batch_size=16, rng=np.random.default_rng(3)))
    np.testing.assert_array_equal(runs[0].loss, runs[1].loss)
    assert runs[0].epoch_loss[-1] < 0.5 * runs[0].epoch_loss[0]
    other = layers.train(Sequential.init([2, 16, 16, 1], activation="relu",
                                         output_activation="sigmoid", rng=0),
                         X, labels, "binary_cross_entropy", lr=0.5, epochs=1, batch_size=16, rng=4)
    assert other.loss[1] != runs[0].loss[1]  # another seed, another order


def test_progress_prints_one_deterministic_line_every_k_epochs(capsys):
    X, labels = data.two_moons(n=40, rng=np.random.default_rng(1))  # (40, 2), (40,)
    net = Sequential.init([2, 4, 1], activation="tanh", rng=0)
    history = layers.train(net, X, labels, "squared_error", lr=0.1, epochs=5, batch_size=10)
    assert capsys.readouterr().out == ""  # off by default
    net = Sequential.init([2, 4, 1], activation="tanh", rng=0)
    layers.train(net, X, labels, "squared_error", lr=0.1, epochs=5, batch_size=10, progress=2)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["epoch 2/5", "epoch 4/5", "epoch 5/5"]
    assert lines[-1] == f"epoch 5/5: loss {history.epoch_loss[-1]:.4f}"


def test_a_learning_rate_as_a_function_of_the_step():
    X, y = np.ones((4, 1)), np.zeros(4)  # (4, 1), (4,)
    net = Sequential([Dense([[1.0]], [0.0], "identity")])
    history = layers.train(net, X, y, lr=lambda k: 0.1 if k == 0 else 0.0, epochs=2, batch_size=4)
    # y_hat = w + b = 1, dL/dw = dL/db = 2: step 0 gives w = 0.8, b = -0.2; step 1 has lr 0
    assert history.loss == pytest.approx([1.0, 0.36], rel=1e-12)
    np.testing.assert_allclose(net.parameters(), [0.8, -0.2], rtol=1e-12)


# ------------------------------------------------------------------ array API
def test_the_same_numbers_with_array_api_strict():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(9, 3)), rng.integers(0, 2, size=(9, 2)).astype(float)  # (9, 3), (9, 2)
    net = Sequential.init([3, 4, 2], activation="tanh", output_activation="sigmoid", rng=2)
    strict = Sequential.init([3, 4, 2], activation="tanh", output_activation="sigmoid", rng=2,
                             xp=xps)
    assert strict.xp is xps and strict.dtype == xps.float64
    value, grad = net.loss_and_grad(X, y, "binary_cross_entropy", l2=0.1)
    value_s, grad_s = strict.loss_and_grad(xps.asarray(X), xps.asarray(y), "binary_cross_entropy",
                                           l2=0.1)
    assert value_s == pytest.approx(value, rel=1e-12)
    np.testing.assert_allclose(np.asarray(grad_s), grad, **TOL)
    np.testing.assert_allclose(np.asarray(strict.layers[0].delta), net.layers[0].delta, **TOL)
    h = layers.train(net, X, y, "binary_cross_entropy", lr=0.3, epochs=2, batch_size=4, rng=1)
    h_s = layers.train(strict, xps.asarray(X), xps.asarray(y), "binary_cross_entropy", lr=0.3,
                       epochs=2, batch_size=4, rng=1)
    np.testing.assert_allclose(h_s.loss, h.loss, **TOL)
    np.testing.assert_allclose(np.asarray(strict.to_graph_order(strict.parameters())),
                               net.to_graph().parameters(), **TOL)
    np.testing.assert_allclose(strict.to_graph().parameters(), net.to_graph().parameters(), **TOL)
    labels = xps.asarray(rng.integers(0, 2, size=9))
    soft = Sequential.init([3, 2], output_activation="identity", rng=1, xp=xps)
    assert soft.loss(xps.asarray(X), labels, "softmax_cross_entropy") == pytest.approx(
        Sequential.init([3, 2], rng=1).loss(X, np.asarray(labels), "softmax_cross_entropy"))
    with pytest.raises(ValueError, match="X is a numpy array but the parameters are "
                                         "array_api_strict arrays"):
        strict.forward(X)


# ------------------------------------------------------------------ teaching errors
def test_shape_errors_name_both_shapes():
    with pytest.raises(ValueError, match=r"W has shape \(3, 2\) \(one column per neuron\), so b "
                                         r"must have shape \(2,\), got shape \(3,\)"):
        Dense(np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(ValueError, match=r"a 2-d array of floats of shape \(d_in, d_out\); got "
                                         r"shape \(3,\)"):
        Dense(np.zeros(3), np.zeros(3))
    with pytest.raises(ValueError, match=r"layer 2 reads 4 values \(W of shape \(4, 1\)\) but "
                                         r"layer 1 gives 2 \(W of shape \(3, 2\)\)"):
        Sequential([Dense(np.zeros((3, 2)), np.zeros(2)), Dense(np.zeros((4, 1)), np.zeros(1))])
    net = Sequential.init([3, 2, 1], rng=0)
    with pytest.raises(ValueError, match=r"X of shape \(n, 3\) for a batch, one example per "
                                         r"row \(W of layer 1 has shape \(3, 2\)\); got shape "
                                         r"\(5, 4\)"):
        net.forward(np.zeros((5, 4)))
    with pytest.raises(ValueError, match=r"its input must have shape \(n, 3\), one example per "
                                         r"row; got shape \(5, 2\)"):
        net.layers[0].forward(np.zeros((5, 2)))
    net.forward(np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"dL_dout must be shaped like the last forward's output, "
                                         r"\(5, 1\); got shape \(5,\)"):
        net.backward(np.zeros(5))
    with pytest.raises(ValueError, match=r"y must be shaped like the network's output \(5, 1\).*"
                                         r"got shape \(4,\)"):
        net.loss(np.zeros((5, 3)), np.zeros(4))
    with pytest.raises(ValueError, match=r"expected 11 parameters .* got shape \(10,\)"):
        net.set_parameters(np.zeros(10))


def test_names_and_values_that_do_not_fit_say_what_was_expected():
    with pytest.raises(ValueError, match="unknown activation 'rleu': expected one of identity"):
        Dense(np.zeros((2, 2)), np.zeros(2), "rleu")
    net = Sequential.init([2, 3], rng=0)
    X = np.zeros((4, 2))  # (4, 2)
    with pytest.raises(ValueError, match="unknown loss 'hinge': expected one of squared_error"):
        net.loss(X, np.zeros((4, 3)), "hinge")
    with pytest.raises(ValueError, match="give the output layer the activation 'sigmoid' "
                                         r"\(it has 'identity'\)"):
        net.loss(X, np.zeros((4, 3)), "binary_cross_entropy")
    with pytest.raises(ValueError, match=r"class labels must be 0 .. 2 \(one per output\), got "
                                         r"labels in \[0, 3\]"):
        net.loss(X, np.array([0, 1, 2, 3]), "softmax_cross_entropy")
    with pytest.raises(ValueError, match="targets y that are -1 or 1"):
        net.loss(X, np.zeros((4, 3)), "max_margin")
    with pytest.raises(ValueError, match="parameters must be finite"):
        net.set_parameters(np.full(9, np.nan))
    with pytest.raises(ValueError, match="call forward first"):
        Dense(np.zeros((2, 2)), np.zeros(2)).backward(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="dtype must be float32 or float64, got 'int8'"):
        Sequential.init([2, 1], dtype="int8")
    with pytest.raises(ValueError, match="batch_size must be a whole number >= 1, got 0"):
        layers.train(net, X, np.zeros((4, 3)), batch_size=0)


def test_a_diverging_run_names_the_step_and_the_learning_rate():
    X, labels = data.two_moons(n=20, rng=np.random.default_rng(0))  # (20, 2), (20,)
    net = Sequential.init([2, 8, 1], activation="relu", rng=0)
    with pytest.raises(TrainingDiverged, match=r"the loss became (nan|inf) at step \d+ with "
                                               r"lr=1000.0.* Try a smaller learning rate"):
        layers.train(net, X, labels, "squared_error", lr=1e3, epochs=50, batch_size=5)
    bad = X.copy()
    bad[3, 0] = np.nan
    with pytest.raises(ValueError, match=r"X holds NaN or inf \(in the mini-batch of step 0\)"):
        layers.train(Sequential.init([2, 8, 1], rng=0), bad, labels, batch_size=20)
