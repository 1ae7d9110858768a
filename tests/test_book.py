"""The website builds with warnings as errors, and shows what the README promises: the
intro, every chapter with rendered math, figures with alt text, exercises with hidden
solutions, widgets from the stored state, launch buttons, the notation page, and
equations and the code cells that compute them linked both ways."""

import re
from html.parser import HTMLParser

import pytest
from docutils.nodes import make_id

from helpers import CHAPTERS, ROOT, citations, code_cells, config, labels, read, toc_files

# The `html` fixture (the site built once per session, warnings as errors) is in
# tests/conftest.py; tests/test_browser.py opens the same build in a browser.


def page(html, name):
    return (html / f"{name}.html").read_text()


def test_every_toc_page_is_built_and_nothing_else(html):
    for name in toc_files():
        assert (html / f"{name}.html").exists(), f"{name} was not built"
    # (_static: the theme's files; lite: the JupyterLite deployment, its own app)
    built = {str(p.relative_to(html).with_suffix("")) for p in html.rglob("*.html")
             if not {"_static", "lite"} & set(p.relative_to(html).parts)}
    extra = built - set(toc_files()) - {"index", "genindex", "search"}
    assert not extra, f"pages built that are not in the table of contents: {sorted(extra)}"


def test_intro_and_notation(html):
    index = (html / "index.html").read_text()
    assert 'http-equiv="Refresh"' in index and 'url=book/intro.html' in index, "index.html opens the intro"
    intro = page(html, "book/intro")
    assert "the math and the code match one to one" in intro
    notation = page(html, "book/notation")
    assert "learning rate" in notation and "<code class=\"docutils literal notranslate\"><span class=\"pre\">lr</span></code>" in notation


def shows_widgets(chapter):
    return any("application/vnd.jupyter.widget-view+json" in o.get("data", {})
               for c in code_cells(read(ROOT / "chapters" / f"{chapter}.ipynb")) for o in c.outputs)


@pytest.mark.parametrize("chapter", [p.stem for p in CHAPTERS])
def test_chapter_page(html, chapter):
    text = page(html, f"chapters/{chapter}")
    # math is handed to MathJax, labelled equations are numbered and can be linked
    assert 'class="math notranslate nohighlight"' in text and "mathjax" in text.lower()
    assert re.search(r'id="equation-eq-ch\d+-', text) and '<span class="eqno">' in text
    # figures: every image has alt text, every figure a caption
    # (the <img> of widget outputs sit, escaped, inside the embedded widget state's
    # <script>: the browser tests check their alt text once the widgets have rendered)
    outside_scripts = re.sub(r"<script\b.*?</script>", "", text, flags=re.S)
    images = re.findall(r"<img [^>]*>", outside_scripts)
    assert images and all(re.search(r'alt="[^"]{10,}"', img) for img in images), "an image lacks alt text"
    assert "<figcaption>" in text
    # exercises with solutions in dropdowns
    assert text.count('class="exercise admonition"') >= 5
    assert 'class="solution dropdown admonition"' in text
    # a chapter's widgets: the page shows their pre-drawn frames (nnbook_utils.widgets.
    # Explorer), which follow their controls without a kernel, not the stored widget view
    if shows_widgets(chapter):
        assert text.count('<div class="nnbook-frames"') == sum(
            "application/vnd.jupyter.widget-view+json" in o.get("data", {})
            for c in code_cells(read(ROOT / "chapters" / f"{chapter}.ipynb")) for o in c.outputs)
        assert 'application/vnd.jupyter.widget-view+json' not in text
    # instructor notes (tools/instructor.py) are in the notebook, never on the reader's page
    assert "instructor-note" not in text


def test_the_widgets_chapters_show_are_on_their_pages():
    # guards the condition above: the chapters with widgets are the ones expected
    assert {c for c in (p.stem for p in CHAPTERS) if shows_widgets(c)} >= {
        "01_smallest_network", "02_bias_and_many_inputs", "03_activations_and_a_decision"}


@pytest.mark.parametrize("chapter", [p.stem for p in CHAPTERS])
def test_launch_buttons_point_at_the_chapter(html, chapter):
    text = page(html, f"chapters/{chapter}")
    repo = config()["repository"]["url"].removeprefix("https://github.com/")
    branch = config()["repository"]["branch"]
    assert f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/chapters/{chapter}.ipynb" in text
    assert f"https://colab.research.google.com/github/{repo}/blob/{branch}/chapters/{chapter}.ipynb" in text


def test_jupyterlite_has_every_chapter_and_the_package_wheel(html):
    # the site's JupyterLite deployment (jupyterlite-sphinx): the chapter notebooks, and a
    # wheel of nnbook_utils with every module, indexed for piplite (`%pip install nnbook_utils`)
    import json
    import zipfile

    lite = html / "lite"
    assert (lite / "lab" / "index.html").exists(), "no JupyterLite deployment in the site"
    for chapter in CHAPTERS:
        assert (lite / "files" / chapter.name).exists(), f"JupyterLite lacks {chapter.name}"
    wheels = list((lite / "pypi").glob("nnbook_utils-*-py3-none-any.whl"))
    assert len(wheels) == 1, wheels
    names = set(zipfile.ZipFile(wheels[0]).namelist())
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "nnbook_utils").rglob("*")
               if p.suffix in {".py", ".mplstyle"} and (p.parent / "__init__.py").exists()}
    assert modules <= names, f"the wheel lacks {sorted(modules - names)}"
    index = json.loads((lite / "pypi" / "all.json").read_text())
    assert "nnbook-utils" in index or "nnbook_utils" in index, sorted(index)
    # a chapter's launch menu opens it there
    text = page(html, f"chapters/{CHAPTERS[0].stem}")
    assert f"../lite/lab/index.html?path={CHAPTERS[0].name}" in text


