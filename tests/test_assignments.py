"""The graded assignments (assignments/): built with `make assignments` (otter assign), then graded
with `otter run` (locally, no Docker, no network). The reference solution of each must score full
marks; each typical wrong submission of its table (assignments/<name>/wrong-answers.yml) must
score exactly what the table says, less than full marks, and get feedback that names the mistake.

A submission is the student notebook with every answer cell filled in with the reference solution,
except the wrong submission's one answer, as a student would hand it in.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "assignments"
BUILD = ROOT / "_build" / "assignments"
OTTER = Path(sys.executable).parent / "otter"
NAMES = sorted(p.name for p in SOURCES.iterdir() if (p / f"{p.name}.ipynb").is_file())
#: Submissions graded at a time, each in its own kernel: one per core, from two to four.
WORKERS = max(2, min(4, os.cpu_count() or 2))

_SOLUTION_MARKERS = re.compile(r"^\s*# (BEGIN|END) SOLUTION\s*$")


def wrong_answers(name: str) -> list[dict[str, Any]]:
    """The table of typical wrong submissions of one assignment."""
    return yaml.safe_load((SOURCES / name / "wrong-answers.yml").read_text(encoding="utf-8"))


def _answers(name: str) -> list[str]:
    """The reference answer of each question, in order, from the autograder's solution notebook."""
    solution = nbformat.read(BUILD / name / "autograder" / f"{name}.ipynb", as_version=4)
    return ["\n".join(line for line in cell.source.splitlines() if not _SOLUTION_MARKERS.match(line))
            for cell in solution.cells if "otter_assign_solution_cell" in cell.metadata.get("tags", [])]


def submission(name: str, question: str | None = None, answer: str | None = None) -> nbformat.NotebookNode:
    """The student notebook with every answer filled in from the solution, ``question``'s with ``answer``."""
    student = nbformat.read(BUILD / name / "student" / f"{name}.ipynb", as_version=4)
    cells = [c for c in student.cells if "otter_answer_cell" in c.metadata.get("tags", [])]
    answers = _answers(name)
    assert len(cells) == len(answers), f"{name}: {len(cells)} answer cells, {len(answers)} solutions"
    for i, (cell, reference) in enumerate(zip(cells, answers, strict=True)):
        cell.source = answer if question == f"q{i + 1}" else reference
    if question is not None:
        assert any(c.source == answer for c in cells), f"{name}: no question {question}"
    return student


def grade(notebook: nbformat.NotebookNode, name: str, workdir: Path) -> dict[str, Any]:
    """Grade a submission with `otter run`; the per-question results: {question: (score, max, output)}."""
    workdir.mkdir(parents=True)
    path = workdir / f"{name}.ipynb"
    nbformat.write(notebook, path)
    (zipfile,) = (BUILD / name / "autograder").glob("*.zip")
    run = subprocess.run([str(OTTER), "run", "--no-logo", "-a", str(zipfile), "-o", str(workdir), str(path)],
                         capture_output=True, text=True, cwd=workdir, timeout=600)
    assert run.returncode == 0, f"otter run failed:\n{run.stdout}\n{run.stderr}"
    results = json.loads((workdir / "results.json").read_text(encoding="utf-8"))
    return {t["name"]: (t["score"], t["max_score"], t["output"]) for t in results["tests"] if "score" in t}


CASES = [(name, None) for name in NAMES] + [(name, i) for name in NAMES for i in range(len(wrong_answers(name)))]


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int | None], dict[str, Any]]:
    """Build the assignments with `make assignments`, then grade every submission, two at a time."""
    build = subprocess.run(["make", "--no-print-directory", "assignments"], cwd=ROOT, capture_output=True, text=True)
    assert build.returncode == 0, f"make assignments failed:\n{build.stdout}\n{build.stderr}"
    base = tmp_path_factory.mktemp("submissions")

    def one(case: tuple[str, int | None]) -> dict[str, Any]:
        name, i = case
        if i is None:
            return grade(submission(name), name, base / f"{name}-reference")
        wrong = wrong_answers(name)[i]
        return grade(submission(name, wrong["question"], wrong["answer"]), name, base / f"{name}-wrong-{i}")

    env_before = os.environ.get("JUPYTER_PREFER_ENV_PATH")
    os.environ["JUPYTER_PREFER_ENV_PATH"] = "1"  # the kernel of this environment, not one found elsewhere
    try:
        with ThreadPoolExecutor(WORKERS) as pool:
            return dict(zip(CASES, pool.map(one, CASES), strict=True))
    finally:
        if env_before is None:
            os.environ.pop("JUPYTER_PREFER_ENV_PATH")
        else:
            os.environ["JUPYTER_PREFER_ENV_PATH"] = env_before
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.parametrize("name", NAMES)
def test_the_reference_solution_scores_full_marks(graded, name: str) -> None:
    results = graded[(name, None)]
    assert results, f"{name}: no graded questions"
    for question, (score, max_score, output) in results.items():
        assert score == max_score, f"{name} {question}: {score} of {max_score}\n{output}"


@pytest.mark.parametrize("name, i", [c for c in CASES if c[1] is not None],
                         ids=[f"{n}-{wrong_answers(n)[i]['mistake']}" for n, i in CASES if i is not None])
def test_a_wrong_submission_scores_less_and_is_told_why(graded, name: str, i: int) -> None:
    wrong = wrong_answers(name)[i]
    results = graded[(name, i)]
    score = sum(s for s, _, _ in results.values())
    full = sum(m for _, m, _ in results.values())
    assert score < full
    assert score == pytest.approx(wrong["score"]), f"{name}, {wrong['mistake']}: scored {score} of {full}, the table says {wrong['score']}"
    output = results[wrong["question"]][2]
    assert wrong["feedback"] in output, f"{name}, {wrong['mistake']}: the feedback lacks {wrong['feedback']!r}:\n{output}"


@pytest.mark.parametrize("name", NAMES)
def test_every_assignment_has_five_typical_mistakes_or_more(name: str) -> None:
    table = wrong_answers(name)
    assert len(table) >= 5
    assert len({w["mistake"] for w in table}) == len(table)
