r"""Noise models: the negative log-likelihood behind each loss.

A noise model says how a target :math:`y` scatters around what the model predicts,
:math:`\hat y` (a mean, a location, a probability or a row of class probabilities), through a
density or probability mass :math:`p(y \mid \hat y)`. Its **negative log-likelihood** (NLL) per
sample, :math:`-\log p(y_i \mid \hat y_i)`, is a loss: minimising the sum over the data is
maximising the likelihood. Each model here states how its NLL relates to the loss of
:data:`lossbook.losses.REGISTRY` that it justifies,

.. math:: -\log p(y \mid \hat y) = a \cdot \ell(y, \hat y) + c(y),

with a **scale** :math:`a > 0` (:attr:`NoiseModel.loss_scale`) and a **constant**
:math:`c(y)` that does not depend on the prediction (:meth:`NoiseModel.loss_constant`). Neither
changes the minimiser, so fitting by the loss and fitting by the likelihood give the same
parameters; they matter when the likelihood itself is used (comparing noise models, estimating
a scale, standard errors).

- :class:`Gaussian` (``sigma``): ``squared_error``, scale :math:`1/(2\sigma^2)`, constant
  :math:`\tfrac12\log(2\pi\sigma^2)`;
- :class:`Laplace` (``scale`` :math:`\tau`): ``absolute_error``, scale :math:`1/\tau`, constant
  :math:`\log(2\tau)`;
- :class:`StudentT` (``df`` :math:`\nu`, ``scale`` :math:`\tau`): the robust loss
  :math:`\log(1 + r^2/(\nu\tau^2))`, scale :math:`(\nu+1)/2`, a constant of log-gamma terms;
- :class:`Bernoulli`: ``binary_cross_entropy``, scale 1, constant 0;
- :class:`Categorical`: ``sparse_categorical_cross_entropy``, scale 1, constant 0;
- :class:`Poisson`: ``poisson_deviance``, scale 1/2, constant :math:`\log y! - y\log y + y`.

Conventions: ``(y_true, y_pred)`` as everywhere in lossbook, the same shape (no broadcasting;
for :class:`Categorical` labels ``(n,)`` and probability rows ``(n, k)``), inputs never
modified, bad input a ``ValueError`` that names the problem. A prediction that gives the
observed outcome probability 0 (a Bernoulli :math:`p = 0` for :math:`y = 1`) is refused rather
than returned as an infinite NLL; the cross-entropy losses clip such probabilities instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validation as v
from .losses import (
    Loss,
    absolute_error,
    binary_cross_entropy,
    poisson_deviance,
    sparse_categorical_cross_entropy,
    squared_error,
)

__all__ = ["NoiseModel", "Gaussian", "Laplace", "StudentT", "Bernoulli", "Categorical", "Poisson"]

FloatArray = NDArray[np.float64]

_LOG_2PI = math.log(2.0 * math.pi)
_log_factorial = np.frompyfunc(lambda count: math.lgamma(count + 1.0), 1, 1)


class NoiseModel:
    r"""What every noise model answers: its NLL, its loss, and the scale and constant between them.

    Subclasses define :meth:`nll`, :meth:`loss_values`, :attr:`loss_scale` and
    :meth:`loss_constant` so that ``nll == loss_scale * loss_values + loss_constant`` sample by
    sample (the tests check it against ``scipy.stats``).
    """

    #: The registry loss that this model's NLL is a multiple of, plus a constant (None if none).
    loss: Loss | None = None

    def nll(self, y_true: ArrayLike, y_pred: ArrayLike) -> FloatArray:
        """Per-sample negative log-likelihood :math:`-\\log p(y_i \\mid \\hat y_i)`, shape ``(n,)``."""
        raise NotImplementedError

    def loss_values(self, y_true: ArrayLike, y_pred: ArrayLike) -> FloatArray:
        """Per-sample values of the matching loss, shape ``(n,)``."""
        if self.loss is None:  # pragma: no cover - every model without a registry loss overrides this
            raise NotImplementedError
        return self.loss(y_true, y_pred)

    @property
    def loss_scale(self) -> float:
        """The factor :math:`a` in :math:`\\mathrm{NLL} = a\\,\\ell + c(y)`; 1 unless the model says otherwise."""
        return 1.0

    def loss_constant(self, y_true: ArrayLike) -> FloatArray:
        """The constant :math:`c(y_i)` in :math:`\\mathrm{NLL} = a\\,\\ell + c(y)`, shape ``(n,)``; 0 unless the model says otherwise."""
        return np.zeros(v.as_vector(y_true, "y_true").shape)

    def log_likelihood(self, y_true: ArrayLike, y_pred: ArrayLike) -> float:
        """The log-likelihood of the whole data set, :math:`\\sum_i \\log p(y_i \\mid \\hat y_i)`."""
        return -float(self.nll(y_true, y_pred).sum())


def _residuals(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[FloatArray, FloatArray]:
    y, p = v.real_pair(y_true, y_pred)
    return y, p - y


@dataclass(frozen=True)
class Gaussian(NoiseModel):
    r"""Gaussian noise with standard deviation :math:`\sigma`: :math:`y = \hat y + \varepsilon`,
    :math:`\varepsilon \sim \mathcal N(0, \sigma^2)`.

    .. math:: -\log p(y \mid \hat y) = \frac{r^2}{2\sigma^2} + \frac12 \log(2\pi\sigma^2),
       \qquad r = \hat y - y,

    the squared error times :math:`1/(2\sigma^2)` plus :math:`\tfrac12\log(2\pi\sigma^2)`.
    Equal to minus ``scipy.stats.norm.logpdf(y, loc=y_pred, scale=sigma)``.

    Parameters
    ----------
    sigma
        The noise's standard deviation, > 0.
    """

    sigma: float = 1.0
    loss = squared_error

    def __post_init__(self) -> None:
        object.__setattr__(self, "sigma", v.positive(self.sigma, "sigma"))

    def nll(self, y_true: ArrayLike, y_pred: ArrayLike) -> FloatArray:
        _, r = _residuals(y_true, y_pred)
        return 0.5 * (r / self.sigma) ** 2 + 0.5 * (_LOG_2PI + 2.0 * math.log(self.sigma))

    @property
    def loss_scale(self) -> float:
        return 1.0 / (2.0 * self.sigma**2)

    def loss_constant(self, y_true: ArrayLike) -> FloatArray:
        y = v.as_vector(y_true, "y_true")
        return np.full(y.shape, 0.5 * (_LOG_2PI + 2.0 * math.log(self.sigma)))


@dataclass(frozen=True)
class Laplace(NoiseModel):
    r"""Laplace (double-exponential) noise with scale :math:`\tau`, density
    :math:`\frac{1}{2\tau} e^{-|r|/\tau}` (standard deviation :math:`\sqrt 2\,\tau`).

    .. math:: -\log p(y \mid \hat y) = \frac{|r|}{\tau} + \log(2\tau),

    the absolute error times :math:`1/\tau` plus :math:`\log(2\tau)`. Equal to minus
    ``scipy.stats.laplace.logpdf(y, loc=y_pred, scale=scale)``.

    Parameters
    ----------
    scale
        The scale :math:`\tau`, > 0 (the mean absolute deviation of the noise).
    """

    scale: float = 1.0
    loss = absolute_error

    def __post_init__(self) -> None:
        object.__setattr__(self, "scale", v.positive(self.scale, "scale"))

    def nll(self, y_true: ArrayLike, y_pred: ArrayLike) -> FloatArray:
        _, r = _residuals(y_true, y_pred)
        return np.abs(r) / self.scale + math.log(2.0 * self.scale)

    @property
    def loss_scale(self) -> float:
        return 1.0 / self.scale

    def loss_constant(self, y_true: ArrayLike) -> FloatArray:
        y = v.as_vector(y_true, "y_true")
        return np.full(y.shape, math.log(2.0 * self.scale))


@dataclass(frozen=True)
class StudentT(NoiseModel):
    r"""Student's t noise with :math:`\nu` degrees of freedom and scale :math:`\tau`.

    .. math:: -\log p(y \mid \hat y) = \frac{\nu + 1}{2}\,
       \log\Bigl(1 + \frac{r^2}{\nu\tau^2}\Bigr)
       + \log\Gamma\bigl(\tfrac{\nu}{2}\bigr) - \log\Gamma\bigl(\tfrac{\nu+1}{2}\bigr)
       + \tfrac12 \log(\nu\pi\tau^2).

    The loss it justifies, :math:`\log(1 + r^2/(\nu\tau^2))` (:meth:`loss_values`), is not in
    the registry: it grows like :math:`r^2/(\nu\tau^2)` for small residuals and only
    logarithmically for large ones, so an outlier's pull on the fit (the derivative
    :math:`2r/(\nu\tau^2 + r^2)`) fades as it moves away; the loss is not convex. As
    :math:`\nu \to \infty` the model becomes Gaussian with :math:`\sigma = \tau`. Equal to minus
    ``scipy.stats.t.logpdf(y, df, loc=y_pred, scale=scale)``.

    Parameters
    ----------
    df
        Degrees of freedom :math:`\nu`, > 0 (small: heavy tails; 1 is the Cauchy distribution).
    scale
        The scale :math:`\tau`, > 0.
    """

    df: float = 3.0
    scale: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "df", v.positive(self.df, "df"))
        object.__setattr__(self, "scale", v.positive(self.scale, "scale"))

    def loss_values(self, y_true: ArrayLike, y_pred: ArrayLike) -> FloatArray:
        _, r = _residuals(y_true, y_pred)
        return np.log1p((r / self.scale) ** 2 / self.df)

    def nll(self, y_true: ArrayLike, y_pred: ArrayLike) -> FloatArray:
        return self.loss_scale * self.loss_values(y_true, y_pred) + self._constant

    @property
    def _constant(self) -> float:
        nu = self.df
        return math.lgamma(nu / 2.0) - math.lgamma((nu + 1.0) / 2.0) + 0.5 * math.log(nu * math.pi * self.scale**2)

    @property
    def loss_scale(self) -> float:
        return (self.df + 1.0) / 2.0

    def loss_constant(self, y_true: ArrayLike) -> FloatArray:
        y = v.as_vector(y_true, "y_true")
        return np.full(y.shape, self._constant)


@dataclass(frozen=True)
class Bernoulli(NoiseModel):
    r"""A label :math:`y \in \{0, 1\}` that is 1 with probability :math:`p`.

    .. math:: -\log p(y \mid p) = -\bigl[y \log p + (1 - y)\log(1 - p)\bigr],

    exactly the binary cross-entropy (scale 1, constant 0) wherever :math:`p` lies in the
    loss's unclipped range :math:`[\epsilon_{\mathrm{mach}}, 1 - \epsilon_{\mathrm{mach}}]`.
    Equal to minus ``scipy.stats.bernoulli.logpmf(y, p)``. A probability of 0 for an observed 1
    (or of 1 for an observed 0) has an infinite NLL and is refused.
    """

    loss = binary_cross_entropy

    def nll(self, y_true: ArrayLike, y_pred: ArrayLike) -> FloatArray:
        y = v.as_labels(y_true, 2, "y_true", "binary labels: 0 or 1").astype(np.float64)
        p = v.as_vector(y_pred, "y_pred")
        v.check_same_shape(y, p)
        v.check_interval(p, "y_pred", 0.0, 1.0)
        chance = np.where(y == 1.0, p, 1.0 - p)
        v.check_interval(chance, "the probability of each observed label", 0.0, 1.0, low_open=True)
        # log1p(-p) keeps the digits of log(1 - p) for small p
        return -np.where(y == 1.0, np.log(p), np.log1p(-p))


@dataclass(frozen=True)
class Categorical(NoiseModel):
    r"""A class label :math:`y \in \{0, \dots, k - 1\}` drawn with the probabilities
    :math:`p_0, \dots, p_{k-1}` of a row of ``y_pred``.

    .. math:: -\log p(y \mid p) = -\log p_y = -\sum_c [y = c] \log p_c,

    exactly the categorical cross-entropy of the one-hot label (``sparse_categorical_cross_entropy``
    on labels; scale 1, constant 0) wherever :math:`p_y \ge \epsilon_{\mathrm{mach}}`. With
    :math:`p = \operatorname{softmax}(z)` it is the softmax cross-entropy of the logits.
    A probability of 0 for the observed label is refused.
    """

    loss = sparse_categorical_cross_entropy

    def nll(self, y_true: ArrayLike, y_pred: ArrayLike) -> FloatArray:
        y, p = v.label_probability_pair(y_true, y_pred)
        chance = p[np.arange(y.shape[0]), y]
        v.check_interval(chance, "the probability of each observed label", 0.0, 1.0, low_open=True)
        return -np.log(chance)


@dataclass(frozen=True)
class Poisson(NoiseModel):
    r"""A count :math:`y \in \{0, 1, 2, \dots\}` drawn from a Poisson distribution of mean
    :math:`\mu = \hat y > 0`.

    .. math:: -\log p(y \mid \mu) = \mu - y\log\mu + \log y!
       = \frac12\, d(y, \mu) + \bigl(\log y! - y\log y + y\bigr),

    where :math:`d(y, \mu) = 2\,(y\log(y/\mu) - y + \mu)` is the Poisson deviance: the NLL is
    half the deviance plus the NLL of the "saturated" prediction :math:`\mu = y`
    (:math:`0 \log 0 = 0`). Equal to minus ``scipy.stats.poisson.logpmf(y, mu)``.
    """

    loss = poisson_deviance

    def nll(self, y_true: ArrayLike, y_pred: ArrayLike) -> FloatArray:
        y, mu = v.count_pair(y_true, y_pred)
        v.check_whole_numbers(y, "y_true")
        log_mu_term = np.where(y > 0.0, y * np.log(mu), 0.0)
        return mu - log_mu_term + _log_factorial(y).astype(np.float64)

    @property
    def loss_scale(self) -> float:
        return 0.5

    def loss_constant(self, y_true: ArrayLike) -> FloatArray:
        y = v.as_vector(y_true, "y_true")
        v.check_finite(y, "y_true")
        v.check_interval(y, "y_true", 0.0, math.inf)
        v.check_whole_numbers(y, "y_true")
        y_log_y = np.where(y > 0.0, y * np.log(np.where(y > 0.0, y, 1.0)), 0.0)
        return _log_factorial(y).astype(np.float64) - y_log_y + y
