"""The functions Chapter 3 defines in its own cells agree with the package's reference
versions (nnbook_utils.activations, .losses, .logistic, .data) on the same seeded inputs.

The chapter's code cells are run in order in a fresh namespace (matplotlib draws off
screen), then its functions are compared with the package's."""

import numpy as np
import pytest

from helpers import ROOT, run_chapter
from nnbook_utils import activations, checks, data, logistic, losses

CHAPTER_3 = ROOT / "chapters" / "03_activations_and_a_decision.ipynb"


@pytest.fixture(scope="module")
def ch3():
    return run_chapter(CHAPTER_3)


@pytest.fixture
def inputs():
    rng = np.random.default_rng(42)
    X = rng.normal(size=(30, 3))  # (30, 3)
    y = (rng.uniform(size=30) < 0.5).astype(float)  # (30,)
    params = [(rng.normal(size=3), float(rng.normal())) for _ in range(4)]
    z = np.concatenate([rng.uniform(-6, 6, size=40), [-1.0, 0.0, 1.0]])  # (43,)
    return X, y, params, z


@pytest.mark.parametrize("name", ["step", "sigmoid", "tanh", "relu"])
def test_activations_and_their_slopes_agree(ch3, inputs, name):
    z = inputs[3]
    f, df = activations.get(name)
    assert np.allclose(ch3[name](z), f(z), rtol=1e-12, atol=1e-15)
    assert np.allclose(ch3["d_" + name](z), df(z), rtol=1e-12, atol=1e-15)


def test_losses_agree(ch3, inputs):
    z, y = inputs[3][:40], np.tile([0.0, 1.0], 20)
    y_hat = ch3["sigmoid"](z)  # (40,)
    assert np.allclose(ch3["bce"](y_hat, y), losses.binary_cross_entropy(y_hat, y), rtol=1e-10)
    assert np.allclose(ch3["d_bce"](y_hat, y), losses.d_binary_cross_entropy(y_hat, y), rtol=1e-10)
    assert np.allclose(ch3["bce_from_z"](z, y), logistic.bce_from_z(z, y), rtol=1e-10)
    assert np.allclose(ch3["bce_stable"](z, y), logistic.bce_from_z(z, y), rtol=1e-12)
    far = np.array([-800.0, 800.0])
    assert np.allclose(ch3["bce_stable"](far, np.zeros(2)), logistic.bce_from_z(far, np.zeros(2)))
    # (eq-ch3-delta-se) is the squared error's slope through the sigmoid
    expected = losses.d_squared_error(y_hat, y) * activations.d_sigmoid(z)
    assert np.allclose(ch3["delta_squared"](z, y), expected, rtol=1e-10)


def test_classifier_functions_agree(ch3, inputs):
    X, y, params, _ = inputs
    for w, b in params:
        assert np.allclose(ch3["preact"](w, b, X), logistic.preactivation(w, b, X), rtol=1e-12)
        assert np.allclose(ch3["predict_proba"](w, b, X), logistic.predict_proba(w, b, X), rtol=1e-12)
        assert np.array_equal(ch3["predict"](w, b, X), logistic.predict(w, b, X))
        assert ch3["mean_loss"](w, b, X, y) == pytest.approx(logistic.mean_loss(w, b, X, y), rel=1e-12)
        assert ch3["accuracy"](w, b, X, y) == logistic.accuracy(w, b, X, y)
        dL_dw, dL_db = ch3["mean_grad"](w, b, X, y)
        ref_dw, ref_db = logistic.mean_grad(w, b, X, y)
        assert np.allclose(dL_dw, ref_dw, rtol=1e-12) and dL_db == pytest.approx(ref_db, rel=1e-12)
        one_dw, one_db = ch3["grad"](w, b, X[0], y[0])  # (eq-ch3-grad) is the mean grad of one example
        ref_dw, ref_db = logistic.mean_grad(w, b, X[:1], y[:1])
        assert np.allclose(one_dw, ref_dw, rtol=1e-12) and one_db == pytest.approx(ref_db, rel=1e-12)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_chain_rule_through_an_activation_agrees(ch3, inputs, name):
    # (eq-ch3-chain) with L = (a - y)^2: dL/da (losses) * da/dz (activations) * dz/dw_i = x_i
    X, y, params, _ = inputs
    f, df = activations.get(name)
    for (w, b), x, target in zip(params, X, y):
        z = x @ w + b
        dL_dz = losses.d_squared_error(f(z), target) * df(z)
        dL_dw, dL_db = ch3["grad_squared"](w, b, x, target, ch3[name], ch3["d_" + name])
        assert np.allclose(dL_dw, dL_dz * x, rtol=1e-12) and dL_db == pytest.approx(dL_dz, rel=1e-12)


