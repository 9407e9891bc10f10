/*
 * lossbook: small fixes to what Sphinx, the theme and MyST-NB put on a page.
 * Jupyter Book adds every script in _static/ to every page; tests/site/ checks
 * each page in Chromium (console errors, axe-core, offline reading).
 */
(function () {
  "use strict";

  // A site opened from its files (file://, e.g. _build/html/index.html with
  // no network): the browser refuses the requests Sphinx's search makes for
  // the text snippet under each result, and each refusal is a console error.
  // Search results are listed all the same; leave out the snippets there.
  // (Sphinx declares DOCUMENTATION_OPTIONS with const: it is not on window.)
  if (window.location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS === "object") {
    DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
  }

  // Accessibility: each fix names the axe-core rule that found the problem.
  function fix() {
    // aria-required-children: docutils writes a bibliography as role="list"
    // holding role="doc-biblioentry" entries, a DPUB role that DPUB-ARIA 1.1
    // deprecated and axe does not accept as a list item. Make them list items.
    document
      .querySelectorAll('.citation-list[role="list"] > [role="doc-biblioentry"]')
      .forEach(function (entry) {
        entry.setAttribute("role", "listitem");
      });

    // Icons are decoration next to a labelled button or link: hide the glyphs
    // (private-use characters from the icon font) from screen readers, as
    // Font Awesome's own script does. See _static/scripts/fontawesome.js.
    document
      .querySelectorAll(".fa, .fas, .far, .fab, .fa-solid, .fa-regular, .fa-brands")
      .forEach(function (icon) {
        if (!icon.textContent.trim() && !icon.hasAttribute("aria-label")) {
          icon.setAttribute("aria-hidden", "true");
        }
      });

    // label-content-name-mismatch (WCAG 2.5.3, label in name). The theme's
    // search buttons show "Search Ctrl+K" but are named "Search" by an
    // aria-label; without it their name is the text a reader sees.
    document
      .querySelectorAll(".search-button-field[aria-label]")
      .forEach(function (button) {
        button.removeAttribute("aria-label");
      });

    // Same rule: MyST-NB's toggles for hidden code show "Show code cell
    // source" but are named "Toggle hidden content"; name them by what they show.
    document
      .querySelectorAll('summary[aria-label="Toggle hidden content"]')
      .forEach(function (summary) {
        summary.removeAttribute("aria-label");
      });
    // summary-name: the sidebar's toggle that opens a chapter's sections
    // (Appendix C's module pages) holds only a chevron; name it after its chapter.
    document
      .querySelectorAll(".toctree-l1.has-children > details > summary")
      .forEach(function (summary) {
        var link = summary.parentElement.parentElement.querySelector(":scope > a");
        if (link && !summary.hasAttribute("aria-label")) {
          summary.setAttribute("aria-label", "Sections of " + link.textContent.trim());
        }
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fix);
  } else {
    fix();
  }
})();
