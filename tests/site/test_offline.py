"""The site opened from its files, with the network off, as the Preface promises.

A reader who builds the book and opens ``_build/html/index.html`` gets a ``file://``
site and, perhaps, no network. Chromium is told it is offline and every request that is
not for a local file is blocked; the page must still typeset its math, link to the next
chapter, and search.
"""

from __future__ import annotations

import re

import pytest

from .site_browser import PAGES, SITE, TIMEOUT_MS, VIEWPORT, WAIT_FOR_MATHJAX, skip_module_unless_runnable

skip_module_unless_runnable()


def first_page_with_math() -> str | None:
    for page in PAGES:
        if 'class="math' in (SITE / page).read_text(encoding="utf-8", errors="replace"):
            return page
    return None


@pytest.fixture
def offline_page(browser):
    context = browser.new_context(viewport=VIEWPORT, offline=True)
    context.set_default_timeout(TIMEOUT_MS)
    blocked, errors = [], []

    def block(route):
        blocked.append(route.request.url)
        route.abort("internetdisconnected")

    context.route(re.compile(r"^(?!file://)"), block)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.on("requestfailed", lambda request: errors.append(f"failed: {request.url}: {request.failure}"))
    yield page, blocked, errors
    context.close()


def test_math_navigation_and_search_work_from_files_offline(offline_page):
    page, blocked, errors = offline_page
    start = first_page_with_math()
    if start is None:
        pytest.skip("no page of the site has math")

    page.goto((SITE / start).as_uri(), wait_until="load")
    mathjax = page.evaluate(WAIT_FOR_MATHJAX)
    assert mathjax.get("loaded"), f"{start}: MathJax did not load from the site's files"
    unrendered = page.evaluate(
        "() => Array.from(document.querySelectorAll('.math')).filter((m) => !m.querySelector('mjx-container')).length"
    )
    assert page.locator("mjx-container").count() > 0 and unrendered == 0, f"{start}: math not typeset offline"

    # Navigation: the "next" link at the foot of the page opens the next page.
    following = page.locator("a.right-next")
    if following.count():
        title = following.first.locator(".prev-next-title").inner_text()
        following.first.click()
        page.wait_for_load_state("load")
        assert title.strip() in page.title(), f"following the next link from {start} opened {page.url}"

    # Search: the search page finds the book's pages from the local search index.
    page.goto((SITE / "search.html").as_uri() + "?q=loss", wait_until="load")
    page.wait_for_function(
        "() => /Search finished|did not match/.test("
        "document.querySelector('#search-results .search-summary')?.textContent || '')"
    )
    assert page.locator("#search-results ul.search > li").count() > 0, "searching 'loss' offline found nothing"

    assert not blocked, f"requests to the network while reading offline: {blocked}"
    assert not errors, f"errors while reading offline: {errors}"
