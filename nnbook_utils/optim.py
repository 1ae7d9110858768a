"""Optimizers and learning-rate schedules (Chapter 8).

An **optimizer** here is the rule that turns a gradient into a step. Chapter 1's gradient
descent is the simplest: step against the gradient, ``lr`` times its size. The others
keep a little memory of past gradients (a running average, one per parameter) and use it
to choose a better step. Each one is derived in Chapter 8, and each update below cites the
label of its equation there. ``g`` is the gradient of the loss at the current parameters
``theta``; every operation is elementwise (``g^2`` squares each entry)::

    SGD       theta <- theta - lr g                                (eq-ch1-update)
    Momentum  v <- beta v + g                                      (eq-ch8-momentum-v)
              theta <- theta - lr v                                (eq-ch8-momentum-step)
    RMSProp   s <- beta s + (1 - beta) g^2                         (eq-ch8-rmsprop-s)
              theta <- theta - lr g / (sqrt(s) + eps)              (eq-ch8-rmsprop-step)
    Adam      m <- beta1 m + (1 - beta1) g                         (eq-ch8-adam-m)
              s <- beta2 s + (1 - beta2) g^2                       (eq-ch8-adam-s)
              m_hat = m / (1 - beta1^t),  s_hat = s / (1 - beta2^t)  (eq-ch8-adam-hat)
              theta <- theta - lr m_hat / (sqrt(s_hat) + eps)      (eq-ch8-adam-step)

``v``, ``s`` and ``m`` start at 0; in Adam ``t`` is the number of the step, counting from 1.

Every optimizer is used the same way::

    opt = Adam(lr=0.01)
    opt.step(params, grads)   # updates params IN PLACE, returns them; opt.t += 1

``params`` and ``grads`` are one float numpy array each (a flat parameter vector, or any
shape) or lists (tuples) of arrays of matching shapes (the layers' ``W`` and ``b``). The
optimizer keeps its memory per array, created at its first step; a later step with other
shapes raises ValueError (use a new optimizer, or :meth:`Optimizer.reset`).

``lr`` is a number > 0 or a **schedule**: a function of the step ``k`` (0, 1, 2, ...) that
returns the learning rate; step ``k`` uses ``lr(k)`` with ``k = opt.t`` before the step.
The schedules of Chapter 8 are built by :func:`constant`, :func:`step_decay`,
:func:`cosine` and :func:`warmup`::

    step_decay   lr(k) = lr factor^(k // every)                            (eq-ch8-step-decay)
    cosine       lr(k) = lr_min + (lr - lr_min) (1 + cos(pi k / total)) / 2  for k < total,
                 lr_min after                                              (eq-ch8-cosine)
    warmup       lr(k) = base(k) (k + 1) / steps  for k < steps, base(k) after  (eq-ch8-warmup)

:func:`train` is ``nnbook_utils.layers.train`` with the step taken by an optimizer.

Example
-------
>>> theta = np.array([1.0, -2.0])
>>> SGD(lr=0.1).step(theta, np.array([1.0, 1.0]))
array([ 0.9, -2.1])
"""

import math
import numbers

import numpy as np

from . import layers
from .neuron import TrainingDiverged


