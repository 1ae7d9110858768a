# nnbook. The two set-up commands are `make book` and `make test` (see README.md);
# both create the local virtual environment .venv and install everything on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Re-install whenever pyproject.toml (the one source of versions) changes.
READY := $(VENV)/.nnbook-installed

.DEFAULT_GOAL := help
.PHONY: help book test lab execute student bench clean

help:
	@echo "make book      build the website into _build/html (creates .venv on first use)"
	@echo "make test      run the whole test suite (creates .venv on first use)"
	@echo "make lab       open the chapters in JupyterLab"
	@echo "make execute   re-execute every chapter and store its outputs (CH=chapters/NN_name.ipynb for one)"
	@echo "make student   write the notebooks without solutions to _build/student/"
	@echo "make bench     run the benchmarks in benchmarks/ (installs the optional micrograd)"
	@echo "make clean     remove _build (keeps .venv)"

$(READY): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "nnbook needs Python 3.10 or newer, but $(PYTHON) is " + sys.version.split()[0] + ". Install a newer Python and run, for example: make PYTHON=python3.12 $(MAKECMDGOALS)")'
	@# (Re)create the environment if it is missing or broken (e.g. a failed earlier attempt).
	@$(BIN)/python -m pip --version >/dev/null 2>&1 || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		echo "Could not create a virtual environment with $(PYTHON). On Debian or Ubuntu: sudo apt install python3-venv"; exit 1; }; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[book,test,lab]"
	@# Build matplotlib's font cache now, so that no notebook prints "building the font cache".
	MPLBACKEND=Agg $(BIN)/python -c "import matplotlib.pyplot"
	@touch $@

book: $(READY)
	$(BIN)/jupyter-book build . --keep-going
	@echo
	@echo "The book is built. Open this file in a browser:"
	@echo "    $(CURDIR)/_build/html/index.html"

test: $(READY)
	$(BIN)/python -m pytest

lab: $(READY)
	$(BIN)/jupyter lab chapters/

execute: $(READY)
	$(BIN)/python tools/execute.py $(if $(CH),$(CH),--all)

student: $(READY)
	$(BIN)/python tools/student.py

bench: $(READY)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/graph_vs_micrograd.py

clean:
	rm -rf _build
