r"""Multi-class losses over :math:`k` classes.

Targets are either rows on the probability simplex (one-hot or soft labels, shape ``(n, k)``)
or integer labels in :math:`[0, k)` (shape ``(n,)``, the "sparse" form). Predictions are
``(n, k)``: probability rows, logits :math:`z` (with :math:`p = \operatorname{softmax}(z)`), or
scores. Each loss returns one value per row, shape ``(n,)``.
"""

from __future__ import annotations

import math

import numpy as np

from .. import _validation as v
from ..activations import log_softmax_unchecked, neg_log_softmax_unchecked
from ._base import EXACT_BELOW, Loss
from .binary import EPS
from .inputs import LABEL_PROBABILITY, LABEL_SCORE, SIMPLEX, SIMPLEX_LOGIT

Array = v.FloatArray


def _rows(n: int) -> np.ndarray:
    return np.arange(n)


# -- fast paths (the *_total and *_fast_grad functions, used by .cost and .grad) -------------------
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


def _neg_log_softmax_rows(z: Array) -> Array:
    """``activations.neg_log_softmax_unchecked(z)`` for a 2-D ``z``: the same operations, so the same
    numbers to the last bit, with fewer NumPy calls (fancy indexing for ``put_along_axis``)."""
    m = np.max(z, axis=1, keepdims=True)
    e = np.subtract(z, m)
    np.exp(e, out=e)
    e[_rows(z.shape[0]), np.argmax(z, axis=1)] = 0.0
    lse = np.log1p(np.sum(e, axis=1, keepdims=True))
    lse += m
    return np.subtract(lse, z, out=e)


# -- categorical cross-entropy on probabilities --------------------------------------------------
def categorical_cross_entropy_value(y_true: Array, y_pred: Array) -> Array:
    r"""Categorical cross-entropy :math:`\ell = -\sum_c y_c \log p_c` of probability rows.

    :math:`p` is clipped to :math:`[\varepsilon, 1 - \varepsilon]` like
    :func:`~lossbook.losses.binary.binary_cross_entropy_value`; classes with :math:`y_c = 0`
    contribute nothing.
    """
    # Weights times -log p (>= 0), so a perfect prediction gives +0.0, not -0.0.
    return np.einsum("ij,ij->i", y_true, -np.log(np.clip(y_pred, EPS, 1.0 - EPS)))


def categorical_cross_entropy_grad(y_true: Array, y_pred: Array) -> Array:
    r""":math:`\partial \ell / \partial p_c = -y_c / p_c` at the clipped :math:`p`."""
    return -y_true / np.clip(y_pred, EPS, 1.0 - EPS)


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


categorical_cross_entropy = Loss(
    name="categorical_cross_entropy",
    task="multiclass",
    formula=r"-\sum_c y_c\log p_c",
    convex=True,
    value=categorical_cross_entropy_value,
    grad=categorical_cross_entropy_grad,
    total=categorical_cross_entropy_total,
    fast_grad=categorical_cross_entropy_fast_grad,
    inputs=SIMPLEX,
    propagates_nonfinite=True,  # the rows are checked by categorical_cross_entropy_total
    summary="cross-entropy of probability rows; the categorical negative log-likelihood",
)


# -- softmax cross-entropy on logits ------------------------------------------------------------
def _smooth(y_true: Array, label_smoothing: float) -> Array:
    if label_smoothing == 0.0:
        return y_true
    k = y_true.shape[1]
    return (1.0 - label_smoothing) * y_true + label_smoothing / k


def softmax_cross_entropy_value(y_true: Array, y_pred: Array, label_smoothing: float = 0.0) -> Array:
    r"""Cross-entropy of logits :math:`z`, :math:`\ell = -\sum_c \tilde y_c \log\operatorname{softmax}(z)_c`.

    The log-softmax is :math:`z_c - \operatorname{logsumexp}(z)`, so no probability is formed
    and nothing overflows. With label smoothing :math:`\epsilon`, the target is
    :math:`\tilde y = (1 - \epsilon)\,y + \epsilon / k`, as in Keras and PyTorch.
    """
    return np.einsum("ij,ij->i", _smooth(y_true, label_smoothing), neg_log_softmax_unchecked(y_pred))


