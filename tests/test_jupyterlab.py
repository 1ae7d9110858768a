"""The chapters as JupyterLab readers (`make lab`, and Binder) meet them, in a real browser.

The project's JupyterLab, from its own environment .venv-lab (the runtime and the `lab`
extra of pyproject.toml: the versions of environment.yml, which Binder installs; `make
test` creates it), is started on 127.0.0.1 on a temporary copy of chapters/ (running a
notebook never writes to the repository), and headless Chromium opens every chapter:

- no markdown cell shows raw MyST (directive fences, ``:label:``, ``{solution-end}``...);
- the math is typeset (jupyterlab-myst, offline: nothing is fetched from a CDN);
- the solutions are collapsed (tools/lab_cells.py gives them that structure), and so are the
  instructor notes (tools/instructor.py), and nothing else;
- after Run All, the widgets are live: a slider moved with the keyboard redraws its figure;
- no console error and no uncaught exception on the page;
- no request leaves 127.0.0.1.

Needs Chromium and playwright (see tests/test_browser.py) and .venv-lab; without them the
tests skip, saying what is missing; in CI (NNBOOK_NO_SKIPS=1) they fail instead.
"""

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from helpers import CHAPTERS, CHROMIUM, CHROMIUM_ARGS, ROOT, browser_problems, read, skip_or_fail

import instructor  # tools/ (helpers puts it on sys.path)
import lab_cells

LAB_VENV = Path(os.environ.get("NNBOOK_LAB_VENV", ROOT / ".venv-lab"))
if not LAB_VENV.is_absolute():
    LAB_VENV = ROOT / LAB_VENV
JUPYTER = LAB_VENV / "bin" / "jupyter"
# MyST source that a rendered markdown cell must not show: directive fences and their
# options, roles, and the gates of sphinx-exercise.
RAW_MYST = re.compile(r"```|^:(label|class):|\{(exercise|solution|solution-start|solution-end|eq|math|ref|numref)\}", re.M)
# TeX that should have been typeset.
RAW_TEX = re.compile(r"\$[^$\n]+\$|\\frac\{|\\begin\{|\\overline\{|\\partial")
SERVER_START_S = 120
NOTEBOOK_OPEN_S = 180
RUN_ALL_S = 600


