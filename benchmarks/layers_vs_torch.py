"""The layered engine (nnbook_utils.layers) against PyTorch on the classic MLP.

The task has MNIST's shape: 60,000 examples of 784 values in [0, 1) and labels 0..9
(synthetic and seeded, no download: the labels are the argmax of a random linear "teacher",
so there is something to learn), the MLP 784-128-64-10 with ReLU hidden layers, softmax
cross-entropy, float32, mini-batches of 128 in a seeded shuffled order, plain SGD. The script

1. starts both engines from the same weights (`Sequential.init`, copied into PyTorch) and
   trains each for the same 20 mini-batches; it prints both losses and asserts that they
   agree within float32's tolerance (a relative 1e-4);
2. measures, in the same run, the machine's sgemm rate at the first layer's shape
   ((128, 784) @ (784, 128) in float32, numpy's OpenBLAS; before each round of epochs,
   the median of those), and counts the floating-point
   operations an epoch needs (the matrix products: forward, dW and dA_prev but the first
   layer's, 2 per multiply-add);
3. with 1 thread and with 2 (threadpoolctl for numpy's OpenBLAS, torch.set_num_threads),
   times EPOCHS epochs of each engine, interleaved, and prints the median epoch time, the
   GFLOP/s each reaches, the fraction of the sgemm rate, and the ratio of the epoch times.

PyTorch runs twice, written as most people write it (`torch.nn.Linear`, `F.cross_entropy`,
`torch.optim.SGD`) and by hand (the same equations on tensors with autograd, W of shape
(d_in, d_out)); the ratio is taken against the faster of the two.

Targets: the layered engine at most 0.65x PyTorch's epoch time on 1 thread, and at least
80% of the sgemm rate measured in the same run. Run it with `make bench` (which installs
torch) or `.venv/bin/python benchmarks/layers_vs_torch.py`.
"""

import sys
import time

import numpy as np

from nnbook_utils import layers

SIZES = [784, 128, 64, 10]
N, BATCH, LR = 60_000, 128, 0.05
EPOCHS = 5  # timed per engine and thread count; the median is reported
AGREE_STEPS = 20  # mini-batches whose losses are compared
RTOL = 1e-4  # float32: the engines sum in different orders
SEED = 0


def synthetic_mnist(rng):
    """``X`` ``(N, 784)`` float32 in [0, 1) and labels ``(N,)``: the class a random linear map
    of the centred pixels scores highest."""
    X = rng.random((N, SIZES[0]), dtype=np.float32)  # (N, 784)
    teacher = rng.normal(size=(SIZES[0], SIZES[-1])).astype(np.float32)  # (784, 10)
    return X, np.argmax((X - 0.5) @ teacher, axis=1)  # (N, 784), (N,)


def flops_per_epoch():
    """Multiply-adds (2 flops each) of the matrix products of one epoch: forward Z = A W,
    backward dW = A.T delta, and dA_prev = delta W.T for every layer but the first."""
    products = [d_in * d_out for d_in, d_out in zip(SIZES, SIZES[1:])]
    return 2 * N * (3 * sum(products) - products[0])


def sgemm_rate(rng, repeats=200, blocks=9):
    """GFLOP/s of numpy's float32 matmul at the first layer's shape, median over blocks."""
    A = rng.random((BATCH, SIZES[0]), dtype=np.float32)  # (128, 784)
    W = rng.random((SIZES[0], SIZES[1]), dtype=np.float32)  # (784, 128)
    out = np.empty((BATCH, SIZES[1]), dtype=np.float32)  # (128, 128)
    times = []
    for _ in range(blocks):
        start = time.perf_counter()
        for _ in range(repeats):
            np.matmul(A, W, out=out)
        times.append((time.perf_counter() - start) / repeats)
    return 2 * A.shape[0] * A.shape[1] * W.shape[1] / float(np.median(times)) / 1e9


class TorchNN:
    """PyTorch as most people write it: Linear layers, F.cross_entropy, optim.SGD."""

    def __init__(self, net, X, labels):
        import torch

        self.torch, mods = torch, []
        for layer in net.layers:
            lin = torch.nn.Linear(layer.d_in, layer.d_out)  # float32, weight (d_out, d_in)
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(layer.W.T.copy()))
                lin.bias.copy_(torch.from_numpy(layer.b))
            mods += [lin, torch.nn.ReLU()]
        self.model = torch.nn.Sequential(*mods[:-1])
        self.opt = torch.optim.SGD(self.model.parameters(), lr=LR)
        self.X, self.labels = torch.from_numpy(X), torch.from_numpy(labels)

    def step(self, at):
        loss = self.torch.nn.functional.cross_entropy(self.model(self.X[at]), self.labels[at])
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return loss

    def epoch(self, order, steps=None):
        order = self.torch.from_numpy(order)
        starts = range(0, len(order), BATCH)[:steps]
        return [self.step(order[s:s + BATCH]) for s in starts]


