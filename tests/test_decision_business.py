"""lossbook.decision for chapter 9: cost curves, costs that differ per example, capacity, the newsvendor."""

from __future__ import annotations

import numpy as np
import pytest

from lossbook import decision, losses

COSTS = [[0.0, 1.0], [9.0, 0.0]]


def test_threshold_costs_equal_expected_cost_of_thresholded_decisions(rng) -> None:
    n = 500
    p = np.round(rng.uniform(size=n), 2)  # ties on purpose
    y = (rng.uniform(size=n) < p).astype(int)
    w = rng.uniform(0.5, 2.0, size=n)
    t = np.array([-0.5, 0.0, 0.1, 0.25, 0.3, 0.555, 0.9, 1.0, 2.0])
    curve = decision.threshold_costs(y, p, [[0.5, 2.0], [7.0, 1.0]], t, sample_weight=w)
    by_definition = [decision.expected_cost(y, (p > ti).astype(int), [[0.5, 2.0], [7.0, 1.0]], sample_weight=w) for ti in t]
    np.testing.assert_allclose(curve, by_definition, rtol=1e-12)


def test_empirical_threshold_is_a_global_minimiser_and_near_t_star(rng) -> None:
    n = 100_000
    p = rng.uniform(size=n)
    y = (rng.uniform(size=n) < p).astype(int)  # calibrated by construction
    t_hat, cost = decision.empirical_optimal_threshold(y, p, COSTS)
    grid = np.linspace(0.0, 1.0, 2001)
    assert cost <= decision.threshold_costs(y, p, COSTS, grid).min() + 1e-15
    assert cost == pytest.approx(decision.expected_cost(y, (p > t_hat).astype(int), COSTS))
    assert abs(t_hat - decision.optimal_threshold(COSTS)) < 0.02


def test_empirical_threshold_by_hand() -> None:
    # scores 0.1 (neg), 0.4 (pos), 0.6 (neg), 0.8 (pos); FN costs 5
    t, cost = decision.empirical_optimal_threshold([0, 1, 0, 1], [0.1, 0.4, 0.6, 0.8], [[0, 1], [5, 0]])
    assert (t, cost) == (0.25, 0.25)  # flag all but the first: one false positive in four


def test_expected_saving_is_the_difference_of_expected_costs(rng) -> None:
    n = 50
    p = rng.uniform(size=n)
    fp, fn, tp, tn = (rng.uniform(0, 10, size=n) for _ in range(4))
    cost_0 = p * fn + (1 - p) * tn
    cost_1 = p * tp + (1 - p) * fp
    np.testing.assert_allclose(decision.expected_saving(p, fp, fn, tp, tn), cost_0 - cost_1, rtol=1e-12, atol=1e-12)


def test_expected_saving_with_constant_costs_changes_sign_at_t_star() -> None:
    t_star = decision.optimal_threshold(COSTS)
    s = decision.expected_saving([t_star - 1e-9, t_star + 1e-9], cost_fp=1.0, cost_fn=9.0)
    assert s[0] < 0 < s[1]


def test_example_costs_by_outcome() -> None:
    got = decision.example_costs([0, 0, 1, 1], [0, 1, 0, 1], cost_fp=[1, 2, 3, 4], cost_fn=[5, 6, 7, 8],
                                 cost_tp=[0.5, 0.5, 0.5, 0.25], cost_tn=0.1)
    assert got.tolist() == [0.1, 2.0, 7.0, 0.25]
    assert decision.example_costs([0, 1], np.array([True, False]), 1.0, 3.0).tolist() == [1.0, 3.0]


def test_the_per_example_rule_is_optimal_for_every_example(rng) -> None:
    # acting where the saving is positive has the lowest expected cost of all 2^n policies; check it
    # against every policy of 8 examples, in expectation over y ~ Bernoulli(p)
    n = 8
    p = rng.uniform(size=n)
    amount = rng.lognormal(3.0, 1.0, size=n)
    saving = decision.expected_saving(p, cost_fp=5.0, cost_fn=amount, cost_tp=5.0)
    best = (saving > 0).astype(int)

    def expected_bill(d):
        return float(np.sum(p * decision.example_costs(np.ones(n), d, 5.0, amount, 5.0)
                            + (1 - p) * decision.example_costs(np.zeros(n), d, 5.0, amount, 5.0)))

    policies = ((np.arange(2**n)[:, None] >> np.arange(n)) & 1)
    assert expected_bill(best) <= min(expected_bill(d) for d in policies) + 1e-9


