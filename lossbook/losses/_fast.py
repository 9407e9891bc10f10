r"""Speed-ups of the losses for large inputs: faster sums and gradients, the same numbers.

Nothing here is needed for a loss to work, and nothing here is shown in the book: each
loss is defined by its readable ``value`` and ``grad`` in its task's module. This module
gives some losses (see :meth:`Loss.speed_up <lossbook.losses.Loss.speed_up>`) a faster sum
for ``.cost`` and a faster gradient for ``.grad``, and says which losses propagate NaN and
infinity into their sums (so that an unweighted cost may skip a separate finiteness pass).
Deleting this module (and its import in ``lossbook/losses/__init__.py``) leaves every
result as it is, to rounding on large inputs, and every error message; only speed changes.

The contract of a fast function (checked by ``tests/test_performance.py``): it receives
arrays validated with ``strict=False`` (shapes checked, values not), gives the readable
function's numbers (to the last bit below ``lossbook.losses._base.EXACT_BELOW``
numbers), and returns NaN or infinity, as the sum or as the gradient's *witness*, whenever
an input might be invalid; :class:`~lossbook.losses.Loss` then runs the full checks.
"""

from __future__ import annotations

import math

import numpy as np

from .. import _validation as v
from ._base import EXACT_BELOW
from .binary import (
    EPS,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    focal_with_logits,
    focal_with_logits_grad,
    hinge,
    log1p_exp_neg_abs,
    squared_hinge,
)
from .multiclass import (
    categorical_cross_entropy,
    multiclass_hinge,
    multiclass_hinge_grad,
    neg_log_softmax_rows,
    row_indices,
    smoothed_targets,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
    sparse_categorical_cross_entropy,
    sparse_categorical_cross_entropy_grad,
)
from .regression import (
    LOG2,
    absolute_error,
    huber,
    log_cosh,
    log_cosh_value,
    pinball,
    poisson_deviance,
    poisson_deviance_grad,
    poisson_deviance_value,
    pseudo_huber,
    pseudo_huber_grad,
    pseudo_huber_value,
    squared_error,
    squared_log_error,
)

Array = v.FloatArray


# == regression losses =========================================================


# Fast gradients (used by .grad; see Loss): each returns the gradient and a witness, here r . r,
# which is NaN or infinite whenever an input is (or r overflows, which .grad then sorts out):
# one pass over the residual, in the cache, instead of a pass over each input.
def _residual(y_true: Array, y_pred: Array) -> tuple[Array, float]:
    r = y_pred - y_true
    return r, float(np.vdot(r, r))  # vdot: no warning on the way


def squared_error_total(y_true: Array, y_pred: Array) -> float:
    r""":math:`\sum_i r_i^2` as one dot product: one pass, one temporary."""
    r = y_pred - y_true
    return float(np.vdot(r, r))  # vdot: no overflow warning here, the cost recomputes if inf


def squared_error_fast_grad(y_true: Array, y_pred: Array) -> tuple[Array, float]:
    r, witness = _residual(y_true, y_pred)
    return np.multiply(r, 2.0, out=r), witness


def absolute_error_total(y_true: Array, y_pred: Array) -> float:
    r""":math:`\sum_i |r_i|` with a single temporary."""
    r = y_pred - y_true
    return float(np.abs(r, out=r).sum())


def absolute_error_fast_grad(y_true: Array, y_pred: Array) -> tuple[Array, float]:
    """:func:`absolute_error_grad` as ``(r > 0) - (r < 0)``: two comparisons beat ``np.sign`` several times."""
    r, witness = _residual(y_true, y_pred)
    return np.subtract(r > 0.0, r < 0.0, out=r, dtype=np.float64), witness


def huber_fast_grad(y_true: Array, y_pred: Array, delta: float = 1.0) -> tuple[Array, float]:
    r, witness = _residual(y_true, y_pred)
    return np.clip(r, -delta, delta, out=r), witness


