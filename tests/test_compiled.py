"""The optional compiled path (Numba) of ``Loss.cost`` and ``Loss.grad`` changes speed only.

:mod:`lossbook.losses._compiled` sends a cost or gradient of a large NumPy array to a kernel of
:mod:`lossbook.losses._kernels`; anything the kernel cannot vouch for goes back to the NumPy path.
These tests check, against the NumPy path's answer on the same inputs (computed with
``_compiled.ENABLED`` off):

* when the compiled path is taken (a large ndarray) and when it is not (small inputs, lists,
  weighted costs), and that every loss has a kernel;
* the same costs and gradients up to rounding, and the same signed zeros, on realistic inputs of
  every input kind, including the awkward values each kind allows;
* the same exception with the same message for every kind of invalid input;
* bit-identical results whatever the number of threads;
* untouched inputs, and float32, integer, non-contiguous and read-only inputs;
* genuine overflows (inf and NumPy's warning), and ``_compiled.backend()``.

Inputs are just above ``COMPILED_FROM`` numbers, so that the file runs in seconds once Numba has
cached the kernels (the first run of a machine compiles them, about half a minute).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

numba = pytest.importorskip("numba")

from lossbook import losses
from lossbook.losses import _compiled
from lossbook.losses.binary import EPS

from .helpers import param_sets

pytestmark = pytest.mark.skipif(not _compiled.ENABLED, reason="the compiled path is off (LOSSBOOK_COMPILED=0)")

#: Numbers in y_pred of the 1-D inputs: 8 full blocks of the kernels and a partial one.
N = _compiled.COMPILED_FROM + 5003
#: Classes of the multi-class inputs (each test also runs with 3 where noted).
K = 10
DEEP = 7  # bad values go this many samples (rows) before the end: into the last block

COMPILED = [loss for loss in losses.REGISTRY.values() if _compiled.has_kernel(loss.name)]


def compiled_calls(loss: losses.Loss, methods: list[str]) -> list[tuple[str, bool]]:
    """The kernel calls expected for these calls of ``loss`` ("total" for a cost, "grad"), all
    answered: only the methods the loss has a kernel for (only kernels that pay are kept)."""
    return [(m, True) for m in methods if _compiled.has_kernel(loss.name, "cost" if m == "total" else "grad")]
by_name = pytest.mark.parametrize("loss", COMPILED, ids=[loss.name for loss in COMPILED])


# ----------------------------------------------------------------------------------------------
# Fixtures and helpers
# ----------------------------------------------------------------------------------------------
@pytest.fixture
def numpy_only(monkeypatch):
    """``numpy_only(f, *args, **kw)``: what ``f`` returns (or raises) with the compiled path off,
    the reference of every comparison here. ``ENABLED`` is restored when the call returns."""

    def call(f, *args, **kwargs):
        with monkeypatch.context() as m:
            m.setattr(_compiled, "ENABLED", False)
            return f(*args, **kwargs)

    return call


@pytest.fixture
def kernel_calls(monkeypatch):
    """A list receiving ``(method, answered)`` for every call of ``Kernel.total``/``Kernel.grad``;
    ``answered`` is False when the kernel handed the call back to the NumPy path."""
    calls: list[tuple[str, bool]] = []

    def spy(method):
        original = getattr(_compiled.Kernel, method)

        def wrapper(self, y_true, y_pred, kw):
            result = original(self, y_true, y_pred, kw)
            calls.append((method, result is not None))
            return result

        return wrapper

    for method in ("total", "grad"):
        monkeypatch.setattr(_compiled.Kernel, method, spy(method))
    return calls


@pytest.fixture
def restore_threads():
    """Give Numba back the thread count it had, whatever a test set."""
    before = numba.get_num_threads()
    yield
    numba.set_num_threads(before)


def cases_for(loss: losses.Loss, rng: np.random.Generator) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """The extreme inputs of a loss's kind: 1-D ones, or multi-class ones with 10 and with 3 classes."""
    if loss.inputs.multiclass:
        return [(f"{text}, k={k}", y, p) for k in (K, 3) for text, y, p in loss.inputs.extremes(rng, N, k)]
    return loss.inputs.extremes(rng, N)


