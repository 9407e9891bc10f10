r"""Figures for classification with two features: decision boundaries and decision regions.

Both functions evaluate a fitted model on a regular grid that covers the data (plus a margin)
and draw the result under a scatter of the data, one marker *and* one colour per class, so
that the classes stay apart in greyscale and under colour-vision deficiency.

- :func:`plot_decision_boundaries` is for binary models that output a real score
  :math:`s(x)` (a logit or a margin score) through ``decision_function``: the boundary is the
  level set :math:`s(x) = 0`, drawn as a line, so several models can share one figure.
- :func:`plot_decision_regions` is for any classifier with ``predict``, binary or multi-class:
  each grid point is coloured by its predicted class.

Any object with the right method works: the models of :mod:`lossbook.models` and
scikit-learn's estimators alike. The features must be 2-D, shape ``(n, 2)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.typing import LegendLocType, LineStyleType
from numpy.typing import ArrayLike, NDArray

from .. import _validation as v
from .style import PALETTE

__all__ = ["plot_decision_boundaries", "plot_decision_regions"]

Array = NDArray[np.float64]


class Scorer(Protocol):
    """A fitted binary model with a real-valued score; the boundary is where it is 0."""

    def decision_function(self, X: Array) -> ArrayLike: ...


class Classifier(Protocol):
    """A fitted classifier returning integer class labels."""

    def predict(self, X: Array) -> ArrayLike: ...


#: Class colours, in label order. Yellow is last: it is faint on white.
CLASS_COLORS = (
    PALETTE.blue, PALETTE.orange, PALETTE.bluish_green, PALETTE.reddish_purple,
    PALETTE.vermillion, PALETTE.sky_blue, PALETTE.yellow,
)
#: Class markers, in label order: distinct shapes, so colour is never the only cue.
CLASS_MARKERS = ("o", "^", "s", "D", "v", "P", "X")
#: Boundary line colours and styles, in model order; chosen apart from the first two class
#: colours (blue and orange) so that a boundary never looks like a class of points.
BOUNDARY_COLORS = (PALETTE.black, PALETTE.bluish_green, PALETTE.reddish_purple, PALETTE.vermillion, PALETTE.sky_blue)
BOUNDARY_LINESTYLES: tuple[LineStyleType, ...] = ("-", "--", "-.", ":")


def _features(X: ArrayLike) -> Array:
    a = v.as_float_array(X, "X")
    if a.ndim != 2 or a.shape[1] != 2:
        raise ValueError(
            f"X must have shape (n, 2), one column per plotted feature, got shape {a.shape}; "
            f"select two features first (e.g. Dataset.features(name_1, name_2))"
        )
    v.check_finite(a, "X")
    return a


def _labels(y: ArrayLike, n: int) -> NDArray[np.float64]:
    labels = v.as_float_array(y, "y")
    if labels.shape != (n,):
        raise ValueError(f"y must hold one label per row of X, shape ({n},), got shape {labels.shape}")
    return labels


def _names(names: Sequence[str], count: int, what: str) -> tuple[str, ...]:
    if isinstance(names, str) or len(names) != count:
        raise ValueError(f"{what} must be a sequence of {count} strings, got {names!r}")
    return tuple(str(name) for name in names)


def _grid(X: Array, padding: float, resolution: int) -> tuple[Array, Array, Array]:
    """A ``resolution`` x ``resolution`` grid over the data's bounding box, widened by ``padding``."""
    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)) or resolution < 2:
        raise ValueError(f"resolution must be an integer >= 2, got {resolution!r}")
    pad = v.non_negative(padding, "padding")
    low, high = X.min(axis=0), X.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    low, high = low - pad * span, high + pad * span
    xx, yy = np.meshgrid(np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def _scatter_classes(
    ax: Axes, X: Array, labels: NDArray[np.intp], class_names: Sequence[str], *, edge: bool
) -> list[Line2D]:
    """Scatter each class with its own marker and colour; return legend handles in class order."""
    handles = []
    for k, name in enumerate(class_names):
        rows = labels == k
        marker, color = CLASS_MARKERS[k], CLASS_COLORS[k]
        edge_color, edge_width = (PALETTE.black, 0.5) if edge else (color, 0.0)
        ax.scatter(X[rows, 0], X[rows, 1], s=24, alpha=0.8, zorder=2, marker=marker, color=color,
                   edgecolors=edge_color if edge else None, linewidths=edge_width)
        handles.append(
            Line2D([], [], linestyle="none", marker=marker, color=color, markersize=6, alpha=0.8,
                   label=f"{name} ({int(rows.sum())})", markeredgecolor=edge_color, markeredgewidth=edge_width)
        )
    return handles


def _finish(ax: Axes, xx: Array, yy: Array, feature_names: Sequence[str]) -> None:
    names = _names(feature_names, 2, "feature_names")
    ax.set_xlim(float(xx.min()), float(xx.max()))
    ax.set_ylim(float(yy.min()), float(yy.max()))
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])


