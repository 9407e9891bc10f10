"""The gradient checker itself: it must pass right gradients and catch wrong ones."""

from __future__ import annotations

import numpy as np
import pytest

from lossbook.gradcheck import check_grad, numerical_grad


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
