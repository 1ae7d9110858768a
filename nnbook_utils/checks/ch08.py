"""The exercise checks of Chapter 8: making training work (initialization, momentum,
RMSProp and Adam, learning-rate schedules)."""

import numpy as np

from ._common import Verdict, _as_arrays, _as_number, _call

# --- part A: initialization, momentum (sections 1-2) ---


def check_leaky_he_var(fn):
    """Exercise ex-ch8-leaky-he: ``fn(d_in, slope)`` should give the variance of the weights
    that keeps ``Var(z)`` constant through layers of leaky ReLU, ``f(z) = z`` for ``z > 0`` and
    ``slope * z`` otherwise (eq-ch8-relu-square, eq-ch8-he). The decision is exact: for
    ``z_prev`` symmetric about 0, ``E[f(z_prev)^2] = (1 + slope^2) / 2 * Var(z_prev)``, so
    ``d_in * Var(w) * (1 + slope^2) / 2`` must be 1 (within 1e-9). A simulated layer is the
    evidence shown: ``z_prev`` standard normal, ``W`` drawn from ``N(0, fn(d_in, slope))``,
    and ``z = f(z_prev) @ W`` (its ``Var(z) / Var(z_prev)`` is about 2% accurate)."""
    name = getattr(fn, "__name__", "your function")
    for d_in, slope in [(256, 0.1), (100, 0.5), (50, 0.0), (10, 1.0)]:
        got, problem = _call(fn, d_in, slope)
        if problem:
            return Verdict(False, problem)
        value, problem = _as_number(got, f"{name}({d_in}, {slope}) returned")
        if problem:
            return Verdict(False, problem)
        if value <= 0:
            return Verdict(False, f"{name}({d_in}, {slope}) = {value:.6g}: a variance is "
                                  "a positive number.")
        if value > 1e6:
            return Verdict(False, f"{name}({d_in}, {slope}) = {value:.6g}: far too large; "
                                  "Var(z) would grow by a factor of millions per layer.")
        want = 2.0 / ((1.0 + slope**2) * d_in)
        exact = d_in * value * (1.0 + slope**2) / 2  # the exact factor Var(z) / Var(z_prev)
        rng = np.random.default_rng(81)
        z_prev = rng.normal(size=(1000, d_in))  # (1000, d_in) Var(z_prev) = 1
        a = np.where(z_prev > 0, z_prev, slope * z_prev)  # (1000, d_in) leaky ReLU
        W = rng.normal(0.0, np.sqrt(value), size=(d_in, 500))  # (d_in, 500)
        factor = float(np.var(a @ W) / np.var(z_prev))  # Var(z) / Var(z_prev), simulated
        if abs(exact - 1) <= 1e-9 and abs(factor - 1) <= 0.05:
            continue  # right: exactly, and the simulated layer agrees within 5%
        hints = {2.0 / d_in: " That is He's 2/d_in: the negative half is not zero here, "
                             "it keeps slope^2 of its second moment.",
                 1.0 / d_in: " That is 1/d_in, the tanh (Xavier forward) variance.",
                 2.0 / ((1.0 + slope) * d_in): " The negative half keeps slope^2 of "
                                               "E[z^2], not slope: f(z)^2 = slope^2 z^2.",
                 (1.0 + slope**2) / (2.0 * d_in): " That is the inverse: Var(w) makes up "
                                                  "for the lost second moment, so divide."}
        hint = next((h for w, h in hints.items()
                     if abs(value - w) <= 1e-9 * w and abs(w - want) > 1e-12), "")
        return Verdict(False, f"{name}({d_in}, {slope}) = {value:.6g}: with "
                       f"E[f(z)^2] = (1 + slope^2)/2 Var(z) exactly, a layer of leaky ReLU "
                       f"with slope {slope} multiplies Var(z) by d_in Var(w) (1 + slope^2)/2 "
                       f"= {exact:.6g}, not 1 (a simulated layer: {factor:.3f}).{hint}")
    return Verdict(True, "2 / ((1 + slope^2) d_in): for four settings d_in Var(w) "
                         "(1 + slope^2)/2 = 1, the exact factor of Var(z) per layer, a "
                         "simulated layer keeps Var(z) within 5%, and slope 0 gives He, "
                         "slope 1 the linear 1/d_in.")


def _ch8_momentum_reference(theta0, lam, lr, beta, T):
    """theta_t on L = sum(lam theta^2) / 2, each entry from the closed form A r1^t + B r2^t of
    (eq-ch8-char): an answer that is not the recursion's code."""
    t = np.arange(T + 1)  # (T + 1,)
    out = np.empty((T + 1, len(theta0)))  # (T + 1, P)
    for j, (c0, l) in enumerate(zip(theta0, lam)):
        r1, r2 = np.roots([1.0, -(1 + beta - lr * l), beta]).astype(complex)
        c1 = c0 - lr * l * c0  # theta_1 = theta_0 - lr g_0
        if abs(r1 - r2) < 1e-9:  # a double root: (A + B t) r^t
            A, B = c0, (c1 / r1 - c0)
            out[:, j] = ((A + B * t) * r1**t).real
        else:
            A, B = np.linalg.solve([[1, 1], [r1, r2]], [c0, c1])
            out[:, j] = (A * r1**t + B * r2**t).real
    return out


