r"""Entropy and divergences between discrete distributions, in nats.

Each function works along the last axis: a 1-D input is one distribution and gives a ``float``,
a 2-D input ``(n, k)`` is one distribution per row and gives an array of shape ``(n,)``.
Arguments are probability vectors (entries in [0, 1], summing to 1 within 1e-6).

Conventions: :math:`0 \log 0 = 0`, and a :math:`q_c = 0` where :math:`p_c > 0` makes the
cross-entropy and the KL divergence ``inf``, as the mathematics says, not a clipped number.
The identity tying them together is :math:`H(p, q) = H(p) + D_{KL}(p \| q)`.

>>> from lossbook.divergences import kl_divergence
>>> round(kl_divergence([0.5, 0.5], [0.9, 0.1]), 4), round(kl_divergence([0.9, 0.1], [0.5, 0.5]), 4)
(0.5108, 0.3681)
>>> kl_divergence([0.5, 0.5], [1.0, 0.0])
inf
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validation as v

__all__ = ["entropy", "cross_entropy", "kl_divergence", "js_divergence"]

Result = float | NDArray[np.float64]


def _distribution(x: ArrayLike, name: str) -> NDArray[np.float64]:
    a = v.as_float_array(x, name)
    if a.ndim not in (1, 2):
        raise ValueError(f"{name} must be 1-D (one distribution) or 2-D (one per row), got shape {a.shape}")
    v.check_probability_rows(a, name)
    return a


def _pair(p: ArrayLike, q: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    a = _distribution(p, "p")
    b = _distribution(q, "q")
    v.check_same_shape(a, b, ("p", "q"))
    return a, b


def _out(x: NDArray[np.float64]) -> Result:
    return float(x) if x.ndim == 0 else x


def _plogq(p: NDArray[np.float64], q: NDArray[np.float64]) -> NDArray[np.float64]:
    """Elementwise p log q with 0 log(anything) = 0 and p log 0 = -inf for p > 0."""
    mask = p > 0
    logq = np.zeros_like(q)
    with np.errstate(divide="ignore"):  # log 0 = -inf is the intended answer where p > 0
        np.log(q, out=logq, where=mask)
    return np.multiply(p, logq, out=np.zeros_like(p), where=mask)


def entropy(p: ArrayLike) -> Result:
    r"""Shannon entropy :math:`H(p) = -\sum_c p_c \log p_c`: 0 for a certainty, :math:`\log k` for a uniform guess."""
    a = _distribution(p, "p")
    return _out(-_plogq(a, a).sum(axis=-1))


def cross_entropy(p: ArrayLike, q: ArrayLike) -> Result:
    r"""Cross-entropy :math:`H(p, q) = -\sum_c p_c \log q_c`: the cost of coding :math:`p` with a code built for :math:`q`."""
    a, b = _pair(p, q)
    return _out(-_plogq(a, b).sum(axis=-1))


def kl_divergence(p: ArrayLike, q: ArrayLike) -> Result:
    r"""Kullback–Leibler divergence :math:`D_{KL}(p \| q) = \sum_c p_c \log(p_c / q_c)`.

    :math:`\ge 0`, zero only when :math:`p = q`, and **not symmetric**:
    :math:`D_{KL}(p \| q) \ne D_{KL}(q \| p)` in general. SciPy's ``rel_entr(p, q)`` sums to the
    same number; PyTorch's ``kl_div(input, target)`` takes the *log* of :math:`q` first and
    :math:`p` second.
    """
    a, b = _pair(p, q)
    # sum p log p - sum p log q rather than log(p / q): p / q underflows for p, q far apart.
    return _out((_plogq(a, a) - _plogq(a, b)).sum(axis=-1))


def js_divergence(p: ArrayLike, q: ArrayLike) -> Result:
    r"""Jensen–Shannon divergence :math:`\tfrac12 D_{KL}(p \| m) + \tfrac12 D_{KL}(q \| m)`, :math:`m = \tfrac12(p + q)`.

    Symmetric, always finite, at most :math:`\log 2`. This is the divergence itself, in nats;
    SciPy's ``jensenshannon`` returns its square root (a metric), by default in nats too.
    """
    a, b = _pair(p, q)
    m = 0.5 * (a + b)  # m > 0 wherever a > 0 or b > 0, so both terms are finite
    kl_am = (_plogq(a, a) - _plogq(a, m)).sum(axis=-1)
    kl_bm = (_plogq(b, b) - _plogq(b, m)).sum(axis=-1)
    return _out(0.5 * kl_am + 0.5 * kl_bm)