# --- equations and the code that computes them, linked both ways (nnbook_site.py) ------

class Element:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    @property
    def classes(self):
        return (self.attrs.get("class") or "").split()

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def ancestor(self, cls):
        node = self.parent
        while node is not None and cls not in node.classes:
            node = node.parent
        return node

    def next_element(self):
        siblings = [c for c in self.parent.children if isinstance(c, Element)]
        i = siblings.index(self)
        return siblings[i + 1] if i + 1 < len(siblings) else None


class Page(HTMLParser):
    """A built page as a tree of elements (Sphinx writes well-formed HTML), with its ids."""
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, path):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("#root", {}, None)
        self.ids = {}
        self.feed(path.read_text(encoding="utf-8"))
        self.close()

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        if "id" in element.attrs:
            self.ids[element.attrs["id"]] = element
        if tag not in self.VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.current = self.current.parent

    def handle_endtag(self, tag):
        node = self.current
        while node.parent is not None and node.tag != tag:
            node = node.parent
        if node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def equation_number(element):
    """The number an equation shows, "1.15", from its `<span class="eqno">(1.15)<a>#</a>`."""
    eqno = next(e for e in element.iter() if "eqno" in e.classes)
    return "".join(c for c in eqno.children if isinstance(c, str)).strip().strip("()")


def is_equation(element):
    return element is not None and element.tag == "div" and "math" in element.classes \
        and element.attrs.get("id", "").startswith("equation-")


@pytest.mark.parametrize("chapter", [p.stem for p in CHAPTERS])
def test_equations_and_the_code_that_computes_them_link_both_ways(html, chapter):
    pages = {}

    def load(path):
        path = path.resolve()
        if path not in pages:
            pages[path] = Page(path)
        return pages[path]

    path = html / "chapters" / f"{chapter}.html"
    dom = load(path)
    nb = read(ROOT / "chapters" / f"{chapter}.ipynb")
    order = {id(e): i for i, e in enumerate(dom.root.iter())}
    refs = [a for a in dom.root.iter() if a.tag == "a" and "nnbook-eqref" in a.classes]
    cells = [e for e in dom.root.iter() if e.tag == "div" and "cell" in e.classes]

    # every labelled equation of the notebook is on the page, numbered
    equations = {e.attrs["id"]: e for e in dom.ids.values() if is_equation(e)}
    missing = {make_id(f"equation-{label}") for label in labels(nb)} - set(equations)
    assert not missing, f"{chapter}: labelled equations not on the page: {sorted(missing)}"

    # each links to the first code cell after it that cites it (or, if none does, to the
    # last before it: the pairing test in tests/test_chapters.py fails that chapter)
    for eq_id, eq in equations.items():
        number = equation_number(eq)
        mark = eq.next_element()
        assert mark is not None and mark.tag == "p" and "nnbook-computed" in mark.classes, \
            f"{chapter}: equation ({number}) has no 'computed in code' link under it"
        link = next(a for a in mark.iter() if a.tag == "a")
        assert link.text().startswith("computed in code"), link.text()
        cell = dom.ids.get(link.attrs["href"].removeprefix("#"))
        assert cell in cells and any("cell_input" in e.classes and e.ancestor("cell") is cell
                                     for e in cell.iter()), \
            f"{chapter}: ({number})'s link {link.attrs['href']} does not land on a code cell"
        citing = [c for c in cells if any(r.attrs["href"] == f"#{eq_id}" for r in c.iter() if r in refs)]
        after = [c for c in citing if order[id(c)] > order[id(eq)]]
        assert cell is (after[0] if after else citing[-1]), \
            f"{chapter}: ({number}) links to {link.attrs['href']}, not to the first cell after it that cites it"

    # each citation in code shows the number of the equation it links to
    for ref in refs:
        assert ref.ancestor("highlight") is not None, "a citation link outside highlighted code"
        page_part, _, fragment = ref.attrs["href"].partition("#")
        target = (load(path.parent / page_part) if page_part else dom).ids.get(fragment)
        assert is_equation(target), f"{chapter}: {ref.attrs['href']} (shown as {ref.text()}) is no equation"
        assert ref.text() == f"({equation_number(target)})", \
            f"{chapter}: a code comment shows {ref.text()} for ({equation_number(target)}), {ref.attrs['href']}"

    # every label the notebook's code cites is linked, and none is left as a bare label
    cited = set().union(*(citations(c.source) for c in code_cells(nb)))
    linked = {r.attrs["href"].partition("#")[2] for r in refs}
    assert {make_id(f"equation-{label}") for label in cited} == linked
    # (a comment is a span of Pygments' Comment classes; strings that print a label stay)
    left = [e.text() for e in dom.root.iter() if e.tag == "span" and {"c", "c1", "ch", "cm", "cs"} & set(e.classes)
            and e.ancestor("highlight") is not None and re.search(r"\(eq-[A-Za-z0-9_-]+\)", e.text())]
    assert not left, f"{chapter}: citations in code comments left unlinked: {left}"
