r"""Figures of activation functions: each function with its derivative, and gradients through depth.

:func:`plot_activation_grid` draws one small panel per activation, generated from
:data:`lossbook.activations.REGISTRY`, so an activation added there appears in the book's
figure without edits. Curves are broken where the metadata says the function or its derivative
has no value: at a kink the derivative jumps, so its curve stops on both sides rather than
drawing a vertical segment that no derivative takes; at a jump of the function itself (the
binary step) a filled dot marks the value taken and an open dot the one approached.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from numpy.typing import ArrayLike

from .. import _validation as v
from ..activations import REGISTRY, Activation
from .style import PALETTE

__all__ = ["activation_label", "plot_activation", "plot_activation_grid", "plot_layer_gradient_norms"]

#: How the book names each activation in titles and legends.
_TITLES = {
    "linear": "linear", "binary_step": "binary step", "sigmoid": "sigmoid", "tanh": "tanh",
    "relu": "ReLU", "leaky_relu": "leaky ReLU", "prelu": "PReLU", "elu": "ELU",
    "softplus": "softplus", "swish": "swish",
}
# The book's symbols for the parameters (Preface, notation): α and β mean step size and momentum.
_SYMBOLS = {"alpha": "a", "beta": "ζ"}


def _resolve(activation: Activation | str) -> Activation:
    if isinstance(activation, str):
        if activation not in REGISTRY:
            raise ValueError(f"unknown activation {activation!r}; choose one of {sorted(REGISTRY)}")
        return REGISTRY[activation]
    if not isinstance(activation, Activation):
        raise TypeError(f"expected an Activation or a registry name, got {type(activation).__name__}")
    return activation


def activation_label(activation: Activation | str, params: Mapping[str, float] | None = None) -> str:
    """The book's name of an activation, with its parameters: ``"leaky ReLU (a = 0.1)"``.

    Parameters not given are shown at their defaults.
    """
    f = _resolve(activation)
    kw = f.checked_params(dict(params or {}))
    title = _TITLES.get(f.name, f.name.replace("_", " "))
    if not kw:
        return title
    shown = ", ".join(f"{_SYMBOLS.get(k, k)} = {val:g}" for k, val in kw.items())
    return f"{title} ({shown})"


def _broken_at(x: np.ndarray, y: np.ndarray, points: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Put a NaN at each point inside the range (replacing a sample there), so the line has a gap."""
    y = y.astype(np.float64, copy=True)
    for k in sorted(points, reverse=True):
        if x[0] < k < x[-1]:
            i = int(np.searchsorted(x, k))
            if x[i] == k:
                y[i] = np.nan  # the sample at the kink would join the two sides with a steep segment
            else:
                x, y = np.insert(x, i, k), np.insert(y, i, np.nan)
    return x, y


def plot_activation(
    activation: Activation | str,
    ax: Axes | None = None,
    *,
    params: Mapping[str, float] | None = None,
    x_range: tuple[float, float] = (-4.0, 4.0),
    derivative: bool = True,
    n_points: int = 801,
    title: bool = True,
    color: str | None = None,
    derivative_color: str | None = None,
) -> Axes:
    r"""Draw an activation :math:`f` (solid) and its derivative :math:`f'` (dashed) over ``x_range``.

    Parameters
    ----------
    activation : Activation or str
        An elementwise activation or its registry name.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current Axes by default.
    params : mapping, optional
        Parameters of the activation (``{"alpha": 0.1}``); defaults otherwise.
    x_range : (float, float)
        The inputs shown.
    derivative : bool, default True
        Also draw :math:`f'`.
    n_points : int
        Points per curve.
    title : bool, default True
        Title the Axes with :func:`activation_label`.
    color, derivative_color : str, optional
        ``PALETTE.blue`` and ``PALETTE.vermillion`` by default.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; its lines are labelled :math:`f(x)` and :math:`f'(x)` for a legend.
    """
    f = _resolve(activation)
    kw = f.checked_params(dict(params or {}))
    low, high = (v.real_number(b, "x_range") for b in x_range)
    if not low < high:
        raise ValueError(f"x_range must be (low, high) with low < high, got {x_range!r}")
    if isinstance(n_points, bool) or not isinstance(n_points, (int, np.integer)) or n_points < 2:
        raise ValueError(f"n_points must be an integer >= 2, got {n_points!r}")
    ax = plt.gca() if ax is None else ax
    color = PALETTE.blue if color is None else color
    derivative_color = PALETTE.vermillion if derivative_color is None else derivative_color

    x = np.linspace(low, high, n_points)
    jumps = [] if f.continuous else list(f.kinks)
    ax.plot(*_broken_at(x, f(x, **kw), jumps), color=color, label="$f(x)$")
    for k in jumps:
        if low < k < high:
            taken, approached = float(f(k, **kw)), float(f(k - 1e-9 * max(1.0, abs(k)), **kw))
            if taken == approached:
                approached = float(f(k + 1e-9 * max(1.0, abs(k)), **kw))
            ax.plot([k], [taken], "o", color=color, markersize=4.5, zorder=3)
            ax.plot([k], [approached], "o", markerfacecolor="white", markeredgecolor=color, markersize=4.5, zorder=3)
    if derivative:
        # Break the derivative only where it really jumps (ELU's kink vanishes for alpha = 1).
        h = 1e-9
        jumps_of_grad = [k for k in f.kinks
                         if abs(float(f.grad(k - h * max(1.0, abs(k)), **kw)) - float(f.grad(k + h * max(1.0, abs(k)), **kw))) > 1e-6]
        ax.plot(*_broken_at(x, f.grad(x, **kw), jumps_of_grad), color=derivative_color, linestyle="--",
                label="$f'(x)$")
    ax.axhline(0.0, color=PALETTE.black, linewidth=0.6, zorder=0)
    ax.axvline(0.0, color=PALETTE.black, linewidth=0.6, zorder=0)
    ax.set_xlim(low, high)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    if title:
        ax.set_title(activation_label(f, kw))
    return ax


