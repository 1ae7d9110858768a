"""Check functions for the exercises: each tells the reader whether an answer is right,
and if not, why not.

A check calls the reader's function on seeded inputs, compares with the reference
(worked out independently, usually by finite differences or by simulation), and returns
a :class:`Verdict`: true or false, shown as one line starting with ``Correct:`` or
``Not yet:``. It never raises because of the reader's code: an error inside it is
reported in the verdict instead.

The package holds one module per chapter, ``ch01`` ... ``ch05``: the ``check_*``
functions of that chapter's exercises, with their private helpers (the check's own data,
the common mistakes it recognises). ``_common`` holds :class:`Verdict` and the helpers
that several chapters use. This file re-exports every check, so that a notebook calls
``checks.check_...`` without naming its chapter. A new chapter's checks go in a new
module (``ch06.py``, ...), imported here and listed in ``__all__``; a helper moves to
``_common`` once a second chapter needs it.
"""

from ._common import Verdict
from .ch01 import check_abs_loss_grad, check_bias_grads, check_steps_to_tolerance
from .ch02 import check_mean_grad_loop, check_scaling, check_weighted_mean_grad
from .ch03 import check_bce_grad, check_d_softplus
from .ch04 import check_chain3_deltas, check_xor_grad_w12
from .ch05 import check_push_backward, check_topological_order
from .ch06 import (check_depths, check_layer_flops, check_relu_layer_backward,
                   check_sparse_level)
from .ch07 import check_batch_softmax, check_softmax_jacobian  # Chapter 7, part A
from .ch07 import check_confusion_counts, check_decay_step  # Chapter 7, part B
from .ch08 import check_leaky_he_var, check_momentum_step  # Chapter 8, part A
from .ch08 import check_adam_step, check_linear_decay  # Chapter 8, part B

__all__ = [
    "Verdict",
    # Chapter 1
    "check_abs_loss_grad", "check_bias_grads", "check_steps_to_tolerance",
    # Chapter 2
    "check_mean_grad_loop", "check_weighted_mean_grad", "check_scaling",
    # Chapter 3
    "check_d_softplus", "check_bce_grad",
    # Chapter 4
    "check_chain3_deltas", "check_xor_grad_w12",
    # Chapter 5
    "check_topological_order", "check_push_backward",
    # Chapter 6
    "check_relu_layer_backward", "check_depths", "check_layer_flops", "check_sparse_level",
    # Chapter 7, part A
    "check_batch_softmax", "check_softmax_jacobian",
    # Chapter 7, part B
    "check_confusion_counts", "check_decay_step",
    # Chapter 8, part A
    "check_leaky_he_var", "check_momentum_step",
    # Chapter 8, part B
    "check_adam_step", "check_linear_decay",
]
