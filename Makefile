# nnbook. The two set-up commands are `make book` and `make test` (see README.md);
# both create the local virtual environment .venv and install everything on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Re-install whenever pyproject.toml (the one source of versions) changes.
READY := $(VENV)/.nnbook-installed
# The readers' JupyterLab (`make lab`, tests/test_jupyterlab.py): its own environment with
# only the runtime and the `lab` extra of pyproject.toml, the packages Binder installs from
# environment.yml. It stays without the website's `book` packages: their JupyterLite
# extension, loaded into JupyterLab, fails there ("Shared module @jupyterlite/server").
LAB_VENV ?= .venv-lab
LAB_READY := $(LAB_VENV)/.nnbook-installed
# The pinned copies of what the pages load from CDNs (MathJax, require.js, the widget
# manager), installed by npm from tools/web/package-lock.json: the browser tests route the
# CDN requests to them, and `make book-offline` ships them.
WEB := tools/web
WEB_READY := $(WEB)/node_modules/.nnbook-installed

.DEFAULT_GOAL := help
.PHONY: help book book-offline test lab execute student instructor bench soak clean web-assets slides

help:
	@echo "make book      build the website into _build/html (creates .venv on first use)"
	@echo "make book-offline  build the website with every asset local and pack it as _build/nnbook-offline.zip"
	@echo "make slides    build one reveal.js deck per chapter into _build/slides (works offline; needs npm)"
	@echo "make test      run the whole test suite (creates .venv on first use)"
	@echo "make lab       open the chapters in JupyterLab (creates .venv-lab on first use)"
	@echo "make execute   re-execute every chapter and store its outputs (CH=chapters/NN_name.ipynb for one)"
	@echo "make student   write the notebooks without solutions and instructor notes to _build/student/"
	@echo "make instructor  write the notebooks with the instructor notes shown to _build/instructor/ (SITE=1: also its website)"
	@echo "make bench     run the benchmarks in benchmarks/ (installs the optional micrograd)"
	@echo "make soak      execute every chapter 20 times in fresh kernels and count the hangs (RUNS=20)"
	@echo "make wheelhouse  download every wheel the book needs (Python $(WHEELHOUSE_PYTHONS), $(WHEELHOUSE_PLATFORM)) to _build/wheelhouse, for rooms without network"
	@echo "make clean     remove _build (keeps .venv and .venv-lab)"

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

$(LAB_READY): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "nnbook needs Python 3.10 or newer, but $(PYTHON) is " + sys.version.split()[0] + ". Install a newer Python and run, for example: make PYTHON=python3.12 $(MAKECMDGOALS)")'
	@$(LAB_VENV)/bin/python -m pip --version >/dev/null 2>&1 || { rm -rf $(LAB_VENV); $(PYTHON) -m venv $(LAB_VENV) || { rm -rf $(LAB_VENV); \
		echo "Could not create a virtual environment with $(PYTHON). On Debian or Ubuntu: sudo apt install python3-venv"; exit 1; }; }
	$(LAB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LAB_VENV)/bin/python -m pip install --quiet -e ".[lab]"
	MPLBACKEND=Agg $(LAB_VENV)/bin/python -c "import matplotlib.pyplot"
	@touch $@

$(WEB_READY): $(WEB)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm was not found: install Node.js and npm (Debian/Ubuntu: sudo apt-get install npm) for the browser tests and make book-offline"; exit 1; }
	cd $(WEB) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

# Without npm the browser tests skip (saying why) on a developer's machine; CI has npm.
web-assets:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(WEB_READY); \
	else echo "npm was not found: the browser tests will skip (Debian/Ubuntu: sudo apt-get install npm chromium)"; fi

# (web-assets: with npm, the site gets the chapters' slide decks too; see tools/slides.py)
book: $(READY) web-assets
	$(BIN)/jupyter-book build . --keep-going
	@echo
	@echo "The book is built. Open this file in a browser:"
	@echo "    $(CURDIR)/_build/html/index.html"

