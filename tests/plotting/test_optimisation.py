"""Optimisation figures: cost curves, and cost contours with optimiser paths."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lossbook.plotting import plot_cost_contour, plot_cost_curves


def bowl(theta: np.ndarray) -> float:
    return float(theta[0] ** 2 + 10.0 * theta[1] ** 2 + 1.0)


def test_cost_curves_mask_non_positive_values_on_a_log_axis() -> None:
    _fig, ax = plt.subplots()
    plot_cost_curves({"gap": [1.0, 1e-3, 0.0, -1e-16]}, ax=ax)
    y = ax.lines[0].get_ydata()
    assert np.isnan(y[2]) and np.isnan(y[3]) and y[1] == 1e-3
    _fig, ax = plt.subplots()
    plot_cost_curves({"gap": [1.0, 0.0, -1.0]}, ax=ax, log=False)
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [1.0, 0.0, -1.0])


def test_cost_curves_take_x_values_per_run() -> None:
    _fig, ax = plt.subplots()
    plot_cost_curves({"a": [3.0, 2.0, 1.0], "b": [1.0, 0.5]}, ax=ax, x={"a": [0, 5, 10]})
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [0, 5, 10])
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), [0, 1])
    with pytest.raises(ValueError, match="not in histories"):
        plot_cost_curves({"a": [1.0]}, ax=ax, x={"b": [0]})
    with pytest.raises(ValueError, match="shape"):
        plot_cost_curves({"a": [1.0, 2.0]}, ax=ax, x={"a": [0, 1, 2]})


def test_contour_with_paths_and_minimum() -> None:
    _fig, ax = plt.subplots()
    path = np.array([[2.0, 1.0], [1.0, 0.5], [0.5, 0.1], [0.0, 0.0]])
    out = plot_cost_contour(
        bowl, (-3, 3), (-2, 2), {"descent": path, "other": path[:2]}, ax=ax,
        minimum=[0.0, 0.0], n_grid=21, levels=5, xlabel="w", ylabel="b",
    )
    assert out is ax
    assert len(ax.collections) >= 1                     # the contour set
    assert len(ax.lines) == 3                           # two paths and the minimum
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), path[:, 0])
    assert ax.get_xlim() == (-3.0, 3.0) and ax.get_ylim() == (-2.0, 2.0)
    assert ax.get_xlabel() == "w" and ax.get_ylabel() == "b"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["descent", "other", "minimum"]


def test_contour_evaluates_the_cost_once_per_grid_point_and_skips_non_finite_values() -> None:
    calls = []

    def cost(theta):
        calls.append(theta.copy())
        return np.inf if theta[0] > 2.5 else bowl(theta)

    _fig, ax = plt.subplots()
    plot_cost_contour(cost, (-3, 3), (-2, 2), ax=ax, n_grid=7)
    assert len(calls) == 49 and all(c.shape == (2,) for c in calls)
    assert ax.get_legend() is None                       # nothing to label


def test_contour_markers_are_thinned_on_long_paths() -> None:
    _fig, ax = plt.subplots()
    path = np.column_stack([np.linspace(2, 0, 1001), np.linspace(1, 0, 1001)])
    plot_cost_contour(bowl, (-3, 3), (-2, 2), {"long": path}, ax=ax, n_grid=5, max_markers=10)
    assert ax.lines[0].get_markevery() == 101


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"x_range": (1, 1)}, "x_range"),
        ({"y_range": (0, np.nan)}, "y_range"),
        ({"x_range": "ab"}, "x_range"),
        ({"n_grid": 1}, "n_grid"),
        ({"levels": True}, "levels"),
        ({"decades": 0}, "decades"),
        ({"paths": {"p": [1.0, 2.0]}}, "shape"),
        ({"paths": {"p": [[0.0, np.inf]]}}, "NaN or infinite"),
        ({"paths": {"p": [[0.0, 0.0]]}, "colors": ["r", "g"]}, "colors"),
        ({"minimum": [0.0, 0.0, 0.0]}, "minimum"),
        ({"cost": lambda t: np.nan}, "not finite anywhere"),
        ({"cost": lambda t: 1.0}, "constant"),
    ],
)
def test_contour_rejects_bad_input(kwargs, match) -> None:
    args = {"cost": bowl, "x_range": (-1, 1), "y_range": (-1, 1), "n_grid": 5, **kwargs}
    with pytest.raises(ValueError, match=match):
        plot_cost_contour(**args)


def test_contour_labels_its_levels_when_asked() -> None:
    fig, ax = plt.subplots()
    plot_cost_contour(lambda t: float(t @ t), (-1, 1), (-1, 1), ax=ax, levels=8,
                      label_levels=True, level_format=lambda level: f"J = {level:.2g}")
    labels = [text.get_text() for text in ax.texts]
    # every other level is labelled (matplotlib skips a contour too small to hold its label)
    assert 1 <= len(labels) <= 4 and all(label.startswith("J = ") for label in labels)
    fig_plain, ax_plain = plt.subplots()
    plot_cost_contour(lambda t: float(t @ t), (-1, 1), (-1, 1), ax=ax_plain, levels=8)
    assert not ax_plain.texts
    plt.close(fig)
    plt.close(fig_plain)
