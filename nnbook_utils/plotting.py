"""The book's plotting: one matplotlib style, a colour-blind-safe palette, and the
figures that several cells (and the widgets) draw.

Axes are labelled with the symbols of the notation table (book/notation.md).
"""

from importlib import resources

import matplotlib.pyplot as plt
import numpy as np

from . import linear, logistic, neuron

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


# --- Chapter 3: a decision ---


def plot_two_classes(ax, X, y):
    """Scatter the examples of class 0 (blue circles) and class 1 (orange triangles) in
    the plane of the inputs ``x1``, ``x2``. ``X`` has shape ``(n, 2)``, ``y`` shape ``(n,)``."""
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    ax.scatter(X[y == 0, 0], X[y == 0, 1], color=PALETTE["blue"], marker="o", edgecolor="white",
               linewidth=0.5, label="class 0 ($y = 0$)", zorder=3)
    ax.scatter(X[y == 1, 0], X[y == 1, 1], color=PALETTE["orange"], marker="^", edgecolor="black",
               linewidth=0.5, label="class 1 ($y = 1$)", zorder=3)
    ax.set(xlabel="$x_1$", ylabel="$x_2$")


def boundary_view(X, y, w, b, predict_proba=logistic.predict_proba, mean_loss=logistic.mean_loss,
                  accuracy=logistic.accuracy, decision_line=logistic.decision_line, ax=None):
    """One sigmoid neuron with two inputs as a classifier: the data, the probability
    ``y_hat`` (eq-ch3-proba) as background shading, the boundary line where ``z = 0``
    (eq-ch3-boundary), the weight vector ``w`` drawn from the boundary (it points to the
    side of class 1), and the mean loss (eq-ch3-mean-bce) and accuracy (eq-ch3-accuracy)
    in the title. Returns the figure."""
    X, w = np.asarray(X, dtype=float), np.asarray(w, dtype=float)
    fig, ax = (plt.subplots(figsize=(5.2, 5.2)) if ax is None else (ax.figure, ax))
    pad = 0.5
    (lo1, lo2), (hi1, hi2) = X.min(axis=0) - pad, X.max(axis=0) + pad
    g1, g2 = np.meshgrid(np.linspace(lo1, hi1, 120), np.linspace(lo2, hi2, 120))  # (120, 120) each
    grid = np.column_stack([g1.ravel(), g2.ravel()])  # (14400, 2)
    proba = np.asarray(predict_proba(w, b, grid)).reshape(g1.shape)  # (120, 120)
    shading = ax.contourf(g1, g2, proba, levels=np.linspace(0, 1, 11), cmap="PuOr_r", alpha=0.35)
    fig.colorbar(shading, ax=ax, label=r"$\hat y = \sigma(z)$")
    plot_two_classes(ax, X, y)
    if w[1] != 0:
        x1 = np.array([lo1, hi1])  # (2,)
        ax.plot(x1, decision_line(w, b, x1), color=PALETTE["black"], label="boundary $z = 0$")
    elif w[0] != 0:
        ax.axvline(-b / w[0], color=PALETTE["black"], label="boundary $z = 0$")
    if np.any(w):
        foot = -b * w / (w @ w)  # (2,) the point of the boundary closest to the origin
        ax.annotate("", xy=foot + w / np.linalg.norm(w), xytext=foot,
                    arrowprops={"arrowstyle": "->", "color": PALETTE["vermillion"], "linewidth": 2})
        ax.plot([], [], color=PALETTE["vermillion"], linewidth=2, label=r"direction of $\mathbf{w}$")
    ax.set(xlim=(lo1, hi1), ylim=(lo2, hi2), aspect="equal",
           title=f"loss {mean_loss(w, b, X, y):.3f}, accuracy {accuracy(w, b, X, y):.0%}")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize="small")
    return fig


# --- Chapter 2: bias and many inputs ---


