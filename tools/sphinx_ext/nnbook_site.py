"""nnbook's small Sphinx extension (loaded through `sphinx: local_extensions` in
_config.yml). It changes only what the website's readers meet:

- every page loads each script once (sphinx-thebe registers its inline configuration
  twice under jupyter-book 1, which throws "Identifier 'THEBE_JS_URL' has already been
  declared" in the browser console);
- output figures stay readable in the theme's dark mode (`static/nnbook.css`);
- no stylesheet from a third party (jupyterlite-sphinx adds a Google font);
- when the JupyterLite deployment is built (`jupyterlite_sphinx` loaded, see `make
  book`), each chapter's launch menu gets a "JupyterLite" entry that opens the chapter
  in the reader's browser;
- the math and the code link to each other: a code comment that cites an equation,
  `# (eq-ch1-wstar)  w* = ...`, shows the equation's number as a link to it,
  `# (1.15)  w* = ...`, and each labelled equation gets a "computed in code" link to the
  first code cell after it that cites it. (The notebooks keep their labels: in
  JupyterLab nothing changes.)
- slides (issue 12): each chapter's reveal.js deck (tools/slides.py) is built into the
  site, `_static/slides/NN_name.html`, and the chapter page and the workshop page link to
  it; without the npm copies of reveal.js and MathJax (`make web-assets`) there are no
  decks and no links.

tests/test_browser.py checks them in a real browser, tests/test_book.py in the HTML.
"""

import html
import re
import sys
from pathlib import Path

from docutils import nodes

STATIC = Path(__file__).parent / "static"
# Where jupyterlite-sphinx writes the deployment, relative to the site's root.
LITE_DIR = "lite"


def _config_inited(app, config):
    config.html_static_path.append(str(STATIC))
    if "jupyterlite_sphinx" in app.extensions:
        # a wheel of nnbook_utils for the in-browser kernel, built (no network) next to
        # the html folder and indexed by `jupyter lite build` for piplite
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from lite_wheel import build_wheel

        build = Path(app.outdir).parent  # _build/ (or the tests' temporary folder)
        wheel = build_wheel(build / "lite_wheels")
        # jupyterlite's working folders, out of the source tree (the defaults are in it)
        config.jupyterlite_dir = str(build / "lite_dir")
        config.jupyterlite_content_dir = str(build / "lite_contents")
        (build / "lite_dir").mkdir(parents=True, exist_ok=True)

        options = dict(config.jupyterlite_build_command_options or {})
        options["piplite-wheels"] = str(wheel)
        config.jupyterlite_build_command_options = options


def _remove_doit_database(app, exception):
    """`jupyter lite build` (run in the source folder) leaves its task database there."""
    (Path(app.srcdir) / ".jupyterlite.doit.db").unlink(missing_ok=True)


def _widget_manager_setup(dist):
    """An inline script for just before the widget manager (html-manager 1.x):
    - its icon fonts are fetched next to it (`dist`), not relative to the page (404s);
    - it typesets widget labels with MathJax 2's `MathJax.Hub.Queue`, which MathJax 3
      lacks ("Cannot read properties of undefined (reading 'Queue')"): a small
      MathJax.Hub.Queue that calls MathJax 3's typesetPromise, before and after
      MathJax has loaded."""
    return (
        "if (window.require) require.config({paths: "
        f"{{'@jupyter-widgets/html-manager/dist': '{dist}'}}}});\n"
        "(function () {\n"
        "  var pending = [];\n"
        "  var hub = {Queue: function (command) {\n"
        "    var node = command[2];\n"
        "    if (window.MathJax && MathJax.typesetPromise) MathJax.typesetPromise([node]);\n"
        "    else pending.push(node);\n"
        "  }};\n"
        "  window.MathJax = window.MathJax || {};\n"
        "  window.MathJax.Hub = hub;\n"
        "  var startup = window.MathJax.startup = window.MathJax.startup || {};\n"
        "  startup.ready = function () {\n"
        "    MathJax.startup.defaultReady();\n"
        "    MathJax.Hub = hub;\n"
        "    MathJax.startup.promise.then(function () {\n"
        "      if (pending.length) MathJax.typesetPromise(pending.splice(0));\n"
        "    });\n"
        "  };\n"
        "})();"
    )


def _scripts(app, pagename, templatename, context, doctree):
    """Each script once, and the widget manager's set-up just before it."""
    from sphinx.builders.html._assets import _JavaScript  # Sphinx 7.4 (pinned)

    scripts = context.get("script_files")
    if not scripts:
        return
    seen, result = set(), []
    for script in scripts:
        filename = str(script.filename or "")
        # the same file, or the same inline body, whatever the priority
        key = (filename, script.attributes.get("body"))
        if key in seen:
            continue
        seen.add(key)
        if "/@jupyter-widgets/html-manager@" in filename and filename.endswith("/embed-amd.js"):
            dist = filename.rsplit("/", 1)[0]
            result.append(_JavaScript(None, priority=script.priority,
                                      body=_widget_manager_setup(dist)))
        result.append(script)
    context["script_files"][:] = result


