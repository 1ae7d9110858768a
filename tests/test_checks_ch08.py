"""Each check of Chapter 8 (part A: initialization, momentum) accepts a right answer and
explains the common wrong ones."""

from nnbook_utils import checks


def test_leaky_he_var():
    assert checks.check_leaky_he_var(lambda d_in, slope: 2 / ((1 + slope**2) * d_in))
    he = checks.check_leaky_he_var(lambda d_in, slope: 2 / d_in)
    assert not he and "He's 2/d_in" in he.message
    no_square = checks.check_leaky_he_var(lambda d_in, slope: 2 / ((1 + slope) * d_in))
    assert not no_square and "slope^2" in no_square.message
    inverse = checks.check_leaky_he_var(lambda d_in, slope: (1 + slope**2) / (2 * d_in))
    assert not inverse and "inverse" in inverse.message
    text = checks.check_leaky_he_var(lambda d_in, slope: "2/d_in")
    assert not text and "not one number" in text.message


def test_leaky_he_var_decides_by_the_exact_factor():
    # a simulated layer is only about 2% accurate: the decision must be the closed form
    off = checks.check_leaky_he_var(lambda d_in, slope: 1.02 * 2 / ((1 + slope**2) * d_in))
    assert not off and "1.02, not 1" in off.message
    at_zero = checks.check_leaky_he_var(
        lambda d_in, slope: 2 / ((1 + slope**2) * d_in) if slope > 0 else 2.05 / d_in)
    assert not at_zero and "slope 0.0" in at_zero.message
    assert checks.check_leaky_he_var(lambda d_in, slope: 2 / (d_in + d_in * slope * slope))


def right_step(theta, v, g, lr, beta):
    v_new = beta * v + g
    return theta - lr * v_new, v_new


def test_momentum_step():
    assert checks.check_momentum_step(right_step)
    ema = checks.check_momentum_step(
        lambda th, v, g, lr, b: (th - lr * (b * v + (1 - b) * g), b * v + (1 - b) * g))
    assert not ema and "running mean" in ema.message
    old_v = checks.check_momentum_step(lambda th, v, g, lr, b: (th - lr * v, b * v + g))
    assert not old_v and "old velocity" in old_v.message
    sign = checks.check_momentum_step(
        lambda th, v, g, lr, b: (th + lr * (b * v + g), b * v + g))
    assert not sign and "sign" in sign.message
    swapped = checks.check_momentum_step(lambda *a: right_step(*a)[::-1])
    assert not swapped and "swapped" in swapped.message
    one = checks.check_momentum_step(lambda *a: right_step(*a)[0])
    assert not one and "two arrays" in one.message
    scalar = checks.check_momentum_step(lambda th, v, g, lr, b: (1.0, 2.0))
    assert not scalar and "shape" in scalar.message