def softmax_cross_entropy_grad(y_true: Array, y_pred: Array, label_smoothing: float = 0.0) -> Array:
    r""":math:`\partial \ell / \partial z_c = \operatorname{softmax}(z)_c - \tilde y_c`: prediction minus target."""
    return np.exp(log_softmax_unchecked(y_pred)) - _smooth(y_true, label_smoothing)


def softmax_cross_entropy_fast_grad(y_true: Array, y_pred: Array, label_smoothing: float = 0.0) -> tuple[Array, float]:
    r""":func:`softmax_cross_entropy_grad` as :math:`e^{z - m} / \sum_j e^{z_j - m} - \tilde y`, :math:`m` the row maximum."""
    if not (v.probability_rows_ok(y_true) and _finite(y_pred)):
        return y_pred, math.nan
    if y_pred.size < EXACT_BELOW:
        return softmax_cross_entropy_grad(y_true, y_pred, label_smoothing), 0.0
    e = y_pred - _row_max(y_pred)[:, np.newaxis]
    np.exp(e, out=e)
    e /= v.row_sums(e)[:, np.newaxis]
    return np.subtract(e, _smooth(y_true, label_smoothing), out=e), 0.0


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
        y = _smooth(y_true, label_smoothing)
        return float(np.add.reduce(np.einsum("ij,ij->i", y, _neg_log_softmax_rows(y_pred))))
    m = _row_max(y_pred)
    if not _finite(m):  # a NaN or +inf logit (a -inf one makes a sum below infinite)
        return math.nan
    y = _smooth(y_true, label_smoothing)
    d = m[:, np.newaxis] - y_pred
    total = float(np.vdot(y, d))
    np.negative(d, out=d)
    e = np.exp(d, out=d)
    top = e == 1.0  # exp(0): the maximum, and any logit tied with it
    e -= top
    rest = v.row_sums(e) + (v.row_sums(top) - 1.0)
    return total + float(np.log1p(rest) @ v.row_sums(y))


softmax_cross_entropy = Loss(
    name="softmax_cross_entropy",
    task="multiclass",
    formula=r"-\sum_c y_c\log\frac{e^{z_c}}{\sum_j e^{z_j}}",
    convex=True,
    value=softmax_cross_entropy_value,
    grad=softmax_cross_entropy_grad,
    total=softmax_cross_entropy_total,
    fast_grad=softmax_cross_entropy_fast_grad,
    inputs=SIMPLEX_LOGIT,
    propagates_nonfinite=True,  # rows and logits are checked by softmax_cross_entropy_total
    params={"label_smoothing": (0.0, v.half_open_unit_interval)},
    summary="cross-entropy on logits via log-sum-exp; optional label smoothing",
)


# -- sparse categorical cross-entropy -----------------------------------------------------------
def sparse_categorical_cross_entropy_value(y_true: np.ndarray, y_pred: Array) -> Array:
    r"""Cross-entropy with integer labels: :math:`\ell = -\log p_{y}`, the probability of the true class.

    The same number as :func:`categorical_cross_entropy_value` on one-hot rows, without building
    them.
    """
    p = y_pred[_rows(y_pred.shape[0]), y_true]
    return -np.log(np.clip(p, EPS, 1.0 - EPS))


def sparse_categorical_cross_entropy_grad(y_true: np.ndarray, y_pred: Array) -> Array:
    r""":math:`\partial \ell / \partial p_c = -1/p_y` for :math:`c = y`, 0 for every other class."""
    rows = _rows(y_pred.shape[0])
    g = np.zeros_like(y_pred)
    g[rows, y_true] = -1.0 / np.clip(y_pred[rows, y_true], EPS, 1.0 - EPS)
    return g


def sparse_categorical_cross_entropy_fast_grad(y_true: np.ndarray, y_pred: Array) -> tuple[Array, float]:
    return sparse_categorical_cross_entropy_grad(y_true, y_pred), 0.0 if v.probability_rows_ok(y_pred) else math.nan


def sparse_categorical_cross_entropy_total(y_true: np.ndarray, y_pred: Array) -> float:
    r"""The sum of :func:`sparse_categorical_cross_entropy_value`, checking the rows of ``y_pred`` as it goes."""
    if not v.probability_rows_ok(y_pred):
        return math.nan
    q = y_pred[_rows(y_pred.shape[0]), y_true]
    np.maximum(q, EPS, out=q)
    np.minimum(q, 1.0 - EPS, out=q)
    return -float(np.add.reduce(np.log(q, out=q)))