def assert_same_grad(loss: losses.Loss, got: np.ndarray, expected: np.ndarray, context: str = "") -> None:
    """Equal up to rounding, with the same signed zeros (the book prints 0. and -0.).

    softmax(z) - y, and sigma(z) - y for a soft target, cancel where the prediction is close to
    the target: both paths are exact to an ulp of 1 there, so compare at the scale of 1.
    """
    assert got.shape == expected.shape and got.dtype == np.float64, context
    atol = 1e-15 if loss.inputs.probabilities and loss.inputs.link == "identity" else 0.0  # on logits
    # (assert_allclose takes a scalar atol only)
    np.testing.assert_array_less(np.abs(got - expected), 1e-12 * np.abs(expected) + atol + 1e-300, err_msg=context)
    zeros = expected == 0.0
    np.testing.assert_array_equal(np.signbit(got[zeros]), np.signbit(expected[zeros]), err_msg=f"signed zeros; {context}")


def raised(call, *args, **kwargs) -> tuple[BaseException, list[tuple[type, str]]]:
    """The exception ``call`` raises, and the warnings it gives on the way."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises((ValueError, TypeError)) as excinfo:
            call(*args, **kwargs)
    return excinfo.value, [(w.category, str(w.message)) for w in caught]


def assert_same_error(numpy_only, call, *args, **kwargs) -> None:
    """The compiled-enabled call raises the NumPy path's exception, with the same message (and
    the same warnings, if the NumPy path gives any before it)."""
    expected, expected_warnings = numpy_only(raised, call, *args, **kwargs)
    got, got_warnings = raised(call, *args, **kwargs)
    assert type(got) is type(expected)
    assert str(got) == str(expected)
    assert got_warnings == expected_warnings


# ----------------------------------------------------------------------------------------------
# 1. When the compiled path is taken
# ----------------------------------------------------------------------------------------------
def test_numpy_only_turns_the_compiled_path_off_and_back_on(numpy_only) -> None:
    assert _compiled.ENABLED
    assert numpy_only(lambda: _compiled.ENABLED) is False
    assert _compiled.ENABLED


@by_name
def test_a_large_array_runs_the_kernel_and_the_kernel_answers(loss: losses.Loss, rng, kernel_calls) -> None:
    """From exactly COMPILED_FROM numbers on; valid inputs are answered by the kernel itself
    (a kernel that always handed back to NumPy would pass every agreement test below)."""
    k = 4  # rows * k == COMPILED_FROM exactly
    (_, y, p), *_ = loss.inputs.extremes(rng, _compiled.COMPILED_FROM, k)
    assert p.size == _compiled.COMPILED_FROM
    loss.cost(y, p)
    loss.cost(y, p, reduction="sum")
    loss.grad(y, p)
    assert kernel_calls == compiled_calls(loss, ["total", "total", "grad"])


@by_name
def test_small_inputs_lists_and_weighted_costs_stay_on_numpy(loss: losses.Loss, rng, kernel_calls) -> None:
    k = 4
    (_, y, p), *_ = loss.inputs.extremes(rng, _compiled.COMPILED_FROM, k)
    small_y, small_p = y[:-1], p[:-1]  # one sample (row of k) short of COMPILED_FROM
    assert small_p.size < _compiled.COMPILED_FROM
    loss.cost(small_y, small_p)
    loss.grad(small_y, small_p)
    loss.cost(y, p.tolist())  # a list, however long
    loss.grad(y, p.tolist())
    loss.cost(y, p, sample_weight=np.ones(p.shape[0]))  # weighted costs never
    loss.cost(y, p, sample_weight=np.ones(p.shape[0]), reduction="sum")
    assert kernel_calls == []


# ----------------------------------------------------------------------------------------------
# 2. The same numbers as the NumPy path
# ----------------------------------------------------------------------------------------------
@by_name
def test_costs_and_gradients_agree_with_the_numpy_path(loss: losses.Loss, rng, numpy_only, kernel_calls) -> None:
    """Every parameter set, both reductions, every realistic input of the loss's kind."""
    for text, y, p in cases_for(loss, rng):
        for params in param_sets(loss):
            context = f"{loss.name}, {text}, {params}"
            for reduction in ("mean", "sum"):
                expected = numpy_only(loss.cost, y, p, reduction=reduction, **params)
                got = loss.cost(y, p, reduction=reduction, **params)
                assert type(got) is float, context
                assert got == pytest.approx(expected, rel=1e-12), f"{reduction}; {context}"
            assert_same_grad(loss, loss.grad(y, p, **params), numpy_only(loss.grad, y, p, **params), context)
    assert kernel_calls and all(answered for _, answered in kernel_calls)


