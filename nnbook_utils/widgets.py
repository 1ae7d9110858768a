"""The chapters' interactive widgets (ipywidgets).

Each widget drives the same functions that the chapter derived: pass the chapter's own
functions in, or leave the defaults, the package's reference versions (which the tests
prove agree with the chapter's). Each shows a meaningful figure in its initial state,
so the website (which stores that state) shows it without a kernel. Sliders are
operable by keyboard (Tab to focus, arrow keys to move). Every figure a widget draws
comes with alt text that says what it shows for the current values (:func:`show`).
"""

import html

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.core.pylabtools import print_figure
from IPython.display import display

from . import linear, logistic, neuron, plotting


def show(fig, alt):
    """Display a figure with alt text, then close it.

    A figure shown with ``plt.show()`` inside a widget has no alt text: screen readers,
    and the website's widget manager (which labels it "Image"), cannot say what it shows.
    This displays the same PNG twice in one output: as ``image/png`` and as an HTML
    ``<img>`` with ``alt``, which Jupyter and the website prefer.
    """
    png = print_figure(fig, "png", base64=True)  # what the inline backend would show
    plt.close(fig)
    img = f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{png}">'
    display({"image/png": png, "text/html": img}, raw=True)


def weight_explorer(x, y, w0=0.2, predict=neuron.predict, mean_loss=neuron.mean_loss,
                    mean_grad=neuron.mean_grad):
    """A weight slider for Chapter 1: the data with the line ``y_hat = w x`` (eq-ch1-model),
    and the loss curve (eq-ch1-mean-loss) with the tangent at ``w``, whose slope is
    (eq-ch1-mean-grad)."""
    slider = widgets.FloatSlider(value=w0, min=-0.2, max=1.4, step=0.01, description="w",
                                 continuous_update=False, readout_format=".2f")

    def draw(w):
        fig = plotting.weight_view(x, y, w, predict=predict, mean_loss=mean_loss,
                                   mean_grad=mean_grad)
        show(fig, f"Left: the examples and the line y_hat = {w:.2f} x. Right: the mean loss "
                  f"against w, with its tangent at w = {w:.2f}, whose slope is the gradient "
                  f"{mean_grad(w, x, y):.3f}.")

    return widgets.VBox([slider, widgets.interactive_output(draw, {"w": slider})])


def lr_explorer(x, y, w0=0.0, steps=25, fraction=0.5, train=neuron.train):
    """A learning-rate slider for Chapter 1: the trajectory of ``w_t`` under gradient
    descent (eq-ch1-update) and its distance to the best weight, which shrinks or grows by
    the factor ``|1 - 2 lr mean(x**2)|`` per step (eq-ch1-error-mean).

    The slider sets the learning rate as a multiple ``fraction`` of the bound
    ``1 / mean(x**2)`` (eq-ch1-lr-bound), so that 0.5 is the one-step rate (eq-ch1-lr-best)
    and 1 is the bound itself. ``train(w0, x, y, lr, steps)`` must return ``(ws, losses)``.
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
            print(err)
            return
        fig = plotting.trajectory_view(ws, w_star, lr, lr_max)
        factor = 1 - 2 * fraction  # the error factor per step, (eq-ch1-error-mean)
        behaviour = ("moves straight towards" if 0 <= factor < 1 else
                     "oscillates towards" if -1 < factor < 0 else
                     "oscillates around" if factor == -1 else "oscillates away from")
        show(fig, f"Gradient descent with a learning rate of {fraction:.2f} times the bound "
                  f"1/mean(x squared), over {steps} steps: w_t {behaviour} the best weight "
                  f"{w_star:.3f} (left), and its distance to it on a log scale (right).")

    return widgets.VBox([slider, widgets.interactive_output(draw, {"fraction": slider})])


# --- Chapter 3: a decision ---


def boundary_explorer(X, y, w=(1.0, 1.0), b=0.0, predict_proba=logistic.predict_proba,
                      mean_loss=logistic.mean_loss, accuracy=logistic.accuracy,
                      decision_line=logistic.decision_line):
    """Sliders for the weights ``w1``, ``w2`` and the bias ``b`` of one sigmoid neuron with
    two inputs (Chapter 3): the boundary line ``w1 x1 + w2 x2 + b = 0`` (eq-ch3-boundary)
    moves with them, over the data ``X`` (shape ``(n, 2)``) and labels ``y`` (shape
    ``(n,)``), with the mean loss (eq-ch3-mean-bce) and the accuracy (eq-ch3-accuracy) in
    the title. Pass the chapter's own functions, as :func:`plotting.boundary_view` takes them."""
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
        show(fig, f"The examples of the two classes in the plane of x1 and x2, shaded by the "
                  f"neuron's probability of class 1, with the boundary line {line} = 0; "
                  f"accuracy {accuracy([w1, w2], b, X, y):.0%}.")

    return widgets.VBox([widgets.HBox(list(sliders.values())),
                         widgets.interactive_output(draw, sliders)])


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
    must return ``(ws, bs, losses)``.
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
            print(err)
            return
        show(fig, f"Gradient descent on {inputs} inputs with a learning rate of {fraction:.2f} "
                  f"times the bound 2/lambda_max, over {steps} steps: the path of the weights "
                  f"over the contours of the mean loss (left), and the distance of the mean "
                  f"loss to its minimum on a log scale (right).")

    controls = widgets.HBox([buttons, slider])
    return widgets.VBox([controls, widgets.interactive_output(draw, {"inputs": buttons, "fraction": slider})])
