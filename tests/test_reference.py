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
