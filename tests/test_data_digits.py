"""nnbook_utils.data's handwritten digits (Chapters 7 and 8): the shipped file and its
loader, the seeded stratified split of digits(), its teaching errors, and that both
wheels (setuptools' and JupyterLite's, tools/lite_wheel.py) carry the file."""

import fnmatch
import hashlib
import re
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from helpers import ROOT
from nnbook_utils import data

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

DATASETS = ROOT / "nnbook_utils" / "datasets"
COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]  # digits 0..9, as sklearn has them
FIELDS = ("X_train", "y_train", "X_val", "y_val", "X_test", "y_test")


# --- the file and load_digits() ---

def test_the_file_is_the_one_its_readme_describes():
    readme = (DATASETS / "README.md").read_text()
    stated = re.findall(r"\b[0-9a-f]{64}\b", readme)
    assert len(stated) == 1, "datasets/README.md states the file's sha256 once"
    assert hashlib.sha256((DATASETS / "digits.csv.gz").read_bytes()).hexdigest() == stated[0]
    for fact in ["CC BY 4.0", "10.24432/C50P49", "Alpaydin", "Kaynak", "1998", "scikit-learn"]:
        assert fact in readme, f"datasets/README.md does not say {fact!r}"
    assert "CC BY 4.0" in data.DIGITS_SOURCE and "10.24432/C50P49" in data.DIGITS_SOURCE
    assert "\n" not in data.DIGITS_SOURCE


def test_load_digits_shapes_dtypes_and_values():
    images, labels = data.load_digits()
    assert images.shape == (1797, 8, 8) and images.dtype == np.int64
    assert labels.shape == (1797,) and labels.dtype == np.int64
    assert images.min() == 0 and images.max() == 16
    assert set(np.unique(labels).tolist()) == set(range(10))
    assert np.bincount(labels).tolist() == COUNTS
    # the file's order: its first image is a 0 (sklearn's digits.images[0])
    assert labels[:10].tolist() == list(range(10))
    assert images[0, 0].tolist() == [0, 0, 5, 13, 9, 1, 0, 0]


def test_load_digits_returns_copies_of_its_cache():
    images, labels = data.load_digits()
    images[:] = -1
    labels[:] = -1
    again_images, again_labels = data.load_digits()
    assert again_images.min() == 0 and np.bincount(again_labels).tolist() == COUNTS


# --- digits(): the split ---

def row_index(X):
    """The index in load_digits() of each row of X, matched by its pixels (no two images
    of the data set are equal: test_no_two_images_are_equal)."""
    images, _ = data.load_digits()
    keys = {image.tobytes(): i for i, image in enumerate(images.reshape(len(images), 64))}
    pixels = np.rint(X * 16).astype(np.int64)  # (n, 64) grey levels
    assert np.array_equal(pixels / 16.0, X), "X is grey level / 16"
    return np.array([keys[row.tobytes()] for row in pixels])  # (n,)


def test_no_two_images_are_equal():
    images, _ = data.load_digits()
    assert len(np.unique(images.reshape(len(images), 64), axis=0)) == 1797


def test_the_default_split():
    split = data.digits()
    assert isinstance(split, data.Digits) and split._fields == FIELDS
    sizes = [len(split.y_train), len(split.y_val), len(split.y_test)]
    assert sizes == [1078, 359, 360]  # the docstring says so
    for X, y in [(split.X_train, split.y_train), (split.X_val, split.y_val),
                 (split.X_test, split.y_test)]:
        assert X.shape == (len(y), 64) and X.dtype == np.float64
        assert y.dtype == np.int64 and X.min() >= 0.0 and X.max() <= 1.0
    # the defaults are the documented ones: fractions (0.6, 0.2, 0.2), seed 0
    for a, b in zip(split, data.digits((0.6, 0.2, 0.2), rng=np.random.default_rng(0))):
        assert np.array_equal(a, b)


@pytest.mark.parametrize("fractions", [(0.6, 0.2, 0.2), (0.1, 0.1, 0.8)])
def test_the_split_is_a_partition_with_labels_kept(fractions):
    images, labels = data.load_digits()
    split = data.digits(fractions, rng=11)
    found = []
    for X, y in [(split.X_train, split.y_train), (split.X_val, split.y_val),
                 (split.X_test, split.y_test)]:
        index = row_index(X)
        assert np.array_equal(labels[index], y), "a row's label is not its image's label"
        assert np.array_equal(X.reshape(-1, 8, 8), images[index] / 16.0), \
            "a row is not its image flattened row by row"
        found.append(index)
    together = np.concatenate(found)  # (1797,) if every image is used once
    assert sum(map(len, found)) == 1797
    assert np.array_equal(np.sort(together), np.arange(1797)), "an image is missing or repeated"
    for a in range(3):
        for b in range(a + 1, 3):
            assert len(np.intersect1d(found[a], found[b])) == 0, "two sets share an image"


@pytest.mark.parametrize("fractions", [(0.6, 0.2, 0.2), (0.5, 0.25, 0.25), (0.7, 0.1, 0.2),
                                       (0.34, 0.33, 0.33)])
def test_the_split_is_stratified_with_the_rounded_fractions(fractions):
    split = data.digits(fractions, rng=3)
    for c, n_c in enumerate(COUNTS):
        n_train, n_val = round(fractions[0] * n_c), round(fractions[1] * n_c)
        assert np.sum(split.y_train == c) == n_train
        assert np.sum(split.y_val == c) == n_val
        assert np.sum(split.y_test == c) == n_c - n_train - n_val