def missing_requirements():
    problems = browser_problems()
    if not JUPYTER.exists():
        problems.append(f"the JupyterLab environment {LAB_VENV} (`make test` or `make lab` creates it)")
    return problems


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab from .venv-lab on a copy of chapters/; yields (base URL, token).

    Its configuration, data, settings and runtime folders are temporary, so that nothing
    of the user's own Jupyter set-up (kernels, settings) takes part. Two settings differ
    from a reader's defaults, for the test only: the app object is exposed to the page
    (to run commands and read cells), and the notebook renders every cell, not only those
    in view (windowing off), so that every cell can be checked."""
    problems = missing_requirements()
    if problems:
        skip_or_fail("the JupyterLab browser tests need " + "; ".join(problems))
    work = tmp_path_factory.mktemp("lab")
    notebooks = work / "chapters"
    notebooks.mkdir()
    for path in CHAPTERS:
        shutil.copy(path, notebooks / path.name)
    settings = work / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(work / "config"), "JUPYTER_DATA_DIR": str(work / "data"),
           "JUPYTER_RUNTIME_DIR": str(work / "runtime"), "JUPYTERLAB_SETTINGS_DIR": str(work / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(work / "workspaces"), "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    port, token = _free_port(), secrets.token_hex(16)
    command = [str(JUPYTER), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               f"--IdentityProvider.token={token}", f"--notebook-dir={notebooks}",
               "--LabApp.expose_app_in_browser=True",  # window.jupyterapp, for the test
               "--LabApp.extension_manager=readonly",  # no queries to PyPI
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.geteuid() == 0:
        command.append("--allow-root")  # CI runs as root
    log = open(work / "server.log", "w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=work)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(f"JupyterLab did not start:\n{(work / 'server.log').read_text()[-3000:]}")
                time.sleep(0.5)
        yield base, token
    finally:
        server.terminate()  # only the server this fixture started (it stops its kernels)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


NOTEBOOK = "window.jupyterapp.shell.currentWidget"
KERNEL_IDLE = (f"() => {{ const w = window.jupyterapp && {NOTEBOOK}; const k = w && w.sessionContext && w.sessionContext.session"
               " && w.sessionContext.session.kernel; return !!k && k.status === 'idle'"
               " && w.sessionContext.session.kernel.connectionStatus === 'connected'; }")
# Per cell: its type, whether its input/outputs are collapsed, and for a rendered
# markdown cell the visible text (math excluded) and the number of typeset formulas.
CELLS = f"""() => {NOTEBOOK}.content.widgets.map((cell, i) => {{
    const out = {{i, type: cell.model.type, inputHidden: cell.inputHidden,
                 outputHidden: cell.model.type === 'code' ? cell.outputHidden : null}};
    if (cell.model.type === 'markdown' && !cell.inputHidden) {{
        const myst = cell.node.querySelector('.myst');
        out.rendered = !!myst && cell.rendered;
        if (myst) {{
            const copy = myst.cloneNode(true);
            const math = copy.querySelectorAll('.katex, mjx-container, .MathJax');
            out.math = math.length;
            math.forEach(m => m.remove());
            out.text = copy.textContent;
        }}
    }}
    if (cell.inputHidden) {{
        out.placeholder = !!cell.node.querySelector('.jp-InputPlaceholder');
        out.visibleRendered = !!cell.node.querySelector('.jp-Cell-inputArea .myst, .jp-Cell-inputArea .cm-editor');
    }}
    return out;
}})"""


def open_chapter(browser, base, token, name, cells, errors):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.on("console", lambda msg: msg.type == "error" and errors.append(f"console: {msg.text}"))
    page.on("pageerror", lambda exc: errors.append(f"exception: {exc}"))

    def route(route):  # the tests make no network calls
        if route.request.url.startswith(base + "/") or route.request.url.startswith("ws://127.0.0.1"):
            return route.continue_()
        errors.append(f"request that leaves 127.0.0.1: {route.request.url}")
        return route.abort("blockedbyclient")

    page.route("**/*", route)
    page.goto(f"{base}/lab/tree/{name}?reset&token={token}")  # reset: no tabs of earlier tests restored
    # The notebook is open when its file is loaded (all its cells there) and its kernel idle.
    page.wait_for_function(f"() => {{ const w = window.jupyterapp && {NOTEBOOK}; return !!w && !!w.context"
                           f" && w.context.isReady && w.content.widgets.length === {cells}; }}",
                           timeout=NOTEBOOK_OPEN_S * 1000)
    page.wait_for_function(KERNEL_IDLE, timeout=NOTEBOOK_OPEN_S * 1000)
    return page


def solution_cells(nb):
    """Indices of the cells between a solution's start and end gates."""
    inside, found = False, []
    for i, cell in enumerate(nb.cells):
        kind = lab_cells.directive(cell)
        if kind == "solution-start":
            inside = True
        elif kind == "solution-end":
            inside = False
        elif inside:
            found.append(i)
    return found


def widget_cells(nb):
    return [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code" and any(
        "application/vnd.jupyter.widget-view+json" in out.get("data", {}) for out in cell.outputs)]