def plot_contours_with_path(ax, X, y, ws, w0=None, mean_loss=None, least_squares=None):
    """Contours of the mean loss (eq-ch2-mean-loss) over ``(w_1, w_2)`` for two inputs,
    with the bias fixed at its best value ``b*`` (a slice through the bowl at ``b = b*``),
    the best weights ``w*`` (eq-ch2-normal), and the path ``ws`` (shape ``(T + 1, 2)``)
    of gradient descent, drawn as its shadow on that plane. The frame holds the start
    ``w0`` (default ``ws[0]``), ``w*`` and the path, except where a diverging path
    leaves it."""
    mean_loss = mean_loss or linear.mean_loss
    least_squares = least_squares or linear.least_squares
    ws = np.asarray(ws, dtype=float)
    w_star, b_star = least_squares(X, y)
    start = ws[0] if w0 is None else np.asarray(w0, dtype=float)
    reach = 2 * np.linalg.norm(start - w_star) + 1e-9
    near = ws[np.linalg.norm(ws - w_star, axis=1) <= reach]  # a diverging path is left out
    corners = np.vstack([start, w_star, near])  # (m, 2)
    lo, hi = corners.min(axis=0), corners.max(axis=0)  # (2,), (2,)
    pad = 0.15 * np.maximum(hi - lo, 0.2 * (np.abs(hi) + 1e-3))  # (2,)
    g1 = np.linspace(lo[0] - pad[0], hi[0] + pad[0], 60)  # (60,)
    g2 = np.linspace(lo[1] - pad[1], hi[1] + pad[1], 60)  # (60,)
    grid = np.array([[mean_loss(np.array([a, c]), b_star, X, y) for a in g1] for c in g2])
    low = mean_loss(w_star, b_star, X, y)
    levels = low + (grid.max() - low) * np.geomspace(1e-3, 1, 12)  # (12,)
    ax.contour(g1, g2, grid, levels=levels, cmap="viridis", linewidths=0.8)
    ax.plot(ws[:, 0], ws[:, 1], ".-", color=PALETTE["vermillion"], markersize=2,
            linewidth=0.8, label=r"path $\mathbf{w}_t$")
    ax.plot(*w_star, "*", color=PALETTE["black"], markersize=10, label=r"$\mathbf{w}^\star$")
    ax.set(xlim=(g1[0], g1[-1]), ylim=(g2[0], g2[-1]), xlabel="$w_1$", ylabel="$w_2$")
    ax.legend(loc="upper left", fontsize="small")


INPUTS = ("raw", "centred", "standardized")  # the kinds of inputs scaling_view draws


def scaling_view(X, y, inputs, fraction, steps=300, train=None, standardize=None,
                 least_squares=None, mean_loss=None):
    """Two panels for one run of gradient descent (eq-ch2-update) from ``w = 0, b = 0`` on
    ``inputs`` = "raw", "centred" (``X - mu``) or "standardized" (eq-ch2-standardize)
    inputs, with ``lr = fraction * 2 / lambda_max`` (eq-ch2-lr-bound): the loss contours
    with the path, and the distance of the mean loss to its minimum on a log scale.
    ``standardize(X)`` must return ``(X_s, mu, s)``, and ``train(w0, b0, X, y, lr, steps)``
    must return ``(ws, bs, losses)``. For raw inputs the contours are a slice at ``b = b*`` that the
    path need not follow (its bias lags); centred inputs decouple the bias, so there the
    contours are exact for the weights' path. Returns the figure."""
    if inputs not in INPUTS:
        raise ValueError(f"inputs must be one of {INPUTS}, got {inputs!r}")
    train = train or linear.train
    standardize = standardize or linear.standardize
    least_squares = least_squares or linear.least_squares
    mean_loss = mean_loss or linear.mean_loss
    X = np.asarray(X, dtype=float)  # (n, d)
    X_s, mu, _ = standardize(X)  # (n, d), (d,), (d,)
    X_used = {"raw": X, "centred": X - mu, "standardized": X_s}[inputs]  # (n, d)
    eigenvalues = np.linalg.eigvalsh(linear.curvature(X_used))  # (d + 1,)
    lr = fraction * 2 / eigenvalues[-1]
    with np.errstate(over="ignore", invalid="ignore"):
        ws, _, losses = train(np.zeros(X_used.shape[1]), 0.0, X_used, y, lr, steps)
    w_star, b_star = least_squares(X_used, y)
    excess = np.asarray(losses) - mean_loss(w_star, b_star, X_used, y)  # (steps + 1,)
    fig, (ax_c, ax_l) = plt.subplots(1, 2, figsize=(9, 3.6))
    plot_contours_with_path(ax_c, X_used, y, ws, w0=np.zeros(X_used.shape[1]),
                            mean_loss=mean_loss, least_squares=least_squares)
    if inputs == "standardized":
        ax_c.set(xlabel="$w'_1$", ylabel="$w'_2$")
    where = r" (slice at $b = b^\star$)" if inputs == "raw" else ""
    ax_c.set_title(rf"{inputs} inputs{where}, $\kappa$ = {eigenvalues[-1] / eigenvalues[0]:.0f}")
    ax_l.semilogy(np.clip(excess, 1e-16, 1e300), color=PALETTE["blue"])
    ax_l.set(xlabel="step $t$", ylabel=r"$\mathcal{L}(\theta_t) - \mathcal{L}^\star$",
             title=rf"$\eta$ = {fraction:.2f} $\times\ 2/\lambda_{{\max}}$ (log scale)")
    return fig


