"""The chapters' interactive widgets (ipywidgets), live in a kernel and pre-drawn for the
website.

Each widget drives the same functions that the chapter derived: pass the chapter's own
functions in, or leave the defaults, the package's reference versions (which the tests
prove agree with the chapter's). Sliders are operable by keyboard (Tab to focus, arrow
keys to move). Every figure a widget draws comes with alt text that says what it shows
for the current values (:func:`show`).

Every widget is an :class:`Explorer`. In a kernel its figure is redrawn whenever a control
moves. A page without a kernel (the website, the offline zip) cannot run Python, so when
the chapter is executed the explorer also draws one frame for each point of a grid of its
controls' values, with the same functions, and stores them in the same output as a small
HTML page: plain HTML controls and a short script that shows the frame of their values
(``text/html``, which the website prefers and JupyterLab, with the live widget, does not).
"""

import hashlib
import html
import itertools
import json

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.core.pylabtools import print_figure
from IPython.display import display

from . import linear, logistic, neuron, plotting

#: Resolution of every widget figure, live and pre-drawn: the same, so that a frame on the
#: website is pixel for pixel what the live widget draws (the book style's 100 dpi).
DPI = 100


def _png(fig, bbox_inches="tight"):
    """The figure as a base64 PNG (what the inline backend would show, at :data:`DPI`),
    and the figure closed."""
    png = print_figure(fig, "png", base64=True, dpi=DPI, bbox_inches=bbox_inches)
    plt.close(fig)
    return png


def show(fig, alt, bbox_inches="tight"):
    """Display a figure with alt text, then close it.

    A figure shown with ``plt.show()`` inside a widget has no alt text: screen readers,
    and the website's widget manager (which labels it "Image"), cannot say what it shows.
    This displays the same PNG twice in one output: as ``image/png`` and as an HTML
    ``<img>`` with ``alt``, which Jupyter and the website prefer.
    """
    png = _png(fig, bbox_inches)
    img = f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{png}">'
    display({"image/png": png, "text/html": img}, raw=True)


class Frame:
    """What an explorer shows for one set of values: a figure and its alt text, or a
    message instead of a figure (``text``, e.g. why training diverged)."""

    def __init__(self, fig=None, alt="", text=None):
        if (fig is None) == (text is None):
            raise ValueError("a Frame holds a figure (with its alt text) or a text, not both")
        self.fig, self.alt, self.text = fig, alt, text


