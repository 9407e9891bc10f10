# lossbook: build the book, run every check, refresh notebook outputs.
#
#   make book      build the website into _build/html
#   make test      unit and property tests, notebook checks, nbval, strict build
#   make execute   re-run every notebook in book/ and store the new outputs
#   make clean     remove build output
#
# All targets use one virtual environment, .venv, created from requirements.txt.
# It is reinstalled only when requirements.txt or pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(shell find book -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*'))

.PHONY: book test execute clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -r requirements.txt
	@# Build matplotlib's font cache now: building it inside a notebook can print
	@# a warning to stderr, which nbval would report as a changed output.
	$(BIN)/python -c "import matplotlib.font_manager"
	touch $@

book: $(STAMP)
	$(BIN)/jupyter-book build .

# --all: an incremental build re-reads only changed pages, so warnings in
# unchanged pages would not be reported again and a broken page could pass.
test: $(STAMP)
	$(BIN)/python -m pytest tests
ifneq ($(NOTEBOOKS),)
	$(BIN)/python -m pytest --nbval --nbval-current-env $(NOTEBOOKS)
else
	@echo "No notebooks in book/: nothing for nbval to run."
endif
	$(BIN)/jupyter-book build . -W -n --keep-going --all

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

execute: $(STAMP)
	$(BIN)/python -c "$$EXECUTE_NOTEBOOKS" $(NOTEBOOKS)

clean:
	rm -rf _build .pytest_cache