def test_a_logit_of_minus_zero_agrees(numpy_only, kernel_calls) -> None:
    """sigma(-0.0) - y = 0.5 - y, as the book's formula gives, on both paths.

    (-0.0 is what a model's output often is: a ReLU unit times a negative weight, say.)
    """
    loss = losses.binary_cross_entropy_with_logits
    y = np.resize([0.0, 1.0, 0.25], N)
    z = np.resize([-0.0, 0.0, 1.0], N)  # every target against -0.0 and +0.0
    readable = loss.unchecked_grad(y, z, pos_weight=1.0)
    np.testing.assert_array_equal(loss.grad(y, z), readable)
    np.testing.assert_array_equal(numpy_only(loss.grad, y, z), readable)
    assert kernel_calls == [("grad", True)]


# ----------------------------------------------------------------------------------------------
# 3. The same errors as the NumPy path
# ----------------------------------------------------------------------------------------------
def invalid_cases(loss: losses.Loss, y: np.ndarray, p: np.ndarray) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """``(description, y_true, y_pred)`` with one bad value (or row) in the last block."""
    i = p.shape[0] - DEEP
    multiclass = p.ndim == 2
    where = (i, 1) if multiclass else i
    labels = loss.inputs.name.startswith("label")
    cases = []

    def bad(text, y_value=None, p_value=None, y_where=None, p_where=None):
        yb = y.astype(float) if labels and y_value is not None else y.copy()
        pb = p.copy()
        if y_value is not None:
            yb[y_where if y_where is not None else (i if labels else where)] = y_value
        if p_value is not None:
            pb[p_where if p_where is not None else where] = p_value
        cases.append((text, yb, pb))

    for value in (math.nan, math.inf, -math.inf):
        bad(f"y_pred {value}", p_value=value)
        bad(f"y_true {value}", y_value=value)
    kind = loss.inputs.name
    if kind == "real":
        bad("inf in both", y_value=math.inf, p_value=math.inf)
    elif kind == "log":
        for value in (-1.0, -1.5):
            bad(f"y_pred {value}", p_value=value)
            bad(f"y_true {value}", y_value=value)
    elif kind == "probability":
        for value in (1.5, -0.1):
            bad(f"y_pred {value}", p_value=value)
            bad(f"y_true {value}", y_value=value)
    elif kind == "logit":
        bad("soft target 1.5", y_value=1.5)
        bad("soft target -0.1", y_value=-0.1)
    elif kind == "margin":
        zero_one = bool(np.all((y == 0.0) | (y == 1.0)))
        bad("label 2", y_value=2.0)
        bad("label 0.5", y_value=0.5)
        bad("labels -1, 0 and 1", y_value=-1.0 if zero_one else 0.0)
    elif kind in ("simplex", "simplex_logit"):
        bad("target row summing to 0.5", y_value=0.5 * y[i], y_where=i)
        bad("soft target 1.2", y_value=np.r_[1.2, -0.2, np.zeros(p.shape[1] - 2)], y_where=i)
        if kind == "simplex":
            bad("probability row summing to 1.1", p_value=1.1 * p[i], p_where=i)
            bad("probability 1.5", p_value=np.r_[1.5, -0.5, np.zeros(p.shape[1] - 2)], p_where=i)
            bad("probability -0.1", p_value=np.r_[1.1, -0.1, np.zeros(p.shape[1] - 2)], p_where=i)
            bad("probability -1e-300", p_value=np.r_[1.0, -1e-300, np.zeros(p.shape[1] - 2)], p_where=i)
            bad("probability 1 + 1e-9", p_value=np.r_[1.0 + 1e-9, np.zeros(p.shape[1] - 1)], p_where=i)
        else:
            bad("logit row of NaN", p_value=math.nan, p_where=i)
    else:  # integer labels
        k = p.shape[1]
        for value in (k, -1, 2.5):
            bad(f"label {value}", y_value=value)
        if kind == "label_probability":
            bad("probability row summing to 1.1", p_value=1.1 * p[i], p_where=i)
            bad("probability 1.5", p_value=np.r_[1.5, -0.5, np.zeros(k - 2)], p_where=i)
            bad("probability -0.1", p_value=np.r_[1.1, -0.1, np.zeros(k - 2)], p_where=i)
            bad("probability -1e-300", p_value=np.r_[1.0, -1e-300, np.zeros(k - 2)], p_where=i)
            bad("probability 1 + 1e-9", p_value=np.r_[1.0 + 1e-9, np.zeros(k - 1)], p_where=i)
    return cases