class TorchByHand(TorchNN):
    """The same equations on tensors: Z = A W + b with W (d_in, d_out), autograd, SGD by hand."""

    def __init__(self, net, X, labels):
        import torch

        self.torch = torch
        self.params = [torch.tensor(p, requires_grad=True) for layer in net.layers
                       for p in (layer.W, layer.b)]
        self.X, self.labels = torch.from_numpy(X), torch.from_numpy(labels)

    def step(self, at):
        torch, A = self.torch, self.X[at]
        for l in range(0, len(self.params), 2):
            A = A @ self.params[l] + self.params[l + 1]  # (b, d_out)
            A = torch.relu(A) if l + 2 < len(self.params) else A
        loss = torch.nn.functional.cross_entropy(A, self.labels[at])
        for p in self.params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in self.params:
                p -= LR * p.grad
        return loss


def agreement(X, labels):
    """Train the layered engine and PyTorch (both ways) on the same first mini-batches."""
    n = AGREE_STEPS * BATCH
    net = layers.Sequential.init(SIZES, activation="relu", rng=SEED, dtype="float32")
    engines = [TorchNN(net, X[:n], labels[:n]), TorchByHand(net, X[:n], labels[:n])]
    order = np.random.default_rng(SEED).permutation(n)  # (n,) what train draws for epoch 1
    theirs = [[loss.item() for loss in e.epoch(order)] for e in engines]
    ours = layers.train(net, X[:n], labels[:n], "softmax_cross_entropy", lr=LR, epochs=1,
                        batch_size=BATCH, rng=SEED).loss
    return ours, theirs


def timed_epochs(X, labels, threads):
    """Median epoch time of each engine (EPOCHS epochs each, interleaved) on ``threads``."""
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(threads)
    net = layers.Sequential.init(SIZES, activation="relu", rng=SEED, dtype="float32")
    engines = {"torch.nn": TorchNN(net, X, labels), "torch by hand": TorchByHand(net, X, labels)}
    rngs = {name: np.random.default_rng(SEED + 1) for name in ["layers", *engines]}
    times, sgemm = {name: [] for name in rngs}, []
    with threadpool_limits(limits=threads, user_api="blas"):
        for _ in range(EPOCHS):  # sgemm measured before each round too: the median of 5
            sgemm.append(sgemm_rate(np.random.default_rng(SEED), blocks=3))
            start = time.perf_counter()
            layers.train(net, X, labels, "softmax_cross_entropy", lr=LR, epochs=1,
                         batch_size=BATCH, rng=rngs["layers"])
            times["layers"].append(time.perf_counter() - start)
            for name, engine in engines.items():
                start = time.perf_counter()
                engine.epoch(rngs[name].permutation(N))
                times[name].append(time.perf_counter() - start)
    return float(np.median(sgemm)), {name: float(np.median(t)) for name, t in times.items()}


def report(threads, sgemm, times, flops):
    best = min(times["torch.nn"], times["torch by hand"])
    print(f"\n{threads} thread(s): sgemm at (128, 784) @ (784, 128): {sgemm:.1f} GFLOP/s")
    for name, t in times.items():
        rate = flops / t / 1e9
        print(f"  {name:14s} {t:6.3f} s per epoch  {rate:6.1f} GFLOP/s  "
              f"{rate / sgemm:4.0%} of sgemm")
    ratio, share = times["layers"] / best, flops / times["layers"] / 1e9 / sgemm
    print(f"  layers / fastest PyTorch: {ratio:.2f}x the epoch time (target <= 0.65 on 1 thread); "
          f"layers at {share:.0%} of the sgemm rate (target >= 80%)")


def main():
    try:
        import torch  # noqa: F401
    except ImportError:
        sys.exit("torch is not installed: `make bench` installs it (pip install -e \".[bench]\").")
    X, labels = synthetic_mnist(np.random.default_rng(SEED))
    flops = flops_per_epoch()
    print(f"MLP{SIZES}, ReLU, softmax cross-entropy, float32, {N} examples, mini-batches of "
          f"{BATCH}, SGD lr={LR}: {flops / 1e9:.2f} GFLOP per epoch in the matrix products")

    ours, theirs = agreement(X, labels)
    print(f"\n{'step':>4}  {'layers':>10}  {'torch.nn':>10}  {'by hand':>10}")
    for k, row in enumerate(zip(ours, *theirs)):
        print(f"{k:>4}  " + "  ".join(f"{v:10.6f}" for v in row))
    worst = max(float(np.max(np.abs(np.array(t) - ours) / ours)) for t in theirs)
    print(f"largest relative loss difference {worst:.1e} over {AGREE_STEPS} steps")
    assert worst <= RTOL, f"the losses disagree: relative difference {worst:.3g} > {RTOL:g}"

    for threads in (1, 2):
        report(threads, *timed_epochs(X, labels, threads), flops)


if __name__ == "__main__":
    main()
