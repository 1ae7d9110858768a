"""The functions Chapter 7 defines in its own cells agree with the package
(nnbook_utils.losses, nnbook_utils.layers), with independent computations and with finite
differences on seeded inputs: softmax, its Jacobian, the cross-entropy and its stable form,
the per-example gradients of softmax regression and SGD (sections 1-2); predict_class,
accuracy, evaluate, confusion_matrix, penalized_loss and the exercise's decay_step (sections
3-5).

The chapter's code cells are run once, in order, in a fresh namespace (matplotlib draws off
screen)."""

import numpy as np
import pytest

from helpers import ROOT, run_chapter
from nnbook_utils import layers, losses
from nnbook_utils.gradcheck import numeric_grad

CHAPTER_7 = ROOT / "chapters" / "07_learning_a_real_task.ipynb"
CE = "softmax_cross_entropy"


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


def _net_and_data(seed, n=30, sizes=(64, 16, 10), activation="relu"):
    rng = np.random.default_rng(seed)
    net = layers.Sequential.init(list(sizes), activation=activation, rng=rng)
    X = rng.normal(size=(n, sizes[0]))  # (n, d)
    y = rng.integers(0, sizes[-1], size=n)  # (n,)
    return net, X, y


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_class_and_accuracy_agree_with_the_softmax(ch7, seed):
    net, X, y = _net_and_data(seed)
    P = losses.softmax(net.forward(X))  # (n, 10)
    np.testing.assert_array_equal(ch7["predict_class"](net, X), np.argmax(P, axis=1))
    right = sum(int(np.argmax(P[k]) == y[k]) for k in range(len(y)))
    assert ch7["accuracy"](net, X, y) == pytest.approx(right / len(y), abs=1e-15)


@pytest.mark.parametrize("seed", [4, 5])
def test_evaluate_agrees_with_sequential_loss(ch7, seed):
    net, X, y = _net_and_data(seed)
    loss, acc = ch7["evaluate"](net, X, y)
    assert loss == pytest.approx(net.loss(X, y, CE), rel=1e-12)
    assert acc == ch7["accuracy"](net, X, y)


@pytest.mark.parametrize("n, Q, top", [(50, 3, 3), (1, 4, 4), (300, 10, 8)])
def test_confusion_matrix_agrees_with_bincount(ch7, n, Q, top):
    rng = np.random.default_rng(n + Q)
    y, y_pred = rng.integers(0, top, size=n), rng.integers(0, top, size=n)  # (n,), (n,)
    M = ch7["confusion_matrix"](y, y_pred, n_classes=Q)
    expected = np.bincount(y * Q + y_pred, minlength=Q * Q).reshape(Q, Q)
    np.testing.assert_array_equal(M, expected)
    np.testing.assert_array_equal(ch7["confusion_counts"](y, y_pred, Q), expected)


@pytest.mark.parametrize("l2", [0.0, 1e-3, 0.05])
def test_penalized_loss_and_its_gradient(ch7, l2):
    net, X, y = _net_and_data(6, n=12, sizes=(5, 4, 3), activation="tanh")
    assert ch7["penalized_loss"](net, X, y, l2) == pytest.approx(
        net.loss(X, y, CE, l2=l2), rel=1e-12)
    theta = net.parameters()  # (P,)
    _, grad = net.loss_and_grad(X, y, CE)  # (P,) without the penalty

    def at(t):
        net.set_parameters(t)
        return ch7["penalized_loss"](net, X, y, l2)

    numeric = numeric_grad(at, theta)
    net.set_parameters(theta)
    np.testing.assert_allclose(grad + 2 * l2 * theta, numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("lr, l2", [(0.1, 0.01), (0.3, 0.003), (0.5, 0.0)])
def test_decay_step_is_one_step_of_layers_train(ch7, lr, l2):
    net, X, y = _net_and_data(7, n=16, sizes=(6, 5, 4))
    theta = net.parameters()  # (P,)
    _, grad = net.loss_and_grad(X, y, CE)  # (P,)
    expected = ch7["decay_step"](theta, grad, lr, l2)  # (eq-ch7-weight-decay)
    layers.train(net, X, y, loss=CE, lr=lr, epochs=1, batch_size=len(y), rng=0, l2=l2)
    np.testing.assert_allclose(net.parameters(), expected, rtol=0, atol=1e-12)


def test_the_reported_test_accuracy(ch7):
    # the number the chapter reports, recomputed from its network and its test set
    net, y = ch7["net_digits"], ch7["y_test"]
    X = ch7["scalings"][ch7["scale_digits"]](ch7["X_test"])  # the kept scaling
    right = int(np.sum(np.argmax(losses.softmax(net.forward(X)), axis=1) == y))
    assert right == ch7["right"] and right / len(y) >= 0.97


def test_the_scalings_use_training_statistics_only(ch7):
    # per pixel: mean and standard deviation of the training images, zero spread set to 1
    X_train = ch7["X_train"]
    mu, s = X_train.mean(axis=0), X_train.std(axis=0)  # (64,), (64,)
    s = np.where(s == 0, 1.0, s)
    X_val = ch7["X_val"]
    np.testing.assert_allclose(ch7["scalings"]["per pixel"](X_val), (X_val - mu) / s,
                               rtol=0, atol=1e-12)
    np.testing.assert_array_equal(ch7["scalings"]["raw"](X_val), X_val)


def test_the_kept_run_has_the_lowest_validation_loss(ch7):
    final = {k: net.loss(ch7["scalings"][k[0]](ch7["X_val"]), ch7["y_val"], CE)
             for k, (net, _) in ch7["runs_digits"].items()}
    assert min(final, key=final.get) == (ch7["scale_digits"], ch7["lr_digits"])
