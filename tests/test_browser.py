"""The website as readers meet it, in a real browser (headless Chromium via playwright).

The site built once per session (tests/conftest.py) is served on 127.0.0.1 and every page
of _toc.yml is opened twice:
- "online": the site as published; its CDN requests (MathJax, require.js, the widget
  manager) are answered from the pinned npm copies in tools/web/node_modules (the exact
  versions the pages name, see tools/web_assets.py);
- "offline": the same build made self-contained by tools/offline.py (`make book-offline`),
  with no routing at all.
Any other request that leaves 127.0.0.1 is blocked and fails the test: the tests make no
network calls. Full-page screenshots of the chapters go to _build/screenshots/.

Needs Chromium (Debian/Ubuntu: `apt-get install chromium`; elsewhere set NNBOOK_CHROMIUM
to a Chromium or Chrome binary), the python package playwright and the npm copies (both
installed by `make test`). Without them the tests skip, saying what is missing; in CI
(NNBOOK_NO_SKIPS=1, .ci/run) they fail instead.
"""

import functools
import gzip
import http.server
import json
import re
import subprocess
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from helpers import CHAPTERS, CHROMIUM, CHROMIUM_ARGS, ROOT, browser_problems, config, skip_or_fail, toc_files

import web_assets  # tools/ (helpers puts it on sys.path)

SCREENSHOTS = ROOT / "_build" / "screenshots"
CHAPTER_PAGES = [f"chapters/{p.stem}" for p in CHAPTERS]
# Text that MathJax should have replaced: TeX delimiters and commands left in the page.
RAW_TEX = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|\\frac\{|\\partial")
WIDGET_SETTLE_MS = 200


def missing_requirements():
    problems = browser_problems()
    missing_npm = [name for name in web_assets.OFFLINE_PARTS if web_assets.installed_version(name) is None]
    if missing_npm:
        problems.append(f"the pinned copies of {missing_npm} ({web_assets.INSTALL_HINT}; needs npm)")
    return problems


# The browser fixtures live for this module only, never the session: while playwright's
# sync API is open, its event loop is the thread's current one, so a notebook executed
# later in the run (nbclient, tests/test_second_path.py) would run on it, and playwright's own
# tasks could switch away in the middle of a cell: the kernel's replies then never arrive
# (seen as a cell "timing out" after 600 s, or a dead kernel).
@pytest.fixture(scope="module")
def browser():
    problems = missing_requirements()
    if problems:
        skip_or_fail("the browser tests need " + "; ".join(problems))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".woff2": "font/woff2", ".woff": "font/woff", ".js": "text/javascript"}

    def log_message(self, *args):
        pass


