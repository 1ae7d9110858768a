"""The Chapter 2 exercise checks accept right answers and explain wrong ones."""

import numpy as np

from nnbook_utils import checks, linear


def unfinished(*args):
    raise NotImplementedError


def right_grad(w, b, X, y):
    error = X @ w + b - y
    return 2 * X.T @ error / len(y), float(np.mean(2 * error))


def test_mean_grad_loop_accepts_loops_and_matrices():
    def loops(w, b, X, y):
        n, d = X.shape
        dL_dw, dL_db = [0.0] * d, 0.0
        for k in range(n):
            e = b + sum(w[i] * X[k, i] for i in range(d)) - y[k]
            for i in range(d):
                dL_dw[i] += 2 * e * X[k, i] / n
            dL_db += 2 * e / n
        return dL_dw, dL_db

    assert checks.check_mean_grad_loop(loops)
    assert checks.check_mean_grad_loop(right_grad)
    assert checks.check_mean_grad_loop(linear.mean_grad)


def test_mean_grad_loop_explains_common_mistakes():
    cases = {
        "n times too large": lambda *a: tuple(len(a[3]) * g for g in right_grad(*a)),
        "factor 2": lambda *a: tuple(g / 2 for g in right_grad(*a)),
        "sign is flipped": lambda *a: tuple(-g for g in right_grad(*a)),
        "always 1": lambda *a: (right_grad(*a)[0], 0.0),
        "one partial derivative per weight": lambda *a: (float(np.sum(right_grad(*a)[0])), right_grad(*a)[1]),
        "forget `return`": lambda *a: None,
        "return a pair": lambda *a: 1.0,
        "finite differences give": lambda *a: (right_grad(*a)[0] + 1, right_grad(*a)[1]),
        "NotImplementedError": unfinished,
        "ZeroDivisionError": lambda *a: 1 / 0,
    }
    for expected, answer in cases.items():
        verdict = checks.check_mean_grad_loop(answer)
        assert not verdict and expected in verdict.message, (expected, verdict.message)


def right_weighted(w, b, X, y, q):
    error = q * (X @ w + b - y)
    return 2 * X.T @ error / np.sum(q), float(2 * np.sum(error) / np.sum(q))


def test_weighted_mean_grad_accepts_right_answers():
    def loops(w, b, X, y, q):
        dL_dw, dL_db, total = np.zeros(len(w)), 0.0, sum(q)
        for k in range(len(y)):
            e = X[k] @ w + b - y[k]
            dL_dw += 2 * q[k] * e * X[k] / total
            dL_db += 2 * q[k] * e / total
        return list(dL_dw), dL_db

    assert checks.check_weighted_mean_grad(right_weighted)
    assert checks.check_weighted_mean_grad(loops)


def test_weighted_mean_grad_explains_common_mistakes():
    cases = {
        "plain mean gradient": lambda w, b, X, y, q: right_grad(w, b, X, y),
        "not by n": lambda w, b, X, y, q: tuple(g * np.sum(q) / len(y) for g in right_weighted(w, b, X, y, q)),
        "factor 2": lambda *a: tuple(g / 2 for g in right_weighted(*a)),
        "sign is flipped": lambda *a: tuple(-g for g in right_weighted(*a)),
        "bias's terms by q_k": lambda w, b, X, y, q: (right_weighted(w, b, X, y, q)[0], right_grad(w, b, X, y)[1]),
        "finite differences give": lambda *a: (right_weighted(*a)[0] + 1, right_weighted(*a)[1]),
        "one partial derivative per weight": lambda *a: (1.0, 2.0),
        "forget `return`": lambda *a: None,
        "NotImplementedError": unfinished,
    }
    for expected, answer in cases.items():
        verdict = checks.check_weighted_mean_grad(answer)
        assert not verdict and expected in verdict.message, (expected, verdict.message)


def right_standardize(X):
    mu, s = X.mean(axis=0), X.std(axis=0)
    return (X - mu) / s, mu, s


def right_unscale(w_s, b_s, mu, s):
    return w_s / s, b_s - np.sum(w_s * mu / s)


def test_scaling_accepts_right_answers():
    assert checks.check_scaling(right_standardize, right_unscale)
    assert checks.check_scaling(linear.standardize, linear.unscale)


