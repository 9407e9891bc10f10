"""The fast paths: the same numbers as the readable functions, in bounded memory, on large inputs.

No test here measures time (a loaded machine must not fail a test run): the speed targets live in
``python -m benchmarks.run`` (see benchmarks/README.md). These tests check that every fast path
(``total``, ``fast_grad``, the block-by-block sums, and the compiled kernels where Numba is
installed: the ``backend`` fixture runs the large-input tests on both) gives the numbers of the
readable functions the book prints, that a cost's peak memory stays bounded, and that the deferred
checks still catch every bad input with the message about the whole input.
"""

from __future__ import annotations

import math
import tracemalloc
import warnings

import numpy as np
import pytest

import lossbook
from lossbook import losses
from lossbook.losses import _compiled, inputs
from lossbook.losses._base import BLOCK_SIZE

from .helpers import param_sets, valid_inputs

N_LARGE = 1_000_000  # numbers in y_pred: rows for 1-D losses, rows * K for multi-class ones
K = 10


@pytest.fixture(params=["numpy", "compiled"])
def backend(request, monkeypatch):
    """Each large-input guard twice: on the NumPy path, and on the compiled kernels (Numba)."""
    if request.param == "numpy":
        monkeypatch.setattr(_compiled, "ENABLED", False)
    elif not _compiled.ENABLED or _compiled.kernels() is None:
        pytest.skip("Numba is not installed (or LOSSBOOK_COMPILED=0): no compiled kernels")
    return request.param


