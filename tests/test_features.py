"""Polynomial features and standardisation (lossbook.features)."""

from __future__ import annotations

import numpy as np
import pytest

from lossbook.features import polynomial_features, standardise


def test_polynomial_features_are_the_powers() -> None:
    np.testing.assert_array_equal(polynomial_features([2.0, -1.0], 3), [[2.0, 4.0, 8.0], [-1.0, 1.0, -1.0]])
    assert polynomial_features(np.linspace(-1, 1, 7), 1).shape == (7, 1)


@pytest.mark.parametrize(("x", "degree", "error", "match"), [
    ([1.0, np.nan], 2, ValueError, "x"),
    ([[1.0, 2.0]], 2, ValueError, "x"),
    ([1.0], 0, ValueError, "degree must be an integer >= 1"),
    ([1.0], 1.5, TypeError, "degree must be an integer"),
])
def test_polynomial_features_bad_input(x, degree, error, match) -> None:
    with pytest.raises(error, match=match):
        polynomial_features(x, degree)


def test_standardise_uses_the_training_statistics(rng) -> None:
    train = rng.normal(3.0, 2.0, size=(50, 3))
    test = rng.normal(size=(10, 3))
    scaled_train, scaled_test = standardise(train, test)
    np.testing.assert_allclose(scaled_train.mean(axis=0), 0.0, atol=1e-14)
    np.testing.assert_allclose(scaled_train.std(axis=0), 1.0, rtol=1e-14)
    np.testing.assert_allclose(scaled_test, (test - train.mean(axis=0)) / train.std(axis=0), rtol=1e-14)
    sklearn = pytest.importorskip("sklearn.preprocessing")
    scaler = sklearn.StandardScaler().fit(train)
    np.testing.assert_allclose(scaled_test, scaler.transform(test), rtol=1e-12)
    train_copy = train.copy()
    standardise(train)
    np.testing.assert_array_equal(train, train_copy)  # not modified


@pytest.mark.parametrize(("args", "match"), [
    ((np.ones((4, 2)),), r"column\(s\) \[0, 1\] of train are constant"),
    ((np.eye(3), np.eye(2)), r"others\[0\] has 2 column\(s\), train has 3"),
    ((np.empty((0, 2)),), "train is empty"),
    ((np.ones((2, 2, 2)),), "non-empty 2-D"),
    ((np.array([[1.0, np.inf], [2.0, 3.0]]),), "train"),
])
def test_standardise_bad_input(args, match) -> None:
    with pytest.raises(ValueError, match=match):
        standardise(*args)
