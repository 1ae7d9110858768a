"""Each check of Chapter 7 (part A: several classes) accepts a right answer and explains
the common wrong ones."""

import numpy as np

from nnbook_utils import checks


def right_softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def test_batch_softmax():
    assert checks.check_batch_softmax(right_softmax)

    def naive(Z):
        with np.errstate(over="ignore", invalid="ignore"):
            return np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)

    overflow = checks.check_batch_softmax(naive)
    assert not overflow and "overflows" in overflow.message

    def one_max(Z):
        with np.errstate(under="ignore", invalid="ignore"):
            E = np.exp(Z - Z.max())
            return E / E.sum(axis=1, keepdims=True)

    global_max = checks.check_batch_softmax(one_max)
    assert not global_max and "own maximum" in global_max.message

    def columns(Z):
        E = np.exp(Z - Z.max(axis=0, keepdims=True))
        return E / E.sum(axis=0, keepdims=True)

    wrong_axis = checks.check_batch_softmax(columns)
    assert not wrong_axis and "axis=1" in wrong_axis.message
    undivided = checks.check_batch_softmax(lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True)))
    assert not undivided and "sum to 1" in undivided.message
    flat = checks.check_batch_softmax(lambda Z: right_softmax(Z).ravel())
    assert not flat and "shape" in flat.message
    none = checks.check_batch_softmax(lambda Z: None)
    assert not none and "return" in none.message


def right_jacobian(z):
    p = np.exp(z - z.max())
    p /= p.sum()
    return np.diag(p) - np.outer(p, p)


def test_softmax_jacobian():
    assert checks.check_softmax_jacobian(right_jacobian)

    def probs(z):
        p = np.exp(z - z.max())
        return p / p.sum()

    diagonal = checks.check_softmax_jacobian(lambda z: np.diag(probs(z) * (1 - probs(z))))
    assert not diagonal and "every other probability" in diagonal.message
    no_diag = checks.check_softmax_jacobian(lambda z: -np.outer(probs(z), probs(z)))
    assert not no_diag and "diagonal term" in no_diag.message
    flipped = checks.check_softmax_jacobian(lambda z: -right_jacobian(z))
    assert not flipped and "sign is flipped" in flipped.message
    small = checks.check_softmax_jacobian(lambda z: right_jacobian(z)[:1])
    assert not small and "shape" in small.message
    text = checks.check_softmax_jacobian(lambda z: "J")
    assert not text and "real numbers" in text.message
