"""Gaussian fits by forward and reverse KL: the model, the objective's gradient, the two behaviours."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lossbook import divergences
from lossbook.fitting import GaussianFit, discretised_gaussian, fit_gaussian, gaussian_kl, gaussian_kl_function
from lossbook.gradcheck import check_grad

GRID = np.linspace(-12.0, 12.0, 1201)


def density(x: np.ndarray, mean: float, std: float) -> np.ndarray:
    return np.exp(-0.5 * ((x - mean) / std) ** 2) / (std * math.sqrt(2.0 * math.pi))


@pytest.fixture
def bimodal() -> np.ndarray:
    p = 0.6 * density(GRID, -3.0, 0.6) + 0.4 * density(GRID, 2.5, 0.9)
    return p / p.sum()


def moments(x: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    mean = float(w @ x)
    return mean, math.sqrt(float(w @ (x - mean) ** 2))


def test_discretised_gaussian_is_the_density_times_the_spacing() -> None:
    q = discretised_gaussian(GRID, 0.5, 1.5)
    assert q.shape == GRID.shape and q.min() >= 0.0
    assert q.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(q, density(GRID, 0.5, 1.5) * (GRID[1] - GRID[0]), rtol=1e-9, atol=1e-300)
    # far from the grid: a point mass on the nearest end, not NaN
    far = discretised_gaussian(GRID, 1e6, 1.0)
    assert far[-1] == 1.0 and far[:-1].sum() == 0.0


def test_kl_agrees_with_the_divergences_module(bimodal) -> None:
    q = discretised_gaussian(GRID, 0.0, 2.0)
    assert gaussian_kl(GRID, bimodal, 0.0, 2.0) == pytest.approx(divergences.kl_divergence(bimodal, q), rel=1e-12)
    assert gaussian_kl(GRID, bimodal, 0.0, 2.0, "reverse") == pytest.approx(
        divergences.kl_divergence(q, bimodal), rel=1e-12
    )
    # where q underflows to 0 but p > 0, the divergences module says inf; the log-space form does not
    assert divergences.kl_divergence(bimodal, discretised_gaussian(GRID, 0.0, 0.1)) == math.inf
    assert math.isfinite(gaussian_kl(GRID, bimodal, 0.0, 0.1))


@pytest.mark.parametrize("direction", ["forward", "reverse"])
def test_kl_function_is_validated_once_and_agrees(bimodal, direction) -> None:
    p = bimodal.copy()
    f = gaussian_kl_function(GRID, p, direction)
    expected = gaussian_kl(GRID, bimodal, -0.5, 1.7, direction)
    assert f(-0.5, 1.7) == expected
    p[:] = 1.0 / p.size  # changing the caller's array afterwards changes nothing
    assert f(-0.5, 1.7) == expected
    with pytest.raises(ValueError, match="std must be > 0"):
        f(0.0, 0.0)


def test_continuous_kl_between_gaussians_is_approximated() -> None:
    # KL(N(0, 1) || N(1, 2^2)) = log 2 + (1 + 1) / 8 - 1/2
    p = discretised_gaussian(GRID, 0.0, 1.0)
    exact = math.log(2.0) + 2.0 / 8.0 - 0.5
    # the grid cuts off the tails of N(1, 2^2) beyond 5.5 sigma: a relative error near 1e-7
    assert gaussian_kl(GRID, p, 1.0, 2.0) == pytest.approx(exact, rel=1e-6)


@pytest.mark.parametrize("direction", ["forward", "reverse"])
def test_gradient_matches_finite_differences(bimodal, direction, rng) -> None:
    from lossbook.fitting import kl_and_gradient, log_target

    log_p = log_target(bimodal, direction)
    for _ in range(5):
        theta = np.array([rng.uniform(-4, 4), math.log(rng.uniform(0.4, 4.0))])
        result = check_grad(
            lambda t: kl_and_gradient(t, GRID, bimodal, log_p, direction)[0],
            lambda t: kl_and_gradient(t, GRID, bimodal, log_p, direction)[1],
            theta, rtol=1e-6, atol=1e-9,
        )
        assert result, str(result)


@pytest.mark.parametrize("direction", ["forward", "reverse"])
def test_a_gaussian_target_is_recovered_exactly(direction) -> None:
    p = discretised_gaussian(GRID, 1.25, 0.8)
    fit = fit_gaussian(GRID, p, direction, mean0=-2.0, std0=3.0)
    assert fit.converged
    assert fit.mean == pytest.approx(1.25, abs=1e-8) and fit.std == pytest.approx(0.8, rel=1e-8)
    assert fit.divergence == pytest.approx(0.0, abs=1e-14)


def test_forward_fit_matches_the_moments_of_the_target(bimodal) -> None:
    fit = fit_gaussian(GRID, bimodal, "forward", mean0=3.0, std0=0.5)
    assert isinstance(fit, GaussianFit) and fit.converged and fit.direction == "forward"
    p_mean, p_std = moments(GRID, bimodal)
    q_mean, q_std = moments(GRID, fit.q)
    assert q_mean == pytest.approx(p_mean, abs=1e-9) and q_std == pytest.approx(p_std, rel=1e-9)
    # the grid cuts q off 4 sigma left of its mean, so its parameters are the moments only nearly
    assert fit.mean == pytest.approx(p_mean, abs=1e-3) and fit.std == pytest.approx(p_std, rel=1e-3)
    assert fit.path.shape == (fit.n_iter + 1, 2) and tuple(fit.path[0]) == (3.0, 0.5)


def test_reverse_fit_seeks_the_mode_it_starts_near(bimodal) -> None:
    left = fit_gaussian(GRID, bimodal, "reverse", mean0=-2.0, std0=1.0)
    right = fit_gaussian(GRID, bimodal, "reverse", mean0=1.0, std0=1.0)
    assert left.converged and right.converged
    assert left.mean == pytest.approx(-3.0, abs=0.01) and left.std == pytest.approx(0.6, abs=0.01)
    assert right.mean == pytest.approx(2.5, abs=0.01) and right.std == pytest.approx(0.9, abs=0.01)
    # sitting on one component of weight w, q misses nothing it covers: KL(q || p) ~ -log w
    assert left.divergence == pytest.approx(-math.log(0.6), abs=1e-3)
    assert right.divergence == pytest.approx(-math.log(0.4), abs=1e-3)
    forward = fit_gaussian(GRID, bimodal, "forward")
    assert forward.std > 3 * max(left.std, right.std)


def test_reverse_fit_agrees_with_scipy(bimodal) -> None:
    optimize = pytest.importorskip("scipy.optimize")
    ours = fit_gaussian(GRID, bimodal, "reverse", mean0=-2.0, std0=1.0)
    theirs = optimize.minimize(
        lambda t: gaussian_kl(GRID, bimodal, t[0], math.exp(t[1]), "reverse"),
        x0=[-2.0, 0.0], method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 4000},
    )
    assert theirs.success
    assert ours.mean == pytest.approx(theirs.x[0], abs=1e-6)
    assert math.log(ours.std) == pytest.approx(theirs.x[1], abs=1e-6)
    assert ours.divergence <= theirs.fun + 1e-12


def test_iteration_limit_is_reported(bimodal) -> None:
    fit = fit_gaussian(GRID, bimodal, "reverse", mean0=-2.0, std0=1.0, max_iter=2)
    assert not fit.converged and fit.n_iter == 2
    assert "converged=False" in repr(fit)


def test_inputs_are_not_modified(bimodal) -> None:
    grid, p = GRID.copy(), bimodal.copy()
    fit_gaussian(grid, p, "reverse")
    np.testing.assert_array_equal(grid, GRID)
    np.testing.assert_array_equal(p, bimodal)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda p: fit_gaussian(GRID.reshape(-1, 1), p), "1-D"),
        (lambda p: fit_gaussian([1.0, 1.0], [0.5, 0.5]), "distinct"),
        (lambda p: fit_gaussian(GRID[:-1], p), "same shape"),
        (lambda p: fit_gaussian(GRID, 2 * p), "sum"),
        (lambda p: fit_gaussian(GRID, p, "backward"), "forward"),
        (lambda p: fit_gaussian(GRID, p, std0=0.0), "std0 must be > 0"),
        (lambda p: fit_gaussian(GRID, p, max_iter=0), "max_iter"),
        (lambda p: fit_gaussian(GRID, p, tol=-1.0), "tol"),
        (lambda p: fit_gaussian(np.where(GRID > 0, np.nan, GRID), p), "finite"),
        (lambda p: fit_gaussian(GRID, np.eye(GRID.size)[0]), "standard deviation is 0"),
        (lambda p: fit_gaussian(GRID, np.where(GRID > 11, 0.0, p) / np.where(GRID > 11, 0.0, p).sum(), "reverse"), "zeros"),
        (lambda p: discretised_gaussian(GRID, 0.0, -1.0), "std must be > 0"),
        (lambda p: gaussian_kl(GRID, p, np.inf, 1.0), "mean must be finite"),
    ],
)
def test_bad_input_is_explained(bimodal, call, match) -> None:
    with pytest.raises(ValueError, match=match):
        call(bimodal)


def test_forward_fit_accepts_zeros_in_the_target() -> None:
    p = np.where(np.abs(GRID) < 2.0, 1.0, 0.0)
    p /= p.sum()
    fit = fit_gaussian(GRID, p)
    assert fit.converged and fit.mean == pytest.approx(0.0, abs=1e-9)
    assert moments(GRID, fit.q)[1] == pytest.approx(moments(GRID, p)[1], rel=1e-9)
