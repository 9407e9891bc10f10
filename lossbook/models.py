r"""Linear models trained with any loss of :data:`lossbook.losses.REGISTRY`.

One model, several links. The model computes scores :math:`Z = XW + b`; its output head
(:class:`lossbook.heads.OutputHead`) passes them through a link (identity, sigmoid, softmax, or
the exponential of a predicted mean) to get what the loss expects, and differentiates the cost

.. math:: J(\theta) = \frac{\sum_i w_i\, \ell(y_i, \operatorname{link}(z_i))}{\sum_i w_i}

with the chain rule, using nothing but the loss's own derivative:

.. math:: \frac{\partial J}{\partial W} = X^\top G, \qquad
          \frac{\partial J}{\partial b} = \mathbf 1^\top G, \qquad
          G = \frac{\partial J}{\partial Z}
            = \frac{w \odot \operatorname{link}'(Z)^\top\, \partial \ell / \partial \hat y}{\sum_i w_i}.

So every regression, binary and multi-class loss trains without new code: add a loss to the
registry and these models can fit it. The parameters live in one flat vector
:math:`\theta = (W, b)` so that the optimisers of :mod:`lossbook.optim`, the gradient checker
and the contour plots can treat every model alike.

:class:`LinearRegression`, :class:`LogisticRegression` and :class:`SoftmaxRegression` are the same
model with the defaults a scikit-learn user expects (``fit``, ``predict``, ``predict_proba``,
``decision_function``, ``coef_``, ``intercept_``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validation as v
from .heads import LinkName as Link
from .heads import OutputHead
from .losses import REGISTRY, Loss

Array = NDArray[np.float64]

__all__ = [
    "LinearModel", "LinearRegression", "LogisticRegression", "SoftmaxRegression",
    "least_squares", "squared_error_hessian", "train_by_gradient_descent",
]

def _resolve_loss(loss: str | Loss) -> Loss:
    resolved: Loss = v.from_registry(loss, REGISTRY, Loss, "loss")
    return resolved


def design_matrix(X: ArrayLike) -> Array:
    """Validate features: a finite 2-D float array ``(n, d)`` (a 1-D array is one feature)."""
    a = v.as_float_array(X, "X")
    if a.ndim == 1:
        a = a.reshape(-1, 1)
    if a.ndim != 2:
        raise ValueError(f"X must be 2-D with shape (n_samples, n_features), got shape {a.shape}")
    v.check_finite(a, "X")
    return a


class LinearModel:
    r"""A linear model :math:`\operatorname{link}(XW + b)` fitted by minimising a loss.

    Parameters
    ----------
    loss
        A loss of the registry, by name or object; its parameters go in ``loss_params``.
    link
        ``"identity"``, ``"sigmoid"``, ``"softmax"``, ``"exp"`` or ``"expm1"``. By default the
        link of the loss's input kind: sigmoid for a loss on probabilities
        (``binary_cross_entropy``), softmax for one on probability rows, :math:`e^z` for the
        predicted mean of a count (``poisson_deviance``: a log-linear model), :math:`e^z - 1`
        for the squared log error (whose predictions must stay above -1; the model then fits
        :math:`\log(1 + y)` linearly), identity for values, logits and scores. Set it to
        combine, say, the squared error with a sigmoid (chapter 4 shows why that is a bad idea).
    n_outputs
        1 for regression and binary tasks, the number of classes for a softmax model.
    fit_intercept
        Whether to learn :math:`b`.
    loss_params
        Keyword parameters of the loss, e.g. ``{"delta": 2.0}`` for Huber.
    """

    def __init__(
        self,
        loss: str | Loss = "squared_error",
        *,
        link: Link | None = None,
        n_outputs: int = 1,
        fit_intercept: bool = True,
        loss_params: Mapping[str, float] | None = None,
    ) -> None:
        #: The output head, with the link, the loss and its parameters (:mod:`lossbook.heads`).
        self.head = OutputHead(loss, link=link, n_outputs=n_outputs, loss_params=loss_params)
        self.loss = self.head.loss
        self.link: Link = self.head.link.name  # type: ignore[assignment]
        self.n_outputs = self.head.n_outputs
        self.fit_intercept = bool(fit_intercept)
        self.loss_params = self.head.loss_params

    def __repr__(self) -> str:
        params = "".join(f", {k}={val!r}" for k, val in self.loss_params.items())
        return f"{type(self).__name__}(loss={self.loss.name!r}{params}, link={self.link!r})"

    # -- parameters -------------------------------------------------------------------------
    def n_params(self, n_features: int) -> int:
        """Length of :math:`\\theta` for ``n_features`` features."""
        return (n_features + self.fit_intercept) * self.n_outputs

    def init_params(self, n_features: int) -> Array:
        """The zero parameter vector, the usual starting point (the costs here are convex in it)."""
        return np.zeros(self.n_params(n_features))

    def unpack(self, theta: ArrayLike, n_features: int) -> tuple[Array, Array]:
        """Split :math:`\\theta` into weights ``W`` (``(d,)`` or ``(d, k)``) and intercept ``b``."""
        t = v.as_float_array(theta, "theta")
        if t.shape != (self.n_params(n_features),):
            raise ValueError(
                f"theta must have shape ({self.n_params(n_features)},) for {n_features} feature(s), got {t.shape}"
            )
        k = self.n_outputs
        W = t[: n_features * k].reshape((n_features, k) if k > 1 else (n_features,))
        b = t[n_features * k :] if self.fit_intercept else np.zeros(k)
        return W, (b if k > 1 else b.reshape(()))

    # -- forward and backward ---------------------------------------------------------------
    def scores(self, theta: Array, X: Array) -> Array:
        """The linear part :math:`Z = XW + b`: values, logits or class scores."""
        W, b = self.unpack(theta, X.shape[1])
        return X @ W + b

    def prepare(self, X: ArrayLike, y: ArrayLike) -> tuple[Array, np.ndarray]:
        """Validate data once, so that :meth:`cost_and_gradient` can run unchecked in a loop."""
        Xa = design_matrix(X)
        return Xa, self.head.targets(y, Xa.shape[0])

    def cost_and_gradient(
        self, theta: Array, X: Array, y: np.ndarray, sample_weight: Array | None = None
    ) -> tuple[float, Array]:
        """Cost :math:`J(\\theta)` and its gradient on data already checked by :meth:`prepare`.

        The inner loop of every optimiser: no validation here, that happened once in
        :meth:`prepare`.
        """
        Z = self.scores(theta, X)
        cost, G = self.head.cost_and_gradient(y, Z, sample_weight)  # G = dJ/dZ, one row per sample
        parts = [(X.T @ G).ravel()]  # dJ/dW = X^T G
        if self.fit_intercept:
            parts.append(np.atleast_1d(G.sum(axis=0)))  # dJ/db = 1^T G
        return cost, np.concatenate(parts)

    def cost(self, theta: ArrayLike, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> float:
        """:math:`J(\\theta)` on validated data: the (weighted) mean loss of the model's predictions."""
        Xa, ya = self.prepare(X, y)
        w = None if sample_weight is None else v.check_sample_weight(sample_weight, Xa.shape[0])
        return self.cost_and_gradient(v.as_float_array(theta, "theta"), Xa, ya, w)[0]

    def gradient(self, theta: ArrayLike, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Array:
        """:math:`\\nabla_\\theta J(\\theta)` by the chain rule through the loss's ``.grad``."""
        Xa, ya = self.prepare(X, y)
        w = None if sample_weight is None else v.check_sample_weight(sample_weight, Xa.shape[0])
        return self.cost_and_gradient(v.as_float_array(theta, "theta"), Xa, ya, w)[1]

    # -- estimator interface ----------------------------------------------------------------
    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        *,
        sample_weight: ArrayLike | None = None,
        learning_rate: float = 0.1,
        n_epochs: int = 1000,
        batch_size: int | None = None,
        seed: int | None = 0,
        tol: float | None = 1e-10,
        theta0: ArrayLike | None = None,
        **optimizer_options: Any,
    ) -> LinearModel:
        """Fit by gradient descent (see :func:`lossbook.optim.gradient_descent`).

        Starts from ``theta0`` (a warm start, in the layout of :meth:`unpack`) or from
        :math:`\\theta = 0`. Sets ``theta_``, ``coef_``, ``intercept_`` and ``result_`` (the
        optimiser's result, with its history). Scale the features first: the step size that
        works depends on it.
        """
        result, n_features = train_by_gradient_descent(
            self, X, y, sample_weight=sample_weight, theta0=theta0, learning_rate=learning_rate,
            n_epochs=n_epochs, batch_size=batch_size, seed=seed, tol=tol, **optimizer_options,
        )
        self.result_ = result
        self.theta_ = result.params
        self.n_features_in_ = n_features
        self.coef_, self.intercept_ = self.unpack(result.params, n_features)
        return self

    def _fitted_theta(self) -> Array:
        if not hasattr(self, "theta_"):
            raise ValueError(f"this {type(self).__name__} is not fitted yet: call fit(X, y) first")
        return self.theta_

    def _checked_X(self, X: ArrayLike) -> Array:
        Xa = design_matrix(X)
        self._fitted_theta()
        if Xa.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {Xa.shape[1]} feature(s), the model was fitted with {self.n_features_in_}")
        return Xa

    def decision_function(self, X: ArrayLike) -> Array:
        """The scores :math:`XW + b` (values, logits or class scores) of the fitted model."""
        Xa = self._checked_X(X)
        return self.scores(self.theta_, Xa)

    def predict_output(self, X: ArrayLike) -> Array:
        """What the loss sees: the scores after the link."""
        return self.head.forward(self.decision_function(X))

    def predict(self, X: ArrayLike) -> Array:
        """Predicted values (regression) or class labels (classification)."""
        return self.head.predict(self.decision_function(X))


