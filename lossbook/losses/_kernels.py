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

Each loss is an integer code; the element functions switch on it. The switch is the same for
every element, so it costs a predictable branch, and one compiled kernel per input kind (cached
on disk by Numba) serves every loss of that kind.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from .._validation import SIMPLEX_ATOL
from .binary import EPS
from .regression import _LOG_COSH_SERIES_BELOW, _LOG_COSH_TAYLOR, _LOG2

#: Numbers per block of a sum (the unit of work of a thread, and of the exact final sum).
BLOCK = 1 << 14

# Codes of the element-wise losses (y_true and y_pred of shape (n,)).
SQUARED_ERROR, ABSOLUTE_ERROR, HUBER, PSEUDO_HUBER, LOG_COSH, SQUARED_LOG_ERROR, PINBALL = range(7)
BINARY_CROSS_ENTROPY, BINARY_CROSS_ENTROPY_WITH_LOGITS, HINGE, SQUARED_HINGE = range(7, 11)
# Codes of the row-wise losses: simplex targets (n, k), or integer labels (n,).
CATEGORICAL_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY = 0, 1
SPARSE_CATEGORICAL_CROSS_ENTROPY, MULTICLASS_HINGE = 0, 1

#: Bits of the label set of the margin losses: a label 0 was seen, a label -1 was seen.
TAG_ZERO, TAG_MINUS_ONE = 1, 2

#: Fast-math flags of the element-wise kernels: re-association only, which lets the compiler
#: vectorise the sums (and may move a last-bit rounding); NaN and infinity keep their meaning.
_SUM = {"reassoc"}
_NAN = math.nan
_C = _LOG_COSH_TAYLOR  # (a tuple of floats: a compile-time constant)


# ----------------------------------------------------------------------------------------------
# Element functions: (y, p, parameter) -> value or derivative; NaN or inf for an invalid input.
# ----------------------------------------------------------------------------------------------
@njit(cache=True)
def _signed_label(y: float) -> tuple[float, int]:
    """A margin label as -1/+1 and its tag; NaN for a label outside {-1, 0, +1}."""
    if y == 1.0:
        return 1.0, 0
    if y == 0.0:
        return -1.0, TAG_ZERO
    if y == -1.0:
        return -1.0, TAG_MINUS_ONE
    return _NAN, 0


@njit(cache=True)
def _log_cosh(a: float) -> float:
    if a < _LOG_COSH_SERIES_BELOW:  # Taylor series in a^2 (exact there), as log_cosh_total
        s = a * a
        t = _C[10]
        for j in range(9, -1, -1):
            t = t * s + _C[j]
        return t * s
    return (a - _LOG2) + math.log1p(math.exp(-2.0 * a))  # NaN and inf fall through to here


@njit(cache=True)
def _tanh(r: float) -> float:
    """tanh through one exp: (1 - e) / (1 + e) with e = exp(-2|r|), where 1 - e cannot cancel
    (|r| >= 0.55, e <= 1/3); closer to 0, libm's tanh. Within 2 ulp of it everywhere."""
    a = abs(r)
    if a < 0.55:
        return math.tanh(r)
    e = math.exp(-2.0 * a)
    return math.copysign((1.0 - e) / (1.0 + e), r)


@njit(cache=True)
def _sigmoid_pair(z: float) -> tuple[float, float]:
    """sigma(z) and sigma(-z) from one exp(-|z|), neither overflowing nor cancelling."""
    e = math.exp(-abs(z))
    big, small = 1.0 / (1.0 + e), e / (1.0 + e)
    return (big, small) if z >= 0.0 else (small, big)


