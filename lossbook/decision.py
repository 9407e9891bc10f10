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

__all__ = [
    "capacity_limited_decision", "cost_optimal_decision", "empirical_optimal_threshold", "example_costs",
    "example_threshold_costs", "expected_cost", "expected_saving", "newsvendor_cost", "newsvendor_quantile", "optimal_threshold",
    "threshold_costs",
]

FloatArray = NDArray[np.float64]


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


# -- costs over thresholds ------------------------------------------------------------------------
def _binary_labels_and_probabilities(y_true: ArrayLike, p: ArrayLike) -> tuple[NDArray[np.intp], FloatArray]:
    y = v.as_labels(y_true, 2, "y_true", "binary labels: 0 or 1")
    prob = v.as_vector(p, "p")
    v.check_same_shape(y, prob, ("y_true", "p"))
    v.check_interval(prob, "p", 0.0, 1.0)
    return y, prob


def threshold_costs(
    y_true: ArrayLike,
    p: ArrayLike,
    cost_matrix: ArrayLike,
    thresholds: ArrayLike,
    sample_weight: ArrayLike | None = None,
) -> FloatArray:
    r"""The mean cost of the rule "decide 1 when :math:`p_i > t`", for each threshold :math:`t`.

    .. math:: J(t) = \frac{\sum_i w_i\, C\bigl[y_i\bigr]\bigl[\mathbb 1(p_i > t)\bigr]}{\sum_i w_i},

    the empirical cost curve of a binary classifier. It is computed for all thresholds at once
    from the sorted scores and cumulative weights (``O((n + m) log n)`` for ``m`` thresholds), and
    equals :func:`expected_cost` of the decisions ``(p > t)`` at every ``t``.

    Parameters
    ----------
    y_true
        Labels, 0 or 1, shape ``(n,)``.
    p
        Scores in [0, 1] (probabilities of class 1), shape ``(n,)``.
    cost_matrix
        2 x 2, ``cost_matrix[true][decision]``.
    thresholds
        The thresholds, any real numbers, shape ``(m,)``.
    sample_weight
        Optional non-negative weights, shape ``(n,)``.

    Returns
    -------
    ndarray of float, shape ``(m,)``
        :math:`J(t)` for each threshold.

    Examples
    --------
    >>> threshold_costs([0, 1, 1, 0], [0.1, 0.4, 0.8, 0.6], [[0, 1], [5, 0]], [0.0, 0.5, 1.0]).tolist()
    [0.5, 1.5, 2.5]
    """
    costs = v.as_cost_matrix(cost_matrix)
    if costs.shape != (2, 2):
        raise ValueError(f"threshold_costs needs a 2 x 2 cost matrix, got shape {costs.shape}")
    y, prob = _binary_labels_and_probabilities(y_true, p)
    t = v.as_vector(thresholds, "thresholds")
    v.check_finite(t, "thresholds")
    w = np.ones(y.shape[0]) if sample_weight is None else v.check_sample_weight(sample_weight, y.shape[0])
    order = np.argsort(prob, kind="stable")
    sorted_p = prob[order]
    positive_weight = np.concatenate([[0.0], np.cumsum((w * y)[order])])
    negative_weight = np.concatenate([[0.0], np.cumsum((w * (1 - y))[order])])
    below = np.searchsorted(sorted_p, t, side="right")  # scores <= t: decided 0
    pos_0, neg_0 = positive_weight[below], negative_weight[below]
    pos_1, neg_1 = positive_weight[-1] - pos_0, negative_weight[-1] - neg_0
    total = (neg_0 * costs[0, 0] + neg_1 * costs[0, 1] + pos_0 * costs[1, 0] + pos_1 * costs[1, 1])
    return total / w.sum()


