"""Run it: each notebook page can be launched on Binder, made live (Thebe) and downloaded.

The buttons derive from one setting, ``repository.url`` in ``_config.yml`` (with its
branch and the BinderHub URL), so the expected links are computed from that file: a
fork that changes the URL gets buttons for the fork and these tests keep passing.
Thebe's script comes from a CDN, and only when a reader clicks "Live Code"; the page
itself fetches nothing from outside the site (checked for every page in test_pages.py).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import yaml

from .site_browser import PAGES, ROOT, SITE, skip_module_unless_runnable

skip_module_unless_runnable()

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
NOTEBOOK_PAGES = [page for page in PAGES if (SITE / "_sources" / page).with_suffix(".ipynb").is_file()]


def binder_url(page: str) -> str:
    repository, launch = CONFIG["repository"], CONFIG["launch_buttons"]
    org_repo = urlsplit(repository["url"]).path.strip("/").removesuffix(".git")
    path = repository.get("path_to_book", "").strip("/")
    notebook = f"{path}/{page}" if path else page
    interface = "lab/tree/" if launch.get("notebook_interface") == "jupyterlab" else "tree/"
    return (
        f"{launch['binderhub_url'].rstrip('/')}/v2/gh/{org_repo}/{repository['branch']}"
        f"?urlpath={interface}{notebook.removesuffix('.html')}.ipynb"
    )


def test_book_has_notebook_pages():
    assert NOTEBOOK_PAGES, f"no page of {SITE} comes from a notebook"


@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_launch_and_download_buttons(page):
    html = (SITE / page).read_text(encoding="utf-8")
    assert f'href="{binder_url(page)}"' in html, f"{page}: no Binder button for {binder_url(page)}"
    assert 'onclick="initThebeSBT()"' in html, f"{page}: no Live Code (Thebe) button"
    depth = "../" * page.count("/")
    download = f'href="{depth}_sources/{page.removesuffix(".html")}.ipynb"'
    assert download in html, f"{page}: no button to download the notebook"
    issues = CONFIG["repository"]["url"].rstrip("/") + "/issues/new"
    assert issues in html, f"{page}: no issue button for {CONFIG['repository']['url']}"


def test_live_code_fetches_thebe_only_when_clicked(open_page):
    if not NOTEBOOK_PAGES:
        pytest.skip("no notebook pages")
    page, network = open_page(NOTEBOOK_PAGES[0])
    page.evaluate("() => document.fonts.ready.then(() => true)")
    assert not network.blocked, f"requests outside the site before any click: {network.blocked}"

    page.locator(".dropdown-launch-buttons button.dropdown-toggle").first.click()
    with page.expect_request(lambda request: "thebe" in request.url and request.url.startswith("http")) as thebe:
        page.locator(".btn-launch-thebe").first.click()
    assert urlsplit(thebe.value.url).path.endswith(".js"), f"clicking Live Code requested {thebe.value.url}"
    assert thebe.value.url in network.blocked, "the test should have blocked Thebe's script"
