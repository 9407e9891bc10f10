"""lossbook.decision: expected cost, the cost-optimal threshold and decision, the newsvendor."""

from __future__ import annotations

import numpy as np
import pytest

from lossbook import decision

FP, FN = 1.0, 9.0
BINARY = [[0.0, FP], [FN, 0.0]]


def test_expected_cost_by_hand() -> None:
    # decisions: TN, FN, TP, FP -> costs 0, 9, 0, 1
    assert decision.expected_cost([0, 1, 1, 0], [0, 0, 1, 1], BINARY) == pytest.approx(10 / 4)
    assert decision.expected_cost([0, 1, 1, 0], [0, 0, 1, 1], BINARY, sample_weight=[1, 1, 1, 3]) == pytest.approx(12 / 6)
    assert type(decision.expected_cost([0], [1], BINARY)) is float


def test_expected_cost_matches_confusion_matrix(rng) -> None:
    sk = pytest.importorskip("sklearn.metrics")
    k, n = 3, 200
    costs = rng.uniform(1, 5, size=(k, k))
    np.fill_diagonal(costs, 0.5)
    y, d = rng.integers(0, k, n), rng.integers(0, k, n)
    cm = sk.confusion_matrix(y, d, labels=range(k))
    assert decision.expected_cost(y, d, costs) == pytest.approx(float((cm * costs).sum()) / n)


def test_optimal_threshold_formula() -> None:
    assert decision.optimal_threshold(BINARY) == pytest.approx(FP / (FP + FN))
    # with costs for correct decisions: (c01 - c00) / ((c01 - c00) + (c10 - c11))
    assert decision.optimal_threshold([[1.0, 4.0], [10.0, 2.0]]) == pytest.approx(3.0 / (3.0 + 8.0))


def test_optimal_threshold_minimises_expected_cost_for_calibrated_probabilities(rng) -> None:
    # Calibrated by construction: y ~ Bernoulli(p). The empirical cost over thresholds is least near t*.
    n = 200_000
    p = rng.uniform(size=n)
    y = (rng.uniform(size=n) < p).astype(int)
    grid = np.linspace(0.01, 0.99, 99)
    costs = [decision.expected_cost(y, (p > t).astype(int), BINARY) for t in grid]
    assert abs(grid[int(np.argmin(costs))] - decision.optimal_threshold(BINARY)) <= 0.02


def test_cost_optimal_decision_binary_is_threshold_rule(rng) -> None:
    p = rng.uniform(size=500)
    t = decision.optimal_threshold(BINARY)
    away = np.abs(p - t) > 1e-12
    np.testing.assert_array_equal(decision.cost_optimal_decision(p, BINARY)[away], (p > t)[away].astype(int))


def test_cost_optimal_decision_multiclass(rng) -> None:
    k = 3
    costs = rng.uniform(1, 5, size=(k, k))
    np.fill_diagonal(costs, 0.0)
    p = rng.dirichlet(np.ones(k), size=50)
    d = decision.cost_optimal_decision(p, costs)
    expected = np.array([[sum(row[i] * costs[i, j] for i in range(k)) for j in range(k)] for row in p])
    np.testing.assert_array_equal(d, expected.argmin(axis=1))
    # zero-one costs: the most probable class
    np.testing.assert_array_equal(decision.cost_optimal_decision(p, 1 - np.eye(k)), p.argmax(axis=1))


def test_newsvendor_quantile() -> None:
    assert decision.newsvendor_quantile(3.0, 1.0) == 0.75
    assert decision.newsvendor_quantile(1, 1) == 0.5


def test_newsvendor_order_minimises_expected_cost(rng) -> None:
    demand = rng.gamma(4.0, 25.0, size=100_000)
    cu, co = 4.0, 1.0
    orders = np.linspace(50, 200, 301)
    cost = [np.mean(cu * np.maximum(demand - q, 0) + co * np.maximum(q - demand, 0)) for q in orders]
    best = orders[int(np.argmin(cost))]
    assert best == pytest.approx(np.quantile(demand, decision.newsvendor_quantile(cu, co)), abs=1.0)


@pytest.mark.parametrize(
    ("matrix", "match"),
    [
        ([[0, 1, 2], [1, 0, 2]], "square"),
        ([[0.0]], "square"),
        ([0, 1], "square"),
        ([[0, np.nan], [1, 0]], "finite"),
        ([[0, -1], [5, 0]], r"cost_matrix\[0\]\[1\] = -1.0 is less than cost_matrix\[0\]\[0\]"),
        ([[0, 1], [5, 6]], r"cost_matrix\[1\]\[0\] = 5.0 is less than cost_matrix\[1\]\[1\]"),
    ],
)
def test_bad_cost_matrix(matrix, match) -> None:
    for call in (lambda: decision.optimal_threshold(matrix), lambda: decision.expected_cost([0], [0], matrix)):
        with pytest.raises(ValueError, match=match):
            call()


def test_non_numeric_cost_matrix() -> None:
    with pytest.raises(TypeError, match="real numbers"):
        decision.optimal_threshold([["a", "b"], ["c", "d"]])


def test_threshold_needs_binary_and_a_decision_that_matters() -> None:
    with pytest.raises(ValueError, match="2 x 2"):
        decision.optimal_threshold(1 - np.eye(3))
    with pytest.raises(ValueError, match="every decision cost the same"):
        decision.optimal_threshold([[1, 1], [2, 2]])


@pytest.mark.parametrize(
    ("y", "d", "match"),
    [
        ([0, 2], [0, 1], r"y_true must hold integer class labels in \[0, 2\).*found 2.0 at index 1"),
        ([0, 1], [0, 0.5], r"y_pred_label must hold integer class labels.*0.5"),
        ([0, 1], [0, -1], "y_pred_label"),
        ([0, 1], [0, 1, 1], "same shape"),
        ([0, np.nan], [0, 1], "finite"),
    ],
)
def test_bad_labels(y, d, match) -> None:
    with pytest.raises(ValueError, match=match):
        decision.expected_cost(y, d, BINARY)


def test_bad_probabilities() -> None:
    with pytest.raises(ValueError, match=r"p must lie in \[0, 1\]"):
        decision.cost_optimal_decision([0.2, 1.2], BINARY)
    with pytest.raises(ValueError, match="3 classes"):
        decision.cost_optimal_decision(np.full((2, 3), 1 / 3), BINARY)


@pytest.mark.parametrize(("cu", "co"), [(0, 1), (1, -1), (np.nan, 1)])
def test_bad_newsvendor_costs(cu, co) -> None:
    with pytest.raises(ValueError, match="_cost must"):
        decision.newsvendor_quantile(cu, co)
