"""The workshop page (book/workshop.md) and its helpers (nnbook_utils.workshop): the
nbgitpuller link carries every field nbgitpuller reads, bad hub addresses are explained,
and what the page shows (the hub's packages, the example link, the chapters' measured
times, the plans' minutes) is what the code and the recorded files say."""

import json
import re
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest

from helpers import CHAPTERS, ROOT, config, toc_files
from nnbook_utils import workshop
from nnbook_utils.workshop import WorkshopError, nbgitpuller_link

PAGE = ROOT / "book" / "workshop.md"
TIMES = ROOT / "book" / "execution_times.json"


def page():
    return PAGE.read_text()


def block(name):
    """The text of the page between ``<!-- name: ... -->`` and ``<!-- /name -->``, without
    a code fence around it."""
    found = re.search(rf"<!-- {name}:[^\n]*-->\n(.*?)<!-- /{name} -->", page(), re.S)
    assert found, f"book/workshop.md has no <!-- {name}: ... --> ... <!-- /{name} --> block"
    text = found.group(1)
    return re.sub(r"\A```[a-z]*\n(.*)```\n\Z", r"\1", text, flags=re.S)


def query(link):
    fields = parse_qs(urlsplit(link).query, strict_parsing=True)
    assert all(len(v) == 1 for v in fields.values()), f"a field appears twice in {link}"
    return {k: v[0] for k, v in fields.items()}


# ----------------------------------------------------------------------- the link
def test_the_link_has_every_field_nbgitpuller_reads():
    link = nbgitpuller_link("https://hub.example.org")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.example.org",
                                                       "/hub/user-redirect/git-pull")
    assert query(link) == {
        "repo": "https://github.com/nnbook/nnbook",
        "branch": "main",
        # nbgitpuller clones into the folder named after the repository's last part
        "urlpath": "lab/tree/nnbook/chapters/01_smallest_network.ipynb",
    }


def test_the_default_repository_is_the_configured_one():
    assert workshop.REPOSITORY == config()["repository"]["url"]
    assert workshop.BRANCH == config()["repository"]["branch"]


def test_the_default_chapter_exists():
    assert (ROOT / workshop.DEFAULT_PATH).exists()


@pytest.mark.parametrize("chapter", [p.name for p in CHAPTERS])
def test_a_link_for_each_chapter_lands_on_it_in_the_cloned_folder(chapter):
    link = nbgitpuller_link("https://example.org/jupyter/", path=f"chapters/{chapter}", app="notebook",
                            repo="https://github.com/someone/nnbook-fork", branch="spring")
    assert link.startswith("https://example.org/jupyter/hub/user-redirect/git-pull?")
    fields = query(link)
    assert fields == {"repo": "https://github.com/someone/nnbook-fork", "branch": "spring",
                      "urlpath": f"notebooks/nnbook-fork/chapters/{chapter}"}
    # the path after the cloned folder is a file of this repository
    assert (ROOT / fields["urlpath"].split("/", 2)[2]).exists()


@pytest.mark.parametrize("address, says", [
    ("hub.example.org", "https://hub.example.org"),
    ("ftp://hub.example.org", "starts with https://"),
    ("https://", "names no host"),
    ("https://hub.example.org/?next=/lab", "query or fragment"),
    ("https://hub.example.org/hub/login", "give the hub's own address, https://hub.example.org"),
    ("https://example.org/jupyter/user/ada/lab", "https://example.org/jupyter"),
    ("", "give the hub's address"),
])
def test_a_bad_hub_address_is_explained(address, says):
    with pytest.raises(WorkshopError, match=re.escape(says)):
        nbgitpuller_link(address)


@pytest.mark.parametrize("kwargs, says", [
    ({"app": "vscode"}, "app must be one of"),
    ({"path": "../etc/passwd"}, "inside the repository"),
    ({"path": ""}, "inside the repository"),
    ({"repo": "git@github.com:nnbook/nnbook.git"}, "https:// URL"),
    ({"branch": " "}, "name a branch"),
])
def test_bad_link_options_are_explained(kwargs, says):
    with pytest.raises(WorkshopError, match=re.escape(says)):
        nbgitpuller_link("https://hub.example.org", **kwargs)


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "nnbook_utils.workshop", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_the_command_line_prints_the_link_or_a_one_line_error():
    done = run_cli("link", "https://hub.example.org", "--path", "chapters/06_layers_are_an_optimization.ipynb")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == nbgitpuller_link(
        "https://hub.example.org", path="chapters/06_layers_are_an_optimization.ipynb")
    bad = run_cli("link", "hub.example.org")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.startswith("error: ") and "https://hub.example.org" in bad.stderr


def test_the_page_shows_the_link_the_code_makes():
    assert block("link").strip() == nbgitpuller_link("https://hub.example.org")


# ----------------------------------------------------------------- the hub's packages
def test_the_hub_packages_are_the_runtime_and_lab_pins_of_pyproject():
    table = workshop._read_pyproject()
    expected = table["project"]["dependencies"] + table["project"]["optional-dependencies"]["lab"]
    lines = workshop.hub_requirements()
    assert lines == list(dict.fromkeys(expected))
    assert not any(name in line for line in lines for name in ("torch", "micrograd", "jupyter-book"))
    assert all("==" in line for line in lines), "every package a hub installs is pinned"


