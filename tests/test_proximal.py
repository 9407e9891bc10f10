"""lossbook.optim.proximal_gradient: ISTA and FISTA on a penalised least-squares cost."""

from __future__ import annotations

import numpy as np
import pytest

from lossbook import penalties
from lossbook.optim import DivergenceWarning, gradient_descent, proximal_gradient

sklearn = pytest.importorskip("sklearn.linear_model")


def problem(seed=0, n=120, d=8):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    theta = np.array([3.0, -2.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.5])[:d]
    y = X @ theta + 4.0 + rng.normal(scale=0.5, size=n)
    design = np.column_stack([X, np.ones(n)])  # the intercept last, unpenalised

    def half_mse(t, rows):
        r = design[rows] @ t - y[rows]
        return 0.5 * float(r @ r) / r.size, design[rows].T @ r / r.size

    step = 1.0 / np.linalg.eigvalsh(design.T @ design / n).max()
    return X, y, design, half_mse, step


@pytest.mark.parametrize("accelerated", [False, True])
def test_lasso_with_an_unpenalised_intercept_matches_sklearn(accelerated) -> None:
    X, y, design, f, step = problem()
    lam = 0.2
    result = proximal_gradient(f, np.zeros(design.shape[1]), penalty=penalties.l1, strength=lam,
                               learning_rate=step, penalized=slice(0, -1), n_epochs=20000, tol=1e-10,
                               accelerated=accelerated)
    assert result.converged, result.message
    lasso = sklearn.Lasso(alpha=lam, tol=1e-12, max_iter=100000).fit(X, y)
    np.testing.assert_allclose(result.params[:-1], lasso.coef_, atol=1e-7)
    assert result.params[-1] == pytest.approx(lasso.intercept_, abs=1e-7)
    assert np.sum(result.params[:-1] == 0.0) == np.sum(lasso.coef_ == 0.0) >= 3  # exact zeros


def test_fista_needs_fewer_steps_than_ista() -> None:
    # FISTA's advantage is on ill-conditioned costs: correlated features.
    rng = np.random.default_rng(1)
    base = rng.normal(size=(200, 1))
    X = base + 0.05 * rng.normal(size=(200, 6))
    y = X @ np.array([1.0, -1.0, 0.5, 0.0, 0.0, 2.0]) + rng.normal(scale=0.1, size=200)
    design = np.column_stack([X, np.ones(200)])

    def f(t, rows):
        r = design[rows] @ t - y[rows]
        return 0.5 * float(r @ r) / r.size, design[rows].T @ r / r.size

    step = 1.0 / np.linalg.eigvalsh(design.T @ design / 200).max()
    kw = dict(penalty=penalties.l1, strength=0.05, learning_rate=step, penalized=slice(0, -1), n_epochs=50000, tol=1e-9)
    ista = proximal_gradient(f, np.zeros(design.shape[1]), **kw)
    fista = proximal_gradient(f, np.zeros(design.shape[1]), accelerated=True, **kw)
    assert ista.converged and fista.converged
    assert fista.n_epochs < ista.n_epochs / 2
    # the same minimum; on so flat a cost the parameters are determined less tightly than the cost
    assert fista.cost == pytest.approx(ista.cost, rel=1e-10)
    np.testing.assert_allclose(fista.params, ista.params, atol=1e-4)


def test_ista_cost_never_increases() -> None:
    _, _, design, f, step = problem(seed=2)
    result = proximal_gradient(f, np.zeros(design.shape[1]), penalty=penalties.l1, strength=0.3,
                               learning_rate=step, penalized=slice(0, -1), n_epochs=300, tol=None)
    assert np.all(np.diff(result.history.cost) <= 1e-12)
    assert result.n_epochs == 300 and not result.converged


def test_subgradient_descent_gives_no_exact_zeros() -> None:
    # The same lasso cost by plain (sub)gradient steps: coefficients hover around 0, never at it.
    _, _, design, f, step = problem()
    lam = 0.2
    mask = np.r_[np.ones(design.shape[1] - 1), 0.0]

    def objective(t, rows):
        cost, grad = f(t, rows)
        return cost + lam * penalties.l1(t[:-1]), grad + lam * mask * penalties.l1.grad(t)

    sub = gradient_descent(objective, np.zeros(design.shape[1]), n_samples=design.shape[0],
                           learning_rate=step * 0.5, n_epochs=3000)
    prox = proximal_gradient(f, np.zeros(design.shape[1]), penalty=penalties.l1, strength=lam,
                             learning_rate=step, penalized=slice(0, -1), n_epochs=20000, tol=1e-10)
    assert np.sum(prox.params[:-1] == 0.0) >= 3
    assert np.sum(sub.params[:-1] == 0.0) == 0


@pytest.mark.parametrize(("penalty", "params", "model"), [
    (penalties.l2, {}, "ridge"), (penalties.elastic_net, {"l1_ratio": 0.4}, "elastic_net")])
def test_other_penalties_match_sklearn(penalty, params, model) -> None:
    X, y, design, f, step = problem(seed=3)
    lam, n = 0.3, X.shape[0]
    result = proximal_gradient(f, np.zeros(design.shape[1]), penalty=penalty, strength=lam,
                               learning_rate=step, penalized=slice(0, -1), n_epochs=50000, tol=1e-11,
                               accelerated=True, **params)
    if model == "ridge":
        theirs = sklearn.Ridge(alpha=n * lam).fit(X, y)
    else:
        theirs = sklearn.ElasticNet(alpha=lam, l1_ratio=0.4, tol=1e-12, max_iter=100000).fit(X, y)
    np.testing.assert_allclose(result.params[:-1], theirs.coef_, atol=1e-7)
    assert result.params[-1] == pytest.approx(theirs.intercept_, abs=1e-7)


def test_zero_strength_is_gradient_descent() -> None:
    _, _, design, f, step = problem(seed=4)
    prox = proximal_gradient(f, np.zeros(design.shape[1]), penalty=penalties.l1, strength=0.0,
                             learning_rate=step, n_epochs=50, tol=None)
    plain = gradient_descent(f, np.zeros(design.shape[1]), n_samples=design.shape[0], learning_rate=step, n_epochs=50)
    np.testing.assert_array_equal(prox.params, plain.params)


def test_divergence_is_reported() -> None:
    _, _, design, f, step = problem()
    with pytest.warns(DivergenceWarning, match="diverged at epoch"):
        result = proximal_gradient(f, np.zeros(design.shape[1]), penalty=penalties.l1, strength=0.1,
                                   learning_rate=10 * step, n_epochs=500)
    assert result.diverged and not result.converged


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"strength": -1.0}, ValueError, "strength must be >= 0"),
    ({"learning_rate": 0.0}, ValueError, "learning_rate must be > 0"),
    ({"n_epochs": 0}, ValueError, "n_epochs must be an integer >= 1"),
    ({"tol": -1.0}, ValueError, "tol must be >= 0"),
    ({"l1_ratio": 2.0}, ValueError, "l1_ratio must lie in"),
])
def test_bad_parameters(kwargs, error, match) -> None:
    _, _, design, f, step = problem()
    base = dict(penalty=penalties.elastic_net, strength=0.1, learning_rate=step)
    with pytest.raises(error, match=match):
        proximal_gradient(f, np.zeros(design.shape[1]), **{**base, **kwargs})


def test_theta0_not_modified() -> None:
    _, _, design, f, step = problem()
    theta0 = np.ones(design.shape[1])
    proximal_gradient(f, theta0, penalty=penalties.l1, strength=0.1, learning_rate=step, n_epochs=10)
    np.testing.assert_array_equal(theta0, 1.0)
