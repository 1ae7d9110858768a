"""Pre-flight check for learners: is this computer ready to run the book's notebooks?

    python -m nnbook_utils.check_setup

Run it before a workshop (or when a notebook misbehaves). It checks, in order:

1. the Python version (3.10 or newer);
2. the installed versions of numpy, matplotlib, ipywidgets and the JupyterLab packages
   against the versions the book pins (the notebooks' outputs are proven against them);
3. that a Jupyter kernel starts and runs a cell;
4. that JupyterLab has the widgets' frontend extension (without it the sliders do not show);
5. that matplotlib draws a figure.

It prints one line per check, ``PASS`` or ``FAIL``, and for each failure the command
that fixes it. The exit status is 0 when everything passed, 1 otherwise.
"""

import importlib.metadata
import io
import sys
from typing import NamedTuple

MINIMUM_PYTHON = (3, 10)
#: The extras whose pins a learner's environment must match (what `make lab` and Binder install).
LEARNER_EXTRAS = ("lab",)
FIX_INSTALL = 'pip install -e ".[lab]"   (in the book\'s folder; or: make lab)'


class Result(NamedTuple):
    """One check: ``ok``, a one-line ``detail``, and the ``fix`` to show when it failed."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


def check_python(version=None):
    version = tuple(sys.version_info[:3] if version is None else version)
    text = ".".join(map(str, version))
    return Result("Python version", version[:2] >= MINIMUM_PYTHON,
                  f"Python {text} (the book needs {'.'.join(map(str, MINIMUM_PYTHON))} or newer)",
                  "install Python 3.10 or newer, then create the environment again (make lab)")


def pins(requirements=None, extras=LEARNER_EXTRAS, python=None):
    """``{name: version}`` of the exact pins (``name==version``) that apply here: the
    package's own requirements whose markers hold for this Python and these extras."""
    from packaging.requirements import Requirement

    if requirements is None:
        requirements = importlib.metadata.requires("nnbook_utils") or []
    python = python or f"{sys.version_info[0]}.{sys.version_info[1]}"
    result = {}
    for text in requirements:
        req = Requirement(text)
        environments = [{"python_version": python, "extra": e} for e in ("", *extras)]
        if req.marker and not any(req.marker.evaluate(env) for env in environments):
            continue
        exact = [s.version for s in req.specifier if s.operator == "=="]
        if exact:
            result[req.name] = exact[0]
    return result


def check_versions(wanted=None, installed=None):
    """Every pinned package installed at its pinned version. ``installed(name)`` returns
    the installed version or raises PackageNotFoundError (default: importlib.metadata)."""
    wanted = pins() if wanted is None else wanted
    installed = installed or importlib.metadata.version
    wrong = []
    for name, version in sorted(wanted.items()):
        try:
            have = installed(name)
        except importlib.metadata.PackageNotFoundError:
            have = None
        if have != version:
            wrong.append(f"{name} {have or 'missing'} (the book pins {version})")
    detail = "; ".join(wrong) if wrong else f"{len(wanted)} pinned packages at their versions"
    return Result("package versions", not wrong, detail, FIX_INSTALL)


def check_kernel(timeout=60):
    """Start a Python kernel, run ``6 * 7`` in it, and stop it."""
    fix = 'pip install -e ".[lab]" (ipykernel), then: python -m ipykernel install --user'
    try:
        from jupyter_client.manager import start_new_kernel
    except ImportError:
        return Result("kernel", False, "jupyter_client is not installed", fix)
    try:
        km, kc = start_new_kernel(kernel_name="python3", startup_timeout=timeout)
    except Exception as err:  # noqa: BLE001  (any failure to start is the answer)
        return Result("kernel", False, f"the python3 kernel did not start: {type(err).__name__}: {err}", fix)
    try:
        reply = kc.execute_interactive("print(6 * 7)", timeout=timeout, output_hook=lambda msg: None)
        ok = reply["content"]["status"] == "ok"
        return Result("kernel", ok, "a kernel started and ran a cell" if ok
                      else f"the kernel answered {reply['content'].get('ename')}", fix)
    except Exception as err:  # noqa: BLE001
        return Result("kernel", False, f"the kernel did not run a cell: {type(err).__name__}: {err}", fix)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def check_widgets_extension(paths=None):
    """JupyterLab's widget manager (@jupyter-widgets/jupyterlab-manager) is installed."""
    from pathlib import Path

    if paths is None:
        try:
            from jupyter_core.paths import jupyter_path
        except ImportError:
            return Result("widgets in JupyterLab", False, "jupyter_core is not installed", FIX_INSTALL)
        paths = jupyter_path("labextensions")
    found = [p for p in paths if (Path(p) / "@jupyter-widgets" / "jupyterlab-manager" / "package.json").exists()]
    return Result("widgets in JupyterLab", bool(found),
                  f"the widget extension is in {found[0]}" if found
                  else "JupyterLab has no @jupyter-widgets/jupyterlab-manager: sliders will not show",
                  'pip install -e ".[lab]" (ipywidgets brings the extension)')


def check_matplotlib():
    """matplotlib draws a small figure to a PNG in memory (off screen)."""
    fix = 'pip install -e ".[lab]" (matplotlib)'
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        from matplotlib.figure import Figure
    except Exception as err:  # noqa: BLE001
        return Result("matplotlib", False, f"matplotlib does not import: {type(err).__name__}: {err}", fix)
    fig = Figure(figsize=(2, 1))
    fig.add_subplot().plot([0, 1], [0, 1])
    png = io.BytesIO()
    fig.savefig(png, format="png")
    ok = png.getvalue().startswith(b"\x89PNG")
    return Result("matplotlib", ok, "matplotlib drew a figure" if ok else "matplotlib wrote no PNG", fix)


def run_checks():
    return [check_python(), check_versions(), check_kernel(), check_widgets_extension(), check_matplotlib()]


def report(results):
    """The lines to print: one per check, and a fix under each failure."""
    lines = []
    for r in results:
        lines.append(f"{'PASS' if r.ok else 'FAIL'}  {r.name}: {r.detail}")
        if not r.ok:
            lines.append(f"      fix: {r.fix}")
    failed = sum(not r.ok for r in results)
    lines.append("Ready for the book." if not failed else f"{failed} check(s) failed: fix them, then run "
                 "python -m nnbook_utils.check_setup again.")
    return lines


def main():
    results = run_checks()
    print("\n".join(report(results)))
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
