r"""Compiled kernels (Numba) for the losses on large inputs: one pass, checks included, all cores.

This module imports Numba and is imported only by :mod:`lossbook.losses._compiled`, and only
when Numba is installed and an input is large enough to use it. Nothing else in lossbook
depends on it: without Numba every loss runs on its NumPy formulas.

Why compiled code at all (measured in ``benchmarks/README.md``): a loss written in NumPy makes
one pass over memory per operation and one more per check of its inputs, and NumPy's ``exp``
and ``log`` on float64 run one element at a time on CPUs without AVX-512. A kernel here reads
each input once, checks its domain on the way, computes the loss and its sum in the same loop
and spreads the loop over the CPU's cores.

The contract of every kernel, which :mod:`._compiled` relies on:

* The arrays have the right shapes and dtypes (the ``*_pair`` functions with ``strict=False``
  checked them) but their values are unchecked.
* Whenever an input is invalid (NaN, infinity, outside the loss's domain) the result is
  non-finite: the block sums of a cost, or the witness of a gradient (a sum that is 0 when
  every input is valid). The caller then runs the NumPy path, which names the fault.
* Binary margin labels come back as a bit set (``TAG_ZERO``, ``TAG_MINUS_ONE``): a label of 0
  and one of -1 in the same input is an error that no single element can see.
* Sums are per block of :data:`BLOCK` numbers, a fixed partition, so results do not depend
  on the number of threads; the caller adds the block sums exactly (``math.fsum``).

Each loss is an integer code. The element functions switch on it; the kernels call them from
one block loop per loss, in which the code is a constant, so each loss's loop is compiled (and
vectorised where it can be) as if written for it alone, while one kernel per input kind
(cached on disk by Numba) serves every loss of that kind. How each choice was measured:
``benchmarks/README.md``, "The compiled kernels".
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any, TypeVar, cast, overload

import numpy as np
from numba import njit
from numba import prange as _numba_prange

from .._validation import SIMPLEX_ATOL
from ._fast import LOG_COSH_SERIES_BELOW, LOG_COSH_TAYLOR
from .binary import EPS
from .regression import LOG2

#: Numbers per block of a sum (the unit of work of a thread, and of the exact final sum).
BLOCK = 1 << 14

# Codes of the element-wise losses (y_true and y_pred of shape (n,)).
SQUARED_ERROR, ABSOLUTE_ERROR, HUBER, PSEUDO_HUBER, LOG_COSH, PINBALL = range(6)
BINARY_CROSS_ENTROPY, BINARY_CROSS_ENTROPY_WITH_LOGITS, HINGE, SQUARED_HINGE = range(6, 10)
RESIDUAL = 11  # p - y: the mean error (lossbook.costs.mean_error), a diagnostic, not a loss
# Codes of the row-wise losses: simplex targets (n, k), or integer labels (n,).
CATEGORICAL_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY = 0, 1
SPARSE_CATEGORICAL_CROSS_ENTROPY, MULTICLASS_HINGE = 0, 1

#: Bits of the label set of the margin losses: a label 0 was seen, a label -1 was seen.
TAG_ZERO, TAG_MINUS_ONE = 1, 2

#: Fast-math flags of the element-wise kernels: re-association only, which lets the compiler
#: vectorise the sums (and may move a last-bit rounding); NaN and infinity keep their meaning.
_SUM = {"reassoc"}
_NAN = math.nan
_MAX = float(np.finfo(np.float64).max)

#: Every function here: cached on disk, and NumPy's semantics for division by zero (inf or NaN,
#: no check and exception per division, which would also stop the compiler from vectorising).
_F = TypeVar("_F", bound=Callable[..., Any])


@overload
def _jit(func: _F, /) -> _F: ...
@overload
def _jit(**options: Any) -> Callable[[_F], _F]: ...
def _jit(func: Any = None, **options: Any) -> Any:
    """``numba.njit`` with the options above, bare (``@_jit``) or with more (``@_jit(inline="always")``).

    To the type checker a compiled function keeps its own signature.
    """
    decorate = functools.partial(njit, cache=True, error_model="numpy", **options)
    return decorate if func is None else decorate(func)


#: Numba's parallel range; to the type checker, a range.
prange = cast(Callable[[int], range], _numba_prange)


# ----------------------------------------------------------------------------------------------
# Element functions: (y, p, parameter) -> value or derivative; NaN or inf for an invalid input.
# ----------------------------------------------------------------------------------------------
@_jit(inline="always")
def _signed_label(y: float) -> tuple[float, int]:
    """A margin label as -1/+1 and its tag; NaN for a label outside {-1, 0, +1}.

    Written without branches (selects and bitwise operations on the comparisons): labels come
    in random order, and a branch on each would be mispredicted half the time.
    """
    one, zero, minus_one = y == 1.0, y == 0.0, y == -1.0
    s = 1.0 if one else -1.0
    tag = (TAG_ZERO if zero else 0) | (TAG_MINUS_ONE if minus_one else 0)
    return (s if one | zero | minus_one else _NAN), tag


#: Coefficients of atanh(s) / s = sum_j s^(2j) / (2j + 1), j = 0..16: for 0 <= s <= 1/3 the
#: terms left out are below 2e-17 of the sum.
_ATANH = tuple(1.0 / (2 * j + 1) for j in range(17))
# The same, highest first for Horner's scheme, as arrays: Numba freezes a global array into the
# code as a constant (a loop over a tuple is not unrolled, and was 8 times slower).
_ATANH_R = np.array(_ATANH[::-1])
_LOG_COSH_R = np.array(LOG_COSH_TAYLOR[::-1])

#: Samples per exp pass: the exps of a chunk go to a scratch array that stays in the L1 cache.
CHUNK = 512


@_jit(inline="always")
def _poly(reversed_coeffs: np.ndarray, x: float) -> float:
    """Horner's scheme, highest coefficient first (the loop unrolls: the array is a constant)."""
    t = 0.0
    for j in range(reversed_coeffs.size):
        t = t * x + reversed_coeffs[j]
    return t