def plot_decision_boundaries(
    X: ArrayLike,
    y: ArrayLike,
    models: Mapping[str, Scorer],
    ax: Axes | None = None,
    *,
    feature_names: Sequence[str] = ("feature 1", "feature 2"),
    class_names: Sequence[str] = ("class 0", "class 1"),
    colors: Sequence[str] | None = None,
    linestyles: Sequence[LineStyleType] | None = None,
    resolution: int = 300,
    padding: float = 0.05,
    legend_loc: LegendLocType = "best",
) -> Axes:
    r"""Scatter two-feature binary data and draw each model's decision boundary :math:`s(x) = 0`.

    Each model's score :math:`s(x)` (``decision_function``: a logit for logistic regression,
    a margin score for a hinge model) is evaluated on a grid covering the data; its zero level
    set is the boundary, where the predicted class changes. For a linear model
    :math:`s(x) = w^\top x + b` it is the straight line :math:`w^\top x + b = 0`.

    Parameters
    ----------
    X : array_like of shape (n, 2)
        The two features, one point per row.
    y : array_like of shape (n,)
        Binary labels, either in {0, 1} or in {-1, +1}; the negative class (0 or -1) is drawn
        first, with the first of ``class_names``.
    models : mapping of str to fitted model
        Legend label -> fitted binary model with ``decision_function(X)`` returning one score
        per row (lossbook's :class:`~lossbook.models.LogisticRegression`, scikit-learn's
        linear classifiers, ...). At least one.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current Axes by default.
    feature_names : pair of str
        Axis labels, x then y; include units.
    class_names : pair of str
        Legend names of the negative and the positive class; the legend adds each class's count.
    colors, linestyles : sequence of str, optional
        One per model, in the order of ``models``; by default black, bluish green, reddish
        purple, vermillion and sky blue (never the blue and orange of the points), with solid,
        dashed, dash-dotted and dotted lines.
    resolution : int, default 300
        Grid points per axis.
    padding : float, default 0.05
        Margin around the data, as a fraction of each feature's range.
    legend_loc : str, default "best"
        Where matplotlib puts the legend.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``X`` is not a finite ``(n, 2)`` array, ``y`` does not hold one binary label per row,
        ``models`` is empty, an option does not have one entry per model (or per class or
        feature), or a model returns other than one score per grid point.

    Notes
    -----
    A model whose score does not change sign over the plotted area has no boundary in view;
    its legend entry then says so instead of a line being drawn.
    """
    Xa = _features(X)
    signed = v.as_signed_labels(_labels(y, Xa.shape[0]), "y")
    labels = (signed > 0).astype(np.intp)
    names = _names(class_names, 2, "class_names")
    if not models:
        raise ValueError("models is empty: pass at least one fitted model, e.g. {'logistic': model}")
    n_models = len(models)
    for name, option in (("colors", colors), ("linestyles", linestyles)):
        if option is not None and len(option) != n_models:
            raise ValueError(f"{name} has {len(option)} entries for {n_models} models")
    line_colors = colors if colors is not None else [BOUNDARY_COLORS[i % len(BOUNDARY_COLORS)] for i in range(n_models)]
    line_styles = (
        linestyles if linestyles is not None
        else [BOUNDARY_LINESTYLES[i % len(BOUNDARY_LINESTYLES)] for i in range(n_models)]
    )
    xx, yy, grid = _grid(Xa, padding, resolution)
    ax = plt.gca() if ax is None else ax

    handles = _scatter_classes(ax, Xa, labels, names, edge=False)
    for (label, model), color, style in zip(models.items(), line_colors, line_styles, strict=False):
        score = np.asarray(model.decision_function(grid), dtype=np.float64)
        if score.size != grid.shape[0] or (score.ndim > 1 and score.shape[1:] != (1,) * (score.ndim - 1)):
            raise ValueError(
                f"model {label!r}: decision_function returned shape {score.shape} for {grid.shape[0]} points; "
                f"a binary model returns one score per row (use plot_decision_regions for multi-class models)"
            )
        score = score.reshape(xx.shape)
        v.check_finite(score, f"the scores of model {label!r}")
        if score.min() < 0.0 < score.max():
            ax.contour(xx, yy, score, levels=[0.0], colors=[color], linestyles=[style], linewidths=2.0, zorder=3)
        else:
            label = f"{label} (no boundary in view)"
        handles.append(Line2D([], [], color=color, linestyle=style, linewidth=2.0, label=label))

    _finish(ax, xx, yy, feature_names)
    ax.legend(handles=handles, loc=legend_loc)
    return ax


