r"""Compiled kernels (Numba) for the losses on large inputs: one pass, checks included, all cores.

This module imports Numba and is imported only by ``lossbook.losses._compiled``, and only
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

Each loss has its own kernels, built by a factory from the loss's element functions
(:func:`elementwise`: one sample at a time, with all of the loss's parameters as a tuple) or from
its block functions (:func:`rowwise`: a block of rows of a multi-class input); :data:`KERNELS`
lists them. A kernel exists only where it is at least 1.3 times faster than the NumPy path, both
natively and under emulated AVX2 (``python -m benchmarks.kernels``). The factory's kernels compile
on first use in each process (Numba cannot cache them on disk), about a second each; the helpers
they call are cached. How each choice was measured: ``benchmarks/README.md``, "The compiled
kernels".
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast, overload

import numpy as np
from numba import njit
from numba import prange as _numba_prange

from .._validation import SIMPLEX_ATOL
from ._compiled import TAG_MINUS_ONE, TAG_ZERO
from ._fast import LOG_COSH_SERIES_BELOW, LOG_COSH_TAYLOR
from .binary import EPS
from .regression import LOG2

#: Numbers per block of a sum (the unit of work of a thread, and of the exact final sum).
BLOCK = 1 << 14


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
def exp_nonpositive(x: np.ndarray, m: int, t: np.ndarray, bits: np.ndarray) -> None:
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
def log1p_unit(e: float) -> float:
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
def log_normal(x: np.ndarray, m: int, exponent: np.ndarray, mantissa: np.ndarray) -> None:
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
def log1p_nonnegative(x: np.ndarray, m: int, out: np.ndarray, exponent: np.ndarray, mantissa: np.ndarray) -> None:
    """out[:m] = log1p(x[:m]) for finite x >= 0, vectorised: the atanh series up to 1, and
    :func:`log_normal` of 1 + x beyond (where rounding 1 + x costs at most an ulp of the log)."""
    for i in range(m):
        out[i] = 1.0 + x[i]
    log_normal(out, m, exponent, mantissa)
    for i in range(m):
        series = log1p_unit(x[i])
        out[i] = series if x[i] <= 1.0 else out[i]


@_jit(inline="always")
def _clipped(p: float) -> float:
    """A probability clipped to [EPS, 1 - EPS], as the NumPy path's ``np.clip``."""
    return min(max(p, EPS), 1.0 - EPS)


@_jit(inline="always")
def _in_unit(x: float) -> bool:
    """0 <= x <= 1 (False for NaN), as one boolean expression rather than a chain of branches."""
    return (x >= 0.0) & (x <= 1.0)


# Per-loss element functions, (y, p, params, e) -> (value, tag) and (y, p, params, e) ->
# (derivative, witness term, tag): ``params`` is the tuple of the loss's parameters, in the order
# of its definition; ``e`` is what the chunk pass of the kernel computed for losses that need an
# exp (the exp of their ``exp_argument``), else 0. Domain checks are selects at the end, not early
# returns: a branch in the loop would stop the compiler from vectorising it. The tag is the label
# set of the margin losses (0 for the others).
@_jit(inline="always")
def _squared_error_value(y: float, p: float, params: tuple, e: float) -> tuple[float, int]:
    r = p - y
    return r * r, 0


@_jit(inline="always")
def _squared_error_grad(y: float, p: float, params: tuple, e: float) -> tuple[float, float, int]:
    r = p - y
    return 2.0 * r, 0.0 * r, 0


@_jit(inline="always")
def _absolute_error_value(y: float, p: float, params: tuple, e: float) -> tuple[float, int]:
    return abs(p - y), 0


@_jit(inline="always")
def _absolute_error_grad(y: float, p: float, params: tuple, e: float) -> tuple[float, float, int]:
    r = p - y
    return (1.0 if r > 0.0 else 0.0) - (1.0 if r < 0.0 else 0.0), 0.0 * r, 0


@_jit(inline="always")
def _huber_value(y: float, p: float, params: tuple, e: float) -> tuple[float, int]:
    delta = params[0]
    r = abs(p - y)
    m = min(r, delta)
    return 0.5 * m * m + delta * (r - m), 0


@_jit(inline="always")
def _huber_grad(y: float, p: float, params: tuple, e: float) -> tuple[float, float, int]:
    delta = params[0]
    r = p - y
    return min(max(r, -delta), delta), 0.0 * r, 0


