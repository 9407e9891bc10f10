"""The focal loss on logits against the form the deep-learning libraries use.

``optax.losses.sigmoid_focal_loss`` (and ``torchvision.ops.sigmoid_focal_loss``, from fvcore)
compute ``ce * (1 - p_t)**gamma``, times ``alpha * y + (1 - alpha) * (1 - y)`` when alpha is
given, with ``p = sigmoid(z)``, ``p_t = p * y + (1 - p) * (1 - y)`` and ``ce`` the cross-entropy
on logits. For labels 0 and 1 that is lossbook's ``focal_with_logits`` (API.md); for soft labels
the libraries raise the mixed ``1 - p_t`` to the power, while lossbook is linear in ``y`` like its
cross-entropy, so the two differ there on purpose. The transcription is tested always, and
Optax itself when it is installed (the development environment has it). torchvision is not
tested: PyPI's torchvision does not load beside the CPU build of torch 2.13.0 that the
development environment pins.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit

from lossbook import losses


def _library_form(z, y, gamma, alpha):
    p = expit(z)
    ce = np.logaddexp(0.0, z) - y * z  # cross-entropy on logits, stable
    p_t = p * y + (1 - p) * (1 - y)
    loss = ce * (1 - p_t) ** gamma
    if alpha is not None:
        loss = (alpha * y + (1 - alpha) * (1 - y)) * loss
    return loss


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 5.0])
@pytest.mark.parametrize("alpha", [None, 0.25, 0.8])
def test_focal_with_logits_is_the_libraries_form_for_hard_labels(rng, gamma, alpha) -> None:
    z = rng.normal(0.0, 4.0, size=500)
    y = rng.integers(0, 2, size=500).astype(float)
    np.testing.assert_allclose(losses.focal_with_logits(y, z, gamma=gamma, alpha=alpha),
                               _library_form(z, y, gamma, alpha), rtol=1e-9, atol=1e-15)


def test_soft_labels_differ_from_the_libraries_on_purpose() -> None:
    z, y = np.array([1.0]), np.array([0.5])
    ours = losses.focal_with_logits(y, z, gamma=2.0)
    linear_in_y = 0.5 * losses.focal_with_logits([1.0], z, gamma=2.0) + 0.5 * losses.focal_with_logits([0.0], z, gamma=2.0)
    np.testing.assert_allclose(ours, linear_in_y, rtol=1e-12)
    assert abs(ours[0] - _library_form(z, y, 2.0, None)[0]) > 1e-3


def test_against_optax_if_installed(rng) -> None:
    optax = pytest.importorskip("optax")
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)  # JAX computes in float32 otherwise
    z = rng.normal(0.0, 4.0, size=200)
    y = rng.integers(0, 2, size=200).astype(float)
    got = np.asarray(optax.losses.sigmoid_focal_loss(jax.numpy.asarray(z), jax.numpy.asarray(y), alpha=0.25, gamma=2.0))
    np.testing.assert_allclose(losses.focal_with_logits(y, z, gamma=2.0, alpha=0.25), got, rtol=1e-9, atol=1e-12)
