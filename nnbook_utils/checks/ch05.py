"""The exercise checks of Chapter 5: any graph of neurons.

Networks in Chapter 5's format: ``{name: {"sources": [...], "weights": array,
"bias": float, "activation": str}}``; a source that is not a key is an input.
"""

import numpy as np

from ..gradcheck import numeric_grad
from ._common import Verdict, _as_number, _call


def _ch5_neuron(sources, rng, activation="tanh"):
    return {"sources": list(sources), "weights": rng.normal(size=len(sources)),  # (k,)
            "bias": float(0.3 * rng.normal()), "activation": activation}


def _ch5_fixed_net(rng):
    """Fan-out (p feeds q, r, s), a skip connection (x1 -> q) and an output (r) that
    another neuron (s) reads. Returns (inputs, net in a valid order, outputs)."""
    net = {"p": _ch5_neuron(["x1", "x2"], rng), "q": _ch5_neuron(["p", "x1"], rng),
           "r": _ch5_neuron(["p", "q", "x2"], rng, "identity"),
           "s": _ch5_neuron(["p", "r"], rng, "sigmoid")}
    return ["x1", "x2"], net, ["r", "s"]


def _ch5_random_net(rng, n_inputs=2, n_neurons=7):
    """A random DAG: each neuron reads 1 to 3 of the inputs and earlier neurons. Returns
    (inputs, net in a valid order, outputs: the last neuron and one other)."""
    inputs = [f"x{i + 1}" for i in range(n_inputs)]
    names = [f"n{k + 1}" for k in range(n_neurons)]
    net = {}
    for k, name in enumerate(names):
        pool = inputs + names[:k]
        picked = rng.choice(len(pool), size=int(rng.integers(1, min(3, len(pool)) + 1)), replace=False)
        net[name] = _ch5_neuron([pool[i] for i in sorted(picked)], rng,
                                str(rng.choice(["tanh", "sigmoid", "identity"])))
    return inputs, net, [names[-1], names[int(rng.integers(0, n_neurons - 1))]]


def _ch5_shuffled(net, rng):
    return {name: net[name] for name in rng.permutation(list(net))}


def _ch5_copy(net):
    return {name: {**n, "sources": list(n["sources"]), "weights": np.array(n["weights"], dtype=float)}
            for name, n in net.items()}


def _ch5_forward(net, order, inputs, x):
    from .. import activations

    a, z = dict(zip(inputs, x)), {}
    for j in order:
        n = net[j]
        z[j] = float(sum(w * a[s] for w, s in zip(n["weights"], n["sources"])) + n["bias"])
        a[j] = float(activations.get(n["activation"])[0](z[j]))
    return z, a


def _ch5_describe(net):
    return "(" + "; ".join(f"{j} reads {', '.join(n['sources'])}" for j, n in net.items()) + ")"


def _ch5_push(net, order, z, a, dL_dy_hat, term):
    """The push-style backward pass with ``term(w, s)`` pushed times delta_j: a model of a
    slip (the right pass pushes ``w``)."""
    from .. import activations

    dL_da = {j: dL_dy_hat.get(j, 0.0) for j in order}
    delta = {}
    for j in reversed(order):
        delta[j] = dL_da[j] * float(activations.get(net[j]["activation"])[1](z[j]))  # (eq-ch5-delta)
        for w, s in zip(net[j]["weights"], net[j]["sources"]):
            if s in dL_da:
                dL_da[s] += delta[j] * term(w, s)
    return delta


