"""Checks on the book's notebooks that nbval itself cannot make.

nbval re-runs each notebook and compares the new outputs with the stored ones,
so a notebook committed without outputs passes vacuously. These tests close
that gap and keep ``_toc.yml`` and ``book/`` in step:

- every code cell that has source has a stored execution, and every notebook
  has at least one code cell;
- every notebook in ``book/`` is listed in ``_toc.yml`` and every entry in
  ``_toc.yml`` exists (the build only renders listed files, so an unlisted
  chapter would silently vanish from the site);
- every figure has a caption and alt text: a code cell that displays an image
  sets ``mystnb.figure.caption`` and ``mystnb.image.alt`` in its metadata, and
  every ``{glue:figure}`` directive has an ``:alt:`` option and a caption;
- ``# NBVAL_IGNORE_OUTPUT`` may only be used with a comment line in the same
  cell that says why the output varies (for example, wall-clock timings).
  The ``nbval-ignore-output`` cell tag is not allowed, because a tag leaves
  no place for that reason. Never use the marker to hide a difference you do
  not understand;
- the lesson is in front: a code cell that calls ``glue`` or shows a figure is
  folded or removed (tag ``hide-input``, ``remove-input`` or ``remove-cell``),
  so the code a reader sees is the lesson, not the book's plumbing;
- every chapter cites its sources and lists them (a ``{bibliography}``
  directive filtered to the page), and every cited key is in
  ``book/references.bib``;
- every exercise states its difficulty (its title starts with one to three
  stars) and every chapter with exercises has at least one pen-and-paper
  derivation (an exercise with ``:class: derivation``);
- no stored output shows a float with more than 12 significant digits (a full
  ``repr`` is what one CPU printed; see CONTRIBUTING.md, "The same outputs on
  every CPU").
"""

import re
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
NOTEBOOKS = sorted(
    path for path in BOOK.rglob("*.ipynb") if ".ipynb_checkpoints" not in path.parts
)
IGNORE_MARKERS = {"NBVAL_IGNORE_OUTPUT", "PYTEST_VALIDATE_IGNORE_OUTPUT"}
NBVAL_MARKERS = IGNORE_MARKERS | {"NBVAL_CHECK_OUTPUT", "NBVAL_RAISES_EXCEPTION", "NBVAL_SKIP"}
IMAGE_MIMES = ("image/png", "image/jpeg", "image/svg+xml")
HIDDEN_TAGS = {"hide-input", "remove-input", "remove-cell"}
GLUE_CALL = re.compile(r"(?<![\w.])glue\(")
EXERCISE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{exercise\}(?P<title>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$",
                      re.MULTILINE | re.DOTALL)
CITATION = re.compile(r"\{(?:cite|cite:p|cite:t|cite:ps|cite:ts|footcite)\}`(?P<keys>[^`]+)`")
BIB_KEY = re.compile(r"^@\w+\{(?P<key>[^,\s]+),", re.MULTILINE)
# A float literal with 13 or more significant digits: the repr of a computed number.
LONG_FLOAT = re.compile(r"(?<![\w.])-?(?:\d\.\d{12,}|\d{2,}\.\d{11,}|0\.0*[1-9]\d{12,})(?:e[-+]?\d+)?")
CHAPTERS = [path for path in NOTEBOOKS if path.name != "intro.ipynb"]
GLUE_FIGURE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{glue:figure\}[^\n]*\n(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)


def cells(path, cell_type):
    """Return ``(index, cell)`` for the cells of ``cell_type`` that have source.

    ``index`` counts all cells of the notebook from 0, as in the messages below.
    """
    notebook = nbformat.read(path, as_version=4)
    return [
        (index, cell)
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == cell_type and cell.source.strip()
    ]


def comments(source):
    """Return the text of each comment line in ``source``, without the ``#``."""
    return [
        line.strip().lstrip("#").strip()
        for line in source.splitlines()
        if line.strip().startswith("#")
    ]


