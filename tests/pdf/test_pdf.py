"""The book's PDF, checked as a reader would find it (``make pdf`` runs this after building it).

A PDF that nobody looks at breaks quietly: a chapter missing from the table of contents, a
figure that did not make it, raw TeX or Markdown where the converter gave up, a reference
printed as "??", a table running off the page, a solution printed as if it were part of its
exercise. Each test reads the PDF's text (``pdftotext``) or the LaTeX log for one of these.
The last renders pages (``pdftoppm``) into ``_build/pdf/pages/`` for a person to look at.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import yaml

from .conftest import LATEX_LOG, PAGES, PDF, ROOT

#: How far a line may run into the right margin (TeX's "Overfull \hbox (...pt too wide)"):
#: a few points are invisible; more would be cut or collide with the page edge.
OVERFULL_LIMIT_PT = 20.0


def toc_files(sections: bool = True) -> list[str]:
    """The root, the chapters and appendices, and (``sections``) the pages under them."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            files.append(entry["file"])
            if sections:
                walk(entry.get("sections", []))

    for part in toc["parts"]:
        walk(part["chapters"])
    return files


def title_of(file: str) -> str:
    path = ROOT / f"{file}.ipynb"
    if path.is_file():
        source = "".join(json.loads(path.read_text())["cells"][0]["source"])
    else:
        source = (ROOT / f"{file}.md").read_text()
    heading = next(line for line in source.splitlines() if line.startswith("# "))
    return heading[2:].replace("`", "").strip()


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def code_lines() -> set[str]:
    """Every line of code the book shows (code cells, their outputs, and the package's source,
    which chapters include and Appendix C quotes), which may rightly hold TeX or ``**``."""
    lines: set[str] = set()
    for path in (ROOT / "lossbook").rglob("*.py"):
        lines.update(normalise(line) for line in path.read_text().splitlines() if line.strip())
    for path in (ROOT / "book").glob("*.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] != "code":
                continue
            texts = ["".join(cell["source"])]
            for output in cell.get("outputs", []):
                texts.append("".join(output.get("text", "")))
                texts.append("".join(output.get("data", {}).get("text/plain", "")))
            for text in texts:
                lines.update(normalise(line) for line in text.splitlines() if line.strip())
    return lines


def test_every_chapter_and_appendix_is_in_the_pdf(pages):
    text = normalise(" ".join(pages))
    missing = [f"{file}: {title_of(file)!r}" for file in toc_files() if normalise(title_of(file)) not in text]
    assert not missing, f"titles of _toc.yml not found in the PDF's text: {missing}"


def test_the_table_of_contents_lists_every_chapter(pages):
    # The contents come first, before the Preface's text.
    contents = normalise(" ".join(pages[:12]))
    missing = [title_of(file) for file in toc_files()[1:] if normalise(title_of(file)) not in contents]
    assert not missing, f"not in the table of contents: {missing}"


RAW = {
    "a TeX command": re.compile(r"\\(frac|hat|mathbb|mathrm|operatorname|begin|end|sum|ell|theta|lambda|left|right|tfrac|partial)\b"),
    "TeX math delimiters": re.compile(r"\$\$|\\\(|\\\["),
    "Markdown bold": re.compile(r"\*\*[A-Za-z][^*\n]{0,60}\*\*"),
    "a Markdown code fence": re.compile(r"```"),
    "a MyST role or directive": re.compile(r"\{(glue|numref|doc|ref|eq|cite|py:\w+|figure|exercise|solution)[}:]"),
    "a Markdown link": re.compile(r"\]\((https?:|\.\./|book/)"),
    "an unresolved reference": re.compile(r"\?\?"),
}


QUOTED_TEX = re.compile(r"=\s*'[^']*\$[^']*'" "|" r'=\s*"[^"]*\$[^"]*"' "|" r"""\$['"]""")
#: The marks Sphinx puts where it wraps a long code line.
WRAP_MARKS = "\u2423\u21aa"


def test_no_raw_tex_or_markdown_in_the_text(pages):
    code = code_lines()
    found = []
    for number, page in enumerate(pages, start=1):
        for line in page.splitlines():
            line = normalise(line.strip(WRAP_MARKS))
            if not line or any(line in shown for shown in code if len(line) > 8) or line in code:
                continue
            for what, pattern in RAW.items():
                match = pattern.search(line)
                # TeX inside a Python string is code: a default value in a signature of
                # Appendix C (xlabel='residual $r$')
                if match and not QUOTED_TEX.search(line):
                    found.append(f"page {number}: {what}: {line[:100]!r}")
    assert not found, "\n".join(found[:40])


def test_no_undefined_references_or_citations(latex_log):
    undefined = re.findall(r"LaTeX Warning: (?:Hyper reference|Reference|Citation) `([^']+)'[^\n]*\n?[^\n]*undefined",
                           latex_log)
    assert not undefined, f"{len(undefined)} undefined: {sorted(set(undefined))[:20]}"
    assert "There were undefined references" not in latex_log


def test_no_line_runs_far_into_the_margin(latex_log):
    overfull = [
        (float(width), line)
        for width, line in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)[^\n]*lines? (\d+)", latex_log)
    ]
    too_wide = [f"{width:.0f}pt at line {line} of lossbook.tex" for width, line in overfull if width > OVERFULL_LIMIT_PT]
    assert not too_wide, f"lines wider than the text by more than {OVERFULL_LIMIT_PT}pt: {too_wide}"