def test_training_with_an_error_signal_agrees(ch3, inputs):
    # train_with, given the cross-entropy's error signal (eq-ch3-delta), is logistic.train
    X, y, params, _ = inputs
    w0, b0 = params[1]
    w, b = ch3["train_with"](lambda z, t: ch3["sigmoid"](z) - t, w0, b0, X, y, 0.3, 25)
    reference = logistic.train(w0, b0, X, y, 0.3, 25)
    assert np.allclose(w, reference.w[-1], rtol=1e-12) and b == pytest.approx(reference.b[-1], rel=1e-12)


def test_training_and_boundary_agree(ch3, inputs):
    X, y, params, _ = inputs
    w0, b0 = params[0]
    ws, bs, losses_chapter = ch3["train"](w0, b0, X, y, 0.3, 25)
    reference = logistic.train(w0, b0, X, y, 0.3, 25)
    assert np.allclose(ws, reference.w, rtol=1e-12)
    assert np.allclose(bs, reference.b, rtol=1e-12)
    assert np.allclose(losses_chapter, reference.loss, rtol=1e-12)
    x1 = np.linspace(-2, 2, 7)
    w2d = np.array([0.8, -1.3])
    assert np.allclose(ch3["decision_line"](w2d, 0.4, x1), logistic.decision_line(w2d, 0.4, x1))


def test_data_and_trained_neuron_agree(ch3):
    X, y = data.two_blobs(n=100, rng=np.random.default_rng(0))
    assert np.array_equal(ch3["X"], X) and np.array_equal(ch3["y"], y)
    reference = logistic.train(np.zeros(2), 0.0, X, y, lr=0.5, steps=200)
    assert np.allclose(ch3["w_fit"], reference.w[-1], rtol=1e-12)
    assert ch3["b_fit"] == pytest.approx(reference.b[-1], rel=1e-12)
    assert logistic.accuracy(reference.w[-1], reference.b[-1], X, y) >= 0.9


def test_error_signal_gradient_agrees(ch3, inputs):
    # (eq-ch3-mean-grad-delta) with delta = y_hat - y is (eq-ch3-mean-grad)
    X, y, params, _ = inputs
    for w, b in params:
        delta = logistic.predict_proba(w, b, X) - y
        dL_dw, dL_db = ch3["mean_grad_from_delta"](delta, X)
        ref_dw, ref_db = logistic.mean_grad(w, b, X, y)
        assert np.allclose(dL_dw, ref_dw, rtol=1e-12) and dL_db == pytest.approx(ref_db, rel=1e-12)


def test_hessian_and_newton_agree(ch3, inputs):
    X, y, params, _ = inputs
    for w, b in params:  # (eq-ch3-hessian)
        assert np.allclose(ch3["hessian"](w, b, X), logistic.hessian(w, b, X), rtol=1e-12, atol=1e-15)
    X2, y2 = ch3["X"], ch3["y"]  # (eq-ch3-newton): the chapter's referee is the package's
    best = logistic.newton(np.zeros(2), 0.0, X2, y2)
    assert best.steps == 9
    assert np.allclose(np.append(best.w, best.b), ch3["theta_star"], rtol=1e-10)
    w_dw, w_db = logistic.mean_grad(best.w, best.b, X2, y2)
    assert np.linalg.norm(np.append(w_dw, w_db)) < 1e-12
    # gradient descent of the chapter approaches it
    assert np.max(np.abs(np.append(ch3["w_t"], ch3["b_t"]) - ch3["theta_star"])) < 1e-5


def test_newton_refuses_data_that_a_line_separates(ch3):
    with pytest.raises(ValueError, match="no minimum"):
        logistic.newton(np.zeros(2), 0.0, ch3["X_sep"], ch3["y_sep"])
    with pytest.raises(ValueError, match="did not reach"):
        logistic.newton(np.zeros(2), 0.0, ch3["X"], ch3["y"], max_steps=3)


def test_perceptron_claims(ch3):
    # (eq-ch3-perceptron): it learns OR (separable) and never settles on XOR
    assert ch3["mistakes"][-1] == 0
    assert np.array_equal(activations.step(ch3["X_bits"] @ ch3["w_p"] + ch3["b_p"]), ch3["y_or"])
    assert min(ch3["mistakes_x"]) >= 1


def test_separable_weights_grow(ch3):
    assert np.all(np.diff(ch3["norms"]) > 0) and np.all(np.diff(ch3["losses_sep"]) < 0)
    assert logistic.accuracy(ch3["w_star"], ch3["b_star"], ch3["X_sep"], ch3["y_sep"]) == 1.0


def test_xor_claims(ch3):
    assert ch3["acc"].max() == 0.75
    assert ch3["losses_x"][-1] == pytest.approx(np.log(2), abs=1e-3)
    assert not np.any(ch3["ones"] & ch3["zeros"])
    assert np.array_equal(logistic.predict(ch3["w_xor3"], ch3["b_xor3"], ch3["X_xor3"]), ch3["y_xor"])


def test_exercise_solutions_pass_their_checks(ch3):
    assert checks.check_d_softplus(ch3["d_softplus"])
    assert checks.check_bce_grad(ch3["bce_grad"])