class Explorer(widgets.VBox):
    """A figure that follows its controls: live in a kernel, pre-drawn for a static page.

    ``controls``: a dict, name -> ipywidgets control (a ``FloatSlider`` or
    ``ToggleButtons``); ``draw(**values)`` returns the :class:`Frame` for those values.
    ``grid``: name -> the values drawn for the static page (each must be one the control
    can take, its start value among them). ``mode``: ``"product"`` draws every combination;
    ``"one at a time"`` moves one control while the others keep their start values (for
    several sliders, whose product would be too many frames). ``rows``: how the controls
    are laid out, a list of lists of names (default: all in one row).
    """

    def __init__(self, controls, draw, grid, mode="product", rows=None):
        if mode not in ("product", "one at a time"):
            raise ValueError(f"mode must be 'product' or 'one at a time', got {mode!r}")
        if set(grid) != set(controls):
            raise ValueError(f"the grid needs values for exactly the controls {list(controls)}, "
                             f"got {list(grid)}")
        self.controls, self._draw, self.mode = dict(controls), draw, mode
        self.grid = {name: [self._label(name, v) for v in grid[name]] for name in controls}
        for name, labels in self.grid.items():
            start = self._label(name, controls[name].value)
            if start not in labels:
                raise ValueError(f"the grid of {name} must contain its start value {start}, "
                                 f"got {labels}")
        rows = rows or [list(controls)]
        boxes = [widgets.HBox([controls[n] for n in row]) if len(row) > 1 else controls[row[0]]
                 for row in rows]
        output = widgets.interactive_output(self._live, controls)
        super().__init__([*boxes, output])

    # ----------------------------------------------------------------- values
    def _label(self, name, value):
        """The value as the control shows it (its readout), e.g. "0.20"; the key of a frame."""
        control = self.controls[name] if hasattr(self, "controls") else None
        fmt = getattr(control, "readout_format", None)
        return format(value, fmt) if fmt and not isinstance(value, str) else str(value)

    def _value(self, name, label):
        """The control's value for a grid label."""
        return label if isinstance(self.controls[name], widgets.ToggleButtons) else float(label)

    def frame(self, **labels):
        """``(png, alt)`` or ``(None, text)``: what the live widget shows for these values
        (given as their labels, e.g. ``w="0.20"``), drawn by the same code."""
        frame = self._draw(**{n: self._value(n, labels[n]) for n in self.controls})
        return (None, frame.text) if frame.text is not None else (_png(frame.fig, None), frame.alt)

    def _live(self, **values):
        # Live and pre-drawn figures are kept whole (bbox_inches=None: no tight crop, as
        # constrained layout already fits the labels in), so every frame has the same size
        # and the picture does not jump as a control moves.
        frame = self._draw(**values)
        if frame.text is not None:
            print(frame.text)
        else:
            show(frame.fig, frame.alt, bbox_inches=None)

    def points(self):
        """The grid points that get a frame: dicts name -> label, the start point first."""
        start = {n: self._label(n, c.value) for n, c in self.controls.items()}
        if self.mode == "product":
            names = list(self.grid)
            points = [dict(zip(names, combo)) for combo in itertools.product(*self.grid.values())]
        else:
            points = [{**start, name: label} for name in self.grid for label in self.grid[name]]
        unique = {json.dumps(p, sort_keys=True): p for p in [start, *points]}
        return list(unique.values())

    # ----------------------------------------------------------------- the static page
    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/html"] = self.static_html()
        return bundle

    def static_html(self):
        """The explorer for a page without a kernel: HTML controls over the grid, every
        frame of :meth:`points`, and the script that shows the frame of the controls'
        values (:data:`PLAYER_JS`)."""
        names = list(self.controls)
        frames = {}
        for point in self.points():
            key = ",".join(str(self.grid[n].index(point[n])) for n in names)
            frames[key] = self.frame(**point)
        start = [self.grid[n].index(self._label(n, self.controls[n].value)) for n in names]
        spec = {"mode": self.mode, "start": start, "frames": frames,
                "labels": [self.grid[n] for n in names],
                "names": [self.controls[n].description or n for n in names]}
        data = json.dumps(spec, separators=(",", ":"), sort_keys=True)
        uid = "nnbook-" + hashlib.sha1(data.encode()).hexdigest()[:10]
        safe_data = data.replace("</", "<\\/")  # JSON inside <script>: no "</script>" in it
        controls = "".join(self._static_control(i, n, start[i], uid) for i, n in enumerate(names))
        png, alt = frames[",".join(map(str, start))]
        figure = (f'<img class="nnbook-frame" alt="{html.escape(alt)}" '
                  f'src="data:image/png;base64,{png}">' if png else
                  f'<pre class="nnbook-frame-text">{html.escape(alt)}</pre>')
        return (f'<div class="nnbook-frames" id="{uid}">'
                f'<p class="nnbook-frames-note">{html.escape(self.note())}</p>'
                f'<div class="nnbook-frames-controls">{controls}</div>{figure}'
                f'<script type="application/json" class="nnbook-frames-data">'
                f'{safe_data}</script>'
                f'<script>{PLAYER_JS}</script></div>')

    def _static_control(self, i, name, start, uid):
        control, labels = self.controls[name], self.grid[name]
        title = html.escape(control.description or name)
        if isinstance(control, widgets.ToggleButtons):
            options = "".join(
                f'<label><input type="radio" name="{uid}-{i}" data-control="{i}" value="{k}"'
                f'{" checked" if k == start else ""}> {html.escape(label)}</label>'
                for k, label in enumerate(labels))
            return f'<fieldset class="nnbook-control"><legend>{title}</legend>{options}</fieldset>'
        return (f'<label class="nnbook-control"><span>{title}</span> <input type="range" '
                f'data-control="{i}" min="0" max="{len(labels) - 1}" step="1" value="{start}" '
                f'aria-valuetext="{html.escape(labels[start])}"> '
                f'<output>{html.escape(labels[start])}</output></label>')

    def note(self):
        """What the page says about its frames: how many, and over which values."""
        parts = []
        for name, labels in self.grid.items():
            title = self.controls[name].description or name
            if isinstance(self.controls[name], widgets.ToggleButtons):
                parts.append(f"{title}: {', '.join(labels)}")
            else:
                values = [float(v) for v in labels]
                gaps = {round(b - a, 9) for a, b in zip(values, values[1:])}
                parts.append(f"{title} from {labels[0]} to {labels[-1]} in steps of "
                             f"{format(gaps.pop(), self.controls[name].readout_format)}"
                             if len(gaps) == 1 else f"{title} at {', '.join(labels)}")
        how = ("every combination of " if self.mode == "product" and len(parts) > 1 else
               "one control at a time, the others at their start values: " if len(parts) > 1
               else "")
        return (f"Without Python running (as on this page), the figure is one of "
                f"{len(self.points())} drawn when the chapter was executed: {how}"
                f"{'; '.join(parts)}. Run the notebook for the live widget.")