book-offline: $(READY) $(WEB_READY)
	$(BIN)/jupyter-book build . --keep-going
	$(BIN)/python tools/offline.py _build/html --out _build/offline/nnbook --zip _build/nnbook-offline.zip
	@echo
	@echo "Unzip _build/nnbook-offline.zip on any machine with Python and run, in the folder where it was unzipped:"
	@echo "    python3 -m http.server -d nnbook 8000"
	@echo "then open http://localhost:8000 (no network needed)."

test: $(READY) $(LAB_READY) web-assets
	NNBOOK_LAB_VENV=$(LAB_VENV) $(BIN)/python -m pytest

# One reveal.js deck per chapter of _toc.yml, from the cells tagged for slides, with the
# pinned reveal.js and MathJax copied next to them (tools/slides.py); prints the time.
slides: $(READY) $(WEB_READY)
	$(BIN)/python tools/slides.py build --out _build/slides
	@echo "Open _build/slides/<chapter>.html in a browser (no network needed)."

lab: $(LAB_READY)
	$(LAB_VENV)/bin/jupyter lab chapters/

execute: $(READY)
	$(BIN)/python tools/execute.py $(if $(CH),$(CH),--all)

student: $(READY)
	$(BIN)/python tools/student.py

instructor: $(READY)
	$(BIN)/python tools/instructor.py edition --out _build/instructor $(if $(SITE),--site)

bench: $(READY)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/graph_vs_micrograd.py
	$(BIN)/python benchmarks/layers_vs_torch.py
	$(BIN)/python benchmarks/schedule_vs_graph.py

soak: $(READY)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/soak.py --runs $(if $(RUNS),$(RUNS),20)

clean:
	rm -rf _build

# The wheelhouse for a room without network (book/workshop.md): every wheel of the runtime
# and `lab` requirements for each supported Python on one platform, and the nnbook_utils
# wheel; `pip install --no-index --find-links _build/wheelhouse "nnbook_utils[lab]"` then
# installs with no network. tests/test_wheelhouse.py installs from it, so `make test`
# builds it first (downloaded once per change of pyproject.toml; the nnbook_utils wheel is
# rebuilt when the package changes). Another platform: WHEELHOUSE_PLATFORM=win_amd64 or
# macosx_11_0_arm64 (downloaded and checked, but installed by the tests only on Linux).
WHEELHOUSE := _build/wheelhouse
WHEELHOUSE_PYTHONS ?= 3.10 3.11 3.12 3.13
WHEELHOUSE_PLATFORM ?= manylinux_2_28_x86_64
WHEELHOUSE_ARGS = --python $(WHEELHOUSE_PYTHONS) --platform $(WHEELHOUSE_PLATFORM)
.PHONY: wheelhouse

$(WHEELHOUSE)/.nnbook-downloaded: pyproject.toml $(READY)
	rm -rf $(WHEELHOUSE)
	$(BIN)/python -m nnbook_utils.workshop wheelhouse $(WHEELHOUSE) $(WHEELHOUSE_ARGS)
	@touch $@

$(WHEELHOUSE)/.nnbook-complete: $(WHEELHOUSE)/.nnbook-downloaded $(wildcard nnbook_utils/*.py nnbook_utils/*/*.py nnbook_utils/*.mplstyle)
	@# the package changed since the download: rebuild only its own wheel
	@if [ -n "$$(find nnbook_utils -newer $< \( -name '*.py' -o -name '*.mplstyle' \) | head -1)" ]; then \
		echo "$(BIN)/python -m nnbook_utils.workshop wheelhouse $(WHEELHOUSE) $(WHEELHOUSE_ARGS) --own-wheel-only"; \
		$(BIN)/python -m nnbook_utils.workshop wheelhouse $(WHEELHOUSE) $(WHEELHOUSE_ARGS) --own-wheel-only; fi
	@touch $@

wheelhouse: $(WHEELHOUSE)/.nnbook-complete
	@du -sh $(WHEELHOUSE)

test: $(WHEELHOUSE)/.nnbook-complete