@_jit(inline="always")
def _pseudo_huber_value(y: float, p: float, params: tuple, e: float) -> tuple[float, int]:
    delta = params[0]
    r = p - y
    if abs(r) < 1e150 and 1e-150 < delta < 1e150:  # r^2 and delta^2 neither overflow nor vanish
        s = r * r
        return delta * s / (math.sqrt(delta * delta + s) + delta), 0
    x = r / delta  # sqrt(1 + x^2) - 1 = |x| to double precision beyond 1e150, where x * x
    # (which re-association may compute) would overflow; below, the value's own form
    if abs(x) > 1e150:
        return delta * abs(r), 0
    return (delta * delta) * x * (x / (math.hypot(1.0, x) + 1.0)), 0


@_jit(inline="always")
def _pseudo_huber_grad(y: float, p: float, params: tuple, e: float) -> tuple[float, float, int]:
    delta = params[0]
    r = p - y
    if abs(r) < 1e150 and 1e-150 < delta < 1e150:
        return delta * r / math.sqrt(delta * delta + r * r), 0.0 * r, 0
    return r * (delta / math.hypot(delta, r)), 0.0 * r, 0  # as pseudo_huber_grad: r / delta may overflow


@_jit(inline="always")
def _log_cosh_exp_argument(y: float, p: float, params: tuple) -> float:
    return -2.0 * abs(p - y)


@_jit(inline="always")
def _log_cosh_value(y: float, p: float, params: tuple, e: float) -> tuple[float, int]:
    r = abs(p - y)  # both forms, then a select: no branch on the data
    series = r * r * _poly(_LOG_COSH_R, r * r)  # exact below 0.3, as log_cosh_total
    far = (r - LOG2) + log1p_unit(e)  # (NaN and inf take this one)
    return (series if r < LOG_COSH_SERIES_BELOW else far), 0


@_jit(inline="always")
def _residual_value(y: float, p: float, params: tuple, e: float) -> tuple[float, int]:
    return p - y, 0


@_jit(inline="always")
def _pinball_value(y: float, p: float, params: tuple, e: float) -> tuple[float, int]:
    quantile = params[0]
    u = y - p
    return max(quantile * u, (quantile - 1.0) * u), 0


@_jit(inline="always")
def _pinball_grad(y: float, p: float, params: tuple, e: float) -> tuple[float, float, int]:
    quantile = params[0]
    r = p - y
    return (1.0 if r > 0.0 else 0.0) - (quantile if r != 0.0 else 0.0), 0.0 * r, 0


@_jit(inline="always")
def _binary_cross_entropy_grad(y: float, p: float, params: tuple, e: float) -> tuple[float, float, int]:
    pos_weight = params[0]
    q = _clipped(p)
    return (1.0 - y) / (1.0 - q) - pos_weight * y / q, (0.0 if _in_unit(y) & _in_unit(p) else _NAN), 0


@_jit(inline="always")
def _logit_exp_argument(y: float, p: float, params: tuple) -> float:
    return -abs(p)


@_jit(inline="always")
def _binary_cross_entropy_with_logits_value(y: float, p: float, params: tuple, e: float) -> tuple[float, int]:
    pos_weight = params[0]
    t = log1p_unit(e)
    value = pos_weight * y * (max(-p, 0.0) + t) + (1.0 - y) * (max(p, 0.0) + t)
    return (value if _in_unit(y) else _NAN), 0


@_jit(inline="always")
def _binary_cross_entropy_with_logits_grad(y: float, p: float, params: tuple, e: float) -> tuple[float, float, int]:
    pos_weight = params[0]
    big, small = 1.0 / (1.0 + e), e / (1.0 + e)  # sigma(|z|), sigma(-|z|): no overflow, no cancelling
    up = big if p >= 0.0 else small
    down = small if p >= 0.0 else big
    return (1.0 - y) * up - pos_weight * y * down, (0.0 * p if _in_unit(y) else _NAN), 0


@_jit(inline="always")
def _hinge_value(y: float, p: float, params: tuple, e: float) -> tuple[float, int]:
    s, tag = _signed_label(y)
    return max(1.0 - s * p, 0.0) + 0.0 * p, tag  # (0 * p: NaN for an infinite score the hinge hides)


@_jit(inline="always")
def _hinge_grad(y: float, p: float, params: tuple, e: float) -> tuple[float, float, int]:
    s, tag = _signed_label(y)
    return (-s if s * p < 1.0 else 0.0), 0.0 * (s * p), tag


@_jit(inline="always")
def _squared_hinge_value(y: float, p: float, params: tuple, e: float) -> tuple[float, int]:
    s, tag = _signed_label(y)
    h = max(1.0 - s * p, 0.0) + 0.0 * p
    return h * h, tag