#: The static page's script: shows the frame of the controls' values; with mode "one at a
#: time", moving one control sets the others back to their start values.
PLAYER_JS = """(function (root) {
  var spec = JSON.parse(root.querySelector('.nnbook-frames-data').textContent);
  var at = spec.start.slice();
  function inputs(i) { return root.querySelectorAll('[data-control="' + i + '"]'); }
  function render() {
    for (var i = 0; i < at.length; i++) {
      inputs(i).forEach(function (el) {
        if (el.type === 'radio') { el.checked = Number(el.value) === at[i]; return; }
        el.value = at[i];
        el.setAttribute('aria-valuetext', spec.labels[i][at[i]]);
        el.parentNode.querySelector('output').textContent = spec.labels[i][at[i]];
      });
    }
    var frame = spec.frames[at.join(',')], old = root.querySelector('.nnbook-frame, .nnbook-frame-text');
    var next;
    if (frame[0]) {
      next = document.createElement('img');
      next.className = 'nnbook-frame';
      next.src = 'data:image/png;base64,' + frame[0];
      next.alt = frame[1];
    } else {
      next = document.createElement('pre');
      next.className = 'nnbook-frame-text';
      next.textContent = frame[1];
    }
    if (old.tagName === next.tagName && next.tagName === 'IMG') { old.src = next.src; old.alt = next.alt; }
    else { old.replaceWith(next); }
  }
  for (var i = 0; i < at.length; i++) {
    inputs(i).forEach(function (el) {
      var k = Number(el.getAttribute('data-control'));
      el.addEventListener('input', function () {
        if (el.type === 'radio' && !el.checked) return;
        if (spec.mode === 'one at a time') at = spec.start.slice();
        at[k] = Number(el.value);
        render();
      });
    });
  }
})(document.currentScript.parentNode);"""


def _steps(low, high, step):
    """``low, low + step, ..., high`` as floats rounded to the step's decimals."""
    n = round((high - low) / step)
    return [round(low + k * step, 10) for k in range(n + 1)]


