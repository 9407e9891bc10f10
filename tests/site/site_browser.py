"""The machinery behind the browser tests: serving the site, visiting pages, measuring.

A local HTTP server on 127.0.0.1 serves ``_build/html`` (``serve``); Chromium (Debian's
``/usr/bin/chromium``, driven by Playwright's Python package; no browser is ever
downloaded) opens each page in a fresh context in which every request that is not for
that server is aborted and recorded (``Network``), so a page that needs a CDN fails here
exactly as it would fail for a reader without a network. ``SiteVisitor`` visits each page
once and keeps a ``PageReport`` of what the browser saw, which the tests then check.

Settings (environment variables):

- ``LOSSBOOK_CHROMIUM``: the Chromium to drive (default ``/usr/bin/chromium``);
- ``LOSSBOOK_SITE``: the built site (default ``_build/html``);
- ``LOSSBOOK_SCREENSHOTS``: where page screenshots go (default ``_build/screenshots``);
- ``LOSSBOOK_REQUIRE_BROWSER=1``: fail, instead of skipping, when the tests cannot run
  (``.ci/run`` sets it).
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import os
import queue
import re
import threading
import traceback
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("LOSSBOOK_SITE", ROOT / "_build" / "html")).resolve()
SCREENSHOTS = Path(os.environ.get("LOSSBOOK_SCREENSHOTS", ROOT / "_build" / "screenshots"))
CHROMIUM = Path(os.environ.get("LOSSBOOK_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
REQUIRE_BROWSER = os.environ.get("LOSSBOOK_REQUIRE_BROWSER", "") not in ("", "0")

#: Folders of the built site that hold assets, not pages.
ASSET_DIRS = {"_static", "_sources", "_images", "_downloads"}
#: A page with its images, scripts, styles and fonts must not transfer more than this.
PAGE_BUDGET_BYTES = 1_500_000
#: File types a web server sends compressed (every static host does; images and
#: woff/woff2 fonts are compressed formats already).
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".txt", ".xml", ".ttf", ".map", ".inv"}
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 20_000
#: Pages visited side by side, each by a Chromium of its own.
WORKERS = int(os.environ.get("LOSSBOOK_BROWSER_WORKERS", "2"))


def site_pages() -> list[str]:
    """Every HTML page of the built site, as paths relative to its root."""
    if not SITE.is_dir():
        return []
    return sorted(
        path.relative_to(SITE).as_posix()
        for path in SITE.rglob("*.html")
        if not ASSET_DIRS.intersection(path.relative_to(SITE).parts[:-1])
    )


PAGES = site_pages()


def skip_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not (SITE / "index.html").is_file():
        return f"no built site at {SITE}: build it first (`make book`, or `make test` builds it)"
    if not os.access(CHROMIUM, os.X_OK):
        return (
            f"no Chromium at {CHROMIUM}: install Debian's package (`apt-get install chromium`) "
            "or set LOSSBOOK_CHROMIUM; .ci/run installs it"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed: run `make install`"
    return None


SKIP_REASON = skip_reason()


def skip_module_unless_runnable() -> None:
    """Skip the calling test module, with the reason, when the browser tests cannot run.

    With LOSSBOOK_REQUIRE_BROWSER set nothing is skipped: the tests fail instead (conftest).
    """
    if SKIP_REASON is not None and not REQUIRE_BROWSER:
        import pytest

        pytest.skip(f"browser tests not run: {SKIP_REASON}", allow_module_level=True)


@dataclass
class Weight:
    """What a page transfers: bytes as sent (compressed where a server would), bytes on
    disk, the number of files, and its five heaviest files as (path, bytes sent)."""

    sent: int
    raw: int
    files: int
    heaviest: list[tuple[str, int]]


# --------------------------------------------------------------------------- server


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser that drops a connection it no longer needs is not a site error;
        # what the page itself failed to load is recorded on the browser's side.
        pass


@contextlib.contextmanager
def serve(directory: Path):
    """Serve ``directory`` over HTTP on 127.0.0.1 (a free port); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --------------------------------------------------------------------------- browser


