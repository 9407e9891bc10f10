"""Sphinx extension for the book's PDF (`make pdf`; loaded from _config.yml).

Jupyter Book's LaTeX support (sphinx-jupyterbook-latex) does two things for a PDF: transforms
that make the book a book (the Preface as front matter, the toc's captions as parts, hidden
cell inputs left out) and a LaTeX class, ``jupyterBook.cls``. The class requires the ``bbm``
package, which Debian ships only in ``texlive-fonts-extra`` (1.4 GB), for blackboard-bold
macros this book never uses. So the transforms stay and the class goes: after the extension
has set ``latex_theme = "jupyterBook"``, this sets it back to Sphinx's own ``manual`` and
defines, in the preamble, the two environments of the class that the transforms' output uses
(code cell inputs and outputs, as in the class: indented, on a light background).

The Preface gets its title back (the transforms print the root page's text without it).
The rest of the preamble keeps the printed page legible:

- tables in a smaller type, and lines that may break after an underscore, so that the
  generated tables of losses, domains and names fit the text width;
- the page's margins of the class (a text block 17.5 cm wide), so that code and tables have
  the room they have on the website.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

PREAMBLE = r"""
% -- lossbook (_ext/lossbook_latex.py) --------------------------------------------------
\usepackage[strict]{changepage}
\definecolor{CodeBlockInputBorderColor}{RGB}{204,204,204}
\definecolor{CodeBlockInputColor}{RGB}{247,247,247}
\definecolor{CodeBlockOutputBorderColor}{RGB}{247,247,247}
\definecolor{CodeBlockOutputColor}{RGB}{252,252,252}
% A code cell's input, and its output indented below it.
\newenvironment{sphinxVerbatimInput}
  {\colorlet{VerbatimBorderColor}{CodeBlockInputBorderColor}%
   \colorlet{VerbatimColor}{CodeBlockInputColor}%
   \begin{adjustwidth}{5pt}{}}
  {\end{adjustwidth}}
\newenvironment{sphinxVerbatimOutput}
  {\colorlet{VerbatimBorderColor}{CodeBlockOutputBorderColor}%
   \colorlet{VerbatimColor}{CodeBlockOutputColor}%
   \begin{adjustwidth}{20pt}{}}
  {\end{adjustwidth}}
% Tables in smaller type: the generated ones have up to seven columns.
\AtBeginEnvironment{tabulary}{\footnotesize}
\AtBeginEnvironment{longtable}{\footnotesize}
% A line may break after the underscore of a long name (binary_cross_entropy_with_logits),
% in prose, tables and inline code alike; bookmarks keep a plain underscore.
\let\lossbookunderscore\_
\renewcommand{\_}{\lossbookunderscore\allowbreak}
\pdfstringdefDisableCommands{\def\_{\textunderscore}}
% -----------------------------------------------------------------------------------------
"""


def root_title(app: Sphinx, config: Config) -> str:
    """The first heading of the book's root page (the Preface)."""
    for suffix in (".md", ".ipynb"):
        path = Path(app.srcdir) / f"{config.root_doc}{suffix}"
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "Preface"


def use_sphinx_class(app: Sphinx, config: Config) -> None:
    config["latex_theme"] = "manual"
    elements: dict[str, Any] = dict(config["latex_elements"])
    elements["preamble"] = elements.get("preamble", "") + PREAMBLE
    # The root page's text opens the book after the contents, but the transforms drop its
    # title: put it back as an unnumbered chapter, listed in the contents.
    title = root_title(app, config)
    elements["tableofcontents"] = (
        r"\sphinxtableofcontents" "\n"
        rf"\chapter*{{{title}}}\addcontentsline{{toc}}{{chapter}}{{{title}}}\markboth{{{title}}}{{{title}}}"
    )
    elements.setdefault("geometry", r"\usepackage[textwidth=17.5cm,textheight=22cm,centering]{geometry}")
    config["latex_elements"] = elements


def setup(app: Sphinx) -> dict[str, Any]:
    # After sphinx-jupyterbook-latex's own config-inited handler (default priority 500).
    app.connect("config-inited", use_sphinx_class, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
