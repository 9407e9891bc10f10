"""How long the book takes to build, rebuild, verify and execute.

Run from the repository root with the book's environment (``make bench-book``):

    .venv/bin/python -m benchmarks.book [--output benchmarks/BOOK_RESULTS.md]

Everything happens in a temporary copy of the repository, so the working tree and its
``_build`` are never touched. Measured, each once, in this order:

1. **clean build**: ``jupyter-book build`` of the whole book into an empty build folder. The
   build renders the stored outputs that nbval verifies (``execute_notebooks: "off"``), so
   this is the time a reader or CI waits for the website.
2. **rebuild after a prose edit**: one word appended to one markdown cell of one chapter,
   then the same build command (Sphinx re-reads only the changed page).
3. **nbval**: every notebook re-executed in a fresh kernel and compared with its stored
   outputs, as ``make test`` runs it.
4. **execute everything**: every notebook re-run and its outputs stored (``make execute``),
   i.e. the work a clean build would do if it executed the notebooks itself.

Targets (issue #6): clean build under 90 s, rebuild after a one-cell edit under 20 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TARGETS = {"clean build": 90.0, "rebuild after a prose edit": 20.0}


def _timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"failed ({done.returncode}): {' '.join(cmd)}")
    return elapsed


def _copy_repo(dest: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True)
    for name in files.stdout.splitlines():
        source = ROOT / name
        if source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    # The vendored assets (MathJax etc., `make install`) are built, not tracked: bring them along.
    for built in ("_static", "_vendor"):
        if (ROOT / built).is_dir():
            shutil.copytree(ROOT / built, dest / built, dirs_exist_ok=True)
    return dest


def _edit_one_markdown_cell(notebook: Path) -> None:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown" and len("".join(cell["source"])) > 200:
            cell["source"] = ["".join(cell["source"]).rstrip() + " Indeed.\n"]
            break
    notebook.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def measure() -> dict[str, float]:
    jupyter_book = str(BIN / "jupyter-book")
    python = str(BIN / "python")
    with tempfile.TemporaryDirectory(prefix="lossbook-bench-") as tmp:
        repo = _copy_repo(Path(tmp) / "repo")
        notebooks = sorted(str(p.relative_to(repo)) for p in (repo / "book").glob("*.ipynb"))
        build = [jupyter_book, "build", ".", "--path-output", str(Path(tmp) / "out")]
        results = {"clean build": _timed(build, repo)}
        _edit_one_markdown_cell(repo / "book" / "regression-losses.ipynb")
        results["rebuild after a prose edit"] = _timed(build, repo)
        results["nbval (all notebooks)"] = _timed(
            [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
             *notebooks], repo)
        results["execute every notebook"] = _timed(["make", "-s", "execute", f"BIN={BIN}", "STAMP="], repo)
        results["notebooks"] = float(len(notebooks))
    return results


def table(results: dict[str, float]) -> str:
    lines = [
        f"Book timings on {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {int(results['notebooks'])} notebooks.",
        "",
        "| step | seconds | target | met |",
        "|---|---:|---:|---|",
    ]
    for step, seconds in results.items():
        if step == "notebooks":
            continue
        target = TARGETS.get(step)
        met = "" if target is None else ("yes" if seconds < target else "NO")
        lines.append(f"| {step} | {seconds:.1f} | {'' if target is None else f'< {target:.0f}'} | {met} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, help="also write the table to this file")
    parser.add_argument("--check", action="store_true", help="exit with status 1 if a target is missed")
    args = parser.parse_args()
    results = measure()
    text = table(results)
    print(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    if args.check and any(results[step] >= limit for step, limit in TARGETS.items()):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