@dataclass
class Network:
    """What a page asked the network for, as seen by the browser."""

    base: str
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    loaded: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def watch(self, context, page):
        local = re.compile("^" + re.escape(self.base))
        not_local = re.compile("^(?!" + re.escape(self.base) + ")")

        def block(route):
            self.blocked.append(route.request.url)
            route.abort("blockedbyclient")

        context.route(not_local, block)
        page.on("console", lambda message: self._console(message))
        page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))
        page.on("requestfailed", lambda request: self._failed(request))
        page.on("requestfinished", lambda request: self._finished(request, local))

    def _console(self, message):
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            self.console_errors.append(f"{message.text} ({where})" if where else message.text)

    def _failed(self, request):
        if request.url not in self.blocked:
            self.failed.append(f"{request.url}: {request.failure}")

    def _finished(self, request, local):
        response = request.response()
        if response is not None and response.status >= 400:
            self.failed.append(f"{request.url}: HTTP {response.status}")
        elif local.match(request.url):
            self.loaded.append(request.url)


# --------------------------------------------------------------------------- reading a page

#: In the page: wait for MathJax (when the page loaded it) to finish typesetting.
WAIT_FOR_MATHJAX = """async () => {
    const mj = window.MathJax;
    if (!mj || !mj.startup || !mj.startup.promise) return {loaded: false};
    await mj.startup.promise;
    return {loaded: true, version: mj.version};
}"""

#: In the page: what the checks need from the DOM.
READ_PAGE = r"""() => {
    // .sig: a function signature of Appendix C, whose default values are Python code
    const skip = "pre, code, .sig, script, style, textarea, mjx-container, mjx-assistive-mml";
    const visible = (el) => {
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return box.width > 0 && box.height > 0 && style.visibility !== "hidden"
            && style.display !== "none";
    };
    // Raw TeX left in the visible text: delimiters MathJax should have consumed.
    const rawTex = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const texPattern = /\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|\$[^$\s][^$\n]*?[\\^_{][^$\n]*?\$/;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || parent.closest(skip) || !visible(parent)) continue;
        const match = node.textContent.match(texPattern);
        if (match) {
            const at = Math.max(0, match.index - 30);
            rawTex.push(node.textContent.slice(at, match.index + 40).replace(/\s+/g, " "));
        }
    }
    const maths = Array.from(document.querySelectorAll(".math"));
    return {
        url: location.href,
        title: document.title,
        math: {
            count: maths.length,
            unrendered: maths.filter((m) => !m.querySelector("mjx-container"))
                .map((m) => m.textContent.trim().slice(0, 80)),
            errors: Array.from(document.querySelectorAll("mjx-merror"))
                .map((e) => e.getAttribute("data-mjx-error") || e.textContent.slice(0, 80)),
            containers: document.querySelectorAll("mjx-container").length,
            rawTex: rawTex,
        },
        images: Array.from(document.images).map((img) => ({
            src: img.getAttribute("src") || "",
            url: img.currentSrc || img.src,
            alt: img.getAttribute("alt"),
            loaded: img.complete && img.naturalWidth > 0,
            inContent: !!img.closest(".bd-article"),
            visible: visible(img),
        })),
        figures: Array.from(document.querySelectorAll("figure")).map((fig) => ({
            id: fig.id,
            alts: Array.from(fig.querySelectorAll("img")).map((img) => img.getAttribute("alt")),
            label: fig.getAttribute("aria-label") || "",
            svgLabels: Array.from(fig.querySelectorAll("svg[role=img]"))
                .map((svg) => svg.getAttribute("aria-label") || ""),
        })),
        links: Array.from(document.querySelectorAll("a[href]")).map((a) => ({
            href: a.href,
            raw: a.getAttribute("href"),
            text: a.textContent.trim().replace(/\s+/g, " ").slice(0, 60),
        })),
        ids: Array.from(document.querySelectorAll("[id], a[name]"))
            .map((el) => el.id || el.getAttribute("name")),
    };
}"""

