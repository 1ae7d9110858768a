"""Each check of Chapter 8, part B (Adam's step, a linear-decay schedule) accepts a right
answer and explains the common wrong ones."""

import numpy as np

from nnbook_utils import checks


def right_adam(theta, m, s, g, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * g
    s = beta2 * s + (1 - beta2) * g * g
    m_hat, s_hat = m / (1 - beta1**t), s / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(s_hat) + eps), m, s


def test_adam_step():
    assert checks.check_adam_step(right_adam)

    def no_correction(theta, m, s, g, t, lr, beta1, beta2, eps):
        m = beta1 * m + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g * g
        return theta - lr * m / (np.sqrt(s) + eps), m, s

    verdict = checks.check_adam_step(no_correction)
    assert not verdict and "bias correction" in verdict.message

    def plain_g_in_s(theta, m, s, g, t, lr, beta1, beta2, eps):
        new = right_adam(theta, m, s, g, t, lr, beta1, beta2, eps)
        return new[0], new[1], beta2 * s + (1 - beta2) * g

    verdict = checks.check_adam_step(plain_g_in_s)
    assert not verdict and "squared" in verdict.message

    def momentum_m(theta, m, s, g, t, lr, beta1, beta2, eps):
        new = right_adam(theta, m, s, g, t, lr, beta1, beta2, eps)
        return new[0], beta1 * m + g, new[2]

    verdict = checks.check_adam_step(momentum_m)
    assert not verdict and "(1 - beta1) g" in verdict.message

    def from_zero(theta, m, s, g, t, lr, beta1, beta2, eps):
        return right_adam(theta, m, s, g, t - 1, lr, beta1, beta2, eps)

    verdict = checks.check_adam_step(from_zero)
    assert not verdict and "t = 1" in verdict.message

    def flipped(theta, m, s, g, t, lr, beta1, beta2, eps):
        new = right_adam(theta, m, s, g, t, lr, beta1, beta2, eps)
        return 2 * theta - new[0], new[1], new[2]

    verdict = checks.check_adam_step(flipped)
    assert not verdict and "sign" in verdict.message
    two = checks.check_adam_step(lambda *a: right_adam(*a)[:2])
    assert not two and "three arrays" in two.message


def test_linear_decay():
    def right(lr, total):
        return lambda t: lr * (1 - t / total) if t < total else 0.0

    assert checks.check_linear_decay(right)
    negative = checks.check_linear_decay(lambda lr, total: lambda t: lr * (1 - t / total))
    assert not negative and "never goes negative" in negative.message
    off = checks.check_linear_decay(
        lambda lr, total: lambda t: max(0.0, lr * (1 - (t + 1) / total)))
    assert not off and ("Off by one" in off.message or "t = 0" in off.message)
    number = checks.check_linear_decay(lambda lr, total: lr)
    assert not number and "function of the step" in number.message
    crashing = checks.check_linear_decay(lambda lr, total: lambda t: 1 / 0)
    assert not crashing and "ZeroDivisionError" in crashing.message
    text = checks.check_linear_decay(lambda lr, total: lambda t: "slow")
    assert not text and "not one number" in text.message
