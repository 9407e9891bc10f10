"""Activations: values, derivatives (checked numerically), kinks, stability at |x| = 1e4, errors."""

from __future__ import annotations

import numpy as np
import pytest

from lossbook import activations as act
from lossbook.gradcheck import check_grad, numerical_grad

ALL = list(act.REGISTRY.values())
#: Parameter sets besides the defaults; for an activation flagged non-monotonic, one of its sets
#: (or the defaults) must show a decrease, so PReLU lists a negative slope.
PARAMS = {
    "leaky_relu": [{"alpha": 0.2}],
    "prelu": [{"alpha": 0.1}, {"alpha": -0.5}],
    "elu": [{"alpha": 0.5}],
    "swish": [{"beta": 2.0}],
}


def param_sets(f: act.Activation) -> list[dict[str, float]]:
    return [{}, *PARAMS.get(f.name, [])]


def away_from_kinks(f: act.Activation, x: np.ndarray, gap: float = 0.05) -> np.ndarray:
    for k in f.kinks:
        x = x[np.abs(x - k) > gap]
    return x


@pytest.mark.parametrize("f", ALL, ids=lambda f: f.name)
def test_gradient_matches_finite_differences(f, rng) -> None:
    x = rng.uniform(-6, 6, 40)
    x = away_from_kinks(f, x[np.abs(x) > 0.05])  # also away from 0, where several change form
    for params in param_sets(f):
        result = check_grad(lambda t: f(t, **params), lambda t: f.grad(t, **params), x, rtol=1e-5, atol=1e-8)
        assert result, f"{f.name}{params}: {result}"


@pytest.mark.parametrize("f", [f for f in ALL if f.kinks], ids=lambda f: f.name)
def test_at_a_kink_grad_is_a_one_sided_derivative(f) -> None:
    """At a kink finite differences cannot agree with any single number; .grad returns one side's.

    For a continuous activation the one-sided slopes exist and ``.grad`` equals one of them, and
    for some parameter set they differ (otherwise it is no kink). At the binary step's jump the
    difference quotient grows like 1/h: there is no derivative, which the check reports.
    """
    h = 1e-7
    differ = False
    for params in param_sets(f):
        for k in f.kinks:
            g = float(f.grad(k, **params))
            if f.continuous:
                left = float((f(k, **params) - f(k - h, **params)) / h)
                right = float((f(k + h, **params) - f(k, **params)) / h)
                assert min(abs(g - left), abs(g - right)) < 1e-6, (f.name, params, left, right, g)
                differ |= abs(left - right) > 1e-3
            else:
                jump = float(f(k + h, **params) - f(k - h, **params))
                assert abs(jump) > 0.5  # a jump, not a steep slope
                assert not check_grad(lambda t: f(t, **params), lambda t: f.grad(t, **params), [k])
                differ = True
    assert differ, f"{f.name} lists kinks {f.kinks} but is differentiable there for every tested parameter"


@pytest.mark.parametrize("f", [f for f in ALL if not f.kinks], ids=lambda f: f.name)
def test_smooth_activations_have_no_kink_at_zero(f) -> None:
    for params in param_sets(f):
        assert check_grad(lambda t: f(t, **params), lambda t: f.grad(t, **params), [0.0, 1e-9, -1e-9])


def test_binary_step_passes_no_gradient(rng) -> None:
    x = away_from_kinks(act.binary_step, rng.normal(0.0, 3.0, 200))
    assert np.all(act.binary_step.grad(x) == 0.0)
    assert np.all(numerical_grad(act.binary_step, x) == 0.0)
    np.testing.assert_array_equal(act.binary_step([-1.0, -1e-300, 0.0, 2.0]), [0.0, 0.0, 1.0, 1.0])
    assert act.binary_step.monotonic and not act.binary_step.continuous