@contextmanager
def serve(directory):
    """Serve a folder on 127.0.0.1 (a free port) from a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Site:
    name: str  # "online" or "offline"
    root: Path
    base: str
    route_cdn: bool
    browser: object


@pytest.fixture(scope="module")
def offline_site(html, tmp_path_factory):
    """The zip of `make book-offline`, unzipped as a workshop laptop would: the folder
    that `python3 -m http.server -d nnbook 8000` serves."""
    import zipfile

    work = tmp_path_factory.mktemp("offline")
    archive = work / "nnbook-offline.zip"
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "offline.py"), str(html),
                             "--out", str(work / "build" / "nnbook"), "--zip", str(archive)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    with zipfile.ZipFile(archive) as packed:
        assert {name.split("/")[0] for name in packed.namelist()} == {"nnbook"}, "one folder"
        packed.extractall(work / "laptop")
    return work / "laptop" / "nnbook"


@pytest.fixture(scope="module", params=["online", "offline"])
def site(request, browser, html):
    root = html if request.param == "online" else request.getfixturevalue("offline_site")
    with serve(root) as base:
        yield Site(request.param, root, base, request.param == "online", browser)


@pytest.fixture(scope="module")
def online_site(browser, html):
    """The online site only, for checks that the offline copy cannot change (its CSS)."""
    with serve(html) as base:
        yield Site("online", html, base, True, browser)


@dataclass
class Visit:
    status: int = 0
    failed: list = field(default_factory=list)    # requests that failed or got >= 400
    external: list = field(default_factory=list)  # requests that would leave 127.0.0.1
    errors: list = field(default_factory=list)    # console errors and uncaught exceptions
    bodies: dict = field(default_factory=dict)    # url -> response body size (bytes)


@contextmanager
def open_page(site, path, color_scheme="light"):
    """Open a page of the site in a fresh browser context; yields (page, visit) once the
    page has loaded, MathJax has typeset it and its widgets have rendered."""
    context = site.browser.new_context(color_scheme=color_scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    visit = Visit()

    def route(route):
        url = route.request.url
        if url.startswith(site.base) or url.startswith("data:"):
            return route.continue_()
        local = web_assets.local_copy(url) if site.route_cdn else None
        if local is None:
            visit.external.append(url)
            return route.abort("blockedbyclient")
        return route.fulfill(status=200, body=local.read_bytes(),
                             headers={"content-type": web_assets.content_type(local),
                                      "access-control-allow-origin": "*"})

    def response(resp):
        if resp.status >= 400:
            visit.failed.append(f"{resp.status} {resp.url}")
        elif not resp.url.startswith("data:"):
            try:
                visit.bodies[resp.url] = len(resp.body())
            except Exception:  # a redirect or an aborted body: not part of the page's size
                pass

    page.route("**/*", route)
    page.on("response", response)
    page.on("requestfailed", lambda req: req.url in visit.external or visit.failed.append(f"{req.failure} {req.url}"))
    page.on("console", lambda msg: msg.type == "error" and visit.errors.append(f"console: {msg.text}"))
    page.on("pageerror", lambda exc: visit.errors.append(f"exception: {exc}"))
    try:
        response_ = page.goto(site.base + path, wait_until="load")
        visit.status = response_.status if response_ else 0
        page.evaluate("() => window.MathJax && MathJax.startup && MathJax.startup.promise"
                      " ? MathJax.startup.promise.then(() => true) : null")
        views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
        if views:
            page.wait_for_function(
                "n => document.querySelectorAll('.widget-subarea > .jupyter-widgets, "
                ".widget-subarea > .lm-Widget').length >= n", arg=views, timeout=20000)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(WIDGET_SETTLE_MS)
        yield page, visit
    finally:
        context.close()


def lite_configured():
    return "jupyterlite_sphinx" in config()["sphinx"].get("extra_extensions", [])


def toc_page_path(name):
    return f"{name}.html"


@pytest.mark.parametrize("name", toc_files())
def test_page_loads_cleanly_with_math_images_and_widgets(site, name):
    html_text = (site.root / toc_page_path(name)).read_text(encoding="utf-8")
    with open_page(site, toc_page_path(name)) as (page, visit):
        assert visit.status == 200, f"{name}: HTTP {visit.status}"
        assert not visit.external, f"{name} ({site.name}): requests leaving the site: {visit.external}"
        assert not visit.failed, f"{name} ({site.name}): failed requests: {visit.failed}"
        assert not visit.errors, f"{name} ({site.name}): console errors: {visit.errors}"

        # math: typeset by MathJax, no TeX left in the visible text, no MathJax error
        if 'class="math' in html_text:
            assert page.locator("mjx-container").count() > 0, f"{name}: MathJax typeset nothing"
        assert page.locator("mjx-merror, [data-mjx-error]").count() == 0, f"{name}: MathJax reports an error"
        text = page.evaluate("""() => {
            const body = document.querySelector('.bd-article') || document.body;
            const copy = body.cloneNode(true);
            copy.querySelectorAll('pre, code, script, style, mjx-container, .highlight').forEach(e => e.remove());
            return copy.innerText; }""")
        raw = sorted(set(RAW_TEX.findall(text)))
        assert not raw, f"{name}: raw TeX left in the text: {raw}"

        # every widget shows its pre-drawn frames (nnbook_utils.widgets.Explorer), whose
        # controls work without a kernel; no stored widget view is left that cannot change
        if name in CHAPTER_PAGES:
            expected = widget_outputs(ROOT / f"{name}.ipynb")
            players = page.locator(".nnbook-frames").count()
            assert players == expected, f"{name}: {players} pre-drawn widgets on the page, {expected} in the notebook"
            assert page.locator(".widget-subarea .widget-slider").count() == 0, \
                f"{name}: a widget view is rendered whose figure cannot follow its controls"

        if name in CHAPTER_PAGES:
            check_chapter(site, page, visit, name)
        # images (also those in widget outputs): loaded, with a meaningful alt text
        images = page.evaluate("""() => [...document.images].map(i => ({
            src: i.currentSrc.slice(0, 60), alt: i.alt, loaded: i.complete && i.naturalWidth > 0,
            in_widget: !!i.closest('.widget-subarea')}))""")
        problems = []
        for image in images:
            where = f"image {image['src']}{' (in a widget output)' if image['in_widget'] else ''}"
            alt = image["alt"].strip()
            if not image["loaded"]:
                problems.append(f"{where} did not load")
            if len(alt) < 5 or alt.startswith("<Figure") or alt == "Image":
                problems.append(f"{where} has no meaningful alt text: {alt!r}")
        assert not problems, f"{name}:\n" + "\n".join(problems)


def check_chapter(site, page, visit, chapter):
    """A chapter page: launch buttons, equations and code linked both ways; on the online
    site also its screenshot, the
    sliders operated by keyboard, and its size. (The offline copy serves the same pages
    and scripts; what it changes, where the assets come from, the checks above cover.)"""

    links = page.evaluate("() => [...document.querySelectorAll('.dropdown-launch-buttons a')].map(a => a.href)")
    repo = config()["repository"]["url"].removeprefix("https://github.com/")
    branch = config()["repository"]["branch"]
    notebook = f"{chapter}.ipynb"
    expected = {
        "Binder": f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/{notebook}",
        "Colab": f"https://colab.research.google.com/github/{repo}/blob/{branch}/{notebook}",
    }
    if lite_configured():
        expected["JupyterLite"] = f"{site.base}lite/lab/index.html?path={notebook.split('/')[-1]}"
    for button, url in expected.items():
        assert url in links, f"{chapter}: the {button} launch button is missing or wrong: {links}"
    check_equation_code_links(page, chapter)
    check_static_widgets(site, page, chapter)
    if site.name != "online":
        return

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{chapter.split('/')[-1]}.png"), full_page=True)

    if chapter == CHAPTER_PAGES[0]:
        record_size(site, chapter, visit)


def widget_outputs(path):
    """How many widget outputs a stored notebook has."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    return sum("application/vnd.jupyter.widget-view+json" in out.get("data", {})
               for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs)


