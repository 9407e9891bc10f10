"""Momentum (heavy ball, Nesterov), Adam and the extra schedules of lossbook.optim.

Hand-computed steps, equivalences with plain gradient descent, reproducibility, the quadratic
theory where there is one (Polyak's heavy-ball rate, Nesterov's bound) and bad parameters.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lossbook import models, optim

CURVATURES = np.array([1.0, 3.0])


def diagonal_quadratic(theta, rows):
    """J(theta) = 1/2 sum_j a_j theta_j^2 (the rows are ignored): gradient a * theta."""
    return float(0.5 * CURVATURES @ theta**2), CURVATURES * theta


def quadratic_objective(H):
    """J(theta) = 1/2 theta' H theta, minimised at 0."""
    return lambda theta, rows: (float(0.5 * theta @ H @ theta), H @ theta)


@pytest.fixture
def regression(rng):
    X = rng.normal(size=(120, 3)) * [1.0, 3.0, 0.3]
    y = X @ [1.0, -2.0, 0.5] + 1.0 + 0.1 * rng.normal(size=120)
    model = models.LinearRegression()
    Xc, yc = model.prepare(X, y)

    def objective(theta, rows):
        return model.cost_and_gradient(theta, Xc[rows], yc[rows])

    return objective, X, y


# -- steps computed by hand -----------------------------------------------------------------------
def test_heavy_ball_two_steps_by_hand() -> None:
    # v1 = -0.1 * (1, 6) = (-0.1, -0.6), theta1 = (0.9, 1.4);
    # g1 = (0.9, 4.2), v2 = 0.5 v1 - 0.1 g1 = (-0.14, -0.72), theta2 = (0.76, 0.68).
    run = optim.momentum_descent(diagonal_quadratic, [1.0, 2.0], n_samples=1, learning_rate=0.1,
                                 momentum=0.5, n_epochs=2)
    np.testing.assert_allclose(run.history.params, [[1.0, 2.0], [0.9, 1.4], [0.76, 0.68]], rtol=1e-14)
    assert run.n_steps == 2 and not run.converged and not run.diverged


def test_nesterov_two_steps_by_hand() -> None:
    # Step 1 looks ahead by 0.5 * 0 (no velocity yet): as the heavy ball, theta1 = (0.9, 1.4).
    # Step 2 evaluates the gradient at theta1 + 0.5 v1 = (0.85, 1.1): g = (0.85, 3.3),
    # v2 = (-0.05 - 0.085, -0.3 - 0.33) = (-0.135, -0.63), theta2 = (0.765, 0.77).
    run = optim.momentum_descent(diagonal_quadratic, [1.0, 2.0], n_samples=1, learning_rate=0.1,
                                 momentum=0.5, nesterov=True, n_epochs=2)
    np.testing.assert_allclose(run.history.params, [[1.0, 2.0], [0.9, 1.4], [0.765, 0.77]], rtol=1e-14)
    # The recorded batch cost of step 2 is the cost at the look-ahead point.
    assert run.history.step_cost[1] == pytest.approx(0.5 * (0.85**2 + 3 * 1.1**2), rel=1e-14)


def test_adam_two_steps_by_hand() -> None:
    alpha, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    run = optim.adam(diagonal_quadratic, [1.0, 2.0], n_samples=1, learning_rate=alpha, beta1=b1,
                     beta2=b2, epsilon=eps, n_epochs=2)
    # Step 1: g = (1, 6); the bias-corrected averages are g and g^2, so the step is alpha * g/(|g| + eps).
    theta1 = np.array([1.0 - alpha * 1.0 / (1.0 + eps), 2.0 - alpha * 6.0 / (6.0 + eps)])
    # Step 2: g2 = (theta1_0, 3 theta1_1); m2 = 0.9 * 0.1 g1 + 0.1 g2, s2 = 0.999 * 0.001 g1^2 + 0.001 g2^2.
    g1, g2 = np.array([1.0, 6.0]), CURVATURES * theta1
    m2 = b1 * (1 - b1) * g1 + (1 - b1) * g2
    s2 = b2 * (1 - b2) * g1**2 + (1 - b2) * g2**2
    theta2 = theta1 - alpha * (m2 / (1 - b1**2)) / (np.sqrt(s2 / (1 - b2**2)) + eps)
    np.testing.assert_allclose(run.history.params[1], theta1, rtol=1e-14)
    np.testing.assert_allclose(run.history.params[2], theta2, rtol=1e-13)
    # Each first step is alpha long in every coordinate, whatever the gradient's scale.
    np.testing.assert_allclose(run.history.params[0] - run.history.params[1], [alpha, alpha], rtol=1e-7)


