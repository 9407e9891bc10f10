"""Figures for regression: predictions against the truth."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from .._validation import real_pair
from .style import PALETTE

__all__ = ["plot_actual_vs_predicted"]


def plot_actual_vs_predicted(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    ax: Axes | None = None,
    *,
    residuals: bool = True,
    label: str | None = None,
    color: str | None = None,
    residual_color: str | None = None,
    xlabel: str = "actual value $y$",
    ylabel: str = "predicted value $\\hat{y}$",
) -> Axes:
    """Scatter predictions against true values, with the line of perfect prediction.

    Each example is a point :math:`(y_i, \\hat y_i)`. A perfect model puts every point
    on the dashed line :math:`\\hat y = y`; the vertical segment from the line to a
    point is the residual :math:`r_i = \\hat y_i - y_i` (above the line: the model
    over-predicts). Both axes share one scale so that distances are comparable.

    Parameters
    ----------
    y_true, y_pred : array_like of shape (n,)
        True values and predictions, the same shape.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current Axes by default.
    residuals : bool, default True
        Draw the residual segments.
    label : str, optional
        Legend label of the points.
    color : str, optional
        Colour of the points; ``PALETTE.blue`` by default.
    residual_color : str, optional
        Colour of the residual segments; ``PALETTE.vermillion`` by default.
    xlabel, ylabel : str
        Axis labels; include the unit of ``y`` when it has one.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``y_true`` and ``y_pred`` are not finite 1-D arrays of the same shape.
    """
    true, pred = real_pair(y_true, y_pred)
    ax = plt.gca() if ax is None else ax
    color = PALETTE.blue if color is None else color
    residual_color = PALETTE.vermillion if residual_color is None else residual_color

    low = float(min(true.min(), pred.min()))
    high = float(max(true.max(), pred.max()))
    pad = 0.08 * (high - low) if high > low else 1.0
    limits = (low - pad, high + pad)

    ax.plot(limits, limits, linestyle="--", linewidth=1.2, color=PALETTE.black,
            label="perfect prediction $\\hat{y} = y$", zorder=1)
    if residuals:
        ax.vlines(true, true, pred, colors=residual_color, linewidth=1.5,
                  label="residual $r = \\hat{y} - y$", zorder=2)
    ax.scatter(true, pred, s=40, color=color, label=label, zorder=3)

    ax.set_xlim(limits)
    ax.set_ylim(limits)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper left")
    return ax
