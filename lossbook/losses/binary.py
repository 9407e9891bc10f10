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
from .inputs import LOGIT, MARGIN, PROBABILITY

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
    inputs=PROBABILITY,
    params={"pos_weight": (1.0, v.positive)},
    summary="log loss on probabilities; the negative Bernoulli log-likelihood",
)


# -- cross-entropy on logits --------------------------------------------------------------------
def log1p_exp_neg_abs(z: Array) -> Array:
    r""":math:`\log(1 + e^{-|z|})`, the shared part of softplus(z) and softplus(-z); never overflows."""
    t = np.abs(z)
    np.negative(t, out=t)
    np.exp(t, out=t)
    return np.log1p(t, out=t)  # in place: one temporary instead of three


def binary_cross_entropy_with_logits_value(y_true: Array, y_pred: Array, pos_weight: float = 1.0) -> Array:
    r"""Binary cross-entropy of a logit :math:`z`, :math:`p = \sigma(z) = 1/(1 + e^{-z})`:

    .. math:: \ell = w_+\, y\, \operatorname{softplus}(-z) + (1 - y)\operatorname{softplus}(z),
              \qquad \operatorname{softplus}(x) = \log(1 + e^{x})

    the same loss as :func:`~lossbook.losses.binary.binary_cross_entropy_value` without ever forming :math:`p`, so it
    is exact where :math:`p` would round to 0 or 1, and never clipped.
    """
    # softplus(+-z) = max(+-z, 0) + log1p(exp(-|z|)): no exp of a large positive number.
    tail = log1p_exp_neg_abs(y_pred)
    return pos_weight * y_true * (np.maximum(-y_pred, 0.0) + tail) + (1.0 - y_true) * (
        np.maximum(y_pred, 0.0) + tail
    )


def stable_sigmoid(z: Array) -> Array:
    # exp(-|z|) <= 1, so neither branch overflows.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def binary_cross_entropy_with_logits_grad(y_true: Array, y_pred: Array, pos_weight: float = 1.0) -> Array:
    r""":math:`\partial \ell / \partial z = (1 - y)\,\sigma(z) - w_+\, y\,\sigma(-z)`, i.e. :math:`\sigma(z) - y` when :math:`w_+ = 1`.

    Written with :math:`\sigma(-z)` rather than :math:`1 - \sigma(z)` so that it stays exact
    when :math:`\sigma(z)` is close to 1.
    """
    return (1.0 - y_true) * stable_sigmoid(y_pred) - pos_weight * y_true * stable_sigmoid(-y_pred)


binary_cross_entropy_with_logits = Loss(
    name="binary_cross_entropy_with_logits",
    task="binary",
    formula=r"w_+\,y\log(1+e^{-z})+(1-y)\log(1+e^{z})",
    convex=True,
    value=binary_cross_entropy_with_logits_value,
    grad=binary_cross_entropy_with_logits_grad,
    inputs=LOGIT,
    params={"pos_weight": (1.0, v.positive)},
    summary="log loss on logits: the stable form, never clipped",
)


# -- focal loss -----------------------------------------------------------------------------------
def _class_weights(alpha: float | None) -> tuple[float, float]:
    """(weight of the positive term, weight of the negative term): alpha and 1 - alpha, or 1 and 1."""
    return (1.0, 1.0) if alpha is None else (alpha, 1.0 - alpha)


def focal_value(y_true: Array, y_pred: Array, gamma: float = 2.0, alpha: float | None = None) -> Array:
    r"""Focal loss of a predicted probability :math:`p` (Lin et al., 2017):

    .. math:: \ell = -\big[\alpha_+\, y\,(1 - p)^\gamma \log p
                          + \alpha_-\,(1 - y)\,p^\gamma \log(1 - p)\big]

    The factor :math:`(1 - p_t)^\gamma`, with :math:`p_t` the probability given to the true
    class, shrinks the loss of examples the model already gets right, so that the hard ones
    dominate the cost. :math:`\alpha_+ = \alpha`, :math:`\alpha_- = 1 - \alpha`, or both 1 when
    ``alpha`` is None; :math:`\gamma = 0` without ``alpha`` is the binary cross-entropy, clipped
    the same way (:math:`p \in [\varepsilon_\text{mach}, 1 - \varepsilon_\text{mach}]`).
    """
    a_pos, a_neg = _class_weights(alpha)
    p = np.clip(y_pred, EPS, 1.0 - EPS)
    return -(a_pos * y_true * (1.0 - p) ** gamma * np.log(p) + a_neg * (1.0 - y_true) * p**gamma * np.log1p(-p))