@by_name
def test_invalid_inputs_raise_the_numpy_paths_error(loss: losses.Loss, rng, numpy_only) -> None:
    """The kernel only detects a fault; the message (first bad index, counts) is the NumPy path's."""
    cases = cases_for(loss, rng)
    if loss.inputs.name != "margin":  # (both label conventions of the margin losses; else one)
        cases = cases[:1]
    for _, y0, p0 in cases:
        for text, y, p in invalid_cases(loss, y0, p0):
            for call in (loss.cost, loss.grad):
                try:
                    assert_same_error(numpy_only, call, y, p)
                except AssertionError as err:
                    raise AssertionError(f"{loss.name}.{call.__name__}, {text}: {err}") from None
            params = param_sets(loss)[-1]  # a parameter changes no check
            assert_same_error(numpy_only, loss.cost, y, p, reduction="sum", **params)


# ----------------------------------------------------------------------------------------------
# 4. Threads
# ----------------------------------------------------------------------------------------------
@by_name
def test_results_do_not_depend_on_the_number_of_threads(loss: losses.Loss, rng, restore_threads, kernel_calls) -> None:
    """Block sums over a fixed partition, added exactly: the same bits on 1 thread as on all."""
    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("Numba has a single thread here")
    _, y, p = cases_for(loss, rng)[0]
    params = param_sets(loss)[-1]
    numba.set_num_threads(1)
    one = loss.cost(y, p, reduction="sum", **params), loss.grad(y, p, **params)
    numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
    every_thread = loss.cost(y, p, reduction="sum", **params), loss.grad(y, p, **params)
    assert one[0] == every_thread[0]
    np.testing.assert_array_equal(one[1], every_thread[1])
    np.testing.assert_array_equal(np.signbit(one[1]), np.signbit(every_thread[1]))
    assert kernel_calls and all(answered for _, answered in kernel_calls)


# ----------------------------------------------------------------------------------------------
# 5. Inputs untouched; dtypes and layouts
# ----------------------------------------------------------------------------------------------
@by_name
def test_inputs_are_not_modified_and_the_gradient_is_a_new_array(loss: losses.Loss, rng, kernel_calls) -> None:
    _, y, p = cases_for(loss, rng)[0]
    y_before, p_before = y.copy(), p.copy()
    loss.cost(y, p)
    g = loss.grad(y, p)
    np.testing.assert_array_equal(y, y_before, strict=True)
    np.testing.assert_array_equal(p, p_before, strict=True)
    assert not np.shares_memory(g, p) and not np.shares_memory(g, y)
    assert kernel_calls == compiled_calls(loss, ["total", "grad"])


