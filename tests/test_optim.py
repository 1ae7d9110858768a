"""nnbook_utils.optim: every optimizer against its update equations written out by hand,
against closed forms where they exist, the schedules at given steps, the teaching errors,
and optim.train against layers.train."""

import math

import numpy as np
import pytest

from nnbook_utils import layers, optim
from nnbook_utils.neuron import TrainingDiverged

# A 2-D quadratic L = 1/2 theta^T A theta - b^T theta, A symmetric positive definite and not
# diagonal: its gradient is A theta - b.
A = np.array([[3.0, 1.2], [1.2, 0.8]])  # (2, 2), eigenvalues about 3.5 and 0.27
B = np.array([1.0, -2.0])  # (2,)
THETA0 = np.array([2.0, 1.5])  # (2,)
STEPS = 8


def grad(theta):
    return A @ theta - B  # (2,)


def by_hand(update):
    """The iterates of ``update(theta, g, t, memory)`` (t from 1), written out in the test."""
    theta, memory, path = THETA0.copy(), {}, []
    for t in range(1, STEPS + 1):
        theta = update(theta, grad(theta), t, memory)
        path.append(theta)
    return np.array(path)  # (STEPS, 2)


def sgd(theta, g, t, memory, lr=0.1):
    return theta - lr * g


def momentum(theta, g, t, memory, lr=0.1, beta=0.9):
    memory["v"] = beta * memory.get("v", 0.0) + g
    return theta - lr * memory["v"]


def rmsprop(theta, g, t, memory, lr=0.1, beta=0.9, eps=1e-8):
    memory["s"] = beta * memory.get("s", 0.0) + (1 - beta) * g**2
    return theta - lr * g / (np.sqrt(memory["s"]) + eps)


def adam(theta, g, t, memory, lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8):
    memory["m"] = beta1 * memory.get("m", 0.0) + (1 - beta1) * g
    memory["s"] = beta2 * memory.get("s", 0.0) + (1 - beta2) * g**2
    m_hat, s_hat = memory["m"] / (1 - beta1**t), memory["s"] / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(s_hat) + eps)


CASES = [
    (lambda: optim.SGD(0.1), sgd),
    (lambda: optim.Momentum(0.1, beta=0.9), momentum),
    (lambda: optim.RMSProp(0.1, beta=0.9, eps=1e-8), rmsprop),
    (lambda: optim.Adam(0.1, beta1=0.9, beta2=0.999, eps=1e-8), adam),
]


@pytest.mark.parametrize("make, update", CASES, ids=["sgd", "momentum", "rmsprop", "adam"])
def test_optimizer_follows_its_equations_on_a_flat_vector(make, update):
    opt, theta, path = make(), THETA0.copy(), []
    for t in range(STEPS):
        assert opt.t == t
        out = opt.step(theta, grad(theta))
        assert out is theta  # in place, and returned
        path.append(theta.copy())
    assert opt.t == STEPS
    assert np.allclose(path, by_hand(update), rtol=1e-13, atol=1e-14)


@pytest.mark.parametrize("make, update", CASES, ids=["sgd", "momentum", "rmsprop", "adam"])
def test_optimizer_gives_the_same_numbers_on_a_list_of_arrays(make, update):
    opt = make()
    W, b = THETA0[:1].reshape(1, 1).copy(), THETA0[1:].copy()  # (1, 1), (1,): the layers' form
    path = []
    for _ in range(STEPS):
        g = grad(np.array([W[0, 0], b[0]]))  # (2,)
        out = opt.step([W, b], [g[:1].reshape(1, 1), g[1:]])
        assert out[0] is W and out[1] is b
        path.append([W[0, 0], b[0]])
    assert np.allclose(path, by_hand(update), rtol=1e-13, atol=1e-14)


def test_the_state_is_kept_per_array_and_shown_in_the_callers_form():
    opt = optim.Adam(0.1)
    assert opt.m is None and opt.s is None
    W, b = np.zeros((2, 3)), np.zeros(3)  # (2, 3), (3,)
    opt.step([W, b], [np.ones((2, 3)), np.full(3, 2.0)])
    assert [m.shape for m in opt.m] == [(2, 3), (3,)]
    assert np.allclose(opt.m[1], 0.1 * 2.0) and np.allclose(opt.s[1], 0.001 * 4.0)
    single = optim.Momentum(0.1)
    single.step(np.zeros(4), np.ones(4))
    assert isinstance(single.v, np.ndarray) and np.array_equal(single.v, np.ones(4))


