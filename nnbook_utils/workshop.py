"""Helpers for running the book in a workshop (the page ``book/workshop.md``).

    python -m nnbook_utils.workshop link https://hub.example.org
    python -m nnbook_utils.workshop link https://hub.example.org --path chapters/06_layers_are_an_optimization.ipynb
    python -m nnbook_utils.workshop hub-packages
    python -m nnbook_utils.workshop times book/execution_times.json

``link`` prints an nbgitpuller link for a JupyterHub: a learner who clicks it gets a copy
of the book's repository in their home folder on the hub (nbgitpuller clones it the first
time and merges updates later without touching their own edits), and the chapter opens.

``hub-packages`` prints what a hub administrator installs into the learners' environment:
the book's pinned runtime dependencies and its ``lab`` extra, read from ``pyproject.toml``
(the one source of the versions), as a ``requirements.txt``.

``times`` prints the Markdown table of the chapters' measured execution times that the
workshop page shows (``tools/execute.py`` records them in ``book/execution_times.json``).

The link format is nbgitpuller's documented one::

    <hub>/hub/user-redirect/git-pull?repo=<git URL>&branch=<branch>&urlpath=<where to land>

nbgitpuller clones into a folder named after the last part of the repository's URL
(``https://github.com/nnbook/nnbook`` -> ``nnbook/``), so ``urlpath`` is
``lab/tree/nnbook/<path>`` for JupyterLab and ``notebooks/nnbook/<path>`` for the
classic Notebook interface.
"""

import argparse
import importlib.metadata
import importlib.util
import json
import re
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

#: The book's repository and branch: the same as ``repository.url`` and
#: ``repository.branch`` in ``_config.yml`` (tests/test_workshop.py checks that they agree).
REPOSITORY = "https://github.com/nnbook/nnbook"
BRANCH = "main"
#: Where a link lands by default: Chapter 1, in the cloned folder.
DEFAULT_PATH = "chapters/01_smallest_network.ipynb"
#: The interfaces a link can open, and the ``urlpath`` prefix of each.
APPS = {"lab": "lab/tree", "notebook": "notebooks"}
#: The extras a hub's learners need (what ``make lab`` and Binder install).
HUB_EXTRAS = ("lab",)

# The repository root when this package is used from a clone (pyproject.toml sits there).
_PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


class WorkshopError(ValueError):
    """A mistake in what was asked for (a bad hub address, path or interface), explained."""


# ------------------------------------------------------------------------ nbgitpuller links
def hub_address(hub_url):
    """The hub's address, checked and without a trailing slash.

    Accepts ``https://hub.example.org`` and a hub served under a prefix
    (``https://example.org/jupyter``). Raises WorkshopError, saying what to write instead,
    for an address without ``http(s)://``, without a host, with a query or fragment, or one
    that already points into the hub (``.../hub/login``, ``.../user/ada/lab``)."""
    text = str(hub_url).strip()
    if not text:
        raise WorkshopError("give the hub's address, for example https://hub.example.org")
    if "://" not in text:
        raise WorkshopError(f"{text!r} has no scheme: write the hub's full address, "
                            f"for example https://{text.lstrip('/')}")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https"):
        raise WorkshopError(f"{text!r}: a hub's address starts with https:// (or http://), "
                            f"not {parts.scheme}://")
    if not parts.hostname:
        raise WorkshopError(f"{text!r} names no host: write, for example, https://hub.example.org")
    if parts.query or parts.fragment:
        raise WorkshopError(f"{text!r} has a query or fragment (?... or #...): give only the "
                            f"hub's address, for example {parts.scheme}://{parts.netloc}")
    path = parts.path.rstrip("/")
    inside = re.search(r"/(hub|user)(/|$)", path + "/")
    if inside:
        base = f"{parts.scheme}://{parts.netloc}{path[:inside.start()]}"
        raise WorkshopError(f"{text!r} points into the hub ({path[inside.start():]}): give the "
                            f"hub's own address, {base}")
    return f"{parts.scheme}://{parts.netloc}{path}"


def clone_folder(repo):
    """The folder nbgitpuller clones ``repo`` into: the last part of its URL
    (``https://github.com/nnbook/nnbook`` -> ``nnbook``)."""
    name = str(repo).rstrip("/").split("/")[-1]
    if not name:
        raise WorkshopError(f"{repo!r} is not a repository URL")
    return name