def _no_external_css(app, pagename, templatename, context, doctree):
    """jupyterlite-sphinx adds a Google Fonts stylesheet (for its own "try it" buttons,
    which the book does not use) to every page: a request to a third party on every page
    view, and a failure offline. Drop it."""
    css = context.get("css_files")
    if css:
        css[:] = [sheet for sheet in css if not str(sheet.filename).startswith(("http://", "https://"))]


def lite_url(pagename):
    """The JupyterLite link for a chapter page, relative to that page:
    chapters/01_x -> ../lite/lab/index.html?path=01_x.ipynb"""
    depth = pagename.count("/")
    notebook = pagename.rsplit("/", 1)[-1] + ".ipynb"
    return "../" * depth + f"{LITE_DIR}/lab/index.html?path={notebook}"


def _lite_button(app, pagename, templatename, context, doctree):
    if "jupyterlite_sphinx" not in app.extensions or not pagename.startswith("chapters/"):
        return
    for button in context.get("header_buttons", []):
        if button.get("label") == "launch-buttons":
            button["buttons"].append({
                "type": "link",
                "text": "JupyterLite",
                "tooltip": "Run this chapter in your browser (JupyterLite, nothing to install)",
                "icon": "fas fa-play",
                "url": lite_url(pagename),
                "label": "launch-jupyterlite-button",
            })


# --- equations and the code cells that compute them ------------------------------------

# An equation cited in a code comment, `# (eq-ch1-grad) ...` (as tests/helpers.py reads them)
EQ_CITATION = re.compile(r"\((eq-[A-Za-z0-9_-]+)\)")
# In the highlighted HTML: a code block (or a script, left alone: the widgets' stored
# state), and a comment in a code block (Pygments' Comment classes)
_PRE = re.compile(r"<script\b.*?</script>|<pre\b[^>]*>.*?</pre>", re.S)
_COMMENT_SPAN = re.compile(r'(<span class="c[1hms]?">)(.*?)(</span>)', re.S)


def equation(env, label):
    """(docname, anchor id, number) of the labelled equation, the number exactly as the
    page shows it (the logic of Sphinx's `{eq}` references and of the mathjax writer's
    `<span class="eqno">`); None for an unknown label."""
    found = env.get_domain("math").equations.get(label)
    if not found:
        return None
    docname, number = found
    node_id = nodes.make_id(f"equation-{label}")
    if env.config.math_numfig and env.config.numfig:
        numbers = env.toc_fignumbers.get(docname, {}).get("displaymath", {}).get(node_id, ())
        number = ".".join(map(str, numbers))
        number = env.config.math_numsep.join(number.rsplit(".", 1))
    return docname, node_id, str(number or "")


def _is_code_cell(node):
    return isinstance(node, nodes.container) and node.get("nb_element") == "cell_code"


def _comments(source, language):
    """The comments of a code cell's source, as Pygments (which highlights it) sees them."""
    try:
        from pygments.lexers import get_lexer_by_name
        from pygments.token import Comment

        lexer = get_lexer_by_name(language or "python")
        return [text for kind, text in lexer.get_tokens(source) if kind in Comment]
    except Exception:  # an unknown lexer: the text after '#' on each line
        return [line.split("#", 1)[1] for line in source.splitlines() if "#" in line]


def cited_labels(cell):
    """The equation labels a code cell's comments cite."""
    cited = set()
    for block in cell.findall(nodes.literal_block):
        if block.parent is not None and "cell_input" in block.parent.get("classes", []):
            for comment in _comments(block.astext(), block.get("language")):
                cited.update(EQ_CITATION.findall(comment))
    return cited


def _link_equations_to_code(app, doctree, docname):
    """After each labelled equation, a "computed in code" link to the first code cell
    after it that cites it (or, if only earlier cells do, the last of those), which gets
    an id to link to."""
    if app.builder.format != "html":
        return
    items = list(doctree.findall(lambda n: _is_code_cell(n) or (
        isinstance(n, nodes.math_block) and n.get("label") and n.get("ids"))))
    cells = [(i, node, cited_labels(node)) for i, node in enumerate(items) if _is_code_cell(node)]
    for i, math in enumerate(items):
        if _is_code_cell(math):
            continue
        label = math["label"]
        after = [cell for j, cell, cited in cells if j > i and label in cited]
        before = [cell for j, cell, cited in cells if j < i and label in cited]
        if not after and not before:
            continue
        cell, arrow = (after[0], "\u2193") if after else (before[-1], "\u2191")
        if not cell["ids"]:  # a readable anchor: code-eq-ch1-wstar
            readable = nodes.make_id(f"code-{label}")
            if readable in doctree.ids:
                doctree.set_id(cell, suggested_prefix="code")
            else:
                cell["ids"] = [readable]
                doctree.ids[readable] = cell
        found = equation(app.env, label)
        number = f" ({found[2]})" if found and found[2] else ""
        mark = nodes.paragraph("", "", classes=["nnbook-computed"])
        mark += nodes.reference("", f"computed in code {arrow}", internal=True,
                                refid=cell["ids"][0], reftitle=f"The code cell that computes{number}")
        math.parent.insert(math.parent.index(math) + 1, mark)


