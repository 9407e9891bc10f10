"""Fixtures for the browser tests of the built site, and the summary they print.

The suite needs a built site (``_build/html``) and a Chromium. Without either it is
skipped, and the end of the pytest run says so in a section of its own, so a local
``make test`` on a machine without Chromium cannot pass for a browser-tested one. With
``LOSSBOOK_REQUIRE_BROWSER=1`` (``.ci/run`` sets it) the same cases fail instead.
See ``site_browser.py`` for how pages are served, visited and measured.
"""

from __future__ import annotations

import pytest

from .site_browser import (
    CHROMIUM,
    PAGE_BUDGET_BYTES,
    REQUIRE_BROWSER,
    SCREENSHOTS,
    SITE,
    SKIP_REASON,
    TIMEOUT_MS,
    VIEWPORT,
    Network,
    SiteVisitor,
    serve,
)

VISITOR_KEY = pytest.StashKey[SiteVisitor]()


@pytest.fixture(scope="session", autouse=True)
def _browser_prerequisites():
    if SKIP_REASON is not None and REQUIRE_BROWSER:
        pytest.fail(f"LOSSBOOK_REQUIRE_BROWSER is set, but {SKIP_REASON}", pytrace=False)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    write = terminalreporter.write_line
    if SKIP_REASON is not None and not REQUIRE_BROWSER:
        terminalreporter.section("browser tests of the site (tests/site)", sep="=", yellow=True, bold=True)
        write(f"SKIPPED, NOT RUN: {SKIP_REASON}", yellow=True, bold=True)
        return
    visitor = config.stash.get(VISITOR_KEY, None)
    if visitor is None or not visitor.weights:
        return
    terminalreporter.section("page weight (tests/site)", sep="=")
    write(
        f"{len(visitor.weights)} pages of {SITE}, Chromium {CHROMIUM}. Budget "
        f"{PAGE_BUDGET_BYTES / 1e6:.2f} MB per page with everything it loads, as sent "
        "(html, css, js, svg gzip-compressed as any web server sends them; images and fonts as they are)."
    )
    write(f"{'heaviest pages':44} {'sent':>9} {'on disk':>9} {'files':>6}  heaviest file")
    ranked = sorted(visitor.weights.items(), key=lambda item: -item[1].sent)
    for page, weight in ranked[:8]:
        top = weight.heaviest[0] if weight.heaviest else ("", 0)
        write(
            f"{page:44} {weight.sent / 1e6:>7.3f}MB {weight.raw / 1e6:>7.3f}MB {weight.files:>6}"
            f"  {top[0]} ({top[1] / 1e3:.0f} kB)"
        )
    write(f"{visitor.screenshot_count} screenshots (light and dark) in {SCREENSHOTS}")


@pytest.fixture(scope="session")
def base_url():
    """The built site, served over HTTP on 127.0.0.1 for the whole session."""
    with serve(SITE) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def open_page(browser, base_url):
    """Open a page of the served site in a fresh browser context; returns (page, Network).

    Everything outside the site is blocked and recorded in the Network, as in every visit.
    """
    contexts = []

    def open_(path: str):
        context = browser.new_context(viewport=VIEWPORT, color_scheme="light", reduced_motion="reduce")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        network = Network(base_url)
        network.watch(context, page)
        page.goto(base_url + path, wait_until="load")
        return page, network

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def site(base_url, request):
    """The pages of the built site, each visited once (see SiteVisitor).

    Every page that a selected test asks about is queued at once, so that the visits
    run side by side while the tests read their reports in order.
    """
    visitor = SiteVisitor(base_url)
    request.config.stash[VISITOR_KEY] = visitor
    wanted = [
        item.callspec.params["page"]
        for item in request.session.items
        if hasattr(item, "callspec") and "page" in item.callspec.params and "site" in item.fixturenames
    ]
    visitor.schedule(dict.fromkeys(wanted))
    yield visitor
    visitor.close()
