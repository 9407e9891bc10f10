"""Figures of activations: the grid generated from the registry, gaps at kinks, gradient norms."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lossbook import activations as act
from lossbook.plotting import activation_label, plot_activation, plot_activation_grid, plot_layer_gradient_norms


def test_labels() -> None:
    assert activation_label("relu") == "ReLU"
    assert activation_label("leaky_relu") == "leaky ReLU (a = 0.01)"
    assert activation_label(act.swish, {"beta": 2}) == "swish (ζ = 2)"
    with pytest.raises(ValueError, match="unknown activation"):
        activation_label("relu6")
    with pytest.raises(TypeError, match="unexpected"):
        activation_label("relu", {"alpha": 1.0})


def test_one_activation_with_its_derivative() -> None:
    fig, ax = plt.subplots()
    out = plot_activation("tanh", ax)
    assert out is ax and ax.get_title() == "tanh"
    labels = [line.get_label() for line in ax.get_lines()]
    assert "$f(x)$" in labels and "$f'(x)$" in labels
    fig.canvas.draw()


def test_derivative_has_a_gap_where_it_jumps_only() -> None:
    def derivative_line(name, **params):
        _, ax = plt.subplots()
        plot_activation(name, ax, params=params)
        (line,) = [ln for ln in ax.get_lines() if ln.get_label() == "$f'(x)$"]
        x, y = line.get_data()
        return np.asarray(x), np.asarray(y, dtype=float)

    x, y = derivative_line("relu")
    assert np.isnan(y[np.argmin(np.abs(x))])      # no vertical segment at the kink
    _, y = derivative_line("elu")                  # alpha = 1: the derivative is continuous
    assert not np.isnan(y).any()
    _, y = derivative_line("elu", alpha=0.5)
    assert np.isnan(y).sum() == 1
    _, y = derivative_line("sigmoid")
    assert not np.isnan(y).any()


def test_binary_step_jump_is_marked() -> None:
    _, ax = plt.subplots()
    plot_activation("binary_step", ax)
    f_line = next(ln for ln in ax.get_lines() if ln.get_label() == "$f(x)$")
    assert np.isnan(np.asarray(f_line.get_ydata(), dtype=float)).sum() == 1
    dots = [ln for ln in ax.get_lines() if ln.get_marker() == "o"]
    assert sorted(float(d.get_ydata()[0]) for d in dots) == [0.0, 1.0]
    assert {d.get_markerfacecolor() for d in dots} >= {"white"}


def test_grid_is_generated_from_the_registry() -> None:
    fig = plot_activation_grid(params={"leaky_relu": {"alpha": 0.1}})
    assert len(fig.axes) == len(act.REGISTRY)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0] == "linear" and "leaky ReLU (a = 0.1)" in titles
    assert len(fig.legends) == 1
    fig.canvas.draw()
    small = plot_activation_grid(["relu", act.sigmoid], ncols=4)
    assert len(small.axes) == 2


def test_grid_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="empty"):
        plot_activation_grid([])
    with pytest.raises(ValueError, match="not drawn"):
        plot_activation_grid(["relu"], params={"elu": {"alpha": 2.0}})
    with pytest.raises(ValueError, match="ncols"):
        plot_activation_grid(ncols=0)
    with pytest.raises(ValueError, match="x_range"):
        plot_activation("relu", x_range=(1.0, -1.0))


def test_layer_gradient_norms_plot() -> None:
    fig, ax = plt.subplots()
    out = plot_layer_gradient_norms({"a": [1e-6, 1e-3, 1.0], "b": [2.0, 2.0, 2.0]}, ax=ax)
    assert out is ax and ax.get_yscale() == "log" and len(ax.get_lines()) == 2
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), [1.0, 1.0, 1.0])
    fig.canvas.draw()   # mathtext of the labels must render
    with pytest.raises(ValueError, match="empty"):
        plot_layer_gradient_norms({})
    with pytest.raises(ValueError, match="last layer"):
        plot_layer_gradient_norms({"a": [1.0, 0.0]})
    with pytest.raises(ValueError, match="colors"):
        plot_layer_gradient_norms({"a": [1.0]}, colors=["r", "g"])
