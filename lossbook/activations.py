r"""Activation functions, each with its derivative, in numerically stable forms.

An activation is applied elementwise to any array (or scalar) of finite reals and returns a
float64 array of the same shape; ``.grad(x)`` is its derivative :math:`f'(x)`. They are stable
for :math:`|x|` up to :math:`10^4` and beyond: no overflow, no NaN. ``softmax``,
``log_softmax``, ``logsumexp`` and ``maxout`` act along an axis instead.

Where :math:`f` has no derivative (the kink of ReLU at 0, the jump of the binary step) ``.grad``
returns the value of one side, as every deep-learning library does; the points are listed in
the activation's ``kinks`` so that code (the tests, the book) can stay away from them or look at
them on purpose. :data:`REGISTRY` holds the elementwise activations, :data:`VECTOR_REGISTRY`
the two that act on a whole vector (softmax and maxout), both with the metadata the book's
tables are generated from.

Activations shape what a neuron outputs; losses score what the network outputs. The two meet in
the last layer, where the pairing matters: sigmoid with binary cross-entropy, softmax with
categorical cross-entropy (and then both are best computed from the logits in one step).

>>> from lossbook import activations
>>> activations.relu([-1.0, 2.0]), activations.relu.grad([-1.0, 2.0])
(array([0., 2.]), array([0., 1.]))
>>> activations.leaky_relu([-1.0, 2.0], alpha=0.1)
array([-0.1,  2. ])
>>> activations.softmax([[0.0, 0.0], [1000.0, 0.0]])
array([[0.5, 0.5],
       [1. , 0. ]])
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
    "Activation", "REGISTRY", "VECTOR_REGISTRY", "VectorActivation",
    "linear", "binary_step", "sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu", "softplus",
    "swish", "softmax", "log_softmax", "logsumexp", "softmax_jacobian", "maxout", "maxout_grad",
]


class Activation:
    r"""An elementwise activation :math:`f` with derivative ``.grad`` and its metadata.

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
    kinks
        The points where :math:`f` is not differentiable (for some valid parameter); ``.grad``
        returns one of the one-sided derivatives there.
    continuous
        False when :math:`f` jumps at a kink (the binary step): no derivative and no
        subgradient exist there.
    param_grads
        Parameter name -> pure function giving :math:`\partial f / \partial \text{param}`
        elementwise, for parameters that can be learned (the slope of parametric ReLU).
        Parameters may then be arrays that broadcast against :math:`x` (one per unit).
    note
        One line for tables: what the metadata above cannot say.
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
        kinks: tuple[float, ...] = (),
        continuous: bool = True,
        param_grads: Mapping[str, Callable[..., Array]] | None = None,
        note: str = "",
    ) -> None:
        self.name = name
        self.formula = formula
        self.derivative = derivative
        self.output_range = output_range
        self.monotonic = monotonic
        self.kinks = tuple(float(k) for k in kinks)
        self.continuous = bool(continuous)
        self.note = note
        #: The readable functions on validated arrays with checked parameters, without the
        #: checks (the inner loop of a network): :math:`f`, :math:`f'` and, for each learnable
        #: parameter, :math:`\partial f / \partial \text{param}`.
        self.unchecked_value = value
        self.unchecked_grad = grad
        self._params = MappingProxyType(dict(params or {}))
        self.unchecked_param_grads = MappingProxyType(dict(param_grads or {}))
        unknown = self.unchecked_param_grads.keys() - self._params.keys()
        if unknown:
            raise ValueError(f"{name}: param_grads for unknown parameter(s) {sorted(unknown)}")
        self.__doc__ = value.__doc__

    @property
    def differentiable(self) -> bool:
        """Whether :math:`f` has a derivative everywhere (no kinks)."""
        return not self.kinks

    @property
    def learnable(self) -> tuple[str, ...]:
        """The parameters with a derivative ``param_grad``, which a network can learn."""
        return tuple(self.unchecked_param_grads)

    @property
    def defaults(self) -> Mapping[str, float]:
        """The parameters and their default values."""
        return MappingProxyType({k: d for k, (d, _) in self._params.items()})

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={d!r}" for k, d in self.defaults.items())
        return f"Activation({self.name}({params}))"

    def checked_params(self, params: Mapping[str, Any]) -> dict[str, float]:
        """All parameters, the given ones validated and the others at their defaults."""
        unknown = params.keys() - self._params.keys()
        if unknown:
            raise TypeError(f"{self.name} got unexpected parameter(s) {sorted(unknown)}; its parameters are {sorted(self._params)}")
        return {k: (check(params[k], k) if k in params else d) for k, (d, check) in self._params.items()}

    def _prepare(self, x: ArrayLike, params: dict[str, Any]) -> tuple[Array, dict[str, float]]:
        kw = self.checked_params(params)
        a = v.as_float_array(x, "x")
        v.check_finite(a, "x")
        return a, kw

    def __call__(self, x: ArrayLike, **params: float) -> Array:
        """:math:`f(x)`, elementwise."""
        a, kw = self._prepare(x, params)
        return self.unchecked_value(a, **kw)

    def grad(self, x: ArrayLike, **params: float) -> Array:
        """:math:`f'(x)`, elementwise (at a kink, the derivative of one side: see ``kinks``)."""
        a, kw = self._prepare(x, params)
        return self.unchecked_grad(a, **kw)

    def param_grad(self, x: ArrayLike, param: str, **params: float) -> Array:
        r""":math:`\partial f(x) / \partial \text{param}`, elementwise, for a learnable parameter.

        >>> prelu.param_grad([-2.0, 3.0], "alpha", alpha=0.1)
        array([-2.,  0.])
        """
        if param not in self.unchecked_param_grads:
            learnable = sorted(self.unchecked_param_grads) or "none"
            raise ValueError(f"{self.name} has no derivative with respect to {param!r}; its learnable parameters: {learnable}")
        a, kw = self._prepare(x, params)
        return self.unchecked_param_grads[param](a, **kw)