#: In the page: run axe-core (injected beforehand) and keep what the report needs.
RUN_AXE = """async ([rules, exclude]) => {
    const options = {resultTypes: ["violations"]};
    if (rules) options.runOnly = {type: "rule", values: rules};
    const context = exclude ? {include: [["html"]], exclude: exclude.map((s) => [s])} : document;
    const results = await axe.run(context, options);
    return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        count: v.nodes.length,
        targets: v.nodes.slice(0, 4).map((n) => n.target.join(" ")),
    }));
}"""

#: In the page: the colours the reader sees, to check the dark theme is on.
READ_COLOURS = """() => {
    const colour = (el, prop) => getComputedStyle(el)[prop];
    const article = document.querySelector(".bd-article") || document.body;
    return {
        mode: document.documentElement.dataset.mode,
        theme: document.documentElement.dataset.theme,
        background: colour(document.body, "backgroundColor"),
        text: colour(article.querySelector("p") || article, "color"),
    };
}"""


@dataclass
class PageReport:
    """Everything one visit of a page recorded, for the checks in test_pages.py."""

    page: str
    url: str = ""
    title: str = ""
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)
    loaded: list[str] = field(default_factory=list)
    mathjax: dict = field(default_factory=dict)
    math: dict = field(default_factory=dict)
    images: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    axe: dict[str, list[dict] | None] = field(default_factory=dict)
    light: dict = field(default_factory=dict)
    dark: dict = field(default_factory=dict)
    dark_figures: list[dict] = field(default_factory=list)
    screenshots: list[Path] = field(default_factory=list)


def redirect_target(page: str) -> str | None:
    """Where a page sends the reader at once (``<meta http-equiv="refresh">``), if anywhere."""
    text = (SITE / page).read_text(encoding="utf-8", errors="replace")[:4000]
    match = re.search(r"""<meta\s+http-equiv=["']refresh["']\s+content=["'][^;"']*;\s*url=([^"']+)""", text, re.I)
    if not match:
        return None
    return (PurePosixPath(page).parent / match[1].strip()).as_posix().removeprefix("./")


