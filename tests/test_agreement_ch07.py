"""The functions Chapter 7 defines in its own cells (part A: softmax, its Jacobian, the
cross-entropy and its stable form, the per-example gradients of softmax regression, SGD)
agree with the package (nnbook_utils.losses, nnbook_utils.layers) and with finite
differences on seeded inputs.

The chapter's code cells are run in order in a fresh namespace (matplotlib draws off
screen)."""

import numpy as np
import pytest

from helpers import ROOT, run_chapter
from nnbook_utils import layers, losses
from nnbook_utils.gradcheck import numeric_grad

CHAPTER_7 = ROOT / "chapters" / "07_learning_a_real_task.ipynb"


@pytest.fixture(scope="module")
def ch7():
    return run_chapter(CHAPTER_7)


@pytest.mark.parametrize("Q", [2, 3, 10])
def test_softmax_and_cross_entropy_agree_with_losses(ch7, Q):
    rng = np.random.default_rng(700 + Q)
    Z = 30 * rng.normal(size=(8, Q))  # (8, Q)
    Z[0, 0] = 1000.0
    Z[1] = -1000.0 + rng.normal(size=Q)
    y = rng.integers(0, Q, size=8)  # (8,)
    np.testing.assert_allclose(ch7["softmax_stable"](Z), losses.softmax(Z), rtol=1e-12, atol=1e-15)
    ours = np.array([ch7["cross_entropy_stable"](Z[k], y[k]) for k in range(8)])
    np.testing.assert_allclose(ours, losses.softmax_cross_entropy(Z, y), rtol=1e-12, atol=1e-12)
    lse = np.array([ch7["log_sum_exp"](Z[k]) for k in range(8)])
    np.testing.assert_allclose(lse, np.logaddexp.reduce(Z, axis=1), rtol=1e-12)
    z = rng.normal(size=Q)  # (Q,) moderate: the naive forms hold too
    np.testing.assert_allclose(ch7["softmax"](z), losses.softmax(z), rtol=1e-12)
    onehot = np.eye(Q)[y[2]]
    np.testing.assert_allclose(ch7["cross_entropy"](ch7["softmax"](z), onehot),
                               losses.softmax_cross_entropy(z, y[2]), rtol=1e-12)
    np.testing.assert_allclose(ch7["cross_entropy_lse"](z, y[2]),
                               losses.softmax_cross_entropy(z, y[2]), rtol=1e-12)


@pytest.mark.parametrize("Q", [2, 4, 7])
def test_jacobian_agrees_with_finite_differences(ch7, Q):
    z = np.random.default_rng(710 + Q).normal(size=Q)  # (Q,)
    numeric = np.array([numeric_grad(lambda t: losses.softmax(t)[q], z) for q in range(Q)])
    np.testing.assert_allclose(ch7["softmax_jacobian"](z), numeric, atol=1e-8)
    y = Q - 1
    delta = losses.d_softmax_cross_entropy(z, y)
    np.testing.assert_allclose(ch7["softmax"](z) - np.eye(Q)[y], delta, atol=1e-12)


def test_example_gradients_agree_with_layers(ch7):
    rng = np.random.default_rng(720)
    X = rng.normal(size=(12, 5))  # (12, 5)
    y = rng.integers(0, 4, size=12)  # (12,)
    net = layers.Sequential.init([5, 4], output_activation="identity", rng=3)
    W, b = net.layers[0].W, net.layers[0].b
    G = ch7["example_grads"](W, b, X, np.eye(4)[y])  # (12, P)
    for k in (0, 7, 11):
        _, g = net.loss_and_grad(X[k:k + 1], y[k:k + 1], loss="softmax_cross_entropy")
        np.testing.assert_allclose(G[k], g, atol=1e-12)
    _, g_all = net.loss_and_grad(X, y, loss="softmax_cross_entropy")
    np.testing.assert_allclose(G.mean(axis=0), g_all, atol=1e-12)


@pytest.mark.parametrize("batch_size", [1, 5, 13, 40])
def test_sgd_agrees_with_layers_train(ch7, batch_size):
    rng = np.random.default_rng(730)
    X = rng.normal(size=(40, 3))  # (40, 3)
    y = rng.integers(0, 3, size=40)  # (40,)
    net = layers.Sequential.init([3, 3], output_activation="identity", rng=4)
    W0, b0 = net.layers[0].W.copy(), net.layers[0].b.copy()
    W, b = ch7["sgd"](W0, b0, X, np.eye(3)[y], lr=0.3, epochs=3, B=batch_size, seed=11)
    layers.train(net, X, y, loss="softmax_cross_entropy", lr=0.3, epochs=3,
                 batch_size=batch_size, rng=11)
    np.testing.assert_allclose(net.parameters(), np.concatenate([W.reshape(-1), b]), atol=1e-12)
