"""Shared test helpers: every loss, its parameter sets and its valid inputs, from its own definition.

Valid inputs come from :meth:`lossbook.losses.Loss.sample` (the sampler of the loss's input kind,
kept away from the loss's kinks); parameter values from the examples each parameter check
carries (:mod:`lossbook._validation`). Adding a loss needs no change here.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from lossbook import losses

K = 3  # classes for multi-class losses


def valid_inputs(loss: losses.Loss, rng: np.random.Generator, n: int = 8, **params: Any) -> tuple[np.ndarray, np.ndarray]:
    """A valid ``(y_true, y_pred)`` pair of ``n`` samples for ``loss``, away from its kinks."""
    return loss.sample(rng, n, K, **params)


def param_sets(loss: losses.Loss) -> list[dict[str, Any]]:
    """The defaults, then each parameter at each valid example of its check (the others at default)."""
    return [{}] + [{name: value} for name, (_, check) in loss.params.items() for value in check.valid]


def bad_params(loss: losses.Loss) -> list[tuple[str, Any]]:
    """Each parameter with each value its check refuses."""
    return [(name, value) for name, (_, check) in loss.params.items() for value in check.invalid]


ALL_LOSSES = list(losses.REGISTRY.values())
loss_params = pytest.mark.parametrize("loss", ALL_LOSSES, ids=[loss.name for loss in ALL_LOSSES])
