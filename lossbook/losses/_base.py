"""The :class:`Loss` object: one way to define a loss, one interface for all of them.

A loss is defined by two pure functions of validated float64 arrays, the per-sample value
``value(y_true, y_pred, **params)`` and its derivative with respect to the prediction
``grad(y_true, y_pred, **params)``, plus a description of its inputs (one of the ``*_pair``
functions of :mod:`lossbook._validation`) and of its parameters. :class:`Loss` adds everything
else once: conversion and validation, parameter checks, the weighted cost and its reductions,
and the metadata (``name``, ``task``, ``formula``, ``convex``) that the book and the tests read.

Composition rather than inheritance: a new loss is a new ``Loss(...)`` value, not a subclass,
so every loss answers the same questions in the same way.
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

Task = Literal["regression", "binary", "multiclass"]
Pair = Callable[..., tuple[np.ndarray, np.ndarray]]

_TASKS = ("regression", "binary", "multiclass")


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
        The validator of ``(y_true, y_pred)``, one of the ``*_pair`` functions of
        :mod:`lossbook._validation`.
    params
        Parameter name -> ``(default, check)``, where ``check(value, name)`` returns the value as
        a float or raises ``ValueError``/``TypeError``.
    total
        Optional fast ``(y_true, y_pred, **params) -> float`` for the unweighted sum of the
        per-sample losses; by default ``value(...).sum()``.
    summary
        One line for tables and ``repr``.
    propagates_nonfinite
        True when NaN or infinity in the inputs always makes the summed loss non-finite, so the
        cost may check the one reduced number instead of every input (see
        :mod:`lossbook._validation`).
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
        inputs: Pair,
        params: Mapping[str, tuple[float, v.ParamCheck]] | None = None,
        total: Callable[..., float] | None = None,
        summary: str = "",
        propagates_nonfinite: bool = False,
        doc: str | None = None,
    ) -> None:
        if task not in _TASKS:
            raise ValueError(f"task must be one of {_TASKS}, got {task!r}")
        self.name = name
        self.task = task
        self.formula = formula
        self.convex = bool(convex)
        self.summary = summary
        self._value = value
        self._grad = grad
        self._inputs = inputs
        #: The kind of input pair, e.g. ``"real"`` or ``"label_probability"``.
        self.input_kind: str = inputs.__name__.removesuffix("_pair")
        #: What ``y_true`` and ``y_pred`` may hold, as text for tables.
        self.y_true_domain: str = inputs.y_true_domain  # type: ignore[attr-defined]
        self.y_pred_domain: str = inputs.y_pred_domain  # type: ignore[attr-defined]
        self._params = MappingProxyType(dict(params or {}))
        self._total = total
        self._propagates = propagates_nonfinite
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

    @property
    def defaults(self) -> Mapping[str, float]:
        """The parameters and their default values, e.g. ``{"delta": 1.0}``."""
        return MappingProxyType({k: d for k, (d, _) in self._params.items()})

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={d!r}" for k, d in self.defaults.items())
        return f"Loss({self.name}({params}), task={self.task!r}, convex={self.convex})"

    # -- checks -----------------------------------------------------------------------------
    def _checked_params(self, params: dict[str, Any]) -> dict[str, float]:
        if not self._params:
            if params:
                raise TypeError(f"{self.name} takes no parameters, got {sorted(params)}")
            return params
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
    def __call__(self, y_true: ArrayLike, y_pred: ArrayLike, **params: float) -> NDArray[np.float64]:
        """Per-sample losses, a float64 array of shape ``(n,)``."""
        kw = self._checked_params(params)
        y, p = self._inputs(y_true, y_pred)
        return self._value(y, p, **kw)

    def grad(self, y_true: ArrayLike, y_pred: ArrayLike, **params: float) -> NDArray[np.float64]:
        """Derivative of each sample's loss with respect to its prediction (shape of ``y_pred``).

        Where the loss has a kink (absolute error at r = 0, hinge at the margin) this is a
        subgradient: the one with the smallest magnitude that the formula gives there.
        """
        kw = self._checked_params(params)
        y, p = self._inputs(y_true, y_pred)
        return self._grad(y, p, **kw)

    def cost(
        self,
        y_true: ArrayLike,
        y_pred: ArrayLike,
        *,
        sample_weight: ArrayLike | None = None,
        reduction: Literal["mean", "sum"] = "mean",
        **params: float,
    ) -> float:
        r"""Aggregate the per-sample losses into one number.

        ``reduction="mean"`` gives :math:`\sum_i w_i \ell_i / \sum_i w_i` (the plain mean when
        ``sample_weight`` is None), ``"sum"`` gives :math:`\sum_i w_i \ell_i`. Always a Python
        ``float``.
        """
        if reduction != "mean" and reduction != "sum":
            v.check_reduction(reduction)
        kw = self._checked_params(params) if (params or self._params) else params
        y, p = self._inputs(y_true, y_pred, not self._propagates)
        if sample_weight is None:
            total = float(self._total(y, p, **kw)) if self._total else float(self._value(y, p, **kw).sum())
            denominator = float(p.shape[0])
        else:
            w = v.check_sample_weight(sample_weight, p.shape[0])
            total = float(w @ self._value(y, p, **kw))
            denominator = float(w.sum())
        if not math.isfinite(total):
            self._inputs(y, p, True)  # raises if an input was at fault; else a genuine overflow
        return total / denominator if reduction == "mean" else total


def frozen_registry(*items: Loss) -> Mapping[str, Loss]:
    """Build the read-only name -> loss mapping, refusing duplicate names."""
    out: dict[str, Loss] = {}
    for loss in items:
        if loss.name in out:
            raise ValueError(f"two losses are named {loss.name!r}")
        out[loss.name] = loss
    return MappingProxyType(out)