def check_momentum_step(fn):
    """Exercise ex-ch8-momentum-step: ``fn(theta, v, g, lr, beta)`` should return
    ``(theta_new, v_new)`` with ``v_new = beta v + g`` (eq-ch8-momentum-v) and
    ``theta_new = theta - lr v_new`` (eq-ch8-momentum-step). The check runs it for 40 steps
    on a quadratic and compares with the closed form of (eq-ch8-char)."""
    name = getattr(fn, "__name__", "your function")
    lam = np.array([0.5, 2.0, 9.0])  # (3,) curvatures of L = sum(lam theta^2) / 2
    theta0 = np.array([1.0, -2.0, 0.5])  # (3,)
    for lr, beta in [(0.1, 0.9), (0.05, 0.5), (0.2, 0.0)]:
        want = _ch8_momentum_reference(theta0, lam, lr, beta, 40)  # (41, 3)
        theta, v = theta0.copy(), np.zeros(3)  # (3,), (3,)
        for t in range(40):
            g = lam * theta  # (3,) the gradient
            got, problem = _call(fn, theta.copy(), v.copy(), g.copy(), lr, beta)
            if problem:
                return Verdict(False, problem)
            parts, problem = _as_arrays(got, name, ["theta_new", "v_new"], [(3,), (3,)],
                                        hint=", like theta")
            if problem:
                return Verdict(False, problem)
            theta_new, v_new = parts
            v_want = beta * v + g
            if t == 0 and np.allclose(theta_new, v_want) and not np.allclose(v_new, v_want):
                return Verdict(False, "the two results are swapped: return (theta_new, v_new)")
            if not np.allclose(v_new, v_want, rtol=1e-9, atol=1e-12):
                hint = ""
                if np.allclose(v_new, beta * v + (1 - beta) * g):
                    hint = (" That is a running mean, beta v + (1 - beta) g; the chapter's "
                            "velocity adds the whole gradient: beta v + g.")
                elif np.allclose(v_new, beta * v - g):
                    hint = " The gradient is added, not subtracted: the step subtracts lr v."
                return Verdict(False, f"v_new differs from beta v + g at step {t} (lr={lr}, "
                               f"beta={beta}).{hint}")
            if not np.allclose(theta_new, theta - lr * v_want, rtol=1e-9, atol=1e-12):
                hint = ""
                if np.allclose(theta_new, theta - lr * v):
                    hint = " It steps with the old velocity: update v first, then theta."
                elif np.allclose(theta_new, theta + lr * v_want):
                    hint = " The sign is flipped: step against the velocity, theta - lr v."
                elif np.allclose(theta_new, theta - lr * g):
                    hint = " That is plain gradient descent: step along the velocity."
                return Verdict(False, f"theta_new differs from theta - lr v_new at step {t} "
                               f"(lr={lr}, beta={beta}).{hint}")
            theta, v = theta_new, v_new
            if not np.allclose(theta, want[t + 1], rtol=1e-7, atol=1e-10):
                return Verdict(False, f"after {t + 1} steps theta differs from the closed form "
                               "of the recursion (eq-ch8-char).")
    return Verdict(True, "40 steps for three settings (beta = 0 is gradient descent) agree "
                         "with the closed form xi1 r1^t + xi2 r2^t.")


# --- part B: RMSProp and Adam, schedules, the comparison (sections 3-5) ---

def _ch8b_adam_reference(theta, grads, t, lr, beta1, beta2, eps):
    """Adam's state after the gradients ``grads`` (rows g_1 ... g_t), from the unrolled sums
    (eq-ch8-adam-unroll), not the recursion; and theta after the last step."""
    powers1 = beta1 ** (t - np.arange(1, t + 1))  # (t,)
    powers2 = beta2 ** (t - np.arange(1, t + 1))  # (t,)
    m = (1 - beta1) * powers1 @ grads  # (eq-ch8-adam-unroll)
    s = (1 - beta2) * powers2 @ (grads * grads)
    m_hat, s_hat = m / (1 - beta1**t), s / (1 - beta2**t)  # (eq-ch8-adam-hat)
    return theta - lr * m_hat / (np.sqrt(s_hat) + eps), m, s  # (eq-ch8-adam-step)


