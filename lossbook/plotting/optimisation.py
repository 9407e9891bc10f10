"""Figures for optimisation: cost curves of one or several runs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes


__all__ = ["plot_cost_curves"]


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