def plot_activation_grid(
    activations: Sequence[Activation | str] | None = None,
    *,
    params: Mapping[str, Mapping[str, float]] | None = None,
    ncols: int = 4,
    x_range: tuple[float, float] = (-4.0, 4.0),
    panel_size: tuple[float, float] = (1.75, 1.55),
    xlabel: str = "input $x$",
    ylabel: str = "$f(x)$ and $f'(x)$",
) -> Figure:
    """One small panel per activation, each with :func:`plot_activation`, and one shared legend.

    Parameters
    ----------
    activations : sequence of Activation or str, optional
        What to draw, in order; every entry of :data:`lossbook.activations.REGISTRY` by default.
    params : mapping of str to mapping, optional
        Activation name -> its parameters, e.g. ``{"leaky_relu": {"alpha": 0.1}}``.
    ncols : int
        Panels per row.
    x_range : (float, float)
        The inputs shown in every panel.
    panel_size : (float, float)
        Width and height of one panel in inches.
    xlabel, ylabel : str
        The figure's shared axis labels.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; its Axes are ``fig.axes`` (unused cells of the grid are removed).
    """
    chosen = [_resolve(a) for a in (REGISTRY.values() if activations is None else activations)]
    if not chosen:
        raise ValueError("activations is empty: pass at least one")
    v.positive_integer(ncols, "ncols")
    params = dict(params or {})
    unknown = set(params) - {f.name for f in chosen}
    if unknown:
        raise ValueError(f"params given for activations not drawn: {sorted(unknown)}")
    ncols = min(int(ncols), len(chosen))
    nrows = -(-len(chosen) // ncols)
    # One shared x-axis: only the lowest panel of each column labels its ticks.
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel_size[0] * ncols, panel_size[1] * nrows + 0.6),
                             squeeze=False, sharex=True)
    for ax, f in zip(axes.flat, chosen, strict=False):  # (spare panels are hidden below)
        plot_activation(f, ax, params=params.get(f.name), x_range=x_range)
        ax.title.set_fontsize(10)
        ax.tick_params(labelsize=8)
    for i in range(len(chosen), nrows * ncols):
        axes.flat[i].remove()
        axes.flat[i - ncols].tick_params(labelbottom=True)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncols=2)
    fig.supxlabel(xlabel, fontsize=10)
    fig.supylabel(ylabel, fontsize=10)
    return fig


def plot_layer_gradient_norms(
    norms: Mapping[str, ArrayLike],
    ax: Axes | None = None,
    *,
    relative: bool = True,
    xlabel: str = "layer $l$ (1 = next to the input)",
    ylabel: str | None = None,
    colors: Sequence[str] | None = None,
) -> Axes:
    r"""Gradient norm against layer, one line per network, on a logarithmic axis.

    Parameters
    ----------
    norms : mapping of str to array_like
        Legend label -> :math:`\lVert \partial J/\partial W_l \rVert` for layers 1 to L (the
        output of :func:`lossbook.networks.layer_gradient_norms`).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current Axes by default.
    relative : bool, default True
        Divide each line by its last layer's value, so that lines start from 1 at the top and
        show how much of the gradient survives the way down.
    xlabel, ylabel : str
        Axis labels; ``ylabel`` depends on ``relative`` by default.
    colors : sequence of str, optional
        One per line; the palette's cycle by default.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if not norms:
        raise ValueError("norms is empty: pass at least one line")
    if colors is not None and len(colors) != len(norms):
        raise ValueError(f"colors has {len(colors)} entries for {len(norms)} lines")
    ax = plt.gca() if ax is None else ax
    markers = ("o", "s", "^", "D", "v", "P")
    for i, (label, values) in enumerate(norms.items()):
        g = v.as_vector(values, f"norms[{label!r}]")
        v.check_finite(g, f"norms[{label!r}]")
        if relative:
            if g[-1] <= 0:
                raise ValueError(f"norms[{label!r}] ends at {g[-1]!r}: cannot divide by the last layer's norm")
            g = g / g[-1]
        style: dict[str, Any] = {"label": label, "marker": markers[i % len(markers)], "markersize": 4}
        if colors is not None:
            style["color"] = colors[i]
        ax.plot(np.arange(1, g.size + 1), g, **style)
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    if ylabel is None:
        # mathtext has no \lVert; \| is its double bar
        norm = r"$\|\partial J/\partial W_l\|$"
        ylabel = norm + " / the last layer's" if relative else norm
    ax.set_ylabel(ylabel)
    ax.legend()
    return ax
