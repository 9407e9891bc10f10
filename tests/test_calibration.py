"""lossbook.calibration: the Brier score and the reliability curve, checked against scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest

import lossbook
from lossbook.calibration import brier_score, reliability_curve

sk_metrics = pytest.importorskip("sklearn.metrics")
sk_calibration = pytest.importorskip("sklearn.calibration")

# probabilities on the bin edges of 10 bins (and 0 and 1), where the bin assignment is decided
EDGES = np.array([0.0, 0.1, 0.2, 0.3, 0.5, 0.9, 1.0])


def random_case(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    p = rng.uniform(size=n)
    p[: EDGES.size] = EDGES
    y = (rng.uniform(size=n) < p).astype(int)
    y[:2] = [1, 0]  # both classes present, whatever the draw (sklearn needs both for pos_label)
    return y, p


def test_brier_score_by_hand() -> None:
    assert brier_score([0, 1, 1, 0], [0.0, 0.5, 1.0, 0.5]) == 0.125
    assert brier_score([1], [0.0]) == 1.0
    assert brier_score([0, 1], [0.5, 0.5]) == 0.25
    # weights are counts: weight 3 is the example three times
    assert brier_score([0, 1], [0.2, 0.6], sample_weight=[1, 3]) == pytest.approx(
        brier_score([0, 1, 1, 1], [0.2, 0.6, 0.6, 0.6]))
    assert type(brier_score([0, 1], [0.2, 0.6])) is float


def test_brier_score_is_exported_at_top_level() -> None:
    assert lossbook.brier_score is brier_score
    assert "brier_score" in lossbook.__all__ and "calibration" in lossbook.__all__


@pytest.mark.parametrize("n", [7, 50, 1000])
def test_brier_score_equals_sklearn(rng, n) -> None:
    y, p = random_case(rng, n)
    assert brier_score(y, p) == pytest.approx(sk_metrics.brier_score_loss(y, p), rel=1e-12, abs=1e-15)
    w = rng.uniform(0.0, 3.0, size=n)
    w[0] = 0.0  # a zero weight is allowed
    assert brier_score(y, p, sample_weight=w) == pytest.approx(
        sk_metrics.brier_score_loss(y, p, sample_weight=w), rel=1e-12, abs=1e-15)


def test_brier_score_accepts_boolean_and_float_labels() -> None:
    assert brier_score(np.array([True, False]), [0.9, 0.2]) == brier_score([1.0, 0.0], [0.9, 0.2])


@pytest.mark.parametrize("n_bins", [1, 2, 5, 10, 13])
@pytest.mark.parametrize("n", [20, 500])
def test_reliability_curve_equals_sklearn(rng, n, n_bins) -> None:
    y, p = random_case(rng, n)
    fraction, mean_predicted, count = reliability_curve(y, p, n_bins=n_bins)
    sk_fraction, sk_mean = sk_calibration.calibration_curve(y, p, n_bins=n_bins, strategy="uniform")
    np.testing.assert_allclose(fraction, sk_fraction, rtol=1e-12, atol=0)
    np.testing.assert_allclose(mean_predicted, sk_mean, rtol=1e-12, atol=0)
    # counts: the non-empty bins, summing to n, consistent with the fractions
    assert count.dtype == np.intp and count.min() >= 1 and count.sum() == n
    np.testing.assert_allclose(fraction * count, np.round(fraction * count), atol=1e-9)


def test_reliability_curve_bins_edge_values_like_sklearn() -> None:
    # an edge value belongs to the bin below it; 0 to the first bin, 1 to the last
    p = np.array([0.0, 0.1, 0.1000001, 0.5, 0.9, 0.95, 1.0])
    y = np.array([0, 0, 1, 0, 1, 1, 1])
    fraction, mean_predicted, count = reliability_curve(y, p, n_bins=10)
    sk_fraction, sk_mean = sk_calibration.calibration_curve(y, p, n_bins=10, strategy="uniform")
    np.testing.assert_allclose(fraction, sk_fraction, rtol=1e-12)
    np.testing.assert_allclose(mean_predicted, sk_mean, rtol=1e-12)
    # bins (0, 0.1] with 0 and 0.1; (0.1, 0.2]; (0.4, 0.5]; (0.8, 0.9]; (0.9, 1]
    assert count.tolist() == [2, 1, 1, 1, 2]
    np.testing.assert_allclose(mean_predicted[[0, -1]], [0.05, 0.975])


def test_reliability_curve_of_calibrated_probabilities_is_near_the_diagonal(rng) -> None:
    p = rng.uniform(size=200_000)
    y = (rng.uniform(size=p.size) < p).astype(int)
    fraction, mean_predicted, count = reliability_curve(y, p)
    assert count.size == 10
    np.testing.assert_allclose(fraction, mean_predicted, atol=0.01)


BAD_PAIRS = [
    ([0, 1, 1], [0.2, 0.5], "same shape"),
    ([[0, 1]], [[0.2, 0.5]], "1-D"),
    ([0, 2], [0.2, 0.5], "0 or 1"),
    ([0, 0.5], [0.2, 0.5], "0 or 1"),
    ([0, -1], [0.2, 0.5], "0 or 1"),
    ([0, np.nan], [0.2, 0.5], "finite"),
    ([0, 1], [0.2, np.nan], "NaN"),
    ([0, 1], [0.2, 1.5], r"\[0, 1\]"),
    ([0, 1], [-0.1, 0.5], r"\[0, 1\]"),
    ([0, 1], [0.2, np.inf], "finite"),
    ([], [], "empty"),
]


@pytest.mark.parametrize(("y", "p", "message"), BAD_PAIRS)
def test_bad_inputs_raise_value_error_naming_the_problem(y, p, message) -> None:
    with pytest.raises(ValueError, match=message):
        brier_score(y, p)
    with pytest.raises(ValueError, match=message):
        reliability_curve(y, p)


@pytest.mark.parametrize(("n_bins", "message"), [(0, ">= 1"), (-3, ">= 1"), (2.5, "whole number"), (10.0, "whole number")])
def test_bad_number_of_bins(n_bins, message) -> None:
    with pytest.raises(ValueError, match=f"n_bins.*{message}"):
        reliability_curve([0, 1], [0.2, 0.6], n_bins=n_bins)


def test_non_numeric_number_of_bins_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="n_bins"):
        reliability_curve([0, 1], [0.2, 0.6], n_bins="10")  # type: ignore[arg-type]


@pytest.mark.parametrize(("weights", "message"), [
    ([1.0, -1.0], ">= 0"),
    ([1.0, np.nan], "finite"),
    ([1.0, 2.0, 3.0], "shape"),
    ([0.0, 0.0], "all zero"),
])
def test_bad_sample_weight(weights, message) -> None:
    with pytest.raises(ValueError, match=f"sample_weight.*{message}|{message}"):
        brier_score([0, 1], [0.2, 0.6], sample_weight=weights)


def test_inputs_are_not_modified(rng) -> None:
    y, p = random_case(rng, 100)
    y_float, w = y.astype(np.float64), rng.uniform(size=100)
    copies = [a.copy() for a in (y, y_float, p, w)]
    brier_score(y, p, sample_weight=w)
    brier_score(y_float, p)
    reliability_curve(y_float, p, n_bins=7)
    for before, after in zip(copies, (y, y_float, p, w), strict=True):
        np.testing.assert_array_equal(before, after)
