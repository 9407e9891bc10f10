r"""The kinds of input a loss takes: one :class:`InputKind` object per kind.

A loss declares its inputs once, as one of the objects below, and everything that depends on
them reads that object instead of switching on a name:

* :meth:`Loss.__call__ <lossbook.losses.Loss>` and friends validate ``(y_true, y_pred)`` with
  :attr:`InputKind.check`, one of the ``*_pair`` functions of :mod:`lossbook._validation`;
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


# -- the kinds ------------------------------------------------------------------------------------
_PROBABILITY_TRUE = (Invalid("y_true", 2.0, r"y_true must lie in \[0, 1\]"), Invalid("y_true", -1.0, r"\[0, 1\]"))
_ROWS_TRUE = (Invalid("y_true", 0.7, r"sum(s)? to 1"), Invalid("y_true", -0.2, r"\[0, 1\]|sum"))
_LABELS_TRUE = (
    Invalid("y_true", 3.0, r"class labels in \[0, 3\)"), Invalid("y_true", -1.0, r"\[0, 3\)"),
    Invalid("y_true", 1.5, "integer"),
)

REAL = InputKind(
    name="real", check=v.real_pair, y_true_domain="real", y_pred_domain="real", link="identity",
    multiclass=False, to_targets=_values_in(-math.inf), draw=_draw_real,
)
LOG = InputKind(
    name="log", check=v.log_pair, y_true_domain="> -1", y_pred_domain="> -1", link="expm1",
    multiclass=False, to_targets=_values_in(-1.0, low_open=True), draw=_draw_log,
    invalid=(Invalid("y_pred", -1.0, r"y_pred must lie in \(-1, inf\)"), Invalid("y_true", -2.0, r"y_true must lie in \(-1")),
)
COUNT = InputKind(
    name="count", check=v.count_pair, y_true_domain=">= 0 (a count)", y_pred_domain="> 0 (a predicted mean)",
    link="exp", multiclass=False, to_targets=_values_in(0.0), draw=_draw_count,
    invalid=(
        Invalid("y_pred", 0.0, r"y_pred must lie in \(0, inf\)"), Invalid("y_pred", -1.0, r"y_pred must lie in \(0"),
        Invalid("y_true", -1.0, r"y_true must lie in \[0, inf\)"),
    ),
)
PROBABILITY = InputKind(
    name="probability", check=v.probability_pair, y_true_domain="[0, 1]", y_pred_domain="probability in [0, 1]",
    link="sigmoid", multiclass=False, to_targets=_binary, draw=_draw_probability, probabilities=True,
    invalid=(Invalid("y_pred", 1.2, r"y_pred must lie in \[0, 1\]"), Invalid("y_pred", -0.1, r"\[0, 1\]"), *_PROBABILITY_TRUE),
)
LOGIT = InputKind(
    name="logit", check=v.logit_pair, y_true_domain="[0, 1]", y_pred_domain="logit (real)", link="identity",
    multiclass=False, to_targets=_binary, draw=_draw_logit, probabilities=True, invalid=_PROBABILITY_TRUE,
)
MARGIN = InputKind(
    name="margin", check=v.margin_pair, y_true_domain="{-1, +1} or {0, 1}", y_pred_domain="score (real)",
    link="identity", multiclass=False, to_targets=_signed, draw=_draw_margin,
    invalid=(Invalid("y_true", 2.0, r"binary labels"), Invalid("y_true", 0.5, r"binary labels")),
)
SIMPLEX = InputKind(
    name="simplex", check=v.simplex_pair, y_true_domain="(n, k) rows on the simplex",
    y_pred_domain="(n, k) probability rows", link="softmax", multiclass=True, to_targets=_one_hot,
    draw=_draw_simplex, probabilities=True,
    invalid=(*_ROWS_TRUE, Invalid("y_pred", 0.7, r"sum(s)? to 1"), Invalid("y_pred", -0.2, r"\[0, 1\]")),
)
SIMPLEX_LOGIT = InputKind(
    name="simplex_logit", check=v.simplex_logit_pair, y_true_domain="(n, k) rows on the simplex",
    y_pred_domain="(n, k) logits", link="identity", multiclass=True, to_targets=_one_hot,
    draw=_draw_simplex_logit, probabilities=True, invalid=_ROWS_TRUE,
)
LABEL_PROBABILITY = InputKind(
    name="label_probability", check=v.label_probability_pair, y_true_domain="(n,) integer labels in [0, k)",
    y_pred_domain="(n, k) probability rows", link="softmax", multiclass=True, to_targets=_class_indices,
    draw=_draw_label_probability, probabilities=True, invalid=(*_LABELS_TRUE, Invalid("y_pred", 0.9, r"sum")),
)
LABEL_SCORE = InputKind(
    name="label_score", check=v.label_score_pair, y_true_domain="(n,) integer labels in [0, k)",
    y_pred_domain="(n, k) scores", link="identity", multiclass=True, to_targets=_class_indices,
    draw=_draw_label_score, invalid=_LABELS_TRUE,
)