def test_every_figure_is_in_the_pdf():
    tex = (LATEX_LOG.parent / "lossbook.tex").read_text(encoding="utf-8")
    included = re.findall(r"\\sphinxincludegraphics(?:\[[^\]]*\])?\{\{?([^}]+?)\}?\}", tex)
    assert included, "no figures in the LaTeX source"
    missing = [name for name in included if not any((LATEX_LOG.parent / f"{name}{ext}").is_file() for ext in ("", ".png", ".pdf"))]
    assert not missing, f"figures the LaTeX source includes but the build did not write: {missing}"
    listing = subprocess.run(["pdfimages", "-list", str(PDF)], check=True, capture_output=True, text=True).stdout
    images = [line for line in listing.splitlines()[2:] if line.split()[2:3] == ["image"]]
    assert len(images) >= len(set(included)), f"{len(included)} figures included, {len(images)} images in the PDF"


def test_every_exercise_has_a_marked_solution(pages):
    text = normalise(" ".join(pages))
    exercises = set(re.findall(r"\bExercise (\d+\.\d+)\b", text))
    solutions = set(re.findall(r"Solution to Exercise (\d+\.\d+)", text))
    assert exercises, "no exercises found in the PDF"
    assert exercises == solutions, f"exercises without a marked solution: {sorted(exercises - solutions)}"


def test_render_pages_to_look_at(pages):
    """The first page of every chapter and appendix, and every page with a figure, as PNGs."""
    PAGES.mkdir(parents=True, exist_ok=True)
    for old in PAGES.glob("*.png"):
        old.unlink()
    wanted: dict[int, str] = {}
    for file in toc_files(sections=False):
        title = normalise(title_of(file)).casefold()
        # a chapter's first page opens with "CHAPTER", its number and its title in capitals (the
        # Preface with its title alone)
        for number, page in enumerate(pages, start=1):
            top = normalise(page[:300]).casefold()
            if (top.startswith("chapter") and title in top) or top.startswith(title):
                wanted.setdefault(number, Path(file).name)
                break
    for number, page in enumerate(pages, start=1):
        if re.search(r"^Fig\. \d+\.\d+", page, flags=re.M):
            wanted.setdefault(number, "figure")
    for number, name in sorted(wanted.items()):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "50", "-f", str(number), "-l", str(number), "-singlefile", str(PDF),
             str(PAGES / f"page-{number:03d}-{name}")],
            check=True,
        )
    rendered = sorted(PAGES.glob("*.png"))
    assert len(rendered) == len(wanted) and all(p.stat().st_size > 1000 for p in rendered)
    firsts = [name for name in wanted.values() if name != "figure"]
    chapters = [Path(file).name for file in toc_files(sections=False)]
    assert set(firsts) == set(chapters), f"no first page found for {sorted(set(chapters) - set(firsts))}"
