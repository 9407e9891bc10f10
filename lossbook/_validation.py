"""Input validation shared by every public function of lossbook.

Conventions, stated once (every loss, cost, divergence and activation relies on them):

* Inputs are array-likes of real numbers. They are converted to float64 and never modified.
  Non-numeric data (strings, complex numbers, objects) is a ``TypeError``.
* ``y_true`` and ``y_pred`` must have exactly the same shape. There is no broadcasting: a
  ``(n,)`` array against an ``(n, 1)`` array would silently build an ``n x n`` matrix in NumPy,
  the most common loss bug in the wild, so here it is a ``ValueError`` naming both shapes.
* Everything else that is wrong (empty input, NaN or infinity, a value outside a loss's domain,
  a bad parameter or sample weight) is a ``ValueError`` whose message says what was found and
  what is allowed.

Speed: costs are called in tight loops, so the checks are arranged to cost as few passes over
the data as possible. Domain checks that are needed anyway (a probability in [0, 1]) are done up
front. A separate finiteness pass is skipped where the loss itself propagates NaN and infinity
into its result: the caller then checks the single reduced number and, only if it is not
finite, runs the full check to find and name the culprit (or to learn that the inputs are fine
and the number genuinely overflowed). Where a finiteness pass is needed, both arrays of a pair
are checked in one pass (:func:`check_finite_pair`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]

#: Tolerance for a row of probabilities to count as summing to one.
SIMPLEX_ATOL = 1e-6

_NUMERIC_KINDS = frozenset("biuf")
_F64 = np.dtype(np.float64)


# ----------------------------------------------------------------------------------------------
# Conversion and shapes
# ----------------------------------------------------------------------------------------------
def as_float_array(x: ArrayLike, name: str) -> FloatArray:
    """Return ``x`` as a non-empty float64 array, without copying when it already is one."""
    if type(x) is np.ndarray and x.dtype == np.float64:
        arr = x
    else:
        try:
            arr = np.asarray(x)
        except ValueError as err:  # ragged nested sequences
            raise ValueError(f"{name} must be a rectangular array of numbers: {err}") from None
        if arr.dtype.kind not in _NUMERIC_KINDS:
            raise TypeError(
                f"{name} must contain real numbers, got an array of dtype {arr.dtype} "
                f"(e.g. {arr.flat[0]!r})" if arr.size else f"{name} must contain real numbers"
            )
        arr = arr.astype(np.float64, copy=False)
    if arr.size == 0:
        raise ValueError(f"{name} is empty; at least one value is needed")
    return arr


def as_vector(x: ArrayLike, name: str) -> FloatArray:
    """Return a 1-D float64 array; a scalar becomes an array of length one."""
    arr = as_float_array(x, name)
    if arr.ndim == 1:
        return arr
    if arr.ndim == 0:
        return arr.reshape(1)
    raise ValueError(
        f"{name} must be 1-D with shape (n,), got shape {arr.shape}; "
        f"for a single column use .ravel(), for several outputs loop over the columns"
    )


def as_matrix(x: ArrayLike, name: str) -> FloatArray:
    """Return a 2-D float64 array of shape (n, k) with k >= 2."""
    arr = as_float_array(x, name)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 2-D with shape (n, k), one row per sample, got shape {arr.shape}")
    if arr.shape[1] < 2:
        raise ValueError(f"{name} must have at least 2 columns (classes), got shape {arr.shape}")
    return arr


def check_same_shape(y_true: np.ndarray, y_pred: np.ndarray, names: tuple[str, str] = ("y_true", "y_pred")) -> None:
    """Raise unless the two arrays have exactly the same shape (no broadcasting, ever)."""
    if y_true.shape != y_pred.shape:
        a, b = names
        raise ValueError(
            f"{a} and {b} must have the same shape, got {a}.shape={y_true.shape} and "
            f"{b}.shape={y_pred.shape}. lossbook never broadcasts: NumPy would silently pair every "
            f"{a} with every {b}. Reshape one of them (e.g. .ravel() or .reshape(-1, 1))."
        )


# ----------------------------------------------------------------------------------------------
# Values
# ----------------------------------------------------------------------------------------------
def _first_index(mask: np.ndarray) -> tuple[int, ...] | int:
    idx = np.unravel_index(int(np.argmax(mask)), mask.shape)
    return int(idx[0]) if len(idx) == 1 else tuple(int(i) for i in idx)


def check_finite(x: np.ndarray, name: str) -> None:
    """Raise if ``x`` contains NaN or +-inf.

    One summation is the cheap test (a sum of finite numbers is finite unless it overflows);
    only when it fails is the exact, allocating test run to name the first bad entry.
    """
    if math.isfinite(np.add.reduce(x, axis=None)):
        return
    bad = ~np.isfinite(x)
    if not bad.any():
        return  # the sum overflowed, the values are fine
    i = _first_index(bad)
    raise ValueError(
        f"{name} must contain only finite numbers, found {int(bad.sum())} NaN or infinite "
        f"value(s), the first at index {i} ({float(x[i])!r})"
    )


def check_finite_pair(a: np.ndarray, b: np.ndarray, names: tuple[str, str] = ("y_true", "y_pred")) -> None:
    """Raise if ``a`` or ``b`` (same size) contains NaN or +-inf, reading both in a single pass.

    The inner product is NaN or infinite whenever an entry of either array is (inf * 0 is NaN,
    inf - inf is NaN), so one dot product replaces two sums; ``np.vdot`` neither warns nor
    raises on the way. Only when it is not finite are the arrays checked one by one, which
    names the culprit, or finds none when the product merely overflowed.
    """
    if math.isfinite(np.vdot(a, b)):
        return
    check_finite(a, names[0])
    check_finite(b, names[1])


def check_interval(
    x: np.ndarray, name: str, low: float, high: float, *, low_open: bool = False, high_open: bool = False
) -> None:
    """Raise unless every entry lies in the interval from ``low`` to ``high``.

    Bounds may be infinite; ``low_open``/``high_open`` exclude the end point. NaN is reported as
    NaN, not as an out-of-range value.
    """
    lo_ok = hi_ok = True
    if low != -math.inf:  # (the ufunc's reduce directly: less overhead than x.min())
        smallest = np.minimum.reduce(x, axis=None)
        lo_ok = smallest > low if low_open else smallest >= low
    if high != math.inf:
        largest = np.maximum.reduce(x, axis=None)
        hi_ok = largest < high if high_open else largest <= high
    if lo_ok and hi_ok:
        return
    check_finite(x, name)
    left = "(" if low_open or low == -math.inf else "["
    right = ")" if high_open or high == math.inf else "]"
    below = (x <= low) if low_open else (x < low)
    above = (x >= high) if high_open else (x > high)
    bad = below | above
    i = _first_index(bad)
    raise ValueError(
        f"{name} must lie in {left}{low:g}, {high:g}{right}, found {int(bad.sum())} value(s) "
        f"outside, the first at index {i} ({float(x[i])!r})"
    )


@functools.cache
def _ones(k: int) -> FloatArray:
    ones = np.ones(k)
    ones.flags.writeable = False
    return ones


def row_sums(x: np.ndarray) -> FloatArray:
    """Sums along the last axis as a matrix-vector product.

    For the few columns of a classification problem this is several times faster than
    ``x.sum(axis=-1)``, whose inner loop runs once per row.
    """
    return np.dot(x, _ones(x.shape[-1]))


def probability_rows_ok(x: np.ndarray, *more: np.ndarray) -> bool:
    """Whether every row of ``x`` (and of each of ``more``, of as many columns) lies on the
    probability simplex: the test, without the message.

    The losses' fast sums run it on each block of rows while the block is in the CPU cache, and
    leave the message to :func:`check_probability_rows` on the whole input when it fails.
    """
    if more:
        if x.size * (1 + len(more)) > 4096:
            return probability_rows_ok(x) and all(probability_rows_ok(m) for m in more)
        x = np.concatenate((x, *more))  # small: one set of NumPy calls instead of one per array
    if not np.minimum.reduce(x, axis=None) >= 0.0:
        return False  # also for NaN
    sums = row_sums(x)
    largest = np.maximum.reduce(sums)
    if not (np.minimum.reduce(sums) >= 1.0 - SIMPLEX_ATOL and largest <= 1.0 + SIMPLEX_ATOL):
        return False
    # Non-negative entries of a row summing to at most 1 are at most 1: only a row summing to
    # a little more than 1 (rounding) could hide an entry above 1.
    return bool(largest <= 1.0 or np.maximum.reduce(x, axis=None) <= 1.0)


def check_rows_sum_to_one(x: np.ndarray, name: str) -> None:
    """Raise unless every row (last axis) of ``x`` sums to one within :data:`SIMPLEX_ATOL`."""
    sums = row_sums(x)
    off = np.abs(sums - 1.0) > SIMPLEX_ATOL
    if off.any():
        i = _first_index(off)
        raise ValueError(
            f"each row of {name} must be a probability distribution summing to 1 "
            f"(tolerance {SIMPLEX_ATOL:g}), row {i} sums to {float(sums[i])!r}; "
            f"{int(off.sum())} row(s) are off. If these are logits, use a loss that takes logits."
        )


def check_probability_rows(x: np.ndarray, name: str) -> None:
    """Raise unless every row of ``x`` lies on the probability simplex."""
    check_interval(x, name, 0.0, 1.0)
    check_rows_sum_to_one(x, name)


def check_class_indices(labels: np.ndarray, n_classes: int, name: str = "y_true") -> np.ndarray:
    """Return integer class labels after checking they are whole numbers in [0, n_classes)."""
    check_finite(labels, name)
    as_int = labels.astype(np.intp)
    frac = as_int != labels
    if frac.any():
        i = _first_index(frac)
        raise ValueError(f"{name} must hold integer class labels, found {float(labels[i])!r} at index {i}")
    out = (as_int < 0) | (as_int >= n_classes)
    if out.any():
        i = _first_index(out)
        raise ValueError(
            f"{name} must hold class labels in [0, {n_classes}) for {n_classes} columns of y_pred, "
            f"found {int(as_int[i])} at index {i}"
        )
    return as_int


def check_whole_numbers(x: np.ndarray, name: str) -> None:
    """Raise unless every entry of ``x`` (already checked finite) is a whole number (a count)."""
    fractional = x != np.round(x)
    if fractional.any():
        i = _first_index(fractional)
        raise ValueError(f"{name} must hold whole numbers (counts), found {float(x[i])!r} at index {i}")


def as_labels(y: ArrayLike, n_classes: int, name: str, what: str) -> NDArray[np.intp]:
    """Return a 1-D array of integer class labels in [0, n_classes); ``what`` says where that range comes from."""
    arr = as_vector(y, name)
    check_finite(arr, name)
    as_int = arr.astype(np.intp)
    bad = (as_int != arr) | (as_int < 0) | (as_int >= n_classes)
    if bad.any():
        i = _first_index(bad)
        raise ValueError(f"{name} must hold integer class labels in [0, {n_classes}) ({what}), found {float(arr[i])!r} at index {i}")
    return as_int


def as_cost_matrix(cost_matrix: ArrayLike, name: str = "cost_matrix") -> FloatArray:
    """Return a k x k cost matrix (rows: the truth, columns: the decision) after checking it.

    It must be square with k >= 2, finite, and no wrong decision may cost less than the right one
    in its row (``C[i][j] >= C[i][i]``): otherwise "deciding wrongly" would be the better decision.
    """
    arr = as_float_array(cost_matrix, name)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1] or arr.shape[0] < 2:
        raise ValueError(f"{name} must be a square k x k matrix with k >= 2 (rows: true class, columns: decision), got shape {arr.shape}")
    check_finite(arr, name)
    cheaper = arr < np.diag(arr)[:, None]
    if cheaper.any():
        i, j = (int(a) for a in np.argwhere(cheaper)[0])
        raise ValueError(
            f"{name}[{i}][{j}] = {float(arr[i, j])!r} is less than {name}[{i}][{i}] = {float(arr[i, i])!r}: a wrong decision "
            f"must not cost less than the right one (rows are the true class, columns the decision)"
        )
    return arr


def as_signed_labels(y: np.ndarray, name: str = "y_true") -> FloatArray:
    """Return binary labels as -1/+1, accepting either {-1, +1} or {0, 1} (mapped 0 -> -1)."""
    if y.size <= 4096:  # few NumPy calls: |y| = 1 exactly, or y (y - 1) = 0 exactly
        if not np.count_nonzero(np.abs(y) - 1.0):
            return y
        if not np.count_nonzero(y * (y - 1.0)):
            return 2.0 * y - 1.0
    else:  # few passes: a comparison per label set plus one for the shared label 1
        ones = np.count_nonzero(y == 1.0)
        if ones + np.count_nonzero(y == -1.0) == y.size:
            return y
        if ones + np.count_nonzero(y == 0.0) == y.size:
            return 2.0 * y - 1.0
    check_finite(y, name)
    values = np.unique(y)
    shown = ", ".join(f"{v:g}" for v in values[:6]) + (", ..." if values.size > 6 else "")
    raise ValueError(
        f"{name} must hold binary labels, either all in {{-1, +1}} or all in {{0, 1}}; found the "
        f"values {{{shown}}}"
    )


def check_sample_weight(sample_weight: ArrayLike, n: int) -> FloatArray:
    """Return sample weights as a float64 vector of length ``n``: finite, >= 0, not all zero."""
    w = as_float_array(sample_weight, "sample_weight")
    if w.ndim != 1 or w.shape[0] != n:
        raise ValueError(f"sample_weight must have shape ({n},), one weight per sample, got shape {w.shape}")
    check_finite(w, "sample_weight")
    if w.min() < 0:
        i = int(np.argmax(w < 0))
        raise ValueError(f"sample_weight must be >= 0, found {float(w[i])!r} at index {i}")
    if not w.any():
        raise ValueError("sample_weight must not be all zero: the weighted mean would be 0/0")
    return w


# ----------------------------------------------------------------------------------------------
# Parameters
# ----------------------------------------------------------------------------------------------
#: A parameter check: ``check(value, name)`` returns the value (a float, or None where None is allowed)
#: or raises ``ValueError``/``TypeError``; its ``valid`` and ``invalid`` attributes list examples.
ParamCheck = Callable[[Any, str], Any]


def real_number(value: Any, name: str) -> float:
    """Check a parameter that must be a finite real number (not a bool or a string); return it as a float."""
    if isinstance(value, (bool, np.bool_, complex, str, bytes)):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number, got {value!r}") from None
    if not math.isfinite(out):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return out


def _examples(valid: tuple[Any, ...], invalid: tuple[Any, ...]) -> Callable[[ParamCheck], ParamCheck]:
    """Record, on a parameter check, values it accepts and values it must refuse: the tests run
    every loss with each valid one and expect a ``ValueError`` for each invalid one."""

    def mark(check: ParamCheck) -> ParamCheck:
        check.valid = valid  # type: ignore[attr-defined]
        check.invalid = invalid  # type: ignore[attr-defined]
        return check

    return mark


_NOT_FINITE = (math.nan, math.inf)


@_examples(valid=(0.5, 3.0), invalid=(0.0, -1.0, *_NOT_FINITE))
def positive(value: Any, name: str) -> float:
    """Check a parameter that must be a finite number > 0."""
    out = real_number(value, name)
    if out <= 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return out


@_examples(valid=(0.0, 0.5, 3.0), invalid=(-0.5, *_NOT_FINITE))
def non_negative(value: Any, name: str) -> float:
    """Check a parameter that must be a finite number >= 0."""
    out = real_number(value, name)
    if out < 0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return out


@_examples(valid=(0.1, 0.9), invalid=(0.0, 1.0, 1.5, -0.2, math.nan))
def open_unit_interval(value: Any, name: str) -> float:
    """Check a parameter that must lie strictly between 0 and 1."""
    out = real_number(value, name)
    if not 0.0 < out < 1.0:
        raise ValueError(f"{name} must lie in (0, 1), got {value!r}")
    return out


@_examples(valid=(0.25,), invalid=(0.0, 1.0, 1.5, -0.2, math.nan))
def optional_open_unit_interval(value: Any, name: str) -> float | None:
    """Check a parameter that is None (not used) or lies strictly between 0 and 1."""
    return None if value is None else open_unit_interval(value, name)


@_examples(valid=(0.1,), invalid=(1.0, -0.1, math.nan))
def half_open_unit_interval(value: Any, name: str) -> float:
    """Check a parameter that must lie in [0, 1)."""
    out = real_number(value, name)
    if not 0.0 <= out < 1.0:
        raise ValueError(f"{name} must lie in [0, 1), got {value!r}")
    return out


@_examples(valid=(0.0, 0.5), invalid=(1.5, -0.2, math.nan))
def unit_interval(value: Any, name: str) -> float:
    """Check a parameter that must lie in [0, 1] (a mixing ratio)."""
    out = real_number(value, name)
    if not 0.0 <= out <= 1.0:
        raise ValueError(f"{name} must lie in [0, 1], got {value!r}")
    return out


def positive_integer(value: Any, name: str) -> int:
    """Check a count that must be an integer >= 1 (a bool is not one); ``ValueError`` otherwise."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def whole_number(value: Any, name: str, minimum: int = 0) -> int:
    """Check a parameter that must be an integer >= ``minimum`` (a count, a number of digits)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def from_registry(value: Any, registry: Mapping[str, Any], kind: type, what: str) -> Any:
    """Return ``value`` if it already is a ``kind``, else the registry entry it names.

    An unknown name is a ``ValueError`` that lists the names there are.
    """
    if isinstance(value, kind):
        return value
    try:
        return registry[value]
    except KeyError:
        raise ValueError(f"unknown {what} {value!r}; choose one of {sorted(registry)}") from None


def check_reduction(reduction: str) -> None:
    """Raise unless ``reduction`` is ``"mean"`` or ``"sum"``."""
    if reduction not in ("mean", "sum"):
        raise ValueError(f'reduction must be "mean" or "sum", got {reduction!r}')


# ----------------------------------------------------------------------------------------------
# Input pairs: one function per kind of (y_true, y_pred), used by the losses and costs.
#
# Each takes the raw array-likes and returns validated float64 arrays. With ``strict=False`` the
# finiteness pass is left to the caller for inputs whose loss propagates NaN/inf into the result
# (real-valued regression inputs, logits, and the scores of margin losses, whose fast sums
# check the margins they compute anyway), and the rows of multi-class inputs are left to the
# loss's fast sum, which checks them block by block while each block is in the CPU cache;
# everything else is always checked in full. Calling the same
# function again on the returned arrays with ``strict=True`` is the diagnosis of a non-finite
# result: it raises for bad input and returns for a genuine overflow.
# ----------------------------------------------------------------------------------------------
_Pair = Callable[..., tuple[np.ndarray, np.ndarray]]


def real_pair(y_true: ArrayLike, y_pred: ArrayLike, strict: bool = True) -> tuple[FloatArray, FloatArray]:
    """Real-valued targets and predictions of the same shape (n,); a scalar pair counts as n = 1."""
    if (
        type(y_true) is np.ndarray and type(y_pred) is np.ndarray and y_true.dtype == _F64 and y_pred.dtype == _F64
        and y_true.ndim == 1 and y_true.shape == y_pred.shape and y_true.size
    ):  # the common case, in as few operations as possible
        y, p = y_true, y_pred
    else:
        y = as_float_array(y_true, "y_true")
        p = as_float_array(y_pred, "y_pred")
        check_same_shape(y, p)
        if y.ndim != 1:
            y, p = as_vector(y, "y_true"), as_vector(p, "y_pred")
    if strict:
        check_finite_pair(y, p)
    return y, p


def log_pair(y_true: ArrayLike, y_pred: ArrayLike, strict: bool = True) -> tuple[FloatArray, FloatArray]:
    """Targets and predictions > -1 (squared log error uses log(1 + y))."""
    y, p = real_pair(y_true, y_pred, strict)
    check_interval(y, "y_true", -1.0, math.inf, low_open=True)
    check_interval(p, "y_pred", -1.0, math.inf, low_open=True)
    return y, p


def count_pair(y_true: ArrayLike, y_pred: ArrayLike, strict: bool = True) -> tuple[FloatArray, FloatArray]:
    """Counts (or any targets) >= 0 and predicted means > 0 (the Poisson deviance's domain)."""
    y, p = real_pair(y_true, y_pred, strict)
    check_interval(y, "y_true", 0.0, math.inf)
    check_interval(p, "y_pred", 0.0, math.inf, low_open=True)
    return y, p


def probability_pair(y_true: ArrayLike, y_pred: ArrayLike, strict: bool = True) -> tuple[FloatArray, FloatArray]:
    """Binary targets in [0, 1] (hard or soft labels) and predicted probabilities in [0, 1]."""
    y, p = real_pair(y_true, y_pred, strict=False)
    check_interval(y, "y_true", 0.0, 1.0)
    check_interval(p, "y_pred", 0.0, 1.0)
    return y, p


def logit_pair(y_true: ArrayLike, y_pred: ArrayLike, strict: bool = True) -> tuple[FloatArray, FloatArray]:
    """Binary targets in [0, 1] and real-valued logits."""
    y, z = real_pair(y_true, y_pred, strict=False)
    check_interval(y, "y_true", 0.0, 1.0)
    if strict:
        check_finite(z, "y_pred")
    return y, z


def margin_pair(y_true: ArrayLike, y_pred: ArrayLike, strict: bool = True) -> tuple[FloatArray, FloatArray]:
    """Binary labels in {-1, +1} or {0, 1} (returned as -1/+1) and real-valued scores."""
    y, s = real_pair(y_true, y_pred, strict=False)
    if strict:
        check_finite(s, "y_pred")
    return as_signed_labels(y), s


def simplex_pair(y_true: ArrayLike, y_pred: ArrayLike, strict: bool = True) -> tuple[FloatArray, FloatArray]:
    """(n, k) target distributions and (n, k) predicted probability rows."""
    y = as_matrix(y_true, "y_true")
    p = as_matrix(y_pred, "y_pred")
    check_same_shape(y, p)
    if strict:
        check_probability_rows(y, "y_true")
        check_probability_rows(p, "y_pred")
    return y, p


def simplex_logit_pair(y_true: ArrayLike, y_pred: ArrayLike, strict: bool = True) -> tuple[FloatArray, FloatArray]:
    """(n, k) target distributions and (n, k) logits."""
    y = as_matrix(y_true, "y_true")
    z = as_matrix(y_pred, "y_pred")
    check_same_shape(y, z)
    if strict:
        check_probability_rows(y, "y_true")
        check_finite(z, "y_pred")
    return y, z


def _labels_for(y_true: ArrayLike, n_rows_cols: tuple[int, ...]) -> np.ndarray:
    n, k = n_rows_cols
    if type(y_true) is np.ndarray and y_true.dtype.kind in "iu" and y_true.shape == (n,) and n:
        # Integer labels, the common case: only the range to check, without a float round trip;
        # seen as unsigned, a negative label is huge, so one maximum checks both ends.
        unsigned = y_true.view(f"u{y_true.itemsize}")
        if np.maximum.reduce(unsigned) < k:
            return y_true.astype(np.intp, copy=False)
    y = as_float_array(y_true, "y_true")
    if y.shape != (n,):
        raise ValueError(
            f"y_true must hold one integer label per row of y_pred, i.e. shape ({n},), got "
            f"y_true.shape={y.shape} and y_pred.shape={(n, k)}"
        )
    return check_class_indices(y, k)


def label_probability_pair(y_true: ArrayLike, y_pred: ArrayLike, strict: bool = True) -> tuple[np.ndarray, FloatArray]:
    """(n,) integer labels in [0, k) and (n, k) predicted probability rows."""
    p = as_matrix(y_pred, "y_pred")
    y = _labels_for(y_true, p.shape)
    if strict:
        check_probability_rows(p, "y_pred")
    return y, p


def label_score_pair(y_true: ArrayLike, y_pred: ArrayLike, strict: bool = True) -> tuple[np.ndarray, FloatArray]:
    """(n,) integer labels in [0, k) and (n, k) real-valued scores."""
    s = as_matrix(y_pred, "y_pred")
    y = _labels_for(y_true, s.shape)
    if strict:
        check_finite(s, "y_pred")
    return y, s
