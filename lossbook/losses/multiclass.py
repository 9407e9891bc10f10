r"""Multi-class losses over :math:`k` classes.

Targets are either rows on the probability simplex (one-hot or soft labels, shape ``(n, k)``)
or integer labels in :math:`[0, k)` (shape ``(n,)``, the "sparse" form). Predictions are
``(n, k)``: probability rows, logits :math:`z` (with :math:`p = \operatorname{softmax}(z)`), or
scores. Each loss returns one value per row, shape ``(n,)``.
"""

from __future__ import annotations

import numpy as np

from .. import _validation as v
from ..activations import log_softmax_unchecked, neg_log_softmax_unchecked
from ._base import Loss
from .binary import EPS
from .inputs import LABEL_PROBABILITY, LABEL_SCORE, SIMPLEX, SIMPLEX_LOGIT

Array = v.FloatArray


def row_indices(n: int) -> np.ndarray:
    return np.arange(n)


# -- fast paths (the *_total and *_fast_grad functions, used by .cost and .grad) -------------------


def neg_log_softmax_rows(z: Array) -> Array:
    """``activations.neg_log_softmax_unchecked(z)`` for a 2-D ``z``: the same operations, so the same
    numbers to the last bit, with fewer NumPy calls (fancy indexing for ``put_along_axis``)."""
    m = np.max(z, axis=1, keepdims=True)
    e = np.subtract(z, m)
    np.exp(e, out=e)
    e[row_indices(z.shape[0]), np.argmax(z, axis=1)] = 0.0
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


categorical_cross_entropy = Loss(
    name="categorical_cross_entropy",
    task="multiclass",
    formula=r"-\sum_c y_c\log p_c",
    convex=True,
    value=categorical_cross_entropy_value,
    grad=categorical_cross_entropy_grad,
    inputs=SIMPLEX,
    summary="cross-entropy of probability rows; the categorical negative log-likelihood",
)


# -- softmax cross-entropy on logits ------------------------------------------------------------
def smoothed_targets(y_true: Array, label_smoothing: float) -> Array:
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
    return np.einsum("ij,ij->i", smoothed_targets(y_true, label_smoothing), neg_log_softmax_unchecked(y_pred))


def softmax_cross_entropy_grad(y_true: Array, y_pred: Array, label_smoothing: float = 0.0) -> Array:
    r""":math:`\partial \ell / \partial z_c = \operatorname{softmax}(z)_c - \tilde y_c`: prediction minus target."""
    return np.exp(log_softmax_unchecked(y_pred)) - smoothed_targets(y_true, label_smoothing)


softmax_cross_entropy = Loss(
    name="softmax_cross_entropy",
    task="multiclass",
    formula=r"-\sum_c y_c\log\frac{e^{z_c}}{\sum_j e^{z_j}}",
    convex=True,
    value=softmax_cross_entropy_value,
    grad=softmax_cross_entropy_grad,
    inputs=SIMPLEX_LOGIT,
    params={"label_smoothing": (0.0, v.half_open_unit_interval)},
    summary="cross-entropy on logits via log-sum-exp; optional label smoothing",
)


# -- sparse categorical cross-entropy -----------------------------------------------------------
def sparse_categorical_cross_entropy_value(y_true: np.ndarray, y_pred: Array) -> Array:
    r"""Cross-entropy with integer labels: :math:`\ell = -\log p_{y}`, the probability of the true class.

    The same number as :func:`~lossbook.losses.multiclass.categorical_cross_entropy_value` on one-hot rows, without building
    them.
    """
    p = y_pred[row_indices(y_pred.shape[0]), y_true]
    return -np.log(np.clip(p, EPS, 1.0 - EPS))


def sparse_categorical_cross_entropy_grad(y_true: np.ndarray, y_pred: Array) -> Array:
    r""":math:`\partial \ell / \partial p_c = -1/p_y` for :math:`c = y`, 0 for every other class."""
    rows = row_indices(y_pred.shape[0])
    g = np.zeros_like(y_pred)
    g[rows, y_true] = -1.0 / np.clip(y_pred[rows, y_true], EPS, 1.0 - EPS)
    return g


sparse_categorical_cross_entropy = Loss(
    name="sparse_categorical_cross_entropy",
    task="multiclass",
    formula=r"-\log p_{y}",
    convex=True,
    value=sparse_categorical_cross_entropy_value,
    grad=sparse_categorical_cross_entropy_grad,
    inputs=LABEL_PROBABILITY,
    summary="cross-entropy with integer labels",
)


# -- Crammer-Singer multi-class hinge -----------------------------------------------------------
def _runner_up(y_true: np.ndarray, y_pred: Array) -> tuple[np.ndarray, Array, Array]:
    """Index and score of the best wrong class, and the true class's score, per row."""
    rows = row_indices(y_pred.shape[0])
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
    rows = row_indices(y_pred.shape[0])
    active = (1.0 + runner_up - true_score > 0).astype(np.float64)
    g = np.zeros_like(y_pred)
    g[rows, best] = active
    g[rows, y_true] = -active
    return g


def multiclass_hinge_kinks(y_true: np.ndarray, y_pred: Array) -> Array:
    """Distance from a kink: the margin at 0, or a tie between the two best wrong classes."""
    _, runner_up, true_score = _runner_up(y_true, y_pred)
    others = y_pred.copy()
    others[row_indices(y_pred.shape[0]), y_true] = -np.inf
    top_two = np.sort(others, axis=1)[:, -2:]
    return np.minimum(np.abs(1.0 + runner_up - true_score), top_two[:, 1] - top_two[:, 0])


multiclass_hinge = Loss(
    name="multiclass_hinge",
    task="multiclass",
    formula=r"\max\left(0,\,1+\max_{c\neq y}s_c-s_y\right)",
    convex=True,
    value=multiclass_hinge_value,
    grad=multiclass_hinge_grad,
    inputs=LABEL_SCORE,
    kinks=multiclass_hinge_kinks,
    summary="Crammer-Singer hinge: the true class must win by a margin of 1",
)
