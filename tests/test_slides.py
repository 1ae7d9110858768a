"""The slides for the room (tools/slides.py, `make slides`): one reveal.js deck per chapter.

The chapters are copied to a temporary folder and tagged there by the tool (`tag`), one
copy hand-edited as an author would (a tag removed, one added); the decks are built from
the copies with the command `make slides` runs. Checked: every chapter of _toc.yml has a
deck; a deck holds the tagged cells and nothing else, no raw MyST, no exercise and no
solution; equations carry the website's numbers; figures are embedded; only local assets
are loaded. In Chromium (tests/test_browser.py's launch pattern), one deck opened from
file:// with every other request refused: reveal.js is ready, MathJax typeset the
equations, and the right arrow moves to the next slide. The site's links to the decks are
checked on the site built for the session (tests/conftest.py).
"""

import html as html_lib
import json
import re
import shutil
import subprocess
import sys

import pytest
from docutils.nodes import make_id

from helpers import CHROMIUM, CHROMIUM_ARGS, ROOT, skip_or_fail, toc_files

import slides  # tools/ (helpers puts it on sys.path)
from test_browser import missing_requirements

CHAPTER_FILES = [f for f in toc_files() if f.startswith("chapters/")]
RAW_MYST = ["```{", ":::{", "{eq}`", "{ref}`", "{numref}`", ":label:", "{solution", "{exercise}", "$$"]


