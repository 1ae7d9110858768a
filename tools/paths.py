"""Where the book's files are: the one definition the tools and the tests share."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def chapters():
    """The chapter notebooks, in order: chapters/NN_name.ipynb."""
    return sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