def train_by_gradient_descent(
    estimator: Any,
    X: ArrayLike,
    y: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    theta0: ArrayLike | None = None,
    **options: Any,
) -> tuple[Any, int]:
    """Fit any estimator of this package by :func:`lossbook.optim.gradient_descent`.

    The estimator provides ``prepare(X, y)`` (validates once), ``init_params(n_features)``,
    ``unpack(theta, n_features)`` (checks the length of a parameter vector) and
    ``cost_and_gradient(theta, X, y, sample_weight)`` (runs unchecked in the loop). Returns the
    optimiser's result and the number of features. ``options`` go to the optimiser.
    """
    from .optim import gradient_descent

    Xa, ya = estimator.prepare(X, y)
    w = None if sample_weight is None else v.check_sample_weight(sample_weight, Xa.shape[0])
    start = estimator.init_params(Xa.shape[1]) if theta0 is None else v.as_float_array(theta0, "theta0")
    estimator.unpack(start, Xa.shape[1])  # checks the length; the optimiser checks finiteness
    result = gradient_descent(
        lambda theta, rows: estimator.cost_and_gradient(theta, Xa[rows], ya[rows], None if w is None else w[rows]),
        start,
        n_samples=Xa.shape[0],
        **options,
    )
    return result, Xa.shape[1]


