"""The functions Chapter 5 defines in its own cells (topological_order, forward,
backward) agree with the package's graph engine (nnbook_utils.graph) on the chapter's
network and on seeded random wirings, and the chapter's topological sort rejects a cycle.

The chapter's code cells are run in order in a fresh namespace (matplotlib draws off
screen); random engine networks are converted into the chapter's dictionary format."""

import numpy as np
import pytest

from helpers import ROOT, run_chapter
from nnbook_utils import checks, graph, losses

CHAPTER_5 = ROOT / "chapters" / "05_any_graph_of_neurons.ipynb"


@pytest.fixture(scope="module")
def ch5():
    return run_chapter(CHAPTER_5)


def chapter_format(engine):
    """An engine network as the chapter's {name: {sources, weights, bias, activation}}."""
    return {n.name: {"sources": list(n.sources), "weights": np.array(n.weights),
                     "bias": n.bias, "activation": n.activation} for n in engine.neurons}


def assert_agree(ch5, net, engine, X, Y):
    """Per example: outputs, deltas and gradients of the chapter's code and the engine;
    for the batch: the engine's summed gradients against the sum of the chapter's."""
    inputs, outputs = engine.inputs, engine.outputs
    order = ch5["topological_order"](net)
    assert ch5["is_topological"](net, order)
    dw_sum = {j: np.zeros(len(net[j]["sources"])) for j in net}
    for x, y in zip(X, Y):
        z, a = ch5["forward"](net, order, inputs, x)
        y_hat = np.array([a[o] for o in outputs])  # (n_outputs,)
        np.testing.assert_allclose(engine.forward(x), y_hat, rtol=1e-12, atol=1e-12)
        dL_dy_hat = dict(zip(outputs, losses.d_squared_error(y_hat, y)))
        delta, dw, db = ch5["backward"](net, order, z, a, dL_dy_hat)
        engine.backward(losses.d_squared_error(y_hat, y))
        for j in order:
            assert engine.delta[j] == pytest.approx(delta[j], rel=1e-10, abs=1e-12)
            assert engine.db[j] == pytest.approx(db[j], rel=1e-10, abs=1e-12)
            np.testing.assert_allclose(engine.dw[j], dw[j], rtol=1e-10, atol=1e-12)
            dw_sum[j] += dw[j]
    Y_hat = engine.forward(X)  # (n, n_outputs)
    engine.backward(losses.d_squared_error(Y_hat, Y))
    for j in order:
        np.testing.assert_allclose(engine.dw[j], dw_sum[j], rtol=1e-10, atol=1e-12)


def test_the_chapters_network_agrees_with_the_engine(ch5):
    net, inputs, outputs = ch5["net"], ch5["inputs"], ch5["outputs"]
    engine = ch5["to_engine"](net, inputs, outputs)
    rng = np.random.default_rng(50)
    X = rng.normal(size=(6, 2))  # (6, 2)
    Y = rng.uniform(0.1, 0.9, size=(6, 2))  # (6, 2)
    assert_agree(ch5, net, engine, X, Y)


@pytest.mark.parametrize("seed", range(8))
def test_random_wirings_agree_with_the_engine(ch5, seed):
    rng = np.random.default_rng(100 + seed)
    engine = graph.random_dag(n_inputs=3, n_neurons=4 + seed, n_outputs=1 + seed % 3, rng=rng,
                              p_edge=0.4)
    engine.set_parameters(rng.normal(size=engine.parameters().size))  # biases too
    net = chapter_format(engine)
    net = {j: net[j] for j in rng.permutation(list(net))}  # listed in no particular order
    X = rng.normal(size=(4, 3))  # (4, 3)
    Y = rng.normal(size=(4, len(engine.outputs)))  # (4, n_outputs)
    assert_agree(ch5, net, engine, X, Y)


def test_the_chapters_gradients_match_finite_differences_on_random_wirings(ch5):
    rng = np.random.default_rng(7)
    engine = graph.random_dag(n_inputs=2, n_neurons=6, n_outputs=2, rng=rng)
    engine.set_parameters(rng.normal(size=engine.parameters().size))
    net, order = chapter_format(engine), engine.order
    x, y = rng.normal(size=2), rng.normal(size=2)  # (2,), (2,)

    def loss(theta):
        _, a = ch5["forward"](ch5["with_parameters"](net, order, theta), order, engine.inputs, x)
        return sum((a[o] - yk) ** 2 for o, yk in zip(engine.outputs, y))

    z, a = ch5["forward"](net, order, engine.inputs, x)
    dL_dy_hat = {o: 2 * (a[o] - yk) for o, yk in zip(engine.outputs, y)}
    _, dw, db = ch5["backward"](net, order, z, a, dL_dy_hat)
    analytic = np.concatenate([np.append(dw[j], db[j]) for j in order])
    theta = ch5["parameters"](net, order)
    numeric = np.array([(loss(theta + h) - loss(theta - h)) / 2e-6 for h in 1e-6 * np.eye(theta.size)])
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-7)


def cycle_in(message):
    return message.split("cycle: ")[1].split(" -> ")


