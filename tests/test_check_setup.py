"""The learners' pre-flight check, `python -m nnbook_utils.check_setup`: it passes in the
project's environment and names the problem, with its fix, in one made broken on purpose."""

import os
import subprocess
import sys

from nnbook_utils import check_setup


def run_check(env=None):
    return subprocess.run([sys.executable, "-m", "nnbook_utils.check_setup"], capture_output=True,
                          text=True, timeout=180, env=env)


def test_it_passes_in_the_project_environment():
    run = run_check()
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert [line.split(":")[0] for line in lines[:5]] == [
        "PASS  Python version", "PASS  package versions", "PASS  kernel",
        "PASS  widgets in JupyterLab", "PASS  matplotlib"]
    assert lines[-1] == "Ready for the book."


def test_a_wrong_numpy_is_named_with_its_fix(tmp_path):
    # An environment broken on purpose: a numpy 1.26.0 found first on the path (its
    # metadata only, which is what pip and the check read).
    info = tmp_path / "numpy-1.26.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: numpy\nVersion: 1.26.0\n")
    run = run_check({**os.environ, "PYTHONPATH": str(tmp_path)})
    assert run.returncode == 1
    assert "FAIL  package versions: numpy 1.26.0 (the book pins 2." in run.stdout, run.stdout
    assert 'fix: pip install -e ".[lab]"' in run.stdout
    assert "1 check(s) failed" in run.stdout


def test_each_check_fails_with_a_fix():
    old = check_setup.check_python((3, 9, 18))
    assert not old.ok and "3.9.18" in old.detail and "3.10 or newer" in old.fix
    missing = check_setup.check_versions({"numpy": "2.4.6"}, installed=_missing)
    assert not missing.ok and missing.detail == "numpy missing (the book pins 2.4.6)"
    no_widgets = check_setup.check_widgets_extension(paths=["/nonexistent"])
    assert not no_widgets.ok and "sliders will not show" in no_widgets.detail
    lines = check_setup.report([old, check_setup.check_matplotlib()])
    assert lines[0].startswith("FAIL  Python version") and lines[1].startswith("      fix: ")
    assert lines[2] == "PASS  matplotlib: matplotlib drew a figure"


def test_the_pins_are_the_runtime_and_lab_ones_for_this_python():
    requirements = ['numpy==2.2.6; python_version < "3.11"', 'numpy==2.4.6; python_version >= "3.11"',
                    'jupyterlab==4.4.10; extra == "lab"', 'pytest==9.2.0; extra == "test"']
    assert check_setup.pins(requirements, python="3.10") == {"numpy": "2.2.6", "jupyterlab": "4.4.10"}
    assert check_setup.pins(requirements, python="3.12") == {"numpy": "2.4.6", "jupyterlab": "4.4.10"}


def _missing(name):
    raise check_setup.importlib.metadata.PackageNotFoundError(name)
