"""The functions Chapter 8 defines in its own cells agree with the package
(nnbook_utils.optim, layers.Sequential.init) and with their closed forms on seeded inputs:
xavier_std, he_std, spreads, velocity, momentum_run, heavy_ball_run, tuned_momentum and
predicted_steps (sections 1-2); rmsprop_step, adam_step, step_decay, cosine and warmup
(sections 3-4).

The chapter's code cells are run once, in order, in a fresh namespace (matplotlib draws off
screen)."""

import numpy as np
import pytest

from helpers import ROOT, run_chapter
from nnbook_utils import layers, optim

CHAPTER_8 = ROOT / "chapters" / "08_making_training_work.ipynb"


@pytest.fixture(scope="module")
def ch8():
    return run_chapter(CHAPTER_8)


@pytest.mark.parametrize("lr, beta", [(0.05, 0.9), (0.1, 0.5), (0.2, 0.0)])
def test_momentum_agrees_with_optim(ch8, lr, beta):
    rng = np.random.default_rng(80)
    lam = rng.uniform(0.1, 5.0, size=4)  # (4,) a diagonal quadratic
    theta0 = rng.normal(size=4)  # (4,)
    path = ch8["momentum_run"](lambda th: lam * th, theta0, lr, beta, 30)  # (31, 4)
    np.testing.assert_allclose(ch8["heavy_ball_run"](lambda th: lam * th, theta0, lr, beta, 30),
                               path, rtol=0, atol=1e-12)
    opt, theta = optim.Momentum(lr=lr, beta=beta), theta0.copy()
    for t in range(30):
        opt.step(theta, lam * theta)
        np.testing.assert_allclose(theta, path[t + 1], rtol=0, atol=1e-12)


def test_momentum_on_layers_agrees_with_optim(ch8):
    # the layers' W and b as a list of arrays, as optim.Momentum takes them
    net = layers.Sequential.init([3, 5, 2], activation="tanh", rng=8)
    X = np.random.default_rng(9).normal(size=(7, 3))  # (7, 3)
    y = np.random.default_rng(10).normal(size=(7, 2))  # (7, 2)
    theta0 = net.parameters()  # (P,)

    def grad_of(theta):
        net.set_parameters(theta)
        return net.loss_and_grad(X, y)[1]

    path = ch8["momentum_run"](grad_of, theta0, 0.05, 0.9, 10)  # (11, P)
    net.set_parameters(theta0)
    opt = optim.Momentum(lr=0.05, beta=0.9)
    for t in range(10):
        net.loss_and_grad(X, y)
        params = [p for layer in net.layers for p in (layer.W, layer.b)]
        opt.step(params, [g for layer in net.layers for g in (layer.dW, layer.db)])
    np.testing.assert_allclose(net.parameters(), path[-1], rtol=0, atol=1e-12)


def test_init_variances(ch8):
    for d_in, d_out in [(784, 128), (64, 256), (100, 100)]:
        assert np.isclose(ch8["xavier_std"](d_in, d_out) ** 2, 2 / (d_in + d_out))
        assert np.isclose(ch8["he_std"](d_in, d_out) ** 2, 2 / d_in)
    # layers.Sequential.init draws N(0, 1/d_in): Xavier's for square layers
    net = layers.Sequential.init([256, 256, 256], rng=3)
    for layer in net.layers:
        assert abs(layer.W.var() / ch8["xavier_std"](256, 256) ** 2 - 1) < 0.03
        assert abs(layer.W.mean()) < 0.01


