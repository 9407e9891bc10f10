r"""Cost shortcuts: one number for a whole data set.

Each is the ``.cost`` of a loss in :mod:`lossbook.losses` (or its square root), takes
``(y_true, y_pred, sample_weight=None)`` and returns a Python ``float``. With weights :math:`w`,
means are weighted means :math:`\sum_i w_i \ell_i / \sum_i w_i`.

>>> import lossbook
>>> y_true, y_pred = [3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0]
>>> lossbook.mse(y_true, y_pred), lossbook.mae(y_true, y_pred)
(0.375, 0.5)
>>> lossbook.mse(y_true, y_pred, sample_weight=[1, 1, 1, 5])
0.6875
>>> round(lossbook.log_loss([1, 0, 1, 1], [0.9, 0.1, 0.8, 0.7]), 4)
0.1976
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from . import _validation as v
from .losses import (
    _compiled,
    absolute_error,
    binary_cross_entropy,
    squared_error,
    squared_log_error,
)

__all__ = ["mse", "rmse", "mae", "mean_error", "msle", "rmsle", "log_loss"]

MEAN_ERROR_KERNEL = _compiled.Kernel("mean_error", v.real_pair)  # large inputs, with Numba installed


def mse(y_true: ArrayLike, y_pred: ArrayLike, sample_weight: ArrayLike | None = None) -> float:
    r"""Mean squared error :math:`\frac1n \sum_i (\hat y_i - y_i)^2`."""
    return squared_error.cost(y_true, y_pred, sample_weight=sample_weight)


def rmse(y_true: ArrayLike, y_pred: ArrayLike, sample_weight: ArrayLike | None = None) -> float:
    r"""Root mean squared error :math:`\sqrt{\mathrm{MSE}}`, in the units of :math:`y`."""
    return math.sqrt(squared_error.cost(y_true, y_pred, sample_weight=sample_weight))


def mae(y_true: ArrayLike, y_pred: ArrayLike, sample_weight: ArrayLike | None = None) -> float:
    r"""Mean absolute error :math:`\frac1n \sum_i |\hat y_i - y_i|`."""
    return absolute_error.cost(y_true, y_pred, sample_weight=sample_weight)


def mean_error(y_true: ArrayLike, y_pred: ArrayLike, sample_weight: ArrayLike | None = None) -> float:
    r"""Mean error (bias) :math:`\frac1n \sum_i (\hat y_i - y_i)`.

    A diagnostic, not a loss: positive and negative errors cancel, so a model that is wildly
    wrong in both directions can score 0. It tells whether predictions are too high (> 0) or too
    low (< 0) on average.
    """
    if sample_weight is None and _compiled.applies(y_pred):
        total = MEAN_ERROR_KERNEL.total(y_true, y_pred, {})
        if total is not None:  # else the NumPy path below names the fault
            return total / np.shape(y_pred)[0]
    y, p = v.real_pair(y_true, y_pred, strict=False)
    if sample_weight is None:
        total, denominator = float(p.sum() - y.sum()), float(p.shape[0])
    else:
        w = v.check_sample_weight(sample_weight, p.shape[0])
        total, denominator = float(w @ p - w @ y), float(w.sum())
    if not math.isfinite(total):
        v.real_pair(y, p, strict=True)
    return total / denominator


def msle(y_true: ArrayLike, y_pred: ArrayLike, sample_weight: ArrayLike | None = None) -> float:
    r"""Mean squared log error :math:`\frac1n \sum_i (\log(1+\hat y_i) - \log(1+y_i))^2`, inputs > -1."""
    return squared_log_error.cost(y_true, y_pred, sample_weight=sample_weight)


def rmsle(y_true: ArrayLike, y_pred: ArrayLike, sample_weight: ArrayLike | None = None) -> float:
    r"""Root mean squared log error :math:`\sqrt{\mathrm{MSLE}}`."""
    return math.sqrt(squared_log_error.cost(y_true, y_pred, sample_weight=sample_weight))


def log_loss(y_true: ArrayLike, y_pred: ArrayLike, sample_weight: ArrayLike | None = None) -> float:
    r"""Binary log loss :math:`-\frac1n \sum_i [y_i \log p_i + (1-y_i)\log(1-p_i)]` on probabilities.

    Probabilities are clipped to :math:`[\varepsilon, 1-\varepsilon]` as in scikit-learn.
    """
    return binary_cross_entropy.cost(y_true, y_pred, sample_weight=sample_weight)
