"""Every bad input named in API.md raises a clear error, for every loss and every entry point."""

from __future__ import annotations

import numpy as np
import pytest

import lossbook
from lossbook import losses
from tests.helpers import bad_params, loss_params, valid_inputs

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
def test_empty_input(loss: losses.Loss, rng: np.random.Generator) -> None:
    y, p = valid_inputs(loss, rng, n=1)
    assert_all_raise(loss, y[:0], p[:0], "empty")
    if not loss.inputs.multiclass:
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
    if loss.inputs.multiclass:
        if y.ndim == 2:
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


@loss_params
def test_values_outside_the_domain(loss: losses.Loss, rng: np.random.Generator) -> None:
    for bad in loss.inputs.invalid:
        y, p = valid_inputs(loss, rng)
        if bad.argument == "y_true":
            y = with_bad(y, bad.value)
        else:
            p = with_bad(p, bad.value)
        assert_all_raise(loss, y, p, bad.match)


@pytest.mark.parametrize("kind", sorted({loss.inputs for loss in losses.REGISTRY.values()}, key=lambda k: k.name),
                         ids=lambda k: k.name)
def test_every_restricted_kind_lists_invalid_inputs(kind) -> None:
    """A kind whose domain is not all of the reals says what it refuses, so the tests can try it."""
    assert kind.invalid or (kind.y_true_domain, kind.y_pred_domain) == ("real", "real"), kind


def test_mixed_label_sets_are_rejected() -> None:
    with pytest.raises(ValueError, match=r"\{-1, 0, 1\}"):
        losses.hinge([-1, 0, 1], [0.2, 0.3, 0.4])


@loss_params
def test_bad_parameters(loss: losses.Loss, rng: np.random.Generator) -> None:
    y, p = valid_inputs(loss, rng)
    for name, bad in bad_params(loss):
        assert_all_raise(loss, y, p, name, **{name: bad})
    for name in loss.defaults:
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


@loss_params
def test_every_parameter_check_lists_examples(loss: losses.Loss) -> None:
    """Each parameter's check carries accepted and refused values, which the tests above try."""
    for name, (default, check) in loss.params.items():
        assert check.valid and check.invalid, f"{loss.name}: the check of {name} lists no examples"
        assert check(default, name) == default if default is not None else check(None, name) is None


@loss_params
def test_a_parameter_passed_by_position_is_named(loss: losses.Loss, rng: np.random.Generator) -> None:
    """Issue 18: huber(y, p, 0.5) said only "takes 3 positional arguments but 4 were given"."""
    y, p = valid_inputs(loss, rng)
    expected = "keyword-only: pass them by name" if loss.params else "takes y_true and y_pred only"
    for call in (loss, loss.grad, loss.cost):
        with pytest.raises(TypeError, match=expected):
            call(y, p, 0.5)
    if loss.params:
        name = next(iter(loss.params))
        with pytest.raises(TypeError, match=rf"{loss.name}\(y_true, y_pred, {name}=0\.5\)"):
            loss(y, p, 0.5)