# -- equivalences and reproducibility --------------------------------------------------------------
@pytest.mark.parametrize("batch_size", [None, 1, 16])
@pytest.mark.parametrize("nesterov", [False, True])
def test_zero_momentum_is_gradient_descent_step_for_step(regression, batch_size, nesterov) -> None:
    objective, X, _ = regression
    options = dict(n_samples=X.shape[0], learning_rate=0.02, n_epochs=5, batch_size=batch_size, seed=3,
                   record_steps=True)
    plain = optim.gradient_descent(objective, np.zeros(4), **options)
    heavy = optim.momentum_descent(objective, np.zeros(4), momentum=0.0, nesterov=nesterov, **options)
    np.testing.assert_array_equal(heavy.history.step_params, plain.history.step_params)
    np.testing.assert_array_equal(heavy.history.cost, plain.history.cost)


@pytest.mark.parametrize("method", ["heavy ball", "nesterov", "adam"])
def test_same_seed_same_run_other_seed_other_run(regression, method) -> None:
    objective, X, _ = regression

    def run(seed):
        options = dict(n_samples=X.shape[0], n_epochs=4, batch_size=8, seed=seed, record_steps=True)
        if method == "adam":
            return optim.adam(objective, np.zeros(4), learning_rate=0.05, **options)
        return optim.momentum_descent(objective, np.zeros(4), learning_rate=0.01, momentum=0.8,
                                      nesterov=method == "nesterov", **options)

    first, again, other = run(7), run(7), run(8)
    np.testing.assert_array_equal(first.history.step_params, again.history.step_params)
    assert not np.array_equal(first.history.step_params, other.history.step_params)


def test_theta0_is_not_modified_and_history_shapes(regression) -> None:
    objective, X, _ = regression
    theta0 = np.zeros(4)
    run = optim.momentum_descent(objective, theta0, n_samples=X.shape[0], learning_rate=0.01,
                                 n_epochs=3, batch_size=40, record_steps=True)
    assert np.all(theta0 == 0.0)
    assert run.history.cost.shape == (4,) and run.history.step_params.shape == (10, 4)
    assert run.n_steps == 9 and run.history.step_cost.shape == (9,)


# -- quadratic theory ----------------------------------------------------------------------------
def rotated_hessian(rng, eigenvalues):
    Q, _ = np.linalg.qr(rng.normal(size=(len(eigenvalues), len(eigenvalues))))
    return Q @ np.diag(eigenvalues) @ Q.T


def test_heavy_ball_parameters_formulas() -> None:
    tuned = optim.heavy_ball_parameters(100.0, 1.0)
    assert tuned.learning_rate == pytest.approx(4 / 121)
    assert tuned.rate == pytest.approx(9 / 11)
    assert tuned.momentum == pytest.approx((9 / 11) ** 2)
    nesterov = optim.nesterov_parameters(100.0, 1.0)
    assert nesterov.learning_rate == pytest.approx(0.01)
    assert nesterov.momentum == pytest.approx(9 / 11) and nesterov.rate == pytest.approx(0.9)