@njit(cache=True, inline="always")
def element_value(code: int, y: float, p: float, a: float) -> tuple[float, int]:
    """The loss of one sample, and the label tag of the margin losses."""
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
        x = r / a  # the value's own form (and NaN for NaN)
        return (a * a) * x * (x / (math.hypot(1.0, x) + 1.0)), 0
    if code == LOG_COSH:
        return _log_cosh(abs(p - y)), 0
    if code == SQUARED_LOG_ERROR:
        if not (y > -1.0 and p > -1.0):
            return _NAN, 0
        d = math.log1p(p) - math.log1p(y)
        return d * d, 0
    if code == PINBALL:
        e = y - p
        return max(a * e, (a - 1.0) * e), 0
    if code == BINARY_CROSS_ENTROPY:
        if not (0.0 <= y <= 1.0 and 0.0 <= p <= 1.0):
            return _NAN, 0
        q = min(max(p, EPS), 1.0 - EPS)
        return -(a * y * math.log(q) + (1.0 - y) * math.log1p(-q)), 0
    if code == BINARY_CROSS_ENTROPY_WITH_LOGITS:
        if not 0.0 <= y <= 1.0:
            return _NAN, 0
        t = math.log1p(math.exp(-abs(p)))
        return a * y * (max(-p, 0.0) + t) + (1.0 - y) * (max(p, 0.0) + t), 0
    # margin losses
    s, tag = _signed_label(y)
    h = max(1.0 - s * p, 0.0) + 0.0 * p  # (0 * p: NaN for an infinite score the hinge hides)
    return (h if code == HINGE else h * h), tag


@njit(cache=True, inline="always")
def element_grad(code: int, y: float, p: float, a: float) -> tuple[float, float, int]:
    """The derivative of one sample's loss, a witness term (0, or NaN/inf for an invalid
    input) and the label tag of the margin losses."""
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
        return r / math.hypot(1.0, r / a), 0.0 * r, 0
    if code == LOG_COSH:
        r = p - y
        return _tanh(r), 0.0 * r, 0
    if code == SQUARED_LOG_ERROR:
        if not (y > -1.0 and p > -1.0):
            return _NAN, _NAN, 0
        d = math.log1p(p) - math.log1p(y)
        w = 0.0 * d
        return (2.0 * d / (1.0 + p) if w == 0.0 else d), w, 0
    if code == PINBALL:
        r = p - y
        return (1.0 if r > 0.0 else 0.0) - (a if r != 0.0 else 0.0), 0.0 * r, 0
    if code == BINARY_CROSS_ENTROPY:
        if not (0.0 <= y <= 1.0 and 0.0 <= p <= 1.0):
            return _NAN, _NAN, 0
        q = min(max(p, EPS), 1.0 - EPS)
        return (1.0 - y) / (1.0 - q) - a * y / q, 0.0, 0
    if code == BINARY_CROSS_ENTROPY_WITH_LOGITS:
        if not 0.0 <= y <= 1.0:
            return _NAN, _NAN, 0
        w = 0.0 * p
        if w != 0.0:
            return _NAN, w, 0
        up, down = _sigmoid_pair(p)
        return (1.0 - y) * up - a * y * down, w, 0
    s, tag = _signed_label(y)
    h = max(1.0 - s * p, 0.0)
    if code == HINGE:
        return (-s if s * p < 1.0 else 0.0), 0.0 * (s * p), tag
    return (-2.0 * s) * h, 0.0 * (s * p), tag


# ----------------------------------------------------------------------------------------------
# Element-wise kernels
# ----------------------------------------------------------------------------------------------
@njit(cache=True)
def _n_blocks(n: int, size: int) -> int:
    return (n + size - 1) // size


@njit(inline="always")
def _value_block(code: int, y: np.ndarray, p: np.ndarray, a: float, lo: int, hi: int) -> tuple[float, int]:
    s, t = 0.0, 0
    for i in range(lo, hi):
        value, tag = element_value(code, y[i], p[i], a)
        s += value
        t |= tag
    return s, t


@njit(inline="always")
def _grad_block(code: int, y: np.ndarray, p: np.ndarray, a: float, g: np.ndarray, lo: int, hi: int) -> tuple[float, int]:
    w, t = 0.0, 0
    for i in range(lo, hi):
        g[i], wi, tag = element_grad(code, y[i], p[i], a)
        w += wi
        t |= tag
    return w, t