def test_reset_clears_the_state_and_the_step_count():
    opt, theta = optim.Momentum(0.1), np.zeros(2)
    opt.step(theta, np.ones(2))
    opt.reset()
    assert opt.t == 0 and opt.v is None
    opt.step(np.zeros(3), np.ones(3))  # other shapes are fine after reset
    assert np.array_equal(opt.v, np.ones(3))


def momentum_closed_form(a, lr, beta, theta0, steps):
    """theta_t = c1 r1^t + c2 r2^t with r1, r2 the roots of r^2 - (1 + beta - lr a) r + beta,
    fitted to theta_0 and theta_1 = (1 - lr a) theta_0 (v starts at 0)."""
    c = 1 + beta - lr * a
    disc = complex(c * c - 4 * beta)
    r1, r2 = (c + disc**0.5) / 2, (c - disc**0.5) / 2
    theta1 = (1 - lr * a) * theta0
    c2 = (theta1 - r1 * theta0) / (r2 - r1)
    c1 = theta0 - c2
    t = np.arange(1, steps + 1)  # (steps,)
    return (c1 * r1**t + c2 * r2**t), disc.real  # (steps,) complex with ~0 imaginary part


@pytest.mark.parametrize("lr, beta, kind", [(0.1, 0.1, "real"), (0.1, 0.9, "complex")])
def test_momentum_matches_its_closed_form_on_a_1d_quadratic(lr, beta, kind):
    a, theta0 = 1.0, 2.0  # L = a theta^2 / 2, gradient a theta
    expected, disc = momentum_closed_form(a, lr, beta, theta0, 20)
    assert (disc > 0) == (kind == "real")  # the two cases: real distinct and complex roots
    opt, theta, path = optim.Momentum(lr, beta=beta), np.array([theta0]), []
    for _ in range(20):
        opt.step(theta, a * theta)
        path.append(theta[0])
    assert np.allclose(expected.imag, 0.0, atol=1e-12)
    assert np.allclose(path, expected.real, rtol=1e-10, atol=1e-12)


def test_momentum_recurrence_of_two_terms():
    """theta_{t+1} = (1 + beta - lr a) theta_t - beta theta_{t-1}, step by step."""
    a, lr, beta = 2.0, 0.05, 0.8
    opt, theta, path = optim.Momentum(lr, beta=beta), np.array([1.0]), [1.0]
    for _ in range(20):
        opt.step(theta, a * theta)
        path.append(theta[0])
    for t in range(1, 20):
        assert path[t + 1] == pytest.approx((1 + beta - lr * a) * path[t] - beta * path[t - 1],
                                            rel=1e-12, abs=1e-14)


def test_adam_bias_correction_for_a_constant_gradient():
    g = np.array([0.5, -3.0, 1e-4])  # (3,)
    opt, theta = optim.Adam(0.01, beta1=0.9, beta2=0.999), np.zeros(3)
    for t in range(1, 11):
        opt.step(theta, g)
        assert np.allclose(opt.m, (1 - 0.9**t) * g, rtol=1e-13)  # m_t = (1 - beta1^t) g
        assert np.allclose(opt.m / (1 - 0.9**t), g, rtol=1e-13)  # m_hat_t = g
        assert np.allclose(opt.s / (1 - 0.999**t), g**2, rtol=1e-12)  # s_hat_t = g^2


def test_adams_first_step_moves_every_parameter_by_lr_whatever_the_scale():
    g = np.array([1e-2, -1.0, 3e2, -1e4])  # (4,) gradients of very different sizes
    lr, theta = 0.01, np.zeros(4)
    optim.Adam(lr).step(theta, g)
    assert np.allclose(np.abs(theta), lr, rtol=1e-5)  # lr |g| / (|g| + eps), eps = 1e-8
    assert np.array_equal(np.sign(theta), -np.sign(g))


def test_rmsprop_equalizes_the_steps_of_very_different_gradients():
    g = np.array([1e-3, 1e3])  # (2,) constant gradients, a million times apart
    opt, theta = optim.RMSProp(0.01, beta=0.9), np.zeros(2)
    ratios = []
    for _ in range(50):
        before = theta.copy()
        opt.step(theta, g)
        step = np.abs(theta - before)  # (2,)
        ratios.append(step[1] / step[0])
    assert abs(ratios[-1] - 1) < 1e-4  # the steps are nearly equal
    assert abs(ratios[-1] - 1) <= abs(ratios[0] - 1) + 1e-12
    sgd_step = 0.01 * g
    assert sgd_step[1] / sgd_step[0] == pytest.approx(1e6)  # what plain SGD would do


