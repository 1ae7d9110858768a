"""The book's rules for chapter notebooks (STYLE.md), checked on every chapter:
math and code are paired by equation labels, exercises exist and have solutions, the
notebook is stored as a fresh top-to-bottom run, figures have alt text."""

import re
import subprocess

import pytest

from helpers import CHAPTERS, EQ_LABEL, EQ_REFERENCE, ROOT, citations, code_cells, labels, markdown, read, toc_files

ALL_LABELS = {label for path in CHAPTERS for label in labels(read(path))}


def test_there_are_chapters():
    assert CHAPTERS, "no chapter notebooks found in chapters/"


@pytest.fixture(params=CHAPTERS, ids=lambda p: p.stem)
def nb(request):
    return read(request.param)


def test_every_chapter_is_in_the_table_of_contents():
    listed = set(toc_files())
    for path in CHAPTERS:
        assert f"chapters/{path.stem}" in listed, f"{path.name} is not in _toc.yml"


def test_labels_are_unique_and_every_labelled_equation_is_computed_by_code(nb):
    found = labels(nb)
    assert found, "a chapter derives something: it needs labelled equations"
    duplicates = {label for label in found if found.count(label) > 1}
    assert not duplicates, f"equation labels used twice: {sorted(duplicates)}"
    cited = set().union(*(citations(c.source) for c in code_cells(nb)))
    uncited = [label for label in found if label not in cited]
    assert not uncited, f"labelled equations that no code cell cites with '# (label)': {uncited}"


def test_each_equation_is_followed_directly_by_its_code(nb):
    # "One step, one pair": the first code cell after a labelled equation cites it.
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        following = next((c for c in nb.cells[i + 1:] if c.cell_type == "code"), None)
        for label in EQ_LABEL.findall(cell.source):
            assert following is not None and label in citations(following.source), \
                f"the code cell right after ({label}) does not cite it"


def test_the_summary_lists_every_labelled_equation(nb):
    text = "\n".join(markdown(nb))
    summary = text.split("## Summary", 1)[1].split("\n## ", 1)[0]
    missing = [label for label in labels(nb) if f"{{eq}}`{label}`" not in summary]
    assert not missing, f"equations missing from the summary: {missing}"


def test_labels_name_their_chapter(request, nb):
    prefix = f"eq-ch{int(request.node.callspec.id[:2])}-"
    wrong = [label for label in labels(nb) if not label.startswith(prefix)]
    assert not wrong, f"equation labels of this chapter start with {prefix!r}: {wrong}"


def test_every_citation_and_reference_names_an_existing_equation(nb):
    cited = set().union(*(citations(c.source) for c in code_cells(nb)))
    assert not cited - ALL_LABELS, f"code cells cite equations that do not exist: {sorted(cited - ALL_LABELS)}"
    referenced = {m for text in markdown(nb) for m in EQ_REFERENCE.findall(text)}
    assert not referenced - ALL_LABELS, f"{{eq}} references to missing equations: {sorted(referenced - ALL_LABELS)}"


def test_equation_references_are_not_wrapped_in_parentheses(nb):
    # {eq} already renders as "(1.3)"; "({eq}`...`)" would show "((1.3))".
    wrapped = [m for text in markdown(nb) for m in re.findall(r"\(\{eq\}`[^`]+`[^)]*\)", text)]
    assert not wrapped, f"equation references inside parentheses: {wrapped}"


def inline_math_lines_that_start_a_list(text):
    """Lines that continue an inline formula ($ ... $ over several lines) but begin with
    "- ", "+ ", "* " or "1. ": Markdown reads such a line as a list item, which breaks the
    formula in two (JupyterLab then shows raw TeX)."""
    found, inside, display = [], False, False
    for line in text.split("\n"):
        if line.strip().startswith("$$"):
            display = display != (line.strip().count("$$") == 1)
            continue
        if display:
            continue
        if inside and re.match(r"\s*([-+*]|\d+[.)])\s", line):
            found.append(line)
        if len(re.findall(r"(?<!\\)\$", line)) % 2:
            inside = not inside
    return found


def test_no_line_of_an_inline_formula_starts_a_list(nb):
    broken = [(i, line) for i, text in enumerate(markdown(nb)) for line in inline_math_lines_that_start_a_list(text)]
    assert not broken, f"reflow these lines so that they do not begin with a list marker: {broken}"


def test_the_list_rule_finds_a_formula_broken_over_a_minus_sign():
    assert inline_math_lines_that_start_a_list("so $a + b\n- c$ holds") == ["- c$ holds"]
    assert not inline_math_lines_that_start_a_list("so $a + b\nc$ holds\n- a list item")
    assert not inline_math_lines_that_start_a_list("$$\na\n- b\n$$ (eq-x)")


