"""The :class:`Loss` object: one way to define a loss, one interface for all of them.

A loss is defined by two pure functions of validated float64 arrays, the per-sample value
``value(y_true, y_pred, **params)`` and its derivative with respect to the prediction
``grad(y_true, y_pred, **params)``, plus a description of its inputs (one of the ``*_pair``
functions of ``lossbook._validation``) and of its parameters. :class:`Loss` adds everything
else once: conversion and validation, parameter checks, the weighted cost and its reductions,
and the metadata (``name``, ``task``, ``formula``, ``convex``) that the book and the tests read.

Composition rather than inheritance: a new loss is a new ``Loss(...)`` value, not a subclass,
so every loss answers the same questions in the same way.

Speed (measured by ``python -m benchmarks.run``; see ``benchmarks/README.md``): a cost over a
large input is summed block by block (:data:`BLOCK_SIZE` numbers at a time), so that each
temporary of the formula is a small array that stays in the CPU cache instead of an array as
large as the input making a round trip through main memory; the per-sample formula is the same.
With Numba installed, costs and gradients of large arrays run compiled kernels instead, one pass
on all cores (:mod:`._compiled`); whatever they cannot vouch for comes back here.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import _validation as v
from . import _compiled
from .inputs import InputKind

Task = Literal["regression", "binary", "multiclass"]

_TASKS = ("regression", "binary", "multiclass")

#: Costs over inputs of more than twice this many numbers are computed in blocks of about this
#: many (rows of ``y_pred``, times its number of columns): 64 Ki float64 = 512 KiB per temporary.
BLOCK_SIZE = 1 << 16

#: Below this many numbers, the fast paths whose formula differs from the readable one (in
#: its rounding, not its value) use the readable one, so that the results the book prints are
#: bit for bit those of the functions it shows; reformulations pay off on large inputs.
EXACT_BELOW = 4096


def row_blocks(y_pred: np.ndarray) -> list[slice] | None:
    """Slices of rows of ``y_pred`` holding about :data:`BLOCK_SIZE` numbers each, or None for one block."""
    n = y_pred.shape[0]
    rows = max(1, BLOCK_SIZE // max(1, y_pred.size // max(n, 1)))
    if n <= 2 * rows:
        return None
    return [slice(start, start + rows) for start in range(0, n, rows)]


class Loss:
    """A loss function ``l(y_true, y_pred)`` with its gradient, cost and metadata.

    Calling the object returns the per-sample losses, ``.grad`` their derivatives with respect to
    ``y_pred`` and ``.cost`` the (weighted) mean or sum. All three take the loss's parameters as
    keyword arguments, validated on every call.

    Parameters
    ----------
    name
        Registry name, e.g. ``"huber"``.
    task
        ``"regression"``, ``"binary"`` or ``"multiclass"``.
    formula
        LaTeX of the per-sample loss, as printed in the book.
    convex
        Whether the loss is convex in ``y_pred`` (for every valid ``y_true`` and parameter).
    value, grad
        Pure functions of validated arrays (and the parameters as keywords) returning the
        per-sample loss, shape ``(n,)``, and its derivative, shape of ``y_pred``.
    inputs
        What ``(y_true, y_pred)`` may be: one of the :class:`~lossbook.losses.inputs.InputKind`
        objects of :mod:`lossbook.losses.inputs` (its validator, domains, the link a model uses,
        a sampler and invalid examples).
    params
        Parameter name -> ``(default, check)``, where ``check(value, name)`` returns the value as
        a float (or None, where None is allowed) or raises ``ValueError``/``TypeError``; the
        checks of ``lossbook._validation`` list values they refuse, which the tests try.
    kinks
        Optional ``(y_true, y_pred, **params) -> (n,) distances`` of each validated sample from
        the nearest point where the loss is not differentiable (the absolute error at
        :math:`r = 0`, the hinge at margin 1); :meth:`sample` keeps its samples away from them.
    summary
        One line for tables and ``repr``.
    display_name
        The name a reader knows, for legends and prose (``"Huber"``, ``"Poisson deviance"``);
        by default ``name`` with spaces for underscores.
    doc
        The docstring; by default composed from ``value``'s docstring and the metadata.

    Notes
    -----
    Speed-ups (a faster sum, a faster gradient) are optional and live apart, in
    ``lossbook.losses._fast``, which attaches them with :meth:`speed_up`.
    """


    def __init__(
        self,
        *,
        name: str,
        task: Task,
        formula: str,
        convex: bool,
        value: Callable[..., NDArray[np.float64]],
        grad: Callable[..., NDArray[np.float64]],
        inputs: InputKind,
        params: Mapping[str, tuple[float | None, v.ParamCheck]] | None = None,
        kinks: Callable[..., NDArray[np.float64]] | None = None,
        summary: str = "",
        display_name: str | None = None,
        doc: str | None = None,
    ) -> None:
        if task not in _TASKS:
            raise ValueError(f"task must be one of {_TASKS}, got {task!r}")
        self.name = name
        self.task = task
        self.formula = formula
        self.convex = bool(convex)
        self.summary = summary
        self.display_name = display_name or name.replace("_", " ")
        #: The readable per-sample value and derivative, on arrays already validated by
        #: ``inputs.check`` and with checked parameters: no validation (the inner loop of a model).
        self.unchecked_value = value
        self.unchecked_grad = grad
        #: The kind of input (:mod:`lossbook.losses.inputs`).
        self.inputs = inputs
        self._inputs = inputs.check
        #: What ``y_true`` and ``y_pred`` may hold, as text for tables.
        self.y_true_domain: str = inputs.y_true_domain
        self.y_pred_domain: str = inputs.y_pred_domain
        self._params = MappingProxyType(dict(params or {}))
        self._kinks = kinks
        #: The keyword arguments of ``value`` and ``grad`` when no parameter is given (read-only,
        #: and as a plain dict, quicker to unpack, for the calls below, which never change it).
        self._defaults: Mapping[str, float | None] = MappingProxyType({k: d for k, (d, _) in self._params.items()})
        self._default_kw: dict[str, float | None] = dict(self._defaults)
        self._total: Callable[..., float] = self._value_sum
        self._fast_grad: Callable[..., tuple[NDArray[np.float64], float]] | None = None
        self._propagates = False
        self._cost_kernel = _compiled.kernel_for(name, inputs.check, "cost")
        self._grad_kernel = _compiled.kernel_for(name, inputs.check, "grad")
        self.__doc__ = doc or self._compose_doc(value)

    # -- metadata ---------------------------------------------------------------------------
    def _compose_doc(self, value: Callable[..., Any]) -> str:
        params = ", ".join(f"``{k}={d!r}``" for k, d in self.defaults.items()) or "none"
        return "\n\n".join(
            part
            for part in (
                inspect.cleandoc(value.__doc__ or ""),
                self.summary and self.summary[0].upper() + self.summary[1:] + ".",
                f"Task: {self.task}; convex in ``y_pred``: {'yes' if self.convex else 'no'}. "
                f"``y_true``: {self.y_true_domain}; ``y_pred``: {self.y_pred_domain}. "
                f"Parameters: {params}.",
                f"``{self.name}(y_true, y_pred)`` gives the per-sample losses, ``.grad`` their "
                f"derivatives with respect to ``y_pred``, ``.cost`` the (weighted) mean or sum.",
            )
            if part
        )

    def speed_up(
        self,
        *,
        total: Callable[..., float] | None = None,
        fast_grad: Callable[..., tuple[NDArray[np.float64], float]] | None = None,
        propagates_nonfinite: bool = False,
    ) -> None:
        """Attach faster implementations (used by ``lossbook.losses._fast``); results do not change.

        total
            A faster ``(y_true, y_pred, **params) -> float`` for the unweighted sum of the
            per-sample losses (by default ``value(...).sum()``). It may return NaN or infinity
            whenever its result might not be trustworthy (a non-finite input it was not checked
            for, an overflow): the cost then checks the inputs in full and recomputes the sum
            from ``value``.
        fast_grad
            A faster ``(y_true, y_pred, **params) -> (gradient, witness)`` for ``.grad``. Like
            ``total`` it receives arrays validated with ``strict=False`` and checks what that
            left out through ``witness``, a number that is NaN or infinite whenever an input is
            invalid (then ``.grad`` runs the full check, which raises, and if the inputs are fine
            after all, returns ``grad``). It must give the same numbers as ``grad``; multi-class
            gradients are computed one block of rows at a time.
        propagates_nonfinite
            True when NaN or infinity in the inputs always makes the unweighted sum of the losses
            (``total``, or ``value(...).sum()``) non-finite, so the unweighted cost may check
            that one number instead of every input (see ``lossbook._validation``). Weighted
            costs always check the inputs.
        """
        if total is not None:
            self._total = total
        self._fast_grad = fast_grad
        self._propagates = bool(propagates_nonfinite)

    @property
    def defaults(self) -> Mapping[str, float | None]:
        """The parameters and their default values, e.g. ``{"delta": 1.0}``."""
        return self._defaults

    @property
    def params(self) -> Mapping[str, tuple[float | None, v.ParamCheck]]:
        """Each parameter's default and check, read-only, e.g. ``{"delta": (1.0, positive)}``."""
        return self._params

    def check_params(self, **params: Any) -> Mapping[str, float | None]:
        """All parameters, the given ones checked and the others at their defaults.

        Raises ``TypeError`` for an unknown name (or any parameter, for a loss without
        parameters) and ``ValueError`` for a value its check refuses.
        """
        return self._checked_params(params)

    def kink_distance(self, y_true: ArrayLike, y_pred: ArrayLike, **params: Any) -> NDArray[np.float64] | None:
        """Each sample's distance to the nearest point without a derivative, or None for a smooth loss."""
        if self._kinks is None:
            return None
        return self._kinks(*self._inputs(y_true, y_pred), **self._checked_params(params))

    def sample(
        self, rng: np.random.Generator, n: int = 8, n_classes: int = 3, *, gap: float = 0.05, **params: Any
    ) -> tuple[np.ndarray, np.ndarray]:
        """Valid inputs ``(y_true, y_pred)`` of ``n`` samples, each at least ``gap`` from a kink.

        Drawn by the input kind's sampler; samples within ``gap`` of a kink of this loss (with
        these parameters) are drawn again, so that finite differences are meaningful at every
        sample. Deterministic for a seeded ``rng``.
        """
        kw = self._checked_params(params)
        y, p = self.inputs.sample(rng, n, n_classes)
        if self._kinks is None:
            return y, p
        for _ in range(100):
            near = self._kinks(*self._inputs(y, p), **kw) < gap
            if not near.any():
                return y, p
            y_new, p_new = self.inputs.sample(rng, n, n_classes)
            y[near], p[near] = y_new[near], p_new[near]
        raise RuntimeError(f"{self.name}.sample: could not draw samples {gap} away from the kinks")

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={d!r}" for k, d in self.defaults.items())
        return f"Loss({self.name}({params}), task={self.task!r}, convex={self.convex})"

    # -- checks -----------------------------------------------------------------------------
    def _checked_params(self, params: Mapping[str, Any]) -> Mapping[str, float | None]:
        if not params:
            return self._defaults
        if not self._params:
            raise TypeError(f"{self.name} takes no parameters, got {sorted(params)}")
        unknown = params.keys() - self._params.keys()
        if unknown:
            raise TypeError(
                f"{self.name} got unexpected parameter(s) {sorted(unknown)}; "
                f"its parameters are {sorted(self._params)}"
            )
        return {
            k: (check(params[k], k) if k in params else default)
            for k, (default, check) in self._params.items()
        }

    # -- the interface ----------------------------------------------------------------------
    def _keyword_only(self, method: str, extra: tuple[Any, ...]) -> None:
        """A parameter passed by position: say how to pass it (Python's message names no parameter)."""
        names = list(self._params)
        if not names:
            raise TypeError(f"{self.name}{method} takes y_true and y_pred only, got {len(extra)} more argument(s)")
        if len(extra) > len(names):
            raise TypeError(f"{self.name}{method} takes y_true, y_pred and the parameters {names} by name, "
                            f"got {len(extra)} more positional argument(s)")
        shown = ", ".join(f"{k}={v!r}" for k, v in zip(names, extra, strict=False))
        raise TypeError(
            f"{self.name}'s parameters are keyword-only: pass them by name, e.g. "
            f"{self.name}{method}(y_true, y_pred, {shown})"
        )

    def __call__(self, y_true: ArrayLike, y_pred: ArrayLike, *extra: Any, **params: Any) -> NDArray[np.float64]:
        """Per-sample losses, a float64 array of shape ``(n,)``."""
        if extra:
            self._keyword_only("", extra)
        kw = self._checked_params(params) if params else self._default_kw
        y, p = self._inputs(y_true, y_pred)
        return self.unchecked_value(y, p, **kw)

    def grad(self, y_true: ArrayLike, y_pred: ArrayLike, *extra: Any, **params: Any) -> NDArray[np.float64]:
        """Derivative of each sample's loss with respect to its prediction (shape of ``y_pred``).

        Where the loss has a kink (absolute error at r = 0, hinge at the margin) this is a
        subgradient: the one with the smallest magnitude that the formula gives there.
        """
        if extra:
            self._keyword_only(".grad", extra)
        kw = self._checked_params(params) if params else self._default_kw
        if self._grad_kernel is not None and _compiled.applies(y_pred):
            g = self._grad_kernel.grad(y_true, y_pred, kw)
            if g is not None:
                return g  # else: the NumPy path names the fault, or handles the overflow
        if self._fast_grad is None:
            y, p = self._inputs(y_true, y_pred)
            return self.unchecked_grad(y, p, **kw)
        y, p = self._inputs(y_true, y_pred, False)
        blocks = row_blocks(p) if p.ndim == 2 else None
        if blocks is None:
            g, witness = self._fast_grad(y, p, **kw)
        else:  # rows of a multi-class input are checked while each block is in the cache
            g, witness = np.empty(p.shape), 0.0
            for b in blocks:
                g[b], block_witness = self._fast_grad(y[b], p[b], **kw)
                witness += float(block_witness)
        if not math.isfinite(witness):
            y, p = self._inputs(y, p, True)  # raises if an input was at fault
            g = self.unchecked_grad(y, p, **kw)  # else the readable formula decides (an overflow, say)
        return g

    def cost(
        self,
        y_true: ArrayLike,
        y_pred: ArrayLike,
        *extra: Any,
        sample_weight: ArrayLike | None = None,
        reduction: Literal["mean", "sum"] = "mean",
        **params: Any,
    ) -> float:
        r"""Aggregate the per-sample losses into one number.

        ``reduction="mean"`` gives :math:`\sum_i w_i \ell_i / \sum_i w_i` (the plain mean when
        ``sample_weight`` is None), ``"sum"`` gives :math:`\sum_i w_i \ell_i`. Always a Python
        ``float``.
        """
        if extra:
            self._keyword_only(".cost", extra)
        if reduction != "mean" and reduction != "sum":
            v.check_reduction(reduction)
        kw = self._checked_params(params) if params else self._default_kw
        if sample_weight is None and self._cost_kernel is not None and _compiled.applies(y_pred):
            compiled = self._cost_kernel.total(y_true, y_pred, kw)
            if compiled is not None:  # else: the NumPy path names the fault, or handles the overflow
                return compiled if reduction == "sum" else compiled / np.shape(y_pred)[0]
        if sample_weight is None:
            y, p = self._inputs(y_true, y_pred, not self._propagates)
            w = None
            total = self._total(y, p, **kw) if p.size <= 2 * BLOCK_SIZE else self._sum(y, p, w, kw)
        else:
            y, p = self._inputs(y_true, y_pred, True)
            w = v.check_sample_weight(sample_weight, p.shape[0])
            total = self._sum(y, p, w, kw)
        if not math.isfinite(total):
            y, p = self._inputs(y, p, True)  # raises if an input was at fault
            total = self._sum(y, p, w, kw, plain=True)  # else a genuine overflow, or a fast path unsure of itself
        if reduction == "sum":
            return total
        return total / (p.shape[0] if w is None else float(w.sum()))

    def _value_sum(self, y: np.ndarray, p: np.ndarray, **kw: Any) -> float:
        return float(np.add.reduce(self.unchecked_value(y, p, **kw)))

    def _sum(self, y: np.ndarray, p: np.ndarray, w: np.ndarray | None, kw: Mapping[str, Any], plain: bool = False) -> float:
        """The (weighted) sum of the per-sample losses of validated arrays, block by block if large."""
        blocks = None if plain else row_blocks(p)
        if blocks is None:
            if w is not None:
                return float(w @ self.unchecked_value(y, p, **kw))
            return self._value_sum(y, p, **kw) if plain else self._total(y, p, **kw)
        if w is None:  # math.fsum: the sum of the block sums is exact
            return math.fsum(self._total(y[b], p[b], **kw) for b in blocks)
        return math.fsum(float(w[b] @ self.unchecked_value(y[b], p[b], **kw)) for b in blocks)


def frozen_registry(*items: Loss) -> Mapping[str, Loss]:
    """Build the read-only name -> loss mapping, refusing duplicate names."""
    out: dict[str, Loss] = {}
    for loss in items:
        if loss.name in out:
            raise ValueError(f"two losses are named {loss.name!r}")
        out[loss.name] = loss
    return MappingProxyType(out)
