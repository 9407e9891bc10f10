"""The gradient checker itself: it must pass right gradients and catch wrong ones."""

from __future__ import annotations

import numpy as np
import pytest

from lossbook.gradcheck import check_grad, numerical_grad, numerical_hessian


def test_passes_a_correct_gradient() -> None:
    x = np.array([[0.3, -1.2], [2.0, 0.7]])
    result = check_grad(lambda t: np.sum(np.sin(t) * t), lambda t: np.cos(t) * t + np.sin(t), x)
    assert result and result.passed
    assert result.max_abs_error < 1e-8
    assert result.analytic.shape == x.shape and "passed" in str(result)


def test_catches_a_wrong_gradient_and_says_where() -> None:
    x = np.array([0.5, 1.0, 1.5])

    def bad_grad(t):
        g = 2 * t
        g[1] *= 1.01  # one entry 1% off
        return g

    result = check_grad(lambda t: t**2, bad_grad, x)
    assert not result
    assert result.worst_index == (1,)
    assert result.max_rel_error == pytest.approx(0.01, rel=1e-4)
    assert "FAILED" in str(result) and "index 1" in str(result)


def test_does_not_modify_x() -> None:
    x = np.array([1.0, 2.0])
    check_grad(lambda t: t**3, lambda t: 3 * t**2, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_numerical_grad_scales_the_step() -> None:
    x = np.array([1e6, 1e-3])
    np.testing.assert_allclose(numerical_grad(lambda t: t**2, x), 2 * x, rtol=1e-6)


def test_errors() -> None:
    with pytest.raises(ValueError, match="shape"):
        check_grad(lambda t: t**2, lambda t: np.zeros(3), np.zeros(2))
    with pytest.raises(ValueError, match="eps"):
        check_grad(lambda t: t**2, lambda t: 2 * t, [1.0], eps=0.0)
    with pytest.raises(ValueError, match="finite"):
        check_grad(lambda t: t**2, lambda t: 2 * t, [np.nan])


# -- defects found by an instructor (issue 18) --------------------------------------------------
def test_scalar_input_prints() -> None:
    result = check_grad(lambda x: x**2, lambda x: 2 * x, 3.0)
    assert result
    assert "passed" in str(result) and "the only entry" in repr(result)
    failed = check_grad(lambda x: x**2, lambda x: 3 * x, 3.0)
    assert not failed and "FAILED" in str(failed) and "the only entry" in str(failed)


def test_zero_against_round_off_is_not_a_large_relative_error() -> None:
    # d cos(t)/dt = -sin(t) is 0 at 0 and 1.2e-16 at pi (round-off of pi); the numeric one is round-off too.
    result = check_grad(lambda t: np.sum(np.cos(t)), lambda t: -np.sin(t), np.array([0.0, np.pi]))
    assert result
    assert result.max_rel_error < 1e-6, str(result)


def test_step_shrinks_inside_the_domain() -> None:
    from lossbook import losses

    y = np.array([1.0, 0.0])
    p = np.array([1e-7, 0.5])  # p - 1e-6 would be negative, outside binary cross-entropy's domain
    result = check_grad(lambda q: losses.binary_cross_entropy(y, q), lambda q: losses.binary_cross_entropy.grad(y, q), p)
    assert result, str(result)


def test_no_step_inside_the_domain_is_named() -> None:
    def f(t):
        if np.any(t != 0.0):
            raise ValueError("only zero allowed")
        return t

    with pytest.raises(ValueError, match=r"every finite-difference step around entry \(0,\) = 0.0.*only zero allowed"):
        check_grad(f, lambda t: np.ones_like(t), np.array([0.0]))


def test_nan_is_named_as_the_cause() -> None:
    def f(t):
        return np.where(t > 0.9, np.nan, t**2)

    result = check_grad(f, lambda t: 2 * t, np.array([0.5, 0.9]))
    assert not result
    assert "f returned NaN or inf" in str(result)
    result = check_grad(lambda t: t**2, lambda t: np.full_like(t, np.nan), np.array([0.5]))
    assert not result and "analytic gradient holds NaN" in str(result)


def test_numerical_hessian_of_a_quadratic_is_exact() -> None:
    A = np.array([[4.0, 1.0, 0.0], [1.0, 3.0, -2.0], [0.0, -2.0, 5.0]])
    x = np.array([0.3, -2.0, 7.0])
    before = x.copy()
    np.testing.assert_allclose(numerical_hessian(lambda t: A @ t, x), A, rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(x, before)


def test_numerical_hessian_of_the_logistic_cost_is_xtsx() -> None:
    from lossbook.activations import sigmoid
    from lossbook.models import LogisticRegression

    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, 2))
    y = (rng.uniform(size=40) < sigmoid(X[:, 0] - X[:, 1])).astype(float)
    model = LogisticRegression()
    theta = np.array([0.4, -0.7, 0.2])
    hessian = numerical_hessian(lambda t: model.gradient(t, X, y), theta)
    Xt = np.column_stack([X, np.ones(40)])
    p = sigmoid(Xt @ theta)
    exact = Xt.T @ (Xt * (p * (1 - p))[:, None]) / 40
    np.testing.assert_allclose(hessian, exact, rtol=1e-7, atol=1e-10)
    np.testing.assert_array_equal(hessian, hessian.T)


def test_numerical_hessian_errors() -> None:
    with pytest.raises(ValueError, match="shape of x"):
        numerical_hessian(lambda t: np.zeros(3), np.zeros(2))
    with pytest.raises(ValueError, match="eps"):
        numerical_hessian(lambda t: t, np.zeros(2), eps=0.0)
    with pytest.raises(ValueError, match="1-D"):
        numerical_hessian(lambda t: t, np.zeros((2, 2)))
    with pytest.raises(ValueError, match="x"):
        numerical_hessian(lambda t: t, np.array([np.nan, 1.0]))
