"""The update rules and schedules Chapter 8 defines in its own cells (rmsprop_step,
adam_step, step_decay, cosine, warmup) agree with nnbook_utils.optim on seeded inputs.

The chapter's code cells are run in order in a fresh namespace (matplotlib draws off
screen)."""

import numpy as np
import pytest

from helpers import ROOT, run_chapter
from nnbook_utils import optim

CHAPTER_8 = ROOT / "chapters" / "08_making_training_work.ipynb"


@pytest.fixture(scope="module")
def ch8():
    return run_chapter(CHAPTER_8)


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
