r"""Binary classification losses.

Two families. *Probabilistic* losses take a target :math:`y \in [0, 1]` and either a predicted
probability :math:`p` or a logit :math:`z` with :math:`p = \sigma(z)`. *Margin* losses take a
label :math:`y \in \{-1, +1\}` (``{0, 1}`` is accepted and mapped) and a real score :math:`s`;
their argument is the margin :math:`y s`.
"""

from __future__ import annotations

import numpy as np

from .. import _validation as v
from ._base import Loss

Array = v.FloatArray

#: Probabilities are clipped to [EPS, 1 - EPS] before the log, as ``sklearn.metrics.log_loss`` does.
EPS = float(np.finfo(np.float64).eps)


# -- cross-entropy on probabilities -------------------------------------------------------------
def binary_cross_entropy_value(y_true: Array, y_pred: Array, pos_weight: float = 1.0) -> Array:
    r"""Binary cross-entropy (log loss) of a predicted probability :math:`p`:

    .. math:: \ell = -\big[w_+\, y \log p + (1 - y) \log(1 - p)\big]

    with :math:`p` clipped to :math:`[\varepsilon, 1 - \varepsilon]`, :math:`\varepsilon` the
    float64 machine epsilon, so that a confident mistake (:math:`p = 0`, :math:`y = 1`) costs
    :math:`-\log\varepsilon \approx 36` rather than infinity, exactly as scikit-learn's
    ``log_loss``. :math:`w_+` (``pos_weight``) scales the cost of the positive class.
    """
    p = np.clip(y_pred, EPS, 1.0 - EPS)
    # log1p(-p) keeps log(1 - p) exact when p is tiny.
    return -(pos_weight * y_true * np.log(p) + (1.0 - y_true) * np.log1p(-p))


def binary_cross_entropy_grad(y_true: Array, y_pred: Array, pos_weight: float = 1.0) -> Array:
    r""":math:`\partial \ell / \partial p = -w_+ y / p + (1 - y)/(1 - p)`, at the clipped :math:`p`.

    Outside the clipping range this is the slope of the unclipped formula, which still points
    the way a model should move (the clipped loss itself is flat there).
    """
    p = np.clip(y_pred, EPS, 1.0 - EPS)
    return (1.0 - y_true) / (1.0 - p) - pos_weight * y_true / p


binary_cross_entropy = Loss(
    name="binary_cross_entropy",
    task="binary",
    formula=r"-\left[w_+\,y\log p+(1-y)\log(1-p)\right]",
    convex=True,
    value=binary_cross_entropy_value,
    grad=binary_cross_entropy_grad,
    inputs=v.probability_pair,
    params={"pos_weight": (1.0, v.positive)},
    summary="log loss on probabilities; the negative Bernoulli log-likelihood",
)


# -- cross-entropy on logits --------------------------------------------------------------------
def _log1p_exp_neg_abs(z: Array) -> Array:
    """log(1 + exp(-|z|)), the shared part of softplus(z) and softplus(-z); never overflows."""
    return np.log1p(np.exp(-np.abs(z)))


def binary_cross_entropy_with_logits_value(y_true: Array, y_pred: Array, pos_weight: float = 1.0) -> Array:
    r"""Binary cross-entropy of a logit :math:`z`, :math:`p = \sigma(z) = 1/(1 + e^{-z})`:

    .. math:: \ell = w_+\, y\, \operatorname{softplus}(-z) + (1 - y)\operatorname{softplus}(z),
              \qquad \operatorname{softplus}(x) = \log(1 + e^{x})

    the same loss as :func:`binary_cross_entropy_value` without ever forming :math:`p`, so it
    is exact where :math:`p` would round to 0 or 1, and never clipped.
    """
    # softplus(+-z) = max(+-z, 0) + log1p(exp(-|z|)): no exp of a large positive number.
    tail = _log1p_exp_neg_abs(y_pred)
    return pos_weight * y_true * (np.maximum(-y_pred, 0.0) + tail) + (1.0 - y_true) * (
        np.maximum(y_pred, 0.0) + tail
    )


def _sigmoid(z: Array) -> Array:
    # exp(-|z|) <= 1, so neither branch overflows.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def binary_cross_entropy_with_logits_grad(y_true: Array, y_pred: Array, pos_weight: float = 1.0) -> Array:
    r""":math:`\partial \ell / \partial z = (1 - y)\,\sigma(z) - w_+\, y\,\sigma(-z)`, i.e. :math:`\sigma(z) - y` when :math:`w_+ = 1`.

    Written with :math:`\sigma(-z)` rather than :math:`1 - \sigma(z)` so that it stays exact
    when :math:`\sigma(z)` is close to 1.
    """
    return (1.0 - y_true) * _sigmoid(y_pred) - pos_weight * y_true * _sigmoid(-y_pred)


binary_cross_entropy_with_logits = Loss(
    name="binary_cross_entropy_with_logits",
    task="binary",
    formula=r"w_+\,y\log(1+e^{-z})+(1-y)\log(1+e^{z})",
    convex=True,
    value=binary_cross_entropy_with_logits_value,
    grad=binary_cross_entropy_with_logits_grad,
    inputs=v.logit_pair,
    params={"pos_weight": (1.0, v.positive)},
    summary="log loss on logits: the stable form, never clipped",
)


# -- hinge --------------------------------------------------------------------------------------
def hinge_value(y_true: Array, y_pred: Array) -> Array:
    r"""Hinge loss :math:`\ell = \max(0, 1 - y s)` for :math:`y \in \{-1, +1\}` and score :math:`s`.

    Zero once a sample is on the right side with margin :math:`y s \ge 1`: confident, correct
    predictions cost nothing and exert no pull.
    """
    return np.maximum(1.0 - y_true * y_pred, 0.0)


def hinge_grad(y_true: Array, y_pred: Array) -> Array:
    r""":math:`\partial \ell / \partial s = -y` where :math:`y s < 1`, else 0."""
    return np.where(y_true * y_pred < 1.0, -y_true, 0.0)


hinge = Loss(
    name="hinge",
    task="binary",
    formula=r"\max(0,\,1-y\,s)",
    convex=True,
    value=hinge_value,
    grad=hinge_grad,
    inputs=v.margin_pair,
    summary="the SVM loss on margins; zero beyond margin 1",
)


def squared_hinge_value(y_true: Array, y_pred: Array) -> Array:
    r"""Squared hinge :math:`\ell = \max(0, 1 - y s)^2`: differentiable, harsher on large violations."""
    h = np.maximum(1.0 - y_true * y_pred, 0.0)
    return np.multiply(h, h, out=h)


def squared_hinge_grad(y_true: Array, y_pred: Array) -> Array:
    r""":math:`\partial \ell / \partial s = -2y\max(0, 1 - y s)`."""
    return -2.0 * y_true * np.maximum(1.0 - y_true * y_pred, 0.0)


squared_hinge = Loss(
    name="squared_hinge",
    task="binary",
    formula=r"\max(0,\,1-y\,s)^2",
    convex=True,
    value=squared_hinge_value,
    grad=squared_hinge_grad,
    inputs=v.margin_pair,
    summary="smooth hinge; penalises violations quadratically",
)
