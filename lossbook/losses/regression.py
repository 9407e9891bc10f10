r"""Regression losses: a real target :math:`y`, a real prediction :math:`\hat y`.

Every function here takes validated float64 arrays of shape ``(n,)`` (see :class:`~lossbook.losses.Loss`) and
writes the loss in terms of the residual :math:`r = \hat y - y`. The book prints these functions
as they are; the numerically careful forms carry a one-line comment saying why.
"""

from __future__ import annotations

import math

import numpy as np

from .. import _validation as v
from ._base import Loss
from .inputs import COUNT, LOG, REAL

Array = v.FloatArray


# -- squared error ------------------------------------------------------------------------------
def squared_error_value(y_true: Array, y_pred: Array) -> Array:
    r"""Squared error :math:`\ell = r^2` with :math:`r = \hat y - y`.

    No factor :math:`\tfrac12`: this is the loss whose mean is the MSE of scikit-learn and Keras.
    """
    r = y_pred - y_true
    return np.multiply(r, r, out=r)


def squared_error_grad(y_true: Array, y_pred: Array) -> Array:
    r""":math:`\partial \ell / \partial \hat y = 2r`."""
    r = y_pred - y_true
    return np.multiply(r, 2.0, out=r)


squared_error = Loss(
    name="squared_error",
    task="regression",
    formula=r"(\hat y - y)^2",
    convex=True,
    value=squared_error_value,
    grad=squared_error_grad,
    inputs=REAL,
    summary="the mean is pulled by outliers; optimal constant: the mean",
)


# -- absolute error -----------------------------------------------------------------------------
def absolute_error_value(y_true: Array, y_pred: Array) -> Array:
    r"""Absolute error :math:`\ell = |r|`."""
    r = y_pred - y_true
    return np.abs(r, out=r)


def absolute_error_grad(y_true: Array, y_pred: Array) -> Array:
    r""":math:`\partial \ell / \partial \hat y = \operatorname{sign}(r)`, with 0 at the kink :math:`r = 0`."""
    r = y_pred - y_true
    return np.sign(r, out=r)


def residual_kink(y_true: Array, y_pred: Array, **params: float) -> Array:
    """Distance from the kink at :math:`r = 0` (absolute error, pinball)."""
    return np.abs(y_pred - y_true)


absolute_error = Loss(
    name="absolute_error",
    task="regression",
    formula=r"|\hat y - y|",
    convex=True,
    value=absolute_error_value,
    grad=absolute_error_grad,
    inputs=REAL,
    kinks=residual_kink,
    summary="robust to outliers, constant gradient; optimal constant: the median",
)


# -- Huber --------------------------------------------------------------------------------------
def huber_value(y_true: Array, y_pred: Array, delta: float = 1.0) -> Array:
    r"""Huber loss: quadratic for small residuals, linear for large ones.

    .. math::
        \ell = \begin{cases} \tfrac12 r^2 & |r| \le \delta \\
                             \delta\,(|r| - \tfrac12\delta) & |r| > \delta \end{cases}

    This is the scaling of scikit-learn's ``HuberRegressor`` and Keras; PyTorch's
    ``SmoothL1Loss(beta)`` equals ``huber / beta``.
    """
    a = np.abs(y_pred - y_true)
    # Split |r| = m + (|r| - m) with m = min(|r|, delta): one branch-free formula for both pieces.
    m = np.minimum(a, delta)
    return 0.5 * m * m + delta * (a - m)


def huber_grad(y_true: Array, y_pred: Array, delta: float = 1.0) -> Array:
    r""":math:`\partial \ell / \partial \hat y = \operatorname{clip}(r, -\delta, \delta)`: continuous, bounded."""
    r = y_pred - y_true
    return np.clip(r, -delta, delta, out=r)


def huber_kinks(y_true: Array, y_pred: Array, delta: float = 1.0) -> Array:
    """Distance from :math:`|r| = \\delta`, where the second derivative jumps."""
    return np.abs(np.abs(y_pred - y_true) - delta)