def test_scaling_explains_common_mistakes():
    def no_axis(X):
        return (X - X.mean()) / X.std(), X.mean(), X.std()

    def variance(X):
        mu, v = X.mean(axis=0), X.var(axis=0)
        return (X - mu) / v, mu, v

    def sample_std(X):
        mu, s = X.mean(axis=0), X.std(axis=0, ddof=1)
        return (X - mu) / s, mu, s

    def not_centred(X):
        _, mu, s = right_standardize(X)
        return X / s, mu, s

    cases = [
        (no_axis, right_unscale, "axis=0"),
        (variance, right_unscale, "variance"),
        (sample_std, right_unscale, "ddof=1"),
        (not_centred, right_unscale, "subtract the column means"),
        (right_standardize, lambda w_s, b_s, mu, s: (w_s * s, b_s), "wrong way"),
        (right_standardize, lambda w_s, b_s, mu, s: (w_s / s, b_s), "b also changes"),
        (right_standardize, lambda w_s, b_s, mu, s: (w_s / s, b_s + np.sum(w_s * mu / s)), "sign"),
        (right_standardize, lambda w_s, b_s, mu, s: (w_s / s, b_s - np.sum(w_s * mu)), "predictions"),
        (right_standardize, lambda w_s, b_s, mu, s: (w_s / s, "b"), "not one number"),
        (right_standardize, lambda w_s, b_s, mu, s: None, "should return (w, b)"),
        (lambda X: X, right_unscale, "should return (X_s, mu, s)"),
        (unfinished, right_unscale, "NotImplementedError"),
        (right_standardize, unfinished, "NotImplementedError"),
    ]
    for standardize, unscale, expected in cases:
        verdict = checks.check_scaling(standardize, unscale)
        assert not verdict and expected in verdict.message, (expected, verdict.message)


def test_gradient_checks_reject_complex_answers():
    """np.asarray(..., dtype=float) drops an imaginary part with only a warning; the
    checks must say "Not yet" instead of "Correct"."""
    grad_cases = [
        (checks.check_mean_grad_loop, lambda *a: (right_grad(*a)[0] + 1j, right_grad(*a)[1]), "dL_dw"),
        (checks.check_mean_grad_loop, lambda *a: (right_grad(*a)[0], np.complex128(right_grad(*a)[1] + 1j)),
         "dL_db"),
        (checks.check_weighted_mean_grad, lambda *a: (right_weighted(*a)[0] + 2j, right_weighted(*a)[1]),
         "dL_dw"),
    ]
    for check, answer, what in grad_cases:
        verdict = check(answer)
        assert not verdict and what in verdict.message and "complex" in verdict.message, verdict.message


def test_scaling_rejects_complex_answers():
    def complex_X_s(X):
        X_s, mu, s = right_standardize(X)
        return X_s + 3j, mu, s

    cases = [
        (complex_X_s, right_unscale, "X_s"),
        (right_standardize, lambda *a: (right_unscale(*a)[0] + 5j, right_unscale(*a)[1]), "w"),
        (right_standardize, lambda *a: (right_unscale(*a)[0], np.array(right_unscale(*a)[1] + 1j)), "b"),
    ]
    for standardize, unscale, what in cases:
        verdict = checks.check_scaling(standardize, unscale)
        assert not verdict and verdict.message.startswith(what) and "complex" in verdict.message, verdict.message


def test_checks_pass_copies_of_their_data():
    """An answer that changes its arguments in place cannot spoil the checks' own data."""
    def right_but_scribbles(w, b, X, y):
        grad = right_grad(w, b, X, y)
        X *= 2
        y += 1
        return grad

    def right_weighted_but_scribbles(w, b, X, y, q):
        grad = right_weighted(w, b, X, y, q)
        X *= 2
        return grad

    def unscale_scribbles(w_s, b_s, mu, s):
        w, b = right_unscale(w_s, b_s, mu, s)
        mu *= 3
        s *= 3
        return w, b

    assert checks.check_mean_grad_loop(right_but_scribbles)
    assert checks.check_weighted_mean_grad(right_weighted_but_scribbles)
    assert checks.check_scaling(right_standardize, unscale_scribbles)