@pytest.mark.parametrize("wiring", [
    {"a": ["x", "b"], "b": ["a"]},
    {"a": ["x", "a"]},
    {"p": ["x"], "a": ["p", "c"], "b": ["a"], "c": ["b", "x"], "d": ["c", "p"]},
])
def test_the_chapters_sort_rejects_a_cycle_and_names_it(ch5, wiring):
    net = {j: {"sources": s, "weights": np.ones(len(s)), "bias": 0.0, "activation": "tanh"}
           for j, s in wiring.items()}
    with pytest.raises(ValueError, match="cycle") as err:
        ch5["topological_order"](net)
    cycle = cycle_in(str(err.value))
    assert cycle[0] == cycle[-1] and len(cycle) >= 2
    for source, reader in zip(cycle, cycle[1:]):  # each one feeds the next
        assert source in net[reader]["sources"], f"{source} -> {reader} is not an edge"


def test_the_chapters_and_the_engines_cycle_errors_name_the_same_cycle(ch5):
    with pytest.raises(graph.GraphError) as err:
        ch5["to_engine"](ch5["cyclic"], ch5["inputs"], ch5["outputs"])
    with pytest.raises(ValueError) as ours:
        ch5["topological_order"](ch5["cyclic"])
    assert set(cycle_in(str(err.value).split(" (")[0])) == set(cycle_in(str(ours.value)))


def test_exercise_solutions_pass_their_checks(ch5):
    assert checks.check_topological_order(ch5["dfs_order"])
    assert checks.check_push_backward(ch5["backward_push"])


def test_the_trained_network_separates_the_moons(ch5):
    assert ch5["accuracy"] >= 0.97
    assert ch5["history"][-1] < 0.1 * ch5["history"][0]


def test_the_chapters_skip_measurement_agrees_with_the_engine(ch5):
    # the ten-neuron sigmoid chain with and without the skip edge n1 -> n10
    for skip in [False, True]:
        net = ch5["chain"](skip)
        engine = ch5["to_engine"](net, ["x"], ["n10"])
        a10 = engine.forward(np.array([1.0]))[0]
        engine.backward(np.array([2 * (a10 - ch5["y_c"])]))
        assert engine.dw["n1"][0] == pytest.approx(ch5["grad_w1"][skip], rel=1e-10)
    assert ch5["grad_w1"][True] > 1e4 * ch5["grad_w1"][False] > 0


@pytest.mark.parametrize("seed", range(4))
def test_the_engines_mean_loss_gradient_is_the_mean_of_the_chapters(ch5, seed):
    # (eq-ch5-mean-grad) on random wirings: engine.loss_and_grad against the chapter's
    # backward, one example at a time, averaged
    rng = np.random.default_rng(200 + seed)
    engine = graph.random_dag(n_inputs=2, n_neurons=5 + seed, n_outputs=1 + seed % 2, rng=rng)
    engine.set_parameters(rng.normal(size=engine.parameters().size))
    net, order = chapter_format(engine), engine.order
    X = rng.normal(size=(7, 2))  # (7, 2)
    Y = rng.normal(size=(7, len(engine.outputs)))  # (7, n_outputs)
    total = np.zeros(engine.parameters().size)
    for x, y in zip(X, Y):
        z, a = ch5["forward"](net, order, engine.inputs, x)
        dL_dy_hat = {o: 2 * (a[o] - yk) for o, yk in zip(engine.outputs, y)}
        _, dw, db = ch5["backward"](net, order, z, a, dL_dy_hat)
        total += np.concatenate([np.append(dw[j], db[j]) for j in order])
    mean_loss = np.mean([sum((ch5["forward"](net, order, engine.inputs, x)[1][o] - yk) ** 2
                             for o, yk in zip(engine.outputs, y)) for x, y in zip(X, Y)])
    value, grad = engine.loss_and_grad(X, Y)
    assert value == pytest.approx(mean_loss, rel=1e-12)
    np.testing.assert_allclose(grad, total / len(X), rtol=1e-10, atol=1e-12)


def test_pushing_and_pulling_agree_up_to_rounding_not_bit_for_bit(ch5):
    """The chapter's pull-style backward and the engine's push-style backward add the
    terms of (eq-ch5-fanout) in different orders: on some random wirings a delta differs
    in the last digits, and every delta agrees within 1e-12 (the chapter's claim)."""
    differ = 0
    for seed in range(60):
        rng = np.random.default_rng(300 + seed)
        engine = graph.random_dag(n_inputs=2, n_neurons=8, n_outputs=2, rng=rng, p_edge=0.5)
        engine.set_parameters(rng.normal(size=engine.parameters().size))
        net = chapter_format(engine)
        order = ch5["topological_order"](net)
        x, y = rng.normal(size=2), rng.normal(size=2)  # (2,), (2,)
        z, a = ch5["forward"](net, order, engine.inputs, x)
        y_hat = np.array([a[o] for o in engine.outputs])  # (2,)
        delta = ch5["backward"](net, order, z, a,
                                dict(zip(engine.outputs, losses.d_squared_error(y_hat, y))))[0]
        engine.forward(x)
        engine.backward(losses.d_squared_error(y_hat, y))
        for j in order:
            assert abs(engine.delta[j] - delta[j]) < 1e-12
            differ += engine.delta[j] != delta[j]
    assert differ > 0
