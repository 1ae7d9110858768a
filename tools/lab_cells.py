"""Give the chapters' exercises and solutions the cell structure JupyterLab needs.

    python tools/lab_cells.py chapters/*.ipynb        # rewrite the notebooks in place
    python tools/lab_cells.py --check chapters/*.ipynb  # exit 1 if one would change

The website (jupyter-book, sphinx-exercise) reads a notebook's markdown cells as one
document, so an exercise may share a cell with other text, and a gated solution
(```{solution-start}``` ... ```{solution-end}```) may hold code cells. JupyterLab with
jupyterlab-myst renders each markdown cell on its own, which breaks two things:

- a cell that holds a ```{solution-end}``` and then the next ```{exercise}``` is shown as
  raw MyST source;
- the gates cannot reach across cells, so the solution's cells are in plain view under a
  "Start of Solution" header.

This tool changes only the cell structure, never the text, so the website renders as
before:

1. every ```{exercise}```, ```{solution-start}``` and ```{solution-end}``` directive gets a
   markdown cell of its own (the text around it goes into cells of its own, in order);
2. every cell between a solution's start and end is collapsed in JupyterLab (cell metadata
   ``jupyter.source_hidden``, and for code cells also ``jupyter.outputs_hidden``); the
   reader opens it with a click on the collapsed cell. The website ignores this metadata:
   there the solution is sphinx-exercise's dropdown, as before.

Running it again changes nothing (tests/test_chapters.py checks that the chapters are
stored this way). Outputs, execution counts and the widgets' state are kept, so the
chapters need no re-execution; cells that are split get new ids derived from the old one.
"""

import argparse
import re
import sys
from pathlib import Path

import nbformat

# The directives that need a cell of their own. The fence may be longer than three
# backticks (MyST nests fences that way); it closes at a line of at least as many.
GATED = ("exercise", "solution-start", "solution-end")
OPENING = re.compile(r"^(?P<fence>`{3,})\{(?P<name>" + "|".join(re.escape(g) for g in GATED) + r")\}.*$", re.M)


def split_source(source):
    """Split a markdown cell's text into pieces: each gated directive alone, and the text
    between them. Returns a list of (kind, text), kind the directive name or "text"."""
    pieces, position = [], 0
    while True:
        opening = OPENING.search(source, position)
        if not opening:
            break
        fence = len(opening["fence"])
        closing = re.compile(r"^`{%d,}[ \t]*$" % fence, re.M).search(source, opening.end())
        if not closing:
            raise ValueError(f"the directive {opening.group(0)!r} has no closing fence")
        pieces.append(("text", source[position:opening.start()]))
        pieces.append((opening["name"], source[opening.start():closing.end()]))
        position = closing.end()
    pieces.append(("text", source[position:]))
    return [(kind, text.strip("\n")) for kind, text in pieces if text.strip()]


def directive(cell):
    """The gated directive that a (transformed) markdown cell consists of, or None."""
    if cell.cell_type != "markdown":
        return None
    pieces = split_source(cell.source)
    return pieces[0][0] if len(pieces) == 1 and pieces[0][0] != "text" else None


def _new_id(base, taken):
    for k in range(2, 10_000):
        candidate = f"{base[:58]}-{k}"
        if candidate not in taken:
            return candidate
    raise RuntimeError(f"no free cell id for {base!r}")


def transform(nb):
    """Return ``nb`` (a copy) with the structure described in this module's docstring.

    Raises ValueError for a solution that does not close, or a directive inside a
    solution that does not belong there."""
    nb = nbformat.from_dict(nb)
    taken = {cell.get("id") for cell in nb.cells}
    cells = []
    for cell in nb.cells:
        pieces = split_source(cell.source) if cell.cell_type == "markdown" else []
        if len(pieces) <= 1:
            cells.append(cell)
            continue
        for k, (_, text) in enumerate(pieces):
            if k == 0:
                piece = nbformat.from_dict({**cell, "source": text})
            else:
                piece = nbformat.v4.new_markdown_cell(text)
                if "id" in cell:
                    piece.id = _new_id(cell.id, taken)
                    taken.add(piece.id)
                else:
                    piece.pop("id", None)
            cells.append(piece)
    inside = None  # the solution-start cell of the solution we are in
    for cell in cells:
        kind = directive(cell)
        if kind == "solution-start":
            if inside is not None:
                raise ValueError(f"a solution starts inside another one:\n{cell.source}")
            inside = cell
        elif kind == "solution-end":
            if inside is None:
                raise ValueError("a {solution-end} without its {solution-start}")
            inside = None
        elif inside is not None:
            if kind == "exercise":
                raise ValueError(f"an exercise inside a solution:\n{cell.source}")
            jupyter = cell.metadata.setdefault("jupyter", {})
            jupyter["source_hidden"] = True
            if cell.cell_type == "code":
                jupyter["outputs_hidden"] = True
    if inside is not None:
        raise ValueError(f"a solution has no {{solution-end}}:\n{inside.source}")
    nb.cells = cells
    return nb


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+", type=Path, help="the notebooks (e.g. chapters/*.ipynb)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook would change")
    args = parser.parse_args(argv)
    changed = []
    for path in args.notebooks:
        if not path.is_file():
            parser.error(f"no such notebook: {path}")
        nb = nbformat.read(path, as_version=4)
        try:
            new = transform(nb)
        except ValueError as error:
            print(f"{path}: {error}", file=sys.stderr)
            return 2
        if new != nb:
            changed.append(path)
            if not args.check:
                nbformat.write(new, path)
        print(f"{path}: {'would change' if args.check and new != nb else 'changed' if new != nb else 'unchanged'}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
