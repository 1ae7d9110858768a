"""nnbook_utils.gradcheck: the finite-difference check that every chapter uses."""

import numpy as np
import pytest

from nnbook_utils.gradcheck import agree, check_grad, numeric_grad


def test_numeric_grad_of_a_scalar_function():
    assert numeric_grad(lambda w: w**3, 2.0) == pytest.approx(12.0, rel=1e-8)
    assert isinstance(numeric_grad(lambda w: w**2, 1.0), float)


def test_numeric_grad_of_an_array_function_has_the_shape_of_its_input():
    W = np.arange(6.0).reshape(2, 3)  # (2, 3)
    g = numeric_grad(lambda V: np.sum(V**2), W)
    assert g.shape == (2, 3)
    assert np.allclose(g, 2 * W, atol=1e-6)


def test_numeric_grad_does_not_change_its_input():
    w = np.array([1.0, 2.0])
    numeric_grad(lambda v: np.sum(v**2), w)
    assert np.array_equal(w, [1.0, 2.0])


def test_numeric_grad_explains_bad_use():
    with pytest.raises(ValueError, match="return one number"):
        numeric_grad(lambda v: v * np.ones(3), 1.0)
    with pytest.raises(ValueError, match="return one number"):
        numeric_grad(lambda v: None, 1.0)
    with pytest.raises(ValueError, match="h must be positive"):
        numeric_grad(lambda v: v, 1.0, h=0)


def test_check_grad_prints_both_and_accepts_agreement(capsys):
    check_grad(2.48, 2.48 + 3e-11)
    assert capsys.readouterr().out == "analytic = 2.4800, numeric = 2.4800 (agree within 1e-06 x max(1, |gradient|), asserted)\n"


def test_check_grad_prints_no_rounding_noise(capsys):
    """The same check on two CPUs prints the same line: no difference digits, no -0.0000."""
    check_grad(np.array([-1e-17, 0.5]), np.array([1e-17, 0.5 + 1e-15]), tol=1e-8)
    check_grad(np.array([1e-17, 0.5]), np.array([0.0, 0.5]), tol=1e-8)
    first, second = capsys.readouterr().out.splitlines()
    assert first == second == "analytic = [0.0000 0.5000], numeric = [0.0000 0.5000] (agree within 1e-08 x max(1, |gradient|), asserted)"


def test_agree_prints_the_tolerance_never_the_difference(capsys):
    agree([1.0, np.ones((2, 2))], [1.0 + 1e-16, np.ones((2, 2)) - 4e-16], label="batch - one by one")
    agree(np.zeros(3), np.zeros(3), tol=1e-9)
    assert capsys.readouterr().out == ("max |batch - one by one| < 1e-12 (asserted)\n"
                                       "max |difference| < 1e-09 (asserted)\n")


def test_agree_fails_with_the_difference_and_explains_bad_input():
    with pytest.raises(AssertionError, match=r"max \|difference\| = 0.001, not below 1e-12"):
        agree(1.0, 1.001)
    with pytest.raises(ValueError, match=r"same shape: the first has shape \(2,\), the second \(3,\)"):
        agree(np.zeros(2), np.zeros(3))
    with pytest.raises(ValueError, match="first computation must give finite numbers"):
        agree(float("nan"), 1.0)
    with pytest.raises(ValueError, match="tol is a tolerance"):
        agree(1.0, 1.0, tol=0)


def test_check_grad_fails_on_disagreement():
    with pytest.raises(AssertionError, match="the gradients disagree"):
        check_grad(2.0, -2.0)
    with pytest.raises(AssertionError):
        check_grad(np.array([1.0, 2.0]), np.array([1.0, 2.1]))
    with pytest.raises(ValueError, match="shape"):
        check_grad(np.zeros(2), np.zeros(3))
    with pytest.raises(ValueError, match="analytic gradient must give finite numbers, got None"):
        check_grad(None, 1.0)
    with pytest.raises(ValueError, match="numeric gradient must give finite numbers"):
        check_grad(1.0, float("nan"))


def test_check_grad_tolerance_is_relative_for_large_gradients():
    check_grad(1e6, 1e6 + 0.5)  # 5e-7 relative: agrees
    with pytest.raises(AssertionError):
        check_grad(1.0, 1.0 + 1e-5)