def weight_explorer(x, y, w0=0.2, predict=neuron.predict, mean_loss=neuron.mean_loss,
                    mean_grad=neuron.mean_grad):
    """A weight slider for Chapter 1: the data with the line ``y_hat = w x`` (eq-ch1-model),
    and the loss curve (eq-ch1-mean-loss) with the tangent at ``w``, whose slope is
    (eq-ch1-mean-grad). Pre-drawn for the website every 0.1."""
    slider = widgets.FloatSlider(value=w0, min=-0.2, max=1.4, step=0.01, description="w",
                                 continuous_update=False, readout_format=".2f")

    def draw(w):
        fig = plotting.weight_view(x, y, w, predict=predict, mean_loss=mean_loss,
                                   mean_grad=mean_grad)
        return Frame(fig, f"Left: the examples and the line y_hat = {w:.2f} x. Right: the mean "
                          f"loss against w, with its tangent at w = {w:.2f}, whose slope is the "
                          f"gradient {mean_grad(w, x, y):.3f}.")

    grid = sorted(set(_steps(-0.2, 1.4, 0.1)) | {round(w0, 2)})
    return Explorer({"w": slider}, draw, {"w": grid})


def lr_explorer(x, y, w0=0.0, steps=25, fraction=0.5, train=neuron.train):
    """A learning-rate slider for Chapter 1: the trajectory of ``w_t`` under gradient
    descent (eq-ch1-update) and its distance to the best weight, which shrinks or grows by
    the factor ``|1 - 2 lr mean(x**2)|`` per step (eq-ch1-error-mean).

    The slider sets the learning rate as a multiple ``fraction`` of the bound
    ``1 / mean(x**2)`` (eq-ch1-lr-bound), so that 0.5 is the one-step rate (eq-ch1-lr-best)
    and 1 is the bound itself. ``train(w0, x, y, lr, steps)`` must return ``(ws, losses)``.
    Pre-drawn for the website every 0.1 (the one-step rate 0.5 and the bound 1 among them).
    """
    lr_max = neuron.lr_bound(x)
    w_star = neuron.best_w(x, y)
    slider = widgets.FloatSlider(value=fraction, min=0.02, max=1.1, step=0.02, description="η × mean(x²)",
                                 style={"description_width": "initial"}, continuous_update=False,
                                 readout_format=".2f")

    def draw(fraction):
        lr = fraction * lr_max
        try:
            ws, _ = train(w0, x, y, lr, steps)
        except neuron.TrainingDiverged as err:
            return Frame(text=str(err))
        fig = plotting.trajectory_view(ws, w_star, lr, lr_max)
        factor = 1 - 2 * fraction  # the error factor per step, (eq-ch1-error-mean)
        behaviour = ("moves straight towards" if 0 <= factor < 1 else
                     "oscillates towards" if -1 < factor < 0 else
                     "oscillates around" if factor == -1 else "oscillates away from")
        return Frame(fig, f"Gradient descent with a learning rate of {fraction:.2f} times the "
                          f"bound 1/mean(x squared), over {steps} steps: w_t {behaviour} the best "
                          f"weight {w_star:.3f} (left), and its distance to it on a log scale "
                          f"(right).")

    grid = sorted(set(_steps(0.1, 1.1, 0.1)) | {round(fraction, 2)})
    return Explorer({"fraction": slider}, draw, {"fraction": grid})


# --- Chapter 3: a decision ---


