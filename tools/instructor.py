"""The instructor notes: written once (book/instructor_notes.yml), shown only to instructors.

    python tools/instructor.py insert chapters/*.ipynb
    python tools/instructor.py edition [--out _build/instructor] [--site]

For each section of a chapter (each `## ` heading except "Summary"), the notes file gives
the planned minutes in a workshop, the misconception to expect and one question to ask
the room, with its answer.

``insert`` writes each note into its chapter as one markdown cell, right after the cell
that holds the section's heading, rendered as a MyST admonition "Instructor note" with the
class ``instructor-note``. The cell is tagged ``remove-cell``, so the reader's website
leaves it out (myst-nb removes such cells), and ``instructor-note``, so that the tools
find it; it is collapsed in JupyterLab (``jupyter.source_hidden``), where a reader of the
notebooks, on a laptop or in Binder, sees a thin bar that opens it. Running it again replaces the notes, it never adds a second copy. A section
in the notes file that the chapter no longer has is an error that names it; a section
without a note is reported.

``edition`` writes the instructor's notebooks to ``OUT/chapters/``: the chapters with
every note in place (inserted from the notes file, whether or not ``insert`` has been
run) and visible (the ``remove-cell`` tag dropped, and expanded in JupyterLab). With ``--site`` it also builds the
instructor's website into ``OUT/html`` from a temporary copy of the book's sources whose
chapters are those notebooks (as slow as ``make book``).
``tools/student.py`` drops the notes from the student notebooks.
"""

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import yaml
from paths import ROOT, chapters

NOTES = ROOT / "book" / "instructor_notes.yml"
TAG = "instructor-note"
REMOVE = "remove-cell"
FIELDS = ("section", "minutes", "misconception", "question", "answer")
# `## ` headings that get no note: the chapter summary is a table of equations, not taught
UNTAUGHT = {"Summary"}


class NotesError(Exception):
    """The notes file and a chapter disagree, or the notes file is malformed."""