PLAYER_STATE = """root => {
    const spec = JSON.parse(root.querySelector('.nnbook-frames-data').textContent);
    const img = root.querySelector('img.nnbook-frame');
    const text = root.querySelector('.nnbook-frame-text');
    return {spec, src: img ? img.getAttribute('src') : null, alt: img ? img.alt : null,
            text: text ? text.textContent : null};
}"""


@functools.lru_cache(maxsize=None)
def live_explorers(chapter):
    """The chapter's widgets built anew in this process, as a live kernel builds them: the
    chapter's code run in order (tests/helpers.run_chapter), then each widget cell's code
    evaluated again in that namespace. Their ``frame`` draws what the live widget shows."""
    import nbformat

    from helpers import run_chapter

    path = ROOT / f"{chapter}.ipynb"
    namespace = run_chapter(path)
    cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"
             and any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in c.outputs)]
    return [_run_cell(c.source, f"{path.name}:widget", namespace) for c in cells]


def _run_cell(source, name, namespace):
    """Run a cell's code as IPython does and return the value of its last line: statements
    first, then the final expression (the widget the cell displays)."""
    import ast

    tree = ast.parse(source)
    last = tree.body.pop()
    assert isinstance(last, ast.Expr), f"{name}: a widget cell must end with the widget"
    exec(compile(tree, name, "exec"), namespace)
    return eval(compile(ast.Expression(last.value), name, "eval"), namespace)


