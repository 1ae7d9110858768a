"""The book's plotting: one matplotlib style, a colour-blind-safe palette, and the
figures that several cells (and the widgets) draw.

Axes are labelled with the symbols of the notation table (book/notation.md).
"""

from importlib import resources

import matplotlib.pyplot as plt
import numpy as np

from . import neuron

#: The Okabe-Ito palette, safe for the common forms of colour blindness.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}


def use_book_style():
    """Switch matplotlib to the book's style (``nnbook.mplstyle``, shipped with the package)."""
    with resources.as_file(resources.files(__package__) / "nnbook.mplstyle") as path:
        plt.style.use(str(path))


def plot_data_and_fit(ax, x, y, w, predict=neuron.predict):
    """Scatter the data and draw the neuron's line ``y_hat = w x`` (eq-ch1-model) on ``ax``."""
    x_line = np.linspace(0, max(float(np.max(x)), 0.0) * 1.1, 50)  # (50,)
    ax.scatter(x, y, color=PALETTE["blue"], label="data $(x, y)$", zorder=3)
    ax.plot(x_line, predict(w, x_line), color=PALETTE["orange"], label=rf"$\hat y = {w:.3f}\,x$")
    ax.set(xlabel="$x$ (km)", ylabel="$y$ (miles)")
    ax.legend(loc="upper left")


def plot_loss_with_tangent(ax, x, y, w, w_grid, mean_loss=neuron.mean_loss, mean_grad=neuron.mean_grad):
    """The mean loss as a function of ``w`` (eq-ch1-mean-loss), the point at ``w`` and its
    tangent, whose slope is the derivative (eq-ch1-mean-grad)."""
    losses = [mean_loss(v, x, y) for v in w_grid]
    loss_w, slope = mean_loss(w, x, y), mean_grad(w, x, y)
    half = 0.15 * (w_grid[-1] - w_grid[0])
    tangent_w = np.array([w - half, w + half])  # (2,)
    ax.plot(w_grid, losses, color=PALETTE["blue"], label=r"$\mathcal{L}(w)$")
    ax.plot(tangent_w, loss_w + slope * (tangent_w - w), color=PALETTE["vermillion"],
            label=rf"tangent, slope $d\mathcal{{L}}/dw = {slope:.3f}$")
    ax.plot([w], [loss_w], "o", color=PALETTE["vermillion"])
    ax.set(xlabel="$w$", ylabel=r"mean loss $\mathcal{L}$")
    ax.legend(loc="upper center")


def weight_view(x, y, w, w_grid=None, predict=neuron.predict, mean_loss=neuron.mean_loss,
                mean_grad=neuron.mean_grad):
    """Two panels for one weight ``w``: the data with the fitted line, and the loss curve
    with the tangent at ``w``. Returns the figure."""
    if w_grid is None:
        w_grid = np.linspace(-0.2, 1.4, 161)  # (161,)
    fig, (ax_fit, ax_loss) = plt.subplots(1, 2, figsize=(9, 3.4))
    plot_data_and_fit(ax_fit, x, y, w, predict)
    plot_loss_with_tangent(ax_loss, x, y, w, w_grid, mean_loss, mean_grad)
    ax_fit.set_title(f"The line for w = {w:.3f}")
    ax_loss.set_title(f"The loss at w = {w:.3f} and its slope")
    return fig


def trajectory_view(ws, w_star, lr, lr_max):
    """Two panels for one training run: ``w_t`` against the step t, and
    ``|w_t - w*|`` on a log scale (a straight line means a constant factor per step).
    ``ws`` holds ``w_0 .. w_T``; ``lr_max`` is the bound (eq-ch1-lr-bound)."""
    ws = np.asarray(ws, dtype=float)
    steps = np.arange(len(ws))  # (T + 1,)
    fig, (ax_w, ax_err) = plt.subplots(1, 2, figsize=(9, 3.4))
    ax_w.plot(steps, ws, "o-", color=PALETTE["blue"], markersize=3, label="$w_t$")
    ax_w.axhline(w_star, color=PALETTE["black"], linestyle="--", linewidth=1, label=r"$w^\star$")
    ax_w.set(xlabel="step $t$", ylabel="$w_t$",
             title=rf"$\eta = {lr:.3f}$, that is {lr / lr_max:.2f} $\times\, 1/\overline{{x^2}}$")
    ax_w.legend(loc="best")
    err = np.abs(ws - w_star)
    ax_err.semilogy(steps, np.maximum(err, 1e-16), color=PALETTE["vermillion"])
    ax_err.set(xlabel="step $t$", ylabel=r"$|w_t - w^\star|$", title="Distance to the best weight (log scale)")
    return fig
