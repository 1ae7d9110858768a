"""The math refresher (book/math.md): every rule's check runs and holds, every rule has a
label that chapters can link to, and every link from a chapter to it lands."""

import re

import pytest

from helpers import CHAPTERS, ROOT, markdown, read

PAGE = (ROOT / "book" / "math.md").read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", PAGE, flags=re.S)
TARGETS = set(re.findall(r"^\((math-[a-z-]+)\)=$", PAGE, flags=re.M))


def test_every_rule_has_a_label_and_a_check():
    sections = re.split(r"^\(math-[a-z-]+\)=$", PAGE, flags=re.M)[1:]
    assert len(sections) == len(TARGETS) >= 11
    for section in sections:
        assert "```python" in section and "assert" in section, section[:80]


@pytest.mark.parametrize("index", range(1, len(BLOCKS)))
def test_each_check_runs(index):
    namespace = {}
    exec(BLOCKS[0], namespace)  # the shared import
    exec(BLOCKS[index], namespace)


def test_the_page_is_in_the_table_of_contents():
    assert "book/math" in (ROOT / "_toc.yml").read_text()


def test_links_from_the_chapters_land():
    links = {(path.name, m) for path in CHAPTERS for text in markdown(read(path))
             for m in re.findall(r"\{ref\}`[^`<]*<?(math-[a-z-]+)>?`", text)}
    broken = [f"{name}: {label}" for name, label in links if label not in TARGETS]
    assert not broken, f"links to rules the refresher does not have: {broken}"


# Rules the refresher states but no chapter uses yet, each with its reason.
NOT_USED_YET = {}  # (Chapter 7 links the quotient rule: the softmax Jacobian)


def test_every_rule_the_chapters_use_is_linked_from_one():
    linked = {m for path in CHAPTERS for text in markdown(read(path))
              for m in re.findall(r"\{ref\}`[^`<]*<?(math-[a-z-]+)>?`", text)}
    assert set(TARGETS) - linked == set(NOT_USED_YET), \
        f"rules no chapter links to: {sorted(set(TARGETS) - linked - set(NOT_USED_YET))}"
