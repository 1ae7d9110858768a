"""The exercise checks of Chapter 7: learning a real task (several classes, mini-batches,
the handwritten digits, overfitting and L2)."""

import numpy as np

from ._common import Verdict, _as_number, _call, _returned_array

# --- part A: several classes, mini-batches (sections 1-2) ---


def _ch7a_softmax(Z):
    """The reference: exp(z - log sum exp z), the log-sum-exp by np.logaddexp (another
    route than the chapter's, which subtracts the largest score)."""
    return np.exp(Z - np.logaddexp.reduce(Z, axis=-1, keepdims=True))


def check_batch_softmax(fn):
    """Exercise ex-ch7-batch-softmax: ``fn(Z)`` for scores ``(n, Q)`` should return the
    softmax of each row (eq-ch7-softmax-stable), finite for scores of +-1000."""
    name = getattr(fn, "__name__", "your function")
    rng = np.random.default_rng(71)
    extreme = np.array([[1000.0, 999.0, 0.0, -5.0],
                        [-1000.0, -1001.0, -1002.0, -1003.0],
                        [3.0, 1.0, -2.0, 0.5]])  # (3, 4) rows far apart
    cases = [rng.normal(size=(1, 3)), rng.normal(size=(5, 4)), extreme,
             np.vstack([20 * rng.normal(size=(4, 10)), [[800.0] + [0.0] * 9]])]
    for Z in cases:
        got, problem = _call(fn, Z.copy())
        if problem:
            return Verdict(False, problem)
        got, problem = _returned_array(got, name, Z.shape)
        if problem:
            return Verdict(False, problem)
        want = _ch7a_softmax(Z)
        if np.allclose(got, want, rtol=1e-9, atol=1e-12):
            continue
        where = f"for scores of shape {Z.shape}"
        if not np.all(np.isfinite(got)):
            with np.errstate(over="ignore", under="ignore", invalid="ignore"):
                E = np.exp(Z - Z.max())  # one largest score for the whole batch
                global_max = E / E.sum(axis=1, keepdims=True)
            if np.allclose(got, global_max, equal_nan=True):
                return Verdict(False, f"{where} some rows are nan: you subtract ONE largest "
                               "score for the whole batch, and a row whose scores are all far "
                               "below it becomes 0 / 0. Subtract each row's own maximum "
                               "(Z.max(axis=1, keepdims=True)).")
            return Verdict(False, f"{where} the result holds inf or nan: exp overflows above "
                           "about 709. Subtract each row's largest score before exp "
                           "(eq-ch7-softmax-stable).")
        if np.allclose(got.sum(axis=0), 1.0) and not np.allclose(got.sum(axis=1), 1.0):
            return Verdict(False, f"{where} each column sums to 1, not each row: a row is one "
                           "example, so sum over axis=1 (with keepdims=True).")
        if not np.allclose(got.sum(axis=1), 1.0):
            return Verdict(False, f"{where} the rows do not sum to 1: divide each row by its "
                           "own sum of exponentials.")
        return Verdict(False, f"{where} the probabilities differ from the softmax of each row "
                       "(eq-ch7-softmax).")
    return Verdict(True, "each row's softmax is right on four batches, extreme rows included.")


def _ch7a_numeric_jacobian(z, h=1e-6):
    """Central differences of the reference softmax: column j is the slope in z_j."""
    J = np.zeros((len(z), len(z)))  # (Q, Q)
    for j in range(len(z)):
        step = np.zeros(len(z))  # (Q,)
        step[j] = h
        J[:, j] = (_ch7a_softmax(z + step) - _ch7a_softmax(z - step)) / (2 * h)
    return J


def check_softmax_jacobian(fn):
    """Exercise ex-ch7-jacobian-matrix: ``fn(z)`` for the scores ``(Q,)`` of one example
    should return the Jacobian ``J[q, j] = d y_hat_q / d z_j`` (eq-ch7-softmax-jacobian),
    ``diag(p) - p p^T``; compared with finite differences."""
    name = getattr(fn, "__name__", "your function")
    rng = np.random.default_rng(72)
    for Q in (2, 3, 5):
        z = 2 * rng.normal(size=Q)  # (Q,)
        got, problem = _call(fn, z.copy())
        if problem:
            return Verdict(False, problem)
        got, problem = _returned_array(got, name, (Q, Q))
        if problem:
            return Verdict(False, problem)
        want = _ch7a_numeric_jacobian(z)
        if np.allclose(got, want, rtol=1e-6, atol=1e-8):
            continue
        p = _ch7a_softmax(z)  # (Q,)
        where = f"for Q = {Q} scores"
        hints = [(np.diag(p * (1 - p)), " It has only the diagonal, y_hat_q (1 - y_hat_q): a "
                  "score z_j also changes every other probability, through the sum at the "
                  "bottom, by -y_hat_q y_hat_j."),
                 (-np.outer(p, p), " The diagonal term diag(p) is missing: [q = j] y_hat_q."),
                 (np.outer(p, p) - np.diag(p), " The sign is flipped: diag(p) - p p^T."),
                 (np.diag(p) - np.outer(p, 1 - p), " Off the diagonal the slope is "
                  "-y_hat_q y_hat_j, not -y_hat_q (1 - y_hat_j).")]
        hint = next((h for m, h in hints if np.allclose(got, m, rtol=1e-6, atol=1e-8)), "")
        return Verdict(False, f"{where} the matrix differs from the finite-difference "
                       f"slopes of the softmax.{hint}")
    return Verdict(True, "the Jacobian agrees with finite differences for 2, 3 and 5 classes.")


