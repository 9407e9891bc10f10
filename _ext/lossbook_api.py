"""Sphinx extension for Appendix C, the API reference (loaded from _config.yml).

1. Losses, activations and penalties are documented as what they are: callables. Each is an
   object (a :class:`lossbook.losses.Loss`, :class:`lossbook.activations.Activation` or
   :class:`lossbook.penalties.Penalty`), not a function, so autodoc would list it as a data
   attribute showing its ``repr``. :class:`CallableObjectDocumenter` documents it as a function
   with the signature a reader calls (``huber(y_true, y_pred, *, delta=1.0)``) and the object's
   own docstring, so that ``{py:func}`lossbook.losses.huber``` links to it from any chapter.

2. ``.. loss-table::`` prints the table of every loss from ``lossbook.losses.REGISTRY`` at
   build time (name, task, formula, convexity, domains, parameters), so a new loss appears in
   the reference without an edit.
"""

from __future__ import annotations

import inspect
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.ext.autodoc import DataDocumenter, FunctionDocumenter
from sphinx.util.docutils import SphinxDirective


def _callable_classes() -> tuple[type, ...]:
    from lossbook.activations import Activation
    from lossbook.losses import Loss
    from lossbook.penalties import Penalty

    return (Loss, Activation, Penalty)


def call_signature(obj: Any) -> str:
    """The positional arguments of the object's ``__call__``, then its parameters (the object's
    ``defaults``), keyword-only: ``(y_true, y_pred, *, delta=1.0)``."""
    call = inspect.signature(type(obj).__call__)
    positional = [
        name for name, p in call.parameters.items()
        if name != "self" and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    params = [f"{name}={default!r}" for name, default in obj.defaults.items()]
    return "(" + ", ".join(positional + (["*", *params] if params else [])) + ")"


class CallableObjectDocumenter(FunctionDocumenter):
    """Document a loss, activation or penalty object as the function it behaves like."""

    objtype = "callableobject"
    directivetype = "function"
    # Above DataDocumenter, which would otherwise claim a module-level object that is not a
    # function or a class.
    priority = DataDocumenter.priority + 10

    @classmethod
    def can_document_member(cls, member: Any, membername: str, isattr: bool, parent: Any) -> bool:
        return isinstance(member, _callable_classes())

    def format_args(self, **kwargs: Any) -> str:
        return call_signature(self.object)


class LossTable(SphinxDirective):
    """The table of every loss in ``lossbook.losses.REGISTRY``.

    Built from docutils nodes rather than parsed markup, so that it reads the same in a MyST
    page and an reStructuredText one, in the HTML and in the PDF.
    """

    has_content = False
    header = ("Loss", "Task", "Per-sample loss", "Convex in the prediction", "y_true", "y_pred", "Parameters")

    def link(self, name: str) -> nodes.Node:
        target = f"lossbook.losses.{name}"
        ref = addnodes.pending_xref(
            "", refdomain="py", reftype="func", reftarget=target, refexplicit=True, refwarn=True,
            **{"py:module": None, "py:class": None},
        )
        ref += nodes.literal(name, name, classes=["xref", "py", "py-func"])
        return ref

    def row(self, cells: list[nodes.Node | str]) -> nodes.row:
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            paragraph = nodes.paragraph()
            paragraph += nodes.Text(cell) if isinstance(cell, str) else cell
            entry += paragraph
            row += entry
        return row

    def run(self) -> list[nodes.Node]:
        from lossbook.losses import REGISTRY

        table = nodes.table(classes=["lossbook-loss-table", "colwidths-given"])
        group = nodes.tgroup(cols=len(self.header))
        table += group
        # The formula needs the most room: inline math does not wrap (in the PDF above all).
        for width in (14, 8, 36, 6, 11, 11, 14):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        head += self.row(list(self.header))
        group += head
        body = nodes.tbody()
        for name, loss in REGISTRY.items():
            params = ", ".join(f"{k}={d!r}" for k, d in loss.defaults.items()) or "none"
            body += self.row([
                self.link(name),
                loss.task,
                nodes.math(loss.formula, loss.formula),
                "yes" if loss.convex else "no",
                loss.y_true_domain,
                loss.y_pred_domain,
                params,
            ])
        group += body
        self.set_source_info(table)
        return [table]


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx.ext.autodoc")
    app.add_autodocumenter(CallableObjectDocumenter)
    app.add_directive("loss-table", LossTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
