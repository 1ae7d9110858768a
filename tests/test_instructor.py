"""The instructor notes (book/instructor_notes.yml, tools/instructor.py): every section of
every chapter has one, their minutes agree with the workshop page, inserting them is
idempotent, the instructor edition shows every one, the reader's site and the student
notebooks show none."""

import html as html_lib
import re
import subprocess
import sys

import nbformat
import pytest

from helpers import CHAPTERS, ROOT, read
import instructor  # tools/, put on the path by helpers
from student import strip_solutions

NOTES = instructor.load_notes()


def note_cells(nb):
    return [cell for cell in nb.cells if instructor.is_note(cell)]


def workshop_minutes():
    """{chapter number: minutes} from the one-day and two-day plans of book/workshop.md:
    the sum of the rows of those tables that name the chapter."""
    text = (ROOT / "book" / "workshop.md").read_text()
    plans = text[text.index("### One day"):text.index("### How long each chapter takes to run")]
    minutes = {}
    for row in re.findall(r"^\|(.*)\|\s*(\d+)\s*\|$", plans, flags=re.M):
        for number in set(re.findall(r"Chapter (\d+)", row[0])):
            minutes[int(number)] = minutes.get(int(number), 0) + int(row[1])
    return minutes


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_section_has_a_note_and_every_note_a_section(path):
    assert path.stem in NOTES, f"book/instructor_notes.yml has no notes for {path.stem}"
    sections = instructor.taught_sections(read(path))
    assert sections, "the chapter has sections"
    noted = [note["section"] for note in NOTES[path.stem]]
    assert noted == sections, (
        f"the notes of {path.stem} must follow its `## ` headings (except "
        f"{sorted(instructor.UNTAUGHT)}) one to one, in order:\n notes:    {noted}\n headings: {sections}")


def test_the_notes_name_only_chapters_of_the_book():
    assert set(NOTES) == {p.stem for p in CHAPTERS}


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_notes_are_filled_in(path):
    for note in NOTES[path.stem]:
        for field in ("misconception", "question", "answer"):
            assert len(note[field].split()) >= 5, f"{path.stem}, {note['section']!r}: the {field} is too short"
        assert note["question"].rstrip().endswith("?"), f"{note['section']!r}: the question is not a question"


def test_minutes_agree_with_the_workshop_page():
    plan = workshop_minutes()
    for path in CHAPTERS:
        number = int(path.stem[:2])
        total = sum(note["minutes"] for note in NOTES[path.stem])
        assert number in plan, f"book/workshop.md's plans do not name Chapter {number}"
        assert total == plan[number], f"Chapter {number}: the notes plan {total} minutes, book/workshop.md {plan[number]}"


def test_the_workshop_minutes_are_read_from_the_page():
    # guards the parser above: the one-day plan gives 60 minutes to Chapters 1 to 5
    assert {n: m for n, m in workshop_minutes().items() if n <= 5} == {n: 60 for n in range(1, 6)}


def test_insert_twice_is_insert_once_and_notes_sit_after_their_heading(tmp_path):
    copies = []
    for path in CHAPTERS:
        (tmp_path / path.name).write_bytes(path.read_bytes())
        copies.append(tmp_path / path.name)
    run = [sys.executable, str(ROOT / "tools" / "instructor.py"), "insert", *map(str, copies)]
    subprocess.run(run, check=True, capture_output=True)
    once = {p.name: p.read_bytes() for p in copies}
    subprocess.run(run, check=True, capture_output=True)
    assert {p.name: p.read_bytes() for p in copies} == once, "a second insert changed the notebooks"
    for copy, path in zip(copies, CHAPTERS):
        nb, original = nbformat.read(copy, as_version=4), read(path)
        nbformat.validate(nb)
        cells = note_cells(nb)
        assert len(cells) == len(NOTES[path.stem])
        assert all(c.metadata["tags"] == ["remove-cell", "instructor-note"] for c in cells)
        # everything else is untouched, in the same order
        assert [c for c in nb.cells if not instructor.is_note(c)] == [c for c in original.cells if not instructor.is_note(c)]
        # each note follows the cell with its heading (or the notes of that same cell)
        for note in NOTES[path.stem]:
            i = next(i for i, c in enumerate(nb.cells) if f"Instructor note: {note['section']} (" in c.source)
            j = i - 1
            while instructor.is_note(nb.cells[j]):
                j -= 1
            assert f"## {note['section']}" in nb.cells[j].source.splitlines()