# exp(x) for x <= 0 without libm: x = k ln 2 + r with |r| <= ln(2) / 2 (Cody and Waite's split of
# ln 2, so that k * _LN2_HI is exact), exp(r) by its Taylor polynomial of degree 13 (the terms
# left out are below 1e-17 of it), and 2^k from the bits of k. Pure arithmetic and integer
# operations, which the compiler vectorises: 1.4 ns per number here, where libm's exp takes 5 ns
# and cannot be vectorised. Within 1 ulp of libm's exp (tests/test_compiled.py).
_LOG2E = 1.4426950408889634
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_ROUND = 6755399441055744.0  # 1.5 * 2^52: x + _ROUND rounds x to an integer, kept in the low bits
_EXP_TAYLOR_R = np.array([1.0 / math.factorial(j) for j in range(14)][::-1])
_TWO_TO_MINUS_64 = 2.0**-64


@_jit(fastmath={"contract"})  # (fused multiply-adds in the polynomial; no other liberty)
def _exp_nonpositive(x: np.ndarray, m: int, t: np.ndarray, bits: np.ndarray) -> None:
    """x[:m] = exp(x[:m]) in place, for entries <= 0 or NaN (NaN stays NaN, below -745.5 gives 0);
    ``t`` and ``bits`` are scratch arrays of at least ``m`` numbers.

    Three loops so that each vectorises: the polynomial and the rounded exponent; the exponent's
    integer bits moved into a float's exponent field, as 2^(k + 64) (normal even where 2^k is
    not); and the product, scaled back by 2^-64 in one rounding.
    """
    for i in range(m):
        v = x[i]
        v = -745.5 if v < -745.5 else v
        rounded = v * _LOG2E + _ROUND
        k = rounded - _ROUND  # round(v / ln 2), exactly
        r = (v - k * _LN2_HI) - k * _LN2_LO
        x[i] = _poly(_EXP_TAYLOR_R, r)
        t[i] = rounded
    as_int = t.view(np.int64)  # the low bits of _ROUND + k hold k (two's complement)
    for i in range(m):
        bits[i] = (as_int[i] + (1023 + 64)) << 52
    scale = bits.view(np.float64)
    for i in range(m):
        x[i] = x[i] * scale[i] * _TWO_TO_MINUS_64


@_jit(inline="always")
def _log1p_unit(e: float) -> float:
    """log(1 + e) for -1/2 <= e <= 1 as 2 atanh(s), s = e / (2 + e), |s| <= 1/3: pure arithmetic,
    which the compiler vectorises, where libm's log1p takes 13 ns per number. Within 4 ulp of it."""
    s = e / (2.0 + e)
    return 2.0 * s * _poly(_ATANH_R, s * s)


