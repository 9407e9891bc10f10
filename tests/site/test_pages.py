"""Every page of the built site, checked in Chromium the way a reader meets it.

One visit per page (see ``conftest.SiteVisitor``) records what the browser saw; each test
below checks one aspect of it, so a failure names the page and the problem:

- the page loads with no console error, no failed request and nothing fetched from
  outside the site (every non-local request is blocked and reported);
- math is typeset by MathJax, without errors, and no raw TeX is left in the visible text;
- every image and figure has real alt text (not empty, not a file name);
- every internal link points at a file of the site, and every anchor at an id there;
- the dark-mode switch turns the page dark, and figures stay legible in it;
- axe-core finds no serious or critical accessibility violation, in light or dark mode;
- the page with everything it loads stays within the page-weight budget;
- a full-page screenshot (light and dark) is saved under ``_build/screenshots/``.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest

from .site_browser import (
    PAGE_BUDGET_BYTES,
    PAGES,
    SITE,
    contrast_ratio,
    page_ids,
    relative_luminance,
    skip_module_unless_runnable,
)

skip_module_unless_runnable()

pages = pytest.mark.parametrize("page", PAGES)

#: axe-core impact levels that fail the suite.
BLOCKING_IMPACTS = {"serious", "critical"}
#: In dark mode a figure keeps a light background (the theme dims figures a little, to
#: about 0.45 relative luminance, against a page background near 0) ...
FIGURE_MIN_BACKGROUND = 0.3
#: ... and its content keeps WCAG's contrast for graphics (1.4.11) against it.
FIGURE_MIN_CONTRAST = 3.0
#: Alt text that is only a file name or path: what Sphinx writes when a figure has none.
FILE_NAME_ALT = re.compile(r"^\S*\.(png|jpe?g|gif|svg|webp)$", re.IGNORECASE)


def listing(items, limit=12):
    items = list(items)
    shown = "\n  ".join(str(item) for item in items[:limit])
    more = f"\n  ... and {len(items) - limit} more" if len(items) > limit else ""
    return f"\n  {shown}{more}"


@pages
def test_page_loads_without_errors(site, page):
    report = site.report(page)
    problems = (
        [f"console error: {message}" for message in report.console_errors]
        + [f"failed request: {request}" for request in report.failed_requests]
        + [f"request outside the site (blocked): {url}" for url in report.blocked_requests]
    )
    assert not problems, f"{page}:{listing(problems)}"


@pages
def test_math_is_rendered(site, page):
    report = site.report(page)
    math = report.math
    if math["count"]:
        loaded = bool(report.mathjax.get("loaded"))
        assert loaded, (
            f"{page} has {math['count']} formulas but MathJax did not load "
            "(is it vendored? `make install`, and mathjax_path in _config.yml)"
        )
        assert not math["unrendered"], f"{page}: formulas MathJax did not typeset:{listing(math['unrendered'])}"
        assert not math["errors"], f"{page}: MathJax errors:{listing(math['errors'])}"
    assert not math["rawTex"], f"{page}: raw TeX in the visible text:{listing(math['rawTex'])}"


@pages
def test_images_and_figures_have_alt_text(site, page):
    report = site.report(page)
    problems = []
    for image in report.images:
        alt = (image["alt"] or "").strip()
        if not alt:
            problems.append(f"no alt text: {image['src']}")
        elif FILE_NAME_ALT.match(alt) or alt == image["src"]:
            problems.append(f"alt text is only a file name ({alt!r}): {image['src']}")
        if not image["loaded"]:
            problems.append(f"image did not load: {image['src']}")
    for figure in report.figures:
        labels = [alt for alt in figure["alts"] if alt and alt.strip() and not FILE_NAME_ALT.match(alt.strip())]
        labels += [label for label in figure["svgLabels"] if label.strip()]
        if not labels and not figure["label"].strip():
            problems.append(f"figure {figure['id'] or '(no id)'} has no image with alt text")
    assert not problems, f"{page}:{listing(problems)}"


@pages
def test_internal_links_and_anchors_resolve(site, page):
    report = site.report(page)
    base = site.base
    current = SITE / page
    problems = []
    for link in report.links:
        href = link["href"]
        if not href.startswith(base):
            continue  # another site (not reachable here), mailto:, javascript:
        parts = urlsplit(href)
        target = SITE / unquote(parts.path).lstrip("/")
        if parts.path.endswith("/") or target.is_dir():
            target = target / "index.html"
        where = f"{link['raw']!r} ({link['text'] or 'no text'})"
        if not target.is_file():
            problems.append(f"{where}: no file {target.relative_to(SITE)}")
            continue
        fragment = unquote(parts.fragment)
        if not fragment or target.suffix != ".html":
            continue
        ids = report.ids if target.resolve() == current.resolve() else page_ids(target)
        if fragment not in ids:
            problems.append(f"{where}: no id {fragment!r} in {target.relative_to(SITE)}")
    assert not problems, f"{page}: broken internal links:{listing(problems)}"


def _luminance(css_colour: str) -> float:
    numbers = [float(n) for n in re.findall(r"[\d.]+", css_colour)[:3]]
    return float(relative_luminance(numbers))


@pages
def test_dark_mode_switch_and_figures(site, page):
    report = site.report(page)
    dark = report.dark
    assert dark["mode"] == "dark" and dark["theme"] == "dark", (
        f"{page}: the colour-mode switch did not turn on dark mode after {dark['clicks']} clicks: {dark}"
    )
    background, text = _luminance(dark["background"]), _luminance(dark["text"])
    assert background < 0.05, f"{page}: the page background stays light in dark mode ({dark['background']})"
    assert contrast_ratio(background, text) >= 4.5, (
        f"{page}: text {dark['text']} on {dark['background']} is hard to read in dark mode"
    )
    problems = []
    for figure in report.dark_figures:
        name = PurePosixPath(figure["src"]).name
        if figure["background"] < FIGURE_MIN_BACKGROUND:
            problems.append(f"{name}: dark background ({figure['background']}) in dark mode")
        if figure["contrast"] < FIGURE_MIN_CONTRAST:
            problems.append(f"{name}: content contrast {figure['contrast']}:1 against its background")
    assert not problems, f"{page}: figures not legible in dark mode:{listing(problems)}"


@pages
def test_accessibility_axe(site, page):
    report = site.report(page)
    assert report.axe.get("light") is not None, (
        "axe-core is not installed (node_modules/axe-core): run `make install`"
    )
    blocking = [
        f"[{mode}] {v['impact']}: {v['id']} ({v['help']}), {v['count']} element(s): {', '.join(v['targets'])}"
        for mode, violations in report.axe.items()
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, f"{page}: axe-core violations:{listing(blocking)}"


@pages
def test_page_weight(site, page):
    site.report(page)
    weights = site.weights
    weight = weights[page]
    heaviest = sorted(weights.items(), key=lambda item: -item[1].sent)[:5]
    assert weight.sent <= PAGE_BUDGET_BYTES, (
        f"{page} weighs {weight.sent / 1e6:.2f} MB with what it loads ({weight.files} files, "
        f"{weight.raw / 1e6:.2f} MB on disk); the budget is {PAGE_BUDGET_BYTES / 1e6:.2f} MB.\n"
        f"Its heaviest files:{listing(f'{path}: {size / 1e3:.0f} kB' for path, size in weight.heaviest)}\n"
        f"Heaviest pages so far:{listing(f'{name}: {w.sent / 1e6:.2f} MB' for name, w in heaviest)}"
    )


@pages
def test_screenshots_saved(site, page):
    report = site.report(page)
    for screenshot in report.screenshots:
        assert screenshot.is_file() and screenshot.stat().st_size > 0, f"no screenshot at {screenshot}"