def huber_total(y_true: Array, y_pred: Array, delta: float = 1.0) -> float:
    r"""The sum of :func:`huber_value` in two scratch arrays instead of eight.

    Large inputs sum the two pieces separately, :math:`\tfrac12 m \cdot m + \delta \sum (|r| - m)`
    with :math:`m = \min(|r|, \delta)`, in two fewer passes.
    """
    a = np.subtract(y_pred, y_true)
    np.abs(a, out=a)
    m = np.minimum(a, delta)
    a -= m
    if a.size >= EXACT_BELOW:
        return 0.5 * float(np.vdot(m, m)) + delta * float(np.add.reduce(a))
    a *= delta  # else the value's operations, to the last bit
    h = np.multiply(m, 0.5)
    h *= m
    return float(np.add.reduce(np.add(h, a, out=h)))


def pseudo_huber_fast_grad(y_true: Array, y_pred: Array, delta: float = 1.0) -> tuple[Array, float]:
    r""":func:`pseudo_huber_grad` as :math:`\delta r / \sqrt{\delta^2 + r^2}`, without the slow ``hypot``.

    Safe while neither square can overflow nor :math:`\delta^2` vanish; otherwise (rare) the
    witness is NaN and ``.grad`` falls back to :func:`pseudo_huber_grad`.
    """
    r, witness = _residual(y_true, y_pred)
    if not (witness < 1e300 and 1e-150 < delta < 1e150):
        return r, math.nan
    if r.size < EXACT_BELOW:
        return pseudo_huber_grad(y_true, y_pred, delta), witness
    d = np.multiply(r, r)
    d += delta * delta
    np.sqrt(d, out=d)
    r /= d
    return np.multiply(r, delta, out=r), witness


def pseudo_huber_total(y_true: Array, y_pred: Array, delta: float = 1.0) -> float:
    r"""The sum of the pseudo-Huber losses as :math:`\sum_i \delta r_i^2 / (\sqrt{\delta^2 + r_i^2} + \delta)`.

    The same value without ``hypot``, which is slow: :math:`r^2` only overflows for
    :math:`|r| > 10^{154}`, and one dot product :math:`\sum r^2` tells that it cannot (and that
    every input is finite); otherwise the result is NaN and the cost falls back to the value.
    """
    r = y_pred - y_true
    if not (np.vdot(r, r) < 1e300 and delta < 1e150):
        return math.nan
    if r.size < EXACT_BELOW:
        return float(np.add.reduce(pseudo_huber_value(y_true, y_pred, delta)))
    s = np.multiply(r, r, out=r)
    d = np.add(s, delta * delta)
    np.sqrt(d, out=d)
    d += delta
    return delta * float(np.add.reduce(np.divide(s, d, out=s)))


def log_cosh_fast_grad(y_true: Array, y_pred: Array) -> tuple[Array, float]:
    r, witness = _residual(y_true, y_pred)
    return np.tanh(r, out=r), witness


#: Taylor coefficients of log cosh a = sum_k c_k a^(2k), k = 1..11: below |a| = 0.3 the series
#: is exact to double precision (relative error < 1e-17), and above it the large-residual form
#: (a - log 2) + log1p(exp(-2a)) is within 2e-15 of log cosh a.
LOG_COSH_TAYLOR = (
    1 / 2, -1 / 12, 1 / 45, -17 / 2520, 31 / 14175, -691 / 935550, 10922 / 42567525,
    -929569 / 10216206000, 3202291 / 97692469875, -221930581 / 18561569276250,
    9444233042 / 2143861251406875,
)


LOG_COSH_SERIES_BELOW = 0.3


def log_cosh_total(y_true: Array, y_pred: Array) -> float:
    r"""The sum of the log-cosh losses, with one ``exp`` and one ``log1p`` per sample.

    :func:`log_cosh_value` is exact for small residuals through ``sinh`` on a masked subset,
    which costs more than the rest of the loss; here small residuals use the Taylor series of
    log cosh instead (:data:`LOG_COSH_TAYLOR`), gathered by index rather than by mask.
    """
    if y_pred.size < EXACT_BELOW:
        return float(np.add.reduce(log_cosh_value(y_true, y_pred)))
    a = np.subtract(y_pred, y_true)
    np.abs(a, out=a)
    small = np.flatnonzero(a < LOG_COSH_SERIES_BELOW)
    s = np.square(a[small])
    t = np.multiply(a, -2.0)
    np.exp(t, out=t)
    np.log1p(t, out=t)
    a -= LOG2
    t += a  # (a - log 2) + log1p(exp(-2a)), in the order that rounds least
    if small.size > 512:  # the series: 22 operations, each cheap per element
        series = np.full_like(s, LOG_COSH_TAYLOR[-1])
        for c in LOG_COSH_TAYLOR[-2::-1]:  # Horner's scheme in s = a^2
            series *= s
            series += c
        t[small] = series * s
    elif small.size:  # a few values: fewer calls, as in log_cosh_value
        h = np.sinh(0.5 * np.sqrt(s))
        t[small] = np.log1p(2.0 * h * h)
    return float(np.add.reduce(t))