def focal_grad(y_true: Array, y_pred: Array, gamma: float = 2.0, alpha: float | None = None) -> Array:
    r""":math:`\partial \ell / \partial p = -\alpha_+ y\big[\tfrac{(1-p)^\gamma}{p} - \gamma (1-p)^{\gamma-1}\log p\big]
    - \alpha_- (1-y)\big[\gamma p^{\gamma-1}\log(1-p) - \tfrac{p^\gamma}{1-p}\big]`, at the clipped :math:`p`."""
    a_pos, a_neg = _class_weights(alpha)
    p = np.clip(y_pred, EPS, 1.0 - EPS)
    q = 1.0 - p
    positive = q**gamma / p - gamma * q ** (gamma - 1.0) * np.log(p)
    negative = gamma * p ** (gamma - 1.0) * np.log1p(-p) - p**gamma / q
    return -(a_pos * y_true * positive + a_neg * (1.0 - y_true) * negative)


focal = Loss(
    name="focal",
    task="binary",
    formula=r"-\alpha_+ y(1-p)^\gamma\log p-\alpha_-(1-y)p^\gamma\log(1-p)",
    # In p, each term is a product of two positive, decreasing, convex functions for gamma >= 1;
    # for 0 < gamma < 1, f'' = gamma (1 - gamma) q^(gamma-2) log p + 2 gamma q^(gamma-1) / p
    # + q^gamma / p^2 (q = 1 - p) stays >= 0 because p^2 |log p| <= p q. (In the logit it is not.)
    convex=True,
    value=focal_value,
    grad=focal_grad,
    inputs=PROBABILITY,
    params={"gamma": (2.0, v.non_negative), "alpha": (None, v.optional_open_unit_interval)},
    summary="cross-entropy with easy examples down-weighted by (1 - p_t)^gamma",
)


def _softplus(z: Array) -> Array:
    return np.maximum(z, 0.0) + log1p_exp_neg_abs(z)


def focal_with_logits_value(y_true: Array, y_pred: Array, gamma: float = 2.0, alpha: float | None = None) -> Array:
    r"""The focal loss of a logit :math:`z`, :math:`p = \sigma(z)`, never clipped:

    .. math:: \ell = \alpha_+\, y\, \sigma(-z)^\gamma \operatorname{softplus}(-z)
                     + \alpha_-\, (1 - y)\, \sigma(z)^\gamma \operatorname{softplus}(z)

    since :math:`-\log p = \operatorname{softplus}(-z)` and :math:`1 - p = \sigma(-z)`. The
    powers are taken as :math:`\sigma(\pm z)^\gamma = e^{-\gamma \operatorname{softplus}(\mp z)}`,
    which neither overflows nor rounds :math:`p` to 0 or 1.
    """
    a_pos, a_neg = _class_weights(alpha)
    sp_neg, sp_pos = _softplus(-y_pred), _softplus(y_pred)  # -log p and -log(1 - p)
    return a_pos * y_true * np.exp(-gamma * sp_pos) * sp_neg + a_neg * (1.0 - y_true) * np.exp(-gamma * sp_neg) * sp_pos


def focal_with_logits_grad(y_true: Array, y_pred: Array, gamma: float = 2.0, alpha: float | None = None) -> Array:
    r""":math:`\partial \ell / \partial z = -\alpha_+ y\, \sigma(-z)^\gamma\big[\gamma\,\sigma(z)\operatorname{softplus}(-z) + \sigma(-z)\big]
    + \alpha_-(1 - y)\, \sigma(z)^\gamma\big[\gamma\,\sigma(-z)\operatorname{softplus}(z) + \sigma(z)\big]`;
    :math:`\sigma(z) - y` when :math:`\gamma = 0` and ``alpha`` is None."""
    a_pos, a_neg = _class_weights(alpha)
    sp_neg, sp_pos = _softplus(-y_pred), _softplus(y_pred)
    p, q = stable_sigmoid(y_pred), stable_sigmoid(-y_pred)
    positive = np.exp(-gamma * sp_pos) * (gamma * p * sp_neg + q)
    negative = np.exp(-gamma * sp_neg) * (gamma * q * sp_pos + p)
    return a_neg * (1.0 - y_true) * negative - a_pos * y_true * positive


focal_with_logits = Loss(
    name="focal_with_logits",
    task="binary",
    formula=r"\alpha_+ y\,\sigma(-z)^\gamma\log(1+e^{-z})+\alpha_-(1-y)\,\sigma(z)^\gamma\log(1+e^{z})",
    convex=False,
    value=focal_with_logits_value,
    grad=focal_with_logits_grad,
    inputs=LOGIT,
    params={"gamma": (2.0, v.non_negative), "alpha": (None, v.optional_open_unit_interval)},
    summary="the focal loss on logits: the stable form, never clipped",
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


def margin_kink(y_true: Array, y_pred: Array) -> Array:
    """Distance from the kink at margin :math:`y s = 1` (hinge, squared hinge)."""
    return np.abs(1.0 - y_true * y_pred)


hinge = Loss(
    name="hinge",
    task="binary",
    formula=r"\max(0,\,1-y\,s)",
    convex=True,
    value=hinge_value,
    grad=hinge_grad,
    inputs=MARGIN,
    kinks=margin_kink,
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
    inputs=MARGIN,
    kinks=margin_kink,
    summary="smooth hinge; penalises violations quadratically",
)