def large_inputs(kind: inputs.InputKind, samples: int = N_LARGE, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """Valid inputs of a kind, by its own sampler: ``samples`` numbers in ``y_pred`` (multi-class: samples / K rows)."""
    return kind.sample(np.random.default_rng(seed), samples // K if kind.multiclass else samples, K)


ALL = list(losses.REGISTRY.values())
by_name = pytest.mark.parametrize("loss", ALL, ids=[loss.name for loss in ALL])


# ----------------------------------------------------------------------------------------------
# Structure: the large-input paths compute what a plain NumPy formula computes, in bounded memory.
# No test here measures time: speed targets live in the benchmark (benchmarks/README.md), where a
# loaded machine slows a measurement instead of failing a test run.
# ----------------------------------------------------------------------------------------------
def _fused_mse(y, p):
    d = p - y
    return float(d @ d) / d.shape[0]


def _fused_hinge(y, s):
    m = y * s
    np.subtract(1.0, m, out=m)
    return float(np.maximum(m, 0.0, out=m).sum()) / m.shape[0]


def _fused_sparse_cross_entropy(labels, p):
    q = p[np.arange(p.shape[0]), labels]
    np.clip(q, np.finfo(float).eps, 1.0 - np.finfo(float).eps, out=q)
    return -float(np.log(q, out=q).sum()) / q.shape[0]


def _fused_categorical_grad(y, p):
    eps = np.finfo(float).eps
    q = np.clip(p, eps, 1.0 - eps)
    np.divide(y, q, out=q)
    return np.negative(q, out=q)


@pytest.mark.parametrize(
    "ours, fused, kind",
    [
        (lossbook.mse, _fused_mse, inputs.REAL),
        (losses.hinge.cost, _fused_hinge, inputs.MARGIN),  # label check: the worst 1-D cost
        (losses.sparse_categorical_cross_entropy.cost, _fused_sparse_cross_entropy, inputs.LABEL_PROBABILITY),
        (losses.categorical_cross_entropy.grad, _fused_categorical_grad, inputs.SIMPLEX),  # the worst case
    ],
    ids=["mse", "hinge", "sparse_categorical_cross_entropy", "categorical_cross_entropy.grad"],
)
def test_large_inputs_give_the_fused_numpy_result(ours, fused, kind, backend) -> None:
    """At 10^6 samples, validation included, the blocked and compiled paths agree with plain NumPy."""
    y, p = large_inputs(kind, N_LARGE * (K if kind.multiclass else 1))
    np.testing.assert_allclose(ours(y, p), fused(y, p), rtol=1e-9, atol=1e-15)


COSTS = [(f"{loss.name}.cost", loss.cost, loss.inputs) for loss in ALL] + [
    (f.__name__, f, of.inputs)
    for f, of in (
        (lossbook.mse, losses.squared_error), (lossbook.rmse, losses.squared_error), (lossbook.mae, losses.absolute_error),
        (lossbook.mean_error, losses.squared_error), (lossbook.msle, losses.squared_log_error),
        (lossbook.rmsle, losses.squared_log_error), (lossbook.log_loss, losses.binary_cross_entropy),
    )
]


@pytest.mark.parametrize("cost, kind", [c[1:] for c in COSTS], ids=[c[0] for c in COSTS])
def test_peak_memory_of_a_cost_is_below_4x_its_input(cost, kind, backend) -> None:
    """(tracemalloc sees NumPy's allocations, not the few kilobytes of scratch a kernel takes.)"""
    y, p = large_inputs(kind)
    cost(y, p)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        cost(y, p)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert peak < 4 * p.nbytes, f"peak {peak / p.nbytes:.2f}x the size of y_pred"


# ----------------------------------------------------------------------------------------------
# The fast paths compute what the book's functions compute
# ----------------------------------------------------------------------------------------------
def _readable(loss: losses.Loss, y, p, params):
    kw = {**loss.defaults, **params}
    y, p = loss.inputs.check(y, p)
    return loss.unchecked_value(y, p, **kw), loss.unchecked_grad(y, p, **kw)


@by_name
def test_fast_paths_give_the_readable_functions_bits_on_small_inputs(loss: losses.Loss, rng: np.random.Generator) -> None:
    """Below EXACT_BELOW numbers, what the book prints: the same float, to the last bit.

    (Stored notebook outputs show costs with all 17 digits.) The sum of squared errors has
    always been a dot product, not ``value(...).sum()``.
    """
    for n in (1, 2, 5, 60, 300):
        y, p = valid_inputs(loss, rng, n)
        for params in param_sets(loss):
            values, grad = _readable(loss, y, p, params)
            if loss.name != "squared_error":
                assert loss.cost(y, p, reduction="sum", **params) == float(np.sum(values))
            np.testing.assert_array_equal(loss.grad(y, p, **params), grad)


@by_name
def test_fast_paths_agree_with_the_readable_functions(loss: losses.Loss, rng: np.random.Generator, backend) -> None:
    cases = [valid_inputs(loss, rng, n) for n in (1, 5, 60)] + [large_inputs(loss.inputs)]
    for y, p in cases:
        for params in param_sets(loss):
            values, grad = _readable(loss, y, p, params)
            assert loss.cost(y, p, reduction="sum", **params) == pytest.approx(float(np.sum(values)), rel=1e-12)
            g = loss.grad(y, p, **params)
            assert g.shape == grad.shape and g.dtype == np.float64
            # softmax(z) - y (and sigma(z) - y for a soft target) cancels where the prediction is
            # close to the target: compare at the scale of 1 there
            atol = 1e-15 if loss.inputs.probabilities and loss.inputs.link == "identity" else 0.0  # on logits
            np.testing.assert_array_less(np.abs(g - grad), 1e-12 * np.abs(grad) + atol + 1e-300)
            zeros = grad == 0.0
            np.testing.assert_array_equal(np.signbit(g[zeros]), np.signbit(grad[zeros]))  # printed as 0. or -0.


@by_name
def test_blocked_costs_and_gradients_report_the_first_bad_value_of_the_whole_input(loss: losses.Loss, backend) -> None:
    """A bad value deep inside a large input: found by the block it is in, named by its global index."""
    y, p = large_inputs(loss.inputs)
    assert p.size > 2 * BLOCK_SIZE  # the block-by-block paths
    row = p.shape[0] - 7  # in the last block
    p = p.copy()
    p[row] = np.nan
    index = f"\\({row}, 0\\)" if p.ndim == 2 else str(row)
    for call in (loss.cost, loss.grad):
        with pytest.raises(ValueError, match=f"y_pred.*index {index}"):
            call(y, p)
    with pytest.raises(ValueError, match=f"y_pred.*index {index}"):
        loss.cost(y, p, sample_weight=np.ones(p.shape[0]))


def test_blocked_cost_of_a_genuine_overflow_is_inf_not_an_error(backend) -> None:
    y = np.zeros(N_LARGE)
    p = np.zeros(N_LARGE)
    p[-3] = 1e200
    with pytest.warns(RuntimeWarning, match="overflow"):
        assert losses.squared_error.cost(y, p) == math.inf


def test_fast_paths_fall_back_to_the_readable_formula_for_huge_residuals(backend) -> None:
    """pseudo-Huber's fast forms square r; beyond 1e150 they hand over to the hypot form."""
    y = np.zeros(300_000)
    p = np.linspace(-1e200, 1e200, 300_000)
    values, grad = _readable(losses.pseudo_huber, y, p, {"delta": 2.0})
    assert losses.pseudo_huber.cost(y, p, reduction="sum", delta=2.0) == pytest.approx(float(np.sum(values)), rel=1e-12)
    np.testing.assert_allclose(losses.pseudo_huber.grad(y, p, delta=2.0), grad, rtol=1e-12)
    assert np.all(np.isfinite(grad))


@pytest.mark.parametrize("delta", [0.5, 2.0])
def test_pseudo_huber_of_residuals_near_the_largest_float(delta, backend) -> None:
    """Where r / delta (delta < 1) or r^2 overflows, the loss is still delta |r| to double
    precision and its derivative +-delta: no intermediate of the formulas exceeds |r|."""
    y = np.zeros(300_000)
    p = np.random.default_rng(3).normal(0.0, 3.0, y.size)
    huge = [0, 150_000, 299_999]
    p[huge] = [0.85e308 / delta, -1e300, -1e200]  # (delta |r| below the largest float, and their sum)
    g = losses.pseudo_huber.grad(y, p, delta=delta)
    np.testing.assert_allclose(g[huge], np.copysign(delta, p[huge]), rtol=1e-15)
    values, grad = _readable(losses.pseudo_huber, y, p, {"delta": delta})
    np.testing.assert_allclose(values[huge], delta * np.abs(p[huge]), rtol=1e-15)
    np.testing.assert_allclose(g, grad, rtol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing overflows on the way
        cost = losses.pseudo_huber.cost(y, p, reduction="sum", delta=delta)
    assert cost == pytest.approx(float(np.sum(values)), rel=1e-12)


def test_log_cosh_series_branch_is_exact_for_tiny_residuals() -> None:
    """The fast sum switches to the Taylor series below |r| = 0.3: exact there, to full precision."""
    r = np.geomspace(1e-150, 0.299, 4000)
    taylor_head = r**2 / 2 - r**4 / 12 + r**6 / 45 - 17 * r**8 / 2520
    tiny = r < 1e-3  # where four terms are already exact
    total = losses.log_cosh.cost(np.zeros(int(tiny.sum())), r[tiny], reduction="sum")
    assert total == pytest.approx(float(np.sum(taylor_head[tiny])), rel=1e-14)


def test_cross_entropy_with_logits_gradient_at_minus_zero(backend) -> None:
    """sigma(-0.0) - y = 0.5 - y on the fast paths too (once, the sign bit of -0.0 and the test
    z >= 0 disagreed there, and the gradient came out 1 too large)."""
    for n in (5000, 300_000):  # the NumPy fast path, and the kernels' size
        y = np.resize([0.0, 0.25, 1.0], n)
        z = np.resize([-0.0, 0.0], n)
        np.testing.assert_array_equal(losses.binary_cross_entropy_with_logits.grad(y, z), 0.5 - y)
