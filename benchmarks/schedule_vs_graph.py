"""The depth schedule (nnbook_utils.schedule) against the graph engine and PyTorch.

The task is micrograd's demo, as in graph_vs_micrograd.py: MLP(2, [16, 16, 1]) written as a
graph (`graph.mlp`, ReLU hidden neurons, a linear output, 337 parameters), 100 points of two
moons with labels -1/+1, full batch, float64, the loss

    mean_i relu(1 - y_i * score_i) + 1e-4 * sum(p * p)     (max margin + L2 on all parameters)

and the learning rate 1.0 - 0.9 * k / 100 at step k. Everything runs on 1 thread (numpy's
OpenBLAS through threadpoolctl, torch.set_num_threads(1)). The script

1. starts the graph engine, the depth schedule (`Schedule(net)`, the same graph) and PyTorch
   (the layered equivalent: `torch.nn.Linear` layers holding the same weights, read out of
   the graph with `layers.Sequential.from_graph`) from the same weights, trains each for
   STEPS steps and checks that the losses agree to a relative 1e-9;
2. times a training step (forward, backward, update): each engine trains BLOCK steps at a
   time (`graph.train`, `schedule.train`, a plain PyTorch loop), the three interleaved,
   REPEATS times; it prints the median time of one step and the ratios. It also times the
   schedule's general step, `loss_and_grad` then `set_parameters` (the graph engine's own
   benchmark step), which gathers the weights into the levels every step.

Targets: the depth schedule at least 10x faster than the graph engine, and faster than
PyTorch. Run it with `make bench` (which installs torch) or
`.venv/bin/python benchmarks/schedule_vs_graph.py`. `tests/test_schedule.py` imports
`same_start` (torch is imported only by `main`).
"""

import sys
import time

import numpy as np

from nnbook_utils import data, graph, layers, schedule

SIZES = [2, 16, 16, 1]
ALPHA = 1e-4  # micrograd's L2 strength
STEPS = 20  # training steps compared
BLOCK, REPEATS = 50, 9  # timing: REPEATS blocks of BLOCK steps per engine
TIMING_LR = 0.05  # a constant rate while timing: the time of a step does not depend on it
RTOL = 1e-9


def lr(k):
    """micrograd's demo schedule."""
    return 1.0 - 0.9 * k / 100


def same_start():
    """The data and the graph engine's MLP (seeded weights)."""
    X, labels = data.two_moons(n=100, noise=0.1, rng=np.random.default_rng(1337))  # (100, 2)
    y = 2.0 * labels - 1.0  # (100,) in {-1, +1}, as in micrograd's demo
    return X, y, graph.mlp(SIZES, activation="relu", output_activation="identity", rng=1337)


class Torch:
    """The same network in PyTorch: Linear layers with the graph's weights, float64."""

    def __init__(self, net, X, y):
        import torch  # optional: `make bench` installs it

        self.torch = torch
        seq = layers.Sequential.from_graph(net)  # W (d_in, d_out), b (d_out,) per layer
        mods = []
        for layer in seq.layers:
            lin = torch.nn.Linear(layer.d_in, layer.d_out, dtype=torch.float64)
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(layer.W.T.copy()))  # torch keeps W.T
                lin.bias.copy_(torch.from_numpy(layer.b))
            mods += [lin, torch.nn.ReLU()]
        self.model = torch.nn.Sequential(*mods[:-1])  # no ReLU after the output
        self.params = list(self.model.parameters())
        self.X, self.y = torch.from_numpy(X), torch.from_numpy(y)

    def step(self, rate):
        """One step: forward, the loss, backward, p <- p - rate * grad. Returns the loss."""
        torch = self.torch
        scores = self.model(self.X)[:, 0]  # (100,)
        penalty = sum((p * p).sum() for p in self.params)
        loss = torch.relu(1 - self.y * scores).mean() + ALPHA * penalty
        for p in self.params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in self.params:
                p -= rate * p.grad
        return loss.item()

    def train(self, rate, steps):
        return [self.step(rate(k) if callable(rate) else rate) for k in range(steps)]