# -- linear and binary step ---------------------------------------------------------------------
def linear_value(x: Array) -> Array:
    r"""Identity :math:`f(x) = x`: a stack of linear layers is one linear map, however deep."""
    return x.copy()  # a new array, like every other activation: never an alias of the input


def linear_grad(x: Array) -> Array:
    r""":math:`f'(x) = 1`."""
    return np.ones_like(x)


def binary_step_value(x: Array) -> Array:
    r"""Heaviside step :math:`f(x) = 1` for :math:`x \ge 0`, :math:`0` otherwise (the perceptron's unit)."""
    return (x >= 0).astype(np.float64)


def binary_step_grad(x: Array) -> Array:
    r""":math:`f'(x) = 0` for :math:`x \ne 0`; at the jump there is no derivative and 0 is returned.

    Zero almost everywhere, so the chain rule passes no signal back through the unit: gradient
    descent cannot train the weights in front of it (the perceptron rule is not a gradient step).
    """
    return np.zeros_like(x)


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


def prelu_value(x: Array, alpha: float | Array = 0.25) -> Array:
    r"""Parametric ReLU: :math:`x` for :math:`x > 0`, :math:`\alpha x` otherwise, with :math:`\alpha` learned.

    The function of leaky ReLU; the difference is that :math:`\alpha` is a parameter of the
    model, trained with the weights (usually one per unit or channel, initialised at 0.25).
    """
    return np.where(x > 0, x, alpha * x)


def prelu_grad(x: Array, alpha: float | Array = 0.25) -> Array:
    r""":math:`\partial f / \partial x`: :math:`1` for :math:`x > 0`, :math:`\alpha` otherwise."""
    return np.where(x > 0, 1.0, alpha * np.ones_like(x))


def prelu_grad_alpha(x: Array, alpha: float | Array = 0.25) -> Array:
    r""":math:`\partial f / \partial \alpha = \min(x, 0)`.

    Only inputs on the negative side teach the slope; ``alpha`` may hold one slope per unit,
    which broadcasts against ``x``.
    """
    return np.minimum(x, 0.0) * np.ones_like(alpha)


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


