"""Build a wheel of nnbook_utils for JupyterLite's in-browser Python kernel, with no
network and no build backend: the package is pure Python, so the wheel is a zip of its
files plus the metadata that pip and piplite read (name and version from pyproject.toml;
its dependencies by name only, see below).

    python tools/lite_wheel.py OUTDIR   ->  OUTDIR/nnbook_utils-<version>-py3-none-any.whl

The site build (tools/sphinx_ext/nnbook_site.py) calls build_wheel() and hands the wheel
to `jupyter lite build --piplite-wheels`, so that `%pip install nnbook_utils` in
JupyterLite installs it from the site itself.
"""

import base64
import hashlib
import re
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from paths import ROOT  # noqa: E402

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

# a fixed date, so that the same sources give the same wheel
_DATE = (2026, 1, 1, 0, 0, 0)


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build_wheel(outdir):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    name, version = project["name"], project["version"]
    package = ROOT / "nnbook_utils"
    files = {}
    for path in sorted(package.rglob("*")):  # the package and its subpackages (checks/)
        if path.suffix in {".py", ".mplstyle"} and (path.parent / "__init__.py").exists():
            files[path.relative_to(ROOT).as_posix()] = path.read_bytes()
    # the data files (datasets/: the digits of Chapters 7 and 8, and their README), which
    # data.load_digits() reads with importlib.resources, offline and in the browser
    for path in sorted((package / "datasets").glob("*")):
        if path.is_file():
            files[path.relative_to(ROOT).as_posix()] = path.read_bytes()
    dist_info = f"{name}-{version}.dist-info"
    metadata = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}",
                f"Summary: {project['description']}", f"Requires-Python: {project['requires-python']}"]
    # The dependencies by name only: in the browser, Pyodide brings its own builds of
    # numpy and matplotlib (not the versions pyproject.toml pins for nbval's outputs).
    names = sorted({re.split(r"[=<>!~;\s\[]", requirement, maxsplit=1)[0] for requirement in project["dependencies"]})
    metadata += [f"Requires-Dist: {dependency}" for dependency in names]
    files[f"{dist_info}/METADATA"] = ("\n".join(metadata) + "\n").encode()
    files[f"{dist_info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: nnbook tools/lite_wheel.py\n"
                                   b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    files[f"{dist_info}/top_level.txt"] = b"nnbook_utils\n"
    record = [_record_line(n, d) for n, d in files.items()] + [f"{dist_info}/RECORD,,"]
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    wheel = outdir / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for file_name, data in files.items():
            archive.writestr(zipfile.ZipInfo(file_name, _DATE), data)
    return wheel


if __name__ == "__main__":
    print(build_wheel(sys.argv[1] if len(sys.argv) > 1 else ROOT / "_build" / "lite_wheels"))