def squared_log_error_fast_grad(y_true: Array, y_pred: Array) -> tuple[Array, float]:
    d = np.log1p(y_pred)
    d -= np.log1p(y_true)
    witness = float(np.vdot(d, d))  # +inf in an input makes d infinite: stop before inf / inf
    if not math.isfinite(witness):
        return d, witness
    d *= 2.0
    return np.divide(d, 1.0 + y_pred, out=d), witness


def pinball_fast_grad(y_true: Array, y_pred: Array, quantile: float = 0.5) -> tuple[Array, float]:
    """:func:`pinball_grad` without ``np.where``, slow on random signs: ``(r > 0) - q (r != 0)``."""
    r, witness = _residual(y_true, y_pred)
    g = np.multiply(r != 0.0, quantile)
    return np.subtract(r > 0.0, g, out=g), witness

# == binary losses =============================================================


def binary_cross_entropy_fast_grad(y_true: Array, y_pred: Array, pos_weight: float = 1.0) -> tuple[Array, float]:
    """:func:`binary_cross_entropy_grad` in two scratch arrays (the inputs are fully checked: witness 0)."""
    p = np.clip(y_pred, EPS, 1.0 - EPS)
    g = np.subtract(1.0, y_true)
    g /= np.subtract(1.0, p)
    np.divide(np.multiply(pos_weight, y_true), p, out=p)
    return np.subtract(g, p, out=g), 0.0


def binary_cross_entropy_total(y_true: Array, y_pred: Array, pos_weight: float = 1.0) -> float:
    """The sum of :func:`binary_cross_entropy_value`: the same operations in three scratch arrays."""
    q = np.clip(y_pred, EPS, 1.0 - EPS)
    positive = np.multiply(pos_weight, y_true)
    positive *= np.log(q)
    np.negative(q, out=q)
    np.log1p(q, out=q)
    q *= 1.0 - y_true
    positive += q
    return -float(np.add.reduce(positive))  # -(sum) = sum of the negated losses, exactly


def binary_cross_entropy_with_logits_fast_grad(y_true: Array, y_pred: Array, pos_weight: float = 1.0) -> tuple[Array, float]:
    r""":func:`binary_cross_entropy_with_logits_grad` with one ``exp`` and no ``np.where`` (slow on random signs).

    With :math:`b = \sigma(-|z|) = e^{-|z|} / (1 + e^{-|z|})`, :math:`\sigma(z) - y` is
    :math:`(1 - y) - b` for :math:`z \ge 0` and :math:`b - y` for :math:`z < 0`: that is
    :math:`([z \ge 0] - y) \mp b`, exact where :math:`\sigma(z)` rounds to 1 (at
    :math:`z = \pm 0` either side gives :math:`\tfrac12 - y`, as long as the sign of :math:`b`
    and the indicator agree). The witness
    :math:`\sum |z|` is infinite or NaN exactly when a logit is (or the sum overflows).
    """
    if pos_weight != 1.0 or y_pred.size < EXACT_BELOW:
        witness = float(np.vdot(y_pred, y_pred))  # (the readable form makes no warning on inf)
        return binary_cross_entropy_with_logits_grad(y_true, y_pred, pos_weight), witness
    b = np.abs(y_pred)
    witness = float(np.add.reduce(b))
    np.negative(b, out=b)
    np.exp(b, out=b)
    b /= b + 1.0
    np.copysign(b, -y_pred, out=b)  # -b where z >= +0.0, +b where z <= -0.0
    not_negative = np.signbit(y_pred)  # (the sign bit, not z >= 0: z = -0.0 is on the +b side)
    np.logical_not(not_negative, out=not_negative)
    b += np.subtract(not_negative, y_true)
    return b, witness