class SiteVisitor:
    """Visits pages in Chromium, each once, and keeps what each visit recorded.

    Pages are visited by ``WORKERS`` threads, each driving a Chromium of its own
    (Playwright's API is not thread-safe, so every thread has its own instance); the
    visits are browser-bound, so two of them run side by side on a 2-core machine.
    ``schedule`` queues pages; ``report`` returns a page's report, visiting it first if
    nobody has yet, and re-raises whatever went wrong during its visit.
    """

    def __init__(self, base_url: str, workers: int = WORKERS):
        self.base = base_url
        self.workers = workers
        self.reports: dict[str, PageReport] = {}
        self.errors: dict[str, str] = {}
        self.weights: dict[str, Weight] = {}
        self.screenshot_count = 0
        self.axe_source = AXE.read_text(encoding="utf-8") if AXE.is_file() else None
        self._done: dict[str, threading.Event] = {}
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def schedule(self, pages) -> None:
        with self._lock:
            for page in pages:
                if page not in self._done:
                    self._done[page] = threading.Event()
                    self._queue.put(page)
            while len(self._threads) < self.workers:
                thread = threading.Thread(target=self._work, name=f"site-visitor-{len(self._threads)}", daemon=True)
                self._threads.append(thread)
                thread.start()

    def report(self, page: str) -> PageReport:
        self.schedule([page])
        if not self._done[page].wait(timeout=300):
            raise TimeoutError(f"visiting {page} took more than 300 s")
        if page in self.errors:
            raise RuntimeError(f"visiting {page} failed:\n{self.errors[page]}")
        return self.reports[page]

    def close(self) -> None:
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout=60)

    def _work(self) -> None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
            try:
                while (page := self._queue.get()) is not None:
                    try:
                        self.reports[page] = self._visit(browser, page)
                    except Exception:  # reported by report(page), in the test of that page
                        self.errors[page] = traceback.format_exc()
                    finally:
                        self._done[page].set()
            finally:
                browser.close()

    def _visit(self, browser, path: str) -> PageReport:
        context = browser.new_context(viewport=VIEWPORT, color_scheme="light", reduced_motion="reduce")
        context.set_default_timeout(TIMEOUT_MS)
        try:
            page = context.new_page()
            network = Network(self.base)
            network.watch(context, page)
            report = PageReport(page=path)
            page.goto(self.base + path, wait_until="load")
            if target := redirect_target(path):  # index.html sends the reader to the first page
                page.wait_for_url(self.base + target)
                page.wait_for_load_state("load")
            report.mathjax = page.evaluate(WAIT_FOR_MATHJAX)
            page.evaluate("() => document.fonts.ready.then(() => true)")  # MathJax's fonts, the icons'
            self._record_weight(path, network.loaded)

            dom = page.evaluate(READ_PAGE)
            report.url, report.title = dom["url"], dom["title"]
            report.math, report.images, report.figures = dom["math"], dom["images"], dom["figures"]
            report.links, report.ids = dom["links"], set(dom["ids"])
            report.light = page.evaluate(READ_COLOURS)
            report.screenshots.append(self._screenshot(page, path, "", full_page=True))
            report.axe["light"] = self._axe(page)

            report.dark = self._switch_to_dark(page)
            report.dark_figures = self._figure_contrast(page, path)
            # Colours are all that changes with the mode: check their contrast again,
            # except in code blocks. Those are half of a chapter's elements and most of
            # the time axe takes, and their colours are the theme's syntax-highlighting
            # palette for dark mode (an accessible one), the same on every page.
            report.axe["dark"] = self._axe(page, rules=["color-contrast", "link-in-text-block"], exclude=["pre"])
            # The dark screenshot shows the first figure, if any (else the top of the page).
            page.evaluate(
                "() => { const img = document.querySelector('.bd-article img');"
                " if (img) img.scrollIntoView({block: 'center'}); else window.scrollTo(0, 0); }"
            )
            report.screenshots.append(self._screenshot(page, path, "-dark", full_page=False))

            report.console_errors = list(network.console_errors)
            report.failed_requests = list(network.failed)
            report.blocked_requests = list(network.blocked)
            report.loaded = list(network.loaded)
            return report
        finally:
            context.close()

    def _axe(self, page, rules: list[str] | None = None, exclude: list[str] | None = None) -> list[dict] | None:
        if self.axe_source is None:
            return None
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(content=self.axe_source)
        return page.evaluate(RUN_AXE, [rules, exclude])

    def _switch_to_dark(self, page) -> dict:
        """Click the theme's colour-mode switch until the page is dark, as a reader would."""
        switch = page.locator(".theme-switch-button:visible").first
        clicks = 0
        while clicks < 3 and page.evaluate("() => document.documentElement.dataset.mode") != "dark":
            switch.click()
            clicks += 1
        # Let the theme's colour transitions finish: axe measures the colours on screen.
        page.evaluate("() => Promise.all(document.getAnimations().map((a) => a.finished)).then(() => true)")
        return {**page.evaluate(READ_COLOURS), "clicks": clicks}

    def _figure_contrast(self, page, path: str) -> list[dict]:
        """Luminance of each content image as drawn on screen in dark mode (saved for review)."""
        measures = []
        images = page.locator(".bd-article img")
        for index in range(images.count()):
            image = images.nth(index)
            box = image.bounding_box()
            if not box or box["width"] < 48 or box["height"] < 48:
                continue
            png = image.screenshot(animations="disabled")
            target = SCREENSHOTS / f"{path.removesuffix('.html')}-dark-figure-{len(measures) + 1}.png"
            target.write_bytes(png)
            measures.append({**image_luminance(png), "src": image.get_attribute("src") or ""})
        return measures

    def _screenshot(self, page, path: str, suffix: str, full_page: bool) -> Path:
        # JPEG: a long chapter's full-page screenshot is encoded two to three times
        # faster than as PNG, and a reviewer reads it just as well.
        target = SCREENSHOTS / (path.removesuffix(".html") + suffix + ".jpeg")
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target), full_page=full_page, type="jpeg", quality=80, animations="disabled")
        with self._lock:
            self.screenshot_count += 1
        return target

    def _record_weight(self, page: str, urls: list[str]) -> None:
        sizes = {}
        for url in urls:
            path = unquote(urlsplit(url).path).lstrip("/")
            file = SITE / path
            if file.is_dir():
                file = file / "index.html"
            if file.is_file():
                sizes[path] = file_sizes(file)
        self.weights[page] = Weight(
            sent=sum(sent for sent, _ in sizes.values()),
            raw=sum(raw for _, raw in sizes.values()),
            files=len(sizes),
            heaviest=sorted(((path, sent) for path, (sent, _) in sizes.items()), key=lambda item: -item[1])[:5],
        )