def load_notes(path=NOTES):
    """The notes file as {chapter stem: [note, ...]}, each note a dict of FIELDS,
    checked for form (clear errors, not tracebacks, for a mistyped file)."""
    try:
        data = yaml.safe_load(Path(path).read_text())
    except yaml.YAMLError as error:
        raise NotesError(f"{path} is not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise NotesError(f"{path} must map each chapter (e.g. 01_smallest_network) to a list of notes")
    for chapter, notes in data.items():
        if notes is None:  # a chapter named with no notes under it yet (the tests ask for them)
            notes = data[chapter] = []
        if not isinstance(notes, list):
            raise NotesError(f"{path}: {chapter} must be a list of notes, one per section")
        for note in notes:
            if not isinstance(note, dict) or set(note) != set(FIELDS):
                raise NotesError(f"{path}: each note of {chapter} needs exactly the fields {', '.join(FIELDS)}; got {note!r}")
            if not isinstance(note["minutes"], int) or note["minutes"] <= 0:
                raise NotesError(f"{path}: {chapter}, {note['section']!r}: minutes must be a positive whole number")
    return data


def headings(nb):
    """The chapter's `## ` headings, in order, each with the index of the cell that holds it."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            found += [(line[3:].strip(), i) for line in cell.source.splitlines() if line.startswith("## ")]
    return found


def taught_sections(nb):
    """The sections that must have a note: every `## ` heading but the UNTAUGHT ones."""
    return [title for title, _ in headings(nb) if title not in UNTAUGHT]


def is_note(cell):
    return TAG in cell.get("metadata", {}).get("tags", [])


def render(chapter, note):
    """The markdown of one note: a MyST admonition with the class instructor-note."""
    def text(value):  # a `*` in the notes (w*, theta*) must not start emphasis
        return str(value).replace("*", r"\*")
    return "\n".join([
        f"```{{admonition}} Instructor note: {note['section']} ({note['minutes']} min)",
        f":class: {TAG}",
        "",
        f"**Planned time:** {note['minutes']} minutes.",
        "",
        f"**Misconception to expect:** {text(note['misconception'])}",
        "",
        f"**Ask the room:** {text(note['question'])}",
        "",
        f"**Answer:** {text(note['answer'])}",
        "```",
    ])


def note_cell(chapter, note):
    """One note as a markdown cell, tagged, with an id that depends only on the chapter and
    the section (so that inserting twice writes the same file as inserting once)."""
    cell = nbformat.v4.new_markdown_cell(render(chapter, note))
    cell.id = "instructor-" + hashlib.sha1(f"{chapter}/{note['section']}".encode()).hexdigest()[:12]
    # collapsed in JupyterLab (and Binder): a reader there sees a thin bar, not the note
    cell.metadata = {"tags": [REMOVE, TAG], "jupyter": {"source_hidden": True}}
    return cell


def with_notes(nb, chapter, notes):
    """A copy of ``nb`` with its old note cells removed and ``notes`` inserted, each right
    after the cell that holds its section's heading. Returns (notebook, sections without a note)."""
    nb = nbformat.from_dict(nb)
    nb.cells = [cell for cell in nb.cells if not is_note(cell)]
    where = {}
    for title, index in headings(nb):
        where.setdefault(title, index)
    missing = [note["section"] for note in notes if note["section"] not in where]
    if missing:
        raise NotesError(f"{chapter}: the notes file names sections that the chapter does not have: "
                         + "; ".join(repr(m) for m in missing)
                         + f". Its `## ` headings are: {'; '.join(repr(t) for t, _ in headings(nb))}. "
                         f"Rename or remove those notes in {NOTES.relative_to(ROOT)}.")
    after = {}
    for note in notes:
        after.setdefault(where[note["section"]], []).append(note_cell(chapter, note))
    cells = []
    for i, cell in enumerate(nb.cells):
        cells.append(cell)
        cells += after.get(i, [])
    nb.cells = cells
    noted = {note["section"] for note in notes}
    return nb, [title for title in taught_sections(nb) if title not in noted]


def visible(nb):
    """A copy of ``nb`` whose notes are shown: the remove-cell tag dropped from each, and
    each expanded in JupyterLab."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if is_note(cell):
            cell.metadata["tags"] = [tag for tag in cell.metadata["tags"] if tag != REMOVE]
            cell.metadata.get("jupyter", {}).pop("source_hidden", None)
            if cell.metadata.get("jupyter") == {}:
                del cell.metadata["jupyter"]
    return nb


def without_notes(nb):
    """A copy of ``nb`` without its note cells (for the students)."""
    nb = nbformat.from_dict(nb)
    nb.cells = [cell for cell in nb.cells if not is_note(cell)]
    return nb


def notes_for(path, notes):
    if path.stem not in notes:
        print(f"note: {NOTES.relative_to(ROOT)} has no notes for {path.stem}", file=sys.stderr)
    return notes.get(path.stem, [])


def insert(paths, notes):
    """Write the notes into the chapters in place; report sections without a note."""
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        new, unnoted = with_notes(nb, path.stem, notes_for(path, notes))
        if new != nb:
            nbformat.write(new, path)
        count = sum(map(is_note, new.cells))
        print(f"{path}: {count} instructor note(s){'' if new != nb else ', unchanged'}")
        for title in unnoted:
            print(f"  warning: section {title!r} has no note in {NOTES.relative_to(ROOT)}", file=sys.stderr)


def edition(out, notes, site=False):
    """Write the instructor notebooks to out/chapters (and, with site, the site to out/html)."""
    target = out / "chapters"
    target.mkdir(parents=True, exist_ok=True)
    for path in chapters():
        nb, _ = with_notes(nbformat.read(path, as_version=4), path.stem, notes_for(path, notes))
        nbformat.write(visible(nb), target / path.name)
        print(f"wrote {target / path.name}")
    if site:
        build_site(target, out / "html")


def build_site(instructor_chapters, html):
    """Build the website from a temporary copy of the book's sources in which the chapters
    are the instructor notebooks, and put it into ``html``."""
    skip = shutil.ignore_patterns(".git", ".venv", ".venv-lab", "_build", "node_modules", ".pytest_cache",
                                  ".jupyter_cache", "__pycache__", "chapters")
    with tempfile.TemporaryDirectory(prefix="nnbook-instructor-") as tmp:
        src = Path(tmp) / "book"
        shutil.copytree(ROOT, src, ignore=skip)
        shutil.copytree(instructor_chapters, src / "chapters")
        jupyter_book = Path(sys.executable).parent / "jupyter-book"
        result = subprocess.run([str(jupyter_book), "build", str(src), "--keep-going"], text=True)
        if result.returncode != 0:
            raise SystemExit(f"the instructor site did not build (jupyter-book exit status {result.returncode})")
        if html.exists():
            shutil.rmtree(html)
        shutil.copytree(src / "_build" / "html", html)
    print(f"The instructor site is built. Open {html / 'index.html'}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    jobs = parser.add_subparsers(dest="job", required=True)
    put = jobs.add_parser("insert", help="write the notes into chapter notebooks, in place")
    put.add_argument("paths", nargs="+", type=Path, help="chapter notebooks, e.g. chapters/*.ipynb")
    ed = jobs.add_parser("edition", help="write the instructor edition")
    ed.add_argument("--out", type=Path, default=ROOT / "_build" / "instructor", help="output folder")
    ed.add_argument("--site", action="store_true", help="also build the instructor website (slow)")
    args = parser.parse_args(argv)
    try:
        notes = load_notes()
        if args.job == "insert":
            for path in args.paths:
                if not path.is_file() or path.suffix != ".ipynb":
                    raise NotesError(f"{path} is not a notebook file")
            insert(args.paths, notes)
        else:
            edition(args.out, notes, site=args.site)
    except NotesError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