def integer_targets(loss: losses.Loss, y: np.ndarray) -> np.ndarray:
    """The targets of a loss as an integer array (rounded, or one-hot, where they are real or soft)."""
    if loss.inputs.name.startswith("label"):
        return y.astype(np.int32)
    if y.ndim == 2:
        return np.eye(y.shape[1], dtype=np.int8)[np.argmax(y, axis=1)]
    if loss.inputs.name in ("probability", "logit"):
        return np.round(y).astype(np.int8)
    return np.round(np.abs(y) if loss.inputs.name == "log" else y).astype(np.int64)


@by_name
def test_float32_predictions_and_integer_targets_agree(loss: losses.Loss, rng, numpy_only, kernel_calls) -> None:
    """Converted to float64 before the kernel, as on the NumPy path."""
    _, y, p = cases_for(loss, rng)[0]
    y_int = integer_targets(loss, y)
    if loss.inputs.name == "log":
        p = np.maximum(p, -0.999)  # -1 + 1e-12 is -1 in float32
    p32 = p.astype(np.float32)  # (probability rows still sum to 1 within the tolerance)
    for y_case, p_case in ((y_int, p), (y, p32), (y_int, p32)):
        expected = numpy_only(loss.cost, y_case, p_case)
        assert loss.cost(y_case, p_case) == pytest.approx(expected, rel=1e-12)
        assert_same_grad(loss, loss.grad(y_case, p_case), numpy_only(loss.grad, y_case, p_case), str(y_case.dtype))
    assert kernel_calls == compiled_calls(loss, ["total", "grad"] * 3)


def test_non_contiguous_and_read_only_arrays_agree(rng, numpy_only, kernel_calls) -> None:
    """Each layout is a new specialisation of the kernels (compiled once, then cached): one loss."""
    loss, params = losses.huber, {"delta": 0.5}
    (_, y, p), = loss.inputs.extremes(rng, 2 * N)
    y_view, p_view = y[::2], p[::2]
    assert not p_view.flags.c_contiguous and p_view.size >= _compiled.COMPILED_FROM
    y_ro, p_ro = y[:N].copy(), p[:N].copy()
    y_ro.flags.writeable = p_ro.flags.writeable = False
    for y_case, p_case in ((y_view, p_view), (y_ro, p_ro)):
        expected = numpy_only(loss.cost, y_case, p_case, **params)
        assert loss.cost(y_case, p_case, **params) == pytest.approx(expected, rel=1e-12)
        assert_same_grad(loss, loss.grad(y_case, p_case, **params), numpy_only(loss.grad, y_case, p_case, **params))
    assert len(kernel_calls) == 4 and all(answered for _, answered in kernel_calls)
    np.testing.assert_array_equal(y_ro, y[:N])
    np.testing.assert_array_equal(p_ro, p[:N])


# ----------------------------------------------------------------------------------------------
# 6. Genuine overflows
# ----------------------------------------------------------------------------------------------
def test_an_overflowing_cost_is_inf_with_numpys_warning(numpy_only, kernel_calls) -> None:
    """The kernel cannot tell an overflow from an infinite input: the NumPy path decides."""
    y, p = np.zeros(N), np.zeros(N)
    p[-DEEP] = 1e200
    with pytest.warns(RuntimeWarning, match="overflow"):
        expected = numpy_only(losses.squared_error.cost, y, p)
    with pytest.warns(RuntimeWarning, match="overflow"):
        got = losses.squared_error.cost(y, p)
    assert got == expected == math.inf
    assert kernel_calls == [("total", False)]


@pytest.mark.parametrize(
    "loss, y, p",
    [
        (losses.squared_error, 0.0, 1e308),  # 2 r overflows
        (losses.squared_hinge, 1.0, -1e308),  # -2 y max(0, 1 - y s) overflows
    ],
    ids=["squared_error", "squared_hinge"],
)
def test_an_overflowing_gradient_is_inf_with_numpys_warning(loss, y, p, numpy_only) -> None:
    """As for costs: a gradient that overflows is inf, and says so as NumPy does."""
    y_true, y_pred = np.full(N, y), np.zeros(N)
    y_pred[-DEEP] = p
    with pytest.warns(RuntimeWarning, match="overflow"):
        expected = numpy_only(loss.grad, y_true, y_pred)
    with pytest.warns(RuntimeWarning, match="overflow"):
        got = loss.grad(y_true, y_pred)
    np.testing.assert_array_equal(got, expected)
    assert np.isinf(got[-DEEP])