def test_linear_is_the_identity(rng) -> None:
    x = rng.normal(size=(3, 4))
    y = act.linear(x)
    np.testing.assert_array_equal(y, x)
    assert y is not x
    np.testing.assert_array_equal(act.linear.grad(x), np.ones_like(x))


def test_prelu_is_leaky_relu_with_a_learnable_slope(rng) -> None:
    x = away_from_kinks(act.prelu, rng.uniform(-5, 5, 60))
    for alpha in (0.25, 0.01, 1.7, -0.4):
        np.testing.assert_array_equal(act.prelu(x, alpha=alpha), np.where(x > 0, x, alpha * x))
        if alpha >= 0:
            np.testing.assert_array_equal(act.prelu(x, alpha=alpha), act.leaky_relu(x, alpha=alpha))
        # d f / d alpha against central differences in alpha
        numeric = numerical_grad(lambda a: act.prelu(x, alpha=float(a[0])), [alpha])
        assert float(np.sum(act.prelu.param_grad(x, "alpha", alpha=alpha))) == pytest.approx(numeric[0], rel=1e-7)
        elementwise = np.array([numerical_grad(lambda a: act.prelu(xi, alpha=float(a[0])), [alpha])[0] for xi in x])
        np.testing.assert_allclose(act.prelu.param_grad(x, "alpha", alpha=alpha), elementwise, rtol=1e-6, atol=1e-9)
    assert act.prelu.learnable == ("alpha",) and act.leaky_relu.learnable == ()
    assert act.prelu.defaults["alpha"] == 0.25
    with pytest.raises(ValueError, match="no derivative with respect to 'alpha'"):
        act.leaky_relu.param_grad(x, "alpha")
    with pytest.raises(ValueError, match="finite"):
        act.prelu(x, alpha=float("inf"))


def test_prelu_accepts_one_slope_per_unit(rng) -> None:
    """Inside a network alpha is a vector, one slope per unit, broadcast over the rows."""
    x = rng.normal(size=(5, 3))
    alpha = np.array([0.1, -0.2, 0.5])
    np.testing.assert_array_equal(act.prelu_value(x, alpha), np.where(x > 0, x, alpha * x))
    np.testing.assert_array_equal(act.prelu_grad(x, alpha), np.where(x > 0, 1.0, alpha * np.ones_like(x)))
    np.testing.assert_array_equal(act.prelu_grad_alpha(x, alpha), np.minimum(x, 0.0))


def test_metadata_is_complete() -> None:
    assert list(act.REGISTRY) == [
        "linear", "binary_step", "sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu", "softplus", "swish",
    ]
    assert list(act.VECTOR_REGISTRY) == ["softmax", "maxout"]
    for f in (*ALL, *act.VECTOR_REGISTRY.values()):
        assert f.formula and f.derivative and f.output_range and isinstance(f.monotonic, bool)
    assert [f.name for f in ALL if not f.differentiable] == ["binary_step", "relu", "leaky_relu", "prelu", "elu"]


@pytest.mark.parametrize("f", ALL, ids=lambda f: f.name)
def test_values_lie_in_the_stated_range(f) -> None:
    x = np.linspace(-60, 60, 4801)
    y = f(x)
    low, high = {
        "(0, 1)": (0.0, 1.0), "(-1, 1)": (-1.0, 1.0), "[0, inf)": (0.0, np.inf), "(0, inf)": (0.0, np.inf),
        "(-inf, inf)": (-np.inf, np.inf), "{0, 1}": (0.0, 1.0), "(-a, inf)": (-1.0, np.inf),
        "[about -0.278/zeta, inf)": (-0.2785, np.inf),
    }[f.output_range]
    assert y.min() >= low and y.max() <= high
    if f.output_range == "{0, 1}":
        assert set(np.unique(y)) == {0.0, 1.0}


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
    """Monotonic means non-decreasing for every valid parameter: checked on every parameter set,
    and a False flag needs a parameter set (maybe the default) that decreases somewhere."""
    x = np.linspace(-10, 10, 2001)
    increasing = [bool(np.all(np.diff(f(x, **params)) >= 0)) for params in param_sets(f)]
    assert all(increasing) == f.monotonic


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


