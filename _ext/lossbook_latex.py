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

- tables in a smaller type, with columns that wrap (:class:`TableColumnWidths`), and lines
  that may break after an underscore, so that the generated tables of losses, domains and
  names fit the text width;
- the page's margins of the class (a text block 17.5 cm wide), so that code and tables have
  the room they have on the website.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms.post_transforms import SphinxPostTransform

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
% Likewise after a hyphen that Sphinx writes as \sphinxhyphen (logistic-regression in code).
\let\lossbookunderscore\_
\renewcommand{\_}{\lossbookunderscore\allowbreak}
\let\lossbookhyphen\sphinxhyphen
\renewcommand{\sphinxhyphen}{\lossbookhyphen\allowbreak}
\pdfstringdefDisableCommands{\def\_{\textunderscore}\def\sphinxhyphen{-}}
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


class TableColumnWidths(SphinxPostTransform):
    """Give every table without stated widths columns as wide as their longest entry, capped.

    Without widths, LaTeX sets a long table's columns (``longtable{ll}``) on one line each and a
    short one's by tabulary's guess, and a table of seven columns or of long entries runs off
    the page. With widths, each column is a paragraph column that wraps, its share of the text
    width proportional to its longest entry (at most 40 characters), and never less than its
    longest word (a heading, a number, a formula) needs.
    """

    default_priority = 400
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for table in self.document.findall(nodes.table):
            if "colwidths-given" in table["classes"]:
                continue
            for group in table.findall(nodes.tgroup):
                specs = [child for child in group.children if isinstance(child, nodes.colspec)]
                longest = [0] * len(specs)
                word = [0] * len(specs)
                for row in group.findall(nodes.row):
                    entries = [child for child in row.children if isinstance(child, nodes.entry)]
                    for column, entry in enumerate(entries[: len(specs)]):
                        text = entry.astext()
                        longest[column] = max(longest[column], len(text))
                        # code type is wider than the text's, and its words do not break
                        factor = 1.8 if any(True for _ in entry.findall(nodes.literal)) else 1.3
                        word[column] = max([word[column], *(int(factor * len(w)) for w in text.split())])
                for spec, length, unbreakable in zip(specs, longest, word, strict=True):
                    # room for the longest word (a heading, a formula, a name in code type)
                    spec["colwidth"] = max(min(length, 40), unbreakable + 2, 4)
            table["classes"].append("colwidths-given")


def setup(app: Sphinx) -> dict[str, Any]:
    # After sphinx-jupyterbook-latex's own config-inited handler (default priority 500).
    app.connect("config-inited", use_sphinx_class, priority=900)
    app.add_post_transform(TableColumnWidths)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