linear = Activation(
    name="linear", formula=r"x", derivative=r"1",
    output_range="(-inf, inf)", monotonic=True, value=linear_value, grad=linear_grad,
    note="no non-linearity: a stack of linear layers is one linear layer",
)
binary_step = Activation(
    name="binary_step", formula=r"\begin{cases}1 & x\ge 0\\ 0 & x<0\end{cases}",
    derivative=r"0 \ (x\ne 0)", output_range="{0, 1}", monotonic=True,
    value=binary_step_value, grad=binary_step_grad, kinks=(0.0,), continuous=False,
    note="derivative 0 wherever it exists: no gradient signal, not trainable by gradient descent",
)
sigmoid = Activation(
    name="sigmoid", formula=r"\frac{1}{1+e^{-x}}", derivative=r"\sigma(x)\,(1-\sigma(x))",
    output_range="(0, 1)", monotonic=True, value=sigmoid_value, grad=sigmoid_grad,
    note="derivative at most 1/4 and saturating: gradients vanish through many layers",
)
tanh = Activation(
    name="tanh", formula=r"\tanh x", derivative=r"1-\tanh^2 x",
    output_range="(-1, 1)", monotonic=True, value=tanh_value, grad=tanh_grad,
    note="a rescaled sigmoid, 2 sigmoid(2x) - 1: zero-centred, derivative up to 1, saturating",
)
relu = Activation(
    name="relu", formula=r"\max(0,x)", derivative=r"\mathbb{1}[x>0]",
    output_range="[0, inf)", monotonic=True, value=relu_value, grad=relu_grad, kinks=(0.0,),
    note="gradient exactly 0 for x < 0: a unit inactive on every input stops learning (dying ReLU)",
)
leaky_relu = Activation(
    name="leaky_relu", formula=r"\begin{cases}x & x>0\\ a x & x\le 0\end{cases}",
    derivative=r"\begin{cases}1 & x>0\\ a & x\le 0\end{cases}",
    output_range="(-inf, inf)", monotonic=True, value=leaky_relu_value, grad=leaky_relu_grad,
    params={"alpha": (0.01, v.non_negative)}, kinks=(0.0,),
    note="a fixed small slope a (the alpha argument) for x < 0 keeps a gradient flowing",
)
prelu = Activation(
    name="prelu", formula=r"\begin{cases}x & x>0\\ a x & x\le 0\end{cases}",
    derivative=r"\begin{cases}1 & x>0\\ a & x\le 0\end{cases}",
    output_range="(-inf, inf)", monotonic=False, value=prelu_value, grad=prelu_grad,
    # Any real slope: alpha is learned, and nothing in gradient descent keeps it positive.
    params={"alpha": (0.25, v.real_number)}, kinks=(0.0,),
    param_grads={"alpha": prelu_grad_alpha},
    note="the slope a is learned, d f / d a = min(x, 0); monotonic only while a >= 0",
)
elu = Activation(
    name="elu", formula=r"\begin{cases}x & x>0\\ a(e^x-1) & x\le 0\end{cases}",
    derivative=r"\begin{cases}1 & x>0\\ a e^x & x\le 0\end{cases}",
    output_range="(-a, inf)", monotonic=True, value=elu_value, grad=elu_grad,
    params={"alpha": (1.0, v.positive)}, kinks=(0.0,),
    note="smooth negative side saturating at -a; differentiable at 0 only for a = 1",
)
softplus = Activation(
    name="softplus", formula=r"\log(1+e^x)", derivative=r"\sigma(x)",
    output_range="(0, inf)", monotonic=True, value=softplus_value, grad=softplus_grad,
    note="a smooth ReLU; its derivative is the sigmoid",
)
swish = Activation(
    name="swish", formula=r"x\,\sigma(\zeta x)",
    derivative=r"\sigma(\zeta x)+\zeta x\,\sigma(\zeta x)(1-\sigma(\zeta x))",
    output_range="[about -0.278/zeta, inf)", monotonic=False, value=swish_value, grad=swish_grad,
    params={"beta": (1.0, v.positive)},
    note="SiLU for zeta = 1 (the beta argument); dips below 0 before rising, so not monotonic",
)