HUGE = np.linspace(-1e200, 1e200, N)


def test_pseudo_huber_of_huge_residuals_agrees(numpy_only) -> None:
    """Squaring r overflows beyond 1e154: the kernel switches to the hypot form, as NumPy does
    (or hands over to it): finite values and gradients all the same."""
    y = np.zeros(N)
    for params in ({"delta": 2.0}, {}):
        for reduction in ("mean", "sum"):
            expected = numpy_only(losses.pseudo_huber.cost, y, HUGE, reduction=reduction, **params)
            assert losses.pseudo_huber.cost(y, HUGE, reduction=reduction, **params) == pytest.approx(expected, rel=1e-12)
            assert math.isfinite(expected)
        g = losses.pseudo_huber.grad(y, HUGE, **params)
        assert_same_grad(losses.pseudo_huber, g, numpy_only(losses.pseudo_huber.grad, y, HUGE, **params))
        assert np.all(np.isfinite(g))


def test_the_kernel_itself_answers_pseudo_huber_of_huge_residuals(kernel_calls) -> None:
    """Its hypot branch exists for residuals beyond 1e150; nothing there overflows, so nothing
    should need the NumPy path (which is several times slower)."""
    losses.pseudo_huber.cost(np.zeros(N), HUGE, delta=2.0)
    losses.pseudo_huber.grad(np.zeros(N), HUGE, delta=2.0)
    assert kernel_calls == [("total", True), ("grad", True)]