def glue_figures(source):
    """Yield ``(options, caption)`` for each ``{glue:figure}`` directive in markdown ``source``."""
    for match in GLUE_FIGURE.finditer(source):
        lines = match["body"].splitlines()
        options = [line for line in lines if line.startswith(":")]
        caption = [line for line in lines if line.strip() and not line.startswith(":")]
        yield options, caption


def toc_files(entry):
    """Yield every file named in a ``_toc.yml`` subtree (root, chapters, sections, parts)."""
    if isinstance(entry, dict):
        for key in ("root", "file"):
            if key in entry:
                yield entry[key]
        for value in entry.values():
            if isinstance(value, (dict, list)):
                yield from toc_files(value)
    elif isinstance(entry, list):
        for item in entry:
            yield from toc_files(item)


def notebook_id(path):
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=notebook_id)
def test_notebook_is_committed_executed(path):
    code = cells(path, "code")
    assert code, f"{notebook_id(path)} has no code cells: a chapter must run real code"
    unexecuted = [index for index, cell in code if cell.get("execution_count") is None]
    assert not unexecuted, (
        f"{notebook_id(path)}: cells {unexecuted} (counting all cells from 0) have no stored "
        "execution, so nbval would compare nothing there; run `make execute`"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=notebook_id)
def test_ignored_output_is_explained(path):
    for index, cell in cells(path, "code"):
        where = f"{notebook_id(path)}, cell {index}"
        tags = cell.get("metadata", {}).get("tags", [])
        assert "nbval-ignore-output" not in tags, (
            f"{where}: use a `# NBVAL_IGNORE_OUTPUT` comment with a comment line saying "
            "why, not the nbval-ignore-output tag"
        )
        cell_comments = comments(cell.source)
        if IGNORE_MARKERS.intersection(cell_comments):
            reasons = [text for text in cell_comments if text and text not in NBVAL_MARKERS]
            assert reasons, (
                f"{where} ignores its output without a comment line saying why it varies"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=notebook_id)
def test_figures_have_caption_and_alt_text(path):
    for index, cell in cells(path, "code"):
        if any(mime in output.get("data", {}) for output in cell.outputs for mime in IMAGE_MIMES):
            options = cell.metadata.get("mystnb", {})
            assert options.get("figure", {}).get("caption") and options.get("image", {}).get("alt"), (
                f"{notebook_id(path)}, cell {index} shows a figure without "
                "mystnb.figure.caption and mystnb.image.alt in its cell metadata"
            )
    for index, cell in cells(path, "markdown"):
        for options, caption in glue_figures(cell.source):
            assert any(option.startswith(":alt:") for option in options) and caption, (
                f"{notebook_id(path)}, cell {index}: a {{glue:figure}} needs an :alt: option "
                "and a caption"
            )


def test_toc_lists_exactly_the_book():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    listed = list(toc_files(toc))
    assert listed, "_toc.yml lists no files"

    missing = [
        name for name in listed
        if not any((ROOT / f"{name}{suffix}").is_file() for suffix in ("", ".md", ".ipynb"))
    ]
    assert not missing, f"_toc.yml lists files that do not exist: {missing}"

    listed_paths = {(ROOT / name).with_suffix("") for name in listed}
    unlisted = [notebook_id(path) for path in NOTEBOOKS if path.with_suffix("") not in listed_paths]
    assert not unlisted, f"notebooks in book/ missing from _toc.yml: {unlisted}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=notebook_id)
def test_plumbing_is_folded_away(path):
    for index, cell in cells(path, "code"):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & HIDDEN_TAGS:
            continue
        where = f"{notebook_id(path)}, cell {index}"
        assert not GLUE_CALL.search(cell.source), (
            f"{where} calls glue in a visible cell: move the glue calls to a cell tagged "
            "remove-input (or hide-input), so the code a reader sees is the lesson"
        )
        assert "figure" not in cell.metadata.get("mystnb", {}), (
            f"{where} draws a figure in a visible cell: tag it hide-input (the code folds away)"
        )


