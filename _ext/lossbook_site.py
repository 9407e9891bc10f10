"""Sphinx extension with two fixes the site's build needs (loaded from _config.yml).

1. The vendored MathJax must be there. The site serves MathJax itself (see _config.yml);
   a build run before ``make install`` copied it would produce pages whose equations
   never render offline, so the build stops with the command that fixes it.

2. Each inline script appears once per page. Sphinx 7.4 adds an inline script that an
   extension registers after the builder has started (as sphinx-thebe and
   sphinx-togglebutton do) to every page twice; sphinx-thebe's ``const THEBE_JS_URL``
   declared twice is a JavaScript error on every page. Sphinx fixed this in 8.2
   (sphinx-doc/sphinx#13402), which Jupyter Book 1.x cannot use; remove this part once
   the book builds with a Sphinx that has the fix.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ConfigError


def check_mathjax_is_vendored(app: Sphinx) -> None:
    path = app.config.mathjax_path
    if "://" in path or path.startswith("/"):
        return
    folders = [*app.config.html_static_path, *(Path(extra) / "_static" for extra in app.config.html_extra_path)]
    if not any((Path(app.srcdir) / folder / path).is_file() for folder in folders):
        raise ConfigError(
            f"mathjax_path is {path!r}, but no static folder of the book has that file: "
            "run `make install` (it installs MathJax with npm and copies it to _vendor/)"
        )


def _script_key(script) -> tuple:
    attributes = getattr(script, "attributes", {}) or {}
    return (
        getattr(script, "filename", script) or "",
        getattr(script, "priority", None),
        tuple(sorted(attributes.items())),
    )


def drop_duplicate_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen = set()
    unique = []
    for script in scripts:
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


#: Where ``make pdf`` leaves the book's PDF, relative to the book's root.
BOOK_PDF = Path("_build") / "pdf" / "lossbook.pdf"


def book_pdf(app: Sphinx) -> Path | None:
    path = Path(app.srcdir) / BOOK_PDF
    return path if app.builder.format == "html" and path.is_file() else None


def add_pdf_download(app, pagename, templatename, context, doctree) -> None:
    if book_pdf(app) is None:
        return
    for button in context.get("header_buttons", []):
        if button.get("label") == "download-buttons":
            button["buttons"].append({
                "type": "link",
                "url": context["pathto"](BOOK_PDF.name, 1),
                "text": "Whole book (.pdf)",
                "tooltip": "Download the whole book as one PDF",
                "icon": "fas fa-book",
                "label": "download-book-pdf-button",
            })


def copy_pdf(app: Sphinx, exception: Exception | None) -> None:
    pdf = book_pdf(app)
    if exception is None and pdf is not None:
        shutil.copyfile(pdf, Path(app.outdir) / BOOK_PDF.name)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", check_mathjax_is_vendored)
    # Late, so that the scripts other extensions add to this page are there already.
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    # After sphinx-book-theme has made the page's download menu.
    app.connect("html-page-context", add_pdf_download, priority=600)
    app.connect("build-finished", copy_pdf)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