def test_a_gradient_is_not_placed_right_after_or_before_an_input() -> None:
    """(Speed.) Stores to g[i] one array length from the loads of x[i] run several times slower
    (benchmarks/README.md): an output that malloc would place there is allocated elsewhere."""
    buf = np.zeros(4 * N)
    x = buf[N:2 * N]
    for shape in ((N,), (N // 10, 10)):
        size = math.prod(shape)
        for place in (buf[2 * N:2 * N + size], buf[N - size:N]):  # right after x, right before it
            g = _compiled.output_array(shape, lambda s, place=place: place.reshape(s) if s == shape else np.zeros(s), x)
            assert g.shape == shape and g.flags.c_contiguous and g.flags.writeable
            assert not _compiled.adjoins(g.ctypes.data, g.nbytes, x) and not np.shares_memory(g, x)
            assert np.all(g == 0.0)  # (np.zeros stays np.zeros: the label kernels rely on it)
    far = np.empty(N)
    assert _compiled.output_array((N,), lambda s: far, x) is far


# ----------------------------------------------------------------------------------------------
# 7. backend()
# ----------------------------------------------------------------------------------------------
def test_backend_names_numba_when_enabled() -> None:
    backend = _compiled.backend()
    assert isinstance(backend, str) and "numba" in backend and numba.__version__ in backend


def test_backend_is_none_when_the_compiled_path_is_off(numpy_only) -> None:
    """What the book prints as the backend in use must not claim Numba when it is not used."""
    _compiled.backend()  # the kernels are loaded
    assert numpy_only(_compiled.backend) is None


def test_the_mean_error_runs_a_kernel_too(rng, numpy_only) -> None:
    """lossbook.mean_error is a cost but not a loss: its sum has a kernel of its own, with the
    same answer and the same errors as its NumPy path."""
    import lossbook

    y, p = rng.normal(size=N), rng.normal(size=N)
    assert lossbook.mean_error(y, p) == pytest.approx(numpy_only(lossbook.mean_error, y, p), rel=1e-12, abs=1e-15)
    assert costs_kernel_answers(y, p)
    p[-DEEP] = np.inf
    with pytest.raises(ValueError) as compiled_error:
        lossbook.mean_error(y, p)
    with pytest.raises(ValueError) as numpy_error:
        numpy_only(lossbook.mean_error, y, p)
    assert str(compiled_error.value) == str(numpy_error.value)


def costs_kernel_answers(y, p) -> bool:
    from lossbook import costs

    return costs.MEAN_ERROR_KERNEL.total(y, p, {}) is not None


def ulps(got: np.ndarray, expected: np.ndarray) -> np.ndarray:
    return np.abs(got - expected) / np.spacing(np.abs(expected))


def test_the_kernels_series_are_as_accurate_as_libm() -> None:
    """The kernels replace libm's exp, log, log1p and tanh by code the compiler can vectorise
    (_kernels.exp_nonpositive, log_normal, log1p_unit, log1p_nonnegative and the log-cosh
    gradient): within a few ulp of NumPy's across every range they are used on, including the
    switch between a series and its closed form, subnormal results, -inf and NaN."""
    from lossbook.losses import _kernels

    x = np.concatenate([
        -np.geomspace(1e-300, 746.0, 50_000), -np.random.default_rng(4).uniform(0.0, 746.0, 50_000),
        [0.0, -0.0, -np.inf, -745.2, -745.1332191019412, -708.4, -709.0],
    ])
    got = x.copy()
    _kernels.exp_nonpositive(got, got.size, np.empty(got.size), np.empty(got.size, np.int64))
    assert ulps(got, np.exp(x)).max() <= 1  # (subnormal results: within one subnormal step)
    nan = np.array([np.nan, -1.0])
    _kernels.exp_nonpositive(nan, 2, np.empty(2), np.empty(2, np.int64))
    assert np.isnan(nan[0]) and nan[1] == pytest.approx(math.exp(-1.0), rel=1e-15)

    q = np.concatenate([
        np.geomspace(1e-300, 1e300, 50_000), np.random.default_rng(5).uniform(EPS, 1.0, 50_000),
        [EPS, 1.0 - EPS, 0.5, 1.0, 2.0, math.sqrt(2.0), np.nextafter(math.sqrt(2.0), 0.0),
         np.nextafter(math.sqrt(2.0), 2.0), np.finfo(float).tiny, np.finfo(float).max],
    ])
    got = q.copy()
    _kernels.log_normal(got, got.size, np.empty(got.size), np.empty(got.size))
    assert ulps(got, np.log(q))[q != 1.0].max() <= 2 and got[q == 1.0] == 0.0

    e = np.concatenate([
        np.geomspace(1e-300, 1.0, 20_000), np.random.default_rng(3).uniform(0, 1, 20_000),
        -np.geomspace(1e-300, 0.5, 20_000), np.random.default_rng(4).uniform(-0.5, 0, 20_000),
    ])
    assert ulps(np.array([_kernels.log1p_unit(x) for x in e]), np.log1p(e)).max() <= 4
    x = np.concatenate([[0.0, 1.0, np.nextafter(1.0, 2.0), 9.0], np.geomspace(1e-300, 1e3, 20_000)])
    got = np.empty(x.size)
    _kernels.log1p_nonnegative(x, x.size, got, np.empty(x.size), np.empty(x.size))
    assert ulps(got, np.log1p(x))[x > 0].max() <= 4 and got[0] == 0.0
    r = np.concatenate([np.geomspace(1e-300, 40.0, N // 2), -np.linspace(0.0, 2.0, N - N // 2)])
    r = r[r != 0.0]
    tanh = losses.log_cosh.grad(np.zeros(r.size), r)  # the kernel: r.size >= COMPILED_FROM
    assert ulps(tanh, np.tanh(r)).max() <= 4


def test_the_table_of_kernels_is_the_kernels() -> None:
    """_compiled.METHODS (read without importing Numba) lists exactly the kernels that exist."""
    from lossbook.losses import _kernels

    built = {
        name: frozenset(m for m, f in (("cost", k.total), ("grad", k.grad)) if f is not None)
        for name, k in _kernels.KERNELS.items()
    }
    assert built == {name: methods for name, (_, methods) in _compiled.METHODS.items()}