sparse_categorical_cross_entropy = Loss(
    name="sparse_categorical_cross_entropy",
    task="multiclass",
    formula=r"-\log p_{y}",
    convex=True,
    value=sparse_categorical_cross_entropy_value,
    grad=sparse_categorical_cross_entropy_grad,
    total=sparse_categorical_cross_entropy_total,
    fast_grad=sparse_categorical_cross_entropy_fast_grad,
    inputs=LABEL_PROBABILITY,
    propagates_nonfinite=True,  # the rows are checked by sparse_categorical_cross_entropy_total
    summary="cross-entropy with integer labels",
)


# -- Crammer-Singer multi-class hinge -----------------------------------------------------------
def _runner_up(y_true: np.ndarray, y_pred: Array) -> tuple[np.ndarray, Array, Array]:
    """Index and score of the best wrong class, and the true class's score, per row."""
    rows = _rows(y_pred.shape[0])
    others = y_pred.copy()
    others[rows, y_true] = -np.inf
    best = np.argmax(others, axis=1)
    return best, others[rows, best], y_pred[rows, y_true]


def multiclass_hinge_value(y_true: np.ndarray, y_pred: Array) -> Array:
    r"""Crammer–Singer multi-class hinge :math:`\ell = \max\big(0,\ 1 + \max_{c \ne y} s_c - s_y\big)`.

    Zero once the true class's score beats every other class by a margin of at least 1.
    """
    _, runner_up, true_score = _runner_up(y_true, y_pred)
    return np.maximum(1.0 + runner_up - true_score, 0.0)


def multiclass_hinge_grad(y_true: np.ndarray, y_pred: Array) -> Array:
    r""":math:`+1` on the best wrong class and :math:`-1` on the true class where the margin is violated, else 0."""
    best, runner_up, true_score = _runner_up(y_true, y_pred)
    rows = _rows(y_pred.shape[0])
    active = (1.0 + runner_up - true_score > 0).astype(np.float64)
    g = np.zeros_like(y_pred)
    g[rows, best] = active
    g[rows, y_true] = -active
    return g


def multiclass_hinge_fast_grad(y_true: np.ndarray, y_pred: Array) -> tuple[Array, float]:
    witness = float(np.vdot(y_pred, y_pred))  # a score of -inf or NaN would not show in the gradient
    if not math.isfinite(witness):
        return y_pred, witness
    return multiclass_hinge_grad(y_true, y_pred), witness


def multiclass_hinge_total(y_true: np.ndarray, y_pred: Array) -> float:
    r"""The sum of :func:`multiclass_hinge_value`, with the best wrong class found column by column."""
    if not _finite(y_pred):  # a score of -inf, or +inf on the true class, would not show in the sum
        return math.nan
    rows = _rows(y_pred.shape[0])
    true_score = y_pred[rows, y_true]
    others = y_pred.copy()
    others[rows, y_true] = -np.inf
    margin = _row_max(others)
    margin += 1.0
    margin -= true_score
    return float(np.add.reduce(np.maximum(margin, 0.0, out=margin)))


def multiclass_hinge_kinks(y_true: np.ndarray, y_pred: Array) -> Array:
    """Distance from a kink: the margin at 0, or a tie between the two best wrong classes."""
    _, runner_up, true_score = _runner_up(y_true, y_pred)
    others = y_pred.copy()
    others[_rows(y_pred.shape[0]), y_true] = -np.inf
    top_two = np.sort(others, axis=1)[:, -2:]
    return np.minimum(np.abs(1.0 + runner_up - true_score), top_two[:, 1] - top_two[:, 0])


multiclass_hinge = Loss(
    name="multiclass_hinge",
    task="multiclass",
    formula=r"\max\left(0,\,1+\max_{c\neq y}s_c-s_y\right)",
    convex=True,
    value=multiclass_hinge_value,
    grad=multiclass_hinge_grad,
    total=multiclass_hinge_total,
    fast_grad=multiclass_hinge_fast_grad,
    inputs=LABEL_SCORE,
    kinks=multiclass_hinge_kinks,
    propagates_nonfinite=True,  # the scores are checked by multiclass_hinge_total
    summary="Crammer-Singer hinge: the true class must win by a margin of 1",
)
