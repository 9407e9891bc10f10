"""Activations: values, derivatives (checked numerically), stability at |x| = 1e4, errors."""

from __future__ import annotations

import numpy as np
import pytest

from lossbook import activations as act
from lossbook.gradcheck import check_grad

ALL = list(act.REGISTRY.values())
PARAMS = {"leaky_relu": {"alpha": 0.2}, "elu": {"alpha": 0.5}, "swish": {"beta": 2.0}}


@pytest.mark.parametrize("f", ALL, ids=lambda f: f.name)
def test_gradient_matches_finite_differences(f, rng) -> None:
    x = rng.uniform(-6, 6, 40)
    x = x[np.abs(x) > 0.05]  # away from the kink at 0
    for params in ({}, PARAMS.get(f.name, {})):
        result = check_grad(lambda t: f(t, **params), lambda t: f.grad(t, **params), x, rtol=1e-5, atol=1e-8)
        assert result, f"{f.name}{params}: {result}"


@pytest.mark.parametrize("f", ALL, ids=lambda f: f.name)
@pytest.mark.filterwarnings("error")
def test_stable_at_large_inputs(f) -> None:
    x = np.array([-1e4, -800.0, -50.0, 0.0, 50.0, 800.0, 1e4])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y, g = f(x), f.grad(x)
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(g))
    assert y.shape == x.shape


@pytest.mark.parametrize("f", ALL, ids=lambda f: f.name)
def test_monotonic_flag(f) -> None:
    x = np.linspace(-10, 10, 2001)
    assert bool(np.all(np.diff(f(x)) >= 0)) == f.monotonic


def test_known_values() -> None:
    np.testing.assert_allclose(act.sigmoid([-1e4, 0.0, 1e4]), [0.0, 0.5, 1.0])
    np.testing.assert_allclose(act.sigmoid.grad(0.0), 0.25)
    np.testing.assert_allclose(act.tanh.grad([0.0, 1e4]), [1.0, 0.0])
    np.testing.assert_allclose(act.softplus([1e4, -1e4]), [1e4, 0.0])
    np.testing.assert_allclose(act.relu([-2.0, 3.0]), [0.0, 3.0])
    np.testing.assert_allclose(act.leaky_relu([-2.0, 3.0], alpha=0.1), [-0.2, 3.0])
    assert act.elu(-1e4) == pytest.approx(-1.0)


def test_shapes_are_kept(rng) -> None:
    x = rng.normal(size=(3, 4, 2))
    for f in ALL:
        assert f(x).shape == x.shape and f.grad(x).shape == x.shape


@pytest.mark.filterwarnings("error")
def test_softmax_family_is_stable() -> None:
    z = np.array([[1e4, 0.0, -1e4], [3.0, 3.0, 3.0]])
    np.testing.assert_allclose(act.softmax(z), [[1.0, 0.0, 0.0], [1 / 3] * 3])
    np.testing.assert_allclose(act.logsumexp(z), [1e4, 3.0 + np.log(3.0)], rtol=1e-15)
    ls = act.log_softmax(z)
    np.testing.assert_allclose(ls[0], [0.0, -1e4, -2e4])
    assert np.all(np.isfinite(ls))
    np.testing.assert_allclose(act.softmax(z, axis=0).sum(axis=0), 1.0)
    # A tail far below the rounding of 1 + tail still counts: log(1 + e^-40) = e^-40 to full precision.
    assert act.logsumexp([0.0, -40.0]) == pytest.approx(np.exp(-40.0), rel=1e-14)


def test_softmax_is_shift_invariant(rng) -> None:
    z = rng.normal(size=(5, 4))
    np.testing.assert_allclose(act.softmax(z + 1000.0), act.softmax(z), rtol=1e-12)


@pytest.mark.parametrize("bad, match", [([0.0, np.nan], "finite"), ([], "empty"), (["a"], "real numbers")])
def test_bad_input(bad, match) -> None:
    error = TypeError if match == "real numbers" else ValueError
    for f in (*ALL, act.softmax, act.logsumexp):
        with pytest.raises(error, match=match):
            f(bad)


def test_bad_parameters_and_axis() -> None:
    with pytest.raises(ValueError, match="alpha"):
        act.elu([1.0], alpha=0.0)
    with pytest.raises(ValueError, match="alpha"):
        act.leaky_relu([1.0], alpha=-1.0)
    with pytest.raises(TypeError, match="unexpected"):
        act.relu([1.0], alpha=1.0)
    with pytest.raises(ValueError, match="axis"):
        act.softmax([[1.0, 2.0]], axis=2)
