"""One-off check of the handwritten digits' provenance: nnbook_utils.data.load_digits()
gives exactly the images and labels of scikit-learn's sklearn.datasets.load_digits().

scikit-learn is not a dependency of nnbook: run this once, in a scratch environment that
has it, with this checkout importable (nnbook_utils/datasets/README.md says where the
file came from):

    python3 -m venv /tmp/skvenv && /tmp/skvenv/bin/pip install scikit-learn
    PYTHONPATH=/path/to/nnbook /tmp/skvenv/bin/python tools/digits_provenance.py

It exits with status 1 if anything differs.
"""

import hashlib
import sys
from importlib.resources import files

import numpy as np
import sklearn
import sklearn.datasets

from nnbook_utils import data


def main():
    ours_file = files("nnbook_utils") / "datasets" / "digits.csv.gz"
    theirs_file = files("sklearn.datasets") / "data" / "digits.csv.gz"
    ours_bytes, theirs_bytes = ours_file.read_bytes(), theirs_file.read_bytes()
    print(f"scikit-learn {sklearn.__version__}")
    print(f"nnbook_utils/datasets/digits.csv.gz sha256 {hashlib.sha256(ours_bytes).hexdigest()}")
    print(f"sklearn/datasets/data/digits.csv.gz sha256 {hashlib.sha256(theirs_bytes).hexdigest()}")
    images, labels = data.load_digits()  # (1797, 8, 8), (1797,)
    theirs = sklearn.datasets.load_digits()
    checks = {
        "the files are byte-identical": ours_bytes == theirs_bytes,
        "images equal sklearn's images": np.array_equal(images, theirs.images),
        "images equal sklearn's data (flattened row by row)":
            np.array_equal(images.reshape(len(images), 64), theirs.data),
        "labels equal sklearn's target": np.array_equal(labels, theirs.target),
    }
    print(f"images {images.shape} {images.dtype}, labels {labels.shape} {labels.dtype}")
    print(f"class counts {np.bincount(labels).tolist()}")
    for what, ok in checks.items():
        print(f"{'OK  ' if ok else 'FAIL'} {what}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
