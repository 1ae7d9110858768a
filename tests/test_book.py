"""The website builds with warnings as errors, and shows what the README promises: the
intro, every chapter with rendered math, figures with alt text, exercises with hidden
solutions, widgets from the stored state, launch buttons, and the notation page."""

import re

import pytest

from helpers import CHAPTERS, ROOT, code_cells, config, read, toc_files

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
    # a chapter's widgets: the stored widget state is embedded, so they render without a kernel
    if shows_widgets(chapter):
        assert 'application/vnd.jupyter.widget-state+json' in text
        assert 'application/vnd.jupyter.widget-view+json' in text


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