def _eqref(app, pagename, label):
    found = equation(app.env, label)
    if not found or not found[2]:
        return None
    docname, node_id, number = found
    page = "" if docname == pagename else app.builder.get_relative_uri(pagename, docname)
    return (f'<a class="reference internal nnbook-eqref" href="{page}#{node_id}" '
            f'title="Equation ({number}), {html.escape(label)}">({number})</a>')


def _link_code_to_equations(app, pagename, templatename, context, doctree):
    """In the page's highlighted code, each `(eq-...)` in a comment becomes the equation's
    number, linked to it: `# (eq-ch1-wstar)` reads `# (1.15)`."""
    body = context.get("body")
    if not body or "(eq-" not in body:
        return

    def citation(match):
        return _eqref(app, pagename, match.group(1)) or match.group(0)

    def comment(match):
        return match.group(1) + EQ_CITATION.sub(citation, match.group(2)) + match.group(3)

    def block(match):
        text = match.group(0)
        if text.startswith("<script") or "(eq-" not in text:
            return text
        return _COMMENT_SPAN.sub(comment, text)

    context["body"] = _PRE.sub(block, body)


# --- slides (issue 12): the decks in the site, and the links to them ----------------------

SLIDES_DIR = "_static/slides"  # in the site (under _static: decks are no pages of the book)
_SLIDES_LIST = '<div class="nnbook-slides-list"></div>'  # the placeholder in book/workshop.md


def _slides():
    """tools/slides.py, imported from tools/."""
    tools = str(Path(__file__).resolve().parents[1])
    if tools not in sys.path:
        sys.path.insert(0, tools)
    import slides

    return slides


def _slides_links(app, pagename, templatename, context, doctree):
    """A "Slides" link under each chapter's title; the list of decks on the workshop page."""
    body = context.get("body")
    if not body or app.builder.format != "html":
        return
    slides = _slides()
    if pagename.startswith("chapters/") and slides.available():
        href = context["pathto"](f"{SLIDES_DIR}/{pagename.rsplit('/', 1)[-1]}.html", 1)
        link = (f'<p class="nnbook-slides-link"><a href="{href}">Slides for this chapter</a> '
                "(reveal.js; arrow keys to move, works offline)</p>")
        context["body"] = body.replace("</h1>", "</h1>\n" + link, 1)
    elif _SLIDES_LIST in body:
        if slides.available():
            items = "".join(
                f'<li><a href="{context["pathto"](f"{SLIDES_DIR}/{path.stem}.html", 1)}">'
                f"{html.escape(app.env.titles[f'chapters/{path.stem}'].astext())}</a></li>"
                for path in slides.toc_chapters(Path(app.srcdir)) if f"chapters/{path.stem}" in app.env.titles)
            listing = f'<ul class="nnbook-slides-list">{items}</ul>'
        else:
            listing = ("<p>(This build has no slides: they need the npm copies of reveal.js "
                       "and MathJax, <code>make web-assets</code>.)</p>")
        context["body"] = body.replace(_SLIDES_LIST, listing)


def _build_slides(app, exception):
    """The decks, into the site's _static/slides/ (after Sphinx has copied _static)."""
    if exception is not None or app.builder.format != "html":
        return
    slides = _slides()
    if slides.available():
        slides.build(slides.toc_chapters(Path(app.srcdir)), Path(app.outdir) / SLIDES_DIR)


def setup(app):
    app.connect("config-inited", _config_inited, priority=100)  # before jupyterlite-sphinx reads its options
    app.add_css_file("nnbook.css")
    # after sphinx-book-theme's launch buttons (priority 501)
    app.connect("html-page-context", _lite_button, priority=600)
    app.connect("html-page-context", _scripts, priority=900)
    app.connect("html-page-context", _no_external_css, priority=900)
    app.connect("build-finished", _remove_doit_database, priority=900)
    app.connect("doctree-resolved", _link_equations_to_code)
    app.connect("html-page-context", _link_code_to_equations)
    app.connect("html-page-context", _slides_links, priority=950)
    app.connect("build-finished", _build_slides)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