def binary_cross_entropy_with_logits_total(y_true: Array, y_pred: Array, pos_weight: float = 1.0) -> float:
    r"""The sum of :func:`binary_cross_entropy_with_logits_value` as three sums of non-negative terms.

    With :math:`t = \log(1 + e^{-|z|})`, the loss is :math:`(1 + (w_+ - 1) y)\,t +
    w_+ y \max(-z, 0) + (1 - y) \max(z, 0)`: each term is computed once, in place, nothing
    cancels, and a NaN or infinite logit makes the result NaN or infinite (its check is deferred).
    """
    if y_pred.size < EXACT_BELOW:  # the same operations as the value, in place
        if not math.isfinite(np.vdot(y_pred, y_pred)):
            return math.nan  # before 0 * inf could warn
        tail = log1p_exp_neg_abs(y_pred)
        positive = np.maximum(np.negative(y_pred), 0.0)
        positive += tail
        positive *= np.multiply(pos_weight, y_true)
        negative = np.maximum(y_pred, 0.0)
        negative += tail
        negative *= 1.0 - y_true
        return float(np.add.reduce(np.add(positive, negative, out=negative)))
    tail = log1p_exp_neg_abs(y_pred)
    part = np.maximum(y_pred, 0.0)
    total = float(np.vdot(1.0 - y_true, part))
    np.minimum(y_pred, 0.0, out=part)  # -max(-z, 0)
    total -= pos_weight * float(np.vdot(y_true, part))
    if pos_weight == 1.0:
        return total + float(np.add.reduce(tail))
    return total + float(np.vdot(1.0 + (pos_weight - 1.0) * y_true, tail))


def hinge_fast_grad(y_true: Array, y_pred: Array) -> tuple[Array, float]:
    """:func:`hinge_grad` without ``np.where``: ``0 - y [y s < 1]`` (0 - 0 is +0.0, as there)."""
    m = np.multiply(y_true, y_pred)
    witness = float(np.vdot(m, m))  # NaN or infinite when a score is
    np.multiply(y_true, m < 1.0, out=m)
    return np.subtract(0.0, m, out=m), witness


def _hinges(y_true: Array, y_pred: Array) -> tuple[Array, float]:
    """max(0, 1 - y s) in one scratch array, and a witness that is finite exactly when every score is.

    The margin losses' fast sums use it: a score of +inf with label +1 has hinge 0, so the sum of
    the hinges alone would hide it; the smallest 1 - y s does not (it is -inf), and NaN and -inf
    scores show in the sum itself.
    """
    h = np.multiply(y_true, y_pred)
    np.subtract(1.0, h, out=h)
    witness = np.minimum.reduce(h)
    return np.maximum(h, 0.0, out=h), witness


def hinge_total(y_true: Array, y_pred: Array) -> float:
    r""":math:`\sum_i \max(0, 1 - y_i s_i)`, or NaN if a score is not finite."""
    h, witness = _hinges(y_true, y_pred)
    return float(np.add.reduce(h)) if witness > -math.inf else math.nan


def squared_hinge_fast_grad(y_true: Array, y_pred: Array) -> tuple[Array, float]:
    h = np.multiply(y_true, y_pred)
    witness = float(np.vdot(h, h))
    np.subtract(1.0, h, out=h)
    np.maximum(h, 0.0, out=h)
    h *= y_true
    return np.multiply(h, -2.0, out=h), witness  # exact, and the same signed zeros as (-2 y) h


def squared_hinge_total(y_true: Array, y_pred: Array) -> float:
    r""":math:`\sum_i \max(0, 1 - y_i s_i)^2`, or NaN if a score is not finite."""
    h, witness = _hinges(y_true, y_pred)
    if not witness > -math.inf:
        return math.nan
    if h.size >= EXACT_BELOW:
        return float(np.vdot(h, h))  # one pass; small inputs: the value's operations, to the last bit
    return float(np.add.reduce(np.multiply(h, h, out=h)))

# == multiclass losses =========================================================


# Each receives arrays whose shapes are checked but whose values are not (the pair functions'
# strict=False), one block of rows at a time, and checks them itself while they are in the CPU
# cache, returning NaN (as the sum, or as the witness) when anything is off; the Loss then runs
# the full check, which raises with the message. Row reductions go column by column or through
# a matrix-vector product: with few classes, NumPy's reductions along a row of k numbers cost a
# loop iteration per row.
def _row_max(x: Array) -> Array:
    """The maximum of each row of a 2-D array."""
    if x.shape[0] < 1024:
        return x.max(axis=1)
    m = np.maximum(x[:, 0], x[:, 1])
    for j in range(2, x.shape[1]):
        np.maximum(m, x[:, j], out=m)
    return m


