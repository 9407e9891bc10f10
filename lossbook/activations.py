r"""Activation functions, each with its derivative, in numerically stable forms.

An activation is applied elementwise to any array (or scalar) of finite reals and returns a
float64 array of the same shape; ``.grad(x)`` is its derivative :math:`f'(x)`. They are stable
for :math:`|x|` up to :math:`10^4` and beyond: no overflow, no NaN. ``softmax``,
``log_softmax`` and ``logsumexp`` act along an axis instead.

Activations shape what a neuron outputs; losses score what the network outputs. The two meet in
the last layer, where the pairing matters: sigmoid with binary cross-entropy, softmax with
categorical cross-entropy (and then both are best computed from the logits in one step).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validation as v

Array = NDArray[np.float64]

__all__ = [
    "Activation", "REGISTRY", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "swish",
    "softmax", "log_softmax", "logsumexp",
]


class Activation:
    """An elementwise activation :math:`f` with derivative ``.grad`` and its metadata.

    Parameters
    ----------
    name, formula, derivative
        Registry name and the LaTeX of :math:`f(x)` and :math:`f'(x)`.
    output_range
        The range of :math:`f` as text, e.g. ``"(0, 1)"``.
    monotonic
        Whether :math:`f` is non-decreasing (for every valid parameter).
    value, grad
        Pure functions of a validated float64 array (and the parameters as keywords).
    params
        Parameter name -> ``(default, check)`` as for :class:`lossbook.losses.Loss`.
    """


    def __init__(
        self,
        *,
        name: str,
        formula: str,
        derivative: str,
        output_range: str,
        monotonic: bool,
        value: Callable[..., Array],
        grad: Callable[..., Array],
        params: Mapping[str, tuple[float, v.ParamCheck]] | None = None,
    ) -> None:
        self.name = name
        self.formula = formula
        self.derivative = derivative
        self.output_range = output_range
        self.monotonic = monotonic
        self._value = value
        self._grad = grad
        self._params = MappingProxyType(dict(params or {}))
        self.__doc__ = value.__doc__

    @property
    def defaults(self) -> Mapping[str, float]:
        """The parameters and their default values."""
        return MappingProxyType({k: d for k, (d, _) in self._params.items()})

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={d!r}" for k, d in self.defaults.items())
        return f"Activation({self.name}({params}))"

    def _prepare(self, x: ArrayLike, params: dict[str, Any]) -> tuple[Array, dict[str, float]]:
        unknown = params.keys() - self._params.keys()
        if unknown:
            raise TypeError(f"{self.name} got unexpected parameter(s) {sorted(unknown)}; its parameters are {sorted(self._params)}")
        kw = {k: (check(params[k], k) if k in params else d) for k, (d, check) in self._params.items()}
        a = v.as_float_array(x, "x")
        v.check_finite(a, "x")
        return a, kw

    def __call__(self, x: ArrayLike, **params: float) -> Array:
        """:math:`f(x)`, elementwise."""
        a, kw = self._prepare(x, params)
        return self._value(a, **kw)

    def grad(self, x: ArrayLike, **params: float) -> Array:
        """:math:`f'(x)`, elementwise."""
        a, kw = self._prepare(x, params)
        return self._grad(a, **kw)


# -- sigmoid and tanh ---------------------------------------------------------------------------
def sigmoid_value(x: Array) -> Array:
    r"""Logistic sigmoid :math:`\sigma(x) = 1/(1 + e^{-x})`, computed without overflow for any :math:`x`."""
    e = np.exp(-np.abs(x))  # <= 1: the naive exp(-x) overflows for x < -709
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(x: Array) -> Array:
    r""":math:`\sigma'(x) = \sigma(x)\,\sigma(-x)`, at most 1/4: the root of vanishing gradients."""
    return sigmoid_value(x) * sigmoid_value(-x)


def tanh_value(x: Array) -> Array:
    r"""Hyperbolic tangent :math:`\tanh x`, range :math:`(-1, 1)`, zero-centred."""
    return np.tanh(x)


def tanh_grad(x: Array) -> Array:
    r""":math:`\tanh'(x) = 1 - \tanh^2 x = 1/\cosh^2 x`."""
    # 1/cosh^2 keeps precision in the tails where 1 - tanh^2 rounds to 0 much earlier;
    # cosh overflows to inf past |x| ~ 710, and 1/inf^2 = 0 is then the right answer.
    with np.errstate(over="ignore"):
        c = np.cosh(x)
        return 1.0 / (c * c)


# -- the ReLU family ----------------------------------------------------------------------------
def relu_value(x: Array) -> Array:
    r"""Rectified linear unit :math:`\max(0, x)`."""
    return np.maximum(x, 0.0)


def relu_grad(x: Array) -> Array:
    r""":math:`1` for :math:`x > 0`, :math:`0` otherwise (0 at the kink): a unit stuck at :math:`x < 0` gets no gradient, the dying ReLU."""
    return (x > 0).astype(np.float64)


def leaky_relu_value(x: Array, alpha: float = 0.01) -> Array:
    r"""Leaky ReLU: :math:`x` for :math:`x > 0`, :math:`\alpha x` otherwise."""
    return np.where(x > 0, x, alpha * x)


def leaky_relu_grad(x: Array, alpha: float = 0.01) -> Array:
    r""":math:`1` for :math:`x > 0`, :math:`\alpha` otherwise: never exactly zero when :math:`\alpha > 0`."""
    return np.where(x > 0, 1.0, alpha)


def elu_value(x: Array, alpha: float = 1.0) -> Array:
    r"""Exponential linear unit: :math:`x` for :math:`x > 0`, :math:`\alpha(e^x - 1)` otherwise."""
    # expm1 is exact near 0; clamping at 0 keeps exp from overflowing on the unused branch.
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def elu_grad(x: Array, alpha: float = 1.0) -> Array:
    r""":math:`1` for :math:`x > 0`, :math:`\alpha e^x` otherwise."""
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


def softplus_value(x: Array) -> Array:
    r"""Softplus :math:`\log(1 + e^x)`, a smooth ReLU; computed as :math:`\max(x, 0) + \log(1 + e^{-|x|})`."""
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def softplus_grad(x: Array) -> Array:
    r""":math:`\operatorname{softplus}'(x) = \sigma(x)`."""
    return sigmoid_value(x)


def swish_value(x: Array, beta: float = 1.0) -> Array:
    r"""Swish :math:`x\,\sigma(\beta x)` (SiLU when :math:`\beta = 1`): smooth and non-monotonic."""
    return x * sigmoid_value(beta * x)


def swish_grad(x: Array, beta: float = 1.0) -> Array:
    r""":math:`\sigma(\beta x) + \beta x\,\sigma(\beta x)\,\sigma(-\beta x)`."""
    s = sigmoid_value(beta * x)
    return s + beta * x * s * sigmoid_value(-beta * x)


sigmoid = Activation(
    name="sigmoid", formula=r"\frac{1}{1+e^{-x}}", derivative=r"\sigma(x)\,(1-\sigma(x))",
    output_range="(0, 1)", monotonic=True, value=sigmoid_value, grad=sigmoid_grad,
)
tanh = Activation(
    name="tanh", formula=r"\tanh x", derivative=r"1-\tanh^2 x",
    output_range="(-1, 1)", monotonic=True, value=tanh_value, grad=tanh_grad,
)
relu = Activation(
    name="relu", formula=r"\max(0,x)", derivative=r"\mathbb{1}[x>0]",
    output_range="[0, inf)", monotonic=True, value=relu_value, grad=relu_grad,
)
leaky_relu = Activation(
    name="leaky_relu", formula=r"\begin{cases}x & x>0\\ \alpha x & x\le 0\end{cases}",
    derivative=r"\begin{cases}1 & x>0\\ \alpha & x\le 0\end{cases}",
    output_range="(-inf, inf)", monotonic=True, value=leaky_relu_value, grad=leaky_relu_grad,
    params={"alpha": (0.01, v.non_negative)},
)
elu = Activation(
    name="elu", formula=r"\begin{cases}x & x>0\\ \alpha(e^x-1) & x\le 0\end{cases}",
    derivative=r"\begin{cases}1 & x>0\\ \alpha e^x & x\le 0\end{cases}",
    output_range="(-alpha, inf)", monotonic=True, value=elu_value, grad=elu_grad,
    params={"alpha": (1.0, v.positive)},
)
softplus = Activation(
    name="softplus", formula=r"\log(1+e^x)", derivative=r"\sigma(x)",
    output_range="(0, inf)", monotonic=True, value=softplus_value, grad=softplus_grad,
)
swish = Activation(
    name="swish", formula=r"x\,\sigma(\beta x)",
    derivative=r"\sigma(\beta x)+\beta x\,\sigma(\beta x)(1-\sigma(\beta x))",
    output_range="[about -0.278/beta, inf)", monotonic=False, value=swish_value, grad=swish_grad,
    params={"beta": (1.0, v.positive)},
)

#: Every elementwise activation by name.
REGISTRY: Mapping[str, Activation] = MappingProxyType(
    {a.name: a for a in (sigmoid, tanh, relu, leaky_relu, elu, softplus, swish)}
)


# -- along an axis: log-sum-exp, softmax --------------------------------------------------------
def _logsumexp(z: Array, axis: int) -> Array:
    """log(sum(exp(z))) along ``axis`` for a validated array, kept dims."""
    m = np.max(z, axis=axis, keepdims=True)
    e = np.exp(z - m)  # every exponent <= 0: no overflow, and the largest term is exactly 1
    # Sum the terms other than that 1 and use log1p, so a sum like 1 + 1e-17 keeps its tail.
    top = np.argmax(z, axis=axis)
    np.put_along_axis(e, np.expand_dims(top, axis), 0.0, axis=axis)
    return m + np.log1p(np.sum(e, axis=axis, keepdims=True))


def _log_softmax(z: Array, axis: int = -1) -> Array:
    return z - _logsumexp(z, axis)


def _neg_log_softmax(z: Array, axis: int = -1) -> Array:
    """-log softmax(z) = logsumexp(z) - z, written so that a certain class gives +0.0."""
    return _logsumexp(z, axis) - z


def _prepare_axis(z: ArrayLike, axis: int) -> tuple[Array, int]:
    a = v.as_float_array(z, "z")
    v.check_finite(a, "z")
    if not isinstance(axis, (int, np.integer)) or not -a.ndim <= axis < max(a.ndim, 1):
        raise ValueError(f"axis must be an integer in [-{a.ndim}, {a.ndim}) for an array of shape {a.shape}, got {axis!r}")
    return (a.reshape(1) if a.ndim == 0 else a), int(axis)


def logsumexp(z: ArrayLike, axis: int = -1) -> Array:
    r""":math:`\log\sum_c e^{z_c}` along ``axis``, computed as :math:`m + \log\sum_c e^{z_c - m}`, :math:`m = \max_c z_c`.

    The shift makes every exponent :math:`\le 0`, so nothing overflows however large the
    logits; the result has the input's shape without ``axis``.
    """
    a, axis = _prepare_axis(z, axis)
    return np.squeeze(_logsumexp(a, axis), axis=axis)


def log_softmax(z: ArrayLike, axis: int = -1) -> Array:
    r""":math:`\log\operatorname{softmax}(z)_c = z_c - \operatorname{logsumexp}(z)`, exact even where the softmax rounds to 0."""
    a, axis = _prepare_axis(z, axis)
    return _log_softmax(a, axis)


def softmax(z: ArrayLike, axis: int = -1) -> Array:
    r"""Softmax :math:`e^{z_c} / \sum_j e^{z_j}` along ``axis``: non-negative entries summing to 1.

    Invariant to adding a constant to every logit, which is what makes the max-shift legal.
    """
    a, axis = _prepare_axis(z, axis)
    e = np.exp(a - np.max(a, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)