def test_softmax_jacobian_matches_finite_differences(rng) -> None:
    z = rng.normal(0.0, 2.0, (4, 3))
    J = act.softmax_jacobian(z)
    assert J.shape == (4, 3, 3)
    for c in range(3):
        # row c of each Jacobian: the derivative of output c with respect to every logit
        assert check_grad(lambda t: act.softmax(t)[:, c], lambda t: act.softmax_jacobian(t)[:, c, :], z, rtol=1e-6)
    np.testing.assert_allclose(J, np.swapaxes(J, 1, 2))
    np.testing.assert_allclose(J.sum(axis=2), 0.0, atol=1e-15)
    assert act.softmax_jacobian([1e4, 0.0, -1e4]).shape == (3, 3)


def test_maxout_takes_the_max_over_consecutive_groups(rng) -> None:
    z = rng.normal(size=(5, 6))
    np.testing.assert_array_equal(act.maxout(z, 3), z.reshape(5, 2, 3).max(axis=2))
    np.testing.assert_array_equal(act.maxout(z, 1), z)
    np.testing.assert_array_equal(act.maxout(z, 6), z.max(axis=1, keepdims=True))
    np.testing.assert_array_equal(act.maxout(z.T, 2, axis=0), act.maxout(z, 2).T)
    x = rng.normal(size=50)
    np.testing.assert_array_equal(act.maxout(np.column_stack([x, np.zeros_like(x)]), 2)[:, 0], act.relu(x))
    np.testing.assert_array_equal(act.maxout(np.column_stack([x, -x]), 2)[:, 0], np.abs(x))
    assert act.VECTOR_REGISTRY["maxout"](z, 2).shape == (5, 3)


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_maxout_gradient_matches_finite_differences(rng, axis) -> None:
    z = rng.normal(size=(4, 6))
    w = rng.normal(size=act.maxout(z, 2, axis=axis).shape)  # an arbitrary downstream gradient
    mask = act.maxout_grad(z, 2, axis=axis)
    assert mask.shape == z.shape and set(np.unique(mask)) == {0.0, 1.0}
    assert np.all(act.maxout(mask, 2, axis=axis) == 1.0)  # exactly one winner per group
    # chain rule: dJ/dz = mask * (dJ/dh repeated over each group's pieces)
    upstream = np.repeat(w, 2, axis=axis)
    result = check_grad(lambda t: act.maxout(t, 2, axis=axis) * w, lambda t: act.maxout_grad(t, 2, axis=axis) * upstream, z)
    assert result, result


def test_maxout_ties_give_the_first_piece() -> None:
    np.testing.assert_array_equal(act.maxout_grad([[1.0, 1.0, 0.0, 2.0]], 2), [[1.0, 0.0, 0.0, 1.0]])


def test_maxout_bad_input() -> None:
    with pytest.raises(ValueError, match="multiple of n_pieces = 4"):
        act.maxout(np.ones((2, 6)), 4)
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="n_pieces must be a positive integer"):
            act.maxout(np.ones((2, 6)), bad)
    with pytest.raises(ValueError, match="finite"):
        act.maxout_grad([[np.nan, 1.0]], 2)
    with pytest.raises(ValueError, match="axis"):
        act.maxout(np.ones((2, 6)), 2, axis=3)


def test_bad_parameters_and_axis() -> None:
    with pytest.raises(ValueError, match="alpha"):
        act.elu([1.0], alpha=0.0)
    with pytest.raises(ValueError, match="alpha"):
        act.leaky_relu([1.0], alpha=-1.0)
    with pytest.raises(TypeError, match="unexpected"):
        act.relu([1.0], alpha=1.0)
    with pytest.raises(ValueError, match="axis"):
        act.softmax([[1.0, 2.0]], axis=2)
