"""Appendix C documents every public name of every public module of lossbook.

Read from the built site's Sphinx inventory (``objects.inv``, what every ``{py:func}`` link of
the book resolves against), so a public function without an entry, or a module whose page was
forgotten in ``_toc.yml``, fails here. A name re-exported by a package (``lossbook.mse``,
``lossbook.plotting.plot_loss_shapes``) counts as documented when the object is documented under
any of its names.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest
from sphinx.util.inventory import InventoryFile

import lossbook

from .site_browser import SITE

INVENTORY = SITE / "objects.inv"


def public_modules() -> list[ModuleType]:
    """lossbook and every submodule without a leading underscore in its dotted name."""
    names = [
        info.name
        for info in pkgutil.walk_packages(lossbook.__path__, "lossbook.")
        if not any(part.startswith("_") for part in info.name.split("."))
    ]
    return [lossbook, *(importlib.import_module(name) for name in sorted(names))]


def public_names(module: ModuleType) -> list[str]:
    """``__all__``, or else the names the module itself defines without a leading underscore."""
    if hasattr(module, "__all__"):
        names = list(module.__all__)
    else:
        names = [
            name
            for name, obj in vars(module).items()
            if not name.startswith("_") and (inspect.isfunction(obj) or inspect.isclass(obj))
            and obj.__module__ == module.__name__
        ]
    return [name for name in names if not inspect.ismodule(getattr(module, name))]


def resolve(dotted: str) -> object:
    module_name, _, attribute = dotted.rpartition(".")
    while module_name:
        try:
            obj: object = importlib.import_module(module_name)
        except ImportError:
            module_name, _, rest = module_name.rpartition(".")
            attribute = f"{rest}.{attribute}"
            continue
        for part in attribute.split("."):
            obj = getattr(obj, part)
        return obj
    raise LookupError(dotted)


@pytest.fixture(scope="module")
def inventory() -> dict[str, dict[str, tuple]]:
    if not INVENTORY.is_file():
        pytest.skip(f"no built site at {SITE} (run the build first: make book, or make test)")
    with INVENTORY.open("rb") as stream:
        return InventoryFile.load(stream, "", lambda base, uri: uri)


def documented_objects(inventory: dict[str, dict[str, tuple]]) -> list[object]:
    objects = []
    for role in ("py:function", "py:class", "py:exception", "py:data", "py:attribute", "py:method", "py:property"):
        for dotted in inventory.get(role, {}):
            try:
                objects.append(resolve(dotted))
            except (LookupError, AttributeError):
                pass
    return objects


@pytest.mark.parametrize("module", public_modules(), ids=lambda m: m.__name__)
def test_every_public_name_of_the_module_is_in_appendix_c(module, inventory):
    documented = documented_objects(inventory)
    missing = [
        name for name in public_names(module)
        if not any(obj is getattr(module, name) for obj in documented)
        and f"{module.__name__}.{name}" not in inventory.get("py:data", {})
    ]
    assert not missing, f"{module.__name__}: not documented in Appendix C: {missing}"


def reexported(module: ModuleType) -> bool:
    """Whether every public name of ``module`` is re-exported by its parent package (then the
    names are documented where readers import them: ``lossbook.mse``, not ``lossbook.costs.mse``)."""
    parent = importlib.import_module(module.__name__.rpartition(".")[0] or "lossbook")
    exported = getattr(parent, "__all__", [])
    return all(name in exported and getattr(parent, name) is getattr(module, name) for name in public_names(module))


def test_every_public_module_has_an_entry(inventory):
    modules = set(inventory.get("py:module", {}))
    expected = {m.__name__ for m in public_modules() if m is lossbook or not reexported(m)}
    assert expected <= modules, f"modules without a page in Appendix C: {sorted(expected - modules)}"
