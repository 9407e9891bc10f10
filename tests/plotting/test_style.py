"""The book's style, and the regression and optimisation figures."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lossbook.plotting import PALETTE, Palette, plot_actual_vs_predicted, plot_cost_curves


def test_style_is_colour_blind_safe_and_opaque() -> None:
    assert plt.rcParams["figure.facecolor"] == "white"
    assert plt.rcParams["savefig.transparent"] is False
    cycle = [c["color"] for c in plt.rcParams["axes.prop_cycle"]]
    assert cycle[0] == PALETTE.blue and PALETTE.black not in cycle
    assert isinstance(PALETTE, Palette) and len(set(PALETTE)) == 8


def test_actual_vs_predicted() -> None:
    ax = plot_actual_vs_predicted([1, 2, 3], [1.5, 2, 2])
    assert ax is plt.gca()
    with pytest.raises(ValueError, match="shape"):
        plot_actual_vs_predicted([1, 2, 3], [[1], [2], [3]])


def test_cost_curves_skip_non_finite_points() -> None:
    _, ax = plt.subplots()
    out = plot_cost_curves({"a": [3, 2, 1], "b": [1, 10, np.inf]}, ax=ax)
    assert out is ax and ax.get_yscale() == "log" and len(ax.lines) == 2
    with pytest.raises(ValueError):
        plot_cost_curves({})
    with pytest.raises(ValueError):
        plot_cost_curves({"a": [1, 2]}, colors=["r", "g"])
