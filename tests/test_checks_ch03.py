"""The Chapter 3 exercise checks (nnbook_utils.checks): they accept right answers and
explain wrong ones."""

import math

import numpy as np
import pytest

from nnbook_utils import checks


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def stable_sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def test_d_softplus():
    assert checks.check_d_softplus(stable_sigmoid)
    # 1 / (1 + exp(-z)) overflows harmlessly: exp(800) = inf gives 1 / inf = 0, the right slope
    assert checks.check_d_softplus(sigmoid)
    overflow = checks.check_d_softplus(lambda z: np.exp(z) / (1 + np.exp(z)))
    assert not overflow and "z = -800 and 800" in overflow.message and "nan" in overflow.message
    itself = checks.check_d_softplus(lambda z: np.log1p(np.exp(z)))
    assert not itself and "softplus itself" in itself.message
    flipped = checks.check_d_softplus(lambda z: sigmoid(-z))
    assert not flipped and "no minus sign" in flipped.message
    no_outer = checks.check_d_softplus(np.exp)
    assert not no_outer and "outer link" in no_outer.message
    scalar_only = checks.check_d_softplus(lambda z: math.exp(z) / (1 + math.exp(z)))
    assert not scalar_only and "array" in scalar_only.message
    other = checks.check_d_softplus(lambda z: np.tanh(z))
    assert not other and "at z =" in other.message


def test_d_softplus_overflow_is_reported_not_warned(recwarn):
    verdict = checks.check_d_softplus(lambda z: np.exp(z) / (1 + np.exp(z)))
    assert not verdict and not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def right_bce_grad(w, b, X, y):
    delta = sigmoid(X @ w + b) - y
    return X.T @ delta / len(y), np.mean(delta)


def test_bce_grad():
    assert checks.check_bce_grad(right_bce_grad)
    flipped = checks.check_bce_grad(lambda *a: tuple(-g for g in right_bce_grad(*a)))
    assert not flipped and "sign is flipped" in flipped.message
    summed = checks.check_bce_grad(lambda w, b, X, y: tuple(len(y) * g for g in right_bce_grad(w, b, X, y)))
    assert not summed and "don't sum" in summed.message
    swapped = checks.check_bce_grad(lambda *a: right_bce_grad(*a)[::-1])
    assert not swapped and "swapped" in swapped.message

    def squared(w, b, X, y):
        p = sigmoid(X @ w + b)
        delta = 2 * (p - y) * p * (1 - p)
        return X.T @ delta / len(y), np.mean(delta)

    se = checks.check_bce_grad(squared)
    assert not se and "squared error" in se.message

    def no_input(w, b, X, y):
        delta = sigmoid(X @ w + b) - y
        return np.full(len(w), delta.mean()), delta.mean()

    missing_x = checks.check_bce_grad(no_input)
    assert not missing_x and "x_i" in missing_x.message

    def no_sigmoid(w, b, X, y):
        delta = X @ w + b - y
        return X.T @ delta / len(y), np.mean(delta)

    linear = checks.check_bce_grad(no_sigmoid)
    assert not linear and "sigma(z)" in linear.message

    def per_example(w, b, X, y):
        delta = sigmoid(X @ w + b) - y
        return delta[:, None] * X, delta

    rows = checks.check_bce_grad(per_example)
    assert not rows and "mean over the examples" in rows.message
    wrong_shape = checks.check_bce_grad(lambda w, b, X, y: (np.zeros(len(w) + 1), 0.0))
    assert not wrong_shape and "one entry per weight" in wrong_shape.message

    def two_inputs_only(w, b, X, y):  # right for d = 2, but the number of inputs is fixed
        delta = sigmoid(X[:, 0] * w[0] + X[:, 1] * w[1] + b) - y
        return np.array([np.mean(delta * X[:, 0]), np.mean(delta * X[:, 1])]), np.mean(delta)

    fixed_d = checks.check_bce_grad(two_inputs_only)
    assert not fixed_d and "d = 3" in fixed_d.message


def test_odd_answers_are_explained_not_raised():
    # (unfinished, crashing and empty answers: tests/test_checks.py, for every check)
    text = checks.check_d_softplus(lambda z: "slope")
    assert not text and "not one number" in text.message
    one = checks.check_bce_grad(lambda *a: 1.0)
    assert not one and "two things" in one.message
    strings = checks.check_bce_grad(lambda w, b, X, y: (np.zeros(len(w)), "b"))
    assert not strings and "not one number" in strings.message


def right_far_only_wrong(answer_at_800):
    """A d_softplus that is right for moderate z and arrays, but returns answer_at_800
    for the array z = (-800, 800)."""
    def d_softplus(z):
        z = np.asarray(z)
        if z.ndim and np.max(np.abs(z)) > 100:
            return answer_at_800
        return stable_sigmoid(z)
    return d_softplus


@pytest.mark.parametrize("answer", [{"a": 1}, "big", [[1], [1, 2]], [1 + 1j, 2]])
def test_d_softplus_explains_odd_answers_at_800(answer):
    verdict = checks.check_d_softplus(right_far_only_wrong(answer))
    assert not verdict and "z = -800 and 800" in verdict.message and repr(answer) in verdict.message


def test_complex_and_string_answers_are_refused():
    for fn in [lambda z: stable_sigmoid(z) + 1j, lambda z: "0.5"]:
        verdict = checks.check_d_softplus(fn)
        assert not verdict and "not one number" in verdict.message and "real" in verdict.message
    complex_w = checks.check_bce_grad(lambda *a: (right_bce_grad(*a)[0] + 1j, right_bce_grad(*a)[1]))
    assert not complex_w and "not an array of real numbers" in complex_w.message
    complex_b = checks.check_bce_grad(lambda *a: (right_bce_grad(*a)[0], right_bce_grad(*a)[1] + 1j))
    assert not complex_b and "complex" in complex_b.message
    string_b = checks.check_bce_grad(lambda *a: (right_bce_grad(*a)[0], str(right_bce_grad(*a)[1])))
    assert not string_b and "string" in string_b.message


def test_bce_grad_number_and_ragged_list_is_explained():
    verdict = checks.check_bce_grad(lambda w, b, X, y: (0.5, [[1], [1, 2]]))
    assert not verdict and "one entry per weight" in verdict.message


def test_bce_grad_accepts_db_of_shape_one():
    assert checks.check_bce_grad(lambda *a: (right_bce_grad(*a)[0], np.array([right_bce_grad(*a)[1]])))


def test_d_softplus_notes_a_harmless_overflow(recwarn):
    # 1 / (1 + exp(-z)) is right at z = -800 (1 / (1 + inf) = 0), but np.exp overflows
    # there: the check passes it, names the overflow, and keeps numpy's warning quiet
    noted = checks.check_d_softplus(sigmoid)
    assert noted and "overflow encountered in exp" in noted.message
    assert "never overflows" in noted.message and "without overflow" not in noted.message
    clean = checks.check_d_softplus(stable_sigmoid)
    assert clean and "no warning" in clean.message and "Note" not in clean.message
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_d_softplus_overflow_note_when_numpy_raises():
    old = np.seterr(all="raise")  # a reader who made numpy raise on overflow
    try:
        verdict = checks.check_d_softplus(sigmoid)
    finally:
        np.seterr(**old)
    assert verdict and "overflow encountered in exp" in verdict.message