def nbgitpuller_link(hub_url, repo=REPOSITORY, branch=BRANCH, path=DEFAULT_PATH, app="lab"):
    """The nbgitpuller link that clones ``repo`` (at ``branch``) onto the hub at
    ``hub_url`` and opens ``path`` (relative to the repository's root) in ``app``
    (``"lab"`` for JupyterLab, ``"notebook"`` for the classic Notebook interface).

    >>> nbgitpuller_link("https://hub.example.org")  # doctest: +NORMALIZE_WHITESPACE
    'https://hub.example.org/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fnnbook%2Fnnbook&branch=main&urlpath=lab%2Ftree%2Fnnbook%2Fchapters%2F01_smallest_network.ipynb'
    """
    base = hub_address(hub_url)
    if app not in APPS:
        raise WorkshopError(f"app must be one of {', '.join(map(repr, APPS))}, not {app!r}")
    relative = str(path).strip().strip("/")
    if not relative or ".." in relative.split("/"):
        raise WorkshopError(f"path {path!r} must name a file or folder inside the repository, "
                            f"for example {DEFAULT_PATH}")
    if not str(repo).startswith(("https://", "http://")):
        raise WorkshopError(f"repo {repo!r} must be the repository's https:// URL")
    if not str(branch).strip():
        raise WorkshopError("branch must name a branch, for example main")
    query = {"repo": repo, "branch": branch,
             "urlpath": f"{APPS[app]}/{clone_folder(repo)}/{relative}"}
    return f"{base}/hub/user-redirect/git-pull?{urlencode(query)}"


# ------------------------------------------------------------------- the hub's packages
def _read_pyproject(path=_PYPROJECT):
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    with open(path, "rb") as f:
        return tomllib.load(f)


def hub_requirements(pyproject=None, extras=HUB_EXTRAS):
    """The requirement lines a hub installs: the runtime dependencies and the ``extras``
    of ``pyproject.toml`` (a path, or the parsed table), in their order, each once, markers
    kept (numpy has one version for Python 3.10 and another for newer Pythons).

    Without a ``pyproject.toml`` next to the package (an installed copy), the installed
    package's own metadata is read instead."""
    if pyproject is None and not _PYPROJECT.exists():
        return _requirements_from_metadata(extras)
    if pyproject is None and sys.version_info < (3, 11) and importlib.util.find_spec("tomli") is None:
        return _requirements_from_metadata(extras)  # Python 3.10 without tomli: the metadata
    table = pyproject if isinstance(pyproject, dict) else _read_pyproject(pyproject or _PYPROJECT)
    project = table["project"]
    lines = list(project["dependencies"])
    for extra in extras:
        if extra not in project.get("optional-dependencies", {}):
            raise WorkshopError(f"pyproject.toml has no extra named {extra!r}")
        lines += project["optional-dependencies"][extra]
    return list(dict.fromkeys(" ".join(line.split()) for line in lines))


def _requirements_from_metadata(extras):
    lines = []
    for req in importlib.metadata.requires("nnbook_utils") or []:
        spec, _, marker = req.partition(";")
        extra = re.search(r"""extra\s*==\s*["']([^"']+)["']""", marker)
        if extra and extra.group(1) not in extras:
            continue
        marker = re.sub(r"""\s*(and\s+)?extra\s*==\s*["'][^"']+["']""", "", marker).strip()
        lines.append(spec.strip().replace(" ", "") + (f"; {marker}" if marker else ""))
    return list(dict.fromkeys(lines))


def hub_requirements_text(pyproject=None):
    """``requirements.txt`` for a hub: the pins of :func:`hub_requirements`, then the book's
    package itself from its repository (its dependencies are the lines above)."""
    lines = ["# nnbook: the learners' environment on a JupyterHub (from pyproject.toml)",
             *hub_requirements(pyproject),
             f"nnbook_utils @ git+{REPOSITORY}@{BRANCH}"]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ execution times
def times_table(times):
    """The Markdown table of the chapters' measured execution times. ``times`` is the
    parsed ``book/execution_times.json`` (or its path): ``{"chapters": {stem: {"title":
    ..., "seconds": ...}}, ...}``."""
    if not isinstance(times, dict):
        times = json.loads(Path(times).read_text())
    rows = ["| Chapter | Title | Execution time | Measured on |", "|---|---|---|---|"]
    for stem, entry in sorted(times["chapters"].items()):
        number = int(stem.split("_", 1)[0])
        rows.append(f"| {number} | {entry['title']} | {entry['seconds']:.0f} s | "
                    f"{entry['measured']}, {entry['cpus']} cores, load {entry['load']:.1f} |")
    return "\n".join(rows)


