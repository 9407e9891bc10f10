r"""Constant predictions: the simplest model a regression loss can be asked to fit.

Predicting the same value :math:`c` for every example is the baseline every model must beat, and
which :math:`c` is best depends on the loss alone. For the squared error it is the mean of the
targets, for the absolute error their median, for the pinball loss at level :math:`q` their
:math:`q`-quantile, for the squared log error :math:`\exp(\overline{\log(1+y)}) - 1`.
:func:`best_constant` finds it numerically for any regression loss of
:data:`lossbook.losses.REGISTRY`, so those statements can be checked rather than taken on trust.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from . import _validation as v
from .losses import REGISTRY, Loss

__all__ = ["best_constant"]


def _regression_loss(loss: str | Loss) -> Loss:
    if isinstance(loss, str):
        if loss not in REGISTRY:
            raise ValueError(f"unknown loss {loss!r}; choose one of {sorted(REGISTRY)}")
        loss = REGISTRY[loss]
    if not isinstance(loss, Loss):
        raise TypeError(f"loss must be a registry name or a Loss, got {type(loss).__name__}")
    if loss.task != "regression":
        raise ValueError(f"best_constant needs a regression loss, {loss.name!r} is for {loss.task} tasks")
    return loss


def best_constant(
    loss: str | Loss,
    y_true: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    n_grid: int = 201,
    xtol: float = 1e-12,
    **params: float,
) -> float:
    r"""The constant prediction :math:`c` that minimises the (weighted) mean loss.

    .. math:: c^\star = \arg\min_c \frac{\sum_i w_i\, \ell(y_i, c)}{\sum_i w_i}

    Every regression loss here is smallest at :math:`\hat y = y` and grows as the prediction
    moves away on either side, so :math:`c^\star` lies between the smallest and the largest
    target. The search evaluates the cost on ``n_grid`` evenly spaced constants in that range
    (brute force, which finds the best region even when the cost has several dips) and then
    bisects the bracket around the best grid point on the sign of the cost's derivative
    (``loss.grad``) until it is narrower than ``xtol`` times the range of the targets. Within
    that bracket the derivative must change sign once, as it does for every convex loss and for
    the squared log error (convex in :math:`\log(1 + c)`).

    Parameters
    ----------
    loss
        A regression loss of the registry, by name or object.
    y_true
        The targets, shape ``(n,)``, in the loss's domain.
    sample_weight
        Optional non-negative weights, shape ``(n,)``.
    n_grid
        Number of grid points of the brute-force stage, at least 3.
    xtol
        Width of the final bracket, relative to ``max(y_true) - min(y_true)``.
    **params
        Parameters of the loss, e.g. ``quantile=0.9`` for the pinball loss.

    Returns
    -------
    float
        The minimiser. Where the cost is flat at its minimum (the absolute error with an even
        number of targets is minimised by every point between the two middle ones) it is one
        of the minimisers, not necessarily the midpoint that ``numpy.median`` reports.

    Raises
    ------
    ValueError
        For a classification loss, targets outside the loss's domain, bad parameters or
        weights, ``n_grid < 3`` or ``xtol`` outside (0, 1).

    Examples
    --------
    >>> round(best_constant("squared_error", [1.0, 2.0, 9.0]), 9)  # the mean
    4.0
    >>> round(best_constant("absolute_error", [1.0, 2.0, 9.0]), 9)  # the median
    2.0
    """
    loss = _regression_loss(loss)
    y = v.as_vector(y_true, "y_true")
    v.check_finite(y, "y_true")
    if isinstance(n_grid, bool) or not isinstance(n_grid, (int, np.integer)) or n_grid < 3:
        raise ValueError(f"n_grid must be an integer >= 3, got {n_grid!r}")
    xtol = v.positive(xtol, "xtol")
    if xtol >= 1.0:
        raise ValueError(f"xtol must lie in (0, 1), got {xtol!r}")
    w = None if sample_weight is None else v.check_sample_weight(sample_weight, y.shape[0])

    def cost(c: float) -> float:
        return loss.cost(y, np.full_like(y, c), sample_weight=w, **params)  # type: ignore[arg-type]  # (params are the loss's floats, never reduction)

    low, high = float(y.min()), float(y.max())
    cost(low)  # validates the targets' domain, the weights and the parameters once, up front
    if low == high:
        return low
    grid = np.linspace(low, high, int(n_grid))
    k = int(np.argmin([cost(c) for c in grid]))
    a, b = float(grid[max(k - 1, 0)]), float(grid[min(k + 1, grid.size - 1)])

    def slope(c: float) -> float:
        g = loss.grad(y, np.full_like(y, c), **params)
        return float(g.sum() if w is None else w @ g)

    # Bisection on the sign of the cost's derivative, not golden-section search on its value:
    # a cost is flat at its minimum, so values pin the minimiser down only to about the square
    # root of machine precision, while the sign of the slope pins it down to machine precision.
    # Never ask for a bracket narrower than a few floating-point spacings at the targets' scale.
    tol = max(xtol * (high - low), 4.0 * float(np.spacing(max(abs(low), abs(high)))))
    while b - a > tol:
        middle = 0.5 * (a + b)
        s = slope(middle)
        if s == 0.0:
            return middle
        if s < 0.0:
            a = middle
        else:
            b = middle
    return 0.5 * (a + b)
