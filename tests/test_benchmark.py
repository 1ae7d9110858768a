"""The benchmark (benchmarks/graph_vs_micrograd.py) compares like with like: started from
the same weights, the graph engine and micrograd produce the same losses, accuracies and
parameters on micrograd's demo task. Not timed: the speed-ups are measured by `make bench`."""

import sys

import pytest

from helpers import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import graph_vs_micrograd as bench  # noqa: E402


def test_graph_engine_and_micrograd_train_identically():
    X, y, model, net = bench.same_start()
    assert net.parameters().shape == (len(model.parameters()),) == (337,)
    rows, param_diff = bench.train_both(X, y, model, net, steps=3)
    for k, loss_mg, loss_g, rel, acc, acc_g in rows:
        assert loss_g == pytest.approx(loss_mg, rel=bench.RTOL), f"step {k}"
        assert acc == acc_g
    assert rows[-1][1] < rows[0][1], "the loss goes down"
    assert param_diff <= 1e-12
