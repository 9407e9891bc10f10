"""Every loss in the registry: interface, metadata, gradients, reductions, stability."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lossbook import losses
from lossbook.gradcheck import check_grad
from lossbook.losses import inputs
from tests.helpers import ALL_LOSSES, K, loss_params, param_sets, valid_inputs


def test_registry_lists_every_loss_of_the_api() -> None:
    expected = {
        "squared_error", "absolute_error", "huber", "pseudo_huber", "log_cosh", "squared_log_error",
        "pinball", "binary_cross_entropy", "binary_cross_entropy_with_logits", "hinge",
        "squared_hinge", "categorical_cross_entropy", "softmax_cross_entropy",
        "sparse_categorical_cross_entropy", "multiclass_hinge",
    }
    assert expected <= set(losses.REGISTRY)
    for name, loss in losses.REGISTRY.items():
        assert getattr(losses, name) is loss
    with pytest.raises(TypeError):
        losses.REGISTRY["mine"] = losses.huber  # type: ignore[index]


@loss_params
def test_metadata(loss: losses.Loss) -> None:
    assert loss.task in ("regression", "binary", "multiclass")
    assert isinstance(loss.formula, str) and loss.formula
    assert isinstance(loss.convex, bool)
    assert loss.__doc__ and len(loss.__doc__) > 40
    assert loss.name in repr(loss) and "0x" not in repr(loss)
    assert loss.y_true_domain and loss.y_pred_domain


@loss_params
def test_shapes_and_types(loss: losses.Loss, rng: np.random.Generator) -> None:
    y, p = valid_inputs(loss, rng, n=7)
    values = loss(y, p)
    assert isinstance(values, np.ndarray) and values.dtype == np.float64 and values.shape == (7,)
    g = loss.grad(y, p)
    assert g.dtype == np.float64 and g.shape == np.shape(p)
    c = loss.cost(y, p)
    assert type(c) is float
    assert c == pytest.approx(values.mean(), rel=1e-12)
    assert loss.cost(y, p, reduction="sum") == pytest.approx(values.sum(), rel=1e-12)


@loss_params
def test_lists_and_arrays_agree(loss: losses.Loss, rng: np.random.Generator) -> None:
    y, p = valid_inputs(loss, rng)
    np.testing.assert_array_equal(loss(np.asarray(y).tolist(), np.asarray(p).tolist()), loss(y, p))
    np.testing.assert_array_equal(loss(tuple(np.asarray(y).tolist()), p), loss(y, p))


@loss_params
def test_gradient_matches_finite_differences(loss: losses.Loss, rng: np.random.Generator) -> None:
    for params in param_sets(loss):
        for _ in range(3):
            y, p = valid_inputs(loss, rng, n=9, **params)
            # Probability rows (what a softmax gives) must keep summing to 1 under the
            # perturbation, so step below 1e-6.
            eps = 1e-7 if loss.inputs.link == "softmax" else 1e-6
            result = check_grad(
                lambda q, y=y, params=params: loss(y, q, **params),
                lambda q, y=y, params=params: loss.grad(y, q, **params),
                p, eps=eps, rtol=1e-5, atol=1e-7,
            )
            assert result, f"{loss.name}{params}: {result}"


@loss_params
def test_weighted_cost(loss: losses.Loss, rng: np.random.Generator) -> None:
    y, p = valid_inputs(loss, rng, n=10)
    values = loss(y, p)
    w = rng.uniform(0.0, 3.0, 10)
    assert loss.cost(y, p, sample_weight=w) == pytest.approx(np.sum(w * values) / np.sum(w), rel=1e-12)
    assert loss.cost(y, p, sample_weight=w, reduction="sum") == pytest.approx(np.sum(w * values), rel=1e-12)
    # Integer weights = repeating samples.
    counts = rng.integers(0, 4, 10)
    counts[0] = 1
    rep = np.repeat(np.arange(10), counts)
    y_rep = np.asarray(y)[rep]
    assert loss.cost(y, p, sample_weight=counts) == pytest.approx(loss.cost(y_rep, np.asarray(p)[rep]), rel=1e-12)


@loss_params
def test_inputs_are_never_modified(loss: losses.Loss, rng: np.random.Generator) -> None:
    y, p = valid_inputs(loss, rng)
    y = np.asarray(y, dtype=np.float64)
    w = rng.uniform(0.5, 1.0, y.shape[0])
    before = (y.copy(), p.copy(), w.copy())
    loss(y, p)
    loss.grad(y, p)
    loss.cost(y, p)
    loss.cost(y, p, sample_weight=w, reduction="sum")
    for a, b in zip((y, p, w), before, strict=True):
        np.testing.assert_array_equal(a, b)


@loss_params
def test_convexity_flag_holds_numerically(loss: losses.Loss, rng: np.random.Generator) -> None:
    """Convex losses pass the chord test on random segments; the others fail it somewhere."""
    violations = 0
    for _ in range(200):
        y, p1 = valid_inputs(loss, rng, n=6)
        _, p2 = valid_inputs(loss, rng, n=6)
        t = rng.uniform(0.05, 0.95)
        mid = loss(y, t * p1 + (1 - t) * p2)
        chord = t * loss(y, p1) + (1 - t) * loss(y, p2)
        violations += int(np.sum(mid > chord + 1e-9 * (1 + np.abs(chord))))
    if loss.convex:
        assert violations == 0
    else:
        assert violations > 0


def test_worked_example_of_chapter_one() -> None:
    y, p = [3, -0.5, 2, 7], [2.5, 0.0, 2, 8]
    np.testing.assert_allclose(losses.squared_error(y, p), [0.25, 0.25, 0.0, 1.0])
    assert losses.squared_error.cost(y, p) == 0.375


def test_popular_tutorial_numbers_are_corrected() -> None:
    y, p = [1, 0, 1, 1], [0.9, 0.1, 0.8, 0.7]
    assert round(losses.binary_cross_entropy.cost(y, p), 4) == 0.1976
    assert round(losses.binary_cross_entropy.cost(y, p, pos_weight=3.0), 4) == 0.5402


def test_scalars_are_one_sample() -> None:
    out = losses.huber(0.0, 3.0)
    assert out.shape == (1,) and out[0] == 2.5


def test_hinge_accepts_both_label_sets() -> None:
    s = np.array([2.0, -0.3, 0.4, -3.0])
    np.testing.assert_array_equal(losses.hinge([1, 0, 1, 0], s), losses.hinge([1, -1, 1, -1], s))
    np.testing.assert_array_equal(losses.hinge([1, -1, 1, -1], s), [0.0, 0.7, 0.6, 0.0])


def test_sparse_equals_dense_cross_entropy(rng: np.random.Generator) -> None:
    labels = rng.integers(0, K, 20)
    p = rng.dirichlet(np.ones(K), 20)
    np.testing.assert_allclose(
        losses.sparse_categorical_cross_entropy(labels, p),
        losses.categorical_cross_entropy(np.eye(K)[labels], p), rtol=1e-14,
    )


def test_softmax_cross_entropy_equals_cross_entropy_of_softmax(rng: np.random.Generator) -> None:
    from lossbook.activations import softmax

    y = rng.dirichlet(np.ones(K), 20)
    z = rng.normal(0, 3, (20, K))
    np.testing.assert_allclose(
        losses.softmax_cross_entropy(y, z), losses.categorical_cross_entropy(y, softmax(z)), rtol=1e-12
    )


def test_label_smoothing_matches_its_definition(rng: np.random.Generator) -> None:
    y = np.eye(K)[rng.integers(0, K, 10)]
    z = rng.normal(0, 2, (10, K))
    smoothed = 0.9 * y + 0.1 / K
    np.testing.assert_allclose(
        losses.softmax_cross_entropy(y, z, label_smoothing=0.1), losses.softmax_cross_entropy(smoothed, z), rtol=1e-13
    )


def test_logits_and_probabilities_give_the_same_cross_entropy(rng: np.random.Generator) -> None:
    from lossbook.activations import sigmoid

    y = rng.integers(0, 2, 50).astype(float)
    z = rng.normal(0, 3, 50)
    for w in (1.0, 4.0):
        np.testing.assert_allclose(
            losses.binary_cross_entropy_with_logits(y, z, pos_weight=w),
            losses.binary_cross_entropy(y, sigmoid(z), pos_weight=w), rtol=1e-10,
        )


def test_pinball_at_half_is_half_the_absolute_error(rng: np.random.Generator) -> None:
    y, p = rng.normal(size=30), rng.normal(size=30)
    np.testing.assert_allclose(losses.pinball(y, p), 0.5 * losses.absolute_error(y, p), rtol=1e-15)


def test_huber_limits(rng: np.random.Generator) -> None:
    y, p = rng.normal(size=30), rng.normal(size=30)
    np.testing.assert_allclose(losses.huber(y, p, delta=1e6), 0.5 * losses.squared_error(y, p), rtol=1e-15)
    d = 1e-6  # far below every |r| here: the linear piece, |r| - delta/2 after dividing by delta
    np.testing.assert_allclose(losses.huber(y, p, delta=d) / d, losses.absolute_error(y, p) - d / 2, rtol=1e-9)


# -- stability --------------------------------------------------------------------------------
EXTREME = pytest.mark.filterwarnings("error")


@EXTREME
def test_extreme_logits_are_exact() -> None:
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        z = np.array([1000.0, -1000.0, 1000.0, -1000.0, 40.0])
        y = np.array([1.0, 0.0, 0.0, 1.0, 1.0])
        np.testing.assert_allclose(
            losses.binary_cross_entropy_with_logits(y, z), [0.0, 0.0, 1000.0, 1000.0, math.log1p(math.exp(-40.0))], rtol=1e-15
        )
        g = losses.binary_cross_entropy_with_logits.grad(y, z)
        np.testing.assert_allclose(g, [0.0, 0.0, 1.0, -1.0, -math.exp(-40.0) / (1 + math.exp(-40.0))], rtol=1e-12)
        out = losses.softmax_cross_entropy([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], [[1000.0, -1000.0, 0.0], [1000.0, -1000.0, 0.0]])
        np.testing.assert_allclose(out, [0.0, 1000.0], rtol=1e-15)


@EXTREME
def test_huge_residuals_stay_finite() -> None:
    with np.errstate(over="raise", invalid="raise"):
        y, p = np.array([0.0, -1e150]), np.array([1e150, 1e150])
        for loss in (losses.squared_error, losses.absolute_error, losses.huber, losses.pseudo_huber, losses.log_cosh, losses.pinball):
            assert np.all(np.isfinite(loss(y, p))), loss.name
            assert np.all(np.isfinite(loss.grad(y, p))), loss.name
        np.testing.assert_allclose(losses.log_cosh([0.0], [1e150]), [1e150 - math.log(2)], rtol=1e-15)
        np.testing.assert_allclose(losses.pseudo_huber([0.0], [1e150], delta=2.0), [4 * (5e149 - 1)], rtol=1e-15)


def test_tiny_residuals_keep_their_precision() -> None:
    """Near r = 0 the naive forms cancel to 0; the stable ones keep the leading Taylor term."""
    r = np.array([1e-9, 1e-5])
    zeros = np.zeros(2)
    # log cosh r = r^2/2 - r^4/12 + ...,  sqrt(1 + r^2) - 1 = r^2/2 - r^4/8 + ...
    np.testing.assert_allclose(losses.log_cosh(zeros, r), r**2 / 2 - r**4 / 12, rtol=1e-13)
    np.testing.assert_allclose(losses.pseudo_huber(zeros, r), r**2 / 2 - r**4 / 8, rtol=1e-13)
    assert np.log(np.cosh(1e-9)) == 0.0  # what the naive form gives


def test_probabilities_of_exactly_zero_and_one() -> None:
    eps = np.finfo(float).eps
    out = losses.binary_cross_entropy([1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 1.0, 0.0])
    np.testing.assert_allclose(out, [-math.log(eps), -math.log(eps), -math.log1p(-eps), -math.log1p(-eps)], rtol=1e-15)
    assert np.all(np.isfinite(losses.binary_cross_entropy.grad([1.0, 0.0], [0.0, 1.0])))
    assert np.isfinite(losses.categorical_cross_entropy.cost([[1.0, 0.0]], [[0.0, 1.0]]))
    assert np.isfinite(losses.sparse_categorical_cross_entropy.cost([0], [[0.0, 1.0]]))


def test_genuine_overflow_returns_inf_instead_of_blaming_the_input() -> None:
    with pytest.warns(RuntimeWarning, match="overflow"):
        assert losses.squared_error.cost([0.0], [1e200]) == math.inf


@pytest.mark.parametrize("loss", [l for l in ALL_LOSSES if l.inputs is inputs.REAL], ids=lambda l: l.name)
def test_perfect_prediction_costs_nothing(loss: losses.Loss, rng: np.random.Generator) -> None:
    y = rng.normal(0, 10, 20)
    for params in param_sets(loss):
        np.testing.assert_array_equal(loss(y, y, **params), 0.0)
        np.testing.assert_array_equal(loss.grad(y, y, **params), 0.0)


@loss_params
def test_the_extreme_inputs_of_each_kind_are_valid(loss: losses.Loss, rng: np.random.Generator) -> None:
    """InputKind.extremes (what the fast paths and kernels are tested on) stays inside the domain."""
    for k in (2, K):
        for text, y, p in loss.inputs.extremes(rng, 600, k):
            assert np.shape(loss(y, p)) == (np.shape(p)[0],), text
