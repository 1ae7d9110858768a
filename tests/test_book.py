"""The website builds with warnings as errors, and shows what the README promises: the
intro, every chapter with rendered math, figures with alt text, exercises with hidden
solutions, widgets from the stored state, launch buttons, and the notation page."""

import re

import pytest

from helpers import CHAPTERS, config, toc_files

# The `html` fixture (the site built once per session, warnings as errors) is in
# tests/conftest.py; tests/test_browser.py opens the same build in a browser.


def page(html, name):
    return (html / f"{name}.html").read_text()


def test_every_toc_page_is_built_and_nothing_else(html):
    for name in toc_files():
        assert (html / f"{name}.html").exists(), f"{name} was not built"
    built = {str(p.relative_to(html).with_suffix("")) for p in html.rglob("*.html") if "_static" not in p.parts}
    extra = built - set(toc_files()) - {"index", "genindex", "search"}
    assert not extra, f"pages built that are not in the table of contents: {sorted(extra)}"


def test_intro_and_notation(html):
    index = (html / "index.html").read_text()
    assert 'http-equiv="Refresh"' in index and 'url=book/intro.html' in index, "index.html opens the intro"
    intro = page(html, "book/intro")
    assert "the math and the code match one to one" in intro
    notation = page(html, "book/notation")
    assert "learning rate" in notation and "<code class=\"docutils literal notranslate\"><span class=\"pre\">lr</span></code>" in notation


@pytest.mark.parametrize("chapter", [p.stem for p in CHAPTERS])
def test_chapter_page(html, chapter):
    text = page(html, f"chapters/{chapter}")
    # math is handed to MathJax, labelled equations are numbered and can be linked
    assert 'class="math notranslate nohighlight"' in text and "mathjax" in text.lower()
    assert re.search(r'id="equation-eq-ch\d+-', text) and '<span class="eqno">' in text
    # figures: every image has alt text, every figure a caption
    images = re.findall(r"<img [^>]*>", text)
    assert images and all(re.search(r'alt="[^"]{10,}"', img) for img in images), "an image lacks alt text"
    assert "<figcaption>" in text
    # exercises with solutions in dropdowns
    assert text.count('class="exercise admonition"') >= 5
    assert 'class="solution dropdown admonition"' in text
    # the stored widget state is embedded, so widgets render without a kernel
    assert 'application/vnd.jupyter.widget-state+json' in text
    assert 'application/vnd.jupyter.widget-view+json' in text


@pytest.mark.parametrize("chapter", [p.stem for p in CHAPTERS])
def test_launch_buttons_point_at_the_chapter(html, chapter):
    text = page(html, f"chapters/{chapter}")
    repo = config()["repository"]["url"].removeprefix("https://github.com/")
    branch = config()["repository"]["branch"]
    assert f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/chapters/{chapter}.ipynb" in text
    assert f"https://colab.research.google.com/github/{repo}/blob/{branch}/chapters/{chapter}.ipynb" in text
