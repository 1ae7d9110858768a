"""Each check of Chapter 6 accepts a right answer and explains the common wrong ones."""

import numpy as np

from nnbook_utils import checks


def right_relu(dA, Z, A_prev, W):
    Delta = dA * (Z > 0)
    return Delta, A_prev.T @ Delta, Delta.sum(axis=0), Delta @ W.T


def test_relu_layer_backward():
    assert checks.check_relu_layer_backward(right_relu)
    no_slope = checks.check_relu_layer_backward(
        lambda dA, Z, A, W: (dA, A.T @ dA, dA.sum(0), dA @ W.T))
    assert not no_slope and "slope" in no_slope.message
    flipped = checks.check_relu_layer_backward(
        lambda dA, Z, A, W: (lambda r: (r[0], r[1].T, r[2], r[3]))(right_relu(dA, Z, A, W)))
    assert not flipped and "shaped like W" in flipped.message
    mean_b = checks.check_relu_layer_backward(
        lambda dA, Z, A, W: (lambda r: (r[0], r[1], r[0].mean(0), r[3]))(right_relu(dA, Z, A, W)))
    assert not mean_b and "sum" in mean_b.message
    todo = checks.check_relu_layer_backward(lambda *a: (_ for _ in ()).throw(NotImplementedError))
    assert not todo and "NotImplementedError" in todo.message


def test_depths():
    def right(sources, inputs):
        depth = {x: 0 for x in inputs}

        def find(j):
            if j not in depth:
                depth[j] = 1 + max(find(s) for s in sources[j])
            return depth[j]
        for j in sources:
            find(j)
        return depth

    assert checks.check_depths(right)

    def with_min(sources, inputs):
        depth = {x: 0 for x in inputs}

        def find(j):
            if j not in depth:
                depth[j] = 1 + min(find(s) for s in sources[j])
            return depth[j]
        for j in sources:
            find(j)
        return depth

    verdict = checks.check_depths(with_min)
    assert not verdict and "max" in verdict.message
    no_inputs = checks.check_depths(lambda s, i: {j: 1 for j in s})
    assert not no_inputs and "depth 0" in no_inputs.message


def test_layer_flops():
    assert checks.check_layer_flops(lambda n, a, b: 6 * n * a * b)
    forward = checks.check_layer_flops(lambda n, a, b: n * a * b)
    assert not forward and "forward" in forward.message
    mults = checks.check_layer_flops(lambda n, a, b: 3 * n * a * b)
    assert not mults and "convention counts 2" in mults.message
    none = checks.check_layer_flops(lambda n, a, b: None)
    assert not none and "return" in none.message


def test_sparse_level():
    def right(V, rows, cols, w, b):
        Z = np.tile(b, (V.shape[0], 1)).astype(float)
        np.add.at(Z.T, cols, (V[:, rows] * w).T)
        return Z

    assert checks.check_sparse_level(right)

    def no_bias(V, rows, cols, w, b):
        return right(V, rows, cols, w, np.zeros_like(b))

    verdict = checks.check_sparse_level(no_bias)
    assert not verdict and "biases" in verdict.message

    def plain_add(V, rows, cols, w, b):
        Z = np.tile(b, (V.shape[0], 1)).astype(float)
        Z[:, cols] += V[:, rows] * w
        return Z

    verdict = checks.check_sparse_level(plain_add)
    assert not verdict and "np.add.at" in verdict.message


def test_relu_layer_backward_odd_entries_get_a_verdict():
    for odd in [({}, {}, {}, {}), ("a", "b", "c", "d"), ([[1, 2], [3]], 1, 2, 3)]:
        verdict = checks.check_relu_layer_backward(lambda *a, odd=odd: odd)
        assert not verdict and "array of real numbers" in verdict.message
    complex_delta = checks.check_relu_layer_backward(
        lambda *a: (lambda r: (r[0] + 0j,) + r[1:])(right_relu(*a)))
    assert not complex_delta and "real numbers" in complex_delta.message