# --- part B: the digits, overfitting and L2 (sections 3-5) ---


def _ch7b_confusion_loop(y, y_pred, n_classes):
    """The reference: (eq-ch7-confusion) as a double loop over the entries, each a sum of
    products of the two brackets over the examples."""
    return np.array([[sum(int(a == i) * int(b == j) for a, b in zip(y, y_pred))
                      for j in range(n_classes)] for i in range(n_classes)])


def check_confusion_counts(fn):
    """Exercise ex-ch7-confusion: ``fn(y, y_pred, n_classes)`` should return the confusion
    matrix (eq-ch7-confusion), ``M[q, j]`` the number of examples with label q and answer
    j, shape ``(n_classes, n_classes)``; compared with the sum written out."""
    name = getattr(fn, "__name__", "your function")
    rng = np.random.default_rng(73)
    # (examples, classes, the largest label drawn): the last case leaves a class out
    for n, Q, top in [(40, 3, 3), (1, 4, 4), (200, 10, 9)]:
        y = rng.integers(0, top, size=n)  # (n,) labels
        y_pred = np.where(rng.random(n) < 0.7, y, rng.integers(0, top, size=n))  # (n,)
        got, problem = _call(fn, y.copy(), y_pred.copy(), Q)
        if problem:
            return Verdict(False, problem)
        want = _ch7b_confusion_loop(y, y_pred, Q)  # (Q, Q)
        where = f"for {n} example(s) and {Q} classes"
        arr, problem = _returned_array(got, name, (Q, Q), finite=True)
        if problem:
            shape = np.shape(got) if isinstance(got, np.ndarray) else None
            if shape and len(shape) == 2 and shape[0] == shape[1] < Q:
                problem += (f" {where}: a class that no example has, label or answer, "
                            "still gets its row and column (np.bincount's minlength)")
            return Verdict(False, problem)
        if np.array_equal(arr, want):
            continue
        hints = [(want.T, " It is transposed: row q is the label, column j the answer, "
                          "M[y, y_pred]."),
                 (want / np.maximum(want.sum(axis=1, keepdims=True), 1),
                  " These are fractions of each row; the matrix holds counts."),
                 (np.diag(np.diag(want)), " Only the diagonal is filled: the mistakes "
                                          "belong off the diagonal.")]
        hint = next((h for m, h in hints if np.allclose(arr, m)), "")
        if not hint and arr.sum() != n:
            hint = f" Its entries add up to {arr.sum():g}, but every one of the {n} examples "
            hint += "adds exactly 1."
        return Verdict(False, f"{where} the matrix differs from the sum (eq-ch7-confusion) "
                       f"written out.{hint}")
    return Verdict(True, "the counts agree with the sum written out, for 3, 4 and 10 "
                   "classes (in the case with 10 classes, no example has the label 9).")


def check_decay_step(fn):
    """Exercise ex-ch7-decay-step: ``fn(theta, grad, lr, l2)`` should return
    ``(1 - 2 lr l2) theta - lr grad`` (eq-ch7-weight-decay), where ``grad`` is the gradient
    of the mean loss without the penalty; compared with a step on the penalized gradient
    ``grad + 2 l2 theta`` (eq-ch7-l2-grad)."""
    name = getattr(fn, "__name__", "your function")
    rng = np.random.default_rng(74)
    for P, lr, l2 in [(5, 0.1, 0.01), (12, 0.3, 0.003), (3, 0.05, 0.0), (8, 0.5, 0.2)]:
        theta, grad = rng.normal(size=P), rng.normal(size=P)  # (P,), (P,)
        got, problem = _call(fn, theta.copy(), grad.copy(), lr, l2)
        if problem:
            return Verdict(False, problem)
        arr, problem = _returned_array(got, name, (P,), finite=True)
        if problem:
            return Verdict(False, problem)
        want = theta - lr * (grad + 2 * l2 * theta)  # (P,) the penalized gradient's step
        if np.allclose(arr, want, rtol=1e-10, atol=1e-12):
            continue
        hints = [((1 - lr * l2) * theta - lr * grad, " The factor 2 of the penalty's "
                  "slope is missing: d/dtheta theta^2 = 2 theta, so the decay is 1 - 2 lr l2."),
                 ((1 - 2 * l2) * theta - lr * grad, " The learning rate multiplies the "
                  "penalty's gradient too: the decay is 1 - 2 lr l2, not 1 - 2 l2."),
                 ((1 + 2 * lr * l2) * theta - lr * grad, " The parameters grow: the decay "
                  "factor is 1 - 2 lr l2, with a minus."),
                 (theta - lr * grad, " l2 is not used: this is the step without the penalty."),
                 ((1 - 2 * lr * l2) * (theta - lr * grad), " The decay multiplies theta, "
                  "not theta after the step: (1 - 2 lr l2) theta - lr grad."),
                 (theta + lr * (grad + 2 * l2 * theta), " The step goes uphill: subtract "
                  "lr times the gradient.")]
        hint = next((h for m, h in hints if np.allclose(arr, m, rtol=1e-10, atol=1e-12)), "")
        return Verdict(False, f"for lr = {lr}, l2 = {l2} and {P} parameters the step "
                       f"differs from theta - lr (grad + 2 l2 theta).{hint}")
    return Verdict(True, "the step agrees with gradient descent on the penalized loss, for "
                   "four learning rates and strengths (one of them l2 = 0).")
