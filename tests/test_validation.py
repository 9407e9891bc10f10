"""Every bad input named in API.md raises a clear error, for every loss and every entry point."""

from __future__ import annotations

import numpy as np
import pytest

import lossbook
from lossbook import losses
from tests.helpers import BAD_PARAMS, K, loss_params, valid_inputs

pytestmark = pytest.mark.filterwarnings("error")  # bad input is an error, never a warning first


def entry_points(loss: losses.Loss):
    """The three ways to call a loss; the cost both unweighted and weighted."""
    return {
        "value": lambda y, p, **kw: loss(y, p, **kw),
        "grad": lambda y, p, **kw: loss.grad(y, p, **kw),
        "cost": lambda y, p, **kw: loss.cost(y, p, **kw),
        "cost_sum": lambda y, p, **kw: loss.cost(y, p, reduction="sum", **kw),
    }


def assert_all_raise(loss: losses.Loss, y, p, match: str, error: type[Exception] = ValueError, **kw) -> None:
    for where, call in entry_points(loss).items():
        with pytest.raises(error, match=match):
            call(y, p, **kw)
            pytest.fail(f"{loss.name}.{where} accepted the input")


def with_bad(x: np.ndarray, value: float, index=0) -> np.ndarray:
    out = np.array(x, dtype=float, copy=True)
    out.flat[index] = value
    return out


@loss_params
def test_empty_input(loss: losses.Loss) -> None:
    if loss.task == "multiclass":
        y = np.empty((0, K)) if loss.input_kind.startswith("simplex") else np.empty(0)
        assert_all_raise(loss, y, np.empty((0, K)), "empty")
    else:
        assert_all_raise(loss, [], [], "empty")


@loss_params
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "-inf"])
def test_non_finite_prediction(loss: losses.Loss, bad: float, rng: np.random.Generator) -> None:
    y, p = valid_inputs(loss, rng)
    assert_all_raise(loss, y, with_bad(p, bad, 3), r"y_pred")


@loss_params
@pytest.mark.parametrize("bad", [np.nan, np.inf], ids=["nan", "inf"])
def test_non_finite_target(loss: losses.Loss, bad: float, rng: np.random.Generator) -> None:
    y, p = valid_inputs(loss, rng)
    assert_all_raise(loss, with_bad(y, bad, 2), p, r"y_true")


def test_nan_is_named_as_nan(rng: np.random.Generator) -> None:
    with pytest.raises(ValueError, match=r"NaN or infinite.*index 2"):
        lossbook.mse([1.0, 2.0, np.nan], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"y_pred must contain only finite numbers"):
        lossbook.log_loss([1, 0], [0.5, np.nan])


@loss_params
def test_shape_mismatch_names_both_shapes(loss: losses.Loss, rng: np.random.Generator) -> None:
    y, p = valid_inputs(loss, rng, n=6)
    y, p = np.asarray(y), np.asarray(p)
    if loss.task == "multiclass":
        if loss.input_kind.startswith("simplex"):
            bad_y = np.tile([0.5, 0.5], (6, 1))
            assert_all_raise(loss, bad_y, p, r"\(6, 2\).*\(6, 3\)")
        else:
            assert_all_raise(loss, y[:5], p, r"\(5,\).*\(6, 3\)")
            assert_all_raise(loss, y.reshape(-1, 1), p, r"\(6, 1\).*\(6, 3\)")
    else:
        assert_all_raise(loss, y, p.reshape(-1, 1), r"y_true.shape=\(6,\).*y_pred.shape=\(6, 1\)")
        assert_all_raise(loss, y[:5], p, r"\(5,\).*\(6,\)")


def test_shape_error_explains_broadcasting() -> None:
    with pytest.raises(ValueError, match="never broadcasts"):
        lossbook.mse([1, 2, 3], [[1], [2], [3]])


