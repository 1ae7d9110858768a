"""tools/student.py: the student notebooks keep the exercises and lose the solutions."""

import subprocess
import sys

import nbformat
import pytest

from helpers import CHAPTERS, ROOT, read
from student import strip_solutions  # tools/, put on the path by helpers


def solution_code(nb):
    """The code cells between a {solution-start} and its {solution-end}."""
    found, inside = [], False
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            if "{solution-start}" in cell.source:
                inside = "{solution-end}" not in cell.source.split("{solution-start}")[-1]
            elif "{solution-end}" in cell.source:
                inside = False
        elif inside:
            found.append(cell.source)
    return found


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_solutions_are_removed_and_exercises_kept(path):
    nb = read(path)
    assert solution_code(nb), "the chapter has executed solutions"
    student = strip_solutions(nb)
    text = "\n".join(c.source for c in student.cells)
    assert "{solution-start}" not in text and "{solution-end}" not in text
    assert text.count("{exercise}") == "\n".join(c.source for c in nb.cells).count("{exercise}")
    assert "checks.check_" in text, "starter cells with their checks stay"
    student_code = [c.source for c in student.cells if c.cell_type == "code"]
    for solution in solution_code(nb):
        assert solution not in student_code, f"solution code is still there: {solution[:60]!r}"
    assert all(c.outputs == [] for c in student.cells if c.cell_type == "code")
    nbformat.validate(student)
    assert read(path).cells == nb.cells, "the chapter itself is not modified"


def test_text_after_a_solution_in_the_same_cell_is_kept():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("Intro\n\n```{solution-start} ex-a\n:class: dropdown\n```\n\nSecret"),
        nbformat.v4.new_code_cell("answer = 42"),
        nbformat.v4.new_markdown_cell("More secret\n```{solution-end}\n```\n\n```{exercise} Next\n:label: ex-b\n```"),
    ]
    student = strip_solutions(nb)
    assert [c.source for c in student.cells] == ["Intro", "```{exercise} Next\n:label: ex-b\n```"]


def test_unclosed_solution_is_an_error():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("```{solution-start} ex-a\n```")]
    with pytest.raises(ValueError, match="no matching"):
        strip_solutions(nb)


def test_command_writes_every_chapter(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "tools" / "student.py"), "--out", str(tmp_path)], check=True,
                   capture_output=True)
    assert sorted(p.name for p in (tmp_path / "chapters").iterdir()) == [p.name for p in CHAPTERS]


def test_instructor_notes_are_removed():
    nb = nbformat.v4.new_notebook()
    note = nbformat.v4.new_markdown_cell("```{admonition} Instructor note: Intro (5 min)\n:class: instructor-note\n```")
    note.metadata["tags"] = ["remove-cell", "instructor-note"]
    nb.cells = [nbformat.v4.new_markdown_cell("## Intro"), note, nbformat.v4.new_code_cell("x = 1")]
    student = strip_solutions(nb)
    assert [c.source for c in student.cells] == ["## Intro", "x = 1"]