def test_heavy_ball_iteration_matrix_has_spectral_radius_sqrt_beta(rng) -> None:
    # theta_{t+1} - theta* = (1 + beta) e_t - alpha H e_t - beta e_{t-1}: a linear map of (e_t, e_{t-1}).
    eigenvalues = np.array([1.0, 2.0, 7.0, 30.0, 100.0])
    H = rotated_hessian(rng, eigenvalues)
    tuned = optim.heavy_ball_parameters(100.0, 1.0)
    I = np.eye(5)
    T = np.block([[(1 + tuned.momentum) * I - tuned.learning_rate * H, -tuned.momentum * I],
                  [I, np.zeros((5, 5))]])
    assert np.max(np.abs(np.linalg.eigvals(T))) == pytest.approx(tuned.rate, rel=1e-6)


def test_heavy_ball_measured_rate_matches_the_theory(rng) -> None:
    eigenvalues = np.array([1.0, 2.0, 7.0, 30.0, 100.0])          # m = 1, L = 100, kappa = 100
    H = rotated_hessian(rng, eigenvalues)
    tuned = optim.heavy_ball_parameters(eigenvalues[-1], eigenvalues[0])
    start = rng.normal(size=5)
    run = optim.momentum_descent(quadratic_objective(H), start, n_samples=1,
                                 learning_rate=tuned.learning_rate, momentum=tuned.momentum, n_epochs=120)
    errors = np.linalg.norm(run.history.params, axis=1)            # theta* = 0
    t = np.arange(errors.size)
    window = (t >= 40) & (errors > 1e-12)
    # At the optimal constants the extreme directions have a double root, so the error is
    # (a + b t) rate^t: fit log(error / (1 + t)) against t, whose slope is log(rate).
    slope = np.polyfit(t[window], np.log(errors[window] / (1 + t[window])), 1)[0]
    measured = math.exp(slope)
    assert measured == pytest.approx(tuned.rate, rel=0.01)          # 9/11 = 0.818
    plain_best = (100 - 1) / (100 + 1)                             # 0.980 for plain GD at 2/(L + m)
    assert measured < plain_best - 0.1


def test_nesterov_meets_its_bound_on_a_quadratic(rng) -> None:
    # f(theta_t) - f* <= (1 - 1/sqrt(kappa))^t (f(theta_0) - f* + m/2 |theta_0 - theta*|^2).
    eigenvalues = np.array([0.5, 1.0, 4.0, 20.0, 50.0])
    H = rotated_hessian(rng, eigenvalues)
    m, L = eigenvalues[0], eigenvalues[-1]
    tuned = optim.nesterov_parameters(L, m)
    start = rng.normal(size=5)
    run = optim.momentum_descent(quadratic_objective(H), start, n_samples=1, learning_rate=tuned.learning_rate,
                                 momentum=tuned.momentum, nesterov=True, n_epochs=150)
    t = np.arange(run.history.cost.size)
    bound = tuned.rate**t * (run.history.cost[0] + 0.5 * m * start @ start)
    assert np.all(run.history.cost <= bound * (1 + 1e-12) + 1e-300)
    plain = optim.gradient_descent(quadratic_objective(H), start, n_samples=1, learning_rate=1 / L, n_epochs=150)
    assert run.cost < 1e-6 * plain.cost


