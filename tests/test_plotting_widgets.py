"""nnbook_utils.plotting and nnbook_utils.widgets: the book's style, and widgets that
drive the functions they are given."""

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnbook_utils import data, neuron, plotting, widgets


def test_book_style_uses_the_colour_blind_safe_palette():
    plotting.use_book_style()
    cycle = [c.lower() for c in plt.rcParams["axes.prop_cycle"].by_key()["color"]]
    assert cycle[:7] == [c.lower() for c in list(plotting.PALETTE.values())[:7]]
    assert plt.rcParams["figure.facecolor"] == "white"


def test_weight_view_draws_the_line_and_the_tangent():
    x, y = data.km_to_miles()
    fig = plotting.weight_view(x, y, 1.0)
    ax_fit, ax_loss = fig.axes
    assert ax_fit.get_xlabel() == "$x$ (km)" and ax_loss.get_xlabel() == "$w$"
    tangent = ax_loss.lines[1]
    xs, ys = tangent.get_data()
    slope = (ys[1] - ys[0]) / (xs[1] - xs[0])
    assert slope == pytest.approx(neuron.mean_grad(1.0, x, y))


def test_trajectory_view_plots_the_distance_on_a_log_scale():
    x, y = data.km_to_miles()
    ws, _ = neuron.train(0.0, x, y, 0.05, 10)
    fig = plotting.trajectory_view(ws, neuron.best_w(x, y), 0.05, neuron.lr_bound(x))
    assert fig.axes[1].get_yscale() == "log"


def test_weight_explorer_drives_the_functions_it_is_given():
    x, y = data.km_to_miles()
    calls = []

    def spy_mean_grad(w, x, y):
        calls.append(w)
        return neuron.mean_grad(w, x, y)

    box = widgets.weight_explorer(x, y, w0=0.2, mean_grad=spy_mean_grad)
    slider = box.children[0]
    assert isinstance(slider, ipywidgets.FloatSlider) and slider.value == 0.2
    slider.value = 0.9
    assert calls[0] == pytest.approx(0.2) and calls[-1] == pytest.approx(0.9)


def test_lr_explorer_spans_the_bound_and_reports_divergence(capsys):
    x, y = data.km_to_miles()
    box = widgets.lr_explorer(x, y)
    slider, out = box.children
    assert slider.min < 0.5 < 1.0 < slider.max and slider.value == 0.5  # in units of the bound
    assert round((0.5 - slider.min) / slider.step, 9).is_integer()  # the one-step rate is on the grid
    assert round((1.0 - slider.min) / slider.step, 9).is_integer()  # and so is the bound
    seen = []
    widgets.lr_explorer(x, y, fraction=0.25, train=lambda w0, x, y, lr, steps: seen.append(lr) or neuron.train(w0, x, y, lr, steps))
    assert seen == [pytest.approx(0.25 * neuron.lr_bound(x))]

    def exploding(w0, x, y, lr, steps):
        raise neuron.TrainingDiverged("the learning rate is probably too large")

    capsys.readouterr()
    widgets.lr_explorer(x, y, train=exploding)  # without a kernel, the output widget prints
    assert "too large" in capsys.readouterr().out


def test_show_displays_the_figure_with_alt_text(monkeypatch):
    import matplotlib.pyplot as plt

    shown = []
    monkeypatch.setattr(widgets, "display", lambda bundle, raw: shown.append(bundle))
    fig, ax = plt.subplots()
    widgets.show(fig, 'a line "y = x"')
    (bundle,) = shown
    assert bundle["text/html"] == f'<img alt="a line &quot;y = x&quot;" src="data:image/png;base64,{bundle["image/png"]}">'
    assert not plt.fignum_exists(fig.number), "the figure is closed once shown"


def test_every_widget_figure_says_what_it_shows(monkeypatch):
    alts = []
    monkeypatch.setattr(widgets, "show", lambda fig, alt: alts.append(alt))
    x, y = data.km_to_miles()
    widgets.weight_explorer(x, y, w0=0.2)
    widgets.lr_explorer(x, y, fraction=0.75)
    X2, y2 = data.hikes(rng=0)
    widgets.scaling_explorer(X2, y2, inputs="centred")
    X3, y3 = data.two_blobs(rng=0)
    widgets.boundary_explorer(X3, y3, w=(1.0, -2.0), b=0.5)
    assert len(alts) == 4
    assert "y_hat = 0.20 x" in alts[0] and "tangent at w = 0.20" in alts[0]
    assert "0.75 times the bound" in alts[1] and "oscillates towards" in alts[1]
    assert "centred inputs" in alts[2]
    assert "line 1.0 x1 - 2.0 x2 + 0.5 = 0" in alts[3]
