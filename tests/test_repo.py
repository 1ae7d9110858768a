"""The repository keeps its promises: the README's two commands exist and CI runs the
test one, the README's launch links use the repository URL of _config.yml (the one place
that names it) and point at real notebooks, and the layout is as documented."""

import re

import pytest

from helpers import CHAPTERS, ROOT, config, toc_files

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


def test_readme_links_use_the_configured_repository():
    repo = config()["repository"]["url"].rstrip("/")
    owner_repo = repo.removeprefix("https://github.com/")
    links = re.findall(r"https://(?:mybinder\.org/v2/gh|colab\.research\.google\.com/github|github\.com)/([^/\s)]+/[^/\s)?]+)", README)
    assert links, "the README links to Binder, Colab and the repository"
    assert set(links) == {owner_repo}, f"README links name {set(links)}, _config.yml names {owner_repo}"


def test_readme_launch_links_point_at_existing_notebooks():
    paths = re.findall(r"(chapters/[\w.-]+\.ipynb)", README)
    assert paths
    for path in paths:
        assert (ROOT / path).exists(), f"README links to {path}, which does not exist"


def test_layout_matches_the_readme():
    for folder in ["book", "chapters", "nnbook_utils", "tests", "tools", ".ci"]:
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
