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
    monkeypatch.setattr(widgets, "show", lambda fig, alt, **kw: alts.append(alt))
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


# --- the widgets on a page without a kernel (Explorer's pre-drawn frames) ---


def _frames_spec(html_text):
    import json
    import re

    data = re.search(r'<script type="application/json" class="nnbook-frames-data">(.*?)</script>',
                     html_text, re.S).group(1)
    return json.loads(data.replace("<\\/", "</"))


def _pixels(png_base64):
    import base64
    from io import BytesIO

    from PIL import Image

    return np.asarray(Image.open(BytesIO(base64.b64decode(png_base64))).convert("RGBA"))


def test_every_frame_is_what_the_live_widget_draws_at_that_value(monkeypatch):
    # The live widget, moved to each value of the static grid, displays the same pixels
    # as the frame the page stores for it.
    x, y = data.km_to_miles()
    box = widgets.weight_explorer(x, y, w0=0.2)
    spec = _frames_spec(box.static_html())
    assert spec["labels"][0] == [f"{v:.2f}" for v in np.round(np.arange(-0.2, 1.41, 0.1), 2)]
    assert len(spec["frames"]) == len(spec["labels"][0]) and spec["start"] == [4]
    shown = []
    monkeypatch.setattr(widgets, "display", lambda bundle, raw: shown.append(bundle))
    slider = box.children[0]
    for k in (0, 5, len(spec["labels"][0]) - 1):
        slider.value = float(spec["labels"][0][k])
        png, alt = spec["frames"][str(k)]
        assert np.array_equal(_pixels(shown[-1]["image/png"]), _pixels(png))
        assert f"y_hat = {spec['labels'][0][k]} x" in alt


def test_frames_cover_every_button_and_every_grid_value():
    X, y = data.hikes(rng=0)
    box = widgets.scaling_explorer(X, y, inputs="centred", fraction=0.9, steps=30)
    assert len(box.points()) == len(plotting.INPUTS) * len(box.grid["fraction"])
    spec = _frames_spec(box.static_html())
    keys = {f"{i},{j}" for i in range(len(plotting.INPUTS)) for j in range(len(box.grid["fraction"]))}
    assert set(spec["frames"]) == keys
    assert spec["start"] == [plotting.INPUTS.index("centred"), box.grid["fraction"].index("0.90")]
    assert "every combination" in box.note() and "raw, centred, standardized" in box.note()


def test_several_sliders_move_one_at_a_time_from_their_start():
    X, y = data.two_blobs(rng=0)
    box = widgets.boundary_explorer(X, y, w=(1.0, -2.0), b=0.5)
    sizes = [len(box.grid[n]) for n in ("w1", "w2", "b")]
    assert len(box.points()) == 1 + sum(n - 1 for n in sizes)  # the start point once
    start = {"w1": "1.0", "w2": "-2.0", "b": "0.5"}
    for point in box.points():
        assert sum(point[n] != start[n] for n in start) <= 1
    assert "one control at a time" in box.note()


def test_a_diverging_run_is_a_text_frame():
    x, y = data.km_to_miles()

    def exploding(w0, x, y, lr, steps):
        raise neuron.TrainingDiverged("the learning rate is probably too large")

    box = widgets.lr_explorer(x, y, train=exploding)
    spec = _frames_spec(box.static_html())
    assert all(png is None and "too large" in text for png, text in spec["frames"].values())
    assert '<pre class="nnbook-frame-text">' in box.static_html()


def test_a_grid_must_hold_the_start_value_and_name_every_control():
    slider = ipywidgets.FloatSlider(value=0.25, min=0, max=1, step=0.05, readout_format=".2f")
    draw = lambda w: widgets.Frame(text=str(w))  # noqa: E731
    with pytest.raises(ValueError, match="start value 0.25"):
        widgets.Explorer({"w": slider}, draw, {"w": [0.0, 0.5, 1.0]})
    with pytest.raises(ValueError, match="exactly the controls"):
        widgets.Explorer({"w": slider}, draw, {"v": [0.25]})
    with pytest.raises(ValueError, match="mode"):
        widgets.Explorer({"w": slider}, draw, {"w": [0.25]}, mode="all")


def test_the_widget_bundle_carries_the_static_page_for_the_website():
    x, y = data.km_to_miles()
    bundle = widgets.weight_explorer(x, y)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle  # live in JupyterLab
    assert bundle["text/html"].startswith('<div class="nnbook-frames"')  # the website
    assert "</script>" not in _frames_spec(bundle["text/html"]).__repr__()


@pytest.mark.parametrize("path", __import__("helpers").CHAPTERS, ids=lambda p: p.stem[:2])
def test_every_stored_widget_carries_its_frames_for_the_website(path):
    # A widget output without frames would be a dead picture on the website: every widget
    # in every chapter is an Explorer (new widgets too), executed with its frames stored.
    from helpers import code_cells, read

    for cell in code_cells(read(path)):
        for out in cell.outputs:
            data_ = out.get("data", {})
            if "application/vnd.jupyter.widget-view+json" in data_:
                html_text = data_.get("text/html", "")
                assert html_text.startswith('<div class="nnbook-frames"'), \
                    f"{path.name}, cell {cell.execution_count}: a widget without pre-drawn frames"
                spec = _frames_spec(html_text)
                assert all(len(f) == 2 for f in spec["frames"].values())
