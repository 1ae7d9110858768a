"""Seeded toy data sets used by the chapters.

Every function takes an explicit ``rng`` (a ``numpy.random.Generator`` or a seed; a fixed
seed if omitted);
nothing here touches numpy's global random state.
"""

from typing import NamedTuple

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


# --- Chapter 7: handwritten digits ---

#: Where the digits come from, and their licence (nnbook_utils/datasets/README.md).
DIGITS_SOURCE = ("Handwritten digits: E. Alpaydin and C. Kaynak (1998), Optical "
                 "Recognition of Handwritten Digits, UCI Machine Learning Repository, "
                 "https://doi.org/10.24432/C50P49; licence CC BY 4.0.")

_DIGITS_FILE = "digits.csv.gz"
_digits_cache = None  # (images, labels), parsed once by load_digits()


def load_digits():
    """The 1,797 handwritten digits that ship with the package, in the file's order.

    Returns ``images`` of shape ``(1797, 8, 8)``, int64 grey levels from 0 (no ink) to
    16 (all ink), and ``labels`` of shape ``(1797,)``, int64 digits from 0 to 9. The
    data is the UCI "Optical Recognition of Handwritten Digits" set (see
    ``DIGITS_SOURCE``; the same images and order as scikit-learn's ``load_digits``),
    read from ``nnbook_utils/datasets/digits.csv.gz`` with ``importlib.resources``,
    ``gzip`` and numpy only: it works offline and in JupyterLite. The file is parsed
    once; each call returns fresh copies, so changing them changes nothing here.
    """
    global _digits_cache
    if _digits_cache is None:
        import gzip
        import io
        from importlib.resources import files

        raw = (files("nnbook_utils") / "datasets" / _DIGITS_FILE).read_bytes()
        text = gzip.decompress(raw).decode("ascii")
        table = np.loadtxt(io.StringIO(text), delimiter=",", dtype=np.int64)  # (1797, 65)
        images = table[:, :64].reshape(-1, 8, 8)  # (1797, 8, 8) grey levels 0..16
        labels = table[:, 64]  # (1797,) digits 0..9
        _digits_cache = images, labels
    images, labels = _digits_cache
    return images.copy(), labels.copy()


class Digits(NamedTuple):
    """The three sets of ``digits()``: each ``X_*`` of shape ``(n_*, 64)`` (one image
    per row, grey level / 16), each ``y_*`` of shape ``(n_*,)`` (its digit, int64)."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


_SPLITS = ("training", "validation", "test")


def _check_fractions(fractions):
    """The three fractions of ``digits()`` as floats, or a ValueError saying what is wrong."""
    try:
        f = np.asarray(fractions, dtype=float)  # (3,) if well formed
    except (TypeError, ValueError):
        f = None
    if f is None or f.shape != (3,):
        raise ValueError("fractions holds three numbers, the shares of the training, "
                         f"validation and test sets, such as (0.6, 0.2, 0.2); got {fractions!r}")
    if not (np.all(np.isfinite(f)) and np.all(f >= 0)):
        raise ValueError("each fraction is a share of the data: a finite number >= 0; "
                         f"got {fractions!r}")
    if abs(f.sum() - 1.0) > 1e-9:
        raise ValueError(f"the fractions {fractions!r} add up to {f.sum():.6g}, not 1: "
                         "every image goes to exactly one of the three sets")
    return f


def digits(fractions=(0.6, 0.2, 0.2), rng=None):
    """The handwritten digits of ``load_digits()``, split into training, validation and
    test sets: a ``Digits`` (``X_train, y_train, X_val, y_val, X_test, y_test``).

    Each ``X`` has shape ``(n, 64)``, float64: one image per row, flattened row by row
    (so ``X.reshape(-1, 8, 8)`` gives the images back), each grey level divided by 16,
    so every input is in [0, 1]. Each ``y`` has shape ``(n,)``, int64 digits 0 to 9.

    The split is stratified: each digit ``c``, with ``n_c`` images, gives
    ``round(fractions[0] * n_c)`` images to the training set,
    ``round(fractions[1] * n_c)`` to the validation set and the rest to the test set,
    each set thus keeping the digits' proportions. Which images go where is random: the
    images of each digit are put in a random order first, and then each set is put in
    a random order, digits mixed. The default ``fractions=(0.6, 0.2, 0.2)`` gives 1,078
    training, 359 validation and 360 test images. ``rng`` is a
    ``numpy.random.Generator`` or a seed; without one it uses
    ``numpy.random.default_rng(0)``. The same seed gives the same split.
    """
    f = _check_fractions(fractions)
    rng = np.random.default_rng(0 if rng is None else rng)
    images, labels = load_digits()  # (1797, 8, 8), (1797,)
    parts = ([], [], [])  # the image indices of each set, digit by digit
    for c in range(10):
        of_c = rng.permutation(np.flatnonzero(labels == c))  # (n_c,)
        n_c = len(of_c)
        n_train, n_val = round(f[0] * n_c), round(f[1] * n_c)
        sizes = (n_train, n_val, n_c - n_train - n_val)
        for name, size in zip(_SPLITS, sizes):
            if size < 1:
                raise ValueError(
                    f"the {name} set would get no image of the digit {c} ({n_c} images; "
                    f"fractions {fractions!r}): give each set a fraction of at least "
                    "0.01, such as the default (0.6, 0.2, 0.2)")
        parts[0].append(of_c[:n_train])
        parts[1].append(of_c[n_train:n_train + n_val])
        parts[2].append(of_c[n_train + n_val:])
    X = images.reshape(len(images), 64) / 16.0  # (1797, 64) in [0, 1]
    sets = []
    for part in parts:
        index = rng.permutation(np.concatenate(part))  # (n,) this set, digits mixed
        sets += [X[index], labels[index]]  # (n, 64), (n,)
    return Digits(*sets)
