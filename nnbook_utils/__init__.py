"""nnbook_utils: the helper package of nnbook.

It holds the reference form of what the chapters derive, plus the book's plotting
style, widgets, seeded toy data and the finite-difference checks. Modules are small
and named after what they hold:

- :mod:`nnbook_utils.neuron`    the one-weight neuron of Chapter 1
- :mod:`nnbook_utils.linear`    many inputs and a bias: linear regression (Chapter 2)
- :mod:`nnbook_utils.activations` activation functions and their derivatives (Chapter 3)
- :mod:`nnbook_utils.losses`    losses of one example and their derivatives (softmax cross-entropy: Chapter 7)
- :mod:`nnbook_utils.logistic`  one sigmoid neuron as a classifier (Chapter 3)
- :mod:`nnbook_utils.graph`     the graph engine: networks wired neuron by neuron (Chapters 4, 5)
- :mod:`nnbook_utils.layers`    dense layers: one matrix product per layer (Chapter 6)
- :mod:`nnbook_utils.schedule`  any graph as one masked matrix product per depth (Chapter 6)
- :mod:`nnbook_utils.optim`     optimizers (SGD, momentum, RMSProp, Adam) and learning-rate schedules (Chapter 8)
- :mod:`nnbook_utils.gradcheck` finite-difference gradient checks (every chapter)
- :mod:`nnbook_utils.data`      seeded toy data sets
- :mod:`nnbook_utils.plotting`  the book's matplotlib style and figures
- :mod:`nnbook_utils.widgets`   the chapters' ipywidgets
- :mod:`nnbook_utils.checks`    check functions for the exercises (one module per chapter)
- :mod:`nnbook_utils.check_setup` the learners' pre-flight check: ``python -m nnbook_utils.check_setup``
"""

__version__ = "0.1.0"
