"""The package's shape: no module of lossbook, its tests or its benchmark uses another module's private names.

A private name (one leading underscore) is an implementation detail of the module that defines it:
another module that reaches for it breaks when the detail changes. Modules may import the
package's private *modules* (``_validation``, the validation every public function shares), but
only their public names. Checked on the source, with :mod:`ast`:

* ``from X import _name`` where ``X`` is a lossbook module;
* ``something._name`` where ``something`` is not ``self`` or ``cls`` (``sys._getframe``, the one
  use of the standard library's private API, is allowed: it finds the caller's frame for warnings).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(path for folder in ("lossbook", "tests", "benchmarks") for path in ROOT.joinpath(folder).rglob("*.py"))
ALLOWED = {("sys", "_getframe")}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level > 0 or (node.module or "").startswith("lossbook")):
            found += [f"line {node.lineno}: from {'.' * node.level}{node.module or ''} import {a.name}"
                      for a in node.names if _private(a.name) and not _is_module(path, node, a.name)]
        elif isinstance(node, ast.Attribute) and _private(node.attr):
            owner = node.value.id if isinstance(node.value, ast.Name) else None
            if owner in ("self", "cls") or (owner, node.attr) in ALLOWED:
                continue
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def _is_module(path: Path, node: ast.ImportFrom, name: str) -> bool:
    """Whether ``from ... import name`` imports a module of the package (allowed) rather than a name."""
    base = path.parent
    for _ in range(max(node.level - 1, 0)):
        base = base.parent
    if node.level == 0:
        base = ROOT
    target = base.joinpath(*(node.module or "").split(".")) if node.module else base
    return target.joinpath(f"{name}.py").exists() or target.joinpath(name, "__init__.py").exists()


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_private_name_crosses_a_module_boundary(path: Path) -> None:
    assert private_uses(path) == []


def test_the_check_finds_a_private_name(tmp_path: Path) -> None:
    module = tmp_path / "example.py"
    module.write_text("from .activations import _logsumexp\nloss._value(1, 2)\nself._ok\n", encoding="utf-8")
    assert private_uses(module) == ["line 1: from .activations import _logsumexp", "line 2: loss._value"]