def test_a_schedule_sets_the_learning_rate_of_each_step():
    lr = optim.step_decay(0.1, factor=0.5, every=2)
    opt, theta = optim.SGD(lr), np.zeros(1)
    moves = []
    for _ in range(5):
        before = theta[0]
        opt.step(theta, np.ones(1))
        moves.append(before - theta[0])
    assert np.allclose(moves, [0.1, 0.1, 0.05, 0.05, 0.025], rtol=1e-12)
    assert [opt.lr_at(k) for k in (0, 2, 4)] == [0.1, 0.05, 0.025]


def test_schedule_values():
    assert [optim.constant(0.3)(k) for k in (0, 7, 1000)] == [0.3, 0.3, 0.3]
    s = optim.step_decay(0.1, factor=0.5, every=100)
    assert [s(0), s(99), s(100), s(250)] == [0.1, 0.1, 0.05, 0.025]
    c = optim.cosine(0.1, total=10, lr_min=0.01)
    assert c(0) == pytest.approx(0.1) and c(5) == pytest.approx(0.055)
    assert c(10) == 0.01 and c(50) == 0.01
    assert optim.cosine(1.0, total=4)(1) == pytest.approx((1 + math.cos(math.pi / 4)) / 2)
    w = optim.warmup(0.2, steps=4)
    assert [w(k) for k in range(6)] == pytest.approx([0.05, 0.1, 0.15, 0.2, 0.2, 0.2])


def test_warmup_over_a_schedule():
    w = optim.warmup(optim.step_decay(0.4, factor=0.5, every=3), steps=2)
    assert [w(k) for k in range(7)] == pytest.approx([0.2, 0.4, 0.4, 0.2, 0.2, 0.2, 0.1])
    assert "warmup(step_decay(0.4" in repr(w)


