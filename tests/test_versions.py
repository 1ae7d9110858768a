"""One source of truth for versions: pyproject.toml. environment.yml (Binder) must
install exactly its runtime and `lab` pins, and the extras must not disagree."""

import re

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from helpers import ROOT

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
ENV = yaml.safe_load((ROOT / "environment.yml").read_text())


def env_python():
    for dep in ENV["dependencies"]:
        if isinstance(dep, str) and re.fullmatch(r"python=[\d.]+", dep):
            return dep.split("=")[1]
    raise AssertionError("environment.yml must pin python, e.g. python=3.11")


def pins(requirements, python_version):
    """name -> '==version' for the requirements whose markers hold on that Python."""
    result = {}
    for text in requirements:
        req = Requirement(text)
        if req.marker and not req.marker.evaluate({"python_version": python_version}):
            continue
        spec = str(req.specifier)
        assert re.fullmatch(r"==[\w.]+", spec), f"{text!r}: pin an exact version (==), the notebooks' outputs depend on it"
        result[canonicalize_name(req.name)] = spec
    return result


def test_environment_installs_exactly_the_runtime_and_lab_pins():
    python = env_python()
    expected = pins(PYPROJECT["project"]["dependencies"] + PYPROJECT["project"]["optional-dependencies"]["lab"], python)
    pip_section = next(dep["pip"] for dep in ENV["dependencies"] if isinstance(dep, dict))
    actual = pins(pip_section, python)
    assert actual == expected, f"environment.yml {actual} != pyproject.toml {expected}"


def test_environment_python_is_supported():
    major_minor = tuple(int(p) for p in env_python().split(".")[:2])
    minimum = PYPROJECT["project"]["requires-python"]
    assert minimum == ">=3.10" and major_minor >= (3, 10)


def test_a_package_has_one_pin_across_all_extras():
    for python in ["3.10", "3.11", "3.12", "3.13"]:
        seen = {}
        groups = {"runtime": PYPROJECT["project"]["dependencies"], **PYPROJECT["project"]["optional-dependencies"]}
        for group, requirements in groups.items():
            for name, spec in pins(requirements, python).items():
                assert seen.setdefault(name, (group, spec))[1] == spec, \
                    f"{name} is pinned {spec} in {group} but {seen[name][1]} in {seen[name][0]}"


def test_runtime_dependencies_are_only_numpy_matplotlib_ipywidgets():
    names = {canonicalize_name(Requirement(r).name) for r in PYPROJECT["project"]["dependencies"]}
    assert names == {"numpy", "matplotlib", "ipywidgets"}


def test_ipykernel_stays_on_the_line_that_does_not_drop_requests():
    # ipykernel 7.x can drop a shell request and leave the client waiting (ipykernel issue
    # 1554): pinned to 6.31.x in every extra and in environment.yml, the reason at the pin.
    for python in ["3.10", "3.11", "3.12", "3.13"]:
        for group in ["lab", "book", "test"]:
            spec = pins(PYPROJECT["project"]["optional-dependencies"][group], python)["ipykernel"]
            assert spec.startswith("==6.31."), f"ipykernel {spec} in {group}: keep 6.31.x (issue 1554)"
    assert "ipykernel issue 1554" in (ROOT / "pyproject.toml").read_text()
    assert "ipykernel==6.31." in (ROOT / "environment.yml").read_text()


def test_jupyter_book_stays_on_v1():
    book = pins(PYPROJECT["project"]["optional-dependencies"]["book"], "3.11")
    assert book["jupyter-book"].startswith("==1."), "jupyter-book 2 has a different config format"


def test_environment_installs_everything_with_pip():
    # conda installs only Python and pip; every package comes from the pip section, so
    # the versions are exactly those of pyproject.toml.
    conda = [dep for dep in ENV["dependencies"] if isinstance(dep, str)]
    assert sorted(d.split("=")[0] for d in conda) == ["pip", "python"], conda


def test_binder_installs_the_package_itself():
    post_build = (ROOT / "postBuild")
    commands = [line.split() for line in post_build.read_text().splitlines() if line and not line.startswith("#")]
    assert ["python", "-m", "pip", "install", "--no-deps", "."] in commands
    assert post_build.stat().st_mode & 0o111, "postBuild must be executable"


def test_jupyterlab_extensions_are_compatible():
    # jupyterlab-myst renders the book's MyST (equations, exercises) in JupyterLab; an
    # extension built for another JupyterLab is flagged here and may not load.
    import subprocess
    import sys
    from pathlib import Path

    jupyter = Path(sys.executable).parent / "jupyter"
    result = subprocess.run([str(jupyter), "labextension", "list"], capture_output=True, text=True, timeout=120)
    listing = result.stdout + result.stderr
    assert "jupyterlab-myst" in listing and "enabled" in listing
    assert "not compatible" not in listing, listing


def test_binder_builds_environment_yml_then_runs_postbuild():
    # What repo2docker (Binder) would build, printed without Docker: a conda environment
    # with environment.yml's Python, the environment.yml install, then postBuild (which
    # installs nnbook_utils), in that order.
    import subprocess
    import sys
    from pathlib import Path

    repo2docker = Path(sys.executable).parent / "repo2docker"
    result = subprocess.run([str(repo2docker), "--no-build", "--debug", str(ROOT)],
                            capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert f"Building conda environment for python={env_python()}" in output, output[:2000]
    install = output.find('--file "environment.yml"')
    post_build = output.find("RUN ./postBuild")
    assert install != -1, "repo2docker does not install environment.yml"
    assert post_build > install, "postBuild must run after environment.yml is installed"