# log(x) for positive normal x without libm: x = 2^e m with m in [sqrt(1/2), sqrt(2)), taken from
# the bits of x, and log(m) = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.172, by the series of
# _ATANH to s^21 (the terms left out are below 1e-18 of it); e ln 2 with Cody and Waite's split.
# As with the exp: integer and arithmetic operations only, which the compiler vectorises (2.2 ns
# per number here against libm's 4.7 ns); within 2 ulp of libm's log (tests/test_compiled.py).
_ATANH_NEAR_1_R = np.array(_ATANH[:11][::-1])
_MANTISSA = np.uint64((1 << 52) - 1)
_ONE_BITS = np.uint64(1023 << 52)  # the exponent field of 1.0: bits | _ONE_BITS is in [1, 2)
_TWO_52_BITS = np.uint64(0x433 << 52)  # of 2^52: bits | _TWO_52_BITS is 2^52 + the integer bits
_SQRT2 = math.sqrt(2.0)


@_jit(fastmath={"contract"})
def _log_normal(x: np.ndarray, m: int, exponent: np.ndarray, mantissa: np.ndarray) -> None:
    """x[:m] = log(x[:m]) in place, for positive normal finite entries (the kernels clip
    probabilities to [EPS, 1 - EPS] first); ``exponent`` and ``mantissa`` are scratch arrays of
    at least ``m`` numbers.

    Two loops, each vectorised: the exponent field (as the float 2^52 + its bits, since AVX2
    cannot convert 64-bit integers to floats) and the mantissa scaled to [1, 2); then the series.
    """
    bits = x.view(np.uint64)
    e_bits, m_bits = exponent.view(np.uint64), mantissa.view(np.uint64)
    for i in range(m):
        e_bits[i] = (bits[i] >> np.uint64(52)) | _TWO_52_BITS
        m_bits[i] = (bits[i] & _MANTISSA) | _ONE_BITS
    for i in range(m):
        v = mantissa[i]
        high = v > _SQRT2
        v = v * 0.5 if high else v
        k = (exponent[i] - (2.0**52 + 1023.0)) + (1.0 if high else 0.0)
        s = (v - 1.0) / (v + 1.0)
        x[i] = k * _LN2_HI + (k * _LN2_LO + 2.0 * s * _poly(_ATANH_NEAR_1_R, s * s))


@_jit
def _log1p_nonnegative(x: np.ndarray, m: int, out: np.ndarray, exponent: np.ndarray, mantissa: np.ndarray) -> None:
    """out[:m] = log1p(x[:m]) for finite x >= 0, vectorised: the atanh series up to 1, and
    :func:`_log_normal` of 1 + x beyond (where rounding 1 + x costs at most an ulp of the log)."""
    for i in range(m):
        out[i] = 1.0 + x[i]
    _log_normal(out, m, exponent, mantissa)
    for i in range(m):
        series = _log1p_unit(x[i])
        out[i] = series if x[i] <= 1.0 else out[i]


@_jit(inline="always")
def _clipped(p: float) -> float:
    """A probability clipped to [EPS, 1 - EPS], as the NumPy path's ``np.clip``."""
    return min(max(p, EPS), 1.0 - EPS)


@_jit(inline="always")
def _in_unit(x: float) -> bool:
    """0 <= x <= 1 (False for NaN), as one boolean expression rather than a chain of branches."""
    return (x >= 0.0) & (x <= 1.0)


@_jit(inline="always")
def _exp_argument(code: int, y: float, p: float) -> float:
    """The argument of the one exp a sample of ``code`` needs (a number <= 0, or NaN)."""
    if code == LOG_COSH:
        return -2.0 * abs(p - y)
    return -abs(p)  # binary cross-entropy with logits