def test_spreads_match_the_rules(ch8):
    he = ch8["spreads"]("relu", ch8["he_std"], n=100, depth=6, seed=5)  # (6, 4)
    assert he.shape == (6, 4) and np.all(he.max(0) / he.min(0) < 1.5)  # a, delta, dW, z
    # the third column is the std of each layer's dW = A_prev^T Delta (eq-ch6-dW): one
    # ReLU layer, written out with the same draws that spreads makes
    one = ch8["spreads"]("relu", ch8["he_std"], n=100, depth=1, seed=5)  # (1, 4)
    rng = np.random.default_rng(5)
    X = rng.normal(size=(100, 128))  # (100, 128)
    W = ch8["he_std"](128, 128) * rng.normal(size=(128, 128))  # (128, 128)
    dA = rng.normal(size=(100, 128))  # (100, 128)
    delta = dA * (X @ W > 0)  # (100, 128)
    assert np.isclose(one[0, 1], delta.std()) and np.isclose(one[0, 2], (X.T @ delta).std())
    assert np.isclose(one[0, 3], (X @ W).std())  # the fourth column: the std of z
    lecun = ch8["spreads"]("relu", lambda i, o: np.sqrt(1 / i), n=100, depth=6, seed=5)
    for col in (0, 3):  # the std of a and of z
        ratio = lecun[-1, col] / lecun[0, col]
        assert abs(ratio / 2 ** -2.5 - 1) < 0.3  # Var halves per layer: (1/sqrt 2)^5


def test_tuned_momentum_roots_and_steps(ch8):
    lam = np.array([0.5, 3.0, 40.0])  # (3,)
    lr, beta = ch8["tuned_momentum"](lam)
    for l in lam:
        r = np.roots([1.0, -(1 + beta - lr * l), beta])
        np.testing.assert_allclose(np.abs(r), np.sqrt(beta), rtol=1e-6)
    exact, approx = ch8["predicted_steps"](80.0, 1e-6, "GD")
    assert np.isclose(exact, np.log(1e6) / np.log(81 / 79)) and approx > exact
    exact_m, _ = ch8["predicted_steps"](81.0, 1e-6, "momentum")
    assert np.isclose(exact_m, np.log(1e6) / np.log(10 / 8))


@pytest.mark.parametrize("beta, lr", [(0.9, 0.1), (0.5, 0.01), (0.0, 1.0)])
def test_rmsprop_agrees(ch8, beta, lr):
    rng = np.random.default_rng(801)
    theta, s = rng.normal(size=4), np.zeros(4)  # (4,), (4,)
    theta_pkg, opt = theta.copy(), optim.RMSProp(lr=lr, beta=beta)
    for g in rng.normal(size=(25, 4)) * [100.0, 1.0, 0.01, 1e-4]:  # (25, 4)
        theta, s = ch8["rmsprop_step"](theta, s, g, lr, beta)
        opt.step(theta_pkg, g)
        np.testing.assert_allclose(theta, theta_pkg, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(s, opt.s, rtol=1e-12, atol=0)


@pytest.mark.parametrize("beta1, beta2, lr", [(0.9, 0.999, 0.1), (0.8, 0.99, 0.01)])
def test_adam_agrees(ch8, beta1, beta2, lr):
    rng = np.random.default_rng(802)
    theta, m, s = rng.normal(size=5), np.zeros(5), np.zeros(5)  # (5,) each
    theta_pkg, opt = theta.copy(), optim.Adam(lr=lr, beta1=beta1, beta2=beta2)
    for t, g in enumerate(rng.normal(size=(30, 5)) * [100, 1, 0.01, 1, 1], start=1):
        theta, m, s = ch8["adam_step"](theta, m, s, g, t, lr, beta1, beta2)
        opt.step(theta_pkg, g)
        np.testing.assert_allclose(theta, theta_pkg, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("make, make_pkg", [
    (lambda c: c["step_decay"](0.1, 0.5, 100), lambda: optim.step_decay(0.1, 0.5, 100)),
    (lambda c: c["step_decay"](1.0, 0.3, 7), lambda: optim.step_decay(1.0, 0.3, 7)),
    (lambda c: c["cosine"](0.1, 300), lambda: optim.cosine(0.1, 300)),
    (lambda c: c["cosine"](0.5, 50, 0.01), lambda: optim.cosine(0.5, 50, 0.01)),
    (lambda c: c["warmup"](c["cosine"](0.1, 300), 30),
     lambda: optim.warmup(optim.cosine(0.1, 300), 30)),
    (lambda c: c["warmup"](c["step_decay"](0.2, 0.5, 40), 10),
     lambda: optim.warmup(optim.step_decay(0.2, 0.5, 40), 10)),
])
def test_schedules_agree(ch8, make, make_pkg):
    ours, pkg = make(ch8), make_pkg()
    t = range(1000)
    np.testing.assert_allclose([ours(k) for k in t], [pkg(k) for k in t], rtol=1e-12, atol=1e-15)