def _pixels(src):
    import base64
    from io import BytesIO

    from PIL import Image

    return np.asarray(Image.open(BytesIO(base64.b64decode(src.split(",", 1)[1]))).convert("RGBA"))


def check_static_widgets(site, page, chapter):
    """Every pre-drawn widget, operated by keyboard as a reader would: each control takes
    the focus, ArrowRight moves it one step of its grid, and the figure and its alt text
    become the frame of the new values (one at a time: the other controls go back to their
    start). On the online site, each frame reached this way is also compared, pixel for
    pixel, with what the live widget draws at those values."""
    players = page.locator(".nnbook-frames")
    explorers = live_explorers(chapter) if site.name == "online" and players.count() else []
    for p in range(players.count()):
        player = players.nth(p)
        player.scroll_into_view_if_needed()
        start = player.evaluate(PLAYER_STATE)
        spec = start["spec"]
        assert start["src"] or start["text"], f"{chapter}: widget {p} shows no frame"
        for i, labels in enumerate(spec["labels"]):
            controls = player.locator(f'[data-control="{i}"]')
            control = controls.nth(spec["start"][i]) if controls.count() > 1 else controls.first
            before = player.evaluate(PLAYER_STATE)
            control.focus()
            assert control.evaluate("c => document.activeElement === c"), \
                f"{chapter}: widget {p}, control {spec['names'][i]} cannot take the focus"
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(50)
            after = player.evaluate(PLAYER_STATE)
            at = list(spec["start"])  # each control is moved back (ArrowLeft) after its check
            at[i] = min(at[i] + 1, len(labels) - 1)
            png, alt = spec["frames"][",".join(map(str, at))]
            where = f"{chapter}: widget {p}, control {spec['names'][i]} moved to {labels[at[i]]}"
            if png:
                assert after["src"] == f"data:image/png;base64,{png}", f"{where}: the figure is not its frame"
                assert after["alt"] == alt and after["alt"] != before["alt"], f"{where}: alt text {after['alt']!r}"
            else:
                assert after["text"] == alt, f"{where}: the text is not its frame"
            if control.get_attribute("type") == "range":
                readout = control.evaluate("c => c.parentNode.querySelector('output').textContent")
                assert readout == labels[at[i]], f"{where}: its readout says {readout}"
            else:
                assert control.evaluate("c => !c.checked"), f"{where}: the radio button stayed selected"
            if explorers and png:
                explorer = explorers[p]
                values = {n: spec["labels"][k][at[k]] for k, n in enumerate(explorer.controls)}
                live, live_alt = explorer.frame(**values)
                assert live_alt == alt, f"{where}: the live widget's alt text differs"
                assert np.array_equal(_pixels(after["src"]), _pixels("x," + live)), \
                    f"{where}: the frame shown differs from what the live widget draws"
            page.keyboard.press("ArrowLeft")  # back to the start before the next control
            page.wait_for_timeout(50)


