r"""Penalties: what regularisation adds to a cost, :math:`J(\theta) = \text{cost}(\theta) + \lambda P(\theta)`.

Each penalty is a callable object of a parameter vector :math:`\theta` (1-D, float64) with the
same interface:

* ``penalty(theta)``: the value :math:`P(\theta)`, a Python ``float``;
* ``penalty.grad(theta)``: its gradient, or for the absolute value the subgradient that is 0
  at :math:`\theta_j = 0`;
* ``penalty.prox(theta, step)``: the proximal operator
  :math:`\operatorname{prox}_{s P}(\theta) = \arg\min_u \tfrac12\lVert u - \theta\rVert^2 + s P(u)`,
  the step a proximal gradient method (ISTA) takes after each gradient step, :math:`s > 0`.

A penalty never sees the intercept: models pass only the coefficients, since penalising the
intercept would make the fit depend on where the target's zero is.

The scalings follow scikit-learn's, so that with ``mse`` the mean squared error,

* ``½·mse + λ·l1`` is the objective of ``sklearn.linear_model.Lasso(alpha=λ)``,
* ``½·mse + λ·l2`` that of ``Ridge(alpha=n·λ)`` (Ridge sums the squared errors),
* ``½·mse + λ·elastic_net`` that of ``ElasticNet(alpha=λ, l1_ratio=...)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validation as v

__all__ = ["REGISTRY", "Penalty", "elastic_net", "l1", "l2"]

Array = NDArray[np.float64]


def _theta(theta: ArrayLike) -> Array:
    out = v.as_vector(theta, "theta")
    v.check_finite(out, "theta")
    return out


class Penalty:
    """A penalty :math:`P(\\theta)` with its (sub)gradient and proximal operator.

    Parameters
    ----------
    name
        Registry name, e.g. ``"l1"``.
    formula
        LaTeX of :math:`P(\\theta)`, as printed in the book.
    value, grad, prox
        Pure functions of a validated float64 vector (``prox`` also of the step), with the
        penalty's parameters as keyword arguments.
    params
        Parameter name -> ``(default, check)``, as for :class:`lossbook.losses.Loss`.
    summary
        One line for tables.
    """

    def __init__(
        self,
        *,
        name: str,
        formula: str,
        value: Callable[..., float],
        grad: Callable[..., Array],
        prox: Callable[..., Array],
        params: Mapping[str, tuple[float, v.ParamCheck]] | None = None,
        summary: str = "",
    ) -> None:
        self.name = name
        self.formula = formula
        self.summary = summary
        #: Every penalty here is convex (a sum of convex functions of the coordinates).
        self.convex = True
        self._value = value
        self._grad = grad
        self._prox = prox
        self._params = MappingProxyType(dict(params or {}))
        self.__doc__ = value.__doc__

    @property
    def defaults(self) -> Mapping[str, float]:
        """The parameters and their default values, e.g. ``{"l1_ratio": 0.5}``."""
        return MappingProxyType({k: d for k, (d, _) in self._params.items()})

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={d!r}" for k, d in self.defaults.items())
        return f"Penalty({self.name}({params}))"

    def check_params(self, **params: Any) -> dict[str, float]:
        """The penalty's parameters, checked, with defaults filled in (for loops that call the unchecked forms)."""
        return self._checked(params)

    def unchecked_value(self, theta: Array, **params: float) -> float:
        """:math:`P(\\theta)` without input checks, for an optimiser's inner loop (``theta`` and the
        parameters checked once before it, by :meth:`check_params`)."""
        return float(self._value(theta, **params))

    def unchecked_prox(self, theta: Array, step: float, **params: float) -> Array:
        """The proximal operator without input checks, for an optimiser's inner loop."""
        return self._prox(theta, step, **params)

    def _checked(self, params: Mapping[str, Any]) -> dict[str, float]:
        unknown = params.keys() - self._params.keys()
        if unknown:
            known = sorted(self._params) or "none"
            raise TypeError(f"{self.name} got unexpected parameter(s) {sorted(unknown)}; its parameters: {known}")
        return {k: (check(params[k], k) if k in params else d) for k, (d, check) in self._params.items()}

    def __call__(self, theta: ArrayLike, **params: float) -> float:
        """The penalty's value, a Python float."""
        return float(self._value(_theta(theta), **self._checked(params)))

    def grad(self, theta: ArrayLike, **params: float) -> Array:
        """The gradient (for :math:`|\\theta_j|`, the subgradient 0 at :math:`\\theta_j = 0`)."""
        return self._grad(_theta(theta), **self._checked(params))

    def prox(self, theta: ArrayLike, step: float, **params: float) -> Array:
        """:math:`\\arg\\min_u \\tfrac12\\lVert u - \\theta\\rVert^2 + \\text{step}\\cdot P(u)`, for ``step > 0``."""
        s = v.positive(step, "step")
        return self._prox(_theta(theta), s, **self._checked(params))


