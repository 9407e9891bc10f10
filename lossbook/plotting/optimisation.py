"""Figures for optimisation: cost curves of runs, and cost surfaces with the optimiser's path."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike, NDArray

from .style import PALETTE

__all__ = ["plot_cost_contour", "plot_cost_curves"]


def plot_cost_curves(
    histories: Mapping[str, Sequence[float]],
    ax: Axes | None = None,
    log: bool = True,
    *,
    xlabel: str = "iteration",
    ylabel: str = "cost $J(\\theta)$",
    colors: Sequence[str] | None = None,
    linestyles: Sequence[str] | None = None,
    x: Mapping[str, ArrayLike] | None = None,
) -> Axes:
    """Plot the cost after each iteration of one or more optimisation runs.

    Parameters
    ----------
    histories : mapping of str to sequence of float
        Legend label → cost per iteration, iteration 0 being the starting point.
        Runs may have different lengths. Non-finite entries (a run that overflowed)
        are left out of the line instead of breaking the axis scale, and so are
        entries ≤ 0 on a logarithmic axis (a cost gap that rounding took to 0).
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
    x : mapping of str to array_like, optional
        For some or all runs, the x value of each entry (for example the step
        count when a run was recorded every k steps); ``0, 1, 2, ...`` otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``histories`` is empty, ``colors``/``linestyles`` do not have one entry
        per run, or an entry of ``x`` names no run or differs in length from its run.
    """
    if not histories:
        raise ValueError("histories is empty: pass at least one run")
    n_runs = len(histories)
    for name, option in (("colors", colors), ("linestyles", linestyles)):
        if option is not None and len(option) != n_runs:
            raise ValueError(f"{name} has {len(option)} entries for {n_runs} runs")
    x = {} if x is None else x
    unknown = [label for label in x if label not in histories]
    if unknown:
        raise ValueError(f"x names runs that are not in histories: {unknown}")
    ax = plt.gca() if ax is None else ax

    for i, (label, history) in enumerate(histories.items()):
        cost = np.asarray(history, dtype=float)
        keep = np.isfinite(cost) & (cost > 0) if log else np.isfinite(cost)
        cost = np.where(keep, cost, np.nan)
        steps = np.arange(cost.size) if label not in x else np.asarray(x[label], dtype=float)
        if steps.shape != cost.shape:
            raise ValueError(f"x[{label!r}] has shape {steps.shape}, its run has shape {cost.shape}")
        style: dict[str, Any] = {"label": label}
        if colors is not None:
            style["color"] = colors[i]
        if linestyles is not None:
            style["linestyle"] = linestyles[i]
        ax.plot(steps, cost, **style)

    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend()
    return ax


def _axis_range(value: Sequence[float], name: str) -> tuple[float, float]:
    try:
        low, high = (float(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (low, high) of numbers, got {value!r}") from None
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"{name} must be a pair of finite numbers with low < high, got {value!r}")
    return low, high


def plot_cost_contour(
    cost: Callable[[NDArray[np.float64]], float],
    x_range: Sequence[float],
    y_range: Sequence[float],
    paths: Mapping[str, ArrayLike] | None = None,
    ax: Axes | None = None,
    *,
    minimum: ArrayLike | None = None,
    minimum_label: str = "minimum",
    n_grid: int = 81,
    levels: int = 12,
    decades: float = 3.0,
    xlabel: str = "$\\theta_0$",
    ylabel: str = "$\\theta_1$",
    colors: Sequence[str] | None = None,
    max_markers: int = 40,
    label_levels: bool = False,
    level_format: Callable[[float], str] | None = None,
) -> Axes:
    r"""Draw the contours of a cost of two parameters, and optimiser paths across them.

    The cost is evaluated on an ``n_grid`` × ``n_grid`` grid over ``x_range`` × ``y_range``.
    Contour levels are spaced geometrically in the gap above the lowest cost,
    :math:`J_{\min} + g_k` with :math:`g_k` from :math:`10^{-\text{decades}}\,g_{\max}` to
    :math:`g_{\max}`: on a quadratic bowl the rings are then evenly spaced in log-distance
    from the minimum, so both the floor of a narrow valley and its walls are visible.

    Parameters
    ----------
    cost : callable
        ``cost(theta) -> float`` for a parameter vector ``theta = (x, y)`` of shape ``(2,)``,
        for example ``lambda t: model.cost(t, X, y)`` for a one-feature linear model, whose
        ``theta`` is (slope, intercept). Non-finite values are left blank.
    x_range, y_range : pair of float
        Limits of the grid, and of the axes, along each parameter.
    paths : mapping of str to array_like of shape (m, 2), optional
        Legend label → the parameters after each step, starting point first (for example
        ``result.history.step_params`` of a run with ``record_steps=True``). Iterates are
        marked with dots, thinned to at most ``max_markers`` per path; the path may leave
        the axes.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current Axes by default.
    minimum : array_like of shape (2,), optional
        The minimiser, marked with a star (and used as the base of the levels when it is
        below the grid's lowest cost).
    minimum_label : str
        Legend label of the minimiser.
    n_grid : int, default 81
        Grid points per axis (at least 2). The cost is called ``n_grid**2`` times.
    levels : int, default 12
        Number of contour levels (at least 2).
    decades : float, default 3.0
        How many powers of ten the levels span (> 0).
    xlabel, ylabel : str
        Axis labels; include units.
    colors : sequence of str, optional
        One colour per path; vermillion, orange, sky blue, ... by default (colours that
        stand out against the cividis contours).
    max_markers : int, default 40
        At most this many dots per path.
    label_levels : bool, default False
        Write each contour's cost on it (every other level when there are more than six), so
        that the levels can be read off the figure.
    level_format : callable, optional
        ``level -> text`` for those labels; three significant digits by default.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        On a bad range, ``n_grid``, ``levels`` or ``decades``; a path that is not a finite
        ``(m, 2)`` array; a ``colors`` list without one entry per path; or a cost that is not
        finite anywhere on the grid.
    """
    x_low, x_high = _axis_range(x_range, "x_range")
    y_low, y_high = _axis_range(y_range, "y_range")
    for name, value, smallest in (("n_grid", n_grid, 2), ("levels", levels, 2), ("max_markers", max_markers, 1)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < smallest:
            raise ValueError(f"{name} must be an integer >= {smallest}, got {value!r}")
    if not (isinstance(decades, (int, float)) and math.isfinite(decades) and decades > 0):
        raise ValueError(f"decades must be a finite number > 0, got {decades!r}")
    paths = {} if paths is None else paths
    checked: dict[str, NDArray[np.float64]] = {}
    for label, path in paths.items():
        p = np.asarray(path, dtype=float)
        if p.ndim != 2 or p.shape[1] != 2 or p.shape[0] < 1:
            raise ValueError(f"path {label!r} must have shape (m, 2), one row per iterate, got {p.shape}")
        if not np.all(np.isfinite(p)):
            raise ValueError(f"path {label!r} contains NaN or infinite parameters")
        checked[label] = p
    if colors is not None and len(colors) != len(checked):
        raise ValueError(f"colors has {len(colors)} entries for {len(checked)} paths")
    path_colors = list(colors) if colors is not None else [
        PALETTE.vermillion, PALETTE.orange, PALETTE.sky_blue, PALETTE.reddish_purple, PALETTE.bluish_green,
    ]
    if minimum is not None:
        best = np.asarray(minimum, dtype=float)
        if best.shape != (2,) or not np.all(np.isfinite(best)):
            raise ValueError(f"minimum must be 2 finite numbers, got {minimum!r}")

    xs = np.linspace(x_low, x_high, n_grid)
    ys = np.linspace(y_low, y_high, n_grid)
    Z = np.array([[cost(np.array([xv, yv])) for xv in xs] for yv in ys], dtype=float)
    finite = np.isfinite(Z)
    if not finite.any():
        raise ValueError("the cost is not finite anywhere on the grid")
    Z = np.where(finite, Z, np.nan)
    base = float(np.nanmin(Z))
    if minimum is not None:
        at_minimum = float(cost(best))
        if math.isfinite(at_minimum):
            base = min(base, at_minimum)
    top_gap = float(np.nanmax(Z)) - base
    if top_gap <= 0:
        raise ValueError("the cost is constant on the grid: there are no contours to draw")
    contour_levels = base + np.geomspace(top_gap * 10.0**-decades, top_gap, levels)

    ax = plt.gca() if ax is None else ax
    contours = ax.contour(xs, ys, Z, levels=contour_levels, cmap="cividis", linewidths=1.0)
    if label_levels:
        labelled = contour_levels[::2] if levels > 6 else contour_levels
        fmt = level_format if level_format is not None else (lambda level: f"{level:.3g}")
        ax.clabel(contours, levels=labelled, fmt=fmt, fontsize=7, inline=True)
    for i, (label, p) in enumerate(checked.items()):
        every = max(1, math.ceil(p.shape[0] / max_markers))
        ax.plot(p[:, 0], p[:, 1], color=path_colors[i % len(path_colors)], marker="o", markersize=3.5,
                markevery=every, linewidth=1.4, label=label, zorder=3)
    if minimum is not None:
        ax.plot(best[0], best[1], linestyle="none", marker="*", markersize=13, color=PALETTE.black,
                label=minimum_label, zorder=4)
    ax.set_xlim(x_low, x_high)
    ax.set_ylim(y_low, y_high)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if checked or minimum is not None:
        ax.legend()
    return ax
