"""No stored output shows rounding noise.

Two computations of the same numbers that agree to rounding level differ by something like
4.4e-16 on one CPU and 0.0e+00 on another (numpy's SIMD paths and the BLAS kernel round
in different orders), so a notebook that prints such a difference passes nbval only on
the CPU it was executed on. The chapters print agreement as the tolerance they assert
instead (nnbook_utils.gradcheck.agree and check_grad). This test scans every stored
output, widget outputs included, and fails naming the chapter and the cell of:

- any number in scientific notation with an exponent below -9, unless it is a quantity
  the text is about (listed below, each with its reason);
- on a line that reports a difference or an error, any number below 1e-9 that is not a
  plain 0 at fixed precision, such as 3e-11 or 0e+00.

A tolerance ("< 1e-12 (asserted)", "within 1e-06") is a bound, not a measured value.
"""

import re

import pytest

from helpers import CHAPTERS, read

# A number in scientific notation: 4.4e-16, 3e-11, 0.0e+00
E_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)[eE]([-+]?\d+)")
# A number in fixed notation: 0.000000000012 (a plain 0.000000 is a stable print of zero)
FIXED_NUMBER = re.compile(r"(?<![\w.])[-+]?\d+\.\d+(?![\d.eE])")
# What stands before a tolerance ("< 1e-12", "within 1e-06"): a bound asserted, not noise
TOLERANCE = re.compile(r"(?:<=?|within|tol\s*=)\s*$")
# A line that reports how far apart two computations are
DIFFERENCE = re.compile(r"diff|error|gap|residual|mismatch|\|[^|]*-[^|]*\|", re.IGNORECASE)

# Numbers below 1e-9 that are what the text is about, not how far apart two computations
# are: chapter number -> [(pattern matching the line, reason)].
QUANTITIES = {
    3: [(r"^likelihood of the first guess: ",
         "the likelihood of 100 examples itself, the tiny product that motivates taking logs")],
    4: [(r"^K = \d+: sigmoid ",
         "the vanishing gradient measured along a chain of k sigmoids: the section's subject")],
}


def noise_in(text, allowed=()):
    """The numbers in ``text`` that look like rounding noise: a list of (line, number)."""
    found = []
    for line in text.splitlines():
        if any(re.search(pattern, line) for pattern, _ in allowed):
            continue
        difference = DIFFERENCE.search(line)
        for m in E_NUMBER.finditer(line):
            if TOLERANCE.search(line[:m.start()]):
                continue
            if int(m.group(1)) < -9 or (difference and abs(float(m.group(0))) < 1e-9):
                found.append((line, m.group(0)))
        if difference:
            found += [(line, m.group(0)) for m in FIXED_NUMBER.finditer(line)
                      if 0 < abs(float(m.group(0))) < 1e-9]
    return found


def output_texts(nb):
    """(where, text) for every text output: code cells, then the widgets' stored outputs."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            yield f"cell {index} (execution count {cell.execution_count})", _text(out)
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    for model_id, model in state.get("state", {}).items():
        for out in model.get("state", {}).get("outputs", []):
            yield f"widget output {model_id}", _text(out)


def _text(out):
    text = out.get("text", "") + out.get("data", {}).get("text/plain", "")
    return "".join(text) if isinstance(text, list) else text


def noise_report(nb, chapter):
    allowed = QUANTITIES.get(chapter, [])
    return [f"chapter {chapter}, {where}: {number!r} in {line.strip()!r}"
            for where, text in output_texts(nb) for line, number in noise_in(text, allowed)]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_stored_output_shows_rounding_noise(path):
    found = noise_report(read(path), int(path.stem[:2]))
    assert not found, ("outputs that print rounding noise, which another CPU prints differently; "
                       "print that the values agree within the asserted tolerance instead "
                       "(nnbook_utils.gradcheck.agree):\n" + "\n".join(found))


def test_a_planted_rounding_difference_is_found_with_its_chapter_and_cell():
    nb = read(CHAPTERS[-1])
    index = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    nb.cells[index].outputs.append({"output_type": "stream", "name": "stdout",
                                    "text": "max |difference| = 4.4e-16\n"})
    chapter = int(CHAPTERS[-1].stem[:2])
    assert noise_report(nb, chapter) == [
        f"chapter {chapter}, cell {index} (execution count {nb.cells[index].execution_count}): "
        "'4.4e-16' in 'max |difference| = 4.4e-16'"]


@pytest.mark.parametrize("line", [
    "max |batch - one by one| = 5.6e-17", "analytic = 2.48, numeric = 2.48 (|diff| = 3e-11)",
    "max |difference| over outputs: 0.0e+00", "gap = 0.000000000012", "a value of 1.2e-13",
])
def test_noise_is_recognised(line):
    assert noise_in(line)


@pytest.mark.parametrize("line", [
    "max |batch - one by one| < 1e-12 (asserted)", "largest |GD - exact| = 6.8e-05",
    "with a bias: |mean error| = 0.000000", "lr = 1.02 * bound: |e_300| = 3.948e+04",
    "analytic = 2.4800, numeric = 2.4800 (agree within 1e-06 x max(1, |gradient|), asserted)", "sigmoid 7.96e-08",
])
def test_stable_numbers_are_not_noise(line):
    assert not noise_in(line)


def test_quantities_the_text_is_about_are_allowed_only_where_listed():
    line = "likelihood of the first guess: 3.0647e-51"
    assert not noise_in(line, QUANTITIES[3]) and noise_in(line, QUANTITIES[4])
