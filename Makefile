# lossbook: build the book, run every check, refresh notebook outputs.
#
#   make book          build the website into _build/html
#   make pdf           the whole book as one PDF, _build/pdf/lossbook.pdf (needs TeX:
#                      XeLaTeX, latexmk, xindy; it says what to install), checked by
#                      tests/pdf; `make book` afterwards offers it on every page
#   make test          lint (ruff, mypy), unit and property tests, notebook checks,
#                      the graded assignments (built, then graded with otter run),
#                      nbval natively and under two emulated older instruction sets,
#                      strict build, then the browser tests of the built site
#   make lint          only ruff and mypy
#   make nbval         only nbval, natively and emulated (NBVAL_CPUS= to choose)
#   make site-test     only the browser tests, against the current _build/html
#   make binder-check  install requirements.txt alone into a fresh virtual
#                      environment (as Binder does) and run every notebook in it,
#                      except DEV_NOTEBOOKS (Appendix B), which need requirements-dev.txt
#   make execute       re-run every notebook in book/ and store the new outputs
#   make install       the Python environment and the site's browser assets
#   make assignments   the graded assignments (assignments/): student and autograder
#                      versions, built by otter assign into _build/assignments/
#   make bench         speed and memory benchmarks (benchmarks/README.md); writes
#                      benchmarks/RESULTS.md and benchmarks/BOOK_RESULTS.md
#   make clean         remove build output
#
# All targets use one virtual environment, .venv, created from requirements.txt
# (the book's environment: what Binder installs). Targets that test, lint or
# benchmark install requirements-dev.txt on top. Each is reinstalled only when
# its requirements file or pyproject.toml changes.
# The site's browser assets (MathJax, Font Awesome, and axe-core for the tests)
# come from the npm registry: `npm ci` installs exactly package-lock.json into
# node_modules/, and the files the site serves are copied to _vendor/ (see
# _config.yml). Both folders are gitignored and rebuilt when the lock changes.

