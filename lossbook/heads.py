r"""The output head shared by the linear models and the networks: a link, a loss, the chain rule.

A model computes scores :math:`Z` (one column per output), the head turns them into what the loss
expects, :math:`\hat y = \operatorname{link}(Z)`, and differentiates the (weighted) cost

.. math:: J = \frac{\sum_i w_i\, \ell(y_i, \operatorname{link}(z_i))}{\sum_i w_i}, \qquad
          G = \frac{\partial J}{\partial Z}
            = \frac{w \odot \operatorname{link}'(Z)^\top \partial\ell / \partial\hat y}{\sum_i w_i}

with nothing but the loss's own derivative. :class:`~lossbook.models.LinearModel` multiplies
:math:`G` by :math:`X^\top`; :class:`~lossbook.networks.OneHiddenLayerNetwork` passes it on
down its layers. The link a loss needs comes from its input kind
(:attr:`lossbook.losses.inputs.InputKind.link`); it can be overridden, e.g. to put the squared
error on a sigmoid (chapter 4 shows why that is a bad idea).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validation as v
from .activations import log_softmax_unchecked, sigmoid_value
from .losses import REGISTRY, Loss
from .losses.inputs import PROBABILITY

Array = NDArray[np.float64]
LinkName = Literal["identity", "sigmoid", "softmax", "exp", "expm1"]

__all__ = ["LINKS", "Link", "OutputHead"]


@dataclass(frozen=True)
class Link:
    """An output link: ``forward(Z)`` gives the loss's input, ``backward(out, g)`` maps
    :math:`\\partial \\ell / \\partial \\hat y` to :math:`\\partial \\ell / \\partial Z` (``out`` is
    ``forward(Z)``, which every link's derivative can be written in)."""

    name: str
    forward: Callable[[Array], Array]
    backward: Callable[[Array, Array], Array]
    multiclass: bool = False


def _softmax_backward(out: Array, g: Array) -> Array:
    # J = diag(p) - p p^T, so J^T g = p * (g - <g, p>)
    return out * (g - np.sum(g * out, axis=1, keepdims=True))


#: Every link by name.
LINKS: Mapping[str, Link] = MappingProxyType({
    "identity": Link("identity", lambda Z: Z, lambda out, g: g),
    "sigmoid": Link("sigmoid", sigmoid_value, lambda out, g: g * out * (1.0 - out)),
    "softmax": Link("softmax", lambda Z: np.exp(log_softmax_unchecked(Z)), _softmax_backward, multiclass=True),
    # the predicted mean of a count (the log link of a Poisson GLM): exp(z) > 0 (in float64 for
    # z > -745; below, exp underflows to 0 and the cost is not finite, which the optimiser reports)
    "exp": Link("exp", np.exp, lambda out, g: g * out),
    # exp(z) - 1 > -1: the squared log error's domain (in float64 for z > -37; below, -1 exactly)
    "expm1": Link("expm1", np.expm1, lambda out, g: g * (out + 1.0)),
})


class OutputHead:
    """A link and a loss (with its parameters): forward, backward, weighted cost and gradient.

    Parameters
    ----------
    loss
        A loss of :data:`lossbook.losses.REGISTRY`, by name or object.
    link
        A name of :data:`LINKS`; by default the link of the loss's input kind.
    n_outputs
        1 for regression and binary losses, the number of classes for a multi-class one.
    loss_params
        Keyword parameters of the loss, checked here once, e.g. ``{"delta": 2.0}``.

    Raises
    ------
    ValueError
        For an unknown loss or link, a number of outputs that does not fit the loss's task,
        a link that does not fit the loss (a softmax on a binary loss, a sigmoid on a
        multi-class one) or a bad loss parameter (``TypeError`` for an unknown one).
    """

    def __init__(
        self,
        loss: str | Loss,
        *,
        link: LinkName | None = None,
        n_outputs: int = 1,
        loss_params: Mapping[str, Any] | None = None,
    ) -> None:
        self.loss: Loss = v.from_registry(loss, REGISTRY, Loss, "loss")
        name = self.loss.inputs.link if link is None else link
        if name not in LINKS:
            raise ValueError(f"link must be one of {sorted(LINKS)}, got {link!r}")
        self.link: Link = LINKS[name]
        v.positive_integer(n_outputs, "n_outputs")
        multi = self.loss.inputs.multiclass
        if multi != (n_outputs > 1):
            raise ValueError(
                f"the {self.loss.task} loss {self.loss.name!r} needs "
                + ("n_outputs >= 2 (one score per class)" if multi else f"n_outputs = 1, got {n_outputs}")
            )
        allowed = (self.loss.inputs.link, *self.loss.inputs.other_links)
        if name not in allowed:
            raise ValueError(
                f"link {name!r} does not fit the {self.loss.task} loss {self.loss.name!r}: its y_pred must be "
                f"{self.loss.inputs.y_pred_domain}; use one of {list(allowed)}"
            )
        self.n_outputs = int(n_outputs)
        self.loss_params = self.loss.check_params(**dict(loss_params or {}))

    def __repr__(self) -> str:
        params = "".join(f", {k}={val!r}" for k, val in self.loss_params.items())
        return f"OutputHead({self.loss.name}{params}, link={self.link.name!r})"

    @property
    def regression_on_probabilities(self) -> bool:
        """Whether a regression loss sits behind the sigmoid (the squared error on probabilities of
        Chapter 4): the model is then a classifier, fitted to 0/1 labels."""
        return self.loss.task == "regression" and self.link.name == "sigmoid"

    @property
    def is_classifier(self) -> bool:
        """Whether the outputs are classes (a classification loss, or a regression loss on a sigmoid)."""
        return self.loss.task != "regression" or self.regression_on_probabilities

    @property
    def gives_probabilities(self) -> bool:
        """Whether the scores map to class probabilities (not for margin losses or class scores)."""
        return self.loss.inputs.probabilities or self.regression_on_probabilities

    def targets(self, y: ArrayLike, n: int) -> np.ndarray:
        """Check a model's labels ``y`` (one per row of ``n``) once, in the form the loss takes."""
        kind = PROBABILITY if self.regression_on_probabilities else self.loss.inputs
        return kind.targets(y, n, self.n_outputs)

    def forward(self, Z: Array) -> Array:
        """What the loss sees: :math:`\\operatorname{link}(Z)`."""
        return self.link.forward(Z)

    def cost_and_gradient(self, y: np.ndarray, Z: Array, sample_weight: Array | None = None) -> tuple[float, Array]:
        """The cost :math:`J` of scores ``Z`` and :math:`G = \\partial J / \\partial Z`, on checked data.

        ``y`` comes from :meth:`targets` and ``sample_weight`` (if any) from
        ``lossbook._validation.check_sample_weight``: nothing is checked here.
        """
        out = self.link.forward(Z)
        losses = self.loss.unchecked_value(y, out, **self.loss_params)
        G = self.link.backward(out, self.loss.unchecked_grad(y, out, **self.loss_params))
        if sample_weight is None:
            total_weight = float(Z.shape[0])
            cost = float(losses.sum()) / total_weight
        else:
            total_weight = float(sample_weight.sum())
            cost = float(sample_weight @ losses) / total_weight
            G = G * (sample_weight[:, None] if G.ndim == 2 else sample_weight)
        return cost, G / total_weight

    def predict(self, Z: Array) -> Array:
        """Predicted values (regression) or class labels (classification) from scores ``Z``."""
        if not self.is_classifier:
            return Z if self.link.name == "identity" else self.link.forward(Z)
        if Z.ndim == 2:
            return np.argmax(Z, axis=1)
        return (Z > 0).astype(np.intp)  # sigmoid(z) > 1/2 exactly when z > 0; for margins, the sign

    def predict_proba(self, Z: Array) -> Array:
        """Class probabilities from scores: ``(n, 2)`` for a binary task, ``(n, k)`` for k classes."""
        if not self.gives_probabilities:
            if self.loss.task == "regression":
                raise ValueError(f"the {self.loss.name} loss gives values, not probabilities: use predict")
            raise ValueError(f"the {self.loss.name} loss gives scores, not probabilities: use decision_function")
        if Z.ndim == 2:
            return np.exp(log_softmax_unchecked(Z))
        p1 = sigmoid_value(Z)
        return np.column_stack([1.0 - p1, p1])
