"""Entropy, cross-entropy, KL and JS: conventions, identities, shapes and errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lossbook import divergences as d


def test_one_dimensional_input_gives_a_float() -> None:
    for value in (d.entropy([0.5, 0.5]), d.kl_divergence([0.5, 0.5], [0.9, 0.1]), d.js_divergence([1, 0], [0, 1]),
                  d.cross_entropy([0.5, 0.5], [0.5, 0.5])):
        assert type(value) is float


def test_known_values() -> None:
    assert d.entropy([0.25] * 4) == pytest.approx(math.log(4), rel=1e-15)
    assert d.entropy([1.0, 0.0, 0.0]) == 0.0
    assert d.kl_divergence([0.5, 0.5], [0.9, 0.1]) == pytest.approx(0.5 * math.log(0.5 / 0.9) + 0.5 * math.log(0.5 / 0.1), rel=1e-15)
    assert d.js_divergence([1, 0], [0, 1]) == pytest.approx(math.log(2), rel=1e-15)


def test_kl_is_not_symmetric_and_js_is() -> None:
    p, q = [0.9, 0.05, 0.05], [0.3, 0.4, 0.3]
    assert d.kl_divergence(p, q) == pytest.approx(0.7952, abs=1e-4)
    assert d.kl_divergence(q, p) == pytest.approx(1.0397, abs=1e-4)
    assert d.js_divergence(p, q) == pytest.approx(d.js_divergence(q, p), rel=1e-15)


def test_support_mismatch_is_infinite_not_clipped() -> None:
    assert d.kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert d.cross_entropy([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert d.kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(math.log(2))  # 0 log 0 = 0
    assert math.isfinite(d.js_divergence([0.5, 0.5], [1.0, 0.0]))


def test_rows(rng) -> None:
    p = rng.dirichlet(np.ones(4), 7)
    q = rng.dirichlet(np.ones(4), 7)
    out = d.kl_divergence(p, q)
    assert out.shape == (7,) and np.all(out >= 0)
    np.testing.assert_allclose(out, [d.kl_divergence(a, b) for a, b in zip(p, q, strict=True)], rtol=1e-15)
    np.testing.assert_allclose(d.cross_entropy(p, q), d.entropy(p) + out, rtol=1e-12)
    assert np.all(d.js_divergence(p, q) <= math.log(2))
    np.testing.assert_allclose(d.kl_divergence(p, p), 0.0, atol=1e-15)


@pytest.mark.parametrize(
    "p, q, match",
    [
        ([0.5, 0.6], [0.5, 0.5], "sum"),
        ([1.2, -0.2], [0.5, 0.5], r"\[0, 1\]"),
        ([0.5, 0.5], [0.2, 0.3, 0.5], "same shape"),
        ([0.5, np.nan], [0.5, 0.5], "finite"),
        ([], [], "empty"),
        (np.full((2, 2, 2), 0.5), np.full((2, 2, 2), 0.5), "1-D"),
    ],
)
def test_bad_input(p, q, match) -> None:
    for f in (d.kl_divergence, d.js_divergence, d.cross_entropy):
        with pytest.raises(ValueError, match=match):
            f(p, q)
