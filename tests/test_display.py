"""lossbook.display: the rounding the chapters show numbers with."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lossbook.display import significant


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (274785.386079915, 4, 274800.0),
        (274785.386079916, 4, 274800.0),  # the last digit of a sum is not part of the result
        (-0.799999999, 3, -0.8),  # rounds, where truncating would give -0.799
        (0.19762628, 4, 0.1976),
        (0.54017, 4, 0.5402),
        (2.230491347e-10, 2, 2.2e-10),
        (1.0, 1, 1.0),
        (9.96, 2, 10.0),
    ],
)
def test_significant_rounds_to_digits(value: float, digits: int, expected: float) -> None:
    out = significant(value, digits)
    assert type(out) is float
    assert out == expected


def test_a_real_change_still_shows() -> None:
    # Four digits: scaling by 1.001 moves the shown value, round-off does not.
    x = 0.1976262815
    assert significant(x * 1.001) != significant(x)
    assert significant(x * (1 + 1e-12)) == significant(x)


@pytest.mark.parametrize("special", [0.0, -0.0, math.inf, -math.inf])
def test_zero_and_infinities_unchanged(special: float) -> None:
    assert significant(special) == special


def test_nan_unchanged() -> None:
    assert math.isnan(significant(math.nan))


def test_arrays_keep_their_shape() -> None:
    x = np.array([[1.23456, -0.0], [np.nan, -7.777e-300]])
    out = significant(x, 3)
    assert out.shape == x.shape and out.dtype == np.float64
    np.testing.assert_array_equal(out, [[1.23, -0.0], [np.nan, -7.78e-300]])
    np.testing.assert_array_equal(x, [[1.23456, -0.0], [np.nan, -7.777e-300]])  # not modified


@pytest.mark.parametrize("digits", [0, -1])
def test_bad_digits(digits: int) -> None:
    with pytest.raises(ValueError, match="digits must be an integer >= 1"):
        significant(1.0, digits)


def test_non_integer_digits() -> None:
    with pytest.raises(TypeError, match="digits must be an integer"):
        significant(1.0, 2.5)  # type: ignore[call-overload]