def boundary_explorer(X, y, w=(1.0, 1.0), b=0.0, predict_proba=logistic.predict_proba,
                      mean_loss=logistic.mean_loss, accuracy=logistic.accuracy,
                      decision_line=logistic.decision_line):
    """Sliders for the weights ``w1``, ``w2`` and the bias ``b`` of one sigmoid neuron with
    two inputs (Chapter 3): the boundary line ``w1 x1 + w2 x2 + b = 0`` (eq-ch3-boundary)
    moves with them, over the data ``X`` (shape ``(n, 2)``) and labels ``y`` (shape
    ``(n,)``), with the mean loss (eq-ch3-mean-bce) and the accuracy (eq-ch3-accuracy) in
    the title. Pass the chapter's own functions, as :func:`plotting.boundary_view` takes them.
    Pre-drawn for the website one slider at a time (every 1.0), the others at their start."""
    def slider(value, name, low, high):
        return widgets.FloatSlider(value=value, min=low, max=high, step=0.1, description=name,
                                   continuous_update=False, readout_format=".1f")

    w1, w2 = (float(v) for v in w)
    sliders = {"w1": slider(w1, "w1", -5.0, 5.0), "w2": slider(w2, "w2", -5.0, 5.0),
               "b": slider(float(b), "b", -5.0, 5.0)}

    def draw(w1, w2, b):
        fig = plotting.boundary_view(X, y, [w1, w2], b, predict_proba=predict_proba,
                                     mean_loss=mean_loss, accuracy=accuracy,
                                     decision_line=decision_line)
        line = f"{w1:.1f} x1 {'-' if w2 < 0 else '+'} {abs(w2):.1f} x2 {'-' if b < 0 else '+'} {abs(b):.1f}"
        return Frame(fig, f"The examples of the two classes in the plane of x1 and x2, shaded "
                          f"by the neuron's probability of class 1, with the boundary line "
                          f"{line} = 0; accuracy {accuracy([w1, w2], b, X, y):.0%}.")

    grid = {name: sorted(set(_steps(-5.0, 5.0, 1.0)) | {round(s.value, 1)})
            for name, s in sliders.items()}
    return Explorer(sliders, draw, grid, mode="one at a time")


# --- Chapter 2: bias and many inputs ---


def scaling_explorer(X, y, inputs="raw", fraction=0.9, steps=300, train=linear.train,
                     standardize=linear.standardize, least_squares=linear.least_squares,
                     mean_loss=linear.mean_loss):
    """Buttons and a learning-rate slider for Chapter 2: gradient descent (eq-ch2-update)
    on raw, centred or standardized (eq-ch2-standardize) inputs, drawn on the loss
    contours, and the distance of the mean loss to its minimum (``plotting.scaling_view``).

    The buttons choose ``inputs`` (one of ``plotting.INPUTS``); the slider sets the
    learning rate as a multiple ``fraction`` of the bound ``2 / lambda_max``
    (eq-ch2-lr-bound) of the inputs in use, so 1 is the bound itself.
    ``standardize(X)`` must return ``(X_s, mu, s)``, and ``train(w0, b0, X, y, lr, steps)``
    must return ``(ws, bs, losses)``. Pre-drawn for the website for every button and
    the learning rates 0.1, 0.5, 0.9, 1 and 1.1 (the bound is 1).
    """
    buttons = widgets.ToggleButtons(options=list(plotting.INPUTS), value=inputs,
                                    description="inputs")
    slider = widgets.FloatSlider(value=fraction, min=0.05, max=1.1, step=0.05,
                                 description="η × λmax / 2", style={"description_width": "initial"},
                                 continuous_update=False, readout_format=".2f")

    def draw(inputs, fraction):
        try:
            fig = plotting.scaling_view(X, y, inputs, fraction, steps, train=train,
                                        standardize=standardize, least_squares=least_squares,
                                        mean_loss=mean_loss)
        except (FloatingPointError, ValueError) as err:  # e.g. neuron.TrainingDiverged
            return Frame(text=str(err))
        return Frame(fig, f"Gradient descent on {inputs} inputs with a learning rate of "
                          f"{fraction:.2f} times the bound 2/lambda_max, over {steps} steps: the "
                          f"path of the weights over the contours of the mean loss (left), and "
                          f"the distance of the mean loss to its minimum on a log scale (right).")

    grid = {"inputs": list(plotting.INPUTS),
            "fraction": sorted({0.1, 0.5, 0.9, 1.0, 1.1, round(fraction, 2)})}
    return Explorer({"inputs": buttons, "fraction": slider}, draw, grid,
                    rows=[["inputs", "fraction"]])