# --- Chapters 4 and 5: the graph engine ---


def graph_depths(net):
    """``{name: depth}`` for a graph network (``nnbook_utils.graph.Graph``): the inputs
    have depth 0, a neuron is one deeper than its deepest source."""
    depth = {name: 0 for name in net.inputs}
    sources = {nrn.name: nrn.sources for nrn in net.neurons}
    for name in net.order:  # topological order: every source has its depth already
        depth[name] = 1 + max(depth[s] for s in sources[name])
    return depth


def _bend_down(transform, rad):
    """A connection style for ``FancyArrowPatch``: a quadratic Bezier curve from source to
    reader whose control point lies ``rad`` times the horizontal distance below the middle
    of the two, in data coordinates. (Matplotlib's ``"arc3"`` bends in screen coordinates,
    so how low its curves dip in data units depends on the axes' size.)"""
    from matplotlib.patches import ConnectionStyle
    from matplotlib.path import Path

    class BendDown(ConnectionStyle._Base):  # _Base clips and shrinks the path at the nodes
        def connect(self, posA, posB):
            (x1, y1), (x2, y2) = transform.inverted().transform([posA, posB])
            control = ((x1 + x2) / 2, (y1 + y2) / 2 - rad * (x2 - x1))
            return Path(transform.transform([(x1, y1), control, (x2, y2)]),
                        [Path.MOVETO, Path.CURVE3, Path.CURVE3])

    return BendDown()


def _curve(p1, p2, rad, n=51):
    """``n`` points ``(n, 2)`` of the curve of :func:`_bend_down` from ``p1`` to ``p2``, in
    data coordinates (``rad < 0`` bends it up)."""
    (x1, y1), (x2, y2) = p1, p2
    control = np.array([(x1 + x2) / 2, (y1 + y2) / 2 - rad * (x2 - x1)])
    t = np.linspace(0.0, 1.0, n)[:, None]  # (n, 1)
    return (1 - t) ** 2 * np.asarray(p1) + 2 * t * (1 - t) * control + t ** 2 * np.asarray(p2)