@pytest.mark.parametrize("call, message", [
    (lambda: optim.SGD(-0.1), r"lr must be a finite number > 0.*steps against the gradient"),
    (lambda: optim.SGD(0.0), r"lr must be a finite number > 0"),
    (lambda: optim.Adam(float("nan")), r"lr must be a finite number > 0"),
    (lambda: optim.Momentum(float("inf")), r"lr must be a finite number > 0"),
    (lambda: optim.SGD("0.1"), r"lr must be a number > 0 or a schedule"),
    (lambda: optim.SGD(True), r"lr must be a number > 0 or a schedule"),
    (lambda: optim.Momentum(0.1, beta=1.0), r"beta must be a number in \[0, 1\).*never forgets"),
    (lambda: optim.Momentum(0.1, beta=-0.1), r"beta must be a number in \[0, 1\)"),
    (lambda: optim.RMSProp(0.1, beta=1.0), r"beta must be a number in \[0, 1\).*never move"),
    (lambda: optim.RMSProp(0.1, beta=1.5), r"beta must be a number in \[0, 1\)"),
    (lambda: optim.Adam(0.1, beta1=1.0), r"beta1 must be a number in \[0, 1\).*divide by 0"),
    (lambda: optim.Adam(0.1, beta2=1.0), r"beta2 must be a number in \[0, 1\).*divide by 0"),
    (lambda: optim.Adam(0.1, beta1=-0.5), r"beta1 must be a number in \[0, 1\)"),
    (lambda: optim.Adam(0.1, beta2=float("nan")), r"beta2 must be a number in \[0, 1\)"),
    (lambda: optim.RMSProp(0.1, eps=0.0), r"eps must be a finite number > 0"),
    (lambda: optim.Adam(0.1, eps=-1e-8), r"eps must be a finite number > 0"),
    (lambda: optim.constant(-1.0), r"lr must be a finite number > 0"),
    (lambda: optim.step_decay(0.1, factor=0.0), r"factor must be a number in \(0, 1\]"),
    (lambda: optim.step_decay(0.1, factor=1.5), r"factor must be a number in \(0, 1\]"),
    (lambda: optim.step_decay(0.1, every=0), r"every must be a whole number >= 1"),
    (lambda: optim.step_decay(0.1, every=2.5), r"every must be a whole number >= 1"),
    (lambda: optim.step_decay(-0.1), r"lr must be a finite number > 0"),
    (lambda: optim.cosine(0.1, total=0), r"total must be a whole number >= 1"),
    (lambda: optim.cosine(0.1, total=10.0), r"total must be a whole number >= 1"),
    (lambda: optim.cosine(0.1, total=10, lr_min=-0.01), r"lr_min must be a number in \[0, lr\]"),
    (lambda: optim.cosine(0.1, total=10, lr_min=0.2), r"lr_min must be a number in \[0, lr\]"),
    (lambda: optim.warmup(0.1, steps=0), r"steps must be a whole number >= 1"),
    (lambda: optim.warmup(0.1, steps=True), r"steps must be a whole number >= 1"),
    (lambda: optim.warmup(-0.1, steps=5), r"lr must be a finite number > 0"),
    (lambda: optim.warmup("fast", steps=5), r"base must be a number > 0 or a schedule"),
    (lambda: optim.constant(0.1)(-1), r"step k = 0, 1, 2"),
])
def test_bad_hyperparameters_teach(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_a_schedule_that_returns_a_bad_value_raises_at_that_step_naming_k():
    opt, theta = optim.SGD(lambda k: 0.1 if k < 3 else -0.1), np.zeros(1)
    for _ in range(3):
        opt.step(theta, np.ones(1))
    with pytest.raises(ValueError, match=r"returned -0.1 at step k=3.*finite number >= 0"):
        opt.step(theta, np.ones(1))
    assert opt.t == 3 and theta[0] == pytest.approx(-0.3)  # the bad step changed nothing
    nan_opt = optim.Adam(lambda k: float("nan"))
    with pytest.raises(ValueError, match="at step k=0"):
        nan_opt.step(np.zeros(1), np.ones(1))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_a_gradient_with_nan_or_inf_raises_naming_the_step(bad):
    opt, theta = optim.Momentum(0.1), np.zeros(2)
    opt.step(theta, np.ones(2))
    with pytest.raises(ValueError, match="NaN or inf at step 1"):
        opt.step(theta, np.array([1.0, bad]))
    assert np.array_equal(theta, [-0.1, -0.1])


@pytest.mark.parametrize("params, grads, message", [
    (np.zeros(2), np.zeros(3), r"grads has shape \(3,\) but its parameters have shape \(2,\)"),
    (np.zeros(2, dtype=int), np.zeros(2), "float numpy array"),
    ([1.0, 2.0], [0.1, 0.2], "float numpy array"),
    ([np.zeros(2)], np.zeros(2), "params and grads must match"),
    ([np.zeros(2), np.zeros(1)], [np.zeros(2)], "params and grads must match"),
    (np.zeros(2), np.array([1j, 2j]), "grads must be real numbers"),
    (np.zeros(2), "ab", "grads must be real numbers"),
])
def test_bad_params_or_grads_teach(params, grads, message):
    with pytest.raises(ValueError, match=message):
        optim.SGD(0.1).step(params, grads)


def test_other_shapes_after_the_first_step_raise():
    opt = optim.RMSProp(0.01)
    opt.step([np.zeros((2, 3)), np.zeros(3)], [np.ones((2, 3)), np.ones(3)])
    with pytest.raises(ValueError, match=r"shapes \[\(2, 3\), \(3,\)\].*got shapes \[\(4,\)\]"
                                         r".*reset\(\)"):
        opt.step(np.zeros(4), np.ones(4))


def test_repr_names_the_settings():
    assert repr(optim.Adam(0.01)) == "Adam(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-08)"
    assert repr(optim.SGD(optim.cosine(0.1, 50))) == "SGD(lr=cosine(0.1, total=50, lr_min=0.0))"


# --------------------------------------------------------------------- training
def blobs(n=90, seed=3):
    """Three well-separated classes in 2-D: a small separable problem."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3  # (n,)
    centers = np.array([[2.0, 0.0], [-1.0, 1.7], [-1.0, -1.7]])  # (3, 2)
    return centers[y] + 0.3 * rng.normal(size=(n, 2)), y  # (n, 2), (n,)


def small_net():
    return layers.Sequential.init([2, 6, 3], activation="tanh", rng=4)


@pytest.mark.parametrize("l2", [0.0, 0.01])
def test_train_with_sgd_equals_layers_train(l2):
    X, y = blobs()
    net_a, net_b = small_net(), small_net()
    h_a = layers.train(net_a, X, y, loss="softmax_cross_entropy", lr=0.2, epochs=4,
                       batch_size=16, rng=7, l2=l2)
    h_b = optim.train(net_b, X, y, optim.SGD(0.2), epochs=4, batch_size=16, rng=7, l2=l2)
    assert np.array_equal(h_a.loss, h_b.loss) and np.array_equal(h_a.epoch_loss, h_b.epoch_loss)
    assert np.array_equal(net_a.parameters(), net_b.parameters())


def test_train_with_sgd_equals_layers_train_in_float32():
    X, y = blobs()
    net_a = layers.Sequential.init([2, 6, 3], activation="relu", rng=4, dtype="float32")
    net_b = layers.Sequential.init([2, 6, 3], activation="relu", rng=4, dtype="float32")
    h_a = layers.train(net_a, X, y, loss="softmax_cross_entropy", lr=0.2, epochs=3)
    h_b = optim.train(net_b, X, y, optim.SGD(0.2), epochs=3)
    assert np.array_equal(h_a.loss, h_b.loss)
    assert net_b.parameters().dtype == np.float32
    assert np.array_equal(net_a.parameters(), net_b.parameters())
    optim.train(net_b, X, y, optim.Adam(0.01), epochs=1)  # the state is float32 too
    assert net_b.parameters().dtype == np.float32


def test_train_with_a_schedule_equals_layers_train_with_the_same_schedule():
    X, y = blobs()
    lr = optim.cosine(0.3, total=20)
    net_a, net_b = small_net(), small_net()
    h_a = layers.train(net_a, X, y, loss="softmax_cross_entropy", lr=lr, epochs=3, batch_size=16)
    h_b = optim.train(net_b, X, y, optim.SGD(lr), epochs=3, batch_size=16)
    assert np.array_equal(h_a.loss, h_b.loss)
    assert np.array_equal(net_a.parameters(), net_b.parameters())


def test_train_prints_the_same_progress_lines(capsys):
    X, y = blobs()
    layers.train(small_net(), X, y, loss="softmax_cross_entropy", lr=0.2, epochs=5, progress=2)
    expected = capsys.readouterr().out
    optim.train(small_net(), X, y, optim.SGD(0.2), epochs=5, progress=2)
    assert capsys.readouterr().out == expected and expected.count("\n") == 3


def test_adam_lowers_the_loss_on_a_separable_problem():
    X, y = blobs()
    net = small_net()
    history = optim.train(net, X, y, optim.Adam(0.02), epochs=15, batch_size=16)
    assert history.epoch_loss[-1] < 0.25 * history.epoch_loss[0]
    accuracy = np.mean(np.argmax(net.forward(X), axis=1) == y)
    assert accuracy == 1.0


def test_evaluate_each_epoch_is_called_once_per_epoch():
    X, y = blobs()
    calls = []
    net = small_net()
    optim.train(net, X, y, optim.Momentum(0.05), epochs=4,
                evaluate_each_epoch=lambda epoch, seen: calls.append((epoch, seen is net)))
    assert calls == [(1, True), (2, True), (3, True), (4, True)]


def test_train_continues_the_optimizers_step_count():
    X, y = blobs()
    opt, net = optim.Adam(0.01), small_net()
    optim.train(net, X, y, opt, epochs=2, batch_size=30)
    assert opt.t == 6  # 2 epochs of 3 mini-batches


def test_train_errors():
    X, y = blobs()
    with pytest.raises(ValueError, match="optimizer must be an optimizer"):
        optim.train(small_net(), X, y, 0.1)
    with pytest.raises(ValueError, match="evaluate_each_epoch must be None or a function"):
        optim.train(small_net(), X, y, optim.SGD(0.1), evaluate_each_epoch=3)
    with pytest.raises(ValueError, match="epochs must be a whole number >= 1"):
        optim.train(small_net(), X, y, optim.SGD(0.1), epochs=0)
    with pytest.raises(ValueError, match="activation 'identity'"):
        net = layers.Sequential.init([2, 3], output_activation="sigmoid", rng=0)
        optim.train(net, X, y, optim.SGD(0.1))
    bad_X = X.copy()
    bad_X[5, 0] = np.nan
    with pytest.raises(ValueError, match="X holds NaN or inf"):
        optim.train(small_net(), bad_X, y, optim.SGD(0.1))


def test_train_reports_divergence():
    X, y = blobs()
    with pytest.raises(TrainingDiverged, match=r"at step \d+ with lr=1e\+300"):
        optim.train(small_net(), 1e3 * X, y, optim.SGD(1e300), epochs=3)