def test_the_sets_mix_the_digits():
    split = data.digits()
    for y in (split.y_train, split.y_val, split.y_test):
        assert not np.all(np.diff(y) >= 0), "a set is still sorted by digit"
        assert len(np.unique(y[:30])) >= 5


def test_the_seed_decides_the_split():
    a, b = data.digits(rng=1), data.digits(rng=np.random.default_rng(1))
    for x, y in zip(a, b):
        assert np.array_equal(x, y)
    c = data.digits(rng=2)
    assert not np.array_equal(a.y_train, c.y_train)
    assert not np.array_equal(np.sort(row_index(a.X_test)), np.sort(row_index(c.X_test)))


def test_the_global_random_state_plays_no_part():
    np.random.seed(123)
    a = data.digits()
    state = np.random.get_state()[1].copy()
    np.random.seed(456)
    b = data.digits()
    for x, y in zip(a, b):
        assert np.array_equal(x, y)
    np.random.seed(123)
    data.digits()
    assert np.array_equal(np.random.get_state()[1], state), "digits() drew from numpy's global state"


def test_a_generator_passed_in_is_advanced():
    rng = np.random.default_rng(7)
    a = data.digits(rng=rng)
    b = data.digits(rng=rng)  # the same generator, further on: another split
    assert not np.array_equal(a.y_train, b.y_train)


# --- digits(): teaching errors ---

@pytest.mark.parametrize("fractions", [(0.5, 0.5), (0.25, 0.25, 0.25, 0.25), 0.6, "abc",
                                       [[0.6, 0.2], [0.2]], (1 + 1j, 0, 0), None])
def test_fractions_must_be_three_numbers(fractions):
    with pytest.raises(ValueError, match=r"fractions holds three numbers.*\(0\.6, 0\.2, 0\.2\)"):
        data.digits(fractions)


@pytest.mark.parametrize("fractions", [(-0.1, 0.6, 0.5), (np.nan, 0.5, 0.5),
                                       (np.inf, 0.0, 0.0), (0.5, 0.5, -np.inf)])
def test_fractions_must_be_finite_and_not_negative(fractions):
    with pytest.raises(ValueError, match=r"a finite number >= 0"):
        data.digits(fractions)


@pytest.mark.parametrize("fractions, total", [((0.6, 0.2, 0.3), "1.1"), ((0.5, 0.2, 0.2), "0.9"),
                                              ((60, 20, 20), "100")])
def test_fractions_must_add_up_to_one(fractions, total):
    with pytest.raises(ValueError, match=rf"add up to {re.escape(total)}, not 1"):
        data.digits(fractions)


def test_fractions_may_miss_one_by_rounding_only():
    data.digits((0.6, 0.2, 0.2 + 5e-10))  # within 1e-9 of 1: accepted
    with pytest.raises(ValueError, match="add up to"):
        data.digits((0.6, 0.2, 0.2 + 1e-8))


@pytest.mark.parametrize("fractions, split, digit", [
    ((0.8, 0.2, 0.0), "test", 0),
    ((0.0, 0.5, 0.5), "training", 0),
    ((0.999, 0.0005, 0.0005), "validation", 0),
    # 0.5 / 174 rounds to no image only for the digit 8, the smallest class (174 images)
    ((0.5 - 0.5 / 174, 0.5 / 174, 0.5), "validation", 8),
])
def test_a_set_without_some_digit_is_refused(fractions, split, digit):
    with pytest.raises(ValueError, match=rf"the {split} set would get no image of the digit {digit} "
                                         r".*at least 0\.01.*\(0\.6, 0\.2, 0\.2\)"):
        data.digits(fractions)


def test_fractions_of_at_least_a_hundredth_always_work():
    # the error's advice holds: with each fraction >= 0.01 every set gets every digit
    for fractions in [(0.98, 0.01, 0.01), (0.01, 0.98, 0.01), (0.01, 0.01, 0.98)]:
        split = data.digits(fractions)
        for y in (split.y_train, split.y_val, split.y_test):
            assert set(y.tolist()) == set(range(10))


# --- the wheels carry the file ---

def test_setuptools_package_data_covers_the_datasets_folder():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "nnbook_utils.datasets" in config["packages"]
    patterns = config["package-data"]["nnbook_utils.datasets"]
    for path in DATASETS.iterdir():
        if path.is_file():
            assert any(fnmatch.fnmatch(path.name, p) for p in patterns), \
                f"pyproject.toml's package data leaves {path.name} out of the wheel"


def test_the_jupyterlite_wheel_carries_the_digits_and_loads_them(tmp_path):
    import lite_wheel  # tools/ (helpers puts it on sys.path)

    wheel = lite_wheel.build_wheel(tmp_path / "wheel")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert {"nnbook_utils/datasets/digits.csv.gz", "nnbook_utils/datasets/README.md"} <= names
        assert archive.read("nnbook_utils/datasets/digits.csv.gz") == \
            (DATASETS / "digits.csv.gz").read_bytes()
        archive.extractall(tmp_path / "site")
    # loading works from the installed wheel alone (not this checkout), as in Pyodide
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import numpy as np\n"
            "from nnbook_utils import data\n"
            "assert data.__file__.startswith(sys.argv[1]), data.__file__\n"
            "images, labels = data.load_digits()\n"
            "print(images.shape, np.bincount(labels).tolist())")
    result = subprocess.run([sys.executable, "-I", "-c", code, str(tmp_path / "site")],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"(1797, 8, 8) {COUNTS}"