def bibliography_keys():
    return set(BIB_KEY.findall((BOOK / "references.bib").read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", CHAPTERS, ids=notebook_id)
def test_chapter_cites_its_sources(path):
    markdown = "\n".join(cell.source for _, cell in cells(path, "markdown"))
    cited = {key.strip() for match in CITATION.finditer(markdown) for key in match["keys"].split(",")}
    # A work is listed on one page only (sphinxcontrib-bibtex's labels are global): a page that
    # leans only on works a chapter cites says so in its References section, with a link to it.
    if not cited and re.search(r"## References\n\n[^\n]*\{doc\}`[\w/-]+`", markdown):
        return
    assert cited, f"{notebook_id(path)} cites nothing: add {{cite}}`key` where it leans on the literature"
    unknown = sorted(cited - bibliography_keys())
    assert not unknown, f"{notebook_id(path)} cites keys missing from book/references.bib: {unknown}"
    # A key is cited on one page only (sphinxcontrib-bibtex's labels are global); a page that
    # leans on works another chapter cites lists them as footnotes of its own ({footcite}).
    assert re.search(r"\{bibliography\}[^\n]*\n:filter: docname in docnames|\{footbibliography\}", markdown), (
        f"{notebook_id(path)} has no references section: a {{bibliography}} directive with "
        "`:filter: docname in docnames` (or {footbibliography} for {footcite} citations)"
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=notebook_id)
def test_exercises_state_difficulty_and_include_a_derivation(path):
    exercises = [match for _, cell in cells(path, "markdown") for match in EXERCISE.finditer(cell.source)]
    assert exercises, f"{notebook_id(path)} has no exercises"
    for match in exercises:
        assert re.match(r"\s*★{1,3}(?!★)", match["title"]), (
            f"{notebook_id(path)}: exercise {match['title'].strip()!r} must start with its difficulty, "
            "one to three stars (★, ★★, ★★★)"
        )
    assert any(re.search(r"^:class:.*\bderivation\b", m["body"], re.MULTILINE) for m in exercises), (
        f"{notebook_id(path)} has no pen-and-paper exercise (`:class: derivation`)"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=notebook_id)
def test_outputs_show_rounded_numbers(path):
    for index, cell in cells(path, "code"):
        for output in cell.outputs:
            texts = [output.get("text", "")]  # streams; below, displays and glued values
            texts += [data for mime, data in output.get("data", {}).items() if mime.startswith(("text/", "application/papermill"))]
            for text in texts:
                text = "".join(text) if isinstance(text, list) else text
                found = LONG_FLOAT.search(text)
                assert not found, (
                    f"{notebook_id(path)}, cell {index} stores the full repr {found.group()!r}: show it "
                    "rounded (lossbook.display.significant, or a format with fewer digits), or as a "
                    "bound that code checks if it is round-off"
                )


def test_the_bibliography_parses() -> None:
    """book/references.bib merges by union (.gitattributes), which can drop a closing brace."""
    import pybtex.database

    entries = pybtex.database.parse_file(str(BOOK / "references.bib")).entries
    assert entries and set(entries) == bibliography_keys()


def test_notebooks_needing_the_development_environment_are_listed_for_binder_check():
    """`make binder-check` skips DEV_NOTEBOOKS (Makefile): exactly the notebooks that import a library
    of requirements-dev.txt only (PyTorch, JAX, Keras, Optax), so that Binder's run of every other
    notebook cannot hide behind the list, and a notebook that needs them cannot break Binder."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    listed = set(re.search(r"^DEV_NOTEBOOKS := (.*)$", makefile, re.MULTILINE).group(1).split())
    dev_only = re.compile(r"^\s*(?:import|from)\s+(?:torch|jax|keras|optax)\b", re.MULTILINE)
    importing = {notebook_id(path) for path in NOTEBOOKS
                 if any(dev_only.search(cell.source) for _, cell in cells(path, "code"))}
    assert importing == listed, (
        f"DEV_NOTEBOOKS in the Makefile lists {sorted(listed)}, but the notebooks importing PyTorch, JAX, "
        f"Keras or Optax are {sorted(importing)}"
    )
