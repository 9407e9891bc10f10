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
``decision_function``, ``coef_``, ``intercept_``, ``score``, ``get_params``, ``set_params``).
Every model takes a ``penalty`` (``"l1"``, ``"l2"``, ``"elastic_net"``) and its strength
:math:`\lambda` (``strength``); the intercept is never penalised (chapter 8).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validation as v
from .heads import LinkName as Link
from .heads import OutputHead
from .losses import REGISTRY, Loss
from .penalties import REGISTRY as PENALTIES
from .penalties import Penalty

Array = NDArray[np.float64]

__all__ = [
    "LinearModel", "LinearRegression", "LogisticRegression", "SoftmaxRegression",
    "least_squares", "regularisation_path", "ridge", "ridge_path", "squared_error_hessian", "train_by_gradient_descent",
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
    r"""A linear model :math:`\operatorname{link}(XW + b)` fitted by minimising a loss, optionally penalised.

    The objective is the cost plus :math:`\lambda` times a penalty of the weights, never of the
    intercept :math:`b`:

    .. math:: J(W, b) = \frac{\sum_i w_i\, \ell(y_i, \operatorname{link}(x_i^\top W + b))}{\sum_i w_i}
              + \lambda P(W).

    The model follows scikit-learn's estimator conventions (without importing it): the
    constructor only stores its arguments, :meth:`get_params` returns them exactly as passed
    and :meth:`set_params` changes them, so ``sklearn.base.clone``, ``cross_val_score`` and
    ``GridSearchCV`` work; :meth:`score` is R² for a regressor and accuracy for a classifier;
    ``coef_`` and ``intercept_`` have scikit-learn's shapes.

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
        Whether to learn :math:`b` (never penalised).
    loss_params
        Keyword parameters of the loss, e.g. ``{"delta": 2.0}`` for Huber.
    penalty
        ``None`` (no regularisation), ``"l1"`` (lasso), ``"l2"`` (ridge), ``"elastic_net"``, or a
        :class:`lossbook.penalties.Penalty`: the :math:`P` above, applied to the weights only.
    strength
        The regularisation strength :math:`\lambda \ge 0` (the book keeps :math:`\alpha` for the
        step size). scikit-learn calls it ``alpha`` and scales it differently: with the squared
        error (which has no ½), :math:`\text{mse} + \lambda P` is half of
        :math:`\tfrac12\text{mse} + \tfrac{\lambda}{2} P`, so ``penalty="l1"`` matches
        ``Lasso(alpha=λ/2)``, ``"l2"`` matches ``Ridge(alpha=n·λ/2)`` and ``"elastic_net"``
        matches ``ElasticNet(alpha=λ/2, l1_ratio=...)``, for ``n`` training examples.
    l1_ratio
        The elastic net's mix :math:`\rho \in [0, 1]` (used by ``penalty="elastic_net"`` only, as in
        scikit-learn): :math:`P = \rho\lVert W\rVert_1 + (1 - \rho)\tfrac12\lVert W\rVert^2`.
    """

    def __init__(
        self,
        loss: str | Loss = "squared_error",
        *,
        link: Link | None = None,
        n_outputs: int = 1,
        fit_intercept: bool = True,
        loss_params: Mapping[str, float] | None = None,
        penalty: str | Penalty | None = None,
        strength: float = 0.0,
        l1_ratio: float = 0.5,
    ) -> None:
        self.loss = loss
        self.link = link
        self.n_outputs = n_outputs
        self.fit_intercept = fit_intercept
        self.loss_params = loss_params
        self.penalty = penalty
        self.strength = strength
        self.l1_ratio = l1_ratio
        self._check_params()

    # -- scikit-learn's estimator protocol ------------------------------------------------------
    @classmethod
    def _param_names(cls) -> list[str]:
        """The constructor's named arguments (scikit-learn reads parameters from the signature)."""
        signature = inspect.signature(cls.__init__)
        return [p.name for p in signature.parameters.values() if p.name != "self" and p.kind != p.VAR_KEYWORD]

    @classmethod
    def _takes_loss_keywords(cls) -> bool:
        """Whether the constructor takes the loss's parameters as keywords (``delta=2.0``)."""
        return any(p.kind == p.VAR_KEYWORD for p in inspect.signature(cls.__init__).parameters.values())

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor's arguments, exactly as passed (scikit-learn's ``get_params``).

        For :class:`LinearRegression` and the classifiers, which take the loss's parameters as
        keywords, those are included by name (``{"loss": "huber", "delta": 2.0, ...}``). ``deep``
        is accepted for scikit-learn; a model has no sub-estimators.
        """
        params = {name: getattr(self, name) for name in self._param_names()}
        if self._takes_loss_keywords():
            params.update(self.loss_params or {})
        return params

    def set_params(self, **params: Any) -> LinearModel:
        """Set constructor arguments (and, where the constructor takes them, loss parameters); returns ``self``.

        Raises ``ValueError`` for a name that is neither, or for values the constructor would refuse.
        """
        names = self._param_names()
        loss_params = dict(self.loss_params or {}) if self._takes_loss_keywords() else None
        for key, value in params.items():
            if key in names:
                setattr(self, key, value)
            elif loss_params is not None:
                loss_params[key] = value
            else:
                raise ValueError(f"invalid parameter {key!r} for {type(self).__name__}; its parameters: {names}")
        if loss_params is not None:
            unknown = loss_params.keys() - self._resolved_loss().defaults.keys()
            if unknown:
                raise ValueError(
                    f"invalid parameter(s) {sorted(unknown)} for {type(self).__name__}; its parameters: {names}"
                    f" and the loss's {sorted(self._resolved_loss().defaults)}"
                )
            self.loss_params = loss_params
        self._check_params()
        return self

    def __repr__(self) -> str:
        defaults = {p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values()}
        shown = [
            f"{k}={val!r}" for k, val in self.get_params().items()
            if k not in defaults or defaults[k] is inspect.Parameter.empty or not _same(val, defaults[k])
        ]
        return f"{type(self).__name__}({', '.join(shown)})"

    @property
    def _estimator_type(self) -> str:
        # scikit-learn up to 1.5 reads this attribute (is_classifier, stratified folds).
        return "classifier" if self.head.is_classifier else "regressor"

    def __sklearn_tags__(self) -> Any:
        """scikit-learn (1.6 and later) asks for tags; only scikit-learn calls this, so it may import it."""
        from sklearn.utils import ClassifierTags, RegressorTags, Tags, TargetTags  # type: ignore[import-untyped,import-not-found,unused-ignore]

        classifier = self.head.is_classifier
        return Tags(
            estimator_type="classifier" if classifier else "regressor",
            target_tags=TargetTags(required=True),
            classifier_tags=ClassifierTags() if classifier else None,
            regressor_tags=None if classifier else RegressorTags(),
        )

    # -- what the arguments mean ----------------------------------------------------------------
    def _resolved_loss(self) -> Loss:
        return _resolve_loss(self.loss)

    def _head_arguments(self) -> tuple[Any, Link | None, int, Mapping[str, float]]:
        """The loss, link, number of outputs and loss parameters of the output head."""
        return self.loss, self.link, self.n_outputs, self.loss_params or {}

    @property
    def head(self) -> OutputHead:
        """The output head (:mod:`lossbook.heads`): the link, the loss and its parameters, built from
        the current arguments (and rebuilt when :meth:`set_params` changes them)."""
        # The key is made of the raw arguments (cheap: this runs in every step of a fit); the head
        # is rebuilt, and the arguments checked, only when one of them changed.
        key = tuple(getattr(self, name, None) for name in ("loss", "link", "n_outputs", "n_classes"))
        key += tuple((self.loss_params or {}).items())
        if getattr(self, "_head_key", None) != key:
            loss, link, n_outputs, loss_params = self._head_arguments()
            self._head = OutputHead(loss, link=link, n_outputs=n_outputs, loss_params=loss_params)
            self._head_key = key
        return self._head

    @property
    def penalty_function(self) -> Penalty | None:
        """The resolved :class:`lossbook.penalties.Penalty`, or ``None`` without regularisation."""
        return None if self.penalty is None else _resolve_penalty(self.penalty)

    def _penalty_params(self) -> dict[str, float]:
        penalty = self.penalty_function
        return {"l1_ratio": float(self.l1_ratio)} if penalty is not None and "l1_ratio" in penalty.defaults else {}

    def _check_params(self) -> None:
        """Check every argument now, so that a bad one fails where it is given, not deep inside ``fit``."""
        if not isinstance(self.fit_intercept, (bool, np.bool_)):
            raise ValueError(f"fit_intercept must be True or False, got {self.fit_intercept!r}")
        self.head  # noqa: B018 (builds, and so checks, the loss, link, outputs and loss parameters)
        self.penalty_function  # noqa: B018 (an unknown penalty name raises here)
        v.non_negative(self.strength, "strength")
        v.unit_interval(self.l1_ratio, "l1_ratio")

    # -- parameters -------------------------------------------------------------------------
    def n_params(self, n_features: int) -> int:
        """Length of :math:`\\theta` for ``n_features`` features."""
        return (n_features + bool(self.fit_intercept)) * self.head.n_outputs

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
        k = self.head.n_outputs
        W = t[: n_features * k].reshape((n_features, k) if k > 1 else (n_features,))
        b = t[n_features * k :] if self.fit_intercept else np.zeros(k)
        return W, (b if k > 1 else b.reshape(()))

    def penalized(self, n_features: int) -> slice:
        """The coordinates of :math:`\\theta` the penalty applies to: the weights, not the intercept."""
        return slice(0, n_features * self.head.n_outputs)

    # -- forward and backward ---------------------------------------------------------------
    def scores(self, theta: Array, X: Array) -> Array:
        """The linear part :math:`Z = XW + b`: values, logits or class scores."""
        k, d = self.head.n_outputs, X.shape[1]
        if theta.shape != (self.n_params(d),):  # the one check: this runs in every step of a fit
            raise ValueError(f"theta must have shape ({self.n_params(d)},) for {d} feature(s), got {theta.shape}")
        W = theta[: d * k].reshape((d, k) if k > 1 else (d,))
        return X @ W + theta[d * k :] if self.fit_intercept else X @ W

    def prepare(self, X: ArrayLike, y: ArrayLike) -> tuple[Array, np.ndarray]:
        """Validate data once, so that :meth:`cost_and_gradient` can run unchecked in a loop."""
        Xa = design_matrix(X)
        return Xa, self.head.targets(y, Xa.shape[0])

    def cost_and_gradient(
        self, theta: Array, X: Array, y: np.ndarray, sample_weight: Array | None = None
    ) -> tuple[float, Array]:
        """Cost :math:`J(\\theta)` (the loss, without the penalty) and its gradient on data already
        checked by :meth:`prepare`.

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

    def objective(self, theta: ArrayLike, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> float:
        """The regularised objective :math:`J(\\theta) + \\lambda P(W)`: :meth:`cost` plus the penalty of the weights."""
        cost = self.cost(theta, X, y, sample_weight)
        penalty = self.penalty_function
        if penalty is None:
            return cost
        n_features = design_matrix(X).shape[1]
        weights = v.as_float_array(theta, "theta")[self.penalized(n_features)]
        return cost + float(self.strength) * penalty(weights, **self._penalty_params())

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
        """Fit by gradient descent, or with a penalty by proximal gradient steps.

        Without a penalty: :func:`lossbook.optim.gradient_descent`. With one:
        :func:`lossbook.optim.proximal_gradient` on the full data (``batch_size`` must be
        ``None``), FISTA by default (``accelerated=False`` for ISTA): a gradient step on the cost,
        then the penalty's proximal operator on the weights, so that the lasso's zeros are exact
        zeros and the intercept is never shrunk. Starts from ``theta0`` (a warm start, in the
        layout of :meth:`unpack`) or from :math:`\\theta = 0`. Sets ``theta_``, ``coef_``,
        ``intercept_``, ``n_features_in_`` and ``result_`` (the optimiser's result, with its
        history). Scale the features first: the step size that works, and what a penalty
        means, depend on it.
        """
        if self.penalty is None:
            result, n_features = train_by_gradient_descent(
                self, X, y, sample_weight=sample_weight, theta0=theta0, learning_rate=learning_rate,
                n_epochs=n_epochs, batch_size=batch_size, seed=seed, tol=tol, **optimizer_options,
            )
        else:
            if batch_size is not None:
                raise ValueError(f"a penalised model is fitted on the full data: batch_size must be None, got {batch_size!r}")
            result, n_features = self._fit_proximal(X, y, sample_weight, theta0, learning_rate, n_epochs, tol,
                                                    optimizer_options)
        self.result_ = result
        self.theta_ = result.params
        self.n_features_in_ = n_features
        self.coef_, self.intercept_ = self._sklearn_shapes(*self.unpack(result.params, n_features))
        return self

    def _fit_proximal(
        self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None, theta0: ArrayLike | None,
        learning_rate: float, n_epochs: int, tol: float | None, options: Mapping[str, Any],
    ) -> tuple[Any, int]:
        from .optim import proximal_gradient

        Xa, ya = self.prepare(X, y)
        w = None if sample_weight is None else v.check_sample_weight(sample_weight, Xa.shape[0])
        start = self.init_params(Xa.shape[1]) if theta0 is None else v.as_float_array(theta0, "theta0")
        self.unpack(start, Xa.shape[1])  # checks the length
        penalty = self.penalty_function
        assert penalty is not None
        extra: dict[str, Any] = {"accelerated": True, **options, **self._penalty_params()}  # FISTA unless told
        result = proximal_gradient(
            lambda theta, rows: self.cost_and_gradient(theta, Xa, ya, w),
            start,
            penalty=penalty,
            strength=self.strength,
            learning_rate=learning_rate,
            penalized=self.penalized(Xa.shape[1]),
            n_epochs=n_epochs,
            tol=tol,
            **extra,
        )
        return result, Xa.shape[1]

    def _sklearn_shapes(self, W: Array, b: Array) -> tuple[Array, Any]:
        """``coef_`` and ``intercept_`` as scikit-learn shapes them.

        A regressor: ``(d,)`` and a float. A binary classifier: ``(1, d)`` and ``(1,)``, like
        ``sklearn.linear_model.LogisticRegression``. k classes: ``(k, d)`` and ``(k,)``.
        """
        if W.ndim == 2:
            return W.T.copy(), b.copy()
        if self.head.is_classifier:
            return W.reshape(1, -1).copy(), b.reshape(1).copy()
        return W.copy(), float(b)

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

    def score(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> float:
        r"""scikit-learn's default score: accuracy for a classifier, :math:`R^2` for a regressor.

        .. math:: R^2 = 1 - \frac{\sum_i w_i (y_i - \hat y_i)^2}{\sum_i w_i (y_i - \bar y_w)^2},

        with :math:`\bar y_w` the weighted mean of ``y``; the same values as
        ``sklearn.metrics.accuracy_score`` and ``r2_score`` (which ``cross_val_score`` and
        ``GridSearchCV`` use by default). Higher is better.
        """
        predicted = self.predict(X)
        ya = v.as_float_array(y, "y")
        if ya.shape != predicted.shape:
            raise ValueError(f"y must have shape {predicted.shape} (one value per row of X), got {ya.shape}")
        v.check_finite(ya, "y")
        w = np.ones(ya.shape[0]) if sample_weight is None else v.check_sample_weight(sample_weight, ya.shape[0])
        if self.head.is_classifier:
            return float(w @ (predicted == ya)) / float(w.sum())
        mean = float(w @ ya) / float(w.sum())
        total = float(w @ (ya - mean) ** 2)
        residual = float(w @ (ya - predicted) ** 2)
        if total == 0.0:
            raise ValueError("R² is undefined when every y is the same value")
        return 1.0 - residual / total


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b) and type(a) is type(b)
    except (TypeError, ValueError):
        return a is b


def _resolve_penalty(penalty: str | Penalty) -> Penalty:
    resolved: Penalty = v.from_registry(penalty, PENALTIES, Penalty, "penalty")
    return resolved


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
    """Linear regression :math:`\\hat y = Xw + b` with any regression loss (default: squared error).

    ``penalty``, ``strength`` (:math:`\\lambda`) and ``l1_ratio`` as for :class:`LinearModel`:
    ``LinearRegression(penalty="l2", strength=λ)`` is ridge regression, ``penalty="l1"`` the lasso
    (``Lasso(alpha=λ/2)`` in scikit-learn's scaling, since the squared error has no ½). The
    loss's parameters are keywords (``LinearRegression("huber", delta=2.0)``).
    """

    def __init__(
        self,
        loss: str | Loss = "squared_error",
        *,
        fit_intercept: bool = True,
        penalty: str | Penalty | None = None,
        strength: float = 0.0,
        l1_ratio: float = 0.5,
        **loss_params: float,
    ) -> None:
        self.loss = loss
        self.fit_intercept = fit_intercept
        self.penalty = penalty
        self.strength = strength
        self.l1_ratio = l1_ratio
        self.loss_params = loss_params
        self._check_params()

    def _head_arguments(self) -> tuple[Any, Link | None, int, Mapping[str, float]]:
        loss = self._resolved_loss()
        if loss.task != "regression":
            raise ValueError(f"LinearRegression needs a regression loss, {loss.name!r} is for {loss.task} tasks")
        return loss, None, 1, self.loss_params or {}


class LogisticRegression(LinearModel):
    """Binary linear classifier on labels {0, 1}: logistic regression by default, or any binary loss.

    With ``binary_cross_entropy_with_logits`` (the default) or ``binary_cross_entropy`` it is
    logistic regression; with ``hinge`` a linear SVM (with ``penalty="l2"``, the soft-margin
    SVM); with a regression loss (and the sigmoid link) the squared error on probabilities of
    chapter 4. ``penalty``, ``strength`` (:math:`\\lambda`) and ``l1_ratio`` as for
    :class:`LinearModel`; scikit-learn's ``LogisticRegression(C=...)`` sums the losses, so
    ``penalty="l2", strength=λ`` is its ``C = 1/(n·λ)``.
    """

    def __init__(
        self,
        loss: str | Loss = "binary_cross_entropy_with_logits",
        *,
        fit_intercept: bool = True,
        link: Link | None = None,
        penalty: str | Penalty | None = None,
        strength: float = 0.0,
        l1_ratio: float = 0.5,
        **loss_params: float,
    ) -> None:
        self.loss = loss
        self.fit_intercept = fit_intercept
        self.link = link
        self.penalty = penalty
        self.strength = strength
        self.l1_ratio = l1_ratio
        self.loss_params = loss_params
        self._check_params()

    def _head_arguments(self) -> tuple[Any, Link | None, int, Mapping[str, float]]:
        loss = self._resolved_loss()
        if loss.task == "multiclass":
            raise ValueError(f"LogisticRegression needs a binary loss, {loss.name!r} is multi-class: use SoftmaxRegression")
        link = "sigmoid" if loss.task == "regression" and self.link is None else self.link
        return loss, link, 1, self.loss_params or {}

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
    """Multi-class linear classifier on integer labels 0..k-1 (softmax regression by default).

    ``penalty``, ``strength`` (:math:`\\lambda`) and ``l1_ratio`` as for :class:`LinearModel`.
    """

    def __init__(
        self,
        n_classes: int,
        loss: str | Loss = "softmax_cross_entropy",
        *,
        fit_intercept: bool = True,
        penalty: str | Penalty | None = None,
        strength: float = 0.0,
        l1_ratio: float = 0.5,
        **loss_params: float,
    ) -> None:
        self.n_classes = n_classes
        self.loss = loss
        self.fit_intercept = fit_intercept
        self.penalty = penalty
        self.strength = strength
        self.l1_ratio = l1_ratio
        self.loss_params = loss_params
        self._check_params()

    def _head_arguments(self) -> tuple[Any, Link | None, int, Mapping[str, float]]:
        loss = self._resolved_loss()
        if loss.task != "multiclass":
            raise ValueError(f"SoftmaxRegression needs a multi-class loss, {loss.name!r} is for {loss.task} tasks")
        n_classes = self.n_classes
        if isinstance(n_classes, (bool, np.bool_)) or not isinstance(n_classes, (int, np.integer)) or n_classes < 2:
            raise ValueError(f"n_classes must be an integer >= 2, got {n_classes!r}")
        return loss, None, int(n_classes), self.loss_params or {}

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


def ridge(X: ArrayLike, y: ArrayLike, strength: float, *, fit_intercept: bool = True) -> Array:
    r"""The closed-form minimiser of :math:`\text{mse} + \lambda\,\tfrac12\lVert w\rVert^2`, the intercept unpenalised.

    This is the objective of ``LinearRegression(penalty="l2", strength=λ)``. Setting its gradient
    to zero, with :math:`X_c` and :math:`y_c` the features and targets centred on their means
    (which removes the intercept),

    .. math:: w^* = \bigl(X_c^\top X_c + \tfrac{n\lambda}{2} I\bigr)^{-1} X_c^\top y_c, \qquad
              b^* = \bar y - \bar x^\top w^*,

    Hoerl and Kennard's ridge estimator, ``sklearn.linear_model.Ridge(alpha=n·λ/2)``. Computed
    by :func:`ridge_path` from the SVD of :math:`X_c` (never by inverting the matrix, whose
    condition number is the square of :math:`X_c`'s). Returns :math:`\theta` in the layout of
    :class:`LinearModel` (weights, then intercept).
    """
    return ridge_path(X, y, [strength], fit_intercept=fit_intercept)[0]


def ridge_path(X: ArrayLike, y: ArrayLike, strengths: ArrayLike, *, fit_intercept: bool = True) -> Array:
    r"""The ridge solutions (see :func:`ridge`) for many strengths at the cost of one SVD.

    With :math:`X_c = U \operatorname{diag}(s) V^\top` (thin SVD),

    .. math:: w^*(\lambda) = V \operatorname{diag}\Bigl(\frac{s_k}{s_k^2 + n\lambda/2}\Bigr) U^\top y_c,

    so each direction :math:`v_k` keeps the fraction :math:`s_k^2 / (s_k^2 + n\lambda/2)` of its
    least-squares weight. At :math:`\lambda = 0` a zero singular value contributes nothing (the
    minimum-norm least-squares solution, as ``numpy.linalg.lstsq`` gives). Returns an array of
    shape ``(len(strengths), n_params)``, one :math:`\theta` per row.
    """
    Xa = design_matrix(X)
    ya = v.as_vector(y, "y")
    if ya.shape != (Xa.shape[0],):
        raise ValueError(f"y must have shape ({Xa.shape[0]},), got {ya.shape}")
    v.check_finite(ya, "y")
    grid = v.as_vector(strengths, "strengths")
    v.check_finite(grid, "strengths")
    if np.any(grid < 0):
        raise ValueError(f"strength must be >= 0, got {grid[grid < 0][0]!r}")
    n = Xa.shape[0]
    x_mean = Xa.mean(axis=0) if fit_intercept else np.zeros(Xa.shape[1])
    y_mean = float(ya.mean()) if fit_intercept else 0.0
    U, sv, Vt = np.linalg.svd(Xa - x_mean, full_matrices=False)
    projected = U.T @ (ya - y_mean)
    cutoff = sv.max(initial=0.0) * max(Xa.shape) * np.finfo(np.float64).eps  # lstsq's rank cutoff
    denominator = sv[None, :] ** 2 + n * grid[:, None] / 2.0
    keep = (sv[None, :] > cutoff) | (grid[:, None] > 0)
    factors = np.divide(sv[None, :], denominator, out=np.zeros_like(denominator), where=keep & (denominator > 0))
    W = (factors * projected) @ Vt
    if not fit_intercept:
        return W
    return np.column_stack([W, y_mean - W @ x_mean])


def regularisation_path(
    model: LinearModel, X: ArrayLike, y: ArrayLike, strengths: ArrayLike, **fit_options: Any
) -> tuple[Array, Array]:
    r"""Fit ``model`` at each strength :math:`\lambda` in turn, each fit warm-started from the previous one.

    The regularisation path: the coefficients as functions of :math:`\lambda`. Give the strengths
    from the largest down (as scikit-learn's ``lasso_path`` does): neighbouring solutions are close,
    so each warm start is a good one. ``model`` itself is left unfitted and unchanged; each fit is
    on a copy with ``strength`` set. ``fit_options`` go to :meth:`LinearModel.fit`.

    Returns
    -------
    coefs, intercepts
        ``coef_`` and ``intercept_`` of each fit, stacked along a first axis of length
        ``len(strengths)``.
    """
    grid = v.as_vector(strengths, "strengths")
    v.check_finite(grid, "strengths")
    if np.any(grid < 0):
        raise ValueError(f"strengths must be >= 0, got {grid[grid < 0][0]!r}")
    if model.penalty is None:
        raise ValueError("the model has no penalty: a regularisation path needs penalty='l1', 'l2' or 'elastic_net'")
    coefs, intercepts = [], []
    theta = fit_options.pop("theta0", None)
    for lam in grid:
        fitted = type(model)(**{**model.get_params(), "strength": float(lam)})
        fitted.fit(X, y, theta0=theta, **fit_options)
        theta = fitted.theta_
        coefs.append(fitted.coef_)
        intercepts.append(fitted.intercept_)
    return np.asarray(coefs, dtype=np.float64), np.asarray(intercepts, dtype=np.float64)