huber = Loss(
    name="huber",
    display_name="Huber",
    task="regression",
    formula=r"\begin{cases}\tfrac12 r^2 & |r|\le\delta\\ \delta(|r|-\tfrac12\delta) & |r|>\delta\end{cases}",
    convex=True,
    value=huber_value,
    grad=huber_grad,
    inputs=REAL,
    params={"delta": (1.0, v.positive)},
    kinks=huber_kinks,
    summary="quadratic near zero, linear beyond delta",
)


# -- pseudo-Huber -------------------------------------------------------------------------------
def pseudo_huber_value(y_true: Array, y_pred: Array, delta: float = 1.0) -> Array:
    r"""Pseudo-Huber loss :math:`\ell = \delta^2\left(\sqrt{1 + (r/\delta)^2} - 1\right)`.

    A smooth approximation of Huber: :math:`\approx \tfrac12 r^2` for small :math:`r`,
    :math:`\approx \delta |r|` for large :math:`r`.
    """
    r = y_pred - y_true
    # delta^2 (sqrt(1 + x^2) - 1) = delta r^2 / (sqrt(delta^2 + r^2) + delta): no cancellation
    # for small r; hypot, and r / (...) (at most 1) taken before the product, keep every
    # intermediate below |r|, where r / delta and r^2 can overflow for large r.
    return delta * (r * (r / (np.hypot(delta, r) + delta)))


def pseudo_huber_grad(y_true: Array, y_pred: Array, delta: float = 1.0) -> Array:
    r""":math:`\partial \ell / \partial \hat y = r / \sqrt{1 + (r/\delta)^2}`."""
    r = y_pred - y_true
    return r * (delta / np.hypot(delta, r))  # (delta / hypot <= 1: nothing overflows)


pseudo_huber = Loss(
    name="pseudo_huber",
    display_name="pseudo-Huber",
    task="regression",
    formula=r"\delta^2\left(\sqrt{1+(r/\delta)^2}-1\right)",
    convex=True,
    value=pseudo_huber_value,
    grad=pseudo_huber_grad,
    inputs=REAL,
    params={"delta": (1.0, v.positive)},
    # deferred finiteness check through pseudo_huber_total, which tests before dividing (the
    # value itself would compute inf / inf, and warn, before the error)
    summary="a smooth Huber, differentiable everywhere",
)


# -- log-cosh -----------------------------------------------------------------------------------
LOG2 = math.log(2.0)


def log_cosh_value(y_true: Array, y_pred: Array) -> Array:
    r"""Log-cosh loss :math:`\ell = \log\cosh r`: :math:`\approx \tfrac12 r^2` near 0, :math:`\approx |r| - \log 2` far out."""
    a = np.abs(y_pred - y_true)
    # cosh overflows for |r| > 710, so use log cosh a = a + log1p(exp(-2a)) - log 2 for large a;
    # for small a that form cancels, and log1p(2 sinh(a/2)^2) (= log cosh a) is exact instead.
    small = a < 1.0
    s = np.sinh(0.5 * a[small])
    out = a + np.log1p(np.exp(-2.0 * a)) - LOG2
    out[small] = np.log1p(2.0 * s * s)
    return out


def log_cosh_grad(y_true: Array, y_pred: Array) -> Array:
    r""":math:`\partial \ell / \partial \hat y = \tanh r`."""
    return np.tanh(y_pred - y_true)


log_cosh = Loss(
    name="log_cosh",
    display_name="log-cosh",
    task="regression",
    formula=r"\log\cosh(\hat y - y)",
    convex=True,
    value=log_cosh_value,
    grad=log_cosh_grad,
    inputs=REAL,
    summary="smooth, Huber-like with delta = 1, twice differentiable",
)


# -- squared log error --------------------------------------------------------------------------
def squared_log_error_value(y_true: Array, y_pred: Array) -> Array:
    r"""Squared log error :math:`\ell = (\log(1+\hat y) - \log(1+y))^2`, for :math:`y, \hat y > -1`.

    A relative error: predicting 110 for 100 costs about as much as 1.1 for 1. Its mean is the
    MSLE.
    """
    d = np.log1p(y_pred) - np.log1p(y_true)  # log1p: exact for values near 0
    return np.multiply(d, d, out=d)


