"""The promise reaches into the package: a line of nnbook_utils that implements a chapter's
equation cites its label (``# (eq-ch5-fanout), push form`` or ``Implements (eq-ch5-dw).``),
so a reader who opens the package finds the chapter. Every label it cites must exist."""

import re
from pathlib import Path

from helpers import CHAPTERS, ROOT, labels, read

PACKAGE = ROOT / "nnbook_utils"
CITATION = re.compile(r"\((eq-ch\d+-[A-Za-z0-9_-]+)\)")


def package_citations():
    """(file, line number, label) for every label cited in the package's code and docstrings."""
    for path in sorted(PACKAGE.rglob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for label in CITATION.findall(line):
                yield path.relative_to(ROOT), number, label


def test_every_label_the_package_cites_exists():
    known = {label for path in CHAPTERS for label in labels(read(path))}
    cited = list(package_citations())
    assert cited, "the package cites the chapters' equations"
    unknown = [f"{path}:{number}: ({label})" for path, number, label in cited if label not in known]
    assert not unknown, "labels cited in nnbook_utils that no chapter defines:\n" + "\n".join(unknown)


def test_the_engines_cite_their_chapters():
    cited = {(path.name, label.split("-")[1]) for path, _, label in package_citations()}
    for module, chapter in [("graph.py", "ch5"), ("neuron.py", "ch1"), ("linear.py", "ch2"),
                            ("logistic.py", "ch3"), ("activations.py", "ch3")]:
        assert (module, chapter) in cited, f"nnbook_utils/{module} cites no equation of {chapter}"