# Every labelled equation and its "computed in code" link; every equation number shown in
# a code comment, with the number the equation it links to shows (fetched, for another page).
EQUATION_CODE_LINKS = """async () => {
    const shown = eq => {  // "1.15" from <span class="eqno">(1.15)<a class="headerlink">#</a></span>
        const eqno = eq && eq.querySelector('.eqno');
        if (!eqno) return null;
        const copy = eqno.cloneNode(true);
        copy.querySelectorAll('.headerlink').forEach(e => e.remove());
        return copy.textContent.trim().replace(/^\\(|\\)$/g, '');
    };
    const here = location.pathname;
    const others = {};
    const equations = [...document.querySelectorAll('div.math[id^="equation-"]')].map(eq => {
        const mark = eq.nextElementSibling;
        const link = mark && mark.matches('.nnbook-computed') ? mark.querySelector('a[href^="#"]') : null;
        const target = link ? document.getElementById(decodeURIComponent(link.hash.slice(1))) : null;
        const cell = target && (target.matches('.cell') ? target : target.querySelector('.cell'));
        return {id: eq.id, number: shown(eq), link: link ? link.textContent : null,
                target: target ? target.id : null,
                code_cell: !!(cell && cell.querySelector('.cell_input pre')),
                cites_it: !!cell && [...cell.querySelectorAll('a.nnbook-eqref')].some(
                    r => r.pathname === here && r.hash === '#' + eq.id)};
    });
    const refs = [];
    for (const ref of document.querySelectorAll('a.nnbook-eqref')) {
        let doc = document;
        if (ref.pathname !== here) {
            const url = ref.href.split('#')[0];
            others[url] = others[url] || fetch(url).then(r => r.text())
                .then(t => new DOMParser().parseFromString(t, 'text/html'));
            doc = await others[url];
        }
        const eq = doc.getElementById(decodeURIComponent(ref.hash.slice(1)));
        refs.push({href: ref.getAttribute('href'), text: ref.textContent, in_code: !!ref.closest('.highlight pre'),
                   is_equation: !!eq && eq.matches('div.math'), number: shown(eq)});
    }
    const left = [...document.querySelectorAll('.highlight pre span.c1, .highlight pre span.c')]
        .map(c => c.textContent).filter(t => /\\(eq-[A-Za-z0-9_-]+\\)/.test(t));
    return {equations, refs, left};
}"""


def check_equation_code_links(page, chapter):
    """The math and the code link both ways (tools/sphinx_ext/nnbook_site.py): each
    labelled equation's "computed in code" link lands on a code cell that cites it (the
    link is clicked: the cell becomes the page's :target, scrolled into view), and each
    number in a code comment is the number of the equation it links to."""
    found = page.evaluate(EQUATION_CODE_LINKS)
    assert found["equations"], f"{chapter}: no labelled equations"
    problems = []
    for eq in found["equations"]:
        where = f"equation ({eq['number']}) #{eq['id']}"
        if not (eq["link"] or "").startswith("computed in code"):
            problems.append(f"{where}: no 'computed in code' link under it")
        elif not eq["code_cell"]:
            problems.append(f"{where}: its link #{eq['target']} does not land on a code cell")
        elif not eq["cites_it"]:
            problems.append(f"{where}: the cell it links to, #{eq['target']}, does not cite it")
    for ref in found["refs"]:
        if not ref["in_code"]:
            problems.append(f"a citation link outside code: {ref['href']}")
        if not ref["is_equation"]:
            problems.append(f"the code comment {ref['text']} links to {ref['href']}, no equation")
        elif ref["text"] != f"({ref['number']})":
            problems.append(f"the code comment shows {ref['text']} for equation ({ref['number']}) {ref['href']}")
    if found["left"]:
        problems.append(f"citations in code comments left unlinked: {found['left']}")
    assert not problems, f"{chapter}:\n" + "\n".join(problems)
    assert found["refs"], f"{chapter}: no code comment links to an equation"

    # the links work when clicked: the cell is the :target, and on screen (scrolled to at
    # once: the theme's smooth scrolling, Bootstrap's, would only make each click slower)
    page.evaluate("() => { document.documentElement.style.scrollBehavior = 'auto'; }")
    marks = page.locator("p.nnbook-computed a")
    for i in range(marks.count()):
        mark = marks.nth(i)
        href = mark.get_attribute("href")
        mark.click()
        landed = page.evaluate("""() => { const t = document.querySelector(':target');
            if (!t) return null; const r = t.getBoundingClientRect();
            return {id: t.id, cell: t.matches('.cell'), on_screen: r.top < innerHeight && r.bottom > 0}; }""")
        assert landed and f"#{landed['id']}" == href and landed["cell"] and landed["on_screen"], \
            f"{chapter}: clicking the 'computed in code' link {href} lands on {landed}"
    page.evaluate("""() => { history.replaceState(null, '', location.pathname + location.search);
        scrollTo(0, 0); document.documentElement.style.scrollBehavior = ''; }""")


