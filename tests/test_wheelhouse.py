"""The wheelhouse for a room without network (`make wheelhouse`, book/workshop.md): from it
alone (`--no-index`, no pip configuration) a fresh virtual environment installs
`nnbook_utils[lab]` in the pinned versions and passes the pre-flight check; and it is
complete for every Python it is made for. `make test` builds it first."""

import platform
import re
import subprocess
import sys
import zipfile

import pytest

from helpers import ROOT
from nnbook_utils import workshop

WHEELHOUSE = ROOT / "_build" / "wheelhouse"


@pytest.fixture(scope="module")
def wheelhouse():
    if not (WHEELHOUSE / ".nnbook-complete").exists():
        pytest.skip("no wheelhouse: run `make wheelhouse` (`make test` builds it first)")
    return WHEELHOUSE


def test_the_makefile_builds_the_default_pythons_and_platform():
    makefile = (ROOT / "Makefile").read_text()
    pythons = re.search(r"^WHEELHOUSE_PYTHONS \?= (.+)$", makefile, re.M).group(1).split()
    assert tuple(pythons) == workshop.WHEELHOUSE_PYTHONS
    assert re.search(r"^WHEELHOUSE_PLATFORM \?= (.+)$", makefile, re.M).group(1) == workshop.WHEELHOUSE_PLATFORM
    # the oldest Python it serves is the oldest pyproject admits
    requires = workshop._read_pyproject()["project"]["requires-python"]
    assert requires == f">={pythons[0]}"


def test_it_holds_no_benchmark_packages(wheelhouse):
    names = {p.name.split("-")[0].lower() for p in wheelhouse.glob("*.whl")}
    assert not names & {"torch", "micrograd", "jupyter_book", "sphinx", "pytest"}
    assert {"numpy", "matplotlib", "ipywidgets", "jupyterlab", "jupyterlab_myst", "ipykernel"} <= names


def test_its_nnbook_utils_wheel_is_this_checkout(wheelhouse):
    (wheel,) = wheelhouse.glob("nnbook_utils-*.whl")
    with zipfile.ZipFile(wheel) as z:
        packaged = {n: z.read(n) for n in z.namelist() if n.startswith("nnbook_utils/")}
    here = {str(p.relative_to(ROOT)): p.read_bytes() for p in (ROOT / "nnbook_utils").rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}
    assert packaged == here, "the wheelhouse's nnbook_utils wheel is stale: run `make wheelhouse`"


def test_it_is_complete_for_every_python_it_serves(wheelhouse):
    # pip resolves nnbook_utils[lab] from the wheelhouse alone for each Python (a dry run)
    workshop.check_wheelhouse(wheelhouse)


def test_a_fresh_environment_installs_from_it_without_network(wheelhouse, tmp_path):
    if sys.platform != "linux" or platform.machine() != "x86_64":
        pytest.skip(f"the wheelhouse is made for {workshop.WHEELHOUSE_PLATFORM}, not this machine")
    env_dir = tmp_path / "room"
    subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True, timeout=300)
    python = str(env_dir / "bin" / "python")
    # --isolated: no pip configuration or PIP_* variable can add an index or other wheels
    install = subprocess.run([python, "-m", "pip", "install", "--isolated", "--no-index",
                              "--disable-pip-version-check", "--quiet", "--find-links",
                              str(wheelhouse), "nnbook_utils[lab]"],
                             capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr[-3000:]
    imported = subprocess.run([python, "-c", "import nnbook_utils.graph, nnbook_utils.widgets, "
                               "nnbook_utils, sys; print(nnbook_utils.__file__)"],
                              capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert str(env_dir) in imported.stdout  # the wheel's copy, not this checkout
    check = subprocess.run([python, "-m", "nnbook_utils.check_setup"], capture_output=True,
                           text=True, timeout=300, cwd=tmp_path,
                           env={"PATH": f"{env_dir / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path)})
    assert check.returncode == 0, check.stdout + check.stderr
    assert "FAIL" not in check.stdout and check.stdout.count("PASS") >= 5
