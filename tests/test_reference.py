"""Values checked against scikit-learn and SciPy, with their convention differences made explicit."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special as sp
import scipy.stats
from scipy.spatial.distance import jensenshannon

import lossbook
from lossbook import activations, divergences, losses

sklearn_metrics = pytest.importorskip("sklearn.metrics")

RTOL = 1e-12


@pytest.fixture
def reg(rng):
    y = rng.gamma(2.0, 3.0, 200)
    return y, y * rng.lognormal(0.0, 0.4, 200), rng.uniform(0.1, 2.0, 200)


def test_regression_costs_match_sklearn(reg) -> None:
    y, p, w = reg
    m = sklearn_metrics
    pairs = [
        (lossbook.mse, m.mean_squared_error),
        (lossbook.mae, m.mean_absolute_error),
        (lossbook.msle, m.mean_squared_log_error),
        (lossbook.rmse, m.root_mean_squared_error),
        (lossbook.rmsle, m.root_mean_squared_log_error),
    ]
    for ours, theirs in pairs:
        assert ours(y, p) == pytest.approx(theirs(y, p), rel=RTOL), ours.__name__
        assert ours(y, p, sample_weight=w) == pytest.approx(theirs(y, p, sample_weight=w), rel=RTOL), ours.__name__


def test_pinball_matches_sklearn(reg) -> None:
    y, p, w = reg
    for q in (0.1, 0.5, 0.9):
        assert losses.pinball.cost(y, p, quantile=q) == pytest.approx(sklearn_metrics.mean_pinball_loss(y, p, alpha=q), rel=RTOL)
        assert losses.pinball.cost(y, p, quantile=q, sample_weight=w) == pytest.approx(
            sklearn_metrics.mean_pinball_loss(y, p, alpha=q, sample_weight=w), rel=RTOL
        )


def test_mean_error_is_the_bias(reg) -> None:
    y, p, w = reg
    assert lossbook.mean_error(y, p) == pytest.approx(np.mean(p - y), rel=RTOL)
    assert lossbook.mean_error(y, p, sample_weight=w) == pytest.approx(np.average(p - y, weights=w), rel=RTOL)
    assert lossbook.mean_error([0.0, 0.0], [-5.0, 5.0]) == 0.0  # errors cancel: not a usable loss


def test_huber_and_pseudo_huber_match_scipy(rng) -> None:
    """scipy.special.huber(delta, r) uses the same 1/2 r^2 scaling; PyTorch's SmoothL1 divides by delta."""
    y, p = rng.normal(0, 3, 300), rng.normal(0, 3, 300)
    for delta in (0.3, 1.0, 2.5):
        np.testing.assert_allclose(losses.huber(y, p, delta=delta), sp.huber(delta, p - y), rtol=RTOL)
        np.testing.assert_allclose(losses.pseudo_huber(y, p, delta=delta), sp.pseudo_huber(delta, p - y), rtol=1e-10)


def test_log_cosh_matches_numpy_where_that_is_accurate(rng) -> None:
    r = rng.uniform(-20, 20, 300)
    np.testing.assert_allclose(losses.log_cosh(np.zeros(300), r), np.log(np.cosh(r)), rtol=1e-12)


def test_log_loss_matches_sklearn(rng) -> None:
    y = rng.integers(0, 2, 300)
    p = rng.uniform(0, 1, 300)
    p[:4] = [0.0, 1.0, 0.0, 1.0]  # both clip the same way
    w = rng.uniform(0.1, 2.0, 300)
    assert lossbook.log_loss(y, p) == pytest.approx(sklearn_metrics.log_loss(y, p), rel=RTOL)
    assert lossbook.log_loss(y, p, sample_weight=w) == pytest.approx(sklearn_metrics.log_loss(y, p, sample_weight=w), rel=RTOL)
    z = rng.normal(0, 4, 300)
    assert losses.binary_cross_entropy_with_logits.cost(y, z) == pytest.approx(sklearn_metrics.log_loss(y, sp.expit(z)), rel=1e-10)


