"""The book's plotting style and the figures its chapters share.

This is the only module of :mod:`lossbook` that imports matplotlib; the rest of the
package needs NumPy alone, so ``import lossbook`` stays light.

Conventions
-----------
- One style for the whole book: call :func:`use_book_style` once at the top of a
  chapter. It sets matplotlib's ``rcParams`` (it does not return a context manager),
  so every later figure in the session follows it.
- Colours come from :data:`PALETTE`, the Okabe–Ito palette, which stays distinguishable
  under the common forms of colour-vision deficiency and in greyscale print.
- Figures have a white background even when the book is read in its dark theme: a
  transparent PNG would put black axis labels on a near-black page.
- Every helper draws on the ``ax`` it is given (or the current Axes) and returns that
  Axes, so a chapter can compose helpers into subplots and add its own labels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from ._validation import real_pair

__all__ = [
    "PALETTE",
    "Palette",
    "plot_actual_vs_predicted",
    "plot_cost_curves",
    "use_book_style",
]


class Palette(NamedTuple):
    """The Okabe–Ito colour-blind-safe palette, as hexadecimal RGB strings."""

    blue: str = "#0072B2"
    orange: str = "#E69F00"
    bluish_green: str = "#009E73"
    vermillion: str = "#D55E00"
    reddish_purple: str = "#CC79A7"
    sky_blue: str = "#56B4E9"
    yellow: str = "#F0E442"
    black: str = "#000000"


PALETTE = Palette()
"""The book's colours. Field order is the colour cycle: the strongest contrasts on a
white background come first, yellow (weak on white) comes last, and black is kept out
of the cycle for reference lines such as y = x."""

_CYCLE = tuple(PALETTE)[:-1]

_BOOK_RC: dict[str, object] = {
    # Size: a 6.4 in wide figure at 110 dpi is about 700 px, the width of the page's
    # text column, so figures are shown near 1:1 and PNGs stay small.
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 110,
    "savefig.dpi": 110,
    "savefig.format": "png",
    "figure.constrained_layout.use": True,
    # Opaque white background: legible in the theme's dark mode.
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    # Readable text at the page's scale.
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.framealpha": 0.9,
    # A light grid behind the data, and no box on the top and right.
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#d9d9d9",
    "grid.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=list(_CYCLE)),
    "lines.linewidth": 2.0,
    "lines.markersize": 6.0,
    "scatter.edgecolors": "face",
    "image.cmap": "cividis",
}


def use_book_style() -> None:
    """Apply the book's matplotlib style to the current session.

    Sets ``matplotlib.rcParams``: figure size (6.4 × 4.0 in) and resolution (110 dpi),
    white figure and axes backgrounds, font sizes, a light grid, the
    :data:`PALETTE` colours as the colour cycle and ``cividis`` (perceptually uniform
    and colour-blind safe) as the colour map. When run inside IPython it also asks the
    inline backend for PNG output only: PNG is not compared by nbval, while SVG would
    be, and its text differs from one matplotlib version to the next.

    Returns
    -------
    None
    """
    mpl.rcParams.update(_BOOK_RC)
    _use_png_inline()


def _use_png_inline() -> None:
    # Only inside a running IPython shell: creating one here would be a side effect.
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    if get_ipython() is not None:
        set_matplotlib_formats("png")


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


def plot_cost_curves(
    histories: Mapping[str, Sequence[float]],
    ax: Axes | None = None,
    log: bool = True,
    *,
    xlabel: str = "iteration",
    ylabel: str = "cost $J(\\theta)$",
    colors: Sequence[str] | None = None,
    linestyles: Sequence[str] | None = None,
) -> Axes:
    """Plot the cost after each iteration of one or more optimisation runs.

    Parameters
    ----------
    histories : mapping of str to sequence of float
        Legend label → cost per iteration, iteration 0 being the starting point.
        Runs may have different lengths. Non-finite entries (a run that overflowed)
        are left out of the line instead of breaking the axis scale.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current Axes by default.
    log : bool, default True
        Logarithmic cost axis, on which linear convergence is a straight line and
        divergence an upward one.
    xlabel, ylabel : str
        Axis labels.
    colors, linestyles : sequence of str, optional
        One per run, in the order of ``histories``; the palette's cycle and solid
        lines by default.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``histories`` is empty, or ``colors``/``linestyles`` do not have one entry
        per run.
    """
    if not histories:
        raise ValueError("histories is empty: pass at least one run")
    n_runs = len(histories)
    for name, option in (("colors", colors), ("linestyles", linestyles)):
        if option is not None and len(option) != n_runs:
            raise ValueError(f"{name} has {len(option)} entries for {n_runs} runs")
    ax = plt.gca() if ax is None else ax

    for i, (label, history) in enumerate(histories.items()):
        cost = np.asarray(history, dtype=float)
        cost = np.where(np.isfinite(cost), cost, np.nan)
        style: dict[str, object] = {"label": label}
        if colors is not None:
            style["color"] = colors[i]
        if linestyles is not None:
            style["linestyle"] = linestyles[i]
        ax.plot(np.arange(cost.size), cost, **style)

    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend()
    return ax
