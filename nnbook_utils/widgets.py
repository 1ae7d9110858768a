"""The chapters' interactive widgets (ipywidgets).

Each widget drives the same functions that the chapter derived: pass the chapter's own
functions in, or leave the defaults, the package's reference versions (which the tests
prove agree with the chapter's). Each shows a meaningful figure in its initial state,
so the website (which stores that state) shows it without a kernel. Sliders are
operable by keyboard (Tab to focus, arrow keys to move).
"""

import ipywidgets as widgets
import matplotlib.pyplot as plt

from . import neuron, plotting


def weight_explorer(x, y, w0=0.2, predict=neuron.predict, mean_loss=neuron.mean_loss,
                    mean_grad=neuron.mean_grad):
    """A weight slider for Chapter 1: the data with the line ``y_hat = w x`` (eq-ch1-model),
    and the loss curve (eq-ch1-mean-loss) with the tangent at ``w``, whose slope is
    (eq-ch1-mean-grad)."""
    slider = widgets.FloatSlider(value=w0, min=-0.2, max=1.4, step=0.01, description="w",
                                 continuous_update=False, readout_format=".2f")

    def draw(w):
        plotting.weight_view(x, y, w, predict=predict, mean_loss=mean_loss, mean_grad=mean_grad)
        plt.show()

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
        plotting.trajectory_view(ws, w_star, lr, lr_max)
        plt.show()

    return widgets.VBox([slider, widgets.interactive_output(draw, {"fraction": slider})])