PYTHON ?= python3
NPM ?= npm
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
NODE_STAMP := node_modules/.installed
VENDOR := _vendor/_static/vendor
# A file of the copy stands for all of it (a stamp file in _vendor/ would be
# published with the site).
VENDOR_STAMP := $(VENDOR)/mathjax/tex-mml-chtml.js
NOTEBOOKS := $(sort $(shell find book -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*'))

.PHONY: install book pdf pdf-if-tex test lint assignments nbval nbval-native nbval-avx2 nbval-sse4 site-test binder-check execute bench clean

install: $(DEV_STAMP) $(VENDOR_STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -r requirements.txt
	@# Build matplotlib's font cache now: building it inside a notebook can print
	@# a warning to stderr, which nbval would report as a changed output.
	$(BIN)/python -c "import matplotlib.font_manager"
	touch $@

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(BIN)/python -m pip install -r requirements-dev.txt
	touch $@

# --ignore-scripts: none of these packages needs an install script (Font
# Awesome's only prints an attribution notice).
$(NODE_STAMP): package.json package-lock.json
	$(NPM) ci --ignore-scripts --no-audit --no-fund
	touch $@

# What the website serves. MathJax: the es5 build without the combined files
# the site does not use (it loads tex-mml-chtml.js, which fetches fonts and, on
# demand, TeX extensions and the accessibility tools from beside itself).
# Font Awesome: its CSS and fonts, in place of the theme's fontawesome.js.
$(VENDOR_STAMP): $(NODE_STAMP)
	rm -rf _vendor
	mkdir -p $(VENDOR)/mathjax $(VENDOR)/fontawesome-free
	cp -R node_modules/mathjax/es5/. $(VENDOR)/mathjax/
	cd $(VENDOR)/mathjax && rm -f mml-chtml.js mml-svg.js node-main.js tex-chtml.js \
		tex-chtml-full.js tex-chtml-full-speech.js tex-mml-svg.js tex-svg.js tex-svg-full.js
	cp node_modules/mathjax/LICENSE $(VENDOR)/mathjax/
	cp -R node_modules/@fortawesome/fontawesome-free/css \
		node_modules/@fortawesome/fontawesome-free/webfonts \
		node_modules/@fortawesome/fontawesome-free/LICENSE.txt $(VENDOR)/fontawesome-free/
	touch $@

book: $(STAMP) $(VENDOR_STAMP)
	$(BIN)/jupyter-book build .

# --all: an incremental build re-reads only changed pages, so warnings in
# unchanged pages would not be reported again and a broken page could pass.
# _build/html is removed first so that the browser tests see exactly the pages
# this build makes (a page of a removed chapter would otherwise linger there),
# and _build/screenshots so that it holds this run's screenshots only.
# The browser tests run last, on the strictly built site; they skip, saying
# why, where no Chromium is installed (CI installs one: .ci/run).
# tests/test_assignments.py runs `make assignments`, then grades each assignment's reference
# solution and typical wrong submissions with `otter run`.
test: $(DEV_STAMP) $(VENDOR_STAMP)
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest tests lossbook --doctest-modules --ignore=tests/site --ignore=tests/pdf
	$(MAKE) --no-print-directory nbval
	$(MAKE) --no-print-directory pdf-if-tex
	rm -rf _build/html _build/screenshots
	$(BIN)/jupyter-book build . -W -n --keep-going --all
	$(BIN)/python -m pytest tests/site

# The whole book as one PDF: Sphinx's LaTeX builder (through Jupyter Book, with
# the latex: settings of _config.yml), XeLaTeX run by latexmk, xindy for the
# index. Then tests/pdf checks the PDF (titles, no raw TeX or Markdown in its
# text, no undefined references, no line far into the margin) and renders pages
# to _build/pdf/pages/ for a person to look at. The HTML build that follows
# copies the PDF into the site (see _ext/lossbook_site.py).
PDF_TOOLS := xelatex latexmk xindy pdftotext pdftoppm
TEX_PACKAGES := texlive-xetex texlive-latex-extra texlive-fonts-recommended texlive-plain-generic fonts-freefont-otf latexmk xindy poppler-utils

MISSING_PDF_TOOLS = $(strip $(foreach tool,$(PDF_TOOLS),$(if $(shell command -v $(tool)),,$(tool))))
PDF_TOOLS_HINT = make pdf needs $(MISSING_PDF_TOOLS). On Debian or Ubuntu: sudo apt-get install $(TEX_PACKAGES)

pdf: $(DEV_STAMP)
	@if [ -n "$(MISSING_PDF_TOOLS)" ]; then echo "$(PDF_TOOLS_HINT)"; exit 1; fi
	rm -rf _build/latex _build/pdf
	$(BIN)/jupyter-book build . --builder pdflatex -n --keep-going --all
	mkdir -p _build/pdf
	cp _build/latex/lossbook.pdf _build/pdf/lossbook.pdf
	$(BIN)/python -m pytest tests/pdf

# In `make test`: the PDF where TeX is installed; elsewhere a skip that says so,
# unless LOSSBOOK_REQUIRE_PDF is set (.ci/run sets it, and installs TeX).
pdf-if-tex:
ifeq ($(MISSING_PDF_TOOLS),)
	$(MAKE) --no-print-directory pdf
else ifneq ($(LOSSBOOK_REQUIRE_PDF),)
	@echo "LOSSBOOK_REQUIRE_PDF is set, but $(PDF_TOOLS_HINT)"; exit 1
else
	@echo "== SKIPPED, NOT RUN: the book's PDF and its checks (tests/pdf). $(PDF_TOOLS_HINT)"
endif

lint: $(DEV_STAMP)
	$(BIN)/ruff check lossbook tests benchmarks _ext
	$(BIN)/mypy

# nbval re-runs every notebook and compares each cell's output with the stored
# one, character for character (no sanitiser): a stored output must be what any
# CPU prints (CONTRIBUTING.md, "The same outputs on every CPU"). `make nbval`
# runs it natively, then with NumPy's SIMD dispatch, OpenBLAS's kernels and
# Numba's target forced down to AVX2 and to SSE4.2, as they would be picked on
# an older CPU (the names are those of `numpy.show_runtime()` and OpenBLAS).
# Disabling a feature the CPU lacks changes nothing, so the same settings serve
# every x86-64 machine. `make nbval-sse4` runs one of them.
EMULATE_native :=
EMULATE_avx2 := NPY_DISABLE_CPU_FEATURES=X86_V4,AVX512_ICL,AVX512_SPR OPENBLAS_CORETYPE=Haswell NUMBA_CPU_NAME=haswell
EMULATE_sse4 := NPY_DISABLE_CPU_FEATURES=X86_V3,X86_V4,AVX512_ICL,AVX512_SPR OPENBLAS_CORETYPE=Nehalem NUMBA_CPU_NAME=nehalem

nbval: nbval-native nbval-avx2 nbval-sse4

nbval-native nbval-avx2 nbval-sse4: nbval-%: $(DEV_STAMP)
ifneq ($(NOTEBOOKS),)
	@echo "== nbval, instruction set: $*"
	env $(EMULATE_$*) $(BIN)/python -m pytest --nbval --nbval-current-env -p no:cacheprovider $(NOTEBOOKS)
else
	@echo "No notebooks in book/: nothing for nbval to run."
endif

# Each master notebook assignments/<name>/<name>.ipynb (otter-grader's format: solutions and
# hidden tests in it) becomes _build/assignments/<name>/student/ (what students get) and
# autograder/ (the solution notebook and the autograder zip that `otter run` and Gradescope
# take). otter assign also runs the master's tests on its solutions and fails if one fails.
# PATH puts .venv first, so that the kernel it starts is this environment's.
ASSIGNMENTS := $(patsubst assignments/%/,%,$(sort $(dir $(wildcard assignments/*/*.ipynb))))

assignments: $(DEV_STAMP)
	rm -rf _build/assignments
	@for name in $(ASSIGNMENTS); do \
		echo "== otter assign $$name"; \
		PATH="$(CURDIR)/$(BIN):$$PATH" JUPYTER_PREFER_ENV_PATH=1 $(BIN)/otter assign \
			assignments/$$name/$$name.ipynb _build/assignments/$$name || exit 1; \
	done

site-test: $(DEV_STAMP) $(VENDOR_STAMP)
	$(BIN)/python -m pytest tests/site

# Binder builds the reader's environment from requirements.txt (and the Python
# version in runtime.txt), nothing else. This target does the same in a fresh
# virtual environment that shares nothing with .venv, then runs every notebook
# top to bottom in a kernel of that environment. It checks that the notebooks
# run (a cell that raises fails it unless tagged raises-exception), not their
# outputs: nbval in `make test` compares those.
BINDER_VENV := _build/binder-venv
# Notebooks that import libraries Binder does not carry: Appendix B compares lossbook with
# PyTorch, JAX, Keras and Optax, which are in requirements-dev.txt only (several hundred MB, and
# no chapter needs them). binder-check skips them, saying so; nbval (`make nbval`, `make test`)
# still runs them in .venv, which has requirements-dev.txt, so their stored outputs stay checked.
# The appendix tells a reader how to install the libraries to run it.
DEV_NOTEBOOKS := book/other-libraries.ipynb

define RUN_NOTEBOOKS
import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

wanted = Path("runtime.txt").read_text().strip().removeprefix("python-")
running = "%d.%d" % sys.version_info[:2]
if wanted != running:
    sys.exit(f"runtime.txt asks Binder for Python {wanted}, but this check runs {running}")

def run(notebook, folder):
    client = NotebookClient(notebook, kernel_name="python3", timeout=300,
                            resources={"metadata": {"path": str(folder)}})
    return client.execute()

# The kernel must be this environment's, not one found elsewhere on the machine.
probe = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys; print(sys.prefix)")])
kernel_prefix = run(probe, ".").cells[0].outputs[0]["text"].strip()
if os.path.realpath(kernel_prefix) != os.path.realpath(sys.prefix):
    sys.exit(f"the kernel runs in {kernel_prefix}, not in the fresh environment {sys.prefix}")

failed = []
for name in sys.argv[1:]:
    path = Path(name)
    try:
        run(nbformat.read(path, as_version=4), path.parent)
    except Exception as error:
        failed.append(name)
        print(f"FAILED {name}: {type(error).__name__}: {error}")
    else:
        print(f"ran {name}")
print(f"binder-check: {len(sys.argv) - 1 - len(failed)} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
endef
export RUN_NOTEBOOKS

binder-check:
	rm -rf $(BINDER_VENV)
	$(PYTHON) -m venv $(BINDER_VENV)
	$(BINDER_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@$(if $(filter $(DEV_NOTEBOOKS),$(NOTEBOOKS)),echo "binder-check skips $(filter $(DEV_NOTEBOOKS),$(NOTEBOOKS)): it needs requirements-dev.txt (DEV_NOTEBOOKS in the Makefile)")
	JUPYTER_PREFER_ENV_PATH=1 $(BINDER_VENV)/bin/python -c "$$RUN_NOTEBOOKS" $(filter-out $(DEV_NOTEBOOKS),$(NOTEBOOKS))
	rm -rf $(BINDER_VENV)

# Runs each notebook top to bottom in a fresh kernel of .venv, with the
# notebook's folder as working directory (as nbval does), and writes the
# outputs back. Execution timestamps are not recorded, so re-running an
# unchanged notebook leaves it unchanged in git. A cell that raises stops the
# run unless it is tagged raises-exception; the notebook is then not written.
define EXECUTE_NOTEBOOKS
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

for name in sys.argv[1:]:
    path = Path(name)
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=300,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    nbformat.write(notebook, path)
    print(f"executed {path}")
endef
export EXECUTE_NOTEBOOKS

# A notebook of DEV_NOTEBOOKS needs the development environment too.
execute: $(STAMP) $(if $(filter $(DEV_NOTEBOOKS),$(NOTEBOOKS)),$(DEV_STAMP))
	$(BIN)/python -c "$$EXECUTE_NOTEBOOKS" $(NOTEBOOKS)

# Benchmarks time on this machine and need it quiet; PyTorch is optional
# (pip install torch==2.13.0 for the CPU build). Not part of `make test`.
bench: $(DEV_STAMP) $(VENDOR_STAMP)
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.gradient_descent
	$(BIN)/python -m benchmarks.book --output benchmarks/BOOK_RESULTS.md

clean:
	rm -rf _build _vendor .pytest_cache