def agreement(X, y, net):
    """Train the three engines from the same weights; return the rows of the loss table."""
    sched, torch_net = schedule.Schedule(net), Torch(net, X, y)
    losses_t = torch_net.train(lr, STEPS)
    losses_s = schedule.train(sched, X, y, "max_margin", lr=lr, steps=STEPS, l2=ALPHA)
    losses_g = graph.train(net, X, y, "max_margin", lr=lr, steps=STEPS, l2=ALPHA)
    return list(zip(range(STEPS), losses_g, losses_s, losses_t)), sched, torch_net


def blocks(engines):
    """Per engine, the median time of one step over REPEATS interleaved blocks of BLOCK steps."""
    times = {name: [] for name in engines}
    for _ in range(REPEATS):
        for name, run in engines.items():
            start = time.perf_counter()
            run()
            times[name].append((time.perf_counter() - start) / BLOCK)
    return {name: float(np.median(t)) for name, t in times.items()}


def api_steps(sched, X, y):
    """BLOCK steps of the general API: loss_and_grad, then set_parameters (as graph_step)."""
    for _ in range(BLOCK):
        _, grad = sched.loss_and_grad(X, y, loss="max_margin", l2=ALPHA)
        sched.set_parameters(sched.parameters() - TIMING_LR * grad)


def main():
    try:
        import torch
    except ImportError:
        sys.exit("torch is not installed: `make bench` installs it (pip install -e \".[bench]\").")
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    torch.set_num_threads(1)
    X, y, net = same_start()
    sched_info = schedule.Schedule(net)
    m = sched_info.multiplications()
    print(f"MLP{SIZES} as a graph: {len(net.parameters())} parameters, {len(y)} examples, full "
          f"batch, float64, 1 thread")
    print(f"depth schedule: {len(sched_info.levels)} levels, {m.dense} multiplications per example "
          f"and product for {m.edges} weights ({m.wasted} by a 0 of the mask)\n")

    rows, sched, torch_net = agreement(X, y, net)
    print(f"{'step':>4}  {'graph engine':>18}  {'depth schedule':>18}  {'PyTorch':>18}  rel diff")
    for k, g, s, t in rows:
        rel = max(abs(s - g), abs(t - g)) / abs(g)
        print(f"{k:>4}  {g:>18.12f}  {s:>18.12f}  {t:>18.12f}  {rel:8.1e}")
    worst = max(max(abs(s - g), abs(t - g)) / abs(g) for _, g, s, t in rows)
    print(f"\nlargest relative loss difference {worst:.1e} over {STEPS} steps")
    assert worst <= RTOL, f"the losses disagree: relative difference {worst:.3g} > {RTOL:g}"

    t = blocks({
        "graph": lambda: graph.train(net, X, y, "max_margin", TIMING_LR, BLOCK, ALPHA),
        "schedule": lambda: schedule.train(sched, X, y, "max_margin", TIMING_LR, BLOCK, ALPHA),
        "schedule_api": lambda: api_steps(sched, X, y),
        "torch": lambda: torch_net.train(TIMING_LR, BLOCK),
    })
    print(f"\nmedian time of one training step ({REPEATS} interleaved blocks of {BLOCK} steps):")
    print(f"  graph engine (graph.train)                       {1e3 * t['graph']:7.3f} ms")
    print(f"  depth schedule (schedule.train)                  {1e3 * t['schedule']:7.3f} ms")
    print(f"  depth schedule (loss_and_grad, set_parameters)   {1e3 * t['schedule_api']:7.3f} ms")
    print(f"  PyTorch (Linear layers, autograd)                {1e3 * t['torch']:7.3f} ms")
    print(f"speed-up of the depth schedule: {t['graph'] / t['schedule']:.1f}x vs the graph engine "
          f"(target >= 10x), {t['torch'] / t['schedule']:.2f}x vs PyTorch (target > 1x); "
          f"its general step {t['graph'] / t['schedule_api']:.1f}x vs the graph engine")


if __name__ == "__main__":
    main()
