"""nnbook's small Sphinx extension (loaded through `sphinx: local_extensions` in
_config.yml). It changes only what the website's readers meet:

- every page loads each script once (sphinx-thebe registers its inline configuration
  twice under jupyter-book 1, which throws "Identifier 'THEBE_JS_URL' has already been
  declared" in the browser console);
- output figures stay readable in the theme's dark mode (`static/nnbook.css`);
- no stylesheet from a third party (jupyterlite-sphinx adds a Google font);
- when the JupyterLite deployment is built (`jupyterlite_sphinx` loaded, see `make
  book`), each chapter's launch menu gets a "JupyterLite" entry that opens the chapter
  in the reader's browser.

tests/test_browser.py checks all three in a real browser.
"""

import sys
from pathlib import Path

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


def setup(app):
    app.connect("config-inited", _config_inited, priority=100)  # before jupyterlite-sphinx reads its options
    app.add_css_file("nnbook.css")
    # after sphinx-book-theme's launch buttons (priority 501)
    app.connect("html-page-context", _lite_button, priority=600)
    app.connect("html-page-context", _scripts, priority=900)
    app.connect("html-page-context", _no_external_css, priority=900)
    app.connect("build-finished", _remove_doit_database, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
