"""Seeded toy data sets used by the chapters.

Every function takes an explicit ``rng`` (a ``numpy.random.Generator`` or a seed; a fixed
seed if omitted);
nothing here touches numpy's global random state.
"""

import numpy as np

def _start(n, noise, rng, noise_name="noise", one_per=None):
    """Check a data set's size ``n`` and its ``noise`` (a standard deviation), explaining
    what is wrong; return ``n`` as an int and a ``numpy.random.Generator`` (a Generator
    passes through; a seed, or None for seed 0, makes one). With ``one_per`` (e.g.
    "class"), ``n`` must be at least 2."""
    least = 1 if one_per is None else 2
    if int(n) != n or n < least:
        need = ("a positive whole number of examples" if one_per is None
                else f"a whole number of examples, at least 2 (one per {one_per})")
        raise ValueError(f"n must be {need}, got {n!r}")
    if not (np.isfinite(noise) and noise >= 0):
        raise ValueError(f"{noise_name} is a standard deviation: a number >= 0, got {noise!r}")
    return int(n), np.random.default_rng(0 if rng is None else rng)


#: Miles per kilometre: the weight that Chapter 1's neuron should learn.
KM_TO_MILES = 0.621371


def km_to_miles(n=10, noise=0.05, rng=None):
    """Distances in kilometres and their (noisy) lengths in miles.

    Returns ``x`` (km) and ``y`` (miles), both of shape ``(n,)``, with
    ``y = KM_TO_MILES * x + noise * N(0, 1)``: the task of Chapter 1, whose known
    answer is ``w = KM_TO_MILES``. ``x`` is drawn uniformly from [0.5, 3) km. ``rng`` is a
    ``numpy.random.Generator`` or a seed; without one it uses ``numpy.random.default_rng(0)``,
    the generator Chapter 1 passes in.
    """
    n, rng = _start(n, noise, rng)
    x = rng.uniform(0.5, 3.0, size=n)  # (n,) km
    y = KM_TO_MILES * x + noise * rng.normal(size=n)  # (n,) miles
    return x, y


# --- Chapter 3: a decision ---


def two_blobs(n=100, rng=None, centers=((-1.0, -0.5), (1.0, 0.5)), spread=0.6):
    """Two classes in the plane: a round cloud of points around each of two centres.

    Returns ``X`` of shape ``(n, 2)`` (the inputs ``x1``, ``x2``, one example per row) and
    ``y`` of shape ``(n,)`` with labels 0 (around ``centers[0]``) and 1 (around
    ``centers[1]``), half of each (class 1 gets the extra example when ``n`` is odd),
    in random order. Each coordinate is the centre plus ``spread * N(0, 1)``, so with the
    default spread the clouds overlap a little. Whether some line separates the two
    classes depends on ``n`` and the draw: for Chapter 3's ``n = 100`` with seed 0 none
    does (the chapter computes it); with few points, such as ``n = 30``, one often does.
    ``rng`` is a ``numpy.random.Generator`` or a seed; without one it uses
    ``numpy.random.default_rng(0)``.
    """
    n, rng = _start(n, spread, rng, noise_name="spread", one_per="class")
    centers = np.asarray(centers, dtype=float)
    if centers.shape != (2, 2):
        raise ValueError(f"centers holds two points in the plane, shape (2, 2); got shape {centers.shape}")
    y = np.zeros(n)  # (n,)
    y[n // 2:] = 1.0
    y = rng.permutation(y)  # (n,) labels in random order
    X = centers[y.astype(int)] + spread * rng.normal(size=(n, 2))  # (n, 2)
    return X, y


# --- Chapter 2: bias and many inputs ---

#: Naismith's rule for hikers, with a lunch break: hours per km walked, hours per km
#: climbed (1 h per 600 m), and the fixed break. Chapter 2's model should learn them.
NAISMITH_W = np.array([1 / 5, 1 / 0.6])  # (2,) hours per km of distance, of ascent
NAISMITH_B = 0.5  # hours: the lunch break


def hikes(n=40, noise=0.2, rng=None):
    """Hikes of a walking club: distance and ascent, and the time each hike took.

    Returns ``X`` of shape ``(n, 2)``, one hike per row (column 0: distance in km,
    drawn uniformly from [2, 25); column 1: total ascent in km, a random fraction
    between 0 and 0.08 of the distance, so longer hikes tend to climb more), and ``y``
    of shape ``(n,)``, the time in hours,
    ``y = X @ NAISMITH_W + NAISMITH_B + noise * N(0, 1)``: the task of Chapter 2, whose
    known answer is ``w = NAISMITH_W``, ``b = NAISMITH_B``. ``rng`` is a
    ``numpy.random.Generator`` or a seed; without one it uses
    ``numpy.random.default_rng(0)``.
    """
    n, rng = _start(n, noise, rng)
    distance = rng.uniform(2.0, 25.0, size=n)  # (n,) km
    ascent = distance * rng.uniform(0.0, 0.08, size=n)  # (n,) km
    X = np.column_stack([distance, ascent])  # (n, 2)
    y = X @ NAISMITH_W + NAISMITH_B + noise * rng.normal(size=n)  # (n,) hours
    return X, y


# --- Chapters 4 and 5: the graph engine ---


def two_moons(n=100, noise=0.1, rng=None):
    """Two interleaving half circles in the plane (micrograd's demo task).

    Returns ``X`` of shape ``(n, 2)`` and ``y`` of shape ``(n,)`` with labels 0 (the upper
    moon: ``(cos t, sin t)`` for ``t`` evenly spaced in [0, pi]) and 1 (the lower moon:
    ``(1 - cos t, 0.5 - sin t)``), ``n // 2`` points on the first (class 1 gets the extra one
    when ``n`` is odd), each coordinate plus ``noise * N(0, 1)``, in random order. No line
    separates the two classes: a network with hidden neurons is needed. ``rng`` is a
    ``numpy.random.Generator`` or a seed; without one it uses ``numpy.random.default_rng(0)``.
    """
    n, rng = _start(n, noise, rng, one_per="moon")
    n_upper, n_lower = n // 2, n - n // 2
    t_upper = np.linspace(0.0, np.pi, n_upper)  # (n_upper,)
    t_lower = np.linspace(0.0, np.pi, n_lower)  # (n_lower,)
    upper = np.column_stack([np.cos(t_upper), np.sin(t_upper)])  # (n_upper, 2)
    lower = np.column_stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)])  # (n_lower, 2)
    X = np.vstack([upper, lower]) + noise * rng.normal(size=(n, 2))  # (n, 2)
    y = np.concatenate([np.zeros(n_upper), np.ones(n_lower)])  # (n,)
    shuffle = rng.permutation(n)  # (n,)
    return X[shuffle], y[shuffle]