DOMAIN_CASES = {
    "log": [("y_pred", -1.0, r"y_pred must lie in \(-1, inf\)"), ("y_true", -2.0, r"y_true must lie in \(-1")],
    "probability": [("y_pred", 1.2, r"y_pred must lie in \[0, 1\]"), ("y_pred", -0.1, r"\[0, 1\]"), ("y_true", 2.0, r"y_true must lie in \[0, 1\]")],
    "logit": [("y_true", 1.5, r"y_true must lie in \[0, 1\]"), ("y_true", -1.0, r"\[0, 1\]")],
    "margin": [("y_true", 2.0, r"binary labels"), ("y_true", 0.5, r"binary labels")],
    "simplex": [("y_pred", 0.7, r"sum(s)? to 1"), ("y_true", 0.7, r"sum(s)? to 1"), ("y_pred", -0.2, r"\[0, 1\]")],
    "simplex_logit": [("y_true", 0.7, r"sum(s)? to 1")],
    "label_probability": [("y_true", 3.0, r"class labels in \[0, 3\)"), ("y_true", -1.0, r"\[0, 3\)"), ("y_true", 1.5, "integer"), ("y_pred", 0.9, r"sum")],
    "label_score": [("y_true", 3.0, r"class labels in \[0, 3\)"), ("y_true", 0.5, "integer")],
}


@loss_params
def test_values_outside_the_domain(loss: losses.Loss, rng: np.random.Generator) -> None:
    for which, value, match in DOMAIN_CASES.get(loss.input_kind, []):
        y, p = valid_inputs(loss, rng)
        if which == "y_true":
            y = with_bad(y, value)
        else:
            p = with_bad(p, value)
        assert_all_raise(loss, y, p, match)


def test_mixed_label_sets_are_rejected() -> None:
    with pytest.raises(ValueError, match=r"\{-1, 0, 1\}"):
        losses.hinge([-1, 0, 1], [0.2, 0.3, 0.4])


@loss_params
def test_bad_parameters(loss: losses.Loss, rng: np.random.Generator) -> None:
    y, p = valid_inputs(loss, rng)
    for name in loss.defaults:
        for bad in BAD_PARAMS[name]:
            assert_all_raise(loss, y, p, name, **{name: bad})
        assert_all_raise(loss, y, p, name, error=TypeError, **{name: "1.0"})
    assert_all_raise(loss, y, p, "unexpected parameter|takes no parameters", error=TypeError, delta_typo=1.0)


@loss_params
def test_bad_sample_weight(loss: losses.Loss, rng: np.random.Generator) -> None:
    y, p = valid_inputs(loss, rng, n=6)
    cases = [
        (-np.ones(6), ">= 0"),
        (np.zeros(6), "all zero"),
        (np.ones(5), r"shape \(6,\)"),
        (np.ones((6, 1)), r"shape \(6,\)"),
        (with_bad(np.ones(6), np.nan), "finite"),
        ([], "empty"),
    ]
    for w, match in cases:
        with pytest.raises(ValueError, match=match):
            loss.cost(y, p, sample_weight=w)


@loss_params
def test_bad_reduction(loss: losses.Loss, rng: np.random.Generator) -> None:
    y, p = valid_inputs(loss, rng)
    with pytest.raises(ValueError, match='reduction must be "mean" or "sum"'):
        loss.cost(y, p, reduction="none")  # type: ignore[arg-type]


@loss_params
def test_non_numeric_input(loss: losses.Loss, rng: np.random.Generator) -> None:
    y, p = valid_inputs(loss, rng, n=3)
    strings = np.asarray(p).astype(str)
    assert_all_raise(loss, y, strings, "real numbers", error=TypeError)
    assert_all_raise(loss, y, np.asarray(p) * 1j, "real numbers", error=TypeError)


def test_ragged_input() -> None:
    with pytest.raises(ValueError, match="rectangular"):
        losses.categorical_cross_entropy([[1, 0], [1]], [[0.5, 0.5], [0.5, 0.5]])


COSTS = [lossbook.mse, lossbook.rmse, lossbook.mae, lossbook.mean_error, lossbook.msle, lossbook.rmsle, lossbook.log_loss]


@pytest.mark.parametrize("cost", COSTS, ids=lambda f: f.__name__)
def test_cost_shortcuts_validate(cost) -> None:
    y, p = [0.0, 1.0, 1.0], [0.2, 0.7, 0.9]
    for bad_y, bad_p, match in [
        (y, [[0.2], [0.7], [0.9]], "same shape"),
        ([0.0, np.nan, 1.0], p, "y_true"),
        (y, [0.2, np.inf, 0.9], "y_pred"),
        ([], [], "empty"),
    ]:
        with pytest.raises(ValueError, match=match):
            cost(bad_y, bad_p)
    with pytest.raises(ValueError, match=">= 0"):
        cost(y, p, sample_weight=[1.0, -1.0, 1.0])