def check_adam_step(fn):
    """Exercise ex-ch8-adam-step: ``fn(theta, m, s, g, t, lr, beta1, beta2, eps)`` should
    return ``(theta, m, s)`` after Adam's step number ``t`` (counting from 1):
    (eq-ch8-adam-m), (eq-ch8-adam-s), (eq-ch8-adam-hat), (eq-ch8-adam-step)."""
    name = getattr(fn, "__name__", "your function")
    rng = np.random.default_rng(88)
    for d, t, lr, beta1, beta2, eps in [(3, 1, 0.1, 0.9, 0.999, 1e-8),
                                        (4, 2, 0.01, 0.9, 0.999, 1e-8),
                                        (5, 7, 0.05, 0.8, 0.99, 1e-6)]:
        grads = rng.normal(size=(t, d)) * rng.choice([0.01, 1.0, 100.0], size=d)  # (t, d)
        theta0 = rng.normal(size=d)  # (d,) the parameters before step t
        _, m_prev, s_prev = (_ch8b_adam_reference(theta0, grads[:-1], t - 1, lr, beta1,
                                                  beta2, eps) if t > 1
                             else (None, np.zeros(d), np.zeros(d)))
        want = _ch8b_adam_reference(theta0, grads, t, lr, beta1, beta2, eps)
        with np.errstate(all="ignore"):  # a division by 1 - beta**0 is explained below
            got, problem = _call(fn, theta0.copy(), m_prev.copy(), s_prev.copy(),
                                 grads[-1].copy(), t, lr, beta1, beta2, eps)
        if problem:
            return Verdict(False, problem)
        arrays, problem = _as_arrays(
            got, name, ["theta", "m", "s"], [(d,)] * 3, finite=True,
            hint=" (shaped like theta)",
            nan_hint=": did you divide by 1 - beta**t with t = 0? Steps count from t = 1")
        if problem:
            return Verdict(False, problem)
        theta, m, s = arrays
        case = f"(step t={t}, beta1={beta1}, beta2={beta2})"
        g = grads[-1]
        if not np.allclose(m, want[1], rtol=1e-9, atol=1e-12):
            hint = ""
            if np.allclose(m, beta1 * m_prev + g):
                hint = " You added g itself: Adam mixes in (1 - beta1) g."
            elif np.allclose(m, want[1] / (1 - beta1**t)):
                hint = " Return m itself, before the bias correction."
            return Verdict(False, f"m differs from beta1 m + (1 - beta1) g {case}.{hint}")
        if not np.allclose(s, want[2], rtol=1e-9, atol=1e-12):
            hint = ""
            if np.allclose(s, beta2 * s_prev + (1 - beta2) * g):
                hint = " s averages the squared gradients, g * g."
            elif np.allclose(s, want[2] / (1 - beta2**t)):
                hint = " Return s itself, before the bias correction."
            return Verdict(False, f"s differs from beta2 s + (1 - beta2) g^2 {case}.{hint}")
        if not np.allclose(theta, want[0], rtol=1e-9, atol=1e-12):
            hint = ""
            if np.allclose(theta, theta0 - lr * m / (np.sqrt(s) + eps)):
                hint = (" You left out the bias correction: divide m by 1 - beta1**t and"
                        " s by 1 - beta2**t.")
            elif np.allclose(theta, 2 * theta0 - want[0]):
                hint = " The sign is flipped: step against the gradient (theta - ...)."
            elif np.allclose(theta, theta0 - lr * (m / (1 - beta1**t))
                             / np.sqrt(s / (1 - beta2**t) + eps)):
                hint = " eps goes outside the square root: sqrt(s_hat) + eps."
            return Verdict(False, f"theta differs from Adam's step {case}.{hint}")
    return Verdict(True, "theta, m and s agree with Adam's unrolled averages on three steps "
                   "(t = 1, 2 and 7).")


def _ch8b_linear_decay(lr, total, t):
    return lr * (1 - t / total) if t < total else 0.0


def check_linear_decay(fn):
    """Exercise ex-ch8-linear-decay: ``fn(lr, total)`` should return a schedule, a function
    of the step ``t`` (0, 1, ...): ``lr (1 - t / total)`` for ``t < total``, 0 after."""
    name = getattr(fn, "__name__", "your function")
    for lr, total in [(0.1, 10), (0.5, 100), (2.0, 7)]:
        schedule, problem = _call(fn, lr, total)
        if problem:
            return Verdict(False, problem)
        if schedule is None:
            return Verdict(False, f"{name} returned None: did you forget `return`?")
        if not callable(schedule):
            return Verdict(False, f"{name} should return a function of the step t (a "
                           f"schedule), got {type(schedule).__name__} {schedule!r:.40}")
        for t in [0, 1, total // 2, total - 1, total, total + 5]:
            value, problem = _call(schedule, t)
            if problem:
                return Verdict(False, f"the schedule, called at t = {t}: {problem}")
            number, problem = _as_number(value, f"the schedule at t = {t} returned")
            if problem:
                return Verdict(False, problem)
            want = _ch8b_linear_decay(lr, total, t)
            if abs(number - want) > 1e-12 * max(1.0, abs(want)):
                hint = ""
                if t >= total and number < 0:
                    hint = " After total steps the rate stays at 0; it never goes negative."
                elif t == 0 and abs(number - lr) > 1e-12:
                    hint = " At t = 0 the rate is lr itself."
                elif abs(number - lr * (1 - (t + 1) / total)) < 1e-12:
                    hint = " Off by one: use 1 - t / total, so t = 0 gives lr."
                return Verdict(False, f"for lr={lr}, total={total}, the schedule gives "
                               f"{number:.6g} at t = {t}, expected {want:.6g}.{hint}")
    return Verdict(True, "the schedule falls in a straight line from lr at t = 0 to 0 at "
                   "t = total and stays at 0, for three settings.")