@_jit(inline="always")
def _squared_hinge_grad(y: float, p: float, params: tuple, e: float) -> tuple[float, float, int]:
    s, tag = _signed_label(y)
    return (-2.0 * s) * max(1.0 - s * p, 0.0), 0.0 * (s * p), tag


# ----------------------------------------------------------------------------------------------
# The factory of the element-wise kernels
# ----------------------------------------------------------------------------------------------
@_jit
def _n_blocks(n: int, size: int) -> int:
    return (n + size - 1) // size


@_jit
def _no_exp(y: float, p: float, params: tuple) -> float:
    return 0.0


@dataclass(frozen=True)
class Kernels:
    """The compiled cost and gradient of one loss (None where it has none: see :mod:`._compiled`).

    ``total(y, p, params) -> (block sums, block tags)`` and ``grad(y, p, params, g) -> (block
    witnesses, block tags)`` for element-wise losses; ``total(y, p, params) -> block sums`` and
    ``grad(y, p, params, g) -> block witnesses`` for the row-wise ones.
    """

    kind: str
    total: Callable[..., Any] | None = None
    grad: Callable[..., Any] | None = None


def elementwise(
    value: Callable[..., tuple[float, int]] | None = None,
    grad: Callable[..., tuple[float, float, int]] | None = None,
    exp_argument: Callable[..., float] | None = None,
) -> Kernels:
    """Compiled kernels for one element-wise loss, from its element functions.

    Each kernel makes one pass over the inputs in blocks of :data:`BLOCK` samples, spread over the
    cores; losses with an ``exp_argument`` first take the exps of a chunk of :data:`CHUNK`
    samples with :func:`exp_nonpositive` (a loop of its own, which vectorises; the loop of the
    rest of the formula then vectorises whatever it can). Sums are per block, a fixed partition:
    the results do not depend on the number of threads. Kernels compile on their first call
    (about a second each; Numba cannot cache a function made by a factory).
    """
    with_exp = exp_argument is not None
    argument = exp_argument if exp_argument is not None else _no_exp

    @njit(inline="always", error_model="numpy")
    def exps(y: np.ndarray, p: np.ndarray, params: tuple, e: np.ndarray, start: int, stop: int,
             scratch: np.ndarray, bits: np.ndarray) -> None:
        if with_exp:
            for i in range(start, stop):
                e[i - start] = argument(y[i], p[i], params)
            exp_nonpositive(e, stop - start, scratch, bits)

    total_kernel = grad_kernel = None
    if value is not None:
        value_of = value

        @njit(parallel=True, fastmath=_SUM, error_model="numpy")
        def total_kernel(y: np.ndarray, p: np.ndarray, params: tuple) -> tuple[np.ndarray, np.ndarray]:
            n = p.size
            nb = _n_blocks(n, BLOCK)
            sums, tags = np.empty(nb), np.zeros(nb, np.int64)
            for b in prange(nb):
                lo, hi = b * BLOCK, min(n, (b + 1) * BLOCK)
                s, t = 0.0, 0
                e, scratch, bits = np.zeros(CHUNK), np.empty(CHUNK), np.empty(CHUNK, np.int64)
                for start in range(lo, hi, CHUNK):
                    stop = min(hi, start + CHUNK)
                    exps(y, p, params, e, start, stop, scratch, bits)
                    for i in range(start, stop):
                        v, tag = value_of(y[i], p[i], params, e[i - start])
                        s += v
                        t |= tag
                sums[b], tags[b] = s, t
            return sums, tags

    if grad is not None:
        grad_of = grad

        @njit(parallel=True, fastmath=_SUM, error_model="numpy")
        def grad_kernel(y: np.ndarray, p: np.ndarray, params: tuple, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            n = p.size
            nb = _n_blocks(n, BLOCK)
            witness, tags = np.empty(nb), np.zeros(nb, np.int64)
            for b in prange(nb):
                lo, hi = b * BLOCK, min(n, (b + 1) * BLOCK)
                w, t = 0.0, 0
                e, scratch, bits = np.zeros(CHUNK), np.empty(CHUNK), np.empty(CHUNK, np.int64)
                for start in range(lo, hi, CHUNK):
                    stop = min(hi, start + CHUNK)
                    exps(y, p, params, e, start, stop, scratch, bits)
                    for i in range(start, stop):
                        gi, wi, tag = grad_of(y[i], p[i], params, e[i - start])
                        g[i] = gi
                        # An overflowing derivative goes back to NumPy too, which warns. (A
                        # comparison, not 0 * gi: re-association could turn 0 * (2 r) into (0 * 2) r.)
                        w += wi if abs(gi) <= _MAX else _NAN
                        t |= tag
                witness[b], tags[b] = w, t
            return witness, tags

    return Kernels("elementwise", total_kernel, grad_kernel)


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

    The exps of all the rows at once, by :func:`exp_nonpositive`: for rows of a few numbers its
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
    exp_nonpositive(x, (stop - start) * k, t, bits)
    for i in range(start, stop):
        q, top = (i - start) * k, tops[i - start]
        r = 0.0
        for j in range(k):
            r += 0.0 if j == top else x[q + j]
        rest[i - start] = r
    return True


@_jit
def _categorical_cross_entropy_block(y: np.ndarray, p: np.ndarray, k: int, params: tuple, lo: int, hi: int) -> float:
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
def _categorical_cross_entropy_grad_block(y: np.ndarray, p: np.ndarray, k: int, params: tuple, g: np.ndarray, lo: int, hi: int) -> bool:
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
def _softmax_cross_entropy_block(y: np.ndarray, z: np.ndarray, k: int, params: tuple, lo: int, hi: int) -> float:
    """The sum of the row losses (label smoothing ``a``) of rows lo..hi of flattened (n, k)
    targets and logits, each lse - z_c = (m - z_c) + log1p(rest); NaN for a bad row."""
    a = params[0]
    rows, x, t, bits, tops, m, rest = _softmax_scratch(k)
    tail, u, v = np.empty(rows), np.empty(rows), np.empty(rows)
    s = 0.0
    ok, low, high = True, 0.0, 1.0
    for start in range(lo, hi, rows):
        stop = min(hi, start + rows)
        if not _softmax_chunk(z, k, start, stop, x, t, bits, tops, m, rest):
            return _NAN
        log1p_nonnegative(rest, stop - start, tail, u, v)
        for i in range(start, stop):
            ok, low, high = _distribution_row(y, i * k, k, ok, low, high)
            mi, ti = m[i - start], tail[i - start]
            for j in range(i * k, i * k + k):
                s += ((1.0 - a) * y[j] + a / k) * ((mi - z[j]) + ti)
    return s if ok and _within_unit(low, high) else _NAN


@_jit
def _softmax_cross_entropy_grad_block(y: np.ndarray, z: np.ndarray, k: int, params: tuple, g: np.ndarray, lo: int, hi: int) -> bool:
    """softmax(z_i) - smoothed y_i into rows lo..hi of ``g`` (all flattened); False for a bad row."""
    a = params[0]
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


@_jit
def _row_finite(z: np.ndarray) -> bool:
    w = 0.0
    for v in z:
        w += 0.0 * v
    return w == 0.0


@_jit
def _sparse_cross_entropy_block(y: np.ndarray, f: np.ndarray, k: int, params: tuple, lo: int, hi: int) -> float:
    """The sum of -log(p[i, y_i]) (clipped) over the rows lo..hi of the flattened (n, k)
    probabilities ``f``; NaN if one of those rows is not a distribution. The row check reads
    every entry, the loss one per row: the chosen entries are gathered, then their logs taken
    by :func:`log_normal`, vectorised (libm's log would cost as much as the whole check)."""
    m = hi - lo
    q, scratch_e, scratch_m = np.empty(m), np.empty(m), np.empty(m)
    ok, low, high = True, 0.0, 1.0
    for i in range(lo, hi):
        ok, low, high = _distribution_row(f, i * k, k, ok, low, high)
        q[i - lo] = _clipped(f[i * k + y[i]])
    if not (ok and _within_unit(low, high)):
        return _NAN
    log_normal(q, m, scratch_e, scratch_m)
    return _negated_sum(q, m)


@_jit
def _sparse_cross_entropy_grad_block(y: np.ndarray, f: np.ndarray, k: int, params: tuple, g: np.ndarray, lo: int, hi: int) -> bool:
    """-1 / p[i, y_i] (clipped) into the rows lo..hi of the flattened ``g`` (zeros on entry);
    False if one of those rows is not a distribution."""
    ok, low, high = True, 0.0, 1.0
    for i in range(lo, hi):
        ok, low, high = _distribution_row(f, i * k, k, ok, low, high)
        g[i * k + y[i]] = -1.0 / _clipped(f[i * k + y[i]])
    return ok and _within_unit(low, high)


@_jit
def _multiclass_hinge_grad_block(y: np.ndarray, f: np.ndarray, k: int, params: tuple, g: np.ndarray, lo: int, hi: int) -> bool:
    """+1 on the best wrong class and -1 on the true one where the margin is violated, into the
    rows lo..hi of the flattened ``g`` (zeros on entry); False for a row with a non-finite score."""
    for i in range(lo, hi):
        c, o = y[i], i * k
        if not _row_finite(f[o:o + k]):
            return False
        best = -1
        for j in range(k):  # the first best wrong class, as np.argmax
            if j != c and (best < 0 or f[o + j] > f[o + best]):
                best = j
        active = 1.0 if 1.0 + f[o + best] - f[o + c] > 0.0 else 0.0
        g[o + best] = active
        g[o + c] = -active  # -0.0 where inactive, as multiclass_hinge_grad
    return True


# ----------------------------------------------------------------------------------------------
# The factory of the row-wise kernels
# ----------------------------------------------------------------------------------------------
def rowwise(
    total_block: Callable[..., float] | None = None,
    grad_block: Callable[..., bool] | None = None,
) -> Kernels:
    """Compiled kernels for one multi-class loss, from the functions of a block of rows.

    ``total_block(y, p, k, params, lo, hi)`` sums the losses of rows lo..hi (NaN for a bad row);
    ``grad_block(y, p, k, params, g, lo, hi)`` writes their gradient into ``g`` and says whether
    the rows were valid. ``p`` and ``g`` are flattened (n, k) arrays, ``y`` flattened targets or
    (n,) labels. Blocks of about :data:`BLOCK` numbers, spread over the cores; no re-association
    (the row formulas are written in order).
    """
    total_kernel = grad_kernel = None
    if total_block is not None:
        block_total = total_block

        @njit(parallel=True, error_model="numpy")
        def total_kernel(y: np.ndarray, p: np.ndarray, params: tuple) -> np.ndarray:
            n, k = p.shape
            rows = max(1, BLOCK // k)
            nb = _n_blocks(n, rows)
            sums = np.empty(nb)
            fy, fp = y.reshape(-1), p.reshape(-1)
            for b in prange(nb):
                sums[b] = block_total(fy, fp, k, params, b * rows, min(n, (b + 1) * rows))
            return sums

    if grad_block is not None:
        block_grad = grad_block

        @njit(parallel=True, error_model="numpy")
        def grad_kernel(y: np.ndarray, p: np.ndarray, params: tuple, g: np.ndarray) -> np.ndarray:
            n, k = p.shape
            rows = max(1, BLOCK // k)
            nb = _n_blocks(n, rows)
            witness = np.zeros(nb)
            fy, fp, fg = y.reshape(-1), p.reshape(-1), g.reshape(-1)
            for b in prange(nb):
                ok = block_grad(fy, fp, k, params, fg, b * rows, min(n, (b + 1) * rows))
                witness[b] = 0.0 if ok else _NAN
            return witness

    return Kernels("rowwise", total_kernel, grad_kernel)


# ----------------------------------------------------------------------------------------------
# Every kernel, by loss: only those that pay (see benchmarks/kernels.py and _compiled.METHODS)
# ----------------------------------------------------------------------------------------------
KERNELS: dict[str, Kernels] = {
    "mean_error": elementwise(_residual_value),
    "squared_error": elementwise(_squared_error_value, _squared_error_grad),
    "absolute_error": elementwise(_absolute_error_value, _absolute_error_grad),
    "huber": elementwise(_huber_value, _huber_grad),
    "pseudo_huber": elementwise(_pseudo_huber_value, _pseudo_huber_grad),
    "log_cosh": elementwise(_log_cosh_value, exp_argument=_log_cosh_exp_argument),
    "pinball": elementwise(_pinball_value, _pinball_grad),
    "binary_cross_entropy": elementwise(grad=_binary_cross_entropy_grad),
    "binary_cross_entropy_with_logits": elementwise(
        _binary_cross_entropy_with_logits_value, _binary_cross_entropy_with_logits_grad, _logit_exp_argument
    ),
    "hinge": elementwise(_hinge_value, _hinge_grad),
    "squared_hinge": elementwise(_squared_hinge_value, _squared_hinge_grad),
    "categorical_cross_entropy": rowwise(_categorical_cross_entropy_block, _categorical_cross_entropy_grad_block),
    "softmax_cross_entropy": rowwise(_softmax_cross_entropy_block, _softmax_cross_entropy_grad_block),
    "sparse_categorical_cross_entropy": rowwise(_sparse_cross_entropy_block, _sparse_cross_entropy_grad_block),
    "multiclass_hinge": rowwise(grad_block=_multiclass_hinge_grad_block),
}