# The kernels below branch once per block, to a block loop in which the loss's code is a
# constant: the compiler then specialises each loss's loop (and vectorises the simple ones),
# where one loop that switched on the code for every element ran 2-5 times slower.
@njit(parallel=True, fastmath=_SUM, cache=True)
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
        elif code == SQUARED_LOG_ERROR:
            sums[b], tags[b] = _value_block(SQUARED_LOG_ERROR, y, p, a, lo, hi)
        elif code == PINBALL:
            sums[b], tags[b] = _value_block(PINBALL, y, p, a, lo, hi)
        elif code == BINARY_CROSS_ENTROPY:
            sums[b], tags[b] = _value_block(BINARY_CROSS_ENTROPY, y, p, a, lo, hi)
        elif code == BINARY_CROSS_ENTROPY_WITH_LOGITS:
            sums[b], tags[b] = _value_block(BINARY_CROSS_ENTROPY_WITH_LOGITS, y, p, a, lo, hi)
        elif code == HINGE:
            sums[b], tags[b] = _value_block(HINGE, y, p, a, lo, hi)
        else:  # SQUARED_HINGE
            sums[b], tags[b] = _value_block(SQUARED_HINGE, y, p, a, lo, hi)
    return sums, tags


@njit(parallel=True, fastmath=_SUM, cache=True)
def elementwise_grad(code: int, y: np.ndarray, p: np.ndarray, a: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The derivatives, the witness per block and the label tags per block."""
    n = p.size
    nb = _n_blocks(n, BLOCK)
    g = np.empty(n)
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
        elif code == LOG_COSH:
            witness[b], tags[b] = _grad_block(LOG_COSH, y, p, a, g, lo, hi)
        elif code == SQUARED_LOG_ERROR:
            witness[b], tags[b] = _grad_block(SQUARED_LOG_ERROR, y, p, a, g, lo, hi)
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
    return g, witness, tags


# ----------------------------------------------------------------------------------------------
# Row-wise kernels (multi-class)
# ----------------------------------------------------------------------------------------------
@njit(cache=True)
def _probability_row_ok(x: np.ndarray) -> bool:
    """Entries in [0, 1] (NaN fails) summing to 1 within SIMPLEX_ATOL, as probability_rows_ok."""
    total = 0.0
    for v in x:
        if not 0.0 <= v <= 1.0:
            return False
        total += v
    return abs(total - 1.0) <= SIMPLEX_ATOL


@njit(cache=True)
def _clipped(p: float) -> float:
    return min(max(p, EPS), 1.0 - EPS)


@njit(cache=True)
def _softmax_row(z: np.ndarray, out: np.ndarray) -> tuple[float, float, int]:
    """exp(z - max) into ``out``; returns the row maximum, the sum of ``out`` but the first
    maximum's 1 (so that log1p of it is exact for a confident row) and that maximum's index."""
    top = 0
    for j in range(1, z.size):
        if z[j] > z[top]:
            top = j
    m = z[top]
    rest = 0.0
    for j in range(z.size):
        out[j] = math.exp(z[j] - m)
        if j != top:
            rest += out[j]
    return m, rest, top


@njit(cache=True)
def _row_finite(z: np.ndarray) -> bool:
    w = 0.0
    for v in z:
        w += 0.0 * v
    return w == 0.0


@njit(parallel=True, cache=True)  # (no re-association here: the row formulas are written in order)
def simplex_sums(code: int, y: np.ndarray, p: np.ndarray, a: float) -> np.ndarray:
    """Block sums of the row losses of (n, k) targets on the simplex; NaN for a bad block."""
    n, k = p.shape
    rows = max(1, BLOCK // k)
    nb = _n_blocks(n, rows)
    sums = np.empty(nb)
    for b in prange(nb):
        s = 0.0
        e = np.empty(k)
        for i in range(b * rows, min(n, (b + 1) * rows)):
            if not _probability_row_ok(y[i]):
                s = _NAN
                break
            if code == CATEGORICAL_CROSS_ENTROPY:
                if not _probability_row_ok(p[i]):
                    s = _NAN
                    break
                for j in range(k):
                    if y[i, j] > 0.0:  # a zero weight contributes exactly 0: no log
                        s += y[i, j] * -math.log(_clipped(p[i, j]))
            else:  # softmax cross-entropy: lse - z_c = (m - z_c) + log1p(rest)
                if not _row_finite(p[i]):
                    s = _NAN
                    break
                m, rest, _ = _softmax_row(p[i], e)
                tail = math.log1p(rest)
                for j in range(k):
                    t = (1.0 - a) * y[i, j] + a / k
                    s += t * ((m - p[i, j]) + tail)
        sums[b] = s
    return sums


@njit(parallel=True, cache=True)
def simplex_grad(code: int, y: np.ndarray, p: np.ndarray, a: float) -> tuple[np.ndarray, np.ndarray]:
    """The (n, k) gradient of the row losses, and a witness per block (0, or NaN)."""
    n, k = p.shape
    rows = max(1, BLOCK // k)
    nb = _n_blocks(n, rows)
    g = np.empty((n, k))
    witness = np.zeros(nb)
    for b in prange(nb):
        for i in range(b * rows, min(n, (b + 1) * rows)):
            if code == CATEGORICAL_CROSS_ENTROPY:
                if not (_probability_row_ok(y[i]) and _probability_row_ok(p[i])):
                    witness[b] = _NAN
                    break
                for j in range(k):
                    g[i, j] = -(y[i, j] / _clipped(p[i, j]))
            else:
                if not (_probability_row_ok(y[i]) and _row_finite(p[i])):
                    witness[b] = _NAN
                    break
                _, rest, _ = _softmax_row(p[i], g[i])
                total = 1.0 + rest
                for j in range(k):
                    g[i, j] = g[i, j] / total - ((1.0 - a) * y[i, j] + a / k)
    return g, witness


@njit(parallel=True, cache=True)
def label_sums(code: int, y: np.ndarray, p: np.ndarray, a: float) -> np.ndarray:
    """Block sums of the row losses of integer labels (already in range) and (n, k) predictions."""
    n, k = p.shape
    rows = max(1, BLOCK // k)
    nb = _n_blocks(n, rows)
    sums = np.empty(nb)
    for b in prange(nb):
        s = 0.0
        for i in range(b * rows, min(n, (b + 1) * rows)):
            c = y[i]
            if code == SPARSE_CATEGORICAL_CROSS_ENTROPY:
                if not _probability_row_ok(p[i]):
                    s = _NAN
                    break
                s += -math.log(_clipped(p[i, c]))
            else:  # multi-class hinge: max(0, 1 + best wrong score - true score)
                if not _row_finite(p[i]):
                    s = _NAN
                    break
                runner_up = -math.inf
                for j in range(k):
                    if j != c and p[i, j] > runner_up:
                        runner_up = p[i, j]
                s += max(1.0 + runner_up - p[i, c], 0.0)
        sums[b] = s
    return sums


@njit(parallel=True, cache=True)
def label_grad(code: int, y: np.ndarray, p: np.ndarray, a: float) -> tuple[np.ndarray, np.ndarray]:
    """The (n, k) gradient of the row losses of integer labels, and a witness per block."""
    n, k = p.shape
    rows = max(1, BLOCK // k)
    nb = _n_blocks(n, rows)
    g = np.zeros((n, k))
    witness = np.zeros(nb)
    for b in prange(nb):
        for i in range(b * rows, min(n, (b + 1) * rows)):
            c = y[i]
            if code == SPARSE_CATEGORICAL_CROSS_ENTROPY:
                if not _probability_row_ok(p[i]):
                    witness[b] = _NAN
                    break
                g[i, c] = -1.0 / _clipped(p[i, c])
            else:
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
    return g, witness
