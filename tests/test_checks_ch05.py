"""The checks of Chapter 5's exercises accept right answers and explain wrong ones."""

import numpy as np

from nnbook_utils import activations, checks


def kahn(net):
    waiting = {j: sum(s in net for s in net[j]["sources"]) for j in net}
    ready, order = [j for j in net if waiting[j] == 0], []
    while ready:
        i = ready.pop()
        order.append(i)
        for j in net:
            if i in net[j]["sources"]:
                waiting[j] -= 1
                if waiting[j] == 0:
                    ready.append(j)
    if len(order) < len(net):
        raise ValueError("cycle")
    return order


def dfs(net):
    order, state = [], {}

    def place(j):
        if j not in net or state.get(j) == "done":
            return
        if state.get(j) == "open":
            raise ValueError(f"cycle through {j}")
        state[j] = "open"
        for s in net[j]["sources"]:
            place(s)
        state[j] = "done"
        order.append(j)

    for j in net:
        place(j)
    return order


def test_topological_order_accepts_right_answers():
    assert checks.check_topological_order(kahn)
    assert checks.check_topological_order(dfs)


def test_topological_order_explains_wrong_orders():
    as_listed = checks.check_topological_order(lambda net: list(net))
    assert not as_listed and "before its source" in as_listed.message
    with_inputs = checks.check_topological_order(
        lambda net: sorted({s for n in net.values() for s in n["sources"] if s not in net}) + kahn(net))
    assert not with_inputs and "contains the inputs" in with_inputs.message
    twice = checks.check_topological_order(lambda net: kahn(net) + kahn(net)[:1])
    assert not twice and "more than once" in twice.message
    missing = checks.check_topological_order(lambda net: kahn(net)[1:])
    assert not missing and "misses" in missing.message
    assert "forget `return`" in checks.check_topological_order(lambda net: None).message
    assert "list of neuron names" in checks.check_topological_order(lambda net: "p q").message
    as_tuple = checks.check_topological_order(lambda net: tuple(kahn(net)))
    assert not as_tuple and "tuple" in as_tuple.message


def test_topological_order_wants_a_value_error_for_a_cycle():
    def no_error(net):
        try:
            return kahn(net)
        except ValueError:
            return []

    silent = checks.check_topological_order(no_error)
    assert not silent and "raise a ValueError instead" in silent.message

    def wrong_error(net):
        try:
            return kahn(net)
        except ValueError:
            raise RuntimeError("loop") from None

    other = checks.check_topological_order(wrong_error)
    assert not other and "RuntimeError" in other.message and "raise a ValueError" in other.message

    def recursing(net):  # depth-first search without the "in progress" state
        order = []

        def place(j):
            if j in net and j not in order:
                for s in net[j]["sources"]:
                    place(s)
                if j not in order:
                    order.append(j)

        for j in net:
            place(j)
        return order

    endless = checks.check_topological_order(recursing)
    assert not endless and "RecursionError" in endless.message


def push(net, order, z, a, dL_dy_hat, overwrite=False, slope=True, either_or=False,
         own_term=True, push_value=False):
    dL_da = {i: dL_dy_hat.get(i, 0.0) if own_term else 0.0 for i in order}
    delta = {}
    for j in reversed(order):
        d = float(activations.get(net[j]["activation"])[1](z[j])) if slope else 1.0
        delta[j] = dL_da[j] * d
        for w, s in zip(net[j]["weights"], net[j]["sources"]):
            if s in dL_da:
                if either_or and s in dL_dy_hat:
                    continue  # an output keeps only its own term
                term = delta[j] * (a[s] if push_value else w)
                dL_da[s] = term if overwrite else dL_da[s] + term
    return delta


def test_push_backward_accepts_a_right_answer():
    assert checks.check_push_backward(push)


def test_push_backward_explains_common_mistakes():
    overwrite = checks.check_push_backward(lambda *args: push(*args, overwrite=True))
    assert not overwrite and "(+=)" in overwrite.message
    no_slope = checks.check_push_backward(lambda *args: push(*args, slope=False))
    assert not no_slope and "f'(z)" in no_slope.message
    either_or = checks.check_push_backward(lambda *args: push(*args, either_or=True))
    assert not either_or and "is an output AND" in either_or.message
    from_zero = checks.check_push_backward(lambda *args: push(*args, own_term=False))
    assert not from_zero and "own term is missing" in from_zero.message

    def forwards(net, order, z, a, dL_dy_hat):  # walks the order the wrong way
        return push(net, list(reversed(order)), z, a, dL_dy_hat)

    value = checks.check_push_backward(lambda *args: push(*args, push_value=True))
    assert not value and "delta_j * w_(j,s)" in value.message
    assert "starts at" not in value.message

    wrong_way = checks.check_push_backward(forwards)
    assert not wrong_way and "reversed(order)" in wrong_way.message
    assert "(+=)" not in wrong_way.message


def test_push_backward_reports_bad_returns():
    assert "forget `return delta`" in checks.check_push_backward(lambda *args: None).message
    assert "dictionary" in checks.check_push_backward(lambda *args: [1.0]).message
    partial = checks.check_push_backward(lambda *args: {"p": 0.0})
    assert not partial and "no entry" in partial.message
    text = checks.check_push_backward(lambda net, *rest: {j: "x" for j in net})
    assert not text and "not one number" in text.message

    def as_strings(*args):  # the right deltas, but as numeric text
        return {j: str(d) for j, d in push(*args).items()}

    strings = checks.check_push_backward(as_strings)
    assert not strings and "not a string" in strings.message


def test_the_checks_do_not_change_numpy_random_state():
    before = np.random.get_state()[1].copy()
    checks.check_topological_order(kahn)
    checks.check_push_backward(push)
    assert np.array_equal(before, np.random.get_state()[1])
