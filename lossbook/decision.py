r"""Decisions: from predicted probabilities to the action that costs least.

A **cost matrix** :math:`C` is :math:`k \times k`, indexed ``cost_matrix[true_class][decision]``:
rows are the truth, columns the decision, as in ``sklearn.metrics.confusion_matrix``. For a binary
problem ``C[0][1]`` is the cost of a false positive and ``C[1][0]`` that of a false negative.

Given calibrated probabilities :math:`P(y = i \mid x)`, the decision with the lowest expected
cost is

.. math:: d^*(x) = \arg\min_j \sum_i P(y = i \mid x)\, C_{ij},

which for two classes is "decide 1 when :math:`p > t^*`" with the threshold of
:func:`optimal_threshold`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validation as v

__all__ = ["cost_optimal_decision", "expected_cost", "newsvendor_quantile", "optimal_threshold"]


def expected_cost(
    y_true: ArrayLike,
    y_pred_label: ArrayLike,
    cost_matrix: ArrayLike,
    sample_weight: ArrayLike | None = None,
) -> float:
    r"""The (weighted) mean cost of decisions: :math:`\sum_i w_i C[y_i][d_i] / \sum_i w_i`.

    Parameters
    ----------
    y_true
        True class labels, integers in ``[0, k)``, shape ``(n,)``.
    y_pred_label
        The decisions taken, integers in ``[0, k)``, shape ``(n,)``.
    cost_matrix
        ``k x k``, ``cost_matrix[true][decision]`` (see the module docstring).
    sample_weight
        Optional non-negative weights, shape ``(n,)``.

    Returns
    -------
    float
        The mean cost per decision, in the units of the cost matrix.

    Examples
    --------
    >>> expected_cost([0, 1, 1, 0], [0, 0, 1, 1], [[0, 1], [5, 0]])
    1.5
    """
    costs = v.as_cost_matrix(cost_matrix)
    k = costs.shape[0]
    what = "rows and columns of the cost matrix"
    y = v.as_labels(y_true, k, "y_true", what)
    d = v.as_labels(y_pred_label, k, "y_pred_label", what)
    v.check_same_shape(y, d, ("y_true", "y_pred_label"))
    per_decision = costs[y, d]
    if sample_weight is None:
        return float(per_decision.mean())
    w = v.check_sample_weight(sample_weight, y.shape[0])
    return float(w @ per_decision / w.sum())


def optimal_threshold(cost_matrix: ArrayLike) -> float:
    r"""The threshold :math:`t^*` on a calibrated :math:`p = P(y = 1)` above which deciding 1 costs less.

    Deciding 1 has expected cost :math:`(1 - p) C_{01} + p C_{11}`, deciding 0 has
    :math:`(1 - p) C_{00} + p C_{10}`; they are equal at

    .. math:: t^* = \frac{C_{01} - C_{00}}{(C_{01} - C_{00}) + (C_{10} - C_{11})},

    which with zero cost for correct decisions is :math:`c_{FP} / (c_{FP} + c_{FN})`.

    Examples
    --------
    >>> optimal_threshold([[0, 1], [9, 0]])  # a miss costs 9 false alarms
    0.1
    """
    costs = v.as_cost_matrix(cost_matrix)
    if costs.shape != (2, 2):
        raise ValueError(f"optimal_threshold needs a 2 x 2 cost matrix, got shape {costs.shape}; "
                         "for k classes use cost_optimal_decision")
    regret_fp = costs[0, 1] - costs[0, 0]
    regret_fn = costs[1, 0] - costs[1, 1]
    if regret_fp + regret_fn == 0:
        raise ValueError("cost_matrix makes every decision cost the same: no threshold is better than another")
    return float(regret_fp / (regret_fp + regret_fn))


def cost_optimal_decision(p: ArrayLike, cost_matrix: ArrayLike) -> NDArray[np.intp]:
    r"""The decision of least expected cost for each example, :math:`\arg\min_j \sum_i p_i C_{ij}`.

    Parameters
    ----------
    p
        Calibrated probabilities: shape ``(n,)`` for :math:`P(y = 1)` of a binary problem, or
        ``(n, k)`` rows on the simplex.
    cost_matrix
        ``k x k``, ``cost_matrix[true][decision]``.

    Returns
    -------
    ndarray of int, shape ``(n,)``
        The decisions. Ties go to the lower class.
    """
    costs = v.as_cost_matrix(cost_matrix)
    probs = v.as_float_array(p, "p")
    if probs.ndim == 1:
        v.check_interval(probs, "p", 0.0, 1.0)
        probs = np.column_stack([1.0 - probs, probs])
    else:
        probs = v.as_matrix(probs, "p")
        v.check_probability_rows(probs, "p")
    if probs.shape[1] != costs.shape[0]:
        raise ValueError(f"p has {probs.shape[1]} classes but cost_matrix is {costs.shape[0]} x {costs.shape[0]}")
    return np.argmin(probs @ costs, axis=1)


def newsvendor_quantile(underage_cost: float, overage_cost: float) -> float:
    r"""The critical fractile :math:`c_u / (c_u + c_o)`.

    Ordering :math:`Q` units against an uncertain demand :math:`D` costs :math:`c_u` per unit
    short and :math:`c_o` per unit left over; the expected cost is minimised by the quantile of
    :math:`D` at this level, which is the ``quantile`` of the pinball loss that trains a model to
    forecast it.

    Examples
    --------
    >>> newsvendor_quantile(3.0, 1.0)  # a lost sale costs three unsold units
    0.75
    """
    cu = v.positive(underage_cost, "underage_cost")
    co = v.positive(overage_cost, "overage_cost")
    return cu / (cu + co)
