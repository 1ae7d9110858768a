"""nnbook_utils.checks: the exercise checks accept right answers and explain wrong ones."""

import inspect
import re

import numpy as np
import pytest

from helpers import CHAPTERS, code_cells, read
from nnbook_utils import checks, data


def unfinished(*args):
    raise NotImplementedError


def test_abs_loss_grad():
    assert checks.check_abs_loss_grad(lambda w, x, y: np.sign(w * x - y) * x)
    wrong_sign = checks.check_abs_loss_grad(lambda w, x, y: -np.sign(w * x - y) * x)
    assert not wrong_sign and "sign is flipped" in wrong_sign.message
    no_chain = checks.check_abs_loss_grad(lambda w, x, y: np.sign(w * x - y))
    assert not no_chain and "chain rule" in no_chain.message
    squared = checks.check_abs_loss_grad(lambda w, x, y: 2 * (w * x - y) * x)
    assert not squared and "squared loss" in squared.message
    scalar_only = checks.check_abs_loss_grad(lambda w, x, y: x if w * x > y else -x)
    assert not scalar_only and "arrays" in scalar_only.message


def test_bias_grads():
    def right(w, b, x, y):
        e = w * x + b - y
        return np.mean(2 * e * x), np.mean(2 * e)

    assert checks.check_bias_grads(right)
    swapped = checks.check_bias_grads(lambda *a: right(*a)[::-1])
    assert not swapped and "swapped" in swapped.message
    summed = checks.check_bias_grads(lambda w, b, x, y: tuple(len(x) * g for g in right(w, b, x, y)))
    assert not summed and "average" in summed.message
    assert not checks.check_bias_grads(lambda *a: 1.0)


def test_steps_to_tolerance():
    def right(w0, x, y, lr, tol):
        w_star = np.mean(x * y) / np.mean(x**2)
        r = 1 - 2 * lr * np.mean(x**2)
        return max(0, int(np.ceil(np.log(tol / abs(w0 - w_star)) / np.log(abs(r)))))

    assert checks.check_steps_to_tolerance(right)
    off_by_one = checks.check_steps_to_tolerance(lambda *a: right(*a) + 1)
    assert not off_by_one and "off by one" in off_by_one.message
    chapter_x, chapter_y = data.km_to_miles()
    ignores_its_data = checks.check_steps_to_tolerance(lambda w0, x, y, lr, tol: right(w0, chapter_x, chapter_y, lr, tol))
    assert not ignores_its_data



def test_abs_loss_grad_names_the_shape_when_np_sign_answers_reduce_or_wrap():
    # An answer that does use np.sign but returns the wrong shape for arrays is told
    # the shape, not "use np.sign instead of if/else".
    summed = checks.check_abs_loss_grad(lambda w, x, y: np.sum(np.sign(w * x - y) * x))
    assert not summed and "shape ()" in summed.message and "np.sign" not in summed.message
    wrapped = checks.check_abs_loss_grad(lambda w, x, y: [np.sign(w * x - y) * x])
    assert not wrapped and "got shape (1," in wrapped.message
    scalar_only = checks.check_abs_loss_grad(lambda w, x, y: x if w * x > y else -x)
    assert not scalar_only and "np.sign" in scalar_only.message


def test_steps_to_tolerance_keeps_huge_answers_readable():
    huge = checks.check_steps_to_tolerance(lambda *a: 1e300)
    assert not huge and "1e+300" in huge.message and len(huge.message) < 200
    fraction = checks.check_steps_to_tolerance(lambda *a: 2.5)
    assert not fraction and "got 2.5 " in fraction.message


ALL_CHECKS = [f for name, f in inspect.getmembers(checks, inspect.isfunction) if name.startswith("check_")]


def test_every_exercise_check_is_tested_for_unfinished_answers():
    # the chapters' starter cells call checks.check_...; each of those is in ALL_CHECKS
    used = {m for path in CHAPTERS for c in code_cells(read(path)) for m in re.findall(r"checks\.(check_\w+)\(", c.source)}
    assert used and used <= {f.__name__ for f in ALL_CHECKS}


@pytest.mark.parametrize("check", ALL_CHECKS, ids=lambda f: f.__name__)
def test_unfinished_crashing_and_empty_answers_are_reported_not_raised(check):
    # A reader's answer that is unfinished, crashes, or returns nothing gets a verdict
    # that says so, never a traceback (every function the check takes gets that answer).
    n = len(inspect.signature(check).parameters)
    verdict = check(*[unfinished] * n)
    assert not verdict and "NotImplementedError" in verdict.message
    crashed = check(*[lambda *a: 1 / 0] * n)
    assert not crashed and "ZeroDivisionError" in crashed.message
    empty = check(*[lambda *a: None] * n)
    assert not empty
    if n == 1:
        assert "forget `return" in empty.message


def test_common_mistakes_are_explained_not_raised():
    forgot = checks.check_steps_to_tolerance(lambda *a: None)
    assert not forgot and "forget `return`" in forgot.message
    array = checks.check_steps_to_tolerance(lambda *a: np.array([1, 2]))
    assert not array and "not one number" in array.message
    fraction = checks.check_steps_to_tolerance(lambda *a: 2.5)
    assert not fraction and "whole number" in fraction.message
    text = checks.check_abs_loss_grad(lambda w, x, y: "slope")
    assert not text and "not one number" in text.message
    none = checks.check_abs_loss_grad(lambda w, x, y: None)
    assert not none and "forget `return`" in none.message
    per_example = checks.check_bias_grads(lambda w, b, x, y: (2 * (w * x + b - y) * x, 2 * (w * x + b - y)))
    assert not per_example and "take the mean" in per_example.message
    strings = checks.check_bias_grads(lambda *a: ("a", "b"))
    assert not strings and "not one number" in strings.message
    assert "forget" in checks.check_bias_grads(lambda *a: None).message


def test_verdict_reads_as_one_line():
    assert repr(checks.Verdict(True, "fine")) == "Correct: fine"
    assert repr(checks.Verdict(False, "why")) == "Not yet: why"


ODD_ANSWERS = {
    "a string": "slope",
    "a dict": {"a": 1},
    "a ragged tuple": (1.0, (2.0, 3.0)),
    "a ragged list": [1.0, [2.0, 3.0]],
    "a tuple of arrays of different lengths": (np.zeros(2), np.zeros(3)),
    "a 3-d array": np.zeros((2, 2, 2)),
    "NaN": float("nan"),
    "a 0-d array": np.array(1.0),
    "a pair with a ragged entry": ([1.0, [2.0]], 3.0),
    "a number as a string": "30",
    "a complex number": 1 + 1j,
    "a truth value": True,
    "an integer too large for a float": [[10**400]],
}


@pytest.mark.parametrize("answer", list(ODD_ANSWERS), ids=str)
@pytest.mark.parametrize("check", ALL_CHECKS, ids=lambda f: f.__name__)
def test_odd_answers_get_a_verdict_not_a_traceback(check, answer):
    # Whatever type or shape a reader's function returns, the check answers "Not yet"
    # with a reason; it never raises (every function the check takes returns that value).
    value = ODD_ANSWERS[answer]
    n = len(inspect.signature(check).parameters)
    verdict = check(*[lambda *a, value=value: value] * n)
    assert isinstance(verdict, checks.Verdict) and not verdict
    assert verdict.message