def with_block(text, name, content):
    """``text`` (a page) with what stands between ``<!-- name: ... -->`` and
    ``<!-- /name -->`` replaced by ``content``: how ``make execute`` keeps the times table of
    book/workshop.md equal to book/execution_times.json."""
    found = re.search(rf"(<!-- {name}:[^\n]*-->\n)(.*?)(<!-- /{name} -->)", text, re.S)
    if not found:
        raise WorkshopError(f"the page has no <!-- {name}: ... --> ... <!-- /{name} --> block")
    return text[:found.start(2)] + content.rstrip("\n") + "\n" + text[found.end(2):]


# -------------------------------------------------------------------------- wheelhouse
#: The Pythons a wheelhouse serves: every minor version pyproject's requires-python (>=3.10)
#: admits that the pinned packages have wheels for.
WHEELHOUSE_PYTHONS = ("3.10", "3.11", "3.12", "3.13")
#: The default platform: Linux on x86-64 with glibc 2.28 or newer (pip also takes the
#: older manylinux wheels for it). Others: "win_amd64", "macosx_11_0_arm64".
WHEELHOUSE_PLATFORM = "manylinux_2_28_x86_64"

# pip evaluates environment markers (``numpy==2.2.6; python_version < '3.11'``, and those of
# every dependency, such as ``tomli; python_version < "3.11"``) against the Python that
# runs it, even with --python-version: downloading for 3.10 from 3.11 would miss 3.10's
# backports. So pip runs in a child process whose marker environment is the target's.
_PIP_FOR_TARGET = """
import sys, json
env = json.loads(sys.argv[1])
try:
    import pip._vendor.packaging.markers as markers
    from pip._internal.cli.main import main
    markers.default_environment
except (ImportError, AttributeError) as err:
    sys.exit(f"this pip has no packaging.markers.default_environment ({err}): "
             "the wheelhouse needs a pip whose markers can be evaluated for another Python")
_default = markers.default_environment
markers.default_environment = lambda: {**_default(), **env}
sys.exit(main(sys.argv[2:]))
"""