def test_example_threshold_costs_equal_the_bills_of_thresholded_decisions(rng) -> None:
    n = 300
    p = np.round(rng.uniform(size=n), 2)
    y = (rng.uniform(size=n) < p).astype(int)
    amount = rng.lognormal(3.0, 1.0, size=n)
    t = np.array([-1.0, 0.0, 0.05, 0.5, 0.505, 0.99, 1.0])
    curve = decision.example_threshold_costs(y, p, t, cost_fp=5.0, cost_fn=amount, cost_tp=5.0, cost_tn=0.5)
    bills = [decision.example_costs(y, (p > ti).astype(int), 5.0, amount, 5.0, 0.5).sum() for ti in t]
    np.testing.assert_allclose(curve, bills, rtol=1e-12)


def test_capacity_limited_decision_takes_the_top_positive_savings_per_group() -> None:
    s = [3.0, -1.0, 7.0, 2.0, 5.0, 0.5, -2.0]
    g = [0, 0, 0, 0, 1, 1, 1]
    assert decision.capacity_limited_decision(s, 2, groups=g).tolist() == [1, 0, 1, 0, 1, 1, 0]
    assert decision.capacity_limited_decision(s, 0).tolist() == [0] * 7
    assert decision.capacity_limited_decision(s, 100).tolist() == [1, 0, 1, 1, 1, 1, 0]
    assert decision.capacity_limited_decision([1.0, 1.0, 1.0], 2).tolist() == [1, 1, 0]  # ties: earlier first


def test_capacity_limited_decision_is_the_best_choice_of_k(rng) -> None:
    s = rng.normal(size=12)
    k = 4
    chosen = decision.capacity_limited_decision(s, k)
    assert chosen.sum() <= k
    masks = (np.arange(2**12)[:, None] >> np.arange(12)) & 1
    best = float((masks[masks.sum(axis=1) <= k] @ s).max())
    assert float(s @ chosen) == pytest.approx(best)


def test_newsvendor_cost_is_scaled_pinball(rng) -> None:
    demand = rng.poisson(40, size=300).astype(float)
    order = demand + rng.normal(0, 5, size=300)
    cu, co = 3.0, 1.0
    q = decision.newsvendor_quantile(cu, co)
    assert decision.newsvendor_cost(demand, order, cu, co) == pytest.approx(
        (cu + co) * losses.pinball.cost(demand, order, quantile=q))


def test_newsvendor_best_constant_order_is_the_critical_fractile(rng) -> None:
    demand = rng.poisson(40, size=20_001).astype(float)
    cu, co = 3.0, 1.0
    orders = np.arange(20.0, 61.0)
    best = orders[np.argmin([decision.newsvendor_cost(demand, np.full(demand.size, o), cu, co) for o in orders])]
    assert best == np.quantile(demand, decision.newsvendor_quantile(cu, co), method="inverted_cdf")


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: decision.threshold_costs([0, 1], [0.2, 0.8], [[0, 1, 1], [1, 0, 1], [1, 1, 0]], [0.5]), "2 x 2"),
        (lambda: decision.threshold_costs([0, 1], [0.2, 1.8], COSTS, [0.5]), "p"),
        (lambda: decision.threshold_costs([0, 1], [0.2, 0.8], COSTS, [np.nan]), "thresholds"),
        (lambda: decision.threshold_costs([0, 2], [0.2, 0.8], COSTS, [0.5]), "y_true"),
        (lambda: decision.empirical_optimal_threshold([0, 1], [0.2], COSTS), "same shape"),
        (lambda: decision.empirical_optimal_threshold([0, 1], [0.2, 0.8], [[0, 1], [-1, 0]]), "must not cost less"),
        (lambda: decision.expected_saving([0.2, 0.5], cost_fp=[1.0, 2.0, 3.0], cost_fn=1.0), r"shape \(2,\)"),
        (lambda: decision.expected_saving([0.2, 0.5], cost_fp=1.0, cost_fn=[1.0, np.inf]), "finite"),
        (lambda: decision.expected_saving([0.2, -0.5], cost_fp=1.0, cost_fn=1.0), "p"),
        (lambda: decision.example_costs([0, 1], [0, 2], 1.0, 1.0), "decision"),
        (lambda: decision.example_costs([0, 1], [0, 1, 1], 1.0, 1.0), "same shape"),
        (lambda: decision.capacity_limited_decision([1.0, 2.0], -1), "capacity"),
        (lambda: decision.capacity_limited_decision([1.0, np.nan], 1), "saving"),
        (lambda: decision.capacity_limited_decision([1.0, 2.0], 1, groups=[0, 1, 1]), "groups"),
        (lambda: decision.newsvendor_cost([1.0, 2.0], [1.0], 1.0, 1.0), "same shape"),
        (lambda: decision.newsvendor_cost([1.0], [1.0], 0.0, 1.0), "underage_cost"),
        (lambda: decision.newsvendor_cost([1.0], [np.nan], 1.0, 1.0), "order"),
    ],
)
def test_bad_input_says_what_is_wrong(call, match) -> None:
    with pytest.raises(ValueError, match=match):
        call()
