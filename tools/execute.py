"""Execute chapter notebooks top to bottom and store their outputs (and widget state).

    python tools/execute.py chapters/01_smallest_network.ipynb [...]
    python tools/execute.py --all

This is the only way the book's notebooks get their outputs: a fresh kernel, every cell
in order, outputs written back into the .ipynb. nbval (`make test`) then proves that a
fresh run prints exactly what is stored. Widget state is stored too, so the website can
show the widgets without a kernel.
"""

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from paths import chapters


def execute(path, timeout=600):
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=True,
                            record_timing=False, resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    if not _has_widgets(nb):
        nb.metadata.pop("widgets", None)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return seconds


def _has_widgets(nb):
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    return bool(state.get("state"))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", help="notebooks to execute")
    parser.add_argument("--all", action="store_true", help="execute every chapter in chapters/")
    args = parser.parse_args(argv)
    paths = chapters() if args.all else [Path(p) for p in args.notebooks]
    if not paths:
        parser.error("name at least one notebook, or pass --all")
    for path in paths:
        if not path.exists():
            parser.error(f"no such notebook: {path}")
        print(f"executing {path} ...", flush=True)
        print(f"  done in {execute(path):.1f} s", flush=True)


if __name__ == "__main__":
    sys.exit(main())
