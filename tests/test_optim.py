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


# -- exact theory for quadratic costs -----------------------------------------------------------
def _quadratic(problem):
    X, y = problem
    H = models.squared_error_hessian(X)
    best = models.least_squares(X, y)
    model = models.LinearRegression()
    return X, y, H, best, model, model.cost(best, X, y)


def test_quadratic_cost_gap_reproduces_a_run(problem) -> None:
    X, y, H, best, model, J_best = _quadratic(problem)
    L = np.linalg.eigvalsh(H).max()
    for alpha in (0.3 / L, 1.0 / L, 1.9 / L):
        run = model.fit(X, y, learning_rate=alpha, n_epochs=60, tol=None).result_
        predicted = optim.quadratic_cost_gap(H, np.zeros(4), best, alpha, np.arange(61))
        assert predicted.shape == (61,)
        resolved = predicted > 1e-9 * J_best
        np.testing.assert_allclose(run.history.cost[resolved] - J_best, predicted[resolved], rtol=1e-6)
    # t = 0 is the starting gap, whatever the step.
    assert np.isclose(float(optim.quadratic_cost_gap(H, np.zeros(4), best, 5.0, 0)), model.cost(np.zeros(4), X, y) - J_best)


def test_quadratic_cost_gap_of_a_divergent_step_grows_to_inf_without_warnings(problem) -> None:
    _, _, H, best, _, _ = _quadratic(problem)
    L = np.linalg.eigvalsh(H).max()
    gap = optim.quadratic_cost_gap(H, np.zeros(4), best, 2.5 / L, np.array([0, 10, 100, 10**6]))
    assert np.all(np.diff(gap) > 0) and np.isinf(gap[-1])


def test_direction_the_run_starts_on_does_not_count() -> None:
    H = np.diag([1.0, 10.0])
    # The error lies along the first axis only; alpha = 0.5 makes the second direction grow
    # (|1 - 5| = 4), but there is nothing in it to grow.
    gap = optim.quadratic_cost_gap(H, [1.0, 0.0], [0.0, 0.0], 0.5, np.array([0, 1, 2, 5000]))
    np.testing.assert_allclose(gap, 0.5 * 0.5 ** (2 * np.array([0, 1, 2, 5000])))
    # 0.5 * 0.25**t <= 1e-6 first at t = 10
    assert optim.quadratic_steps_to_tolerance(H, [1.0, 0.0], [0.0, 0.0], 0.5, 1e-6) == 10
    assert optim.quadratic_steps_to_tolerance(H, [1.0, 1.0], [0.0, 0.0], 0.5, 1e-6) is None


def test_steps_to_tolerance_is_the_first_step_below_it(problem) -> None:
    X, y, H, best, model, J_best = _quadratic(problem)
    L = np.linalg.eigvalsh(H).max()
    for alpha in (0.5 / L, 1.0 / L, 1.8 / L):
        tol = 1e-6 * J_best
        steps = optim.quadratic_steps_to_tolerance(H, np.zeros(4), best, alpha, tol)
        gap = optim.quadratic_cost_gap(H, np.zeros(4), best, alpha, np.arange(steps + 1))
        assert gap[steps] <= tol < gap[steps - 1]
        run = model.fit(X, y, learning_rate=alpha, n_epochs=steps + 5, tol=None).result_
        assert int(np.argmax(run.history.cost - J_best <= tol)) == steps
    assert optim.quadratic_steps_to_tolerance(H, best, best, 1.0 / L, 1e-12) == 0
    assert optim.quadratic_steps_to_tolerance(H, np.zeros(4), best, 2.0 / L * 1.001, 1e-6) is None


def test_quadratic_theory_rejects_bad_input() -> None:
    H = np.diag([1.0, 2.0])
    good = dict(hessian=H, theta_start=[1.0, 1.0], theta_star=[0.0, 0.0], learning_rate=0.1)
    for changes, match in [
        ({"hessian": np.ones((2, 3))}, "square"),
        ({"hessian": [[1.0, 0.5], [0.0, 1.0]]}, "symmetric"),
        ({"hessian": np.diag([1.0, -1.0])}, "positive semi-definite"),
        ({"hessian": np.diag([1.0, np.nan])}, "finite"),
        ({"theta_start": [1.0, 1.0, 1.0]}, "theta_start must have shape"),
        ({"theta_star": [np.inf, 0.0]}, "theta_star"),
        ({"learning_rate": 0.0}, "learning_rate"),
    ]:
        with pytest.raises(ValueError, match=match):
            optim.quadratic_cost_gap(**{**good, **changes}, steps=3)
    for steps in (-1, 1.5, [0, -2]):
        with pytest.raises(ValueError, match="steps"):
            optim.quadratic_cost_gap(**good, steps=steps)
    with pytest.raises(ValueError, match="tol"):
        optim.quadratic_steps_to_tolerance(**good, tol=0.0)


def test_blow_up_is_reported_once_without_numpy_warnings(rng) -> None:
    """An MSLE model pushed by a huge step overflows inside NumPy; only the DivergenceWarning shows."""
    X = rng.normal(size=(30, 1))
    y = np.expm1(1.0 + 0.5 * X[:, 0])
    with pytest.warns(optim.DivergenceWarning) as record:
        m = models.LinearRegression("squared_log_error").fit(X, y, learning_rate=500.0, n_epochs=50)
    assert [w.category for w in record] == [optim.DivergenceWarning]
    assert m.result_.diverged and "learning rate 500 is too large" in m.result_.message


def test_divergence_warning_points_at_the_callers_line() -> None:
    # Issue 18: the warning named numpy/_core/_ufunc_config.py, so a student never saw their line
    # and filterwarnings(module=...) could not target it.
    X = np.linspace(0.0, 10.0, 20).reshape(-1, 1)
    y = 3.0 * X[:, 0] + 1.0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        models.LinearRegression().fit(X, y, learning_rate=5.0, n_epochs=50)
    diverged = [w for w in caught if issubclass(w.category, optim.DivergenceWarning)]
    assert len(diverged) == 1
    assert diverged[0].filename == __file__


def test_a_fit_that_stops_at_n_epochs_before_its_tolerance_says_so() -> None:
    """Issue 18: only result_.message knew. The warning points at the caller's line, like the
    DivergenceWarning, and does not come when the run converged, diverged, had no tol or warn=False."""
    X = np.linspace(0.0, 1.0, 20).reshape(-1, 1)
    y = 3.0 * X[:, 0] + 1.0
    with pytest.warns(optim.ConvergenceWarning, match="without meeting the tolerance") as record:
        model = models.LinearRegression().fit(X, y, n_epochs=5, tol=1e-10)
    assert record[0].filename == __file__
    assert not model.result_.converged
    with warnings.catch_warnings():
        warnings.simplefilter("error", optim.ConvergenceWarning)
        models.LinearRegression().fit(X, y, n_epochs=5, tol=None)
        models.LinearRegression().fit(X, y, n_epochs=5, warn=False)
        assert models.LinearRegression().fit(X, y, learning_rate=0.5, n_epochs=20_000, tol=1e-8).result_.converged