@_jit(inline="always")
def element_value(code: int, y: float, p: float, a: float, e: float) -> tuple[float, int]:
    """The loss of one sample, and the label tag of the margin losses; ``e`` is what the chunk
    pass of :func:`_value_block` computed for the losses that need one: the exp of
    :func:`_exp_argument`."""
    if code == SQUARED_ERROR:
        r = p - y
        return r * r, 0
    if code == ABSOLUTE_ERROR:
        return abs(p - y), 0
    if code == HUBER:
        r = abs(p - y)
        m = min(r, a)
        return 0.5 * m * m + a * (r - m), 0
    if code == PSEUDO_HUBER:
        r = p - y
        if abs(r) < 1e150 and 1e-150 < a < 1e150:  # r^2 and a^2 neither overflow nor vanish
            s = r * r
            return a * s / (math.sqrt(a * a + s) + a), 0
        x = r / a  # sqrt(1 + x^2) - 1 = |x| to double precision beyond 1e150, where x * x
        # (which re-association may compute) would overflow; below, the value's own form
        if abs(x) > 1e150:
            return a * abs(r), 0
        return (a * a) * x * (x / (math.hypot(1.0, x) + 1.0)), 0
    if code == LOG_COSH:  # both forms, then a select: no branch on the data
        r = abs(p - y)
        series = r * r * _poly(_LOG_COSH_R, r * r)  # exact below 0.3, as log_cosh_total
        far = (r - LOG2) + _log1p_unit(e)  # (NaN and inf take this one)
        return (series if r < LOG_COSH_SERIES_BELOW else far), 0
    # Domain checks are selects at the end, not early returns: a branch in the loop would stop
    # the compiler from vectorising it.
    if code == RESIDUAL:
        return p - y, 0
    if code == PINBALL:
        u = y - p
        return max(a * u, (a - 1.0) * u), 0
    if code == BINARY_CROSS_ENTROPY_WITH_LOGITS:
        t = _log1p_unit(e)
        value = a * y * (max(-p, 0.0) + t) + (1.0 - y) * (max(p, 0.0) + t)
        return (value if _in_unit(y) else _NAN), 0
    # margin losses
    s, tag = _signed_label(y)
    h = max(1.0 - s * p, 0.0) + 0.0 * p  # (0 * p: NaN for an infinite score the hinge hides)
    return (h if code == HINGE else h * h), tag


@_jit(inline="always")
def element_grad(code: int, y: float, p: float, a: float, e: float) -> tuple[float, float, int]:
    """The derivative of one sample's loss, a witness term (0, or NaN/inf for an invalid
    input) and the label tag of the margin losses; ``e`` as for :func:`element_value`."""
    if code == SQUARED_ERROR:
        r = p - y
        return 2.0 * r, 0.0 * r, 0
    if code == ABSOLUTE_ERROR:
        r = p - y
        return (1.0 if r > 0.0 else 0.0) - (1.0 if r < 0.0 else 0.0), 0.0 * r, 0
    if code == HUBER:
        r = p - y
        return min(max(r, -a), a), 0.0 * r, 0
    if code == PSEUDO_HUBER:
        r = p - y
        if abs(r) < 1e150 and 1e-150 < a < 1e150:
            return a * r / math.sqrt(a * a + r * r), 0.0 * r, 0
        return r * (a / math.hypot(a, r)), 0.0 * r, 0  # as pseudo_huber_grad: r / a may overflow
    if code == PINBALL:
        r = p - y
        return (1.0 if r > 0.0 else 0.0) - (a if r != 0.0 else 0.0), 0.0 * r, 0
    if code == BINARY_CROSS_ENTROPY:
        q = _clipped(p)
        return (1.0 - y) / (1.0 - q) - a * y / q, (0.0 if _in_unit(y) & _in_unit(p) else _NAN), 0
    if code == BINARY_CROSS_ENTROPY_WITH_LOGITS:
        big, small = 1.0 / (1.0 + e), e / (1.0 + e)  # sigma(|z|), sigma(-|z|): no overflow, no cancelling
        up = big if p >= 0.0 else small
        down = small if p >= 0.0 else big
        return (1.0 - y) * up - a * y * down, (0.0 * p if _in_unit(y) else _NAN), 0
    s, tag = _signed_label(y)
    h = max(1.0 - s * p, 0.0)
    if code == HINGE:
        return (-s if s * p < 1.0 else 0.0), 0.0 * (s * p), tag
    return (-2.0 * s) * h, 0.0 * (s * p), tag


# ----------------------------------------------------------------------------------------------
# Element-wise kernels
# ----------------------------------------------------------------------------------------------
@_jit
def _n_blocks(n: int, size: int) -> int:
    return (n + size - 1) // size


@_jit
def _exps(code: int, y: np.ndarray, p: np.ndarray, e: np.ndarray, start: int, stop: int,
          scratch: np.ndarray, bits: np.ndarray) -> None:
    """e[i - start] = exp(_exp_argument(...)) over a chunk, for the losses that need an exp;
    nothing for the others. (A loop of its own: the loop of the rest of the formula then
    vectorises whatever the exp's loop does.)"""
    if code != BINARY_CROSS_ENTROPY_WITH_LOGITS and code != LOG_COSH:
        return
    for i in range(start, stop):
        e[i - start] = _exp_argument(code, y[i], p[i])
    _exp_nonpositive(e, stop - start, scratch, bits)


