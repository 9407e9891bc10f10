r"""Reliability diagrams: predicted probabilities against observed frequencies.

:func:`plot_reliability_diagram` draws, for one or more models evaluated on the same labels, the
reliability curve of :func:`lossbook.calibration.reliability_curve`: the mean predicted
probability of each bin of equal width on the horizontal axis, the fraction of positives among
its examples on the vertical one. A calibrated model follows the diagonal; a curve flatter than
the diagonal (above it at low probabilities, below it at high ones) is **over-confident**, its
probabilities too close to 0 and 1, and a steeper one is under-confident. Each model gets its own
colour, marker and line style, so the curves stay apart in greyscale, and its legend entry
carries its Brier score (:func:`lossbook.calibration.brier_score`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.typing import LegendLocType, LineStyleType
from numpy.typing import ArrayLike

from ..calibration import brier_score, reliability_curve
from .style import PALETTE

__all__ = ["plot_reliability_diagram"]

#: Model colours, markers and line styles, in the order of the mapping of probabilities.
MODEL_COLORS = (PALETTE.blue, PALETTE.vermillion, PALETTE.bluish_green, PALETTE.reddish_purple, PALETTE.orange)
MODEL_MARKERS = ("o", "s", "^", "D", "v")
MODEL_LINESTYLES: tuple[LineStyleType, ...] = ("-", "--", "-.", ":")


def plot_reliability_diagram(
    y_true: ArrayLike,
    probabilities: Mapping[str, ArrayLike],
    ax: Axes | None = None,
    *,
    n_bins: int = 10,
    show_counts: bool = False,
    brier_digits: int = 4,
    colors: Sequence[str] | None = None,
    markers: Sequence[str] | None = None,
    legend_loc: LegendLocType = "upper left",
) -> Axes:
    r"""Draw the reliability curve of each model's probabilities, with the diagonal and the Brier score.

    For every model, the predictions are sorted into ``n_bins`` bins of equal width on [0, 1];
    each non-empty bin :math:`j` is drawn at :math:`(\bar p_j, \bar y_j)`, its mean predicted
    probability and its fraction of positives (see
    :func:`lossbook.calibration.reliability_curve`), and consecutive bins are joined by a line.
    The dotted diagonal :math:`\bar y = \bar p` is perfect calibration.

    Parameters
    ----------
    y_true : array_like of shape (n,)
        Labels, 0 or 1, shared by all models.
    probabilities : mapping of str to array_like of shape (n,)
        Legend label -> that model's predicted probabilities of class 1 for the same examples,
        in [0, 1]. At least one.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; the current Axes by default.
    n_bins : int, default 10
        Number of bins of equal width.
    show_counts : bool, default False
        If true, a marker's area is proportional to the number of examples in its bin (the
        largest bin of all models gets a 12-point marker; none is drawn narrower than 3
        points), so that bins with few examples, whose fraction is a noisy estimate, look
        small. Otherwise every marker is 6 points wide.
    brier_digits : int, default 4
        Decimals of the Brier score in the legend.
    colors, markers : sequence of str, optional
        One per model, in the order of ``probabilities``; by default blue, vermillion, bluish
        green, reddish purple and orange, with circles, squares, triangles, diamonds and
        downward triangles (line styles solid, dashed, dash-dotted, dotted).
    legend_loc : str, default "upper left"
        Where matplotlib puts the legend. The upper left corner (high observed frequencies for
        low probabilities) is often the emptiest; with few examples per bin no corner need be,
        and the caller can move the legend out of the Axes.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on, with both axes on [0, 1], labelled "mean predicted probability" and
        "fraction of positives", and a square aspect.

    Raises
    ------
    ValueError
        If ``probabilities`` is empty, an option does not have one entry per model, or the
        labels and a model's probabilities are not valid for
        :func:`~lossbook.calibration.reliability_curve` (shapes, labels 0 or 1, probabilities in
        [0, 1], ``n_bins`` an integer >= 1).
    """
    if not probabilities:
        raise ValueError("probabilities is empty: pass at least one model, e.g. {'logistic': p}")
    n_models = len(probabilities)
    for name, option in (("colors", colors), ("markers", markers)):
        if option is not None and (isinstance(option, str) or len(option) != n_models):
            raise ValueError(f"{name} must have one entry per model ({n_models}), got {option!r}")
    if isinstance(brier_digits, bool) or not isinstance(brier_digits, (int, np.integer)) or brier_digits < 0:
        raise ValueError(f"brier_digits must be an integer >= 0, got {brier_digits!r}")
    line_colors = colors if colors is not None else [MODEL_COLORS[i % len(MODEL_COLORS)] for i in range(n_models)]
    line_markers = markers if markers is not None else [MODEL_MARKERS[i % len(MODEL_MARKERS)] for i in range(n_models)]

    # all curves first: a bad input raises before anything is drawn, and the counts share a scale
    curves = {label: reliability_curve(y_true, p, n_bins=n_bins) for label, p in probabilities.items()}
    scores = {label: brier_score(y_true, p) for label, p in probabilities.items()}
    largest = max(int(count.max()) for _, _, count in curves.values())

    ax = plt.gca() if ax is None else ax
    ax.plot([0.0, 1.0], [0.0, 1.0], color=PALETTE.black, linestyle=":", linewidth=1.2, zorder=2)
    handles = [Line2D([], [], color=PALETTE.black, linestyle=":", linewidth=1.2, label="perfectly calibrated")]
    for i, (label, (fraction, mean_predicted, count)) in enumerate(curves.items()):
        color, marker = line_colors[i], line_markers[i]
        style = MODEL_LINESTYLES[i % len(MODEL_LINESTYLES)]
        ax.plot(mean_predicted, fraction, color=color, linestyle=style, linewidth=1.6, zorder=3)
        # area proportional to the count (the largest bin: a 12-point marker), at least 3 points wide
        sizes = np.maximum(144.0 * count / largest, 9.0) if show_counts else np.full(count.size, 36.0)
        # a black edge sets filled markers off the line; a line marker ("x") is all edge
        edge = PALETTE.black if MarkerStyle(marker).is_filled() else color
        ax.scatter(mean_predicted, fraction, s=sizes, marker=marker, color=color,
                   edgecolors=None if edge == color else edge, linewidths=0.5 if edge != color else 1.5,
                   zorder=4)
        handles.append(Line2D([], [], color=color, linestyle=style, linewidth=1.6, marker=marker, markersize=6,
                              markeredgecolor=edge, markeredgewidth=0.5 if edge != color else 1.5,
                              label=f"{label} (Brier {scores[label]:.{int(brier_digits)}f})"))
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(0.0, 1.0)
    ax.set_aspect("equal")
    ax.set_xlabel("mean predicted probability")
    ax.set_ylabel("fraction of positives")
    ax.legend(handles=handles, loc=legend_loc)
    return ax
