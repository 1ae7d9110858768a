"""The networks Chapter 4 builds by hand agree with the package's reference graph engine
(nnbook_utils.graph) on the same seeded parameters and inputs: outputs, losses, error
signals and every gradient, for the two-neuron chain, the XOR network (also with m hidden
neurons, many networks at once) and the long chains.

The chapter's code cells are run in order in a fresh namespace (matplotlib draws off
screen), then its functions are compared with a graph.Graph wired the same way."""

import numpy as np
import pytest

from helpers import ROOT, run_chapter
from nnbook_utils import activations, checks, graph

CHAPTER_4 = ROOT / "chapters" / "04_neurons_feeding_neurons.ipynb"


@pytest.fixture(scope="module")
def ch4():
    return run_chapter(CHAPTER_4)


def chain_graph(theta):
    """x -> n1 -> n2, sigmoid neurons; parameters in the chapter's order (w1, b1, w2, b2)."""
    net = graph.Graph(inputs=["x"],
                      neurons=[graph.Neuron("n1", ["x"], "sigmoid"),
                               graph.Neuron("n2", ["n1"], "sigmoid")],
                      outputs=["n2"])
    assert net.parameter_names() == ["n1.w[x]", "n1.b", "n2.w[n1]", "n2.b"]
    net.set_parameters(theta)
    return net


def xor_graph(theta):
    """Two sigmoid hidden neurons and a sigmoid output; parameters in PARAM_NAMES order."""
    net = graph.Graph(inputs=["x1", "x2"],
                      neurons=[graph.Neuron("h1", ["x1", "x2"], "sigmoid"),
                               graph.Neuron("h2", ["x1", "x2"], "sigmoid"),
                               graph.Neuron("out", ["h1", "h2"], "sigmoid")],
                      outputs=["out"])
    net.set_parameters(theta)
    return net


def wide_graph(m):
    """XOR inputs, m sigmoid hidden neurons h1 .. hm and a sigmoid output (eq-ch4-xor-wide)."""
    hidden = [f"h{j + 1}" for j in range(m)]
    return graph.Graph(inputs=["x1", "x2"],
                       neurons=[graph.Neuron(h, ["x1", "x2"], "sigmoid") for h in hidden]
                       + [graph.Neuron("out", hidden, "sigmoid")],
                       outputs=["out"])


def deep_graph(w, b, activation):
    """A chain x -> n1 -> ... -> nk of neurons with one weight and one bias each."""
    names = [f"n{j + 1}" for j in range(len(w))]
    sources = ["x"] + names[:-1]
    net = graph.Graph(inputs=["x"],
                      neurons=[graph.Neuron(n, [s], activation) for n, s in zip(names, sources)],
                      outputs=[names[-1]])
    net.set_parameters(np.column_stack([w, b]).ravel())  # w1, b1, w2, b2, ...
    return net, names


def test_xor_graph_has_the_chapters_parameter_order(ch4):
    net = xor_graph(np.zeros(9))
    assert net.order == ["h1", "h2", "out"]
    expected = ["h1.w[x1]", "h1.w[x2]", "h1.b", "h2.w[x1]", "h2.w[x2]", "h2.b",
                "out.w[h1]", "out.w[h2]", "out.b"]
    assert net.parameter_names() == expected
    assert len(ch4["PARAM_NAMES"]) == len(expected)


def test_two_neuron_chain_agrees(ch4):
    rng = np.random.default_rng(40)
    for _ in range(10):
        theta = rng.normal(0, 1.5, size=4)  # (4,)
        x, y = rng.uniform(-2, 2), rng.uniform(0, 1)
        net = chain_graph(theta)
        out = net.forward(np.array([x]))
        z1, a1, z2, a2 = ch4["chain_forward"](theta, x)
        assert out[0] == pytest.approx(a2, rel=1e-12)
        assert net.z["n1"] == pytest.approx(z1, rel=1e-12) and net.z["n2"] == pytest.approx(z2, rel=1e-12)
        assert net.a["n1"] == pytest.approx(a1, rel=1e-12)
        loss, grad = net.loss_and_grad(np.array([x]), np.array([y]))
        assert loss == pytest.approx(float(ch4["chain_loss"](theta, x, y)), rel=1e-12)
        assert np.allclose(grad, ch4["chain_backward"](theta, x, y), rtol=1e-10, atol=1e-14)


def test_xor_network_outputs_loss_deltas_and_gradients_agree(ch4):
    rng = np.random.default_rng(41)
    X_xor, y_xor = ch4["X_xor"], ch4["y_xor"]
    cases = [(ch4["theta_hand"], X_xor, y_xor), (ch4["theta_trained"], X_xor, y_xor)]
    for n in [4, 9]:
        X = rng.uniform(-1, 2, size=(n, 2))  # (n, 2)
        y = (rng.uniform(size=n) < 0.5).astype(float)  # (n,)
        cases += [(rng.normal(0, 1.5, size=9), X, y), (rng.normal(size=9), X_xor, y_xor)]
    for theta, X, y in cases:
        net = xor_graph(theta)
        z1, a1, z2, a2, zo, y_hat = ch4["xor_forward"](theta, X)
        assert np.allclose(net.forward(X)[:, 0], y_hat, rtol=1e-12, atol=1e-15)
        assert np.allclose(net.z["h1"], z1) and np.allclose(net.z["h2"], z2) and np.allclose(net.z["out"], zo)
        loss, grad = net.loss_and_grad(X, y, loss="binary_cross_entropy")
        assert loss == pytest.approx(ch4["xor_loss"](theta, X, y), rel=1e-10)
        assert np.allclose(grad, ch4["xor_backward"](theta, X, y), rtol=1e-8, atol=1e-13)
        # the error signals: the engine's are those of the MEAN loss, so 1/n of each example's
        n = len(y)
        delta_o = y_hat - y  # (eq-ch4-xor-delta-out)
        assert np.allclose(n * net.delta["out"], delta_o, atol=1e-13)
        assert np.allclose(n * net.delta["h1"], delta_o * theta[6] * activations.d_sigmoid(z1), atol=1e-13)
        assert np.allclose(n * net.delta["h2"], delta_o * theta[7] * activations.d_sigmoid(z2), atol=1e-13)