def cells_of(path):
    return json.loads(path.read_text())["cells"]


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    if not slides.available():
        skip_or_fail(f"the slides need the npm copies of reveal.js and MathJax ({slides.INSTALL_HINT})")
    work = tmp_path_factory.mktemp("slides")
    notebooks = []
    for file in CHAPTER_FILES:
        shutil.copy(ROOT / f"{file}.ipynb", work / f"{file.split('/')[-1]}.ipynb")
        notebooks.append(work / f"{file.split('/')[-1]}.ipynb")
    tools = str(ROOT / "tools" / "slides.py")
    for force in ([], ["--force"]):  # the rule applied to tagged notebooks gives the same tags
        run = subprocess.run([sys.executable, tools, "tag", *map(str, notebooks), *force],
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
    first = [cells_of(nb) for nb in notebooks]
    again = subprocess.run([sys.executable, tools, "tag", *map(str, notebooks)],
                           capture_output=True, text=True, timeout=60)
    assert again.stdout.count("left alone") == len(notebooks), "tagged notebooks are left alone"
    assert [cells_of(nb) for nb in notebooks] == first, "tagging twice changes nothing"

    # an author's hand edits in chapter 1: a figure taken off the slides, a prose cell put on
    edited = notebooks[0]
    nb = json.loads(edited.read_text())
    figure = next(c for c in nb["cells"] if "slide" in c["metadata"].get("tags", []) and c["cell_type"] == "code"
                  and any("image/png" in o.get("data", {}) for o in c.get("outputs", [])))
    figure["metadata"]["tags"].remove("slide")
    prose = next(c for c in nb["cells"] if c["cell_type"] == "markdown" and not c["metadata"].get("tags")
                 and "```" not in source(c) and "$$" not in source(c) and len(re.split(r"[`*$\n{]", source(c))[0]) > 15)
    prose["metadata"]["tags"] = ["slide"]
    edited.write_text(json.dumps(nb, indent=1))

    out = work / "decks"
    run = subprocess.run([sys.executable, tools, "build", *map(str, notebooks), "--out", str(out)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert re.search(r"built in [0-9.]+ s", run.stdout), run.stdout
    return {"out": out, "notebooks": notebooks, "figure": figure, "prose": prose}


def test_a_deck_for_every_chapter(decks):
    for nb in decks["notebooks"]:
        deck = decks["out"] / f"{nb.stem}.html"
        assert deck.exists(), f"no deck for {nb.stem}"
        assert deck.read_text().count("<section>") >= 5, f"{nb.stem}: too few slides"


@pytest.mark.parametrize("index", range(len(CHAPTER_FILES)))
def test_deck_holds_the_tagged_cells_only(decks, index):
    nb = decks["notebooks"][index]
    cells = cells_of(nb)
    deck = (decks["out"] / f"{nb.stem}.html").read_text()
    slides_part = deck.split('<div class="slides">', 1)[1]
    hidden = slides.in_solution(cells)
    tagged = [bool(set(c["metadata"].get("tags", [])) & slides.SLIDE_TAGS) for c in cells]
    assert any(tagged)
    for cell, on, solution in zip(cells, tagged, hidden):
        if cell["cell_type"] == "code":
            text = html_lib.escape(source(cell).strip())
            pngs = ["".join(o["data"]["image/png"]).strip() for o in cell.get("outputs", [])
                    if "image/png" in o.get("data", {})]
            short = 0 < len([line for line in source(cell).splitlines() if line.strip()]) <= slides.SHORT_CODE
            if on and not solution:
                if short:
                    assert text in slides_part, f"{nb.stem}: a tagged code cell is missing:\n{text[:200]}"
                for png in pngs:
                    assert png in slides_part, f"{nb.stem}: a tagged figure is missing"
            else:
                if text and len(text) > 20:
                    assert text not in slides_part, f"{nb.stem}: an untagged or solution cell is on the slides:\n{text[:200]}"
                for png in pngs:
                    assert png not in slides_part, f"{nb.stem}: an untagged or solution figure is on the slides"
        elif cell["cell_type"] == "markdown":
            for tex, label in slides.DISPLAY_MATH.findall(source(cell)):
                shown = html_lib.escape(tex.strip(), quote=False) in slides_part
                if on and not solution:
                    assert shown, f"{nb.stem}: equation {label or tex[:40]} of a tagged cell is missing"
                elif solution:
                    assert not shown or any(  # the same equation may also stand outside a solution
                        tex.strip() == t.strip() for c, o, s in zip(cells, tagged, hidden) if o and not s
                        and c["cell_type"] == "markdown" for t, _ in slides.DISPLAY_MATH.findall(source(c))), \
                        f"{nb.stem}: an equation of a solution is on the slides: {tex[:60]}"
    if index == 0:
        assert "".join(decks["figure"]["outputs"][0]["data"].get("image/png", "")).strip() not in slides_part
        words = re.split(r"[`*$\n{]", source(decks["prose"]))[0].strip()
        assert html_lib.escape(words, quote=False) in slides_part, "a prose cell tagged by hand is missing"


@pytest.mark.parametrize("index", range(len(CHAPTER_FILES)))
def test_deck_has_no_raw_myst_and_numbers_its_equations(decks, index):
    nb = decks["notebooks"][index]
    deck = (decks["out"] / f"{nb.stem}.html").read_text()
    slides_part = deck.split('<div class="slides">', 1)[1]
    for raw in RAW_MYST:
        assert raw not in slides_part, f"{nb.stem}: raw MyST {raw!r} on the slides"
    # numbered as on the site (checked against it below): "(N.k)", in the page's order
    number = slides.chapter_numbers()[CHAPTER_FILES[index]]
    shown = re.findall(r"\\tag\{([0-9.]+)\}", slides_part)
    assert shown, f"{nb.stem}: no numbered equation on the slides"
    assert all(n.startswith(f"{number}.") for n in shown), shown
    ks = [int(n.split(".")[1]) for n in shown]
    assert ks == sorted(set(ks)), f"{nb.stem}: equation numbers out of order: {shown}"
    assert len(shown) == len(re.findall(r'class="equation" data-label=', slides_part))


def test_decks_load_only_local_assets_and_embed_their_images(decks):
    for nb in decks["notebooks"]:
        deck_path = decks["out"] / f"{nb.stem}.html"
        deck = deck_path.read_text()
        urls = re.findall(r"<(?:script|link)[^>]*(?:src|href)=\"([^\"]+)\"", deck)
        assert len(urls) >= 4, urls
        for url in urls:
            assert not re.match(r"[a-z]+:", url), f"{nb.stem} loads {url}"
            assert (deck_path.parent / url).is_file(), f"{nb.stem}: {url} is not next to the deck"
        assert "http://" not in deck and "https://" not in deck, f"{nb.stem}: a URL in the deck"
        for src in re.findall(r"<img[^>]*src=\"([^\"]+)\"", deck):
            assert src.startswith("data:image/"), f"{nb.stem}: an image not embedded: {src[:60]}"


def test_a_deck_runs_offline_in_chromium(decks):
    problems = missing_requirements()
    if problems:
        skip_or_fail("the browser test needs " + "; ".join(problems))
    from playwright.sync_api import sync_playwright

    deck = decks["out"] / f"{decks['notebooks'][0].stem}.html"
    refused, failed, errors = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})

            def route(request_route):
                if request_route.request.url.startswith("file://"):
                    request_route.continue_()
                else:
                    refused.append(request_route.request.url)
                    request_route.abort()

            page.route("**/*", route)
            page.on("requestfailed", lambda r: failed.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(deck.as_uri())
            page.wait_for_function("document.body.dataset.typeset === 'done'", timeout=30_000)
            assert page.evaluate("Reveal.isReady()")
            total = page.evaluate("Reveal.getTotalSlides()")
            assert total == deck.read_text().count("<section>")
            assert page.evaluate("document.querySelectorAll('.slides mjx-container').length") > 0
            text = page.evaluate("document.querySelector('.slides').textContent")
            left = re.findall(r"\\\[|\\\(|\\tag\{|\\frac|\\mathcal|\$\$", text)
            assert not left, f"TeX left untypeset: {left[:5]}"
            assert page.evaluate("Reveal.getIndices().h") == 0
            page.keyboard.press("ArrowRight")
            page.wait_for_function("Reveal.getIndices().h === 1", timeout=5_000)
        finally:
            browser.close()
    assert not refused, f"the deck asked the network for {refused}"
    assert not failed, f"requests failed: {failed}"
    assert not errors, f"errors in the page: {errors}"


def test_the_site_links_each_chapter_and_the_workshop_to_its_deck(html):
    if not slides.available():
        pytest.skip("no decks in the site without the npm copies")  # the decks fixture fails in CI
    workshop = (html / "book" / "workshop.html").read_text()
    for file in CHAPTER_FILES:
        stem = file.split("/")[-1]
        page = (html / f"{file}.html").read_text()
        link = re.search(r'class="nnbook-slides-link"><a href="([^"]+)"', page)
        assert link, f"{file}: no link to its slides"
        assert (html / "chapters" / link.group(1)).resolve().is_file(), f"{file}: dead link {link.group(1)}"
        assert f'href="../_static/slides/{stem}.html"' in workshop, f"the workshop page does not link {stem}'s deck"
    assert 'nnbook-slides-list"></div>' not in workshop, "the placeholder was not replaced"


@pytest.mark.parametrize("file", CHAPTER_FILES)
def test_the_site_decks_number_the_equations_as_the_pages(html, file):
    if not slides.available():
        pytest.skip("no decks in the site without the npm copies")
    page = (html / f"{file}.html").read_text()
    on_page = dict((label, number) for number, label in re.findall(
        r'class="eqno">\(([0-9.]+)\)<a class="headerlink" href="#(equation-[A-Za-z0-9_-]+)"', page))
    deck = (html / "_static" / "slides" / f"{file.split('/')[-1]}.html").read_text()
    on_deck = re.findall(r'data-label="([^"]+)">.*?\\tag\{([0-9.]+)\}', deck)
    assert on_deck and on_page
    for label, number in on_deck:
        on_site = on_page.get(make_id(f"equation-{label}"))  # docutils' ids (lower case)
        assert on_site == number, f"{file}: {label} is ({number}) on the slides, ({on_site}) on the page"
