"""Loss-shape and gradient-shape figures: one curve per loss, drawn from the losses themselves."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lossbook import losses
from lossbook.plotting import loss_label, plot_gradient_shapes, plot_loss_shapes

REGRESSION = [loss for loss in losses.REGISTRY.values() if loss.task == "regression"]


@pytest.mark.parametrize("plot, method", [(plot_loss_shapes, "__call__"), (plot_gradient_shapes, "grad")])
def test_every_regression_loss_is_drawn_from_its_own_functions(plot, method) -> None:
    _fig, ax = plt.subplots()
    r = np.linspace(-2.0, 2.0, 41)
    out = plot(REGRESSION, ax=ax, residuals=r)
    assert out is ax and len(ax.lines) == len(REGRESSION) + 2  # plus the two zero lines
    for loss, line in zip(REGRESSION, ax.lines, strict=False):
        x, y = line.get_data()
        np.testing.assert_array_equal(x, r)
        inside = np.isfinite(y)
        expected = getattr(loss, method)(np.zeros(inside.sum()), r[inside])
        np.testing.assert_allclose(y[inside], expected, rtol=1e-12, atol=0)
    assert [t.get_text() for t in ax.get_legend().get_texts()][:2] == ["squared error", "absolute error"]


def test_default_styles_are_distinct_and_avoid_yellow() -> None:
    ax = plot_loss_shapes(REGRESSION)
    styles = {(line.get_color(), line.get_linestyle()) for line in ax.lines[: len(REGRESSION)]}
    assert len(styles) == len(REGRESSION)
    assert all(color.lower() != "#f0e442" for color, _ in styles)


def test_parameters_and_target_change_the_curves() -> None:
    r = np.array([-3.0, 0.5, 3.0])
    ax = plot_loss_shapes([(losses.huber, {"delta": 2.0}), ("pinball", {"quantile": 0.9})], residuals=r)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [4.0, 0.125, 4.0])
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [2.7, 0.05, 0.3])
    _, fresh = plt.subplots()
    plot_gradient_shapes(["squared_log_error"], fresh, y_true=9.0, residuals=np.array([-5.0]))
    np.testing.assert_allclose(fresh.lines[0].get_ydata(), [2 * np.log(0.5) / 5.0])


def test_predictions_outside_the_domain_leave_a_gap() -> None:
    r = np.array([-2.0, -1.0, -0.5, 0.0, 1.0])
    ax = plot_loss_shapes([losses.squared_log_error, losses.squared_error], residuals=r)
    msle, mse = ax.lines[0].get_ydata(), ax.lines[1].get_ydata()
    np.testing.assert_array_equal(np.isnan(msle), [True, True, False, False, False])
    assert msle[3] == 0.0 and np.isfinite(mse).all()
    with pytest.raises(ValueError, match="undefined for every residual"):
        plot_loss_shapes([losses.squared_log_error], residuals=[-3.0, -2.0])


def test_labels_show_parameters() -> None:
    assert loss_label(losses.squared_error) == "squared error"
    assert loss_label(losses.squared_log_error) == "squared log error"
    assert loss_label(losses.huber) == "Huber (δ = 1)"
    assert loss_label(("pinball", {"quantile": 0.25})) == "pinball (q = 0.25)"
    ax = plot_loss_shapes([losses.log_cosh], labels=["log-cosh"], legend=False)
    assert ax.get_legend() is None and ax.lines[0].get_label() == "log-cosh"


@pytest.mark.parametrize(
    "specs, options, error, match",
    [
        ([], {}, ValueError, "at least one"),
        (losses.huber, {}, TypeError, "list of losses"),
        (["hinge"], {}, ValueError, "binary loss"),
        (["no_such_loss"], {}, ValueError, "unknown loss"),
        ([(losses.huber, {"delta": -1.0})], {}, ValueError, "delta must be > 0"),
        ([(losses.huber, {"quantile": 0.5})], {}, TypeError, "unexpected parameter"),
        ([(losses.huber, 2.0)], {}, ValueError, "mapping of parameters"),
        ([42], {}, TypeError, "expected a Loss"),
        ([losses.huber], {"colors": ["r", "g"]}, ValueError, "colors has 2 entries"),
        ([losses.huber], {"residuals": [0.0, np.nan]}, ValueError, "finite"),
        ([losses.huber], {"y_true": np.inf}, ValueError, "finite"),
    ],
)
def test_bad_input_is_refused(specs, options, error, match) -> None:
    with pytest.raises(error, match=match):
        plot_loss_shapes(specs, **options)