@_jit(inline="always")
def _value_block(code: int, y: np.ndarray, p: np.ndarray, a: float, lo: int, hi: int) -> tuple[float, int]:
    """Sum and label tags of the losses of samples lo to hi."""
    s, t = 0.0, 0
    e, scratch, bits = np.empty(CHUNK), np.empty(CHUNK), np.empty(CHUNK, np.int64)
    for start in range(lo, hi, CHUNK):
        stop = min(hi, start + CHUNK)
        _exps(code, y, p, e, start, stop, scratch, bits)
        for i in range(start, stop):
            value, tag = element_value(code, y[i], p[i], a, e[i - start])
            s += value
            t |= tag
    return s, t


@_jit(inline="always")
def _grad_block(code: int, y: np.ndarray, p: np.ndarray, a: float, g: np.ndarray, lo: int, hi: int) -> tuple[float, int]:
    """Derivatives of samples lo to hi into g, their witness and label tags."""
    w, t = 0.0, 0
    e, scratch, bits = np.empty(CHUNK), np.empty(CHUNK), np.empty(CHUNK, np.int64)
    for start in range(lo, hi, CHUNK):
        stop = min(hi, start + CHUNK)
        _exps(code, y, p, e, start, stop, scratch, bits)
        for i in range(start, stop):
            gi, wi, tag = element_grad(code, y[i], p[i], a, e[i - start])
            g[i] = gi
            # An overflowing derivative goes back to NumPy too, which warns. (A comparison, not
            # 0 * gi: re-association could turn 0 * (2 r) into (0 * 2) r.)
            w += wi if abs(gi) <= _MAX else _NAN
            t |= tag
    return w, t


# The kernels below branch once per block, to a block loop in which the loss's code is a
# constant: the compiler then specialises each loss's loop (and vectorises the simple ones),
# where one loop that switched on the code for every element ran 2-5 times slower.
@_jit(parallel=True, fastmath=_SUM)
def elementwise_sums(code: int, y: np.ndarray, p: np.ndarray, a: float) -> tuple[np.ndarray, np.ndarray]:
    """Sum of the losses per block of :data:`BLOCK` samples, and the label tags per block."""
    n = p.size
    nb = _n_blocks(n, BLOCK)
    sums, tags = np.empty(nb), np.zeros(nb, np.int64)
    for b in prange(nb):
        lo, hi = b * BLOCK, min(n, (b + 1) * BLOCK)
        if code == SQUARED_ERROR:
            sums[b], tags[b] = _value_block(SQUARED_ERROR, y, p, a, lo, hi)
        elif code == ABSOLUTE_ERROR:
            sums[b], tags[b] = _value_block(ABSOLUTE_ERROR, y, p, a, lo, hi)
        elif code == HUBER:
            sums[b], tags[b] = _value_block(HUBER, y, p, a, lo, hi)
        elif code == PSEUDO_HUBER:
            sums[b], tags[b] = _value_block(PSEUDO_HUBER, y, p, a, lo, hi)
        elif code == LOG_COSH:
            sums[b], tags[b] = _value_block(LOG_COSH, y, p, a, lo, hi)
        elif code == PINBALL:
            sums[b], tags[b] = _value_block(PINBALL, y, p, a, lo, hi)
        elif code == BINARY_CROSS_ENTROPY_WITH_LOGITS:
            sums[b], tags[b] = _value_block(BINARY_CROSS_ENTROPY_WITH_LOGITS, y, p, a, lo, hi)
        elif code == HINGE:
            sums[b], tags[b] = _value_block(HINGE, y, p, a, lo, hi)
        elif code == SQUARED_HINGE:
            sums[b], tags[b] = _value_block(SQUARED_HINGE, y, p, a, lo, hi)
        else:  # RESIDUAL
            sums[b], tags[b] = _value_block(RESIDUAL, y, p, a, lo, hi)
    return sums, tags


