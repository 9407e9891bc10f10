r"""Calibration: are predicted probabilities the frequencies they claim to be?

A model is **calibrated** when, among the examples to which it gives the probability
:math:`p` of class 1, a share :math:`p` belongs to class 1: :math:`P(y = 1 \mid \hat p = p) = p`.
Two tools measure it on held-out data:

- the **Brier score** :func:`brier_score`, the mean squared error of the probabilities, a
  proper scoring rule that rewards calibration and sharpness together;
- the **reliability curve** :func:`reliability_curve`, which sorts the predictions into
  bins of equal width on [0, 1] and compares, bin by bin, the mean predicted probability with
  the observed fraction of positives. A calibrated model lies on the diagonal.

Conventions: labels are 0 or 1, probabilities are those of class 1, both of shape ``(n,)``;
inputs are never modified, and bad input raises ``ValueError`` saying what was wrong.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validation as v

__all__ = ["brier_score", "reliability_curve"]

FloatArray = NDArray[np.float64]


def _labels_and_probabilities(y_true: ArrayLike, p: ArrayLike) -> tuple[NDArray[np.intp], FloatArray]:
    y = v.as_labels(y_true, 2, "y_true", "binary labels: 0 or 1")
    prob = v.as_vector(p, "p")
    v.check_same_shape(y, prob, ("y_true", "p"))
    v.check_interval(prob, "p", 0.0, 1.0)  # also names a NaN
    return y, prob


def _number_of_bins(n_bins: object) -> int:
    # whole_number calls a float a type error; a float is a number, only not a count
    if isinstance(n_bins, (float, np.floating)):
        raise ValueError(f"n_bins must be a whole number of bins (an integer >= 1), got {n_bins!r}")
    return v.whole_number(n_bins, "n_bins", minimum=1)


def brier_score(y_true: ArrayLike, p: ArrayLike, sample_weight: ArrayLike | None = None) -> float:
    r"""The Brier score: the mean squared error of predicted probabilities.

    .. math:: \mathrm{BS} = \frac{1}{n} \sum_{i=1}^{n} (p_i - y_i)^2,
       \qquad \text{or, with weights,} \quad
       \mathrm{BS}_w = \frac{\sum_i w_i (p_i - y_i)^2}{\sum_i w_i}.

    0 for certain, correct predictions, 1 for certain, wrong ones, 0.25 for :math:`p = 1/2`
    everywhere. It is a proper scoring rule: its expectation is smallest when :math:`p` is the
    true probability of class 1. Equal to ``sklearn.metrics.brier_score_loss`` (binary case).

    Parameters
    ----------
    y_true
        Labels, 0 or 1, shape ``(n,)``.
    p
        Predicted probabilities of class 1, in [0, 1], shape ``(n,)``.
    sample_weight
        Optional non-negative weights, shape ``(n,)``, not all zero.

    Returns
    -------
    float
        The (weighted) mean of :math:`(p_i - y_i)^2`, in [0, 1].

    Raises
    ------
    ValueError
        If the shapes differ or are not ``(n,)``, a label is not 0 or 1, a probability is NaN
        or outside [0, 1], or a weight is negative, not finite or of the wrong shape.

    Examples
    --------
    >>> brier_score([0, 1, 1, 0], [0.0, 0.5, 1.0, 0.5])  # two certain hits, two shrugs
    0.125
    """
    y, prob = _labels_and_probabilities(y_true, p)
    squared = (prob - y) ** 2
    if sample_weight is None:
        return float(squared.mean())
    w = v.check_sample_weight(sample_weight, y.shape[0])
    return float(w @ squared / w.sum())


def reliability_curve(
    y_true: ArrayLike, p: ArrayLike, n_bins: int = 10
) -> tuple[FloatArray, FloatArray, NDArray[np.intp]]:
    r"""Observed fraction of positives against mean predicted probability, per bin.

    The interval [0, 1] is cut into ``n_bins`` bins of equal width :math:`1/B` with edges
    :math:`e_j = j/B`. Bin :math:`j` (from 0) holds the predictions in :math:`(e_j, e_{j+1}]`;
    the first bin also holds :math:`p = 0`. For each bin :math:`b_j` that holds at least one
    prediction,

    .. math:: \bar y_j = \frac{1}{|b_j|} \sum_{i \in b_j} y_i, \qquad
       \bar p_j = \frac{1}{|b_j|} \sum_{i \in b_j} p_i .

    A calibrated model has :math:`\bar y_j \approx \bar p_j`: points below the diagonal mean
    the model's probabilities are too high there, points above that they are too low. The bins
    are those of ``sklearn.calibration.calibration_curve(..., strategy="uniform")`` (an edge
    value belongs to the bin below it), and the first two results equal its results.

    Parameters
    ----------
    y_true
        Labels, 0 or 1, shape ``(n,)``.
    p
        Predicted probabilities of class 1, in [0, 1], shape ``(n,)``.
    n_bins
        Number of bins, an integer >= 1.

    Returns
    -------
    fraction_positive : ndarray of float
        :math:`\bar y_j` for each non-empty bin, in increasing order of the bins.
    mean_predicted : ndarray of float
        :math:`\bar p_j`, same bins.
    count : ndarray of int
        :math:`|b_j|`, the number of predictions in each of these bins (all >= 1).

    Raises
    ------
    ValueError
        If the shapes differ or are not ``(n,)``, a label is not 0 or 1, a probability is NaN
        or outside [0, 1], or ``n_bins`` is not an integer >= 1.

    Examples
    --------
    >>> fraction, mean_p, count = reliability_curve([0, 0, 1, 1], [0.1, 0.3, 0.7, 0.9], n_bins=2)
    >>> fraction.tolist(), mean_p.tolist(), count.tolist()
    ([0.0, 1.0], [0.2, 0.8], [2, 2])
    """
    y, prob = _labels_and_probabilities(y_true, p)
    bins = _number_of_bins(n_bins)
    inner_edges = np.linspace(0.0, 1.0, bins + 1)[1:-1]
    # searchsorted on the inner edges, side "left": an edge value goes to the bin below it
    bin_index = np.searchsorted(inner_edges, prob)
    count = np.bincount(bin_index, minlength=bins)
    positives = np.bincount(bin_index, weights=y, minlength=bins)
    summed = np.bincount(bin_index, weights=prob, minlength=bins)
    filled = count > 0
    return positives[filled] / count[filled], summed[filled] / count[filled], count[filled].astype(np.intp)