def test_a_note_for_a_missing_section_is_an_error_that_names_it():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title\n\n## Present")]
    notes = [dict(section=s, minutes=5, misconception="m", question="q?", answer="a") for s in ["Present", "Gone away"]]
    with pytest.raises(instructor.NotesError, match="'Gone away'"):
        instructor.with_notes(nb, "99_test", notes)
    new, unnoted = instructor.with_notes(nb, "99_test", notes[:1])
    assert unnoted == [] and len(note_cells(new)) == 1


def test_the_command_reports_a_malformed_notes_file_clearly(tmp_path, monkeypatch):
    bad = tmp_path / "notes.yml"
    bad.write_text("01_smallest_network:\n  - section: X\n    minutes: ten\n")
    with pytest.raises(instructor.NotesError, match="exactly the fields"):
        instructor.load_notes(bad)


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("instructor")
    subprocess.run([sys.executable, str(ROOT / "tools" / "instructor.py"), "edition", "--out", str(out)],
                   check=True, capture_output=True)
    return out / "chapters"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_the_instructor_edition_shows_every_note(edition, path):
    nb = nbformat.read(edition / path.name, as_version=4)
    cells = note_cells(nb)
    assert [c.metadata["tags"] for c in cells] == [["instructor-note"]] * len(cells), "notes must not be removed"
    assert not any(c.metadata.get("jupyter", {}).get("source_hidden") for c in cells), "notes open in JupyterLab"
    text = "\n".join(c.source for c in cells)
    for note in NOTES[path.stem]:
        assert instructor.render(path.stem, note) in text, f"{note['section']!r} is missing from the instructor edition"
    assert [c for c in nb.cells if not instructor.is_note(c)] == [c for c in read(path).cells if not instructor.is_note(c)]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_student_notebooks_have_no_note_and_no_solution(edition, path):
    # from the instructor edition, which holds every note and every solution
    student = strip_solutions(nbformat.read(edition / path.name, as_version=4))
    text = "\n".join(c.source for c in student.cells)
    assert not note_cells(student) and "Instructor note" not in text
    assert "{solution-start}" not in text and "{solution-end}" not in text


# --- the reader's site (the session's build of the repository, tests/conftest.py) -------

def page_text(html, chapter):
    """The chapter's page with entities and typographic quotes undone, for searching."""
    text = html_lib.unescape((html / "chapters" / f"{chapter}.html").read_text())
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_the_chapter_holds_every_note(path):
    # fails until `python tools/instructor.py insert chapters/*.ipynb` has been run and
    # committed; then it fails whenever the notebook and the notes file disagree
    expected = [instructor.render(path.stem, note) for note in NOTES[path.stem]]
    held = note_cells(read(path))
    assert [c.source for c in held] == expected, (f"{path.name} does not hold the notes of book/instructor_notes.yml: run "
                                                  f"python tools/instructor.py insert chapters/*.ipynb")
    # collapsed for a reader of the notebook in JupyterLab or Binder
    assert all(c.metadata.get("jupyter", {}).get("source_hidden") for c in held), \
        f"{path.name}: an instructor note is not collapsed: run python tools/instructor.py insert chapters/*.ipynb"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_the_readers_site_shows_no_note(html, path):
    text = page_text(html, path.stem)
    assert "instructor-note" not in text and "Instructor note" not in text
    for cell in note_cells(read(path)):
        for line in cell.source.splitlines():
            if line.startswith("**Ask the room:**"):
                question = line.removeprefix("**Ask the room:** ").replace("\\*", "*")
                assert question not in text, f"a note's question is on the page: {question[:60]!r}"
