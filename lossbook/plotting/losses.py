r"""Figures of loss functions themselves: the loss and its gradient against the residual.

Each function takes a list of regression losses, each optionally with its parameters, and
draws one curve per entry, so a figure of "every regression loss" can be generated from
:data:`lossbook.losses.REGISTRY` and picks up a new loss without edits. The x-axis is the
residual :math:`r = \hat y - y` for a fixed target :math:`y`: for a loss of the residual alone
(squared, absolute, Huber, ...) the target does not matter, for a relative loss such as the
squared log error it does, and predictions outside a loss's domain are left out of its curve.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike, NDArray

from .. import _validation as v
from ..losses import REGISTRY, Loss
from .style import PALETTE

__all__ = ["LossSpec", "loss_label", "plot_gradient_shapes", "plot_loss_shapes"]

#: A loss, by registry name or object, optionally paired with its parameters.
LossSpec = Loss | str | tuple[Loss | str, Mapping[str, float]]

#: Symbols used in legend labels for the parameters of the registry's losses.
_SYMBOLS = {"delta": "δ", "quantile": "q"}
#: Default colours: the palette without yellow, which is too faint on white for a thin curve
#: among many, and with black, so that seven regression losses get seven colours (an eighth repeats
#: the first colour with another line style).
_COLORS = (*(c for c in PALETTE if c not in (PALETTE.yellow, PALETTE.black)), PALETTE.black)
#: Line styles cycled with the colours, so that curves stay apart in greyscale too.
_LINESTYLES = ("-", "--", "-.", ":")


def _resolve(spec: LossSpec) -> tuple[Loss, dict[str, Any]]:
    """Split a spec into a regression loss and its checked parameters (defaults filled in)."""
    if isinstance(spec, tuple):
        if len(spec) != 2 or not isinstance(spec[1], Mapping):
            raise ValueError(f"a (loss, params) pair must hold a loss and a mapping of parameters, got {spec!r}")
        loss, params = spec
    else:
        loss, params = spec, {}
    if isinstance(loss, str):
        if loss not in REGISTRY:
            raise ValueError(f"unknown loss {loss!r}; choose one of {sorted(REGISTRY)}")
        loss = REGISTRY[loss]
    if not isinstance(loss, Loss):
        raise TypeError(f"expected a Loss, a registry name or a (loss, params) pair, got {type(loss).__name__}")
    if loss.task != "regression":
        raise ValueError(
            f"{loss.name!r} is a {loss.task} loss; these figures plot regression losses against the "
            f"residual y_pred - y_true"
        )
    return loss, dict(loss.check_params(**params))


def loss_label(spec: LossSpec) -> str:
    """Legend label of a loss with the parameters it is given, e.g. ``"Huber (δ = 2)"``.

    The loss is named as in prose (``"squared log error"``, not the registry's
    ``squared_log_error``). Parameters left at their defaults are shown too, since they change
    the curve.
    """
    loss, params = _resolve(spec)
    name = loss.display_name
    if not params:
        return name
    shown = ", ".join(f"{_SYMBOLS.get(k, k)} = {value:g}" for k, value in params.items())
    return f"{name} ({shown})"


def _curve(
    loss: Loss, params: Mapping[str, float], y_true: float, residuals: NDArray[np.float64], kind: str
) -> NDArray[np.float64]:
    """The loss (or its derivative) along ``residuals``, NaN where the prediction is outside the domain."""
    func: Callable[..., NDArray[np.float64]] = loss if kind == "value" else loss.grad
    y = np.full_like(residuals, y_true)
    y_pred = y_true + residuals
    try:
        return func(y, y_pred, **params)
    except ValueError:
        pass
    # Some predictions are outside the domain (the squared log error needs y_pred > -1):
    # evaluate point by point and leave a gap where the loss is undefined.
    out = np.full_like(residuals, np.nan)
    first_error: ValueError | None = None
    for i in range(y_pred.size):
        try:
            out[i] = func(y[i : i + 1], y_pred[i : i + 1], **params)[0]
        except ValueError as err:
            first_error = first_error or err
    if np.isnan(out).all():
        raise ValueError(
            f"{loss.name} is undefined for every residual in the range with y_true = {y_true:g}"
        ) from first_error
    return out


def _plot(
    specs: Sequence[LossSpec],
    kind: str,
    ax: Axes | None,
    y_true: float,
    residuals: ArrayLike | None,
    labels: Sequence[str] | None,
    colors: Sequence[str] | None,
    linestyles: Sequence[str] | None,
    xlabel: str,
    ylabel: str,
    legend: bool,
) -> Axes:
    if isinstance(specs, (Loss, str, tuple)):
        raise TypeError("pass a list of losses, e.g. [losses.huber], not a single loss")
    resolved = [_resolve(spec) for spec in specs]
    if not resolved:
        raise ValueError("no losses to plot: pass at least one")
    for name, option in (("labels", labels), ("colors", colors), ("linestyles", linestyles)):
        if option is not None and len(option) != len(resolved):
            raise ValueError(f"{name} has {len(option)} entries for {len(resolved)} losses")
    y0 = v.real_number(y_true, "y_true")
    r = np.linspace(-3.0, 3.0, 601) if residuals is None else v.as_vector(residuals, "residuals")
    v.check_finite(r, "residuals")
    ax = plt.gca() if ax is None else ax

    for i, (loss, params) in enumerate(resolved):
        ax.plot(
            r,
            _curve(loss, params, y0, r, kind),
            label=labels[i] if labels is not None else loss_label((loss, params)),
            color=colors[i] if colors is not None else _COLORS[i % len(_COLORS)],
            linestyle=linestyles[i] if linestyles is not None else _LINESTYLES[i % len(_LINESTYLES)],
        )

    ax.axhline(0.0, color="#808080", linewidth=0.8, zorder=1)
    ax.axvline(0.0, color="#808080", linewidth=0.8, zorder=1)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if legend:
        ax.legend()
    return ax


def plot_loss_shapes(
    specs: Sequence[LossSpec],
    ax: Axes | None = None,
    *,
    y_true: float = 0.0,
    residuals: ArrayLike | None = None,
    labels: Sequence[str] | None = None,
    colors: Sequence[str] | None = None,
    linestyles: Sequence[str] | None = None,
    xlabel: str = "residual $r = \\hat{y} - y$",
    ylabel: str = "loss $\\ell(y, \\hat{y})$",
    legend: bool = True,
) -> Axes:
    r"""Plot each loss :math:`\ell(y, y + r)` against the residual :math:`r`.

    Parameters
    ----------
    specs : sequence of LossSpec
        The regression losses, each a :class:`~lossbook.losses.Loss`, a registry name, or a
        ``(loss, params)`` pair such as ``(losses.huber, {"delta": 2.0})``. Parameters not
        given take the loss's defaults.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current Axes by default.
    y_true : float, default 0.0
        The fixed target :math:`y`. Only losses that are not functions of the residual alone
        (the squared log error) depend on it.
    residuals : array_like of shape (m,), optional
        Residuals at which to evaluate; 601 points from -3 to 3 by default. Residuals whose
        prediction :math:`y + r` is outside a loss's domain leave a gap in its curve.
    labels : sequence of str, optional
        One legend label per loss; by default the name and the parameters
        (see :func:`loss_label`).
    colors, linestyles : sequence of str, optional
        One per loss; by default six colours of :data:`~lossbook.plotting.PALETTE` and black
        (yellow is too faint for a thin curve on white), each with a different line style
        from a cycle of four.
    xlabel, ylabel : str
        Axis labels; include the unit of :math:`y` when it has one.
    legend : bool, default True
        Draw a legend on ``ax`` (turn it off to draw one legend for several Axes).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        For a classification loss, an unknown name, bad parameters, an empty list, options of the
        wrong length, or a loss that is undefined at every residual.
    TypeError
        If ``specs`` is a single loss rather than a list.
    """
    return _plot(specs, "value", ax, y_true, residuals, labels, colors, linestyles, xlabel, ylabel, legend)


def plot_gradient_shapes(
    specs: Sequence[LossSpec],
    ax: Axes | None = None,
    *,
    y_true: float = 0.0,
    residuals: ArrayLike | None = None,
    labels: Sequence[str] | None = None,
    colors: Sequence[str] | None = None,
    linestyles: Sequence[str] | None = None,
    xlabel: str = "residual $r = \\hat{y} - y$",
    ylabel: str = "gradient $\\partial \\ell / \\partial \\hat{y}$",
    legend: bool = True,
) -> Axes:
    r"""Plot each loss's derivative :math:`\partial \ell / \partial \hat y` against the residual.

    The derivative is the loss's own ``.grad`` (at a kink, the subgradient it returns). It is
    the pull that one example exerts on a model during gradient descent: unbounded for the
    squared error, constant in size for the absolute error, capped at :math:`\delta` for Huber.
    Parameters and return value as for :func:`plot_loss_shapes`.
    """
    return _plot(specs, "grad", ax, y_true, residuals, labels, colors, linestyles, xlabel, ylabel, legend)