def _skip_bend(p1, p2, others, clearance=0.22):
    """The bend of an edge that skips a depth: of the bends 0.05, 0.1, ..., 0.8 down or up,
    the one closest to 0.2 down whose curve keeps ``clearance`` (data units) from every
    node in ``others`` (an ``(m, 2)`` array), or, if none does, the one that keeps
    farthest from them. (A fixed bend can run straight through a node in between.)"""
    options = sorted((sign * 0.05 * i for i in range(1, 17) for sign in (1, -1)),
                     key=lambda rad: (round(abs(abs(rad) - 0.2), 9), rad < 0))
    best, best_gap = options[0], -np.inf
    for rad in options:
        points = _curve(p1, p2, rad)  # (51, 2)
        gap = min((np.hypot(*(points - o).T).min() for o in others), default=np.inf)
        if gap >= clearance:
            return rad
        if gap > best_gap:
            best, best_gap = rad, gap
    return best


def draw_graph(net, ax=None):
    """Draw a graph network (``nnbook_utils.graph.Graph``) and return the axes.

    Nodes are laid out by depth (:func:`graph_depths`) from left to right: inputs (sky
    blue), hidden neurons (white) and outputs (orange), each labelled with its name. Every
    edge is an arrow from a source to the neuron that reads it; its width grows with
    ``|w|`` and its colour gives the sign of ``w`` (blue: positive, vermillion: negative).
    An edge that skips a depth is drawn curved, bent down (or up) by the amount nearest
    to a fixed one that keeps it clear of the other nodes (:func:`_skip_bend`).
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch

    depth = graph_depths(net)
    columns = {}
    for name in net.inputs + net.order:
        columns.setdefault(depth[name], []).append(name)
    if ax is None:
        tallest = max(len(names) for names in columns.values())
        ax = plt.subplots(figsize=(1.4 * len(columns) + 1.5, 0.45 * tallest + 1.2))[1]
    pos = {name: (d, (len(names) - 1) / 2 - i) for d, names in columns.items()
           for i, name in enumerate(names)}
    neurons = net.neurons
    w_max = max((abs(w) for nrn in neurons for w in nrn.weights), default=0.0) or 1.0
    half = max(len(names) for names in columns.values()) / 2
    radius, bottom, top = 11, -half, half  # the nodes' radius (points), the y range to show
    for nrn in neurons:
        for source, w in zip(nrn.sources, nrn.weights):
            bend = 0.0  # an edge to the next depth is straight: no node lies in between
            if depth[nrn.name] - depth[source] > 1:  # a skip: bend around the other nodes
                others = np.array([pos[m] for m in pos if m not in (source, nrn.name)])
                bend = _skip_bend(pos[source], pos[nrn.name], others)
            curve = _curve(pos[source], pos[nrn.name], bend)  # (51, 2)
            bottom = min(bottom, curve[:, 1].min() - 0.15)
            top = max(top, curve[:, 1].max() + 0.15)
            ax.add_patch(FancyArrowPatch(
                pos[source], pos[nrn.name], arrowstyle="-|>", mutation_scale=8,
                shrinkA=radius, shrinkB=radius + 1,
                connectionstyle=_bend_down(ax.transData, bend),
                linewidth=0.4 + 2.6 * abs(w) / w_max, alpha=0.85, zorder=1,
                color=PALETTE["blue"] if w >= 0 else PALETTE["vermillion"]))
    names = net.inputs + net.order
    fill = ["#FFFFFF" if name not in net.outputs else PALETTE["orange"] for name in names]
    fill = [PALETTE["sky"] if name in net.inputs else f for name, f in zip(names, fill)]
    ax.scatter([pos[n][0] for n in names], [pos[n][1] for n in names], s=(2 * radius) ** 2,
               c=fill, edgecolors=PALETTE["black"], linewidths=0.8, zorder=2)
    for name in names:
        ax.text(*pos[name], name, ha="center", va="center", fontsize=6.5, zorder=3)
    ax.legend(handles=[Line2D([], [], color=PALETTE["blue"], linewidth=2, label="$w > 0$"),
                       Line2D([], [], color=PALETTE["vermillion"], linewidth=2, label="$w < 0$")],
              loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small",
              title=r"width $\propto |w|$", title_fontsize="small")
    ax.set(xlim=(-0.5, max(columns) + 0.5), ylim=(bottom, top))
    ax.set_axis_off()
    return ax