def check_rendered(page, nb, name, collapsed=True):
    """The markdown, math and (with ``collapsed``) the collapsed solutions of the opened
    chapter; returns a list of problems."""
    deadline, cells = time.monotonic() + NOTEBOOK_OPEN_S, []
    while time.monotonic() < deadline:  # jupyterlab-myst renders asynchronously
        cells = page.evaluate(CELLS)
        if all(c.get("rendered", True) and "text" in c or c["type"] != "markdown" or c["inputHidden"] for c in cells):
            break
        time.sleep(1)
    problems = []
    assert len(cells) == len(nb.cells), f"{name}: JupyterLab shows {len(cells)} cells, the file has {len(nb.cells)}"
    for c in cells:
        if c["type"] == "markdown" and not c["inputHidden"]:
            if not c.get("rendered"):
                problems.append(f"{name} cell {c['i']}: markdown not rendered")
                continue
            raw = RAW_MYST.search(c["text"])
            if raw:
                problems.append(f"{name} cell {c['i']}: raw MyST {raw.group(0)!r} in {c['text'][:120]!r}")
            tex = RAW_TEX.search(c["text"])
            if tex:
                problems.append(f"{name} cell {c['i']}: TeX not typeset {tex.group(0)!r}")
    if not sum(c.get("math", 0) for c in cells):
        problems.append(f"{name}: no typeset math at all")
    if not collapsed:
        return problems
    hidden = solution_cells(nb)
    assert hidden, f"{name} has solutions"
    for i in hidden:
        c = cells[i]
        if not c["inputHidden"] or not c.get("placeholder") or c.get("visibleRendered"):
            problems.append(f"{name} cell {i}: a solution's cell is not collapsed")
        if c["type"] == "code" and not c["outputHidden"]:
            problems.append(f"{name} cell {i}: a solution's outputs are not collapsed")
    notes = {i for i, cell in enumerate(nb.cells) if instructor.is_note(cell)}
    for i, c in enumerate(cells):
        if i in notes and not c["inputHidden"]:
            problems.append(f"{name} cell {i}: an instructor note is not collapsed")
        if i not in hidden and i not in notes and c["inputHidden"]:
            problems.append(f"{name} cell {i}: collapsed, but neither a solution nor an instructor note")
    return problems


def run_all(page, name):
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    # Run All is done when the last cell has its execution count and the kernel is idle.
    page.wait_for_function(f"""() => {{ const cells = {NOTEBOOK}.content.widgets.filter(c => c.model.type === 'code');
        return cells.every(c => c.model.executionCount !== null && c.promptNode.textContent.indexOf('*') < 0)
            && ({KERNEL_IDLE})(); }}""", timeout=RUN_ALL_S * 1000)
    errors = page.evaluate(f"""() => {NOTEBOOK}.content.widgets.filter(c => c.model.type === 'code'
        && c.model.outputs.toJSON().some(o => o.output_type === 'error')).map(c => c.model.sharedModel.getSource().slice(0, 80))""")
    assert not errors, f"{name}: cells that raised when run in JupyterLab: {errors}"


def check_sliders(page, nb, name):
    """Each widget cell: move its first slider with the keyboard; its figure must change."""
    problems = []
    for i in widget_cells(nb):
        cell = page.locator(".jp-Notebook .jp-Cell").nth(i)
        handle = cell.locator(".widget-slider .noUi-handle, .widget-slider input[type=range]").first
        image = cell.locator(".jp-OutputArea-output img").first
        try:
            handle.wait_for(timeout=60_000)
            image.wait_for(timeout=60_000)
        except Exception:
            problems.append(f"{name} cell {i}: no live slider and figure after Run All")
            continue
        before = image.get_attribute("src")
        handle.scroll_into_view_if_needed()
        handle.focus()
        page.keyboard.press("ArrowRight")
        try:
            page.wait_for_function("([cell, src]) => { const img = document.querySelectorAll('.jp-Notebook .jp-Cell')[cell]"
                                   ".querySelector('.jp-OutputArea-output img'); return img && img.src !== src; }",
                                   arg=[i, before], timeout=60_000)
        except Exception:
            problems.append(f"{name} cell {i}: moving the slider did not change the figure")
    return problems


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_in_jupyterlab(lab, browser, path):
    base, token = lab
    nb = read(path)
    errors = []
    start = time.monotonic()
    page = open_chapter(browser, base, token, path.name, len(nb.cells), errors)
    try:
        problems = check_rendered(page, nb, path.name)
        opened = time.monotonic()
        run_all(page, path.name)
        ran = time.monotonic()
        problems += check_sliders(page, nb, path.name)
        # Running a cell opens it (JupyterLab shows what it runs), so after Run All only the
        # rendering is checked again.
        problems += check_rendered(page, nb, path.name, collapsed=False)
    finally:
        try:  # stop this chapter's kernel (it belongs to the server this test started)
            page.evaluate(f"() => {NOTEBOOK}.sessionContext.shutdown()")
        finally:
            page.close()
    print(f"{path.name}: opened and checked in {opened - start:.0f} s, Run All {ran - opened:.0f} s, "
          f"sliders and checks {time.monotonic() - ran:.0f} s")
    problems += [f"{path.name}: {e}" for e in dict.fromkeys(errors)
                 if not elsewhere_in_the_book(e, path)]  # console errors, each once
    assert not problems, "\n".join(problems)


