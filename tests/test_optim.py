"""Gradient descent: convergence, the 2/L divergence threshold, reproducible shuffling."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from lossbook import models, optim


@pytest.fixture
def problem(rng):
    X = rng.normal(size=(200, 3)) * [1.0, 2.0, 0.5]
    y = X @ [1.0, -2.0, 0.5] + 1.0 + 0.1 * rng.normal(size=200)
    return X, y


def test_step_size_threshold_two_over_L(problem) -> None:
    X, y = problem
    L = np.linalg.eigvalsh(models.squared_error_hessian(X)).max()
    below = models.LinearRegression().fit(X, y, learning_rate=0.98 * 2 / L, n_epochs=3000, tol=1e-9)
    assert below.result_.converged and not below.result_.diverged
    with pytest.warns(optim.DivergenceWarning, match="diverged at epoch"):
        above = models.LinearRegression().fit(X, y, learning_rate=1.02 * 2 / L, n_epochs=3000, tol=1e-9)
    assert above.result_.diverged and not above.result_.converged
    assert "learning rate" in above.result_.message
    assert np.all(np.isfinite(above.result_.history.cost))  # stopped, not a wall of NaN


def test_history_shapes(problem) -> None:
    X, y = problem
    m = models.LinearRegression().fit(X, y, learning_rate=0.05, n_epochs=7, batch_size=50, tol=None, record_steps=True)
    h = m.result_.history
    assert h.cost.shape == (8,) and h.params.shape == (8, 4)
    assert h.step_cost.shape == (28,) and h.step_params.shape == (29, 4)
    assert m.result_.n_steps == 28 and m.result_.n_epochs == 7
    np.testing.assert_array_equal(h.params[-1], m.theta_)


def test_minibatch_runs_are_reproducible_per_seed(problem) -> None:
    X, y = problem

    def run(seed, batch_size):
        return models.LinearRegression().fit(X, y, learning_rate=0.02, n_epochs=5, batch_size=batch_size, seed=seed, tol=None).theta_

    for batch_size in (1, 16):
        np.testing.assert_array_equal(run(1, batch_size), run(1, batch_size))
        assert not np.array_equal(run(1, batch_size), run(2, batch_size))


def test_sgd_with_decay_approaches_the_solution(problem) -> None:
    X, y = problem
    exact = models.least_squares(X, y)
    m = models.LinearRegression().fit(
        X, y, learning_rate=optim.inverse_time_decay(0.02, 1e-3), n_epochs=30, batch_size=1, tol=None
    )
    assert np.max(np.abs(m.theta_ - exact)) < 0.05


def test_schedules() -> None:
    assert optim.constant(0.1)(50) == 0.1
    assert optim.inverse_time_decay(1.0, 0.5)(2) == 0.5
    assert optim.exponential_decay(1.0, 0.5)(3) == 0.125
    with pytest.raises(ValueError, match="rate"):
        optim.exponential_decay(1.0, 1.5)


def test_bad_arguments(problem) -> None:
    X, y = problem
    m = models.LinearRegression()
    for kwargs, match in [
        ({"learning_rate": 0.0}, "learning_rate"),
        ({"learning_rate": -1.0}, "learning_rate"),
        ({"n_epochs": 0}, "n_epochs"),
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": 500}, "at most"),
    ]:
        with pytest.raises(ValueError, match=match):
            m.fit(X, y, **kwargs)
    with pytest.raises(ValueError, match="theta0"):
        optim.gradient_descent(lambda t, r: (0.0, t), [np.nan], n_samples=1)


def test_silent_divergence_on_request(problem) -> None:
    X, y = problem
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = optim.gradient_descent(
            lambda t, rows: models.LinearRegression().cost_and_gradient(t, X[rows], y[rows]),
            np.zeros(4), n_samples=200, learning_rate=10.0, n_epochs=100, warn=False,
        )
    assert result.diverged
