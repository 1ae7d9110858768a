"""Write the student version of the chapters: the same notebooks without the solutions.

    python tools/student.py [--out _build/student]

Everything between a ```{solution-start}``` and its ```{solution-end}``` is removed: the
solution's text and its code cells. The instructor notes (cells tagged `instructor-note`,
see tools/instructor.py) are removed too. Exercises, starter cells and check functions stay.
Outputs are cleared, so students run every cell themselves.
"""

import argparse
import re
import sys
from pathlib import Path

import nbformat
from paths import ROOT, chapters
START = re.compile(r"^```\{solution-start\}", re.M)
END = re.compile(r"^```\{solution-end\}\n```[ \t]*\n?", re.M)
INSTRUCTOR_NOTE = "instructor-note"  # the tag of tools/instructor.py


def strip_solutions(nb):
    """Return a copy of ``nb`` without solutions and instructor notes, and with outputs cleared."""
    nb = nbformat.from_dict(nb)
    cells, inside = [], False
    for cell in nb.cells:
        if INSTRUCTOR_NOTE in cell.metadata.get("tags", []):
            continue
        if cell.cell_type != "markdown":
            if not inside:
                cells.append(cell)
            continue
        text, kept = cell.source, ""
        while text:  # cut out every solution that starts, ends or lies in this cell
            if inside:
                end = END.search(text)
                if not end:
                    break
                text, inside = text[end.end():], False
            else:
                start = START.search(text)
                if not start:
                    kept += text
                    break
                kept, text, inside = kept + text[:start.start()], text[start.start():], True
        if kept.strip():
            cell.source = kept.strip("\n")
            cells.append(cell)
    if inside:
        raise ValueError("a {solution-start} has no matching {solution-end}")
    nb.cells = cells
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata.pop("widgets", None)
    return nb


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "_build" / "student"), help="output folder")
    args = parser.parse_args(argv)
    out = Path(args.out) / "chapters"
    out.mkdir(parents=True, exist_ok=True)
    for path in chapters():
        nbformat.write(strip_solutions(nbformat.read(path, as_version=4)), out / path.name)
        print(f"wrote {out / path.name}")


if __name__ == "__main__":
    sys.exit(main())