def test_depths_odd_values_get_a_verdict():
    def right(sources, inputs):
        depth = {x: 0 for x in inputs}
        while len(depth) < len(inputs) + len(sources):
            for j, s in sources.items():
                if j not in depth and all(t in depth for t in s):
                    depth[j] = 1 + max(depth[t] for t in s)
        return depth

    pairs = checks.check_depths(
        lambda s, i: {k: np.array([v, v]) for k, v in right(s, i).items()})
    assert not pairs and "one whole number" in pairs.message
    text = checks.check_depths(lambda s, i: {k: str(v) for k, v in right(s, i).items()})
    assert not text and "one whole number" in text.message and "'0'" in text.message
    floats = checks.check_depths(lambda s, i: {k: float(v) for k, v in right(s, i).items()})
    assert floats


def test_layer_flops_tolerates_rounding_and_shows_repr():
    assert checks.check_layer_flops(lambda n, a, b: 6 * n * a * b * (1 + 1e-13))
    off = checks.check_layer_flops(lambda n, a, b: 6 * n * a * b + 0.5)
    assert not off and "2304.5" in off.message


def test_sparse_level_odd_answers_get_a_verdict():
    for odd in [{"Z": 1}, ("a",), [[1, 2], [3]]]:
        verdict = checks.check_sparse_level(lambda *a, odd=odd: odd)
        assert not verdict and "real numbers" in verdict.message

    def complex_z(V, rows, cols, w, b):
        W = np.zeros((V.shape[1], len(b)))
        W[rows, cols] = w
        return (V @ W + b) + 0j

    verdict = checks.check_sparse_level(complex_z)
    assert not verdict and "real numbers" in verdict.message


def test_layer_flops_refuses_a_list_and_names_the_exact_count():
    one = checks.check_layer_flops(lambda n, a, b: [6 * n * a * b])
    assert not one and "not one number" in one.message
    arr = checks.check_layer_flops(lambda n, a, b: np.array([6 * n * a * b]))
    assert not arr and "not one number" in arr.message
    text = checks.check_layer_flops(lambda n, a, b: str(6 * n * a * b))
    assert not text and "not one number" in text.message
    assert checks.check_layer_flops(lambda n, a, b: np.array(6 * n * a * b))
    exact = checks.check_layer_flops(
        lambda n, a, b: n * b * (2 * a - 1) + a * b * (2 * n - 1) + n * a * (2 * b - 1))
    assert not exact and "exact count" in exact.message
    one_flop = checks.check_layer_flops(lambda n, a, b: 3 * n * a * b)
    assert not one_flop and "convention counts 2" in one_flop.message


def test_sparse_level_add_at_hint_only_for_the_fancy_index_answer():
    def dense(V, rows, cols, w, b):
        W = np.zeros((V.shape[1], len(b)))
        W[rows, cols] = w
        return V @ W + b

    no_weights = checks.check_sparse_level(
        lambda V, r, c, w, b: dense(V, r, c, np.ones_like(w), b))
    assert not no_weights and "np.add.at" not in no_weights.message
    halved = checks.check_sparse_level(lambda V, r, c, w, b: dense(V, r, c, w / 2, b))
    assert not halved and "np.add.at" not in halved.message

    def zero_v(V, rows, cols, w, b):
        V[:] = 0
        return dense(V, rows, cols, w, b)

    zeroed = checks.check_sparse_level(zero_v)
    assert not zeroed and "np.add.at" not in zeroed.message


def test_depths_wrong_input_depth_and_relu_tuple_length():
    all_one = checks.check_depths(lambda s, i: {k: 1 for k in list(i) + list(s)})
    assert not all_one and "it is an input" in all_one.message
    assert "min" not in all_one.message and "reads )" not in all_one.message
    all_true = checks.check_depths(lambda s, i: {k: True for k in list(i) + list(s)})
    assert not all_true and "one whole number" in all_true.message
    three = checks.check_relu_layer_backward(lambda *a: right_relu(*a)[:3])
    assert not three and "tuple of 3" in three.message
