"""The best constant prediction of each regression loss: the mean, the median, a quantile."""

from __future__ import annotations

import numpy as np
import pytest

from lossbook import losses
from lossbook.baselines import best_constant

REGRESSION = [loss for loss in losses.REGISTRY.values() if loss.task == "regression"]


@pytest.fixture
def skewed() -> np.ndarray:
    # odd n, so that the median and the quantiles below are single order statistics
    return np.random.default_rng(3).lognormal(3.0, 1.0, 301)


def test_known_minimisers(skewed: np.ndarray) -> None:
    y = skewed
    scale = y.max() - y.min()
    assert best_constant("squared_error", y) == pytest.approx(y.mean(), abs=1e-10 * scale)
    assert best_constant(losses.absolute_error, y) == pytest.approx(np.median(y), abs=1e-10 * scale)
    for q in (0.1, 0.5, 0.9):
        expected = np.quantile(y, q, method="inverted_cdf")
        assert best_constant("pinball", y, quantile=q) == pytest.approx(expected, abs=1e-10 * scale)
    geometric = np.expm1(np.mean(np.log1p(y)))
    assert best_constant("squared_log_error", y) == pytest.approx(geometric, abs=1e-10 * scale)


def test_weights_are_counts(skewed: np.ndarray) -> None:
    y = skewed[:11]
    counts = np.arange(1, 12, dtype=float)
    for loss in ("squared_error", "absolute_error"):
        weighted = best_constant(loss, y, sample_weight=counts)
        repeated = best_constant(loss, np.repeat(y, counts.astype(int)))
        assert weighted == pytest.approx(repeated, rel=1e-9)


@pytest.mark.parametrize("loss", REGRESSION, ids=lambda loss: loss.name)
def test_no_constant_on_a_fine_grid_does_better(loss, skewed: np.ndarray) -> None:
    y = skewed
    best = best_constant(loss, y)
    assert y.min() <= best <= y.max()
    grid = np.linspace(y.min(), y.max(), 2001)
    costs = [loss.cost(y, np.full_like(y, c)) for c in grid]
    assert loss.cost(y, np.full_like(y, best)) <= min(costs) * (1 + 1e-12)


def test_huber_lies_between_median_and_mean(skewed: np.ndarray) -> None:
    y = skewed
    small, large = best_constant("huber", y, delta=0.01), best_constant("huber", y, delta=1e4)
    assert small == pytest.approx(np.median(y), rel=1e-3)
    assert large == pytest.approx(y.mean(), rel=1e-9)
    assert np.median(y) < best_constant("huber", y, delta=10.0) < y.mean()


def test_edge_cases() -> None:
    assert best_constant("absolute_error", [5.0, 5.0, 5.0]) == 5.0
    assert best_constant("squared_error", [2.0]) == 2.0
    assert best_constant("squared_error", [1e6, 1e6 + 1e-3]) == pytest.approx(1e6 + 5e-4, abs=1e-9)
    mid = best_constant("absolute_error", [1.0, 2.0, 3.0, 4.0])  # any point in [2, 3] is a minimiser
    assert 2.0 <= mid <= 3.0


@pytest.mark.parametrize(
    "args, kwargs, error, match",
    [
        (("hinge", [1.0, -1.0]), {}, ValueError, "regression loss"),
        (("nope", [1.0]), {}, ValueError, "unknown loss"),
        ((3, [1.0]), {}, TypeError, "registry name or a Loss"),
        (("squared_log_error", [-2.0, 1.0]), {}, ValueError, r"y_true must lie in \(-1, inf\)"),
        (("squared_error", [1.0, np.nan]), {}, ValueError, "finite"),
        (("squared_error", [[1.0, 2.0]]), {}, ValueError, "1-D"),
        (("pinball", [1.0, 2.0]), {"quantile": 1.5}, ValueError, "quantile"),
        (("squared_error", [1.0, 2.0]), {"sample_weight": [1.0]}, ValueError, "sample_weight"),
        (("squared_error", [1.0, 2.0]), {"n_grid": 2}, ValueError, "n_grid"),
        (("squared_error", [1.0, 2.0]), {"xtol": 1.0}, ValueError, "xtol"),
    ],
)
def test_bad_input_is_refused(args, kwargs, error, match) -> None:
    with pytest.raises(error, match=match):
        best_constant(*args, **kwargs)