def _finite(x: Array) -> bool:
    """True when every entry of ``x`` is finite (or, rarely, when it is not sure: |x| > 1e154)."""
    return math.isfinite(np.vdot(x, x))


def categorical_cross_entropy_fast_grad(y_true: Array, y_pred: Array) -> tuple[Array, float]:
    ok = v.probability_rows_ok(y_true, y_pred)
    q = np.maximum(y_pred, EPS)
    np.minimum(q, 1.0 - EPS, out=q)
    np.divide(y_true, q, out=q)
    return np.negative(q, out=q), 0.0 if ok else math.nan


def categorical_cross_entropy_total(y_true: Array, y_pred: Array) -> float:
    r"""The sum of :func:`categorical_cross_entropy_value`, with a log only where :math:`y_c > 0`.

    Terms with :math:`y_c = 0` are exactly 0, so for one-hot targets only :math:`n` of the
    :math:`nk` logarithms are needed.
    """
    if not v.probability_rows_ok(y_true, y_pred):
        return math.nan
    if y_true.size < EXACT_BELOW:  # the value's operations, to the last bit, in fewer calls
        positive = y_true > 0.0
        if np.count_nonzero(positive) == y_true.shape[0]:  # one term per row: the row's sum is that term
            y, q = y_true[positive], np.maximum(y_pred[positive], EPS)  # (in row order)
        else:
            y, q = y_true, np.maximum(y_pred, EPS)
        np.minimum(q, 1.0 - EPS, out=q)
        np.log(q, out=q)
        np.negative(q, out=q)
        terms = np.multiply(y, q, out=q) if q.ndim == 1 else np.einsum("ij,ij->i", y, q)
        return float(np.add.reduce(terms))
    positive = y_true > 0.0  # (a boolean mask: quicker to scan than the floats)
    if 2 * np.count_nonzero(positive) > y_true.size:  # soft targets: all terms
        q, y = np.maximum(y_pred, EPS), y_true
    else:
        where = np.flatnonzero(positive)
        q, y = np.maximum(np.take(y_pred, where), EPS), np.take(y_true, where)
    np.minimum(q, 1.0 - EPS, out=q)  # the clip to [eps, 1 - eps] in two calls: less overhead than np.clip
    np.log(q, out=q)
    return float(np.vdot(y, np.negative(q, out=q)))


def softmax_cross_entropy_fast_grad(y_true: Array, y_pred: Array, label_smoothing: float = 0.0) -> tuple[Array, float]:
    r""":func:`softmax_cross_entropy_grad` as :math:`e^{z - m} / \sum_j e^{z_j - m} - \tilde y`, :math:`m` the row maximum."""
    if not (v.probability_rows_ok(y_true) and _finite(y_pred)):
        return y_pred, math.nan
    if y_pred.size < EXACT_BELOW:
        return softmax_cross_entropy_grad(y_true, y_pred, label_smoothing), 0.0
    e = y_pred - _row_max(y_pred)[:, np.newaxis]
    np.exp(e, out=e)
    e /= v.row_sums(e)[:, np.newaxis]
    return np.subtract(e, smoothed_targets(y_true, label_smoothing), out=e), 0.0