def empirical_optimal_threshold(
    y_true: ArrayLike, p: ArrayLike, cost_matrix: ArrayLike, sample_weight: ArrayLike | None = None
) -> tuple[float, float]:
    r"""The threshold that minimises the empirical cost :math:`J(t)` of :func:`threshold_costs`, and that cost.

    :math:`J` is a step function that changes only where :math:`t` passes a score, so it is enough
    to try 0, 1 and the midpoints between consecutive distinct scores. Of several minimisers the
    smallest is returned. On held-out data from a calibrated model it lies near
    :func:`optimal_threshold`; on the training data it over-fits.

    Returns
    -------
    (float, float)
        The threshold and :math:`J` there.

    Examples
    --------
    >>> empirical_optimal_threshold([0, 1, 1, 0], [0.1, 0.4, 0.8, 0.6], [[0, 1], [5, 0]])
    (0.25, 0.25)
    """
    y, prob = _binary_labels_and_probabilities(y_true, p)
    distinct = np.unique(prob)
    candidates = np.unique(np.concatenate([[0.0, 1.0], 0.5 * (distinct[:-1] + distinct[1:])]))
    curve = threshold_costs(y, prob, cost_matrix, candidates, sample_weight)
    best = int(np.argmin(curve))
    return float(candidates[best]), float(curve[best])


# -- costs that depend on the example -------------------------------------------------------------
def _example_cost(value: ArrayLike, name: str, n: int) -> FloatArray:
    """A cost that is one number for all examples or one per example (shape (n,)): never broadcast further."""
    arr = v.as_float_array(value, name)
    if arr.ndim == 0:
        arr = np.full(n, float(arr))
    elif arr.shape != (n,):
        raise ValueError(f"{name} must be a number or have shape ({n},), one cost per example, got shape {arr.shape}")
    v.check_finite(arr, name)
    return arr