@_jit(parallel=True, fastmath=_SUM)
def elementwise_grad(code: int, y: np.ndarray, p: np.ndarray, a: float, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The derivatives into ``g``; the witness per block and the label tags per block."""
    n = p.size
    nb = _n_blocks(n, BLOCK)
    witness, tags = np.empty(nb), np.zeros(nb, np.int64)
    for b in prange(nb):
        lo, hi = b * BLOCK, min(n, (b + 1) * BLOCK)
        if code == SQUARED_ERROR:
            witness[b], tags[b] = _grad_block(SQUARED_ERROR, y, p, a, g, lo, hi)
        elif code == ABSOLUTE_ERROR:
            witness[b], tags[b] = _grad_block(ABSOLUTE_ERROR, y, p, a, g, lo, hi)
        elif code == HUBER:
            witness[b], tags[b] = _grad_block(HUBER, y, p, a, g, lo, hi)
        elif code == PSEUDO_HUBER:
            witness[b], tags[b] = _grad_block(PSEUDO_HUBER, y, p, a, g, lo, hi)
        elif code == PINBALL:
            witness[b], tags[b] = _grad_block(PINBALL, y, p, a, g, lo, hi)
        elif code == BINARY_CROSS_ENTROPY:
            witness[b], tags[b] = _grad_block(BINARY_CROSS_ENTROPY, y, p, a, g, lo, hi)
        elif code == BINARY_CROSS_ENTROPY_WITH_LOGITS:
            witness[b], tags[b] = _grad_block(BINARY_CROSS_ENTROPY_WITH_LOGITS, y, p, a, g, lo, hi)
        elif code == HINGE:
            witness[b], tags[b] = _grad_block(HINGE, y, p, a, g, lo, hi)
        else:  # SQUARED_HINGE
            witness[b], tags[b] = _grad_block(SQUARED_HINGE, y, p, a, g, lo, hi)
    return witness, tags


# ----------------------------------------------------------------------------------------------
# Row-wise kernels (multi-class)
# ----------------------------------------------------------------------------------------------
# How the row-wise kernels check that rows are distributions, as
# lossbook._validation.probability_rows_ok does (every entry in [0, 1], each row summing to 1
# within SIMPLEX_ATOL, NaN failing): the sum per row, the range per block, by a running minimum
# and maximum over the block's rows (NaN moves neither, and fails its row's sum). Two selects
# and an addition per entry: a comparison, a logical and and a branch per entry cost twice that.
@_jit(inline="always")
def _distribution_row(f: np.ndarray, start: int, k: int, ok: bool, low: float, high: float) -> tuple[bool, float, float]:
    """The row ``f[start:start + k]`` of a flattened (n, k) array checked: ``ok`` and-ed with
    whether it sums to 1 within SIMPLEX_ATOL (not for NaN), and ``low`` and ``high`` moved to
    its smallest and largest entries."""
    total = 0.0
    for j in range(start, start + k):
        v = f[j]
        low = v if v < low else low
        high = v if v > high else high
        total += v
    return ok & (abs(total - 1.0) <= SIMPLEX_ATOL), low, high


@_jit(inline="always")
def _within_unit(low: float, high: float) -> bool:
    """Whether a block's rows, whose running minimum and maximum (started at 0 and 1) are
    ``low`` and ``high``, hold only entries in [0, 1]."""
    return (low >= 0.0) & (high <= 1.0)


@_jit(fastmath=_SUM)
def _negated_sum(x: np.ndarray, m: int) -> float:
    """-(x[0] + ... + x[m - 1]), vectorised (re-associated: the order is fixed by the code, so the
    result does not depend on the thread count)."""
    s = 0.0
    for i in range(m):
        s += x[i]
    return -s


@_jit
def _softmax_chunk(z: np.ndarray, k: int, start: int, stop: int, x: np.ndarray, t: np.ndarray,
                   bits: np.ndarray, tops: np.ndarray, m: np.ndarray, rest: np.ndarray) -> bool:
    """For the rows start..stop of flattened (n, k) logits ``z``: x[(i - start) k + j] =
    exp(z_ij - max_i), m[i - start] = max_i, and rest[i - start] = the sum of the row's exps but
    its first maximum's 1 (so that log1p(rest) is exact for a confident row). False if a logit
    is NaN or infinite. ``t``, ``bits`` and ``tops`` are scratch arrays.

    The exps of all the rows at once, by :func:`_exp_nonpositive`: for rows of a few numbers its
    vector loops only pay off over many rows (softmax cross-entropy's cost at 10^6 rows of 10:
    77 ms with libm's exp row by row, 45 ms so). The row maximum is found without a branch per
    entry (random logits mispredict it)."""
    w = 0.0
    for i in range(start, stop):
        o, q = i * k, (i - start) * k
        best, top = z[o], 0
        for j in range(1, k):
            v = z[o + j]
            better = v > best
            best = v if better else best
            top = j if better else top
        m[i - start], tops[i - start] = best, top
        for j in range(k):
            x[q + j] = z[o + j] - best
            w += 0.0 * z[o + j]
    if w != 0.0:
        return False
    _exp_nonpositive(x, (stop - start) * k, t, bits)
    for i in range(start, stop):
        q, top = (i - start) * k, tops[i - start]
        r = 0.0
        for j in range(k):
            r += 0.0 if j == top else x[q + j]
        rest[i - start] = r
    return True


@_jit
def _categorical_cross_entropy_block(y: np.ndarray, p: np.ndarray, k: int, lo: int, hi: int) -> float:
    """The sum of the row losses of rows lo..hi of (n, k) targets and probabilities, flattened;
    NaN if one of those rows is not a distribution."""
    s = 0.0
    ok, low, high = True, 0.0, 1.0
    for i in range(lo, hi):
        ok, low, high = _distribution_row(y, i * k, k, ok, low, high)
        ok, low, high = _distribution_row(p, i * k, k, ok, low, high)
        for j in range(i * k, i * k + k):
            if y[j] > 0.0:  # a zero weight contributes exactly 0: no log
                s += y[j] * -math.log(_clipped(p[j]))
    return s if ok and _within_unit(low, high) else _NAN


@_jit
def _categorical_cross_entropy_grad_block(y: np.ndarray, p: np.ndarray, k: int, g: np.ndarray, lo: int, hi: int) -> bool:
    """-y / p (p clipped) into rows lo..hi of ``g`` (all flattened); False for a bad row."""
    ok, low, high = True, 0.0, 1.0
    for i in range(lo, hi):
        ok, low, high = _distribution_row(y, i * k, k, ok, low, high)
        ok, low, high = _distribution_row(p, i * k, k, ok, low, high)
        for j in range(i * k, i * k + k):
            g[j] = -(y[j] / _clipped(p[j]))
    return ok and _within_unit(low, high)


@_jit
def _softmax_scratch(k: int) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Rows per chunk of the softmax kernels, and the scratch arrays of :func:`_softmax_chunk`."""
    rows = max(1, CHUNK // k)
    size = rows * k
    return rows, np.empty(size), np.empty(size), np.empty(size, np.int64), np.empty(rows, np.int64), np.empty(rows), np.empty(rows)


@_jit
def _softmax_cross_entropy_block(y: np.ndarray, z: np.ndarray, k: int, a: float, lo: int, hi: int) -> float:
    """The sum of the row losses (label smoothing ``a``) of rows lo..hi of flattened (n, k)
    targets and logits, each lse - z_c = (m - z_c) + log1p(rest); NaN for a bad row."""
    rows, x, t, bits, tops, m, rest = _softmax_scratch(k)
    tail, u, v = np.empty(rows), np.empty(rows), np.empty(rows)
    s = 0.0
    ok, low, high = True, 0.0, 1.0
    for start in range(lo, hi, rows):
        stop = min(hi, start + rows)
        if not _softmax_chunk(z, k, start, stop, x, t, bits, tops, m, rest):
            return _NAN
        _log1p_nonnegative(rest, stop - start, tail, u, v)
        for i in range(start, stop):
            ok, low, high = _distribution_row(y, i * k, k, ok, low, high)
            mi, ti = m[i - start], tail[i - start]
            for j in range(i * k, i * k + k):
                s += ((1.0 - a) * y[j] + a / k) * ((mi - z[j]) + ti)
    return s if ok and _within_unit(low, high) else _NAN


@_jit(parallel=True)  # (no re-association here: the row formulas are written in order)
def simplex_sums(code: int, y: np.ndarray, p: np.ndarray, a: float) -> np.ndarray:
    """Block sums of the row losses of (n, k) targets on the simplex; NaN for a bad block."""
    n, k = p.shape
    rows = max(1, BLOCK // k)
    nb = _n_blocks(n, rows)
    sums = np.empty(nb)
    fy, fp = y.reshape(-1), p.reshape(-1)
    for b in prange(nb):
        lo, hi = b * rows, min(n, (b + 1) * rows)
        if code == CATEGORICAL_CROSS_ENTROPY:
            sums[b] = _categorical_cross_entropy_block(fy, fp, k, lo, hi)
        else:
            sums[b] = _softmax_cross_entropy_block(fy, fp, k, a, lo, hi)
    return sums


@_jit
def _softmax_cross_entropy_grad_block(y: np.ndarray, z: np.ndarray, k: int, a: float, g: np.ndarray, lo: int, hi: int) -> bool:
    """softmax(z_i) - smoothed y_i into rows lo..hi of ``g`` (all flattened); False for a bad row."""
    rows, x, t, bits, tops, m, rest = _softmax_scratch(k)
    ok, low, high = True, 0.0, 1.0
    for start in range(lo, hi, rows):
        stop = min(hi, start + rows)
        if not _softmax_chunk(z, k, start, stop, x, t, bits, tops, m, rest):
            return False
        for i in range(start, stop):
            ok, low, high = _distribution_row(y, i * k, k, ok, low, high)
            whole, q = 1.0 + rest[i - start], (i - start) * k
            for j in range(k):
                g[i * k + j] = x[q + j] / whole - ((1.0 - a) * y[i * k + j] + a / k)
    return ok and _within_unit(low, high)


@_jit(parallel=True)
def simplex_grad(code: int, y: np.ndarray, p: np.ndarray, a: float, g: np.ndarray) -> np.ndarray:
    """The (n, k) gradient of the row losses into ``g``, and a witness per block (0, or NaN)."""
    n, k = p.shape
    rows = max(1, BLOCK // k)
    nb = _n_blocks(n, rows)
    witness = np.zeros(nb)
    fy, fp, fg = y.reshape(-1), p.reshape(-1), g.reshape(-1)
    for b in prange(nb):
        lo, hi = b * rows, min(n, (b + 1) * rows)
        if code == CATEGORICAL_CROSS_ENTROPY:
            ok = _categorical_cross_entropy_grad_block(fy, fp, k, fg, lo, hi)
        else:
            ok = _softmax_cross_entropy_grad_block(fy, fp, k, a, fg, lo, hi)
        witness[b] = 0.0 if ok else _NAN
    return witness


@_jit
def _row_finite(z: np.ndarray) -> bool:
    w = 0.0
    for v in z:
        w += 0.0 * v
    return w == 0.0


@_jit
def _sparse_cross_entropy_block(y: np.ndarray, f: np.ndarray, k: int, lo: int, hi: int) -> float:
    """The sum of -log(p[i, y_i]) (clipped) over the rows lo..hi of the flattened (n, k)
    probabilities ``f``; NaN if one of those rows is not a distribution. The row check reads
    every entry, the loss one per row: the chosen entries are gathered, then their logs taken
    by :func:`_log_normal`, vectorised (libm's log would cost as much as the whole check)."""
    m = hi - lo
    q, scratch_e, scratch_m = np.empty(m), np.empty(m), np.empty(m)
    ok, low, high = True, 0.0, 1.0
    for i in range(lo, hi):
        ok, low, high = _distribution_row(f, i * k, k, ok, low, high)
        q[i - lo] = _clipped(f[i * k + y[i]])
    if not (ok and _within_unit(low, high)):
        return _NAN
    _log_normal(q, m, scratch_e, scratch_m)
    return _negated_sum(q, m)


@_jit(parallel=True)
def label_sums(code: int, y: np.ndarray, p: np.ndarray, a: float) -> np.ndarray:
    """Block sums of the row losses of integer labels (already in range) and (n, k) predictions."""
    n, k = p.shape
    rows = max(1, BLOCK // k)
    nb = _n_blocks(n, rows)
    sums = np.empty(nb)
    f = p.reshape(-1)
    for b in prange(nb):
        lo, hi = b * rows, min(n, (b + 1) * rows)
        sums[b] = _sparse_cross_entropy_block(y, f, k, lo, hi)  # (the one label loss with a cost kernel)
    return sums


@_jit(parallel=True)
def label_grad(code: int, y: np.ndarray, p: np.ndarray, a: float, g: np.ndarray) -> np.ndarray:
    """The (n, k) gradient of the row losses of integer labels into ``g`` (zeros on entry), and
    a witness per block."""
    n, k = p.shape
    rows = max(1, BLOCK // k)
    nb = _n_blocks(n, rows)
    witness = np.zeros(nb)
    f = p.reshape(-1)
    for b in prange(nb):
        lo, hi = b * rows, min(n, (b + 1) * rows)
        if code == SPARSE_CATEGORICAL_CROSS_ENTROPY:
            ok, low, high = True, 0.0, 1.0
            for i in range(lo, hi):
                ok, low, high = _distribution_row(f, i * k, k, ok, low, high)
                g[i, y[i]] = -1.0 / _clipped(f[i * k + y[i]])
            witness[b] = 0.0 if ok and _within_unit(low, high) else _NAN
            continue
        for i in range(lo, hi):
            c = y[i]
            if not _row_finite(p[i]):
                witness[b] = _NAN
                break
            best = -1
            for j in range(k):  # the first best wrong class, as np.argmax
                if j != c and (best < 0 or p[i, j] > p[i, best]):
                    best = j
            active = 1.0 if 1.0 + p[i, best] - p[i, c] > 0.0 else 0.0
            g[i, best] = active
            g[i, c] = -active  # -0.0 where inactive, as multiclass_hinge_grad
    return witness
