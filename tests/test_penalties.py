"""lossbook.penalties: values, (sub)gradients, proximal operators and scikit-learn's scalings."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from lossbook import penalties
from lossbook.gradcheck import check_grad

ALL = list(penalties.REGISTRY.values())
RATIOS = [0.0, 0.3, 1.0]


def params_of(penalty):
    return [{"l1_ratio": r} for r in RATIOS] if penalty.defaults else [{}]


def test_values_by_hand() -> None:
    theta = np.array([1.5, -2.0, 0.0, 0.5])
    assert penalties.l1(theta) == 4.0
    assert penalties.l2(theta) == 0.5 * (2.25 + 4.0 + 0.25)
    assert penalties.elastic_net(theta, l1_ratio=0.25) == pytest.approx(0.25 * 4.0 + 0.75 * 0.5 * 6.5)
    assert penalties.elastic_net(theta) == pytest.approx(0.5 * 4.0 + 0.5 * 3.25)
    assert type(penalties.l1(theta)) is float


@pytest.mark.parametrize("penalty", ALL, ids=lambda p: p.name)
def test_gradient_matches_finite_differences_away_from_zero(penalty, rng) -> None:
    theta = rng.normal(size=7)
    theta[np.abs(theta) < 0.1] += 0.5  # away from the kink of |theta|
    for params in params_of(penalty):
        result = check_grad(lambda t, kw=params: penalty(t, **kw), lambda t, kw=params: penalty.grad(t, **kw), theta)
        assert result, str(result)


def test_l1_subgradient_is_zero_at_zero() -> None:
    np.testing.assert_array_equal(penalties.l1.grad([0.0, 2.0, -3.0]), [0.0, 1.0, -1.0])
    np.testing.assert_array_equal(penalties.elastic_net.grad([0.0], l1_ratio=1.0), [0.0])


@pytest.mark.parametrize("penalty", ALL, ids=lambda p: p.name)
@pytest.mark.parametrize("step", [0.05, 0.7, 3.0])
def test_prox_is_the_minimiser_of_its_definition(penalty, step, rng) -> None:
    # The penalties are sums over coordinates, so the prox is a 1-D minimisation per coordinate.
    theta = rng.normal(scale=2.0, size=6)
    for params in params_of(penalty):
        got = penalty.prox(theta, step, **params)
        for j, t in enumerate(theta):
            res = minimize_scalar(lambda u, t=t, kw=params: 0.5 * (u - t) ** 2 + step * penalty(np.array([u]), **kw),
                                  bracket=(t - 5, t + 5), tol=1e-12)
            assert got[j] == pytest.approx(res.x, abs=1e-6)


def test_l1_prox_gives_exact_zeros_l2_none() -> None:
    theta = np.array([0.3, -0.2, 1.0, -2.0])
    np.testing.assert_array_equal(penalties.l1.prox(theta, 0.5), [0.0, 0.0, 0.5, -1.5])
    assert np.all(penalties.l2.prox(theta, 0.5) != 0.0)
    np.testing.assert_allclose(penalties.l2.prox(theta, 0.5), theta / 1.5)


@pytest.mark.parametrize("penalty", ALL, ids=lambda p: p.name)
def test_inputs_are_not_modified(penalty) -> None:
    theta = np.array([0.3, -0.2, 1.0])
    before = theta.copy()
    penalty(theta)
    penalty.grad(theta)
    penalty.prox(theta, 0.1)
    np.testing.assert_array_equal(theta, before)


@pytest.mark.parametrize("penalty", ALL, ids=lambda p: p.name)
@pytest.mark.parametrize(
    ("theta", "match"),
    [
        ([[1.0, 2.0]], "theta must be 1-D"),
        ([1.0, np.nan], "theta must contain only finite numbers"),
        ([np.inf], "theta must contain only finite numbers"),
        ([], "theta is empty"),
    ],
)
def test_bad_theta(penalty, theta, match) -> None:
    with pytest.raises(ValueError, match=match):
        penalty(theta)
    with pytest.raises(ValueError, match=match):
        penalty.prox(theta, 0.1)


@pytest.mark.parametrize("penalty", ALL, ids=lambda p: p.name)
@pytest.mark.parametrize(("step", "match"), [(0.0, "step must be > 0"), (-1.0, "step must be > 0"),
                                             (np.nan, "step must be finite")])
def test_bad_step(penalty, step, match) -> None:
    with pytest.raises(ValueError, match=match):
        penalty.prox([1.0, 2.0], step)


@pytest.mark.parametrize("ratio", [-0.1, 1.5, np.nan])
def test_bad_l1_ratio(ratio) -> None:
    with pytest.raises(ValueError, match="l1_ratio must"):
        penalties.elastic_net([1.0], l1_ratio=ratio)


def test_unknown_parameter() -> None:
    with pytest.raises(TypeError, match="unexpected parameter"):
        penalties.l1([1.0], l1_ratio=0.5)


# -- scikit-learn's scalings (API.md) ---------------------------------------------------------
sklearn = pytest.importorskip("sklearn.linear_model")


def _problem(rng):
    n, d = 80, 6
    X = rng.normal(size=(n, d))
    X -= X.mean(axis=0)
    theta = np.array([3.0, -2.0, 0.0, 0.0, 1.0, 0.0])
    y = X @ theta + rng.normal(scale=0.5, size=n)
    return X, y - y.mean()


def _proximal_gradient(X, y, penalty, lam, **params):
    """ISTA on ½·mse + lam·P, to convergence: the minimiser of lossbook's objective."""
    n = X.shape[0]
    step = n / np.linalg.eigvalsh(X.T @ X).max()  # 1/L for ½·mse
    theta = np.zeros(X.shape[1])
    for _ in range(20000):
        grad = X.T @ (X @ theta - y) / n
        new = penalty.prox(theta - step * grad, step * lam, **params)
        if np.max(np.abs(new - theta)) < 1e-13:
            break
        theta = new
    return new


def test_half_mse_plus_lambda_l1_is_sklearn_lasso(rng) -> None:
    X, y = _problem(rng)
    lam = 0.3
    ours = _proximal_gradient(X, y, penalties.l1, lam)
    theirs = sklearn.Lasso(alpha=lam, fit_intercept=False, tol=1e-12, max_iter=100000).fit(X, y).coef_
    np.testing.assert_allclose(ours, theirs, atol=1e-8)
    assert np.sum(ours == 0.0) >= 2  # the lasso's exact zeros


def test_half_mse_plus_lambda_l2_is_sklearn_ridge_with_alpha_n_lambda(rng) -> None:
    X, y = _problem(rng)
    lam, n = 0.3, X.shape[0]
    ours = _proximal_gradient(X, y, penalties.l2, lam)
    theirs = sklearn.Ridge(alpha=n * lam, fit_intercept=False).fit(X, y).coef_
    np.testing.assert_allclose(ours, theirs, atol=1e-9)


@pytest.mark.parametrize("ratio", [0.2, 0.7])
def test_half_mse_plus_lambda_elastic_net_is_sklearn_elastic_net(rng, ratio) -> None:
    X, y = _problem(rng)
    lam = 0.3
    ours = _proximal_gradient(X, y, penalties.elastic_net, lam, l1_ratio=ratio)
    theirs = sklearn.ElasticNet(alpha=lam, l1_ratio=ratio, fit_intercept=False, tol=1e-12,
                                max_iter=100000).fit(X, y).coef_
    np.testing.assert_allclose(ours, theirs, atol=1e-8)