class LinearRegression(LinearModel):
    """Linear regression :math:`\\hat y = Xw + b` with any regression loss (default: squared error)."""

    def __init__(self, loss: str | Loss = "squared_error", *, fit_intercept: bool = True, **loss_params: float) -> None:
        super().__init__(loss, fit_intercept=fit_intercept, loss_params=loss_params)
        if self.loss.task != "regression":
            raise ValueError(f"LinearRegression needs a regression loss, {self.loss.name!r} is for {self.loss.task} tasks")


class LogisticRegression(LinearModel):
    """Binary linear classifier on labels {0, 1}: logistic regression by default, or any binary loss.

    With ``binary_cross_entropy_with_logits`` (the default) or ``binary_cross_entropy`` it is
    logistic regression; with ``hinge`` a linear SVM without regularisation; with a regression
    loss (and the sigmoid link) the squared error on probabilities of chapter 4.
    """

    def __init__(
        self,
        loss: str | Loss = "binary_cross_entropy_with_logits",
        *,
        fit_intercept: bool = True,
        link: Link | None = None,
        **loss_params: float,
    ) -> None:
        resolved = _resolve_loss(loss)
        if resolved.task == "multiclass":
            raise ValueError(f"LogisticRegression needs a binary loss, {resolved.name!r} is multi-class: use SoftmaxRegression")
        if resolved.task == "regression" and link is None:
            link = "sigmoid"
        super().__init__(resolved, link=link, fit_intercept=fit_intercept, loss_params=loss_params)

    def predict(self, X: ArrayLike) -> Array:
        """Class labels 0/1, shape ``(n,)``: 1 where the score :math:`XW + b` is positive.

        Whatever the loss: with a regression loss on the sigmoid (the squared error of chapter 4)
        the model is still a classifier, and :math:`\\sigma(z) > 1/2` exactly when :math:`z > 0`.
        """
        return (self.decision_function(X) > 0).astype(np.intp)

    def predict_proba(self, X: ArrayLike) -> Array:
        """Class probabilities, shape ``(n, 2)``: columns P(y = 0), P(y = 1).

        Only for losses that model probabilities (cross-entropy, or a loss on the sigmoid);
        margin losses (hinge) give scores without a probabilistic meaning.
        """
        return self.head.predict_proba(self.decision_function(X))


