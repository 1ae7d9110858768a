"""Seeded toy data sets used by the chapters.

Every function takes an explicit ``rng`` (a ``numpy.random.Generator`` or a seed; a fixed
seed if omitted);
nothing here touches numpy's global random state.
"""

import numpy as np

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
    if int(n) != n or n < 1:
        raise ValueError(f"n must be a positive whole number of examples, got {n!r}")
    if not (np.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise is a standard deviation: a number >= 0, got {noise!r}")
    rng = np.random.default_rng(0 if rng is None else rng)  # a Generator passes through
    x = rng.uniform(0.5, 3.0, size=int(n))  # (n,) km
    y = KM_TO_MILES * x + noise * rng.normal(size=int(n))  # (n,) miles
    return x, y