def softmax_cross_entropy_total(y_true: Array, y_pred: Array, label_smoothing: float = 0.0) -> float:
    r"""The sum of :func:`softmax_cross_entropy_value` as two sums of non-negative terms.

    With :math:`m` the row maximum, :math:`\operatorname{logsumexp}(z) - z_c = (m - z_c) +
    \log(1 + \rho)`, where :math:`\rho` sums :math:`e^{z_j - m}` over every term but the one
    that is exactly 1: so the total is :math:`\sum \tilde y \cdot (m - z) + \sum_i \log(1 +
    \rho_i) \sum_c \tilde y_{ic}`, exact for a confident, correct prediction.
    """
    if not v.probability_rows_ok(y_true):
        return math.nan
    if y_pred.size < EXACT_BELOW:  # the value's operations (the same bits), in fewer calls
        if not _finite(y_pred):
            return math.nan
        y = smoothed_targets(y_true, label_smoothing)
        return float(np.add.reduce(np.einsum("ij,ij->i", y, neg_log_softmax_rows(y_pred))))
    m = _row_max(y_pred)
    if not _finite(m):  # a NaN or +inf logit (a -inf one makes a sum below infinite)
        return math.nan
    y = smoothed_targets(y_true, label_smoothing)
    d = m[:, np.newaxis] - y_pred
    total = float(np.vdot(y, d))
    np.negative(d, out=d)
    e = np.exp(d, out=d)
    top = e == 1.0  # exp(0): the maximum, and any logit tied with it
    e -= top
    rest = v.row_sums(e) + (v.row_sums(top) - 1.0)
    return total + float(np.log1p(rest) @ v.row_sums(y))


def sparse_categorical_cross_entropy_fast_grad(y_true: np.ndarray, y_pred: Array) -> tuple[Array, float]:
    return sparse_categorical_cross_entropy_grad(y_true, y_pred), 0.0 if v.probability_rows_ok(y_pred) else math.nan


def sparse_categorical_cross_entropy_total(y_true: np.ndarray, y_pred: Array) -> float:
    r"""The sum of :func:`sparse_categorical_cross_entropy_value`, checking the rows of ``y_pred`` as it goes."""
    if not v.probability_rows_ok(y_pred):
        return math.nan
    q = y_pred[row_indices(y_pred.shape[0]), y_true]
    np.maximum(q, EPS, out=q)
    np.minimum(q, 1.0 - EPS, out=q)
    return -float(np.add.reduce(np.log(q, out=q)))


def multiclass_hinge_fast_grad(y_true: np.ndarray, y_pred: Array) -> tuple[Array, float]:
    witness = float(np.vdot(y_pred, y_pred))  # a score of -inf or NaN would not show in the gradient
    if not math.isfinite(witness):
        return y_pred, witness
    return multiclass_hinge_grad(y_true, y_pred), witness


def multiclass_hinge_total(y_true: np.ndarray, y_pred: Array) -> float:
    r"""The sum of :func:`multiclass_hinge_value`, with the best wrong class found column by column."""
    if not _finite(y_pred):  # a score of -inf, or +inf on the true class, would not show in the sum
        return math.nan
    rows = row_indices(y_pred.shape[0])
    true_score = y_pred[rows, y_true]
    others = y_pred.copy()
    others[rows, y_true] = -np.inf
    margin = _row_max(others)
    margin += 1.0
    margin -= true_score
    return float(np.add.reduce(np.maximum(margin, 0.0, out=margin)))



def poisson_deviance_total(y_true: Array, y_pred: Array) -> float:
    """The sum of :func:`~lossbook.losses.regression.poisson_deviance_value` in two scratch arrays.

    ``log(max(y, tiny))`` in place of the value's ``where``: at y = 0 the term is
    0 * (log tiny - log y_pred) = 0, as there. NaN or inf in an input make the sum NaN or inf.
    """
    # Inputs are not yet checked for NaN and inf, which may pass through log and warn before the
    # cost's full check names them: no warnings here (the non-finite sum is the signal).
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if y_pred.size < EXACT_BELOW:
            return float(np.add.reduce(poisson_deviance_value(y_true, y_pred)))
        t = np.maximum(y_true, 1e-300)
        np.log(t, out=t)
        t -= np.log(y_pred)
        t *= y_true
        t -= y_true
        t += y_pred
        return 2.0 * float(np.add.reduce(t))


def poisson_deviance_fast_grad(y_true: Array, y_pred: Array) -> tuple[Array, float]:
    """:func:`~lossbook.losses.regression.poisson_deviance_grad` in place, with a witness that is NaN
    or infinite whenever a target or a prediction is (the validator checked their signs)."""
    if y_pred.size < EXACT_BELOW:
        return poisson_deviance_grad(y_true, y_pred), float(np.vdot(y_pred, y_pred) + np.vdot(y_true, y_true))
    g = np.divide(y_true, y_pred)
    witness = float(np.vdot(g, y_pred))  # sum of y, or NaN/inf: 0 * inf, NaN and inf all show
    g *= -2.0
    g += 2.0
    return g, witness