@functools.cache
def file_sizes(file: Path) -> tuple[int, int]:
    """(bytes sent, bytes on disk) for one file of the site."""
    data = file.read_bytes()
    if file.suffix.lower() in COMPRESSIBLE:
        return len(gzip.compress(data, compresslevel=6)), len(data)
    return len(data), len(data)


def relative_luminance(rgb):
    """WCAG relative luminance of sRGB values in 0..255 (any array shape, last axis RGB)."""
    import numpy as np

    channels = np.asarray(rgb, dtype=float)[..., :3] / 255.0
    linear = np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def contrast_ratio(a: float, b: float) -> float:
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)


def image_luminance(png: bytes) -> dict:
    """Background and ink luminance of an on-screen image (a PNG screenshot of it).

    The background is the median of a 3-pixel ring at the edge (the theme's padding, or
    the figure's own margin); the ink is the pixels that differ most from it (1st or 99th
    luminance percentile, whichever is farther from the background).
    """
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    luminance = relative_luminance(pixels)
    ring = np.concatenate([
        luminance[:3].ravel(), luminance[-3:].ravel(),
        luminance[:, :3].ravel(), luminance[:, -3:].ravel(),
    ])
    background = float(np.median(ring))
    low, high = (float(value) for value in np.percentile(luminance, [1, 99]))
    ink = low if abs(background - low) >= abs(high - background) else high
    return {
        "background": round(background, 3),
        "ink": round(ink, 3),
        "contrast": round(contrast_ratio(background, ink), 2),
    }


# --------------------------------------------------------------------------- the site on disk


class _IdCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value or "")


@functools.cache
def page_ids(file: Path) -> frozenset[str]:
    """The ids (anchor targets) of a built HTML page."""
    collector = _IdCollector()
    collector.feed(file.read_text(encoding="utf-8", errors="replace"))
    return frozenset(collector.ids)


class _ArticleText(HTMLParser):
    """The text of a page's article (what Sphinx's search indexes), without scripts and styles."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        if self.depth:
            self.depth += 1
        elif "bd-article" in (dict(attrs).get("class") or "").split():
            self.depth = 1
        if self.depth and tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self.depth and tag in ("script", "style") and self.skip:
            self.skip -= 1
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.parts.append(data)


@functools.cache
def article_text(file: Path) -> str:
    parser = _ArticleText()
    parser.feed(file.read_text(encoding="utf-8", errors="replace"))
    return " ".join(parser.parts)
