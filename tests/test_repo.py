"""The repository keeps its promises: the README's two commands exist and CI runs the
test one, the README's launch links use the repository URL of _config.yml (the one place
that names it) and point at real notebooks, and the layout is as documented."""

import os
import re
import subprocess
import sys

import matplotlib
import numpy as np
import pytest

from helpers import CHAPTERS, ROOT, config, read, toc_files

README = (ROOT / "README.md").read_text()
MAKEFILE = (ROOT / "Makefile").read_text()


def test_readme_set_up_is_the_two_make_commands():
    block = re.search(r"## Set-up\n(.*?)\n## ", README, flags=re.S).group(1)
    commands = re.findall(r"^(make \w+)$", block, flags=re.M)
    assert commands == ["make book", "make test"]
    for target in ["book", "test", "lab", "execute", "student"]:
        assert re.search(rf"^{target}: ", MAKEFILE, flags=re.M), f"Makefile has no target {target}"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [line for line in ci.splitlines() if line.strip() and not line.startswith("#")]
    assert "make test" in commands
    assert not any("pytest" in line for line in commands), "CI calls the README command, not pytest directly"


def test_ci_fails_on_skipped_tests(tmp_path):
    ci = (ROOT / ".ci" / "run").read_text()
    assert "export NNBOOK_NO_SKIPS=1" in ci
    (tmp_path / "conftest.py").write_text((ROOT / "conftest.py").read_text())
    (tmp_path / "test_runs.py").write_text("def test_ok():\n    pass\n")
    (tmp_path / "test_skips.py").write_text("import pytest\n\ndef test_s():\n    pytest.skip('no browser')\n")
    (tmp_path / "test_collect_skip.py").write_text("import pytest\npytest.importorskip('no_such_module_xyz')\n")
    env = {**os.environ, "NNBOOK_NO_SKIPS": "1", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    for name in ["test_skips.py", "test_collect_skip.py"]:
        run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "test_runs.py", name],
                             cwd=tmp_path, env=env, capture_output=True, text=True)
        assert run.returncode != 0, f"a skip in {name} did not fail the run:\n{run.stdout}"
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "test_runs.py"],
                         cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout


def test_readme_links_use_the_configured_repository():
    repo = config()["repository"]["url"].rstrip("/")
    owner_repo = repo.removeprefix("https://github.com/")
    links = re.findall(r"https://(?:mybinder\.org/v2/gh|colab\.research\.google\.com/github|github\.com)/([^/\s)]+/[^/\s)?]+)", README)
    assert links, "the README links to Binder, Colab and the repository"
    assert set(links) == {owner_repo}, f"README links name {set(links)}, _config.yml names {owner_repo}"


def run_first_cell(path, monkeypatch, platform, installed):
    """Run a chapter's first cell (IPython syntax turned into Python, as Jupyter does) as
    if on ``platform`` with nnbook_utils ``installed`` or not; return the installs it ran."""
    import importlib.util
    import subprocess
    import sys

    from IPython.core.inputtransformer2 import TransformerManager

    ran = []

    class FakeShell:
        def run_line_magic(self, name, line):
            ran.append(f"%{name} {line}")

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(subprocess, "run", lambda args, **kw: ran.append(" ".join(args[1:])))
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "nnbook_utils" and not installed else find_spec(name, *a))
    first = next(c for c in read(path).cells if c.cell_type == "code").source
    with np.printoptions(), matplotlib.rc_context():  # the cell sets both; undo it after
        exec(TransformerManager().transform_cell(first), {"get_ipython": FakeShell})
    return ran


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_first_cell_installs_the_helpers_only_where_they_are_missing(path, monkeypatch):
    # Locally and on Binder nnbook_utils is installed: the first cell installs nothing.
    assert run_first_cell(path, monkeypatch, sys.platform, installed=True) == []
    # On Colab it pip-installs nnbook_utils from the repository in _config.yml.
    repo = config()["repository"]["url"].rstrip("/")
    assert run_first_cell(path, monkeypatch, "linux", installed=False) == [
        f"-m pip install -q --no-deps git+{repo}"]
    # In JupyterLite (Pyodide) it installs the wheel the site ships (piplite's %pip).
    assert run_first_cell(path, monkeypatch, "emscripten", installed=False) == [
        "%pip install -q nnbook_utils"]


def test_readme_launch_links_point_at_existing_notebooks():
    paths = re.findall(r"(chapters/[\w.-]+\.ipynb)", README)
    assert paths
    for path in paths:
        assert (ROOT / path).exists(), f"README links to {path}, which does not exist"


def test_layout_matches_the_readme():
    for folder in ["book", "chapters", "nnbook_utils", "tests", "tools", "benchmarks", ".ci"]:
        assert (ROOT / folder).is_dir()
        assert f"`{folder}/`" in README, f"the README's layout section does not mention {folder}/"


def test_licences_are_stated():
    assert (ROOT / "LICENSE").exists() and (ROOT / "LICENSE-CONTENT").exists()
    assert "MIT" in README and "CC BY 4.0" in README


@pytest.mark.parametrize("name", toc_files())
def test_every_toc_entry_exists(name):
    assert any((ROOT / f"{name}{ext}").exists() for ext in [".md", ".ipynb"]), f"_toc.yml lists missing {name}"


def test_logo_and_favicon_exist():
    html = config()["html"]
    assert (ROOT / config()["logo"]).exists() and (ROOT / html["favicon"]).exists()


def test_the_pages_cdn_assets_are_the_npm_pinned_versions():
    # _config.yml names exact versions of what the pages load from jsDelivr;
    # tools/web/package-lock.json pins the same ones (the copies the browser tests serve
    # and `make book-offline` ships), and the integrity hashes are those of the copies.
    import base64
    import hashlib

    import web_assets

    sphinx = config()["sphinx"]["config"]
    urls = {sphinx["mathjax_path"]: {}, **sphinx["nb_ipywidgets_js"]}
    locked = web_assets.locked_versions()
    for url, attributes in urls.items():
        match = re.fullmatch(re.escape(web_assets.CDN) + r"((?:@[^/@]+/)?[^/@]+)@([^/]+)/(.+)", url)
        assert match, f"{url}: load it from {web_assets.CDN}<name>@<exact version>/..."
        name, version, path = match.groups()
        assert locked.get(name) == version, f"{url}: tools/web/package-lock.json pins {name} {locked.get(name)}"
        local = web_assets.NODE_MODULES / name / path
        if "integrity" in attributes and local.exists():
            algorithm, digest = attributes["integrity"].split("-", 1)
            actual = base64.b64encode(hashlib.new(algorithm, local.read_bytes()).digest()).decode()
            assert actual == digest, f"{url}: the integrity hash is not that of the pinned file"


def test_offline_build_and_ci_browser_set_up_are_documented():
    assert re.search(r"^book-offline: ", MAKEFILE, flags=re.M)
    assert "python3 -m http.server -d nnbook 8000" in README and "make book-offline" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert "apt-get install" in ci and "chromium" in ci and "npm" in ci
    # npm installs the CDN copies from the lock file only; node_modules is never committed
    assert "npm ci" in MAKEFILE and (ROOT / "tools" / "web" / "package-lock.json").exists()
    assert "node_modules/" in (ROOT / "tools" / "web" / ".gitignore").read_text()