def marker_environment(python, platform):
    """The values of the environment markers on ``python`` (e.g. "3.10") and ``platform``
    (a wheel platform tag such as manylinux_2_28_x86_64, win_amd64, macosx_11_0_arm64)."""
    if not re.fullmatch(r"3\.\d+", python):
        raise WorkshopError(f"a Python version is written like 3.12, not {python!r}")
    if platform.startswith(("manylinux", "musllinux", "linux")):
        system = {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"}
    elif platform.startswith("win"):
        system = {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"}
    elif platform.startswith("macosx"):
        system = {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix"}
    else:
        raise WorkshopError(f"unknown platform tag {platform!r}: use one such as "
                            "manylinux_2_28_x86_64, win_amd64 or macosx_11_0_arm64")
    if platform.startswith("win"):
        machine = {"win_amd64": "AMD64", "win32": "x86", "win_arm64": "ARM64"}.get(platform, platform)
    elif platform.startswith("macosx"):
        machine = platform.rsplit("_", 1)[-1]  # macosx_11_0_arm64 -> arm64
    else:
        machine = re.sub(r"^(many|musl)?linux(_\d+_\d+)?_", "", platform)  # -> x86_64
    return {"python_version": python, "python_full_version": f"{python}.0",
            "implementation_version": f"{python}.0", "platform_machine": machine, **system}


def platform_tags(platform):
    """The wheel platform tags that run on ``platform``. pip takes a ``--platform`` tag
    literally, so ``manylinux_2_28_x86_64`` is spelled out as every manylinux tag that
    glibc 2.28 runs (2_28 down to 2_17, and manylinux2014, which pip widens to 2010 and 1)."""
    found = re.fullmatch(r"manylinux_2_(\d+)_(\w+)", platform)
    if not found:
        return [platform]
    glibc, arch = int(found.group(1)), found.group(2)
    return [f"manylinux_2_{minor}_{arch}" for minor in range(glibc, 16, -1)] + [f"manylinux2014_{arch}"]


def pip_for(python, platform, args):
    """The command that runs ``pip args`` for ``python`` on ``platform``: only wheels, that
    platform's tags, that Python's markers."""
    env = json.dumps(marker_environment(python, platform))
    tags = [arg for tag in platform_tags(platform) for arg in ("--platform", tag)]
    return [sys.executable, "-c", _PIP_FOR_TARGET, env, *args, "--only-binary=:all:",
            *tags, "--python-version", python]


def wheelhouse_requirements(pyproject=None):
    """What a wheelhouse holds besides the book's own wheel: the runtime dependencies and
    the ``lab`` extra (no ``bench``: a room does not need PyTorch)."""
    return hub_requirements(pyproject)


def build_wheelhouse(dest, pythons=WHEELHOUSE_PYTHONS, platform=WHEELHOUSE_PLATFORM,
                     project=None, run=None, download=True):
    """Download every wheel the book needs for each of ``pythons`` on ``platform`` into
    ``dest``, with the wheel of nnbook_utils itself (built from ``project``, the
    repository's root), then check offline that it is complete (:func:`check_wheelhouse`).
    Needs network (it is the one step that does). ``download=False`` only rebuilds the
    nnbook_utils wheel (after the package changed) and checks again."""
    import subprocess
    import tempfile

    run = run or (lambda cmd: subprocess.run(cmd, check=True))
    dest = Path(dest)
    project = Path(project) if project else _PYPROJECT.parent
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        reqs = Path(tmp) / "requirements.txt"
        reqs.write_text("\n".join(wheelhouse_requirements(project / "pyproject.toml")) + "\n")
        for python in pythons if download else ():
            print(f"wheels for Python {python} on {platform} ...", flush=True)
            run(pip_for(python, platform, ["download", "--quiet", "--dest", str(dest), "-r", str(reqs)]))
    for old in dest.glob("nnbook_utils-*.whl"):
        old.unlink()
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(dest), str(project)])
    check_wheelhouse(dest, pythons, platform)


def check_wheelhouse(dest, pythons=WHEELHOUSE_PYTHONS, platform=WHEELHOUSE_PLATFORM):
    """Resolve ``nnbook_utils[lab]`` from ``dest`` alone (``--no-index``), for each of
    ``pythons`` on ``platform``, without installing anything. Raises WorkshopError naming the
    Python whose wheels are incomplete."""
    import subprocess
    import tempfile

    dest = Path(dest)
    if not any(dest.glob("nnbook_utils-*.whl")):
        raise WorkshopError(f"{dest} has no nnbook_utils wheel: run `make wheelhouse`")
    for python in pythons:
        with tempfile.TemporaryDirectory() as target:
            # --isolated: no pip configuration may add other places to find wheels
            cmd = pip_for(python, platform, ["install", "--isolated", "--dry-run", "--quiet", "--no-index",
                                             "--find-links", str(dest), "--target", target,
                                             "nnbook_utils[lab]"])
            done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            raise WorkshopError(f"{dest} is incomplete for Python {python} on {platform} (run "
                                f"`make wheelhouse` again):\n{done.stderr[-2000:]}")


# ------------------------------------------------------------------------ command line
def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m nnbook_utils.workshop",
                                     description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    link = sub.add_parser("link", help="print an nbgitpuller link for a JupyterHub")
    link.add_argument("hub", help="the hub's address, e.g. https://hub.example.org")
    link.add_argument("--path", default=DEFAULT_PATH, help=f"what to open (default {DEFAULT_PATH})")
    link.add_argument("--repo", default=REPOSITORY, help=f"the repository (default {REPOSITORY})")
    link.add_argument("--branch", default=BRANCH, help=f"its branch (default {BRANCH})")
    link.add_argument("--app", default="lab", choices=sorted(APPS), help="the interface (default lab)")
    sub.add_parser("hub-packages", help="print the requirements a hub installs (from pyproject.toml)")
    times = sub.add_parser("times", help="print the table of the chapters' measured execution times")
    times.add_argument("file", nargs="?", default="book/execution_times.json")
    wheels = sub.add_parser("wheelhouse", help="download every wheel the book needs (network)")
    wheels.add_argument("dest", help="the folder, e.g. _build/wheelhouse")
    wheels.add_argument("--python", nargs="+", default=list(WHEELHOUSE_PYTHONS),
                        help=f"the Pythons (default {' '.join(WHEELHOUSE_PYTHONS)})")
    wheels.add_argument("--platform", default=WHEELHOUSE_PLATFORM,
                        help=f"a wheel platform tag (default {WHEELHOUSE_PLATFORM})")
    wheels.add_argument("--own-wheel-only", action="store_true",
                        help="only rebuild the nnbook_utils wheel (no download) and check again")
    args = parser.parse_args(argv)
    try:
        if args.command == "link":
            print(nbgitpuller_link(args.hub, repo=args.repo, branch=args.branch, path=args.path,
                                   app=args.app))
        elif args.command == "wheelhouse":
            build_wheelhouse(args.dest, args.python, args.platform, download=not args.own_wheel_only)
            print(f"{args.dest}: wheels for Python {', '.join(args.python)} on {args.platform}")
        elif args.command == "hub-packages":
            print(hub_requirements_text(), end="")
        else:
            if not Path(args.file).exists():
                raise WorkshopError(f"{args.file} does not exist: `make execute` records the "
                                    "chapters' times there (run it from the book's folder)")
            print(times_table(args.file))
    except WorkshopError as err:
        parser.exit(2, f"error: {err}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
