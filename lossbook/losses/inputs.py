r"""The kinds of input a loss takes: one :class:`InputKind` object per kind.

A loss declares its inputs once, as one of the objects below, and everything that depends on
them reads that object instead of switching on a name:

* :meth:`Loss.__call__ <lossbook.losses.Loss>` and friends validate ``(y_true, y_pred)`` with
  :attr:`InputKind.check`, one of the ``*_pair`` functions of ``lossbook._validation``;
* the models put :attr:`InputKind.link` between their scores and the loss (the identity for
  values, logits and scores, the sigmoid for probabilities, the softmax for probability rows,
  :math:`e^z` for the predicted mean of a count), and turn their labels into the loss's
  ``y_true`` with :meth:`InputKind.targets`;
* the tests, the benchmark and the grading helpers draw valid inputs with
  :meth:`InputKind.sample` (a loss adds its kinks: :meth:`Loss.sample <lossbook.losses.Loss>`),
  and try every entry of :attr:`InputKind.invalid` on every loss of the kind;
* the book's tables print :attr:`InputKind.y_true_domain` and :attr:`InputKind.y_pred_domain`.

A loss on a new kind of input adds one object here; a loss on an existing kind adds nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from .. import _validation as v

__all__ = [
    "COUNT", "LABEL_PROBABILITY", "LABEL_SCORE", "LOG", "LOGIT", "MARGIN", "PROBABILITY", "REAL",
    "SIMPLEX", "SIMPLEX_LOGIT", "InputKind", "Invalid",
]

Pair = Callable[..., tuple[np.ndarray, np.ndarray]]
Sampler = Callable[[np.random.Generator, int, int, bool], tuple[np.ndarray, np.ndarray]]
Cases = list[tuple[str, np.ndarray, np.ndarray]]
ExtremeSampler = Callable[[np.random.Generator, int, int], Cases]
Targets = Callable[[np.ndarray, int], np.ndarray]


@dataclass(frozen=True)
class Invalid:
    """An input value a kind refuses: put ``value`` into ``argument`` of a valid pair and the
    loss must raise a ``ValueError`` whose message matches the regular expression ``match``."""

    argument: Literal["y_true", "y_pred"]
    value: float
    match: str


@dataclass(frozen=True, eq=False)
class InputKind:
    """What a loss takes as ``(y_true, y_pred)``, and what follows from it.

    Attributes
    ----------
    name
        A short identifier, e.g. ``"real"`` or ``"label_probability"``.
    check
        The validator ``check(y_true, y_pred, strict=True) -> (y, p)``: float64 arrays (integer
        labels for the label kinds), or a ``ValueError`` saying what is wrong. With
        ``strict=False`` it may leave the finiteness pass to a caller whose loss propagates NaN.
    y_true_domain, y_pred_domain
        What each argument may hold, as text for tables and docstrings.
    link
        The link a model puts between its scores and the loss: ``"identity"``, ``"sigmoid"``,
        ``"softmax"``, ``"exp"`` or ``"expm1"`` (see :mod:`lossbook.heads`).
    other_links
        Links a model may use instead, whose outputs also lie in the domain of ``y_pred`` (the
        sigmoid before a regression loss, as in Chapter 4).
    multiclass
        Whether ``y_pred`` is an ``(n, k)`` matrix, one column per class.
    to_targets
        ``to_targets(y, n_classes)``: a model's labels (a finite ``(n,)`` float array: values,
        0/1 labels or class indices) as the loss's ``y_true``, checked against the kind.
    draw
        ``draw(rng, n, n_classes, soft)``: a valid pair of ``n`` samples, spread over the
        domain; with ``soft``, some targets are soft labels where the kind allows them.
    invalid
        Values this kind refuses, each tried on every loss of the kind by the tests.
    probabilities
        Whether ``y_pred`` is, or through the link becomes, class probabilities (not so for
        values, margins and class scores).
    draw_extremes
        ``draw_extremes(rng, n, n_classes)``: valid inputs salted with the extreme values the kind
        allows (exact kinks, signed zeros, domain edges, logits of +-800, ties), as a list of
        ``(description, y_true, y_pred)``; what fast paths and compiled kernels are tested on.
    """

    name: str
    check: Pair
    y_true_domain: str
    y_pred_domain: str
    link: str
    multiclass: bool
    to_targets: Targets
    draw: Sampler
    invalid: tuple[Invalid, ...] = ()
    probabilities: bool = False
    draw_extremes: ExtremeSampler | None = None
    other_links: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"InputKind({self.name!r}: y_true {self.y_true_domain}, y_pred {self.y_pred_domain})"

    def sample(
        self, rng: np.random.Generator, n: int = 8, n_classes: int = 3, *, soft: bool = True
    ) -> tuple[np.ndarray, np.ndarray]:
        """A valid ``(y_true, y_pred)`` of ``n`` samples (``n_classes`` columns for multi-class kinds).

        With ``soft`` (the default), a quarter to a third of the targets are soft labels where
        the kind accepts them (probabilities in [0, 1], distributions over the classes); with
        ``soft=False`` every target is a hard label, as a classification data set has.
        """
        n = v.whole_number(n, "n", minimum=1)
        k = v.whole_number(n_classes, "n_classes", minimum=2)
        return self.draw(rng, n, k, bool(soft))

    def extremes(self, rng: np.random.Generator, n: int = 1000, n_classes: int = 3) -> Cases:
        """Valid inputs with the kind's extreme values: ``[(description, y_true, y_pred), ...]``.

        ``n`` numbers in ``y_pred`` (multi-class kinds: ``n // n_classes`` rows). Falls back to
        :meth:`sample` for a kind without extremes of its own.
        """
        n = v.whole_number(n, "n", minimum=1)
        k = v.whole_number(n_classes, "n_classes", minimum=2)
        if self.draw_extremes is None:
            return [("samples", *self.draw(rng, max(1, n // k) if self.multiclass else n, k, True))]
        return self.draw_extremes(rng, max(n, k) if self.multiclass else n, k)

    def targets(self, y: ArrayLike, n: int, n_classes: int = 2) -> np.ndarray:
        """A model's labels ``y`` (one per row of its ``n`` rows) in the form the loss takes."""
        labels = v.as_float_array(y, "y")
        if labels.shape != (n,):
            raise ValueError(f"y must hold one target per row of X, shape ({n},), got shape {labels.shape}")
        v.check_finite(labels, "y")
        return self.to_targets(labels, n_classes)


# -- targets: from a model's labels to a loss's y_true -------------------------------------------
def _values_in(low: float, low_open: bool = False) -> Targets:
    def to_targets(y: np.ndarray, n_classes: int) -> np.ndarray:
        v.check_interval(y, "y", low, math.inf, low_open=low_open)
        return y

    return to_targets


def _binary(y: np.ndarray, n_classes: int) -> np.ndarray:
    if not np.all((y == 0.0) | (y == 1.0)):
        bad = y[(y != 0.0) & (y != 1.0)][0]
        raise ValueError(f"binary classification needs labels in {{0, 1}}, found {float(bad)!r}")
    return y


def _signed(y: np.ndarray, n_classes: int) -> np.ndarray:
    return 2.0 * _binary(y, n_classes) - 1.0


def _class_indices(y: np.ndarray, n_classes: int) -> np.ndarray:
    return v.check_class_indices(y, n_classes, "y")


def _one_hot(y: np.ndarray, n_classes: int) -> np.ndarray:
    return np.eye(n_classes)[_class_indices(y, n_classes)]


# -- samplers: valid pairs, spread over the domain --------------------------------------------
def _draw_real(rng: np.random.Generator, n: int, k: int, soft: bool) -> tuple[np.ndarray, np.ndarray]:
    y = rng.normal(0.0, 2.0, n)
    return y, y + rng.uniform(-3.0, 3.0, n)


def _draw_log(rng: np.random.Generator, n: int, k: int, soft: bool) -> tuple[np.ndarray, np.ndarray]:
    y = rng.uniform(-0.5, 5.0, n)
    return y, y + rng.uniform(-0.4, 3.0, n)


def _draw_count(rng: np.random.Generator, n: int, k: int, soft: bool) -> tuple[np.ndarray, np.ndarray]:
    mean = np.exp(rng.uniform(-2.0, 3.0, n))
    y = rng.poisson(mean).astype(np.float64)
    return y, mean * np.exp(rng.uniform(-0.5, 0.5, n))


def _binary_labels(rng: np.random.Generator, n: int, soft: bool) -> np.ndarray:
    y = rng.integers(0, 2, n).astype(np.float64)
    if soft:
        y[: n // 4] = rng.uniform(0.0, 1.0, n // 4)  # soft labels too
    return y


def _draw_probability(rng: np.random.Generator, n: int, k: int, soft: bool) -> tuple[np.ndarray, np.ndarray]:
    return _binary_labels(rng, n, soft), rng.uniform(0.05, 0.95, n)


def _draw_logit(rng: np.random.Generator, n: int, k: int, soft: bool) -> tuple[np.ndarray, np.ndarray]:
    return _binary_labels(rng, n, soft), rng.normal(0.0, 3.0, n)


def _draw_margin(rng: np.random.Generator, n: int, k: int, soft: bool) -> tuple[np.ndarray, np.ndarray]:
    y = rng.choice([-1.0, 1.0], n)
    return y, y * rng.uniform(-2.5, 2.5, n)


def _target_rows(rng: np.random.Generator, n: int, k: int, soft: bool) -> np.ndarray:
    y = np.eye(k)[rng.integers(0, k, n)]
    if soft:
        y[: n // 3] = rng.dirichlet(np.ones(k), n // 3)  # soft targets too
    return y


def _draw_simplex(rng: np.random.Generator, n: int, k: int, soft: bool) -> tuple[np.ndarray, np.ndarray]:
    return _target_rows(rng, n, k, soft), rng.dirichlet(2.0 * np.ones(k), n)


def _draw_simplex_logit(rng: np.random.Generator, n: int, k: int, soft: bool) -> tuple[np.ndarray, np.ndarray]:
    return _target_rows(rng, n, k, soft), rng.normal(0.0, 2.0, (n, k))


def _draw_label_probability(rng: np.random.Generator, n: int, k: int, soft: bool) -> tuple[np.ndarray, np.ndarray]:
    return rng.integers(0, k, n), rng.dirichlet(2.0 * np.ones(k), n)


def _draw_label_score(rng: np.random.Generator, n: int, k: int, soft: bool) -> tuple[np.ndarray, np.ndarray]:
    return rng.integers(0, k, n), rng.normal(0.0, 2.0, (n, k))


# -- extreme samplers: valid inputs with the edge values of each kind ---------------------------
def _every(x: np.ndarray, step: int, start: int = 0) -> slice:
    """Every ``step``-th sample (row) from ``start``, so that special values reach every block."""
    return slice(start, x.shape[0], step)


_SIGNED_EXTREMES = np.array([-800.0, -40.0, -0.0, 0.0, 40.0, 800.0])


def _extreme_real(rng: np.random.Generator, n: int, k: int) -> Cases:
    y = rng.normal(0.0, 2.0, n)
    p = y + rng.normal(0.0, 1.5, n)
    p[_every(p, 97)] = y[_every(y, 97)]  # residual exactly 0
    y[_every(y, 89, 1)] = 0.0  # residuals exactly at the kinks (huber's delta, pinball's 0)
    p[_every(p, 89, 1)] = rng.choice([-3.0, -2.0, -1.0, -0.5, 0.5, 1.0, 2.0, 3.0], len(p[_every(p, 89, 1)]))
    y[_every(y, 83, 2)], p[_every(p, 83, 2)] = 0.0, -0.0  # residual -0.0: signed zeros
    p[_every(p, 79, 3)] += rng.choice([-1e3, 1e3, -1e8, 1e8], len(p[_every(p, 79, 3)]))  # outliers
    return [("residuals", y, p)]


def _extreme_log(rng: np.random.Generator, n: int, k: int) -> Cases:
    y = np.expm1(rng.normal(0.0, 1.5, n))
    p = np.expm1(np.log1p(y) + rng.normal(0.0, 0.3, n))
    p[_every(p, 97)] = y[_every(y, 97)]
    p[_every(p, 89, 1)] = -1.0 + 1e-12  # next to the edge of the domain
    y[_every(y, 83, 2)] = -1.0 + 1e-9
    return [("values > -1", y, p)]


def _extreme_count(rng: np.random.Generator, n: int, k: int) -> Cases:
    mean = np.exp(rng.normal(0.0, 2.0, n))
    y = rng.poisson(mean).astype(np.float64)  # many zeros among the small means
    p = mean * np.exp(rng.normal(0.0, 0.3, n))
    p[_every(p, 97)] = np.maximum(y[_every(y, 97)], 1e-300)  # perfect predictions
    p[_every(p, 89, 1)] = 1e-300  # next to the edge of the domain
    return [("counts and predicted means", y, p)]


def _extreme_probability(rng: np.random.Generator, n: int, k: int) -> Cases:
    y = rng.integers(0, 2, n).astype(np.float64)
    y[_every(y, 5)] = rng.uniform(0.0, 1.0, len(y[_every(y, 5)]))  # soft targets
    p = rng.uniform(0.0, 1.0, n)
    p[_every(p, 37)], p[_every(p, 41, 1)] = 0.0, 1.0  # clipped, both ways
    return [("probabilities with exact 0 and 1", y, p)]


def _extreme_logit(rng: np.random.Generator, n: int, k: int) -> Cases:
    y = rng.integers(0, 2, n).astype(np.float64)
    y[_every(y, 5)] = rng.uniform(0.0, 1.0, len(y[_every(y, 5)]))
    z = rng.normal(0.0, 3.0, n)
    z[_every(z, 31)] = rng.choice(_SIGNED_EXTREMES, len(z[_every(z, 31)]))
    return [("logits up to +-800, and +-0", y, z)]


def _extreme_margin(rng: np.random.Generator, n: int, k: int) -> Cases:
    signed = rng.choice([-1.0, 1.0], n)
    s = rng.normal(0.0, 2.0, n)
    s[_every(s, 29)] = signed[_every(signed, 29)]  # margin exactly 1: the kink
    s[_every(s, 31, 1)] = rng.choice(_SIGNED_EXTREMES, len(s[_every(s, 31, 1)]))
    return [("labels in {-1, +1}", signed, s), ("labels in {0, 1}", (signed + 1.0) / 2.0, s)]


def _extreme_probability_rows(rng: np.random.Generator, rows: int, k: int, labels: np.ndarray) -> np.ndarray:
    p = rng.dirichlet(np.ones(k), rows)
    p[_every(p, 23)] = np.eye(k)[rng.integers(0, k, len(p[_every(p, 23)]))]  # exact 0s and a 1
    p[_every(p, 19, 1)] = np.eye(k)[labels[_every(labels, 19, 1)]]  # certain and right
    signed_zeros = np.eye(k)[rng.integers(0, k, len(p[_every(p, 29, 2)]))]
    signed_zeros[signed_zeros == 0.0] = -0.0  # valid: -0.0 >= 0
    p[_every(p, 29, 2)] = signed_zeros
    return p


def _extreme_logit_rows(rng: np.random.Generator, rows: int, k: int) -> np.ndarray:
    z = rng.normal(0.0, 2.0, (rows, k))
    z[_every(z, 7)] *= 20.0  # logits of magnitude ~40
    z[_every(z, 11, 1)] = rng.choice([-800.0, 800.0], (len(z[_every(z, 11, 1)]), k))
    z[_every(z, 13, 2)] = np.round(z[_every(z, 13, 2)] / 2.0)  # ties, often at the row maximum
    z[_every(z, 17, 3), :2] = 5.0  # a tie at the maximum for sure
    z[_every(z, 17, 3), 2:] = 1.0
    z[_every(z, 19, 4)] = 0.0  # every class tied
    return z


def _soft_one_hot(rng: np.random.Generator, labels: np.ndarray, k: int) -> np.ndarray:
    y = np.eye(k)[labels]
    y[_every(y, 3)] = rng.dirichlet(np.ones(k), len(y[_every(y, 3)]))
    return y


def _extreme_simplex(rng: np.random.Generator, n: int, k: int) -> Cases:
    labels = rng.integers(0, k, n // k)
    p = _extreme_probability_rows(rng, n // k, k, labels)
    return [("one-hot and soft targets, probability rows", _soft_one_hot(rng, labels, k), p)]


def _extreme_label_probability(rng: np.random.Generator, n: int, k: int) -> Cases:
    labels = rng.integers(0, k, n // k)
    return [("labels and probability rows", labels, _extreme_probability_rows(rng, n // k, k, labels))]


def _extreme_simplex_logit(rng: np.random.Generator, n: int, k: int) -> Cases:
    labels = rng.integers(0, k, n // k)
    z = _extreme_logit_rows(rng, n // k, k)
    return [("one-hot and soft targets, logits with ties and +-800", _soft_one_hot(rng, labels, k), z)]


def _extreme_label_score(rng: np.random.Generator, n: int, k: int) -> Cases:
    labels = rng.integers(0, k, n // k)
    return [("labels and scores with ties", labels, _extreme_logit_rows(rng, n // k, k))]


# -- the kinds ------------------------------------------------------------------------------------
_PROBABILITY_TRUE = (Invalid("y_true", 2.0, r"y_true must lie in \[0, 1\]"), Invalid("y_true", -1.0, r"\[0, 1\]"))
_ROWS_TRUE = (Invalid("y_true", 0.7, r"sum(s)? to 1"), Invalid("y_true", -0.2, r"\[0, 1\]|sum"))
_LABELS_TRUE = (
    Invalid("y_true", 3.0, r"class labels in \[0, 3\)"), Invalid("y_true", -1.0, r"\[0, 3\)"),
    Invalid("y_true", 1.5, "integer"),
)

#: Real targets and real predictions (squared, absolute, Huber, pinball losses); identity link.
REAL = InputKind(
    name="real", check=v.real_pair, y_true_domain="real", y_pred_domain="real", link="identity",
    multiclass=False, to_targets=_values_in(-math.inf), draw=_draw_real,
    draw_extremes=_extreme_real,
    other_links=('sigmoid', 'exp', 'expm1'),
)
#: Targets and predictions above -1, compared on a log scale (squared log error); link e^z - 1.
LOG = InputKind(
    name="log", check=v.log_pair, y_true_domain="> -1", y_pred_domain="> -1", link="expm1",
    multiclass=False, to_targets=_values_in(-1.0, low_open=True), draw=_draw_log,
    invalid=(Invalid("y_pred", -1.0, r"y_pred must lie in \(-1, inf\)"), Invalid("y_true", -2.0, r"y_true must lie in \(-1")),
    draw_extremes=_extreme_log,
    other_links=('exp',),
)
#: Counts and a predicted mean above 0 (Poisson deviance); exponential link.
COUNT = InputKind(
    name="count", check=v.count_pair, y_true_domain=">= 0 (a count)", y_pred_domain="> 0 (a predicted mean)",
    link="exp", multiclass=False, to_targets=_values_in(0.0), draw=_draw_count,
    invalid=(
        Invalid("y_pred", 0.0, r"y_pred must lie in \(0, inf\)"), Invalid("y_pred", -1.0, r"y_pred must lie in \(0"),
        Invalid("y_true", -1.0, r"y_true must lie in \[0, inf\)"),
    ),
    draw_extremes=_extreme_count,
)
#: Labels in [0, 1] (hard or soft) and a predicted probability (cross-entropy, focal); sigmoid link.
PROBABILITY = InputKind(
    name="probability", check=v.probability_pair, y_true_domain="[0, 1]", y_pred_domain="probability in [0, 1]",
    link="sigmoid", multiclass=False, to_targets=_binary, draw=_draw_probability, probabilities=True,
    invalid=(Invalid("y_pred", 1.2, r"y_pred must lie in \[0, 1\]"), Invalid("y_pred", -0.1, r"\[0, 1\]"), *_PROBABILITY_TRUE),
    draw_extremes=_extreme_probability,
)
#: Labels in [0, 1] and a logit, a real score whose sigmoid is the probability; identity link.
LOGIT = InputKind(
    name="logit", check=v.logit_pair, y_true_domain="[0, 1]", y_pred_domain="logit (real)", link="identity",
    multiclass=False, to_targets=_binary, draw=_draw_logit, probabilities=True, invalid=_PROBABILITY_TRUE,
    draw_extremes=_extreme_logit,
)
#: Labels {-1, +1} (or {0, 1}) and a real score (hinge losses); identity link.
MARGIN = InputKind(
    name="margin", check=v.margin_pair, y_true_domain="{-1, +1} or {0, 1}", y_pred_domain="score (real)",
    link="identity", multiclass=False, to_targets=_signed, draw=_draw_margin,
    invalid=(Invalid("y_true", 2.0, r"binary labels"), Invalid("y_true", 0.5, r"binary labels")),
    draw_extremes=_extreme_margin,
)
#: (n, k) target rows on the simplex and (n, k) probability rows; softmax link.
SIMPLEX = InputKind(
    name="simplex", check=v.simplex_pair, y_true_domain="(n, k) rows on the simplex",
    y_pred_domain="(n, k) probability rows", link="softmax", multiclass=True, to_targets=_one_hot,
    draw=_draw_simplex, probabilities=True,
    invalid=(*_ROWS_TRUE, Invalid("y_pred", 0.7, r"sum(s)? to 1"), Invalid("y_pred", -0.2, r"\[0, 1\]")),
    draw_extremes=_extreme_simplex,
)
#: (n, k) target rows on the simplex and (n, k) logits; identity link.
SIMPLEX_LOGIT = InputKind(
    name="simplex_logit", check=v.simplex_logit_pair, y_true_domain="(n, k) rows on the simplex",
    y_pred_domain="(n, k) logits", link="identity", multiclass=True, to_targets=_one_hot,
    draw=_draw_simplex_logit, probabilities=True, invalid=_ROWS_TRUE,
    draw_extremes=_extreme_simplex_logit,
)
#: (n,) integer class labels and (n, k) probability rows; softmax link.
LABEL_PROBABILITY = InputKind(
    name="label_probability", check=v.label_probability_pair, y_true_domain="(n,) integer labels in [0, k)",
    y_pred_domain="(n, k) probability rows", link="softmax", multiclass=True, to_targets=_class_indices,
    draw=_draw_label_probability, probabilities=True, invalid=(*_LABELS_TRUE, Invalid("y_pred", 0.9, r"sum")),
    draw_extremes=_extreme_label_probability,
)
#: (n,) integer class labels and (n, k) scores (multi-class hinge); identity link.
LABEL_SCORE = InputKind(
    name="label_score", check=v.label_score_pair, y_true_domain="(n,) integer labels in [0, k)",
    y_pred_domain="(n, k) scores", link="identity", multiclass=True, to_targets=_class_indices,
    draw=_draw_label_score, invalid=_LABELS_TRUE,
    draw_extremes=_extreme_label_score,
)
