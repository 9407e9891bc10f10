r"""A one-hidden-layer neural network trained with any activation and any loss, by the chain rule.

The network computes

.. math:: A = X W_1 + b_1, \qquad H = f(A), \qquad Z = H W_2 + b_2, \qquad
          \hat y = \operatorname{link}(Z),

with an elementwise activation :math:`f` of :data:`lossbook.activations.REGISTRY` in the
hidden layer and, on top, exactly the model of :mod:`lossbook.models`: a linear layer, the link
its loss expects (identity, sigmoid or softmax) and any loss of :data:`lossbook.losses.REGISTRY`.
Its gradient is the chain rule written out one layer at a time, each layer using only the
derivative its own component provides:

.. math::
    G = w \odot \operatorname{link}'(Z)^\top \frac{\partial \ell}{\partial \hat y}
        \quad (\text{the loss's } \texttt{.grad}), \qquad
    \frac{\partial J}{\partial W_2} = \frac{H^\top G}{\sum_i w_i}, \qquad
    \frac{\partial J}{\partial H} = G W_2^\top,

.. math::
    \frac{\partial J}{\partial A} = \frac{\partial J}{\partial H} \odot f'(A)
        \quad (\text{the activation's } \texttt{.grad}), \qquad
    \frac{\partial J}{\partial W_1} = X^\top \frac{\partial J}{\partial A}, \qquad
    \frac{\partial J}{\partial b_1} = \mathbf 1^\top \frac{\partial J}{\partial A}.

An activation with a learnable parameter (the slope :math:`\alpha` of parametric ReLU) gets one
per hidden unit, trained with the weights through the activation's ``param_grad``.

All parameters live in one flat vector :math:`\theta = (W_1, b_1, [\alpha], W_2, b_2)`, so the
optimisers of :mod:`lossbook.optim`, the gradient checker and the book's plots treat the network
like the linear models. :func:`layer_gradient_norms` backpropagates through a deep stack of such
layers, to measure how the gradient shrinks or grows from layer to layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validation as v
from .activations import REGISTRY as ACTIVATIONS
from .activations import Activation
from .heads import OutputHead
from .losses import Loss
from .models import LinearModel, Link, design_matrix, train_by_gradient_descent

Array = NDArray[np.float64]

__all__ = ["NetworkParameters", "OneHiddenLayerNetwork", "default_gain", "layer_gradient_norms"]

#: Activations whose standard initialisation is He's (gain sqrt(2)): they zero or shrink half
#: their inputs, so without the extra factor the signal halves in power at every layer.
_HE_INIT = frozenset({"relu", "leaky_relu", "prelu", "elu"})


def default_gain(activation: str | Activation) -> float:
    r"""The initialisation gain :math:`g` for weights :math:`\mathcal N(0, g^2/\text{fan-in})`.

    :math:`\sqrt 2` (He et al., 2015) for the ReLU family, 1 (LeCun) for the others.
    """
    name = _resolve_activation(activation).name
    return float(np.sqrt(2.0)) if name in _HE_INIT else 1.0


def _resolve_activation(activation: str | Activation) -> Activation:
    resolved: Activation = v.from_registry(activation, ACTIVATIONS, Activation, "activation")
    return resolved


class NetworkParameters(NamedTuple):
    """The parameters of a :class:`OneHiddenLayerNetwork`, by layer (views into :math:`\\theta`)."""

    hidden_weights: Array
    """:math:`W_1`, shape ``(n_features, n_hidden)``."""
    hidden_bias: Array
    """:math:`b_1`, shape ``(n_hidden,)``."""
    activation_params: dict[str, Array]
    """Learned activation parameters, one per hidden unit (e.g. PReLU's ``alpha``); else empty."""
    output_weights: Array
    """:math:`W_2`, shape ``(n_hidden,)``, or ``(n_hidden, n_outputs)`` for several outputs."""
    output_bias: Array
    """:math:`b_2`, a 0-d array, or shape ``(n_outputs,)``."""


class OneHiddenLayerNetwork:
    r"""A neural network with one hidden layer: :math:`\operatorname{link}(f(XW_1 + b_1)W_2 + b_2)`.

    Parameters
    ----------
    n_hidden
        Number of hidden units :math:`m`.
    activation
        An elementwise activation of :data:`lossbook.activations.REGISTRY`, by name or object.
    loss
        A loss of :data:`lossbook.losses.REGISTRY`, by name or object. As for
        :class:`lossbook.models.LinearModel` it decides the output link and the targets:
        real values for a regression loss, labels in {0, 1} for a binary loss, integer labels
        in :math:`[0, k)` for a multi-class loss (with ``n_outputs = k``).
    n_outputs
        1 for regression and binary tasks, the number of classes for a multi-class loss.
    link
        Override the output link (e.g. a sigmoid under the squared error); by default the one
        the loss expects.
    activation_params, loss_params
        Keyword parameters of the activation (``{"alpha": 0.1}`` for leaky ReLU) and the loss.
    learn_activation_params
        Learn the activation's learnable parameters (PReLU's ``alpha``), one per hidden unit,
        starting from the value in ``activation_params`` or the default. If False they stay
        fixed, shared by all units.
    weight_scale
        The gain :math:`g` of the initial hidden weights :math:`\mathcal N(0, g^2/d)`;
        :func:`default_gain` by default. Output weights start as :math:`\mathcal N(0, 1/m)`,
        biases at 0.
    seed
        Seed of the initialisation: :meth:`init_params` with the same seed gives the same
        starting point.

    Examples
    --------
    >>> import numpy as np
    >>> net = OneHiddenLayerNetwork(4, activation="tanh", loss="binary_cross_entropy_with_logits")
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    >>> net.n_params(2)
    17
    """

    def __init__(
        self,
        n_hidden: int,
        *,
        activation: str | Activation = "relu",
        loss: str | Loss = "squared_error",
        n_outputs: int = 1,
        link: Link | None = None,
        activation_params: Mapping[str, float] | None = None,
        loss_params: Mapping[str, float] | None = None,
        learn_activation_params: bool = True,
        weight_scale: float | None = None,
        seed: int | None = 0,
    ) -> None:
        self.n_hidden = v.positive_integer(n_hidden, "n_hidden")
        self.activation = _resolve_activation(activation)
        self.activation_params = self.activation.checked_params(dict(activation_params or {}))
        self.learned: tuple[str, ...] = self.activation.learnable if learn_activation_params else ()
        # The output layer is a linear model on the hidden features: its parameters' layout
        # and its output head (link, target checks and loss) are exactly those of
        # lossbook.models, so every loss works here too.
        self._output_layer = LinearModel(loss, link=link, n_outputs=n_outputs, loss_params=loss_params)
        #: The output head (:class:`lossbook.heads.OutputHead`): link, loss and its parameters.
        self.head: OutputHead = self._output_layer.head
        self.loss = self.head.loss
        self.link = self.head.link.name
        self.n_outputs = self.head.n_outputs
        self.loss_params = self.head.loss_params
        self.weight_scale = default_gain(self.activation) if weight_scale is None else v.positive(weight_scale, "weight_scale")
        self.seed = seed

    def __repr__(self) -> str:
        params = "".join(f", {k}={val!r}" for k, val in self.activation_params.items())
        return (
            f"OneHiddenLayerNetwork(n_hidden={self.n_hidden}, activation={self.activation.name!r}{params}, "
            f"loss={self.loss.name!r}, n_outputs={self.n_outputs})"
        )

    # -- parameters -------------------------------------------------------------------------
    def _sizes(self, n_features: int) -> tuple[int, int, int]:
        """Lengths of the hidden layer's weights, its learned activation parameters, the head."""
        m = self.n_hidden
        return n_features * m + m, len(self.learned) * m, self._output_layer.n_params(m)

    def n_params(self, n_features: int) -> int:
        """Length of :math:`\\theta` for ``n_features`` inputs."""
        return sum(self._sizes(n_features))

    def unpack(self, theta: ArrayLike, n_features: int) -> NetworkParameters:
        """Split :math:`\\theta` into the layers' parameters (views: writing to them changes ``theta``)."""
        t = v.as_float_array(theta, "theta")
        if t.shape != (self.n_params(n_features),):
            raise ValueError(
                f"theta must have shape ({self.n_params(n_features)},) for {n_features} feature(s) "
                f"and {self.n_hidden} hidden unit(s), got {t.shape}"
            )
        m = self.n_hidden
        hidden, learned, _ = self._sizes(n_features)
        W1 = t[: n_features * m].reshape(n_features, m)
        b1 = t[n_features * m : hidden]
        params = {name: t[hidden + i * m : hidden + (i + 1) * m] for i, name in enumerate(self.learned)}
        W2, b2 = self._output_layer.unpack(t[hidden + learned :], m)
        return NetworkParameters(W1, b1, params, W2, b2)

    def pack(self, params: NetworkParameters) -> Array:
        """The flat vector :math:`\\theta` of parameters given by layer (the inverse of :meth:`unpack`)."""
        parts = [np.ravel(params.hidden_weights), np.ravel(params.hidden_bias)]
        parts += [np.ravel(params.activation_params[name]) for name in self.learned]
        parts += [np.ravel(params.output_weights), np.ravel(params.output_bias)]
        return np.concatenate([np.asarray(p, dtype=np.float64) for p in parts])

    def init_params(self, n_features: int, seed: int | None = None) -> Array:
        r"""Random starting parameters: :math:`W_1 \sim \mathcal N(0, g^2/d)`, :math:`W_2 \sim \mathcal N(0, 1/m)`, biases 0.

        Random, not zero: with equal weights every hidden unit would compute the same function
        and receive the same gradient, forever. ``seed`` defaults to the network's own.
        """
        n_features = v.positive_integer(n_features, "n_features")
        rng = np.random.default_rng(self.seed if seed is None else seed)
        m, k = self.n_hidden, self.n_outputs
        W1 = rng.normal(0.0, self.weight_scale / np.sqrt(n_features), (n_features, m))
        W2 = rng.normal(0.0, 1.0 / np.sqrt(m), (m, k) if k > 1 else (m,))
        learned = {name: np.full(m, self.activation_params[name]) for name in self.learned}
        return self.pack(NetworkParameters(W1, np.zeros(m), learned, W2, np.zeros(k)))

    # -- forward and backward ---------------------------------------------------------------
    def _activation_kwargs(self, p: NetworkParameters) -> dict[str, Any]:
        return {**self.activation_params, **p.activation_params}

    def preactivations(self, theta: ArrayLike, X: ArrayLike) -> Array:
        """The hidden layer's inputs :math:`A = XW_1 + b_1`, shape ``(n, n_hidden)``."""
        Xa = design_matrix(X)
        p = self.unpack(theta, Xa.shape[1])
        return Xa @ p.hidden_weights + p.hidden_bias

    def hidden(self, theta: ArrayLike, X: ArrayLike) -> Array:
        """The hidden layer's outputs :math:`H = f(A)`, shape ``(n, n_hidden)``."""
        Xa = design_matrix(X)
        p = self.unpack(theta, Xa.shape[1])
        return self.activation.unchecked_value(Xa @ p.hidden_weights + p.hidden_bias, **self._activation_kwargs(p))

    def inactive_units(self, theta: ArrayLike, X: ArrayLike) -> NDArray[np.bool_]:
        """Which hidden units have a pre-activation :math:`\\le 0` on every row of ``X``.

        For ReLU such a unit outputs 0 and has derivative 0 on all of these data, so no
        gradient reaches its weights, its bias or its output weight: it is **dead**, and
        gradient descent on these data can never revive it.
        """
        return np.all(self.preactivations(theta, X) <= 0.0, axis=0)

    def prepare(self, X: ArrayLike, y: ArrayLike) -> tuple[Array, np.ndarray]:
        """Validate data once, so that :meth:`cost_and_gradient` can run unchecked in a loop."""
        return self._output_layer.prepare(X, y)

    def cost_and_gradient(
        self, theta: Array, X: Array, y: np.ndarray, sample_weight: Array | None = None
    ) -> tuple[float, Array]:
        """Cost :math:`J(\\theta)` and its gradient by backpropagation, on data checked by :meth:`prepare`."""
        # A diverging run overflows to inf or NaN; the optimiser reads the non-finite cost and
        # stops with a message, so NumPy's warnings would only repeat what the result says.
        with np.errstate(over="ignore", invalid="ignore"):
            return self._cost_and_gradient(theta, X, y, sample_weight)

    def _cost_and_gradient(
        self, theta: Array, X: Array, y: np.ndarray, sample_weight: Array | None
    ) -> tuple[float, Array]:
        p = self.unpack(theta, X.shape[1])
        kw = self._activation_kwargs(p)
        f = self.activation
        # forward
        A = X @ p.hidden_weights + p.hidden_bias
        H = f.unchecked_value(A, **kw)
        Z = H @ p.output_weights + p.output_bias
        # backward: the cost's gradient with respect to the scores (through the link), then
        # layer by layer
        cost, G = self.head.cost_and_gradient(y, Z, sample_weight)  # G = dJ/dZ
        grad_W2, grad_b2 = H.T @ G, np.atleast_1d(G.sum(axis=0))
        if G.ndim == 2:
            dH = G @ p.output_weights.T
        else:
            dH = np.outer(G, p.output_weights)
        dA = dH * f.unchecked_grad(A, **kw)
        parts = [(X.T @ dA).ravel(), dA.sum(axis=0)]
        for name in self.learned:  # e.g. PReLU's slopes, one per unit
            parts.append(np.sum(dH * f.unchecked_param_grads[name](A, **kw), axis=0))
        parts += [grad_W2.ravel(), grad_b2]
        return cost, np.concatenate(parts)

    def cost(self, theta: ArrayLike, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> float:
        """:math:`J(\\theta)` on validated data: the (weighted) mean loss of the network's outputs."""
        return self._evaluate(theta, X, y, sample_weight)[0]

    def gradient(self, theta: ArrayLike, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Array:
        """:math:`\\nabla_\\theta J(\\theta)` by backpropagation."""
        return self._evaluate(theta, X, y, sample_weight)[1]

    def _evaluate(self, theta: ArrayLike, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None) -> tuple[float, Array]:
        Xa, ya = self.prepare(X, y)
        w = None if sample_weight is None else v.check_sample_weight(sample_weight, Xa.shape[0])
        t = v.as_float_array(theta, "theta")
        v.check_finite(t, "theta")
        return self.cost_and_gradient(t, Xa, ya, w)

    # -- estimator interface ----------------------------------------------------------------
    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        *,
        sample_weight: ArrayLike | None = None,
        theta0: ArrayLike | None = None,
        learning_rate: float = 0.1,
        n_epochs: int = 1000,
        batch_size: int | None = None,
        shuffle_seed: int | None = 0,
        tol: float | None = None,
        **optimizer_options: Any,
    ) -> OneHiddenLayerNetwork:
        """Train by gradient descent (:func:`lossbook.optim.gradient_descent`) from ``theta0``.

        ``theta0`` defaults to :meth:`init_params` with the network's seed; ``shuffle_seed``
        seeds the mini-batch order. Sets ``theta_`` and ``result_`` (with its history, from
        which e.g. the dead units after every epoch can be counted).
        """
        result, n_features = train_by_gradient_descent(
            self, X, y, sample_weight=sample_weight, theta0=theta0, learning_rate=learning_rate,
            n_epochs=n_epochs, batch_size=batch_size, seed=shuffle_seed, tol=tol, **optimizer_options,
        )
        self.result_ = result
        self.theta_ = result.params
        self.n_features_in_ = n_features
        return self

    def _checked_X(self, X: ArrayLike) -> Array:
        if not hasattr(self, "theta_"):
            raise ValueError("this OneHiddenLayerNetwork is not fitted yet: call fit(X, y) first")
        Xa = design_matrix(X)
        if Xa.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {Xa.shape[1]} feature(s), the network was fitted with {self.n_features_in_}")
        return Xa

    def decision_function(self, X: ArrayLike) -> Array:
        """The scores :math:`Z` (values, logits or class scores) of the fitted network."""
        Xa = self._checked_X(X)
        p = self.unpack(self.theta_, Xa.shape[1])
        H = self.activation.unchecked_value(Xa @ p.hidden_weights + p.hidden_bias, **self._activation_kwargs(p))
        return H @ p.output_weights + p.output_bias

    def predict_output(self, X: ArrayLike) -> Array:
        """What the loss sees: the scores after the link."""
        return self.head.forward(self.decision_function(X))

    def predict(self, X: ArrayLike) -> Array:
        """Predicted values (regression) or class labels (classification)."""
        return self.head.predict(self.decision_function(X))

    def predict_proba(self, X: ArrayLike) -> Array:
        """Class probabilities, shape ``(n, 2)`` for a binary task and ``(n, k)`` for k classes."""
        return self.head.predict_proba(self.decision_function(X))


# -- a deep stack, for the gradient's journey through many layers --------------------------------
def deep_stack_cost_and_grads(
    activation: Activation,
    activation_kw: Mapping[str, float],
    weights: list[Array],
    output_weights: Array,
    head: OutputHead,
    X: Array,
    y: np.ndarray,
) -> tuple[float, list[Array]]:
    r"""The cost of a deep stack and :math:`\partial J / \partial W_l` for every layer.

    The stack computes :math:`h_l = f(h_{l-1} W_l)` from :math:`h_0 = X`; the
    ``head`` (link and loss) turns the scores :math:`h_L w` into the cost.
    """
    inputs, pre = [], []
    h = X
    for W in weights:
        inputs.append(h)
        a = h @ W
        pre.append(a)
        h = activation.unchecked_value(a, **activation_kw)
    cost, G = head.cost_and_gradient(y, h @ output_weights)  # G = dJ/d(scores)
    dh = np.outer(G, output_weights)
    grads: list[Array] = []
    for W, a, h_in in zip(reversed(weights), reversed(pre), reversed(inputs), strict=True):
        da = dh * activation.unchecked_grad(a, **activation_kw)  # through f'(a_l)
        grads.append(h_in.T @ da)                       # dJ/dW_l
        dh = da @ W.T                                   # on to layer l - 1
    return cost, grads[::-1]


def layer_gradient_norms(
    activation: str | Activation,
    X: ArrayLike,
    y: ArrayLike,
    *,
    n_layers: int,
    width: int,
    loss: str | Loss = "squared_error",
    gain: float | None = None,
    activation_params: Mapping[str, float] | None = None,
    seed: int | None = 0,
) -> Array:
    r"""Gradient norms :math:`\lVert \partial J / \partial W_l \rVert_F`, layer by layer, of a random deep network.

    The network has ``n_layers`` hidden layers of ``width`` units, :math:`h_l = f(h_{l-1} W_l)`
    with :math:`h_0 = X`, weights drawn from :math:`\mathcal N(0, g^2/\text{fan-in})` (no biases),
    and a linear output unit scored by ``loss`` against ``y`` (a regression or binary loss). By
    the chain rule

    .. math:: \frac{\partial J}{\partial h_{l-1}} = \Bigl(\frac{\partial J}{\partial h_l} \odot f'(a_l)\Bigr) W_l^\top,

    so the gradient reaching layer :math:`l` is the top gradient multiplied by
    :math:`f'(a) W^\top` once per layer above it: when those factors are below 1 it shrinks
    geometrically with depth (the **vanishing gradient**), above 1 it grows (exploding).

    Parameters
    ----------
    activation
        An elementwise activation, by name or object.
    X, y
        Inputs ``(n, d)`` and targets ``(n,)`` for ``loss``.
    n_layers, width
        Depth and width of the stack.
    loss
        A loss of the registry with one output (regression or binary).
    gain
        :math:`g`; :func:`default_gain` of the activation by default.
    activation_params
        Keyword parameters of the activation.
    seed
        Seed of the random weights.

    Returns
    -------
    ndarray of shape (n_layers,)
        The Frobenius norms, from the first layer (next to the inputs) to the last.
    """
    f = _resolve_activation(activation)
    kw = f.checked_params(dict(activation_params or {}))
    n_layers = v.positive_integer(n_layers, "n_layers")
    width = v.positive_integer(width, "width")
    g = default_gain(f) if gain is None else v.positive(gain, "gain")
    output_layer = LinearModel(loss, fit_intercept=False)  # refuses a multi-class loss: one output here
    Xa, ya = output_layer.prepare(X, y)
    rng = np.random.default_rng(seed)
    fan_in = [Xa.shape[1]] + [width] * (n_layers - 1)
    weights = [rng.normal(0.0, g / np.sqrt(d), (d, width)) for d in fan_in]
    output_weights = rng.normal(0.0, 1.0 / np.sqrt(width), width)
    _, grads = deep_stack_cost_and_grads(f, kw, weights, output_weights, output_layer.head, Xa, ya)
    return np.array([float(np.linalg.norm(gW)) for gW in grads])