def test_multiclass_cross_entropy_matches_sklearn(rng) -> None:
    labels = rng.integers(0, 4, 200)
    p = rng.dirichlet(np.ones(4), 200)
    ref = sklearn_metrics.log_loss(labels, p, labels=range(4))
    assert losses.sparse_categorical_cross_entropy.cost(labels, p) == pytest.approx(ref, rel=RTOL)
    assert losses.categorical_cross_entropy.cost(np.eye(4)[labels], p) == pytest.approx(ref, rel=RTOL)
    z = rng.normal(0, 2, (200, 4))
    assert losses.softmax_cross_entropy.cost(np.eye(4)[labels], z) == pytest.approx(
        sklearn_metrics.log_loss(labels, sp.softmax(z, axis=1), labels=range(4)), rel=1e-10
    )


def test_hinge_losses_match_sklearn(rng) -> None:
    """sklearn's hinge_loss takes {-1, +1} (or two classes) and uses Crammer-Singer for more classes."""
    y = rng.choice([-1, 1], 300)
    s = rng.normal(0, 2, 300)
    assert losses.hinge.cost(y, s) == pytest.approx(sklearn_metrics.hinge_loss(y, s), rel=RTOL)
    labels = rng.integers(0, 4, 300)
    scores = rng.normal(0, 2, (300, 4))
    assert losses.multiclass_hinge.cost(labels, scores) == pytest.approx(
        sklearn_metrics.hinge_loss(labels, scores, labels=range(4)), rel=RTOL
    )


def test_divergences_match_scipy(rng) -> None:
    p = rng.dirichlet(np.ones(5), 50)
    q = rng.dirichlet(np.ones(5), 50)
    p[0, :2] = [0.0, p[0, 0] + p[0, 1]]  # a zero: 0 log 0 = 0
    np.testing.assert_allclose(divergences.entropy(p), scipy.stats.entropy(p, axis=1), rtol=RTOL)
    np.testing.assert_allclose(divergences.kl_divergence(p, q), sp.rel_entr(p, q).sum(axis=1), rtol=RTOL)
    np.testing.assert_allclose(divergences.kl_divergence(p, q), scipy.stats.entropy(p, q, axis=1), rtol=RTOL)
    # SciPy's jensenshannon is the square root of the divergence.
    np.testing.assert_allclose(divergences.js_divergence(p, q), jensenshannon(p, q, axis=1) ** 2, rtol=1e-10)
    np.testing.assert_allclose(
        divergences.cross_entropy(p, q), divergences.entropy(p) + divergences.kl_divergence(p, q), rtol=RTOL
    )


def test_activations_match_scipy(rng) -> None:
    x = rng.normal(0, 5, 400)
    np.testing.assert_allclose(activations.sigmoid(x), sp.expit(x), rtol=RTOL)
    np.testing.assert_allclose(activations.softplus(x), np.logaddexp(0.0, x), rtol=RTOL)
    np.testing.assert_allclose(activations.swish(x, beta=1.7), x * sp.expit(1.7 * x), rtol=RTOL)
    np.testing.assert_allclose(activations.elu(x, alpha=0.5), np.where(x > 0, x, 0.5 * np.expm1(x)), rtol=RTOL)
    z = rng.normal(0, 5, (30, 6))
    np.testing.assert_allclose(activations.logsumexp(z), sp.logsumexp(z, axis=-1), rtol=RTOL)
    np.testing.assert_allclose(activations.logsumexp(z, axis=0), sp.logsumexp(z, axis=0), rtol=RTOL)
    np.testing.assert_allclose(activations.softmax(z), sp.softmax(z, axis=-1), rtol=RTOL)
    np.testing.assert_allclose(activations.log_softmax(z, axis=0), sp.log_softmax(z, axis=0), rtol=RTOL)