def check_topological_order(fn):
    """Exercise ex-ch5-topo: ``fn(net)`` should return the neurons of ``net`` (not its
    inputs) in a topological order, every source before each neuron that reads it
    (eq-ch5-order), and raise ValueError for a wiring with a cycle."""
    name = getattr(fn, "__name__", "your function")
    rng = np.random.default_rng(5)
    _, fixed, _ = _ch5_fixed_net(rng)
    cases = [{"p": fixed["p"]}, fixed, dict(reversed(list(fixed.items())))]
    cases += [_ch5_shuffled(_ch5_random_net(rng, n_neurons=k)[1], rng) for k in (3, 6, 9, 12)]
    for net in cases:
        got, problem = _call(fn, _ch5_copy(net))
        if problem:
            return Verdict(False, problem)
        if got is None:
            return Verdict(False, f"{name} returned None: did you forget `return`?")
        if isinstance(got, tuple):
            return Verdict(False, f"return a list of neuron names, as the exercise asks; got the "
                                  f"tuple {got!r} (list(...) turns it into a list).")
        if not isinstance(got, list):
            return Verdict(False, f"return a list of neuron names; got {got!r}.")
        not_names = [s for s in got if not isinstance(s, str)]
        if not_names:
            return Verdict(False, f"return a list of neuron names (strings) such as ['p', 'q']; "
                                  f"your order contains {not_names[0]!r}.")
        inputs = sorted({s for n in net.values() for s in n["sources"] if s not in net})
        listed_inputs = sorted({s for s in got if s in inputs})
        if listed_inputs:
            return Verdict(False, f"your order contains the inputs {listed_inputs}: list only the "
                                  "neurons (inputs are known from the start).")
        twice = sorted({s for s in got if list(got).count(s) > 1})
        if twice:
            return Verdict(False, f"{twice} appear more than once: place each neuron once.")
        missing = [j for j in net if j not in got]
        unknown = [j for j in got if j not in net]
        if missing or unknown:
            return Verdict(False, f"for the network {_ch5_describe(net)} your order {list(got)} "
                                  + (f"misses {missing}." if missing else f"has unknown names {unknown}."))
        position = {j: k for k, j in enumerate(got)}
        for j in got:
            early = [s for s in net[j]["sources"] if s in net and position[s] > position[j]]
            if early:
                return Verdict(False, f"for the network {_ch5_describe(net)} your order {list(got)} "
                                      f"puts {j} before its source {early[0]}; (eq-ch5-order) wants "
                                      "every source first.")
    cycles = [("a two-neuron cycle", {"p": _ch5_neuron(["x1", "q"], rng), "q": _ch5_neuron(["p"], rng)}),
              ("a self-loop", {"p": _ch5_neuron(["x1"], rng), "q": _ch5_neuron(["p", "q"], rng)}),
              ("a cycle q -> r -> s -> q behind a valid start",
               {"p": _ch5_neuron(["x1"], rng), "q": _ch5_neuron(["p", "s"], rng),
                "r": _ch5_neuron(["q"], rng), "s": _ch5_neuron(["r", "x2"], rng),
                "t": _ch5_neuron(["s", "p"], rng)})]
    for what, net in cycles:
        try:
            got = fn(_ch5_copy(net))
        except ValueError:
            continue
        except NotImplementedError:
            return Verdict(False, f"{name} still raises NotImplementedError: replace that line with your code.")
        except Exception as err:  # the reader's code may fail in any way; explain, don't crash
            return Verdict(False, f"for {what}, {_ch5_describe(net)}, {name} raised {type(err).__name__} "
                                  f"({err}); raise a ValueError that says there is a cycle.")
        return Verdict(False, f"{_ch5_describe(net)} has {what}, so no order exists, but {name} "
                              f"returned {got!r}: raise a ValueError instead.")
    return Verdict(True, "every source comes before its readers, and a cycle raises ValueError.")