#: Every elementwise activation by name, in the order the book introduces them.
REGISTRY: Mapping[str, Activation] = MappingProxyType(
    {a.name: a for a in (linear, binary_step, sigmoid, tanh, relu, leaky_relu, prelu, elu, softplus, swish)}
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


def log_softmax_unchecked(z: Array, axis: int = -1) -> Array:
    """:func:`log_softmax` of a validated float64 array, without the checks (for inner loops)."""
    return z - _logsumexp(z, axis)


def neg_log_softmax_unchecked(z: Array, axis: int = -1) -> Array:
    """-log softmax(z) = logsumexp(z) - z of a validated array, so that a certain class gives +0.0."""
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
    return log_softmax_unchecked(a, axis)


def softmax(z: ArrayLike, axis: int = -1) -> Array:
    r"""Softmax :math:`e^{z_c} / \sum_j e^{z_j}` along ``axis``: non-negative entries summing to 1.

    Invariant to adding a constant to every logit, which is what makes the max-shift legal.
    """
    a, axis = _prepare_axis(z, axis)
    e = np.exp(a - np.max(a, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)



def softmax_jacobian(z: ArrayLike) -> Array:
    r"""Jacobian of the softmax over the last axis.

    .. math:: \partial p_c / \partial z_j = p_c(\delta_{cj} - p_j)

    For logits of shape ``(..., k)`` the result has shape ``(..., k, k)``,
    entry ``[..., c, j]`` being the derivative of output :math:`c` with
    respect to input :math:`j`: the symmetric matrix
    :math:`\operatorname{diag}(p) - p p^\top`, whose rows sum to 0 (adding
    the same constant to every logit changes nothing).
    """
    p = softmax(z, axis=-1)
    return p[..., :, None] * (np.eye(p.shape[-1]) - p[..., None, :])


# -- maxout ---------------------------------------------------------------------------------------
def _maxout_groups(z: ArrayLike, n_pieces: int, axis: int) -> tuple[Array, int]:
    """The input with ``axis`` moved last and split into groups: shape ``(..., m, n_pieces)``."""
    a, axis = _prepare_axis(z, axis)
    v.positive_integer(n_pieces, "n_pieces")
    size = a.shape[axis]
    if size % n_pieces:
        raise ValueError(
            f"maxout needs the length of axis {axis} ({size}) to be a multiple of n_pieces = {n_pieces}: "
            f"each output takes the max over {n_pieces} consecutive inputs"
        )
    moved = np.moveaxis(a, axis, -1)
    return moved.reshape(*moved.shape[:-1], size // n_pieces, int(n_pieces)), axis


def maxout(z: ArrayLike, n_pieces: int, axis: int = -1) -> Array:
    r"""Maxout: the maximum over consecutive groups of ``n_pieces`` inputs along ``axis``.

    .. math:: h_j = \max_{i = 1, \dots, k} z_{j,i}, \qquad z_{j,i} = z_{(j-1)k + i},

    with :math:`k` = ``n_pieces``: a unit with :math:`k` linear pieces
    :math:`z_{j,i} = w_{j,i}^\top x + b_{j,i}` computes a convex, piecewise-linear function of
    :math:`x`. Not elementwise: the output is :math:`k` times shorter along ``axis``. ReLU is
    the maxout of the pieces :math:`(x, 0)`, the absolute value that of :math:`(x, -x)`.
    """
    groups, axis = _maxout_groups(z, n_pieces, axis)
    return np.moveaxis(groups.max(axis=-1), -1, axis)


def maxout_grad(z: ArrayLike, n_pieces: int, axis: int = -1) -> Array:
    r"""Derivative of maxout: 1 for the winning input of each group, else 0.

    .. math:: \partial h_j / \partial z_{j,i}
              = \mathbb 1[i = \arg\max_{i'} z_{j,i'}]

    The result has the shape of ``z``. An input only affects its own group's
    output, so this mask is the whole (block-diagonal) Jacobian, and the
    chain rule multiplies it by :math:`\partial J / \partial h_j` repeated
    over the group's pieces. Where pieces tie, the maximum has a kink; the
    first winner gets the 1 (a subgradient).
    """
    groups, axis = _maxout_groups(z, n_pieces, axis)
    winner = np.argmax(groups, axis=-1)[..., None]
    mask = np.zeros_like(groups)
    np.put_along_axis(mask, winner, 1.0, axis=-1)
    mask = mask.reshape(*groups.shape[:-2], -1)
    return np.moveaxis(mask, -1, axis)


class VectorActivation:
    """Metadata of an activation that acts on a whole vector (along an axis), not elementwise.

    The same fields as :class:`Activation`, for the book's tables, plus the two functions:
    ``function(z, ...)`` and ``grad(z, ...)`` (a Jacobian or its compact form; see each).
    ``monotonic`` says whether every output is non-decreasing in every input.
    """

    def __init__(
        self,
        *,
        name: str,
        formula: str,
        derivative: str,
        output_range: str,
        monotonic: bool,
        function: Callable[..., Array],
        grad: Callable[..., Array],
        note: str = "",
    ) -> None:
        self.name = name
        self.formula = formula
        self.derivative = derivative
        self.output_range = output_range
        self.monotonic = monotonic
        self.function = function
        self.grad = grad
        self.note = note
        self.__doc__ = function.__doc__

    def __call__(self, z: ArrayLike, *args: Any, **kwargs: Any) -> Array:
        return self.function(z, *args, **kwargs)

    def __repr__(self) -> str:
        return f"VectorActivation({self.name})"


#: The activations of a vector, softmax (a distribution over k outputs) and maxout.
VECTOR_REGISTRY: Mapping[str, VectorActivation] = MappingProxyType({
    "softmax": VectorActivation(
        name="softmax", formula=r"\frac{e^{z_c}}{\sum_j e^{z_j}}",
        derivative=r"\frac{\partial p_c}{\partial z_j} = p_c([c=j]-p_j)",
        output_range="(0, 1)", monotonic=False,
        function=softmax, grad=softmax_jacobian,
        note="entries sum to 1; each increases with its own logit, decreases with the others; the k-class output layer",
    ),
    "maxout": VectorActivation(
        name="maxout", formula=r"\max_{i\le k} z_{j,i}",
        derivative=r"\frac{\partial h_j}{\partial z_{j,i}} = \mathbb{1}[i = \arg\max_{i'} z_{j,i'}]",
        output_range="(-inf, inf)", monotonic=True,
        function=maxout, grad=maxout_grad,
        note="non-decreasing in every piece; of the unit's input x, any convex piecewise-linear function",
    ),
})