# -- L1 (lasso) ---------------------------------------------------------------------------------
def l1_value(theta: Array) -> float:
    r"""L1 penalty :math:`P(\theta) = \sum_j |\theta_j|`."""
    return float(np.abs(theta).sum())


def l1_grad(theta: Array) -> Array:
    r"""Subgradient :math:`\operatorname{sign}(\theta_j)`, 0 at the kink :math:`\theta_j = 0`."""
    return np.sign(theta)


def soft_threshold(theta: Array, threshold: float) -> Array:
    r"""Soft-thresholding :math:`\operatorname{sign}(\theta_j)\max(|\theta_j| - \tau, 0)`.

    It sets every coordinate with :math:`|\theta_j| \le \tau` to exactly 0: this is why a
    proximal step gives exact zeros where a subgradient step only oscillates around them.
    """
    return np.sign(theta) * np.maximum(np.abs(theta) - threshold, 0.0)


def l1_prox(theta: Array, step: float) -> Array:
    r""":math:`\operatorname{prox}_{s\lVert\cdot\rVert_1}(\theta)`: soft-thresholding at :math:`s`."""
    return soft_threshold(theta, step)


l1 = Penalty(
    name="l1",
    formula=r"\sum_j |\theta_j|",
    value=l1_value,
    grad=l1_grad,
    prox=l1_prox,
    summary="lasso: exact zeros (with a proximal step), a Laplace prior",
)


# -- L2 (ridge) ---------------------------------------------------------------------------------
def l2_value(theta: Array) -> float:
    r"""L2 penalty :math:`P(\theta) = \tfrac12 \sum_j \theta_j^2` (with the ½, so its gradient is :math:`\theta`)."""
    return 0.5 * float(np.dot(theta, theta))


def l2_grad(theta: Array) -> Array:
    r"""Gradient :math:`\theta`."""
    return theta.copy()


def l2_prox(theta: Array, step: float) -> Array:
    r""":math:`\operatorname{prox}_{s P}(\theta) = \theta / (1 + s)`: shrinks every coordinate, zeroes none."""
    return theta / (1.0 + step)


l2 = Penalty(
    name="l2",
    formula=r"\tfrac12 \sum_j \theta_j^2",
    value=l2_value,
    grad=l2_grad,
    prox=l2_prox,
    summary="ridge: shrinks all coefficients, a Gaussian prior",
)


# -- elastic net --------------------------------------------------------------------------------
def elastic_net_value(theta: Array, l1_ratio: float = 0.5) -> float:
    r"""Elastic net :math:`P(\theta) = \rho \sum_j |\theta_j| + (1 - \rho)\,\tfrac12 \sum_j \theta_j^2`, :math:`\rho` = ``l1_ratio``."""
    return l1_ratio * l1_value(theta) + (1.0 - l1_ratio) * l2_value(theta)


def elastic_net_grad(theta: Array, l1_ratio: float = 0.5) -> Array:
    r"""Subgradient :math:`\rho \operatorname{sign}(\theta) + (1 - \rho)\theta`."""
    return l1_ratio * np.sign(theta) + (1.0 - l1_ratio) * theta


def elastic_net_prox(theta: Array, step: float, l1_ratio: float = 0.5) -> Array:
    r""":math:`\operatorname{prox}_{s P}(\theta) = \operatorname{soft}(\theta, s\rho) / (1 + s(1 - \rho))`."""
    return soft_threshold(theta, step * l1_ratio) / (1.0 + step * (1.0 - l1_ratio))


elastic_net = Penalty(
    name="elastic_net",
    formula=r"\rho \sum_j |\theta_j| + (1 - \rho)\,\tfrac12 \sum_j \theta_j^2",
    value=elastic_net_value,
    grad=elastic_net_grad,
    prox=elastic_net_prox,
    params={"l1_ratio": (0.5, v.unit_interval)},
    summary="a mix: zeros like the lasso, grouped correlated features like ridge",
)

#: Every penalty by name.
REGISTRY: Mapping[str, Penalty] = MappingProxyType({p.name: p for p in (l1, l2, elastic_net)})
