"""The graph engine (nnbook_utils.graph) against micrograd, on micrograd's own demo task.

micrograd's demo notebook trains MLP(2, [16, 16, 1]) (ReLU hidden neurons, a linear output)
on 100 points of two moons with labels -1/+1, full batch, with the loss

    mean_i relu(1 - y_i * score_i) + 1e-4 * sum(p * p)     (max margin + L2 on all parameters)

and the learning rate 1.0 - 0.9 * k / 100 at step k. This script

1. builds micrograd's MLP (its init seeded through python's `random`), copies its weights
   into `graph.mlp([2, 16, 16, 1])` (the same neurons in the same parameter order), trains
   both for STEPS steps and checks that their losses agree to a relative 1e-9;
2. times one training step (forward, backward, update) as the median over REPEATS steps
   for: micrograd as shipped, micrograd with python's garbage collector switched off
   during its step, and the graph engine; and prints the two speed-ups.

Run it with `make bench` (which installs micrograd) or `.venv/bin/python benchmarks/graph_vs_micrograd.py`.
"""

import gc
import random
import sys
import time

import numpy as np

from nnbook_utils import data, graph

try:
    from micrograd.engine import Value
    from micrograd.nn import MLP
except ImportError:
    sys.exit("micrograd is not installed: `make bench` installs it (pip install -e \".[bench]\").")

SIZES = [2, 16, 16, 1]
ALPHA = 1e-4  # micrograd's L2 strength
STEPS = 20  # training steps compared
REPEATS = 7  # steps timed for each engine (the median is reported)
RTOL = 1e-9


def lr(k):
    """micrograd's demo schedule."""
    return 1.0 - 0.9 * k / 100


def micrograd_step(model, X, y, k):
    """One step of micrograd's demo loop (its `loss()` and update, verbatim in spirit)."""
    inputs = [list(map(Value, row)) for row in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum(p * p for p in model.parameters())
    total_loss = data_loss + reg_loss
    accuracy = np.mean([(yi > 0) == (si.data > 0) for yi, si in zip(y, scores)])
    model.zero_grad()
    total_loss.backward()
    for p in model.parameters():
        p.data -= lr(k) * p.grad
    return total_loss.data, accuracy


def graph_step(net, X, y, k):
    """The same step with the graph engine: one forward and one backward over the batch."""
    loss, grad = net.loss_and_grad(X, y, loss="max_margin", l2=ALPHA)
    accuracy = np.mean((net.a[net.outputs[0]] > 0) == (y > 0))  # scores of that forward
    net.set_parameters(net.parameters() - lr(k) * grad)
    return loss, accuracy


def median_time(step, repeats, no_gc=False):
    times = []
    for k in range(repeats):
        if no_gc:
            gc.disable()
        start = time.perf_counter()
        step(k)
        times.append(time.perf_counter() - start)
        if no_gc:
            gc.enable()
            gc.collect()  # free this step's garbage, outside the timed part
    return float(np.median(times))


def same_start():
    """The data, micrograd's MLP and the graph engine's copy of it, with the same weights."""
    X, labels = data.two_moons(n=100, noise=0.1, rng=np.random.default_rng(1337))  # (100, 2), (100,)
    y = 2.0 * labels - 1.0  # (100,) in {-1, +1}, as in micrograd's demo
    random.seed(1337)  # micrograd draws its initial weights from python's random
    model = MLP(SIZES[0], SIZES[1:])
    net = graph.mlp(SIZES, activation="relu", output_activation="identity")
    net.set_parameters([p.data for p in model.parameters()])  # same order: neuron by neuron
    return X, y, model, net


def train_both(X, y, model, net, steps):
    """Train both for ``steps`` steps; return the rows (step, micrograd loss, graph loss,
    relative difference, both accuracies) and the largest parameter difference after."""
    rows = []
    for k in range(steps):
        gc.disable()  # the same arithmetic, only faster; memory is freed right after
        loss_mg, acc = micrograd_step(model, X, y, k)
        gc.enable()
        gc.collect()
        loss_g, acc_g = graph_step(net, X, y, k)
        rows.append((k, loss_mg, loss_g, abs(loss_mg - loss_g) / abs(loss_mg), acc, acc_g))
    theta_mg = np.array([p.data for p in model.parameters()])  # (P,)
    return rows, float(np.max(np.abs(theta_mg - net.parameters())))


def main():
    X, y, model, net = same_start()
    print(f"MLP{SIZES}: {len(model.parameters())} parameters, {len(y)} examples, full batch\n")

    print(f"{'step':>4}  {'micrograd loss':>18}  {'graph loss':>18}  {'rel diff':>8}  accuracy (both)")
    rows, param_diff = train_both(X, y, model, net, STEPS)
    for k, loss_mg, loss_g, rel, acc, acc_g in rows:
        print(f"{k:>4}  {loss_mg:>18.12f}  {loss_g:>18.12f}  {rel:>8.1e}  {acc:.0%} {acc_g:.0%}")
    worst = max(row[3] for row in rows)
    print(f"\nlargest relative loss difference {worst:.1e}, largest parameter difference "
          f"{param_diff:.1e} after {STEPS} steps")
    assert worst <= RTOL, f"the losses disagree: relative difference {worst:.3g} > {RTOL:g}"
    assert param_diff <= 1e-8, f"the parameters disagree by {param_diff:.3g}"

    t_mg = median_time(lambda k: micrograd_step(model, X, y, STEPS + k), REPEATS)
    t_mg_nogc = median_time(lambda k: micrograd_step(model, X, y, STEPS + k), REPEATS, no_gc=True)
    t_graph = median_time(lambda k: graph_step(net, X, y, STEPS + k), 10 * REPEATS)
    print(f"\nmedian time of one training step ({REPEATS} steps for micrograd, "
          f"{10 * REPEATS} for the graph engine):")
    print(f"  micrograd as shipped       {1e3 * t_mg:9.2f} ms")
    print(f"  micrograd, gc disabled     {1e3 * t_mg_nogc:9.2f} ms")
    print(f"  graph engine (numpy)       {1e3 * t_graph:9.2f} ms")
    print(f"speed-up: {t_mg / t_graph:.0f}x vs micrograd as shipped (target >= 100x), "
          f"{t_mg_nogc / t_graph:.0f}x vs micrograd without gc (target >= 15x)")


if __name__ == "__main__":
    main()
