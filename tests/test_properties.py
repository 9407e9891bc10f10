"""Property-based tests (Hypothesis): what must hold for every input, not just the ones we chose."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lossbook import activations, losses
from lossbook.losses import inputs
from tests.helpers import ALL_LOSSES, param_sets, valid_inputs

REGRESSION = [loss for loss in ALL_LOSSES if loss.inputs is inputs.REAL]
finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
pairs = st.integers(1, 30).flatmap(lambda n: st.tuples(arrays(np.float64, n, elements=finite), arrays(np.float64, n, elements=finite)))
seeds = st.integers(0, 2**32 - 1)


@pytest.mark.parametrize("loss", REGRESSION, ids=lambda l: l.name)
@given(yp=pairs)
def test_regression_losses_are_non_negative_and_zero_only_at_the_target(loss, yp) -> None:
    y, p = yp
    values = loss(y, p)
    assert np.all(values >= 0)
    np.testing.assert_array_equal(loss(y, y), 0.0)
    clear = np.abs(p - y) > 1e-100  # below that, r^2 underflows to 0 in float64
    assert np.all(values[clear] > 0)


@pytest.mark.parametrize("loss", ALL_LOSSES, ids=lambda l: l.name)
@given(seed=seeds, n=st.integers(1, 25))
def test_every_loss_is_non_negative(loss, seed, n) -> None:
    y, p = valid_inputs(loss, np.random.default_rng(seed), n)
    for params in param_sets(loss):
        assert np.all(loss(y, p, **params) >= 0)


@pytest.mark.parametrize("loss", ALL_LOSSES, ids=lambda l: l.name)
@given(seed=seeds, n=st.integers(2, 25), weight=st.floats(1e-3, 1e3))
def test_cost_ignores_order_and_equal_weights(loss, seed, n, weight) -> None:
    rng = np.random.default_rng(seed)
    y, p = valid_inputs(loss, rng, n)
    y, p = np.asarray(y), np.asarray(p)
    perm = rng.permutation(n)
    c = loss.cost(y, p)
    assert loss.cost(y[perm], p[perm]) == pytest.approx(c, rel=1e-12, abs=1e-300)
    assert loss.cost(y, p, sample_weight=np.full(n, weight)) == pytest.approx(c, rel=1e-12, abs=1e-300)


@given(seed=seeds, n=st.integers(1, 25))
def test_probabilistic_losses_vanish_at_a_certain_correct_prediction(seed, n) -> None:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n).astype(float)
    assert np.all(losses.binary_cross_entropy(y, y) <= 1e-15)  # -log(1 - eps) after clipping
    labels = rng.integers(0, 3, n)
    assert np.all(losses.sparse_categorical_cross_entropy(labels, np.eye(3)[labels]) <= 1e-15)
    np.testing.assert_array_equal(losses.hinge(2 * y - 1, 3.0 * (2 * y - 1)), 0.0)


# -- stable forms agree with the naive ones wherever the naive ones are finite ------------------
def agree_where_finite(stable: np.ndarray, naive: np.ndarray, rtol: float = 1e-9, atol: float = 1e-12) -> None:
    ok = np.isfinite(naive)
    np.testing.assert_allclose(stable[ok], naive[ok], rtol=rtol, atol=atol)
    assert np.all(np.isfinite(stable))


logits = st.floats(-800, 800, allow_nan=False)
small = st.integers(1, 20)


@given(r=arrays(np.float64, small, elements=logits))
def test_log_cosh_stable_vs_naive(r) -> None:
    with np.errstate(over="ignore"):
        naive = np.log(np.cosh(r))
    agree_where_finite(losses.log_cosh(np.zeros_like(r), r), naive)


@given(r=arrays(np.float64, small, elements=finite), delta=st.floats(0.01, 100))
def test_pseudo_huber_stable_vs_naive(r, delta) -> None:
    naive = delta**2 * (np.sqrt(1 + (r / delta) ** 2) - 1)
    agree_where_finite(losses.pseudo_huber(np.zeros_like(r), r, delta=delta), naive, atol=1e-9 * delta**2)


@given(z=arrays(np.float64, small, elements=logits), seed=seeds)
def test_bce_with_logits_stable_vs_naive(z, seed) -> None:
    y = np.random.default_rng(seed).integers(0, 2, z.shape[0]).astype(float)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        p = 1 / (1 + np.exp(-z))
        naive = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    stable = losses.binary_cross_entropy_with_logits(y, z)
    assert np.all(np.isfinite(stable))
    ok = np.isfinite(naive)
    # The naive form forms 1 - p, whose rounding error grows like eps * e^|z|: allow for exactly that.
    tolerance = 1e-12 * np.abs(stable) + 8 * np.finfo(float).eps * np.exp(np.minimum(np.abs(z), 700))
    assert np.all(np.abs(stable - naive)[ok] <= tolerance[ok])


@given(z=arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(2, 5)), elements=logits), seed=seeds)
@example(z=np.array([[-29.0, -737.0]]), seed=0)  # seed 0: the true class is the second, exp(-737) subnormal
def test_softmax_cross_entropy_stable_vs_naive(z, seed) -> None:
    n, k = z.shape
    y = np.eye(k)[np.random.default_rng(seed).integers(0, k, n)]
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        e = np.exp(z)
        p = e / e.sum(axis=1, keepdims=True)
        naive = -np.sum(y * np.log(p), axis=1)
        # Where exp of the true-class logit is subnormal (below 2.2e-308, z < -708.4) it has lost
        # digits before the division, however large the probability it divides into ([-29, -737]).
        naive[np.sum(y * e, axis=1) < np.finfo(float).tiny] = np.nan
    agree_where_finite(losses.softmax_cross_entropy(y, z), naive, rtol=1e-7, atol=1e-10)
    with np.errstate(over="ignore", divide="ignore"):
        naive_lse = np.log(np.exp(z).sum(axis=1))
    normal = z.max(axis=1) > -700  # below, exp(z) is subnormal and the naive form loses its digits
    agree_where_finite(activations.logsumexp(z)[normal], naive_lse[normal], rtol=1e-12)


@given(x=arrays(np.float64, small, elements=st.floats(-1e4, 1e4, allow_nan=False)))
def test_sigmoid_and_softplus_stable_vs_naive(x) -> None:
    with np.errstate(over="ignore"):
        agree_where_finite(activations.sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-12, atol=1e-300)
        agree_where_finite(activations.softplus(x), np.log1p(np.exp(x)), rtol=1e-12, atol=1e-300)