def test_search_finds_a_word_of_chapter_1(site):
    word = "learning"
    chapter = CHAPTER_PAGES[0]
    assert word in (site.root / toc_page_path(chapter)).read_text(encoding="utf-8")
    with open_page(site, f"search.html?q={word}") as (page, visit):
        page.wait_for_selector("#search-results ul.search li", timeout=20000)
        hits = page.evaluate("() => [...document.querySelectorAll('#search-results ul.search li a')].map(a => a.href)")
        assert any(chapter in hit for hit in hits), f"searching {word!r} does not find {chapter}: {hits}"
        assert not visit.errors and not visit.external, (visit.errors, visit.external)


def _luminance(rgb):
    r, g, b = (c / 255 for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_dark_mode_keeps_figures_readable(online_site):
    """In the theme's dark mode (here chosen by the reader's system setting: the theme
    follows it), every output figure sits on a light card, so its black text is never
    on the black page."""
    from io import BytesIO

    from PIL import Image

    chapter = CHAPTER_PAGES[0]
    site = online_site
    with open_page(site, toc_page_path(chapter), color_scheme="dark") as (page, visit):
        assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
        page_bg = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        assert _luminance([int(v) for v in re.findall(r"\d+", page_bg)]) < 0.2, page_bg
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{chapter.split('/')[-1]}-dark.png"), full_page=True)
        # the "computed in code" marks under the equations stay readable on the dark page
        mark = page.locator("p.nnbook-computed a").first
        color = mark.evaluate("e => getComputedStyle(e).color")
        assert _luminance([int(v) for v in re.findall(r"\d+", color)]) > 0.4, f"'computed in code' is {color} in dark mode"
        figures = page.locator(".cell_output img")
        assert figures.count() > 0
        for i in range(figures.count()):
            figure = figures.nth(i)
            figure.scroll_into_view_if_needed()
            background = figure.evaluate("e => getComputedStyle(e).backgroundColor")
            assert _luminance([int(v) for v in re.findall(r"\d+", background)]) > 0.9, \
                f"figure {i}: background {background} in dark mode"
            pixels = np.asarray(Image.open(BytesIO(figure.screenshot())).convert("L"))
            mean = pixels.mean() / 255
            assert mean > 0.7, f"figure {i} looks dark in dark mode (mean luminance {mean:.2f})"


def record_size(site, chapter, visit):
    """What a reader downloads for Chapter 1 (the HTML and every asset, without
    JupyterLite), written to _build/screenshots/sizes.json; fails only past a generous
    bound."""
    raw = sum(visit.bodies.values())
    compressed = 0
    for url in visit.bodies:
        local = web_assets.local_copy(url)
        if local is None:
            local = site.root / url.removeprefix(site.base).split("?")[0]
        if local.is_file():
            compressed += len(gzip.compress(local.read_bytes(), 6))
    report = SCREENSHOTS / "sizes.json"
    sizes = json.loads(report.read_text()) if report.exists() else {}
    sizes[f"{chapter} ({site.name})"] = {"requests": len(visit.bodies), "bytes": raw, "gzip_bytes": compressed}
    report.write_text(json.dumps(sizes, indent=2) + "\n")
    assert raw < 20e6, f"{chapter} downloads {raw / 1e6:.1f} MB"