def check_push_backward(fn):
    """Exercise ex-ch5-push: ``fn(net, order, z, a, dL_dy_hat)`` should return
    ``{name: delta}``, the error signal dL/dz of every neuron (eq-ch5-fanout,
    eq-ch5-delta), for a loss that adds the squared error of every output."""
    from .. import activations

    name = getattr(fn, "__name__", "your function")
    rng = np.random.default_rng(6)
    cases = [_ch5_fixed_net(rng)] + [_ch5_random_net(rng, n_neurons=k) for k in (4, 7, 10)]
    for inputs, net, outputs in cases:
        order = list(net)  # built in a valid order
        x = rng.normal(size=len(inputs))  # (n_inputs,)
        y = rng.uniform(0.1, 0.9, size=len(outputs))  # (n_outputs,)

        def loss_at(candidate):
            a = _ch5_forward(candidate, order, inputs, x)[1]
            return sum((a[o] - yk) ** 2 for o, yk in zip(outputs, y))

        def with_bias(j, b):
            return {**net, j: {**net[j], "bias": b}}

        expected = {j: numeric_grad(lambda b: loss_at(with_bias(j, b)), net[j]["bias"]) for j in order}
        z, a = _ch5_forward(net, order, inputs, x)
        dL_dy_hat = {o: 2 * (a[o] - yk) for o, yk in zip(outputs, y)}
        got, problem = _call(fn, _ch5_copy(net), list(order), dict(z), dict(a), dict(dL_dy_hat))
        if problem:
            return Verdict(False, problem)
        if got is None:
            return Verdict(False, f"{name} returned None: did you forget `return delta`?")
        if not isinstance(got, dict):
            return Verdict(False, f"return a dictionary {{neuron name: delta}}; got {type(got).__name__}.")
        missing = [j for j in order if j not in got]
        if missing:
            return Verdict(False, f"delta has no entry for the neurons {missing}.")
        values = {}
        for j in order:
            if isinstance(got[j], (str, bytes)):  # float("0.64") would accept text
                return Verdict(False, f"delta[{j!r}] is the text {got[j]!r}, not one number: "
                                      "store the number itself, not a string.")
            values[j], problem = _as_number(got[j], f"delta[{j!r}] is")
            if problem:
                return Verdict(False, problem)
        wrong = [j for j in order if abs(values[j] - expected[j]) > 1e-5 * max(1, abs(expected[j]))]
        if not wrong:
            continue
        pushed_value = _ch5_push(net, order, z, a, dL_dy_hat, lambda w, s: a[s])
        if all(abs(values[k] - pushed_value[k]) <= 1e-9 * max(1, abs(pushed_value[k])) for k in order):
            return Verdict(False, f"for {_ch5_describe(net)} with outputs {outputs}, each neuron pushed "
                                  "delta_j * a_s to its sources: that is the gradient of the weight "
                                  "w_(j,s) (eq-ch5-dw), not a term of dL/da_s. The term a neuron j "
                                  "pushes to its source s is delta_j * w_(j,s) (eq-ch5-fanout).")
        own_only = {k: dL_dy_hat.get(k, 0.0) * float(activations.get(net[k]["activation"])[1](z[k]))
                    for k in order}  # what each delta is if no reader has pushed its term yet
        if all(abs(values[k] - own_only[k]) <= 1e-9 * max(1, abs(own_only[k])) for k in order):
            return Verdict(False, f"for {_ch5_describe(net)} with outputs {outputs}, every delta holds "
                                  "only its own loss term (0 for a neuron that is not an output): no "
                                  "reader's term arrived before the neuron used its total. Walk "
                                  "reversed(order), so that every reader of a neuron pushes its term "
                                  "(eq-ch5-fanout) before that neuron computes its delta.")
        j = wrong[-1]  # the last in the order: the errors of its sources may follow from it
        readers = [k for k in order if j in net[k]["sources"]]
        terms = readers + (["the loss"] if j in outputs else [])
        df_z = float(activations.get(net[j]["activation"])[1](z[j]))
        where = (f"for {_ch5_describe(net)} with outputs {outputs}, delta[{j!r}] is {values[j]:.6f} "
                 f"but should be {expected[j]:.6f}")
        if df_z != 0 and abs(values[j] - expected[j] / df_z) <= 1e-5 * max(1, abs(expected[j] / df_z)):
            return Verdict(False, f"{where}: that is dL/da; multiply by f'(z), the slope of the "
                                  "neuron's activation (eq-ch5-delta).")
        own = dL_dy_hat.get(j, 0.0) * df_z  # the output's own term, times f'(z)
        if own != 0 and not readers and abs(values[j] - (expected[j] - own)) <= 1e-5 * max(1, abs(expected[j])):
            return Verdict(False, f"{where}: the loss's own term is missing. {j} is an output, so its "
                                  f"dL/da starts at dL_dy_hat[{j!r}], not at 0 (eq-ch5-fanout).")
        if j in outputs and readers:
            return Verdict(False, f"{where}. {j} is an output AND other neurons ({', '.join(readers)}) read "
                                  "it: its dL/da starts at dL/dy_hat, and each reader then adds (+=) its "
                                  "term delta_r * w_(r,j) (walk reversed(order), so all have arrived "
                                  "first). Check both: the start value and the term each reader "
                                  "pushes (eq-ch5-fanout).")
        if len(terms) > 1:
            return Verdict(False, f"{where}. {j} gets {len(terms)} terms in (eq-ch5-fanout), from "
                                  f"{', '.join(terms)}: add each one (+=), walking reversed(order), "
                                  "so that all of them have arrived before you compute delta.")
        return Verdict(False, f"{where}. Walk reversed(order); delta = dL/da * f'(z), and each "
                              "neuron then adds delta * w to the dL/da of each of its sources.")
    return Verdict(True, "every delta matches the slope of the loss in that neuron's bias.")