def _example_cost_table(
    n: int, cost_fp: ArrayLike, cost_fn: ArrayLike, cost_tp: ArrayLike, cost_tn: ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """The four costs of a binary decision, each checked and made one per example."""
    return (_example_cost(cost_fp, "cost_fp", n), _example_cost(cost_fn, "cost_fn", n),
            _example_cost(cost_tp, "cost_tp", n), _example_cost(cost_tn, "cost_tn", n))


def expected_saving(
    p: ArrayLike,
    cost_fp: ArrayLike,
    cost_fn: ArrayLike,
    cost_tp: ArrayLike = 0.0,
    cost_tn: ArrayLike = 0.0,
) -> FloatArray:
    r"""What acting (deciding 1) saves in expectation, example by example.

    With :math:`p_i = P(y_i = 1)` and costs that may differ per example,

    .. math:: s_i = \underbrace{p_i c^{FN}_i + (1 - p_i) c^{TN}_i}_{\text{expected cost of deciding 0}}
              - \underbrace{\bigl(p_i c^{TP}_i + (1 - p_i) c^{FP}_i\bigr)}_{\text{of deciding 1}}
              = p_i (c^{FN}_i - c^{TP}_i) - (1 - p_i)(c^{FP}_i - c^{TN}_i).

    The cost-optimal rule acts where :math:`s_i > 0`: a threshold per example,
    :math:`p_i > (c^{FP}_i - c^{TN}_i) / \bigl((c^{FP}_i - c^{TN}_i) + (c^{FN}_i - c^{TP}_i)\bigr)`.
    For a fraud review that costs :math:`r` and a fraud that costs its amount :math:`a_i`
    (``cost_fp = cost_tp = r``, ``cost_fn = a``), :math:`s_i = p_i a_i - r`.

    Parameters
    ----------
    p
        Probabilities of class 1, in [0, 1], shape ``(n,)``.
    cost_fp, cost_fn, cost_tp, cost_tn
        The cost of each outcome: a number, or one per example (shape ``(n,)``). Unlike a cost
        matrix they need not favour the right decision for every example: a retention offer to a
        customer of low value may cost more than losing the customer.

    Returns
    -------
    ndarray of float, shape ``(n,)``
        :math:`s_i`, in the units of the costs.

    Examples
    --------
    >>> expected_saving([0.5, 0.2], cost_fp=5.0, cost_fn=[1000.0, 10.0], cost_tp=5.0).tolist()
    [495.0, -3.0]
    """
    prob = v.as_vector(p, "p")
    v.check_interval(prob, "p", 0.0, 1.0)
    n = prob.shape[0]
    fp, fn, tp, tn = _example_cost_table(n, cost_fp, cost_fn, cost_tp, cost_tn)
    return prob * (fn - tp) - (1.0 - prob) * (fp - tn)


def example_costs(
    y_true: ArrayLike,
    decision: ArrayLike,
    cost_fp: ArrayLike,
    cost_fn: ArrayLike,
    cost_tp: ArrayLike = 0.0,
    cost_tn: ArrayLike = 0.0,
) -> FloatArray:
    r"""The cost each binary decision actually incurred: :math:`c^{TN}_i, c^{FP}_i, c^{FN}_i` or :math:`c^{TP}_i`.

    Parameters
    ----------
    y_true
        Labels, 0 or 1, shape ``(n,)``.
    decision
        Decisions, 0 or 1 (or booleans), shape ``(n,)``.
    cost_fp, cost_fn, cost_tp, cost_tn
        As for :func:`expected_saving`: numbers or one per example.

    Returns
    -------
    ndarray of float, shape ``(n,)``
        The realised cost of each decision; its sum is the bill of the policy.

    Examples
    --------
    >>> example_costs([0, 1, 1, 0], [0, 0, 1, 1], cost_fp=5.0, cost_fn=[0.0, 80.0, 30.0, 0.0], cost_tp=5.0).tolist()
    [0.0, 80.0, 5.0, 5.0]
    """
    y = v.as_labels(y_true, 2, "y_true", "binary labels: 0 or 1")
    d = v.as_labels(np.asarray(decision, dtype=np.float64) if np.asarray(decision).dtype == bool else decision,
                    2, "decision", "binary decisions: 0 or 1")
    v.check_same_shape(y, d, ("y_true", "decision"))
    n = y.shape[0]
    fp, fn, tp, tn = _example_cost_table(n, cost_fp, cost_fn, cost_tp, cost_tn)
    return np.where(y == 1, np.where(d == 1, tp, fn), np.where(d == 1, fp, tn))


def example_threshold_costs(
    y_true: ArrayLike,
    p: ArrayLike,
    thresholds: ArrayLike,
    cost_fp: ArrayLike,
    cost_fn: ArrayLike,
    cost_tp: ArrayLike = 0.0,
    cost_tn: ArrayLike = 0.0,
) -> FloatArray:
    r"""The total realised cost of "decide 1 when :math:`p_i > t`" for each threshold, with costs per example.

    .. math:: B(t) = \sum_i \text{cost}_i\bigl(y_i, \mathbb 1(p_i > t)\bigr),

    the sum of :func:`example_costs` of the thresholded decisions, for all thresholds at once
    (sorted scores and cumulative sums). Use it to find the best *single* threshold when what an
    error costs differs from example to example, and to see how much a threshold per example
    (:func:`expected_saving` > 0) beats it.

    Returns
    -------
    ndarray of float, shape ``(m,)``
        :math:`B(t)` for each of the ``m`` thresholds, in the units of the costs.

    Examples
    --------
    >>> example_threshold_costs([0, 1], [0.2, 0.6], [0.0, 0.5, 1.0], cost_fp=5.0, cost_fn=[0.0, 80.0], cost_tp=5.0).tolist()
    [10.0, 5.0, 80.0]
    """
    y, prob = _binary_labels_and_probabilities(y_true, p)
    t = v.as_vector(thresholds, "thresholds")
    v.check_finite(t, "thresholds")
    n = y.shape[0]
    ones, zeros = np.ones(n, dtype=np.intp), np.zeros(n, dtype=np.intp)
    if_0 = example_costs(y, zeros, cost_fp, cost_fn, cost_tp, cost_tn)
    if_1 = example_costs(y, ones, cost_fp, cost_fn, cost_tp, cost_tn)
    order = np.argsort(prob, kind="stable")
    sorted_p = prob[order]
    cost_0 = np.concatenate([[0.0], np.cumsum(if_0[order])])  # the lowest j scores decided 0
    cost_1 = np.concatenate([[0.0], np.cumsum(if_1[order])])
    below = np.searchsorted(sorted_p, t, side="right")
    return cost_0[below] + (cost_1[-1] - cost_1[below])


def capacity_limited_decision(
    saving: ArrayLike, capacity: int, groups: ArrayLike | None = None
) -> NDArray[np.intp]:
    r"""Act on at most ``capacity`` examples (per group), those with the largest positive expected saving.

    With room for only :math:`K` actions (reviews a day, offers a campaign), the best policy in
    expectation takes the :math:`K` largest :math:`s_i > 0` of :func:`expected_saving`: any
    other choice of at most :math:`K` examples saves less in expectation. The rule
    "act when :math:`s_i > 0`" becomes a ranking by :math:`s_i`, cut at :math:`K`.

    Parameters
    ----------
    saving
        Expected saving of acting on each example, shape ``(n,)``.
    capacity
        The most actions allowed (per group), an integer >= 0.
    groups
        Optional labels of shape ``(n,)`` (e.g. the day of each transaction): the capacity then
        applies to each group separately.

    Returns
    -------
    ndarray of int, shape ``(n,)``
        1 for the examples acted on, else 0. Ties in the saving go to the earlier example.

    Examples
    --------
    >>> capacity_limited_decision([3.0, -1.0, 7.0, 2.0], capacity=2).tolist()
    [1, 0, 1, 0]
    """
    s = v.as_vector(saving, "saving")
    v.check_finite(s, "saving")
    k = v.whole_number(capacity, "capacity", minimum=0)
    if groups is None:
        labels = np.zeros(s.shape[0], dtype=np.intp)
    else:
        raw = np.asarray(groups)
        if raw.shape != s.shape:
            raise ValueError(f"groups must have the shape of saving, {s.shape}, got {raw.shape}")
        labels = np.unique(raw, return_inverse=True)[1].reshape(-1)
    # sort by group, then by decreasing saving, ties by position (lexsort: last key first)
    order = np.lexsort((np.arange(s.shape[0]), -s, labels))
    sorted_labels = labels[order]
    starts = np.searchsorted(sorted_labels, sorted_labels, side="left")
    rank_in_group = np.arange(s.shape[0]) - starts
    chosen = np.zeros(s.shape[0], dtype=np.intp)
    chosen[order] = ((rank_in_group < k) & (s[order] > 0)).astype(np.intp)
    return chosen


# -- the newsvendor -------------------------------------------------------------------------------
def newsvendor_cost(
    demand: ArrayLike, order: ArrayLike, underage_cost: float, overage_cost: float
) -> float:
    r"""The mean cost of orders against realised demand: :math:`c_u (D - Q)^+ + c_o (Q - D)^+`.

    Equal to :math:`(c_u + c_o)` times the mean pinball loss at the critical fractile
    :math:`q = c_u / (c_u + c_o)` (:func:`newsvendor_quantile`), which is why a model trained with
    that pinball loss orders well.

    Parameters
    ----------
    demand
        Realised demand :math:`D`, shape ``(n,)``.
    order
        The order :math:`Q` placed for each period, shape ``(n,)``.
    underage_cost, overage_cost
        :math:`c_u` per unit short, :math:`c_o` per unit left over, both > 0.

    Examples
    --------
    >>> newsvendor_cost([10.0, 10.0], [8.0, 13.0], underage_cost=3.0, overage_cost=1.0)
    4.5
    """
    cu = v.positive(underage_cost, "underage_cost")
    co = v.positive(overage_cost, "overage_cost")
    d = v.as_vector(demand, "demand")
    q = v.as_vector(order, "order")
    v.check_same_shape(d, q, ("demand", "order"))
    v.check_finite(d, "demand")
    v.check_finite(q, "order")
    shortfall = d - q
    return float(np.mean(np.where(shortfall > 0, cu * shortfall, -co * shortfall)))
