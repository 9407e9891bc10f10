"""Reliability diagrams of predicted probabilities."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgb

from lossbook.calibration import brier_score, reliability_curve
from lossbook.plotting import PALETTE, plot_reliability_diagram


@pytest.fixture
def labels_and_probabilities() -> tuple[np.ndarray, dict[str, np.ndarray]]:
    rng = np.random.default_rng(1)
    p = rng.uniform(size=400)
    y = (rng.uniform(size=400) < p).astype(int)
    # a calibrated model and an over-confident one (the same scores, sharpened)
    logit = np.log(p / (1 - p))
    return y, {"calibrated": p, "over-confident": 1 / (1 + np.exp(-3 * logit))}


def legend_texts(ax: plt.Axes) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_draws_the_diagonal_and_one_curve_per_model(labels_and_probabilities) -> None:
    y, probabilities = labels_and_probabilities
    ax = plot_reliability_diagram(y, probabilities)
    assert ax is plt.gca()
    diagonal, *curves = ax.get_lines()
    np.testing.assert_array_equal(diagonal.get_xydata(), [[0, 0], [1, 1]])
    assert len(curves) == 2
    for line, p in zip(curves, probabilities.values(), strict=True):
        fraction, mean_predicted, _ = reliability_curve(y, p)
        np.testing.assert_allclose(line.get_xdata(), mean_predicted)
        np.testing.assert_allclose(line.get_ydata(), fraction)
    assert ax.get_xlabel() == "mean predicted probability"
    assert ax.get_ylabel() == "fraction of positives"
    assert ax.get_xlim() == (0.0, 1.0) and ax.get_ylim() == (0.0, 1.0)


def test_legend_gives_each_model_its_brier_score(labels_and_probabilities) -> None:
    y, probabilities = labels_and_probabilities
    ax = plot_reliability_diagram(y, probabilities, brier_digits=3)
    expected = [f"{name} (Brier {brier_score(y, p):.3f})" for name, p in probabilities.items()]
    assert legend_texts(ax) == ["perfectly calibrated", *expected]


def test_models_differ_in_colour_marker_and_line_style(labels_and_probabilities) -> None:
    y, probabilities = labels_and_probabilities
    _fig, ax = plt.subplots()
    out = plot_reliability_diagram(y, probabilities, ax=ax)
    assert out is ax
    _, first, second = ax.get_lines()
    assert first.get_linestyle() != second.get_linestyle()
    assert to_rgb(first.get_color()) == to_rgb(PALETTE.blue)
    assert to_rgb(second.get_color()) == to_rgb(PALETTE.vermillion)
    handles = ax.get_legend().legend_handles
    assert handles[1].get_marker() != handles[2].get_marker()


def test_counts_set_marker_areas(labels_and_probabilities) -> None:
    y, probabilities = labels_and_probabilities
    ax = plot_reliability_diagram(y, {"calibrated": probabilities["calibrated"]}, n_bins=5, show_counts=True)
    (points,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    _, _, count = reliability_curve(y, probabilities["calibrated"], n_bins=5)
    np.testing.assert_allclose(points.get_sizes(), np.maximum(144.0 * count / count.max(), 9.0))


def test_custom_colours_and_markers(labels_and_probabilities) -> None:
    y, probabilities = labels_and_probabilities
    ax = plot_reliability_diagram(y, probabilities, colors=[PALETTE.black, PALETTE.orange], markers=["x", "+"])
    handles = ax.get_legend().legend_handles
    assert [h.get_marker() for h in handles[1:]] == ["x", "+"]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"colors": ["red"]}, "colors must have one entry per model"),
    ({"markers": "os"}, "markers must have one entry per model"),
    ({"n_bins": 0}, "n_bins"),
    ({"brier_digits": -1}, "brier_digits"),
])
def test_bad_options(labels_and_probabilities, kwargs, message) -> None:
    y, probabilities = labels_and_probabilities
    with pytest.raises(ValueError, match=message):
        plot_reliability_diagram(y, probabilities, **kwargs)


def test_bad_data_raise_before_drawing(labels_and_probabilities) -> None:
    y, probabilities = labels_and_probabilities
    _fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="empty"):
        plot_reliability_diagram(y, {}, ax=ax)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        plot_reliability_diagram(y, {"fine": probabilities["calibrated"], "bad": probabilities["calibrated"] + 1}, ax=ax)
    with pytest.raises(ValueError, match="same shape"):
        plot_reliability_diagram(y[:-1], probabilities, ax=ax)
    assert not ax.get_lines() and not ax.collections
