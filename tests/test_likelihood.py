"""Noise models: each NLL is minus scipy's log-density or log-pmf, and its loss up to the stated scale and constant."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats

from lossbook import likelihood, losses

RNG_SEED = 20261203
N = 200


def _real(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    return rng.normal(0.0, 3.0, N), rng.normal(0.0, 3.0, N)


@pytest.mark.parametrize("sigma", [0.1, 1.0, 7.5])
def test_gaussian_is_scipy_norm_and_squared_error(sigma: float) -> None:
    y, p = _real(np.random.default_rng(RNG_SEED))
    model = likelihood.Gaussian(sigma)
    nll = model.nll(y, p)
    np.testing.assert_allclose(nll, -scipy.stats.norm.logpdf(y, loc=p, scale=sigma), rtol=1e-12, atol=1e-12)
    expected = losses.squared_error(y, p) / (2 * sigma**2) + 0.5 * np.log(2 * np.pi * sigma**2)
    np.testing.assert_allclose(nll, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(nll, model.loss_scale * model.loss_values(y, p) + model.loss_constant(y), rtol=1e-12, atol=1e-12)
    assert model.loss is losses.squared_error
    assert model.log_likelihood(y, p) == pytest.approx(scipy.stats.norm.logpdf(y, p, sigma).sum(), rel=1e-12)


@pytest.mark.parametrize("scale", [0.2, 1.0, 4.0])
def test_laplace_is_scipy_laplace_and_absolute_error(scale: float) -> None:
    y, p = _real(np.random.default_rng(RNG_SEED + 1))
    model = likelihood.Laplace(scale)
    nll = model.nll(y, p)
    np.testing.assert_allclose(nll, -scipy.stats.laplace.logpdf(y, loc=p, scale=scale), rtol=1e-12, atol=1e-12)
    expected = losses.absolute_error(y, p) / scale + np.log(2 * scale)
    np.testing.assert_allclose(nll, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(nll, model.loss_scale * model.loss_values(y, p) + model.loss_constant(y), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("df", "scale"), [(1.0, 1.0), (3.0, 0.5), (30.0, 2.0)])
def test_student_t_is_scipy_t(df: float, scale: float) -> None:
    y, p = _real(np.random.default_rng(RNG_SEED + 2))
    model = likelihood.StudentT(df, scale)
    nll = model.nll(y, p)
    np.testing.assert_allclose(nll, -scipy.stats.t.logpdf(y, df, loc=p, scale=scale), rtol=1e-12, atol=1e-12)
    robust = np.log1p(((p - y) / scale) ** 2 / df)
    np.testing.assert_allclose(model.loss_values(y, p), robust, rtol=1e-13)
    np.testing.assert_allclose(nll, (df + 1) / 2 * robust + model.loss_constant(y), rtol=1e-12, atol=1e-12)
    assert model.loss is None


def test_student_t_tends_to_the_gaussian() -> None:
    y, p = _real(np.random.default_rng(RNG_SEED + 3))
    np.testing.assert_allclose(likelihood.StudentT(1e7, 2.0).nll(y, p), likelihood.Gaussian(2.0).nll(y, p), rtol=1e-5)


def test_bernoulli_is_scipy_bernoulli_and_binary_cross_entropy() -> None:
    rng = np.random.default_rng(RNG_SEED + 4)
    p = rng.uniform(1e-6, 1 - 1e-6, N)
    y = (rng.uniform(size=N) < p).astype(int)
    model = likelihood.Bernoulli()
    nll = model.nll(y, p)
    np.testing.assert_allclose(nll, -scipy.stats.bernoulli.logpmf(y, p), rtol=1e-12)
    np.testing.assert_allclose(nll, losses.binary_cross_entropy(y, p), rtol=1e-12)
    np.testing.assert_allclose(nll, model.loss_scale * model.loss_values(y, p) + model.loss_constant(y), rtol=1e-12)


def test_categorical_is_the_log_of_the_label_probability_and_the_cross_entropies() -> None:
    rng = np.random.default_rng(RNG_SEED + 5)
    z = rng.normal(0.0, 2.0, (N, 4))
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    y = np.array([rng.choice(4, p=row) for row in p])
    model = likelihood.Categorical()
    nll = model.nll(y, p)
    np.testing.assert_allclose(nll, -np.log(p[np.arange(N), y]), rtol=1e-12)
    assert model.log_likelihood(y, p) == pytest.approx(sum(scipy.stats.multinomial.logpmf(np.eye(4)[c], 1, row) for c, row in zip(y, p, strict=True)), rel=1e-10)
    np.testing.assert_allclose(nll, losses.sparse_categorical_cross_entropy(y, p), rtol=1e-12)
    np.testing.assert_allclose(nll, losses.categorical_cross_entropy(np.eye(4)[y], p), rtol=1e-12)
    np.testing.assert_allclose(nll, losses.softmax_cross_entropy(np.eye(4)[y], z), rtol=1e-10)
    np.testing.assert_allclose(nll, model.loss_scale * model.loss_values(y, p) + model.loss_constant(y), rtol=1e-12)


def test_poisson_is_scipy_poisson_and_half_the_deviance() -> None:
    rng = np.random.default_rng(RNG_SEED + 6)
    mu = rng.uniform(0.05, 40.0, N)
    y = rng.poisson(mu).astype(float)
    assert (y == 0).any()
    model = likelihood.Poisson()
    nll = model.nll(y, mu)
    np.testing.assert_allclose(nll, -scipy.stats.poisson.logpmf(y, mu), rtol=1e-12, atol=1e-12)
    saturated = -scipy.stats.poisson.logpmf(y, np.where(y > 0, y, 1.0))  # the NLL at mu = y (mu = 0 for y = 0: NLL 0)
    saturated[y == 0] = 0.0
    np.testing.assert_allclose(model.loss_constant(y), saturated, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(nll, 0.5 * losses.poisson_deviance(y, mu) + saturated, rtol=1e-12, atol=1e-12)


def test_inputs_are_not_modified() -> None:
    rng = np.random.default_rng(RNG_SEED + 7)
    y, p = _real(rng)
    counts, mu = rng.poisson(3.0, N).astype(float), rng.uniform(1.0, 5.0, N)
    copies = [a.copy() for a in (y, p, counts, mu)]
    likelihood.Gaussian(2.0).nll(y, p)
    likelihood.StudentT(3.0).nll(y, p)
    likelihood.Poisson().nll(counts, mu)
    likelihood.Poisson().loss_constant(counts)
    for original, copy in zip((y, p, counts, mu), copies, strict=True):
        np.testing.assert_array_equal(original, copy)


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: likelihood.Gaussian(0.0), "sigma must be > 0"),
        (lambda: likelihood.Gaussian(-1.0), "sigma must be > 0"),
        (lambda: likelihood.Gaussian(float("nan")), "sigma must be finite"),
        (lambda: likelihood.Laplace(0.0), "scale must be > 0"),
        (lambda: likelihood.StudentT(0.0), "df must be > 0"),
        (lambda: likelihood.StudentT(-2.0), "df must be > 0"),
        (lambda: likelihood.StudentT(3.0, scale=0.0), "scale must be > 0"),
    ],
)
def test_bad_parameters(make, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize(
    ("model", "y_true", "y_pred", "match"),
    [
        (likelihood.Gaussian(), [1.0, 2.0], [1.0], "same shape"),
        (likelihood.Gaussian(), [1.0, 2.0], [[1.0], [2.0]], "same shape"),
        (likelihood.Gaussian(), [1.0, np.nan], [1.0, 2.0], "finite"),
        (likelihood.Laplace(), [1.0, 2.0], [1.0, np.inf], "finite"),
        (likelihood.StudentT(), [np.nan], [1.0], "finite"),
        (likelihood.Bernoulli(), [0, 2], [0.5, 0.5], "binary labels"),
        (likelihood.Bernoulli(), [0, 1], [0.5, 1.5], r"y_pred must lie in \[0, 1\]"),
        (likelihood.Bernoulli(), [0, 1], [0.5, np.nan], "finite"),
        (likelihood.Bernoulli(), [0, 1], [0.5, 0.0], "probability of each observed label"),
        (likelihood.Bernoulli(), [0, 1, 1], [0.5, 0.5], "same shape"),
        (likelihood.Categorical(), [0, 3], [[0.5, 0.5], [0.2, 0.8]], "class labels in"),
        (likelihood.Categorical(), [0, 1], [[0.5, 0.6], [0.2, 0.8]], "sum"),
        (likelihood.Categorical(), [0, 1], [[0.5, 0.5], [1.0, 0.0]], "probability of each observed label"),
        (likelihood.Poisson(), [1.0, 2.5], [1.0, 2.0], "whole numbers"),
        (likelihood.Poisson(), [1.0, -1.0], [1.0, 2.0], r"y_true must lie in \[0, inf\)"),
        (likelihood.Poisson(), [1.0, 2.0], [1.0, 0.0], r"y_pred must lie in \(0, inf\)"),
        (likelihood.Poisson(), [1.0, np.nan], [1.0, 2.0], "finite"),
    ],
)
def test_bad_inputs(model, y_true, y_pred, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        model.nll(y_true, y_pred)


def test_bad_counts_for_the_constant() -> None:
    with pytest.raises(ValueError, match="whole numbers"):
        likelihood.Poisson().loss_constant([0.5])
    with pytest.raises(ValueError, match="finite"):
        likelihood.Poisson().loss_constant([np.nan])