def test_xor_training_agrees(ch4):
    X_xor, y_xor = ch4["X_xor"], ch4["y_xor"]
    theta0 = ch4["theta_start"]
    theta, history = ch4["train_xor"](theta0, X_xor, y_xor, 1.0, 300)
    net = xor_graph(theta0)
    losses_seen = graph.train(net, X_xor, y_xor, loss="binary_cross_entropy", lr=1.0, steps=300)
    assert np.allclose(losses_seen, history[:-1], rtol=1e-9)
    assert np.allclose(net.parameters(), theta, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("m", [1, 2, 3, 8])
def test_wide_networks_agree_network_by_network(ch4, m):
    # The chapter's all-networks-at-once code (wide_*) against one engine graph per network.
    rng = np.random.default_rng(45 + m)
    X = rng.uniform(-1, 2, size=(6, 2))  # (6, 2)
    y = (rng.uniform(size=6) < 0.5).astype(float)  # (6,)
    thetas = rng.normal(0, 1.5, size=(3, 4 * m + 1))  # (3, 4m + 1) three networks
    P = ch4["wide_params"](thetas, m)
    y_hat = ch4["wide_forward"](P, X)[-1][:, :, 0]  # (6, 3)
    losses_all = ch4["wide_loss"](P, X, y)  # (3,)
    G = ch4["wide_backward"](P, X, y)
    net = wide_graph(m)
    for r, theta in enumerate(thetas):
        assert np.array_equal(ch4["wide_theta"](P, r), theta)
        net.set_parameters(theta)
        assert np.allclose(net.forward(X)[:, 0], y_hat[:, r], rtol=1e-12, atol=1e-15)
        loss, grad = net.loss_and_grad(X, y, loss="binary_cross_entropy")
        assert loss == pytest.approx(losses_all[r], rel=1e-10)
        assert np.allclose(ch4["wide_theta"](G, r), grad, rtol=1e-8, atol=1e-13)


def test_wide_training_with_one_learning_rate_per_network(ch4):
    X_xor, y_xor = ch4["X_xor"], ch4["y_xor"]
    thetas = np.array([ch4["theta_start"], ch4["theta_start_bad"]])  # (2, 9)
    lrs = np.array([[0.5], [2.0]])  # (2, 1)
    P = ch4["wide_train"](ch4["wide_params"](thetas, 2), X_xor, y_xor, lrs, 200)
    for r, (theta0, lr) in enumerate(zip(thetas, lrs[:, 0])):
        theta, _ = ch4["train_xor"](theta0, X_xor, y_xor, lr, 200)
        assert np.allclose(ch4["wide_theta"](P, r), theta, rtol=1e-9, atol=1e-11)


def test_the_stuck_count_is_the_chapters(ch4):
    assert int(np.sum(~ch4["solves"][2])) == 32
    assert all(ch4["solves"][m].all() for m in [3, 4, 8])


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_long_chains_agree(ch4, name):
    f, df = activations.get(name)
    rng = np.random.default_rng(43)
    for k in [1, 2, 7, 20]:
        w = rng.uniform(0.5, 1.5, size=k)  # (k,)
        b = rng.uniform(0.0, 0.5, size=k)  # (k,)
        x, y = 1.0, 0.3
        net, names = deep_graph(w, b, name)
        out = net.forward(np.array([x]))
        z, a = ch4["deep_forward"](w, b, x, f)
        assert out[0] == pytest.approx(a[-1], rel=1e-12)
        assert np.allclose([net.z[n] for n in names], z, rtol=1e-12)
        _, grad = net.loss_and_grad(np.array([x]), np.array([y]))
        dL_dw, delta = ch4["deep_backward"](w, b, x, y, f, df)
        assert np.allclose(grad[0::2], dL_dw, rtol=1e-10, atol=1e-300)
        assert np.allclose(grad[1::2], delta, rtol=1e-10, atol=1e-300)
        assert np.allclose([net.delta[n] for n in names], delta, rtol=1e-10, atol=1e-300)


def test_reusing_and_recomputing_give_the_engines_gradients(ch4):
    rng = np.random.default_rng(44)
    w = rng.uniform(0.5, 1.5, size=12)  # (12,)
    b = rng.uniform(-0.5, 0.5, size=12)  # (12,)
    net, _ = deep_graph(w, b, "sigmoid")
    _, grad = net.loss_and_grad(np.array([0.8]), np.array([0.2]))
    z, a = ch4["deep_forward"](w, b, 0.8, activations.sigmoid)
    reused, n_reused = ch4["grads_reusing_delta"](z, a, w, 0.2)
    scratch, n_scratch = ch4["grads_from_scratch"](z, a, w, 0.2)
    assert np.allclose(reused, grad[0::2], rtol=1e-10) and np.allclose(scratch, grad[0::2], rtol=1e-10)
    k = len(w)
    assert (n_reused, n_scratch) == (3 * k - 1, k * k + k)


def test_exercise_solutions_pass_their_checks(ch4):
    assert checks.check_chain3_deltas(ch4["chain3_deltas"])
    assert checks.check_xor_grad_w12(ch4["grad_w_h1_2"])