def test_the_installed_metadata_gives_the_same_packages():
    # an installed copy (no pyproject.toml beside it) reads its own metadata instead
    from packaging.requirements import Requirement
    def normal(lines):
        return {(r.name, str(r.specifier), str(r.marker)) for r in map(Requirement, lines)}
    assert normal(workshop._requirements_from_metadata(("lab",))) == normal(workshop.hub_requirements())


def test_the_page_shows_the_hub_packages_pyproject_names():
    done = run_cli("hub-packages")
    assert done.returncode == 0, done.stderr
    assert done.stdout == workshop.hub_requirements_text()
    assert block("hub-packages") == done.stdout, (
        "book/workshop.md's list of the hub's packages differs from pyproject.toml: paste the "
        "output of `python -m nnbook_utils.workshop hub-packages` between its markers")


# ------------------------------------------------------------------- measured times
def test_every_chapter_of_the_book_has_a_measured_time():
    times = json.loads(TIMES.read_text())
    in_toc = {f.split("/", 1)[1] for f in toc_files() if f.startswith("chapters/")}
    assert set(times["chapters"]) == in_toc == {p.stem for p in CHAPTERS}, (
        "book/execution_times.json must have one entry per chapter: run `make execute`")
    for stem, entry in times["chapters"].items():
        assert 0 < entry["seconds"] < 600, f"{stem}: {entry['seconds']} s is not a plausible time"
        assert entry["cpus"] >= 1 and entry["load"] >= 0 and re.fullmatch(r"\d{4}-\d\d-\d\d", entry["measured"])


def test_the_titles_are_the_chapters_titles():
    sys.path.insert(0, str(ROOT / "tools"))
    from execute import title  # noqa: I001  (tools/)
    from helpers import read
    times = json.loads(TIMES.read_text())["chapters"]
    assert {p.stem: title(read(p)) for p in CHAPTERS} == {s: e["title"] for s, e in times.items()}


def test_the_page_shows_the_recorded_times():
    assert block("times").strip() == workshop.times_table(TIMES), (
        "book/workshop.md's table of execution times differs from book/execution_times.json: "
        "run `make execute` (or python -c 'import sys; sys.path.insert(0, \"tools\"); "
        "import execute; execute.show_times()')")


def test_execute_records_a_chapter_time(tmp_path):
    sys.path.insert(0, str(ROOT / "tools"))
    import nbformat
    from execute import record_time, show_times  # noqa: I001  (tools/)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("intro\n# A title\ntext")])
    file = tmp_path / "times.json"
    file.write_text(json.dumps({"about": "kept", "chapters": {"02_other": {"title": "B", "seconds": 1.0, "measured": "2026-01-02",
                                                                     "cpus": 4, "load": 0.5}}}))
    record_time(tmp_path / "01_first.ipynb", nb, 12.345, file=file)
    times = json.loads(file.read_text())
    assert times["about"] == "kept" and list(times["chapters"]) == ["01_first", "02_other"]
    assert times["chapters"]["01_first"]["title"] == "A title"
    assert times["chapters"]["01_first"]["seconds"] == 12.3
    assert times["chapters"]["02_other"]["seconds"] == 1.0  # the other chapter's entry is kept
    assert "| 1 | A title | 12 s |" in workshop.times_table(file)
    # ... and writes the table into the page's block, leaving the rest of the page alone
    page = tmp_path / "workshop.md"
    page.write_text("before\n<!-- times: note -->\nold table\n<!-- /times -->\nafter\n")
    show_times(file, page)
    assert page.read_text() == ("before\n<!-- times: note -->\n" + workshop.times_table(file)
                                + "\n<!-- /times -->\nafter\n")
    with pytest.raises(WorkshopError, match="no <!-- times"):
        workshop.with_block("no block here", "times", "x")


# ------------------------------------------------------------------- the plans' minutes
def plans():
    """Each format's heading and its table's (section, minutes) rows and stated total."""
    found = {}
    for heading, body in re.findall(r"^### (.+?)\n(.*?)(?=^##)", page(), re.S | re.M):
        rows = re.findall(r"^\| (.+?) \| \**(\d+)\** \|$", body, re.M)
        if rows:
            found[heading] = ([(s, int(m)) for s, m in rows if s != "**Total**"],
                              [int(m) for s, m in rows if s == "**Total**"])
    return found


def test_each_plan_adds_up_to_its_length():
    found = plans()
    assert set(found) == {"A 90-minute taster: Chapter 1", "One day: Part I (Chapters 1 to 5)",
                          "Two days: Part I and Part II"}
    for heading, (rows, total) in found.items():
        assert total == [sum(m for _, m in rows)], f"{heading}: the minutes do not add up to the total"
    assert found["A 90-minute taster: Chapter 1"][1] == [90]


def test_the_day_plans_cover_their_chapters():
    found = plans()
    part_one = " ".join(s for s, _ in found["One day: Part I (Chapters 1 to 5)"][0])
    assert all(f"chapters/{p.stem}>" in part_one for p in CHAPTERS[:5])
    assert f"chapters/{CHAPTERS[5].stem}>" in " ".join(s for s, _ in found["Two days: Part I and Part II"][0])


def test_the_page_is_in_the_back_matter():
    assert "book/workshop" in toc_files()
    assert "- file: book/workshop" in (ROOT / "_toc.yml").read_text().split("caption: Back matter")[1]