def plot_decision_regions(
    X: ArrayLike,
    y: ArrayLike,
    model: Classifier,
    ax: Axes | None = None,
    *,
    feature_names: Sequence[str] = ("feature 1", "feature 2"),
    class_names: Sequence[str] | None = None,
    resolution: int = 300,
    padding: float = 0.05,
    alpha: float = 0.25,
    legend_loc: LegendLocType = "best",
) -> Axes:
    r"""Colour the feature plane by a classifier's predicted class, with the data on top.

    ``model.predict`` is evaluated on a grid covering the data; each class's region is filled
    with a light tint of its colour, thin black lines separate the regions, and each class's
    points are drawn with that colour and their own marker (black-edged, so that a point
    stays visible inside a region of its own colour). A misclassified point is one whose
    colour differs from the region under it.

    Parameters
    ----------
    X : array_like of shape (n, 2)
        The two features, one point per row.
    y : array_like of shape (n,)
        Integer class labels 0, ..., k - 1.
    model : fitted classifier
        Any object with ``predict(X)`` returning integer labels 0, ..., k - 1, one per row
        (lossbook's :class:`~lossbook.models.SoftmaxRegression`, scikit-learn classifiers, ...).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current Axes by default.
    feature_names : pair of str
        Axis labels, x then y; include units.
    class_names : sequence of str, optional
        One legend name per class, which also fixes k; by default ``"class 0"``, ... for
        k = 1 + the largest label in ``y``. The legend adds each class's count.
    resolution : int, default 300
        Grid points per axis.
    padding : float, default 0.05
        Margin around the data, as a fraction of each feature's range.
    alpha : float, default 0.25
        Opacity of the filled regions, in (0, 1].
    legend_loc : str, default "best"
        Where matplotlib puts the legend.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ValueError
        If ``X`` is not a finite ``(n, 2)`` array, ``y`` does not hold one integer label in
        [0, k) per row, there are more than seven classes (the palette's distinguishable
        colours), ``alpha`` is outside (0, 1], or the model predicts a label outside [0, k).
    """
    Xa = _features(X)
    raw = _labels(y, Xa.shape[0])
    if class_names is None:
        v.check_finite(raw, "y")
        k = max(int(raw.max()) + 1, 2)
        names = tuple(f"class {i}" for i in range(k))
    else:
        if isinstance(class_names, str) or len(class_names) < 2:
            raise ValueError(f"class_names must be a sequence of at least 2 strings, got {class_names!r}")
        names = tuple(str(name) for name in class_names)
        k = len(names)
    if k > len(CLASS_COLORS):
        raise ValueError(f"at most {len(CLASS_COLORS)} classes can be told apart by colour, got {k}")
    labels = v.check_class_indices(raw, k, "y")
    opacity = v.positive(alpha, "alpha")
    if opacity > 1.0:
        raise ValueError(f"alpha must lie in (0, 1], got {alpha!r}")
    xx, yy, grid = _grid(Xa, padding, resolution)
    ax = plt.gca() if ax is None else ax

    predicted = np.asarray(model.predict(grid))
    if predicted.shape != (grid.shape[0],):
        raise ValueError(
            f"model.predict returned shape {predicted.shape} for {grid.shape[0]} points; expected one label per row"
        )
    predicted = v.check_class_indices(v.as_float_array(predicted, "model.predict(X)"), k, "model.predict(X)")
    # One filled band per class: label c lies in (c - 1/2, c + 1/2).
    levels = np.arange(k + 1) - 0.5
    regions = predicted.reshape(xx.shape).astype(np.float64)
    ax.contourf(xx, yy, regions, levels=levels, colors=CLASS_COLORS[:k], alpha=opacity, zorder=0)
    # Region borders: only the half-integer levels between the labels actually predicted
    # (matplotlib warns about a contour call with no level inside the data's range).
    inner = levels[(levels > predicted.min()) & (levels < predicted.max())]
    if inner.size:
        ax.contour(xx, yy, regions, levels=inner, colors=[PALETTE.black], linewidths=0.8, zorder=1)

    handles = _scatter_classes(ax, Xa, labels, names, edge=True)
    _finish(ax, xx, yy, feature_names)
    ax.legend(handles=handles, loc=legend_loc)
    return ax