def squared_log_error_grad(y_true: Array, y_pred: Array) -> Array:
    r""":math:`\partial \ell / \partial \hat y = 2(\log(1+\hat y) - \log(1+y)) / (1 + \hat y)`."""
    return 2.0 * (np.log1p(y_pred) - np.log1p(y_true)) / (1.0 + y_pred)


squared_log_error = Loss(
    name="squared_log_error",
    task="regression",
    formula=r"\left(\log(1+\hat y)-\log(1+y)\right)^2",
    convex=False,  # convex in log(1 + y_pred), not in y_pred: the second derivative turns negative
    value=squared_log_error_value,
    grad=squared_log_error_grad,
    inputs=LOG,
    summary="relative error for positive targets spanning orders of magnitude",
)


# -- pinball (quantile) -------------------------------------------------------------------------
def pinball_value(y_true: Array, y_pred: Array, quantile: float = 0.5) -> Array:
    r"""Pinball (quantile) loss with :math:`q` = ``quantile``:

    .. math:: \ell = \max\big(q\,(y - \hat y),\ (q - 1)\,(y - \hat y)\big)

    Under-prediction costs :math:`q` per unit, over-prediction :math:`1 - q`; the constant that
    minimises the mean is the :math:`q`-quantile of :math:`y`. At :math:`q = 0.5` it is half the
    absolute error.
    """
    e = y_true - y_pred
    return np.maximum(quantile * e, (quantile - 1.0) * e)


def pinball_grad(y_true: Array, y_pred: Array, quantile: float = 0.5) -> Array:
    r""":math:`\partial \ell / \partial \hat y = -q` when :math:`\hat y < y`, :math:`1 - q` when :math:`\hat y > y`, 0 at the kink."""
    r = y_pred - y_true
    return np.where(r > 0, 1.0 - quantile, np.where(r < 0, -quantile, 0.0))


pinball = Loss(
    name="pinball",
    task="regression",
    formula=r"\max\left(q(y-\hat y),\,(q-1)(y-\hat y)\right)",
    convex=True,
    value=pinball_value,
    grad=pinball_grad,
    inputs=REAL,
    params={"quantile": (0.5, v.open_unit_interval)},
    kinks=residual_kink,
    summary="asymmetric absolute error; optimal constant: the q-quantile",
)


# -- Poisson deviance ---------------------------------------------------------------------------
def poisson_deviance_value(y_true: Array, y_pred: Array) -> Array:
    r"""Poisson deviance of a predicted mean :math:`\hat y > 0` for a count :math:`y \ge 0`:

    .. math:: \ell = 2\big(y \log(y / \hat y) - y + \hat y\big), \qquad 0 \log 0 = 0.

    Twice the Poisson negative log-likelihood minus its value at :math:`\hat y = y`, so 0 for a
    perfect prediction; its mean is scikit-learn's ``mean_poisson_deviance``.
    """
    # log y - log y_pred, not log(y / y_pred): the ratio can overflow or underflow for valid
    # inputs (y = 1e300, y_pred = 1e-10). Where y = 0 the term is 0, its limit (log taken of 1).
    log_ratio = np.log(np.where(y_true > 0.0, y_true, 1.0)) - np.log(y_pred)
    return 2.0 * (y_true * log_ratio - y_true + y_pred)


def poisson_deviance_grad(y_true: Array, y_pred: Array) -> Array:
    r""":math:`\partial \ell / \partial \hat y = 2(1 - y / \hat y)`."""
    return 2.0 * (1.0 - y_true / y_pred)


poisson_deviance = Loss(
    name="poisson_deviance",
    display_name="Poisson deviance",
    task="regression",
    formula=r"2\left(y\log\frac{y}{\hat y}-y+\hat y\right)",
    convex=True,
    value=poisson_deviance_value,
    grad=poisson_deviance_grad,
    inputs=COUNT,
    summary="for counts: the Poisson negative log-likelihood, up to a constant; optimal constant: the mean",
)
