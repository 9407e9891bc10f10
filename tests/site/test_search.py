"""The site's search, used as a reader uses it: from a page's search box.

What a search must return is read from the book itself, so the test stays right as
chapters are added: every page whose source (its Markdown, or its notebook's Markdown and
code cells) mentions the term must be found, and every page found must at least contain
the words of the term in its text. "Huber" will find the regression-losses chapter once
that chapter is in the table of contents; until then it finds whatever mentions Huber.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
import yaml

from .site_browser import ROOT, SITE, article_text, skip_module_unless_runnable

skip_module_unless_runnable()

TERMS = ["Huber", "cross-entropy"]


def toc_docnames() -> list[str]:
    """Every document the table of contents lists (root, chapters, sections)."""
    names = []

    def walk(entry):
        if isinstance(entry, dict):
            names.extend(entry[key] for key in ("root", "file") if key in entry)
            for value in entry.values():
                if isinstance(value, (dict, list)):
                    walk(value)
        elif isinstance(entry, list):
            for item in entry:
                walk(item)

    walk(yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8")))
    return [name.removesuffix(".md").removesuffix(".ipynb") for name in names]


def source_text(docname: str) -> str | None:
    """The text a reader's search should see in a page's source, as the site copied it.

    For a notebook: its Markdown and code cells, not its outputs or metadata (stored
    images are base64 text that can contain any short word).
    """
    for source in sorted((SITE / "_sources").glob(f"{docname}.*")):
        text = source.read_text(encoding="utf-8")
        if source.name.endswith(".ipynb"):
            cells = json.loads(text)["cells"]
            text = "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] in ("markdown", "code"))
        # A directive's options (:alt: text of a figure) are not indexed for search.
        return "\n".join(line for line in text.splitlines() if not re.match(r"\s*:[\w-]+:", line))
    return None


def mentions(text: str, term: str) -> bool:
    words = re.split(r"[-\s]+", term)
    pattern = r"(?<!\w)" + r"[-\s]+".join(map(re.escape, words)) + r"(?!\w)"
    return re.search(pattern, text, re.IGNORECASE) is not None


def could_match(text: str, term: str) -> bool:
    """Whether a page's text holds every word of the term (allowing the stemmed forms that
    Sphinx's search also matches, such as "entropies" for "entropy")."""
    for word in re.split(r"[-\s]+", term):
        stem = word[:-1] if len(word) > 4 else word
        if not re.search(r"(?<![A-Za-z])" + re.escape(stem), text, re.IGNORECASE):
            return False
    return True


def search_from_page(page, term: str) -> set[str]:
    """Type the term into the page's search box, submit, and return the pages found."""
    page.locator(".search-button-field:visible").first.click()
    box = page.locator("#pst-search-dialog input[name=q]")
    box.fill(term)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\.html\?"))
    page.wait_for_function(
        "() => /Search finished|did not match/.test("
        "document.querySelector('#search-results .search-summary')?.textContent || '')"
    )
    hrefs = page.eval_on_selector_all("#search-results ul.search > li > a", "links => links.map((a) => a.href)")
    base = urlsplit(page.url)
    return {
        urlsplit(href).path.removeprefix("/")
        for href in hrefs
        if urlsplit(href).netloc == base.netloc
    }


@pytest.mark.parametrize("term", TERMS)
def test_search_finds_the_pages_that_mention_the_term(open_page, term):
    docnames = toc_docnames()
    texts = {f"{name}.html": source_text(name) for name in docnames}
    assert all(text is not None for text in texts.values()), (
        f"no source copied to {SITE / '_sources'} for: {[p for p, t in texts.items() if t is None]}"
    )
    expected = {page for page, text in texts.items() if mentions(text, term)}

    page, network = open_page(f"{docnames[0]}.html")
    found = search_from_page(page, term)

    missing = sorted(expected - found)
    assert not missing, f"searching {term!r} did not find pages that mention it: {missing} (found {sorted(found)})"
    wrong = sorted(p for p in found if not (SITE / p).is_file() or not could_match(article_text(SITE / p), term))
    assert not wrong, f"searching {term!r} found pages that do not contain it: {wrong}"
    assert not network.console_errors and not network.failed and not network.blocked, (
        f"searching {term!r}: {network.console_errors + network.failed + network.blocked}"
    )