# --------------------------------------------------------------------- checks
def _real(value):
    """Whether ``value`` is one real number (not a bool, not an array, not complex)."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _positive_lr(lr, name="lr"):
    if not (_real(lr) and math.isfinite(lr) and lr > 0):
        why = (" Gradient descent steps against the gradient with lr > 0: a negative "
               "learning rate would step uphill, and 0 would not move at all."
               if _real(lr) and math.isfinite(lr) else "")
        raise ValueError(f"{name} must be a finite number > 0, got {lr!r}.{why}")
    return float(lr)


def _learning_rate(lr):
    """``lr`` as given if it is a schedule (callable), else as a float > 0."""
    if callable(lr):
        return lr
    if not _real(lr):
        raise ValueError(f"lr must be a number > 0 or a schedule (a function of the step k "
                         f"returning the learning rate), got {lr!r}")
    return _positive_lr(lr)


def _beta(beta, name, why):
    if not (_real(beta) and 0 <= beta < 1):
        raise ValueError(f"{name} must be a number in [0, 1), got {beta!r}: {why}")
    return float(beta)


def _eps(eps):
    if not (_real(eps) and math.isfinite(eps) and eps > 0):
        raise ValueError(f"eps must be a finite number > 0, got {eps!r}: it keeps the division "
                         "finite where the running average of g^2 is 0")
    return float(eps)


def _whole(value, name):
    if not (isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
            and value >= 1):
        raise ValueError(f"{name} must be a whole number >= 1 (a count of steps), got {value!r}")
    return int(value)


def _step_number(k):
    if not (isinstance(k, (int, np.integer)) and not isinstance(k, (bool, np.bool_)) and k >= 0):
        raise ValueError(f"a schedule is called with the step k = 0, 1, 2, ..., got {k!r}")
    return int(k)


def _arrays(params, grads):
    """``(ps, gs)``: lists of the parameter arrays (the caller's, updated in place) and of the
    gradients as arrays of the same shapes and dtypes; or a ValueError that says what is
    wrong."""
    many = isinstance(params, (list, tuple))
    ps = list(params) if many else [params]
    if many != isinstance(grads, (list, tuple)) or (many and len(grads) != len(ps)):
        raise ValueError("params and grads must match: one array each, or lists of the same "
                         f"length (got {_describe(params)} and {_describe(grads)})")
    gs = list(grads) if many else [grads]
    for i, p in enumerate(ps):
        where = f"params[{i}]" if many else "params"
        if not (isinstance(p, np.ndarray) and p.dtype.kind == "f"):
            raise ValueError(f"{where} must be a float numpy array (the optimizer updates it in "
                             f"place), got {_describe(p)}")
        if not p.flags.writeable:
            raise ValueError(f"{where} is read-only: the optimizer updates it in place")
    out = []
    for i, (p, g) in enumerate(zip(ps, gs)):
        where = f"grads[{i}]" if many else "grads"
        try:
            g = np.asarray(g)
        except (TypeError, ValueError):
            g = np.asarray(None)
        if g.dtype.kind not in "iuf":
            raise ValueError(f"{where} must be real numbers, got {_describe(g)}")
        if g.shape != p.shape:
            raise ValueError(f"{where} has shape {g.shape} but its parameters have shape "
                             f"{p.shape}: one partial derivative per parameter")
        out.append(g.astype(p.dtype, copy=False))  # in the parameters' dtype (float32 stays)
    return ps, out


def _describe(x):
    if isinstance(x, (list, tuple)):
        return f"a {type(x).__name__} of {len(x)}"
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape}, dtype {x.dtype}"
    return f"{type(x).__name__} {x!r}"[:80]


# --------------------------------------------------------------------- optimizers
class Optimizer:
    """What every optimizer shares: the learning rate (a number or a schedule), the step count
    ``t``, and memory (running averages) kept per parameter array. A subclass names its
    memory in ``_memory`` (started at 0) and writes ``_update``."""

    _memory = ()

    def __init__(self, lr):
        self.lr = _learning_rate(lr)
        self.reset()

    def reset(self):
        """Forget everything: the step count ``t`` back to 0 and the running averages with it
        (they are created again, at 0, by the next step, for that step's shapes)."""
        self.t = 0
        self._state, self._shapes, self._single = None, None, None

    def lr_at(self, k):
        """The learning rate of step ``k`` (0, 1, ...): ``lr``, or ``lr(k)`` for a schedule.
        Raises ValueError, naming k, if a schedule returns something that is not a finite
        number >= 0 (0 is allowed: the end of a cosine schedule takes no step)."""
        if not callable(self.lr):
            return self.lr
        value = self.lr(k)
        if not (_real(value) and math.isfinite(value) and value >= 0):
            raise ValueError(f"the learning-rate schedule returned {value!r} at step k={k}: a "
                             "learning rate must be a finite number >= 0 (a negative one "
                             "would step uphill)")
        return float(value)

    def step(self, params, grads):
        """One step: update ``params`` in place from ``grads`` (one array, or lists of arrays
        of matching shapes) and return ``params``. Raises ValueError for gradients with NaN
        or inf (naming the step) and for shapes other than at the first step."""
        ps, gs = _arrays(params, grads)
        k = self.t
        for i, g in enumerate(gs):
            if not np.all(np.isfinite(g)):
                where = f"grads[{i}]" if len(gs) > 1 else "grads"
                raise ValueError(f"{where} holds NaN or inf at step {k}: the step would make the "
                                 "parameters NaN. A loss that overflowed? Try a smaller lr.")
        shapes = [p.shape for p in ps]
        if self._state is None:
            self._shapes, self._single = shapes, not isinstance(params, (list, tuple))
            self._state = {name: [np.zeros_like(p) for p in ps] for name in self._memory}
        elif shapes != self._shapes:
            raise ValueError(f"this {type(self).__name__} keeps its running averages for "
                             f"parameters of shapes {self._shapes} (from its first step), got "
                             f"shapes {shapes}: use a new optimizer, or call reset(), for "
                             "other parameters")
        lr = self.lr_at(k)
        for i, (p, g) in enumerate(zip(ps, gs)):
            self._update(p, g, lr, {name: arrays[i] for name, arrays in self._state.items()})
        self.t = k + 1
        return params

    def _update(self, p, g, lr, memory):
        raise NotImplementedError

    def _view(self, name):
        """The running average ``name`` as the caller's structure (one array or a list), or
        None before the first step."""
        if self._state is None:
            return None
        arrays = self._state[name]
        return arrays[0] if self._single else list(arrays)

    def _settings(self):
        return {}

    def __repr__(self):
        parts = [f"lr={self.lr!r}"] + [f"{k}={v!r}" for k, v in self._settings().items()]
        return f"{type(self).__name__}({', '.join(parts)})"


class SGD(Optimizer):
    """Gradient descent, Chapter 1's rule: ``theta <- theta - lr g``. Implements (eq-ch1-update)
    (for each parameter at once). No memory."""

    def _update(self, p, g, lr, memory):
        p -= lr * g  # (eq-ch1-update)


class Momentum(Optimizer):
    """Gradient descent with momentum (the heavy ball): the step follows ``v``, a running sum
    of past gradients, each ``beta`` times weaker than the one after it.

    ``v <- beta v + g`` (eq-ch8-momentum-v), ``theta <- theta - lr v`` (eq-ch8-momentum-step).
    ``v`` starts at 0; ``beta`` in [0, 1) (0 is plain SGD). After a step, :attr:`v` holds the
    velocity (one array, or a list, like the params)."""

    _memory = ("v",)

    def __init__(self, lr, beta=0.9):
        self.beta = _beta(beta, "beta", "with beta = 1 the velocity never forgets a gradient: it "
                          "is the sum of all of them and grows without bound")
        super().__init__(lr)

    v = property(lambda self: self._view("v"), doc="The velocity ``v`` (None before a step).")

    def _update(self, p, g, lr, memory):
        v = memory["v"]
        v *= self.beta
        v += g  # (eq-ch8-momentum-v)  v <- beta v + g
        p -= lr * v  # (eq-ch8-momentum-step)

    def _settings(self):
        return {"beta": self.beta}


class RMSProp(Optimizer):
    """Gradient descent with each coordinate's step divided by a running root mean square of
    its gradient, so that every parameter moves about ``lr`` per step whatever its gradient's
    scale.

    ``s <- beta s + (1 - beta) g^2`` (eq-ch8-rmsprop-s), ``theta <- theta - lr g / (sqrt(s) +
    eps)`` (eq-ch8-rmsprop-step). ``s`` starts at 0. :attr:`s` holds it after a step."""

    _memory = ("s",)

    def __init__(self, lr, beta=0.9, eps=1e-8):
        self.beta = _beta(beta, "beta", "with beta = 1 the running average s would never move "
                          "from its start, 0, and every step would divide by eps alone")
        self.eps = _eps(eps)
        super().__init__(lr)

    s = property(lambda self: self._view("s"), doc="The running average of ``g^2``.")

    def _update(self, p, g, lr, memory):
        s = memory["s"]
        s *= self.beta
        s += (1.0 - self.beta) * (g * g)  # (eq-ch8-rmsprop-s)
        p -= lr * g / (np.sqrt(s) + self.eps)  # (eq-ch8-rmsprop-step)

    def _settings(self):
        return {"beta": self.beta, "eps": self.eps}


class Adam(Optimizer):
    """Momentum and RMSProp together, with both running averages corrected for their start
    at 0.

    ``m <- beta1 m + (1 - beta1) g`` (eq-ch8-adam-m), ``s <- beta2 s + (1 - beta2) g^2``
    (eq-ch8-adam-s), ``m_hat = m / (1 - beta1^t)``, ``s_hat = s / (1 - beta2^t)`` with ``t``
    the number of this step counting from 1 (eq-ch8-adam-hat), ``theta <- theta - lr m_hat /
    (sqrt(s_hat) + eps)`` (eq-ch8-adam-step). After a step, :attr:`m` and :attr:`s` hold the
    averages (not corrected) and :attr:`t` the number of steps taken."""

    _memory = ("m", "s")

    def __init__(self, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        why = ("with {} = 1 the running average would never move from its start, 0, and the "
               "bias correction 1 - {}^t would divide by 0")
        self.beta1 = _beta(beta1, "beta1", why.format("beta1", "beta1"))
        self.beta2 = _beta(beta2, "beta2", why.format("beta2", "beta2"))
        self.eps = _eps(eps)
        super().__init__(lr)

    m = property(lambda self: self._view("m"), doc="The running average of ``g``.")
    s = property(lambda self: self._view("s"), doc="The running average of ``g^2``.")

    def _update(self, p, g, lr, memory):
        m, s, t = memory["m"], memory["s"], self.t + 1  # t: this step's number, from 1
        m *= self.beta1
        m += (1.0 - self.beta1) * g  # (eq-ch8-adam-m)
        s *= self.beta2
        s += (1.0 - self.beta2) * (g * g)  # (eq-ch8-adam-s)
        m_hat = m / (1.0 - self.beta1**t)  # (eq-ch8-adam-hat)
        s_hat = s / (1.0 - self.beta2**t)  # (eq-ch8-adam-hat)
        p -= lr * m_hat / (np.sqrt(s_hat) + self.eps)  # (eq-ch8-adam-step)

    def _settings(self):
        return {"beta1": self.beta1, "beta2": self.beta2, "eps": self.eps}


# --------------------------------------------------------------------- schedules
class _Schedule:
    """A learning-rate schedule: ``schedule(k)`` is the learning rate of step ``k``."""

    def __init__(self, fn, text):
        self._fn, self._text = fn, text

    def __call__(self, k):
        return self._fn(_step_number(k))

    def __repr__(self):
        return self._text


def constant(lr):
    """The schedule ``lr(k) = lr`` for every step."""
    lr = _positive_lr(lr)
    return _Schedule(lambda k: lr, f"constant({lr!r})")


def step_decay(lr, factor=0.5, every=100):
    """``lr(k) = lr factor^(k // every)``: the rate is multiplied by ``factor`` after every
    ``every`` steps. Implements (eq-ch8-step-decay)."""
    lr = _positive_lr(lr)
    if not (_real(factor) and 0 < factor <= 1):
        raise ValueError(f"factor must be a number in (0, 1], got {factor!r}: the learning rate "
                         "is multiplied by it, so above 1 it would grow, and at 0 stop")
    every, factor = _whole(every, "every"), float(factor)
    return _Schedule(lambda k: lr * factor ** (k // every),  # (eq-ch8-step-decay)
                     f"step_decay({lr!r}, factor={factor!r}, every={every})")


def cosine(lr, total, lr_min=0.0):
    """``lr(k) = lr_min + (lr - lr_min) (1 + cos(pi k / total)) / 2`` for ``k < total``, and
    ``lr_min`` after: from ``lr`` at k = 0 down to ``lr_min`` at k = total along half a cosine.
    Implements (eq-ch8-cosine)."""
    lr, total = _positive_lr(lr), _whole(total, "total")
    if not (_real(lr_min) and 0 <= lr_min <= lr):
        raise ValueError(f"lr_min must be a number in [0, lr] = [0, {lr!r}], got {lr_min!r}: the "
                         "schedule falls from lr to lr_min")
    lr_min = float(lr_min)

    def fn(k):
        if k >= total:
            return lr_min
        # (eq-ch8-cosine)
        return lr_min + (lr - lr_min) * (1.0 + math.cos(math.pi * k / total)) / 2.0

    return _Schedule(fn, f"cosine({lr!r}, total={total}, lr_min={lr_min!r})")


def warmup(base, steps):
    """``lr(k) = base(k) (k + 1) / steps`` for ``k < steps``, ``base(k)`` after: a linear ramp
    up to ``base`` over the first ``steps`` steps. ``base``: a number > 0 or a schedule.
    Implements (eq-ch8-warmup)."""
    if not callable(base):
        if not _real(base):
            raise ValueError(f"base must be a number > 0 or a schedule, got {base!r}")
        base = constant(base)
    steps = _whole(steps, "steps")

    def fn(k):
        return base(k) * (k + 1) / steps if k < steps else base(k)  # (eq-ch8-warmup)

    return _Schedule(fn, f"warmup({base!r}, steps={steps})")


# --------------------------------------------------------------------- training
def train(net, X, y, optimizer, loss="softmax_cross_entropy", epochs=1, batch_size=32,
          rng=None, l2=0.0, progress=0, evaluate_each_epoch=None):
    """Mini-batch training of a ``layers.Sequential`` (numpy), in place, with the step taken by
    ``optimizer``; returns a ``layers.History``.

    Exactly :func:`nnbook_utils.layers.train`'s loop (the same shuffle ``rng.permutation(n)``
    each epoch, the same mini-batches, the same History, progress lines and errors), but each
    mini-batch's step is ``optimizer.step(theta, g)`` on the flat parameter vector ``theta``
    (``net.parameters()``) with ``g`` the gradient of the mini-batch's mean loss (plus the L2
    penalty's, as ``net.loss_and_grad`` gives it). With ``SGD(lr)`` it gives the same numbers
    as ``layers.train(..., lr=lr)``.

    The optimizer's step count goes on from where it is (``optimizer.t``), so a second call
    continues training; give each new network a new optimizer (or call ``reset()``).

    ``evaluate_each_epoch``: None, or a function called as ``evaluate_each_epoch(epoch, net)``
    after every epoch, with ``epoch`` = 1, 2, ..., ``epochs`` (the epochs done so far), to
    record, for example, the validation loss and accuracy; what it returns is ignored.

    Raises ``TrainingDiverged`` if the loss or the parameters become NaN or inf, naming the
    step; ValueError for NaN or inf in the data.
    """
    if not (hasattr(optimizer, "step") and callable(optimizer.step)):
        raise ValueError(f"optimizer must be an optimizer such as SGD(lr=0.1) or Adam(lr=0.01), "
                         f"with a step(params, grads) method; got {optimizer!r}")
    if evaluate_each_epoch is not None and not callable(evaluate_each_epoch):
        raise ValueError("evaluate_each_epoch must be None or a function of (epoch, net), got "
                         f"{evaluate_each_epoch!r}")
    if net.xp is not np:
        raise ValueError(f"optim.train runs numpy networks (this one is {net.xp.__name__}): "
                         "use layers.train for other array libraries")
    layers._check_loss(loss, net.layers[-1].activation)

    def update(k, l2):
        """The optimizer's step on the flat vector, after the backward pass."""
        g = net.gradient()  # (P,)
        theta = net.parameters()  # (P,) a new array: the optimizer updates it in place
        if l2:
            g = g + (2.0 * l2) * theta  # (P,) the penalty's gradient, as in loss_and_grad
        optimizer.step(theta, g)
        if not bool(np.all(np.isfinite(theta))):
            raise TrainingDiverged(
                f"the parameters became NaN or inf at step {k} with "
                f"lr={_lr_text(optimizer, before=True)}: they grew too far in one step. "
                "Try a smaller learning rate.")
        net.set_parameters(theta)

    after = None if evaluate_each_epoch is None else (lambda e: evaluate_each_epoch(e, net))
    return layers._loop(net, X, y, loss, epochs, batch_size, rng, l2, progress, update,
                        lr_at=lambda k: _lr_text(optimizer), after_epoch=after)


def _lr_text(optimizer, before=False):
    """The learning rate of the optimizer's current step (``before``: of the step just taken),
    for an error message."""
    try:
        return optimizer.lr_at(optimizer.t - before)
    except Exception:  # an optimizer of the reader's own, or a schedule that fails
        return "?"
