"""Fixtures for the checks of the book's PDF (``make pdf`` builds it, then runs these)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PDF = ROOT / "_build" / "pdf" / "lossbook.pdf"
LATEX_LOG = ROOT / "_build" / "latex" / "lossbook.log"
PAGES = ROOT / "_build" / "pdf" / "pages"


def pdftotext(*args: str) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *args, str(PDF), "-"], check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture(scope="session")
def pages() -> list[str]:
    """The text of each page, in order (pdftotext separates pages by form feeds)."""
    if not PDF.is_file():
        pytest.fail(f"no PDF at {PDF}: run `make pdf`", pytrace=False)
    return pdftotext().split("\f")[:-1]


@pytest.fixture(scope="session")
def latex_log() -> str:
    return LATEX_LOG.read_text(encoding="utf-8", errors="replace")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not PDF.is_file():
        return
    info = subprocess.run(["pdfinfo", str(PDF)], capture_output=True, text=True).stdout
    count = next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")
    terminalreporter.section("the book as a PDF (tests/pdf)", sep="=")
    terminalreporter.write_line(f"{PDF.relative_to(ROOT)}: {count} pages, {PDF.stat().st_size / 1e6:.1f} MB")
    rendered = sorted(PAGES.glob("*.png")) if PAGES.is_dir() else []
    if rendered:
        terminalreporter.write_line(f"{len(rendered)} pages rendered to look at, in {PAGES.relative_to(ROOT)}/")
