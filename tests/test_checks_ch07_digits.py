"""Each check of Chapter 7, part B (the digits, overfitting and L2) accepts a right
answer and explains the common wrong ones."""

import numpy as np

from nnbook_utils import checks


def right_counts(y, y_pred, n_classes):
    flat = np.asarray(y) * n_classes + np.asarray(y_pred)
    return np.bincount(flat, minlength=n_classes**2).reshape(n_classes, n_classes)


def right_step(theta, grad, lr, l2):
    return (1 - 2 * lr * l2) * theta - lr * grad


def test_confusion_counts_accepts_a_right_answer_and_the_loop():
    assert checks.check_confusion_counts(right_counts)

    def loop(y, y_pred, n_classes):
        M = np.zeros((n_classes, n_classes), dtype=int)
        for a, b in zip(y, y_pred):
            M[a, b] += 1
        return M

    assert checks.check_confusion_counts(loop)


def test_confusion_counts_explains_the_common_mistakes():
    transposed = checks.check_confusion_counts(lambda y, p, Q: right_counts(y, p, Q).T)
    assert not transposed and "transposed" in transposed.message
    fractions = checks.check_confusion_counts(
        lambda y, p, Q: (lambda M: M / np.maximum(M.sum(1, keepdims=True), 1))(right_counts(y, p, Q)))
    assert not fractions and "counts" in fractions.message
    diagonal = checks.check_confusion_counts(
        lambda y, p, Q: np.diag(np.diag(right_counts(y, p, Q))))
    assert not diagonal and "diagonal" in diagonal.message
    too_small = checks.check_confusion_counts(
        lambda y, p, Q: right_counts(y, p, int(max(y.max(), p.max())) + 1))
    assert not too_small and "minlength" in too_small.message
    todo = checks.check_confusion_counts(lambda *a: (_ for _ in ()).throw(NotImplementedError))
    assert not todo and "NotImplementedError" in todo.message
    assert "forget `return`" in checks.check_confusion_counts(lambda *a: None).message


def test_decay_step_accepts_a_right_answer():
    assert checks.check_decay_step(right_step)
    assert checks.check_decay_step(lambda t, g, lr, l2: t - lr * (g + 2 * l2 * t))


def test_decay_step_explains_the_common_mistakes():
    cases = {
        "factor 2": lambda t, g, lr, l2: (1 - lr * l2) * t - lr * g,
        "learning rate multiplies": lambda t, g, lr, l2: (1 - 2 * l2) * t - lr * g,
        "with a minus": lambda t, g, lr, l2: (1 + 2 * lr * l2) * t - lr * g,
        "l2 is not used": lambda t, g, lr, l2: t - lr * g,
        "not theta after the step": lambda t, g, lr, l2: (1 - 2 * lr * l2) * (t - lr * g),
        "uphill": lambda t, g, lr, l2: t + lr * (g + 2 * l2 * t),
    }
    for words, wrong in cases.items():
        verdict = checks.check_decay_step(wrong)
        assert not verdict and words in verdict.message, (words, verdict.message)
    shape = checks.check_decay_step(lambda t, g, lr, l2: right_step(t, g, lr, l2)[:-1])
    assert not shape and "shape" in shape.message
    nan = checks.check_decay_step(lambda t, g, lr, l2: np.full_like(t, np.nan))
    assert not nan and "NaN" in nan.message