class SoftmaxRegression(LinearModel):
    """Multi-class linear classifier on integer labels 0..k-1 (softmax regression by default)."""

    def __init__(
        self,
        n_classes: int,
        loss: str | Loss = "softmax_cross_entropy",
        *,
        fit_intercept: bool = True,
        **loss_params: float,
    ) -> None:
        resolved = _resolve_loss(loss)
        if resolved.task != "multiclass":
            raise ValueError(f"SoftmaxRegression needs a multi-class loss, {resolved.name!r} is for {resolved.task} tasks")
        if not isinstance(n_classes, (int, np.integer)) or n_classes < 2:
            raise ValueError(f"n_classes must be an integer >= 2, got {n_classes!r}")
        super().__init__(resolved, n_outputs=int(n_classes), fit_intercept=fit_intercept, loss_params=loss_params)

    def predict_proba(self, X: ArrayLike) -> Array:
        """Class probabilities, shape ``(n, k)``, rows summing to 1."""
        return self.head.predict_proba(self.decision_function(X))


# -- closed forms for squared error -------------------------------------------------------------
def _with_intercept(X: Array, fit_intercept: bool) -> Array:
    return np.column_stack([X, np.ones(X.shape[0])]) if fit_intercept else X


def least_squares(X: ArrayLike, y: ArrayLike, *, fit_intercept: bool = True) -> Array:
    r"""The closed-form minimiser of the MSE, :math:`\theta^* = \arg\min \lVert \tilde X\theta - y\rVert^2`.

    Solved with an SVD-based least-squares solver (``numpy.linalg.lstsq``) rather than the normal
    equations :math:`(\tilde X^\top \tilde X)^{-1}\tilde X^\top y`, which square the condition
    number. :math:`\tilde X` is ``X`` with a column of ones when ``fit_intercept``; the result
    uses the layout of :class:`LinearModel` (weights, then intercept).
    """
    Xa = design_matrix(X)
    ya = v.as_vector(y, "y")
    if ya.shape != (Xa.shape[0],):
        raise ValueError(f"y must have shape ({Xa.shape[0]},), got {ya.shape}")
    v.check_finite(ya, "y")
    theta, *_ = np.linalg.lstsq(_with_intercept(Xa, fit_intercept), ya, rcond=None)
    return np.asarray(theta, dtype=np.float64)


def squared_error_hessian(X: ArrayLike, *, fit_intercept: bool = True) -> Array:
    r"""Hessian of the MSE cost of a linear model, :math:`H = \frac{2}{n}\tilde X^\top \tilde X`.

    Constant in :math:`\theta` (the cost is quadratic). Gradient descent with step :math:`\alpha`
    converges exactly when :math:`\alpha < 2/L`, :math:`L` the largest eigenvalue of :math:`H`.
    """
    Xa = _with_intercept(design_matrix(X), fit_intercept)
    return 2.0 / Xa.shape[0] * (Xa.T @ Xa)