def test_adam_ignores_the_scale_of_the_cost(regression) -> None:
    # Multiplying the cost by c multiplies m by c and sqrt(s) by c: the steps do not change (up to epsilon).
    objective, X, _ = regression

    def scaled(theta, rows):
        cost, grad = objective(theta, rows)
        return 1000.0 * cost, 1000.0 * grad

    options = dict(n_samples=X.shape[0], learning_rate=0.05, n_epochs=50, epsilon=1e-12)
    small, large = optim.adam(objective, np.zeros(4), **options), optim.adam(scaled, np.zeros(4), **options)
    np.testing.assert_allclose(large.history.params, small.history.params, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("method", ["heavy ball", "nesterov", "adam"])
def test_each_method_converges_to_least_squares(regression, method) -> None:
    objective, X, y = regression
    H = models.squared_error_hessian(X)
    nu = np.linalg.eigvalsh(H)
    options = dict(n_samples=X.shape[0], n_epochs=5000, tol=1e-9)
    if method == "adam":
        run = optim.adam(objective, np.zeros(4), learning_rate=0.05, **options)
    else:
        tuned = (optim.nesterov_parameters if method == "nesterov" else optim.heavy_ball_parameters)(nu[-1], nu[0])
        run = optim.momentum_descent(objective, np.zeros(4), learning_rate=tuned.learning_rate,
                                     momentum=tuned.momentum, nesterov=method == "nesterov", **options)
    assert run.converged and "converged at epoch" in run.message
    np.testing.assert_allclose(run.params, models.least_squares(X, y), atol=1e-8)


def test_momentum_divergence_is_detected_and_reported(regression) -> None:
    objective, X, _ = regression
    with pytest.warns(optim.DivergenceWarning, match="diverged at epoch"):
        run = optim.momentum_descent(objective, np.zeros(4), n_samples=X.shape[0], learning_rate=1.0,
                                     momentum=0.9, n_epochs=500)
    assert run.diverged and not run.converged
    assert np.all(np.isfinite(run.history.cost))
    quiet = optim.adam(objective, np.zeros(4), n_samples=X.shape[0], learning_rate=1e6, n_epochs=50,
                       warn=False, divergence_factor=10.0)
    assert quiet.diverged


# -- schedules -----------------------------------------------------------------------------------
def test_inverse_sqrt_decay_values_and_robbins_monro_sums() -> None:
    schedule = optim.inverse_sqrt_decay(0.5, 0.25)
    assert schedule(0) == 0.5 and schedule(12) == pytest.approx(0.25)
    # Both partial sums grow without bound (sum alpha_t^2 like a harmonic series) ...
    steps = np.arange(100_000)
    squares = np.array([schedule(int(t)) ** 2 for t in steps[::100]])
    assert squares.sum() * 100 > 5.0
    # ... while the inverse-time decay's squares have a finite sum.
    inverse = optim.inverse_time_decay(0.5, 0.25)
    assert sum(inverse(int(t)) ** 2 for t in range(100_000)) < 0.25 * (1 + 4)


# -- bad parameters ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(momentum=1.0), "momentum must lie in"),
        (dict(momentum=-0.1), "momentum must lie in"),
        (dict(momentum=float("nan")), "momentum must be finite"),
        (dict(nesterov="yes"), "nesterov must be True or False"),
        (dict(learning_rate=0.0), "learning_rate must be > 0"),
        (dict(learning_rate=-1.0), "learning_rate must be > 0"),
        (dict(n_epochs=0), "n_epochs must be a positive integer"),
        (dict(batch_size=0), "batch_size must be a positive integer"),
        (dict(batch_size=2), "batch_size must be at most"),
        (dict(tol=-1.0), "tol must be >= 0"),
    ],
)
def test_momentum_rejects_bad_parameters(kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        optim.momentum_descent(diagonal_quadratic, [1.0, 2.0], n_samples=1, **kwargs)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(beta1=1.0), "beta1 must lie in"),
        (dict(beta1=-0.5), "beta1 must lie in"),
        (dict(beta2=1.0), "beta2 must lie in"),
        (dict(epsilon=0.0), "epsilon must be > 0"),
        (dict(learning_rate=0.0), "learning_rate must be > 0"),
    ],
)
def test_adam_rejects_bad_parameters(kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        optim.adam(diagonal_quadratic, [1.0, 2.0], n_samples=1, **kwargs)


def test_bad_theta0_and_bad_curvatures() -> None:
    with pytest.raises(ValueError, match="1-D parameter vector"):
        optim.adam(diagonal_quadratic, [[1.0, 2.0]], n_samples=1)
    with pytest.raises(ValueError, match="not finite"):
        optim.momentum_descent(lambda t, r: (math.inf, t), [1.0, 2.0], n_samples=1)
    for tune in (optim.heavy_ball_parameters, optim.nesterov_parameters):
        with pytest.raises(ValueError, match="smallest_eigenvalue must be at most"):
            tune(1.0, 2.0)
        with pytest.raises(ValueError, match="smallest_eigenvalue must be > 0"):
            tune(1.0, 0.0)
    with pytest.raises(ValueError, match="decay must be >= 0"):
        optim.inverse_sqrt_decay(0.1, -1.0)