CROSS_REFERENCE = re.compile(r"Cross reference target was not found: ([\w.-]+)")


def labels_of(path):
    """The MyST labels a chapter or page defines: equations ``$$ ... $$ (label)``, targets
    ``(label)=`` and directive options ``:label: label``."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        text = "\n".join(c.source for c in read(path).cells if c.cell_type == "markdown")
    return set(re.findall(r"\$\$\s*\(([\w.-]+)\)", text) + re.findall(r"^\(([\w.-]+)\)=", text, re.M)
               + re.findall(r"^:label:\s*([\w.-]+)", text, re.M))


def elsewhere_in_the_book(error, path):
    """True for the one console error that is allowed: jupyterlab-myst renders a notebook
    on its own, so a reference to a label in another chapter or page of the book (a
    {eq} or {ref} to Chapter 1's loss, or to the math refresher) cannot resolve there; it
    logs "Cross reference target was not found" and shows the reference's text. The label
    must exist in another document of the book and not in this notebook: a reference to a
    label that exists nowhere, or in this notebook, still fails the test."""
    found = CROSS_REFERENCE.search(error)
    if not found:
        return False
    label = found.group(1)
    others = [p for p in [*CHAPTERS, *(ROOT / "book").glob("*.md")] if p != path]
    return label not in labels_of(path) and any(label in labels_of(p) for p in others)


# --- tools/lab_cells.py -------------------------------------------------------------

def test_lab_cells_splits_directives_and_collapses_solutions():
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("Intro\n\n```{exercise} One\n:label: ex-a\n\nDo it.\n```"),
        nbformat.v4.new_code_cell("starter()"),
        nbformat.v4.new_markdown_cell("```{solution-start} ex-a\n:class: dropdown\n```\n\nSecret text"),
        nbformat.v4.new_code_cell("secret()"),
        nbformat.v4.new_markdown_cell("```{solution-end}\n```\n\n```{exercise} Two\n:label: ex-b\n```"),
        nbformat.v4.new_markdown_cell("After"),
    ]
    new = lab_cells.transform(nb)
    assert [c.source for c in new.cells] == [
        "Intro", "```{exercise} One\n:label: ex-a\n\nDo it.\n```", "starter()",
        "```{solution-start} ex-a\n:class: dropdown\n```", "Secret text", "secret()",
        "```{solution-end}\n```", "```{exercise} Two\n:label: ex-b\n```", "After"]
    hidden = [c.metadata.get("jupyter", {}) for c in new.cells]
    assert [h.get("source_hidden", False) for h in hidden] == [False, False, False, False, True, True, False, False, False]
    assert hidden[5].get("outputs_hidden") is True
    assert len({c.id for c in new.cells}) == len(new.cells), "cell ids stay unique"
    assert lab_cells.transform(new) == new, "running it again changes nothing"
    assert "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown") == \
        "\n\n".join(c.source for c in new.cells if c.cell_type == "markdown"), "the text is unchanged"


def test_lab_cells_rejects_an_unclosed_solution():
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("```{solution-start} ex-a\n```"), nbformat.v4.new_code_cell("x")]
    with pytest.raises(ValueError, match="no .solution-end"):
        lab_cells.transform(nb)