def focal_with_logits_fast_grad(
    y_true: Array, y_pred: Array, gamma: float = 2.0, alpha: float | None = None
) -> tuple[Array, float]:
    r""":func:`~lossbook.losses.binary.focal_with_logits_grad` with one ``log1p(exp(-|z|))`` shared by
    both softplus terms and :math:`\sigma(\pm z) = e^{-\operatorname{softplus}(\mp z)}` instead of
    the sigmoid's ``where`` (equal to a few ulp of the softplus). Small inputs take the readable
    function, to the last bit."""
    witness = float(np.vdot(y_pred, y_pred))  # NaN or inf when a logit is
    if not math.isfinite(witness):
        return y_pred, witness  # the full check names the logit (or, for an overflow, grad decides)
    if y_pred.size < EXACT_BELOW:
        return focal_with_logits_grad(y_true, y_pred, gamma, alpha), witness
    a_pos, a_neg = (1.0, 1.0) if alpha is None else (alpha, 1.0 - alpha)
    t = log1p_exp_neg_abs(y_pred)
    sp_pos = np.maximum(y_pred, 0.0)
    sp_pos += t  # softplus(z) = -log(1 - p)
    sp_neg = np.minimum(y_pred, 0.0)
    np.subtract(t, sp_neg, out=sp_neg)  # softplus(-z) = -log p
    p, q = np.exp(-sp_neg), np.exp(-sp_pos)  # sigma(z), sigma(-z)
    positive = np.exp(-gamma * sp_pos)
    positive *= gamma * p * sp_neg + q
    positive *= a_pos * y_true
    negative = np.exp(-gamma * sp_neg)
    negative *= gamma * q * sp_pos + p
    negative *= a_neg * (1.0 - y_true)
    negative -= positive
    return negative, witness



# == which loss gets which speed-up ========================================================
squared_error.speed_up(total=squared_error_total, fast_grad=squared_error_fast_grad, propagates_nonfinite=True)
absolute_error.speed_up(total=absolute_error_total, fast_grad=absolute_error_fast_grad, propagates_nonfinite=True)
huber.speed_up(total=huber_total, fast_grad=huber_fast_grad, propagates_nonfinite=True)
pseudo_huber.speed_up(total=pseudo_huber_total, fast_grad=pseudo_huber_fast_grad, propagates_nonfinite=True)
log_cosh.speed_up(total=log_cosh_total, fast_grad=log_cosh_fast_grad, propagates_nonfinite=True)
squared_log_error.speed_up(fast_grad=squared_log_error_fast_grad, propagates_nonfinite=True)
pinball.speed_up(fast_grad=pinball_fast_grad, propagates_nonfinite=True)
poisson_deviance.speed_up(total=poisson_deviance_total, fast_grad=poisson_deviance_fast_grad, propagates_nonfinite=True)
binary_cross_entropy.speed_up(total=binary_cross_entropy_total, fast_grad=binary_cross_entropy_fast_grad)
binary_cross_entropy_with_logits.speed_up(
    total=binary_cross_entropy_with_logits_total, fast_grad=binary_cross_entropy_with_logits_fast_grad,
    propagates_nonfinite=True,
)
focal_with_logits.speed_up(fast_grad=focal_with_logits_fast_grad)
hinge.speed_up(total=hinge_total, fast_grad=hinge_fast_grad, propagates_nonfinite=True)
squared_hinge.speed_up(total=squared_hinge_total, fast_grad=squared_hinge_fast_grad, propagates_nonfinite=True)
categorical_cross_entropy.speed_up(
    total=categorical_cross_entropy_total, fast_grad=categorical_cross_entropy_fast_grad, propagates_nonfinite=True
)
softmax_cross_entropy.speed_up(
    total=softmax_cross_entropy_total, fast_grad=softmax_cross_entropy_fast_grad, propagates_nonfinite=True
)
sparse_categorical_cross_entropy.speed_up(
    total=sparse_categorical_cross_entropy_total, fast_grad=sparse_categorical_cross_entropy_fast_grad,
    propagates_nonfinite=True,
)
multiclass_hinge.speed_up(total=multiclass_hinge_total, fast_grad=multiclass_hinge_fast_grad, propagates_nonfinite=True)