# -- the losses added for chapters 6-9 ------------------------------------------------------------
def test_poisson_deviance_matches_sklearn(rng) -> None:
    mean = rng.gamma(2.0, 2.0, 300)
    y = rng.poisson(mean).astype(float)  # zeros included
    assert np.count_nonzero(y == 0) > 10
    p = mean * rng.lognormal(0.0, 0.3, 300)
    w = rng.uniform(0.1, 2.0, 300)
    loss = losses.poisson_deviance
    assert loss.cost(y, p) == pytest.approx(sklearn_metrics.mean_poisson_deviance(y, p), rel=RTOL)
    assert loss.cost(y, p, sample_weight=w) == pytest.approx(
        sklearn_metrics.mean_poisson_deviance(y, p, sample_weight=w), rel=RTOL
    )
    # 2 (y log(y / mu) - y + mu) is twice the Poisson NLL minus its value at mu = y
    nll = -scipy.stats.poisson.logpmf(y, p)
    saturated = -scipy.stats.poisson.logpmf(y, np.where(y > 0, y, 1.0)) * (y > 0)
    np.testing.assert_allclose(loss(y, p), 2.0 * (nll - saturated), rtol=1e-10, atol=1e-12)


def _focal_reference(y, p, gamma, alpha):
    """The focal loss from its definition (Lin et al. 2017), in plain NumPy: -a_t (1 - p_t)^g log p_t."""
    y, p = np.asarray(y, float), np.asarray(p, float)
    a_pos, a_neg = (1.0, 1.0) if alpha is None else (alpha, 1.0 - alpha)
    positive = -a_pos * (1.0 - p) ** gamma * np.log(p)  # the loss if y = 1 (p_t = p)
    negative = -a_neg * p**gamma * np.log(1.0 - p)  # the loss if y = 0 (p_t = 1 - p)
    return y * positive + (1.0 - y) * negative  # soft labels: linear in y, like the BCE


@pytest.mark.parametrize("gamma, alpha", [(0.0, None), (2.0, None), (2.0, 0.25), (0.5, 0.75), (5.0, None)])
def test_focal_losses_match_their_definition(rng, gamma, alpha) -> None:
    y = rng.integers(0, 2, 200).astype(float)
    y[:40] = rng.uniform(0.0, 1.0, 40)
    z = rng.normal(0.0, 4.0, 200)
    p = sp.expit(z)
    expected = _focal_reference(y, p, gamma, alpha)
    np.testing.assert_allclose(losses.focal(y, p, gamma=gamma, alpha=alpha), expected, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(losses.focal_with_logits(y, z, gamma=gamma, alpha=alpha), expected, rtol=1e-9, atol=1e-14)


def test_focal_with_gamma_zero_is_the_cross_entropy(rng) -> None:
    y, p = rng.integers(0, 2, 50).astype(float), rng.uniform(0.0, 1.0, 50)
    np.testing.assert_array_equal(losses.focal(y, p, gamma=0.0), losses.binary_cross_entropy(y, p))
    z = rng.normal(0.0, 5.0, 50)
    np.testing.assert_allclose(losses.focal_with_logits(y, z, gamma=0.0),
                               losses.binary_cross_entropy_with_logits(y, z), rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(losses.focal_with_logits.grad(y, z, gamma=0.0),
                               losses.binary_cross_entropy_with_logits.grad(y, z), rtol=1e-12, atol=1e-300)


def test_focal_with_logits_is_exact_at_extreme_logits() -> None:
    """At |z| = 1000 sigma(z) rounds to 0 or 1; the stable form still gives the limits, exactly."""
    y = np.array([1.0, 0.0, 1.0, 0.0])
    z = np.array([1000.0, -1000.0, -1000.0, 1000.0])
    for gamma in (0.0, 2.0):
        value = losses.focal_with_logits(y, z, gamma=gamma)
        # right and confident: 0 (as sigma(-1000)^gamma * 1000 * e^-1000 underflows); wrong: |z|
        np.testing.assert_array_equal(value, [0.0, 0.0, 1000.0, 1000.0])
        np.testing.assert_array_equal(losses.focal_with_logits.grad(y, z, gamma=gamma), [0.0, 0.0, -1.0, 1.0])
    # the clipped loss on probabilities stops at -log(eps_mach) instead
    clipped = losses.focal(y, sp.expit(z), gamma=0.0)
    np.testing.assert_allclose(clipped[2:], -np.log(np.finfo(float).eps))