def test_exercises_have_solutions(nb):
    text = "\n".join(markdown(nb))
    exercises = re.findall(r"\{exercise\}[^\n]*\n:label: (\S+)", text)
    assert len(exercises) >= 5, f"a chapter has at least 5 exercises, found {len(exercises)}"
    starts = re.findall(r"\{solution-start\} (\S+)", text)
    ends = re.findall(r"\{solution-end\}", text)
    assert sorted(starts) == sorted(exercises), "every exercise has exactly one solution"
    assert len(ends) == len(starts), "every {solution-start} has its {solution-end}"
    assert "\n:class: dropdown" in text and text.count(":class: dropdown") >= len(starts), \
        "solutions are hidden in dropdowns"


def test_exercises_and_solutions_have_the_jupyterlab_structure(nb):
    # tools/lab_cells.py: each exercise and each solution gate in a markdown cell of its
    # own, the solution's cells collapsed (for JupyterLab; tests/test_jupyterlab.py). The
    # stored chapter must be what the tool makes of it: running it is a no-op.
    import lab_cells  # tools/ (helpers puts it on sys.path)

    assert lab_cells.transform(nb) == nb, \
        "run `python tools/lab_cells.py chapters/*.ipynb`: exercises and solutions need the JupyterLab cell structure"


def test_code_exercises_come_with_a_check(nb):
    # A code exercise has a starter cell (raising NotImplementedError) that runs a check,
    # and its solution runs the same check.
    sources = [c.source for c in code_cells(nb)]
    starters = [src for src in sources if "raise NotImplementedError" in src]
    assert starters, "a chapter has code exercises"
    for starter in starters:
        used = re.findall(r"checks\.(check_\w+)\(", starter)
        assert used, f"a starter cell without a check function: {starter[:60]!r}"
        solved = [src for src in sources if f"checks.{used[0]}(" in src and "NotImplementedError" not in src]
        assert solved, f"no executed solution runs checks.{used[0]}"


def test_closing_sections(nb):
    headings = [line for text in markdown(nb) for line in text.splitlines() if line.startswith("## ")]
    for required in ["## What was necessary, what was optimization", "## Summary", "## Exercises"]:
        assert required in headings, f"missing section {required!r}"


def test_stored_as_a_fresh_top_to_bottom_run(nb):
    cells = code_cells(nb)
    counts = [c.execution_count for c in cells]
    assert counts == list(range(1, len(cells) + 1)), "re-execute the chapter with `make execute`"
    errors = [c.source[:60] for c in cells if any(o.output_type == "error" for o in c.outputs)]
    assert not errors, f"cells stored with an error: {errors}"


def test_code_lines_fit_the_page(nb):
    # The website shows about 80 characters of code per line; longer lines scroll.
    long = [line for c in code_cells(nb) for line in c.source.splitlines() if len(line) > 80]
    assert not long, f"code lines longer than 80 characters: {long}"


def test_first_cell_sets_up_seeded_randomness_and_printing(nb):
    first = code_cells(nb)[0].source
    assert "rng = np.random.default_rng(" in first
    assert "np.set_printoptions(precision=" in first
    assert "plotting.use_book_style()" in first
    for cell in code_cells(nb):
        assert "np.random.seed" not in cell.source, "randomness goes through an explicit rng"


def test_figures_have_alt_text_and_captions(nb):
    for cell in code_cells(nb):
        if any("image/png" in o.get("data", {}) for o in cell.outputs):
            meta = cell.metadata.get("mystnb", {})
            assert meta.get("image", {}).get("alt"), f"figure without alt text: {cell.source[:60]!r}"
            assert meta.get("figure", {}).get("caption"), f"figure without caption: {cell.source[:60]!r}"


def test_ignored_outputs_say_why(nb):
    for cell in code_cells(nb):
        if "nbval-ignore-output" in cell.metadata.get("tags", []):
            reason = re.search(r"# nbval-ignore-output(?:, nnbook-timing)?: (.+)", cell.source)
            assert reason and len(reason.group(1)) > 30, "say in the cell why its output is not compared"


def test_timing_cells_are_exempt_only_as_timings(nb):
    # A cell tagged nnbook-timing prints or draws measured seconds: exempt from nbval and from
    # the pixel test (tests/test_second_path.py), so it must say so, and its claims are asserted ratios.
    for cell in code_cells(nb):
        if "nnbook-timing" in cell.metadata.get("tags", []):
            assert "nbval-ignore-output" in cell.metadata["tags"], "a timing cell is not compared by nbval either"
            assert "# nbval-ignore-output, nnbook-timing: " in cell.source, "say in the cell why it is a timing"
            assert "assert" in cell.source or "perf_counter" in cell.source, cell.source[:80]


def test_widgets_store_their_state(nb):
    shows_widget = any("application/vnd.jupyter.widget-view+json" in o.get("data", {})
                       for c in code_cells(nb) for o in c.outputs)
    if shows_widget:
        state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
        assert state, "widget state must be stored so the website can show the widgets"


def test_checkpoints_are_never_committed():
    # JupyterLab writes .ipynb_checkpoints/ next to a notebook it opens: ignored, never tracked.
    assert ".ipynb_checkpoints/" in (ROOT / ".gitignore").read_text().splitlines()
    if (ROOT / ".git").exists():
        tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
        assert ".ipynb_checkpoints" not in tracked
