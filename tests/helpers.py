"""Shared test helpers: valid inputs for any loss, generated from its ``input_kind``.

Inputs stay away from kinks (|r| = delta, margin 1, ties between classes) so that finite
differences are meaningful there. Adding a loss with an existing input kind needs no change here.
"""

from __future__ import annotations

import numpy as np
import pytest

from lossbook import losses

K = 3  # classes for multi-class losses

#: Parameter sets to test each parametrised loss with, besides its defaults.
PARAM_SETS = {
    "huber": [{"delta": 0.5}, {"delta": 2.0}],
    "pseudo_huber": [{"delta": 0.5}, {"delta": 3.0}],
    "pinball": [{"quantile": 0.1}, {"quantile": 0.9}],
    "binary_cross_entropy": [{"pos_weight": 3.0}],
    "binary_cross_entropy_with_logits": [{"pos_weight": 0.25}],
    "softmax_cross_entropy": [{"label_smoothing": 0.1}],
}

#: Invalid values of each parameter.
BAD_PARAMS = {
    "delta": [0.0, -1.0, float("nan"), float("inf")],
    "quantile": [0.0, 1.0, 1.5, -0.2],
    "pos_weight": [0.0, -2.0, float("nan")],
    "label_smoothing": [1.0, -0.1],
}


def away_from(values: np.ndarray, kinks: tuple[float, ...], gap: float = 0.05) -> np.ndarray:
    """Nudge values that lie within ``gap`` of a kink to ``gap`` past it."""
    out = values.copy()
    for k in kinks:
        near = np.abs(out - k) < gap
        out[near] = k + gap * np.where(out[near] >= k, 1.0, -1.0) * 2
    return out


def valid_inputs(loss: losses.Loss, rng: np.random.Generator, n: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """A valid ``(y_true, y_pred)`` pair for ``loss``, away from its kinks."""
    kind = loss.input_kind
    if kind == "real":
        y = rng.normal(0.0, 2.0, n)
        r = rng.uniform(-3.0, 3.0, n)
        r = away_from(r, (0.0, -0.5, 0.5, -1.0, 1.0, -2.0, 2.0, -3.0, 3.0))
        return y, y + r
    if kind == "log":
        y = rng.uniform(-0.5, 5.0, n)
        return y, y + away_from(rng.uniform(-0.4, 3.0, n), (0.0,))
    if kind == "probability":
        return rng.integers(0, 2, n).astype(float), rng.uniform(0.05, 0.95, n)
    if kind == "logit":
        y = rng.integers(0, 2, n).astype(float)
        y[: n // 4] = rng.uniform(0, 1, n // 4)  # soft labels too
        return y, rng.normal(0.0, 3.0, n)
    if kind == "margin":
        y = rng.choice([-1.0, 1.0], n)
        margins = away_from(rng.uniform(-2.5, 2.5, n), (1.0,))
        return y, y * margins
    if kind in ("simplex", "simplex_logit"):
        y = np.eye(K)[rng.integers(0, K, n)]
        y[: n // 3] = rng.dirichlet(np.ones(K), n // 3)  # soft targets too
        if kind == "simplex":
            return y, rng.dirichlet(2.0 * np.ones(K), n)
        return y, rng.normal(0.0, 2.0, (n, K))
    if kind == "label_probability":
        return rng.integers(0, K, n), rng.dirichlet(2.0 * np.ones(K), n)
    if kind == "label_score":
        while True:
            y = rng.integers(0, K, n)
            s = rng.normal(0.0, 2.0, (n, K))
            rows = np.arange(n)
            others = s.copy()
            others[rows, y] = -np.inf
            margin = 1.0 + others.max(axis=1) - s[rows, y]
            sorted_others = np.sort(others, axis=1)
            if np.all(np.abs(margin) > 0.05) and np.all(np.diff(sorted_others[:, -2:], axis=1) > 0.05):
                return y, s
    raise AssertionError(f"no sampler for input kind {kind!r}: add one to tests/conftest.py")


def param_sets(loss: losses.Loss) -> list[dict[str, float]]:
    return [{}, *PARAM_SETS.get(loss.name, [])]


ALL_LOSSES = list(losses.REGISTRY.values())
loss_params = pytest.mark.parametrize("loss", ALL_LOSSES, ids=[loss.name for loss in ALL_LOSSES])


def squared_log_error_grad_atol(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """The rounding error of the squared log error's gradient on the NumPy path, per sample.

    ``log1p(p) - log1p(y)`` cancels where p is close to y: its error is a few ulp of the larger
    logarithm, times ``2 / (1 + p)``. The compiled kernel's single logarithm does not cancel, so
    the two paths agree to this, not to a relative tolerance (see ``_kernels._log_ratio``).
    """
    y, p = (np.asarray(x, dtype=np.float64) for x in (y_true, y_pred))
    logs = np.maximum(np.abs(np.log1p(y)), np.abs(np.log1p(p)))
    return 8 * np.finfo(float).eps * logs * 2.0 / (1.0 + p)
