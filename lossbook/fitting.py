r"""Fitting a Gaussian to a distribution on a grid by minimising a KL divergence.

The target :math:`p` is a probability vector over the points :math:`x_1, \dots, x_m` of a grid
(a density sampled on the grid and normalised, say). The model is a Gaussian *restricted to
the same grid*,

.. math:: q_i(\mu, \sigma) = \frac{e^{\ell_i}}{\sum_j e^{\ell_j}}, \qquad
          \ell_i = -\frac{(x_i - \mu)^2}{2\sigma^2},

that is, the softmax of logits that are quadratic in :math:`x`; the Gaussian's normalising
constant cancels. On a fine grid that covers both distributions, sums over the grid are
Riemann sums and the divergences below approximate those between the densities (the grid
spacing cancels inside the logarithm).

Two objectives, two behaviours:

* **forward** :math:`D_{KL}(p \| q) = \sum_i p_i \log(p_i / q_i)` punishes :math:`q` wherever
  :math:`p` has mass that :math:`q` misses, so its minimiser covers all of :math:`p`
  (*mode covering*); for this family it matches the mean and variance of :math:`p` on the grid;
* **reverse** :math:`D_{KL}(q \| p) = \sum_i q_i \log(q_i / p_i)` punishes :math:`q` wherever it
  puts mass that :math:`p` lacks, so its minimisers sit on one mode of a multi-modal :math:`p`
  (*mode seeking*), and which one depends on the starting point.

The optimiser is gradient descent on :math:`\theta = (\mu, \log\sigma)`, with the gradient
preconditioned by the inverse Fisher information of the Gaussian,
:math:`\operatorname{diag}(\sigma^2, \tfrac12)` (the *natural gradient*): the step then does not
depend on the units of :math:`x`. Each step is at most one unit long in that metric, and a
backtracking line search halves it until the divergence decreases, so every iteration makes
progress and a fit follows the slope from where it starts instead of leaping across :math:`p`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validation as v
from .activations import log_softmax_unchecked

__all__ = [
    "Direction", "GaussianFit", "discretised_gaussian", "gaussian_kl", "gaussian_kl_function", "fit_gaussian",
]

Array = NDArray[np.float64]
#: Which KL divergence a fit minimises, ``"forward"`` KL(p || q) or ``"reverse"`` KL(q || p).
Direction = Literal["forward", "reverse"]

# Armijo constant of the line search: accept a step that achieves this share of the decrease
# the linear model predicts. Small, as usual: it only rules out negligible progress.
_ARMIJO = 1e-4
_MAX_HALVINGS = 60
_SLACK = 8 * np.finfo(np.float64).eps


# -- validation -----------------------------------------------------------------------------------
def _grid(grid: ArrayLike) -> Array:
    x = v.as_float_array(grid, "grid")
    if x.ndim != 1 or x.size < 2:
        raise ValueError(f"grid must be 1-D with at least 2 points, got shape {x.shape}")
    v.check_finite(x, "grid")
    if x.min() == x.max():
        raise ValueError("grid must hold at least two distinct points; a Gaussian cannot be fitted to one")
    return x


def _target(grid: Array, p: ArrayLike) -> Array:
    a = v.as_float_array(p, "p")
    v.check_same_shape(grid, a, ("grid", "p"))
    v.check_probability_rows(a, "p")
    return a


def _direction(direction: str) -> Direction:
    if direction not in ("forward", "reverse"):
        raise ValueError(f'direction must be "forward" (KL(p || q)) or "reverse" (KL(q || p)), got {direction!r}')
    return direction  # type: ignore[return-value]


def log_target(p: Array, direction: Direction) -> Array:
    """log p, with -inf where p = 0 (allowed only for the forward divergence, where 0 log 0 = 0)."""
    if direction == "reverse" and p.min() <= 0.0:
        i = int(np.argmax(p <= 0.0))
        raise ValueError(
            f"the reverse divergence KL(q || p) is infinite for every Gaussian q when p has zeros on "
            f"the grid (q > 0 at every point), and p[{i}] = 0; restrict the grid to where p > 0"
        )
    with np.errstate(divide="ignore"):
        return np.log(p)


# -- the model and the objective ------------------------------------------------------------------
def _log_gaussian(x: Array, mean: float, std: float) -> Array:
    """log q on the grid: the log-softmax of the quadratic logits -(x - mean)^2 / (2 std^2)."""
    u = (x - mean) / std
    return log_softmax_unchecked(-0.5 * u * u)


def discretised_gaussian(grid: ArrayLike, mean: float, std: float) -> Array:
    r"""The Gaussian :math:`\mathcal N(\mu, \sigma^2)` restricted to a grid, as a probability vector.

    .. math:: q_i = \frac{\exp\!\big(-(x_i - \mu)^2 / 2\sigma^2\big)}{\sum_j \exp\!\big(-(x_j - \mu)^2 / 2\sigma^2\big)}

    Computed as a softmax in log space, so no entry is NaN however far :math:`\mu` lies from
    the grid. On an evenly spaced grid :math:`q_i \approx \varphi(x_i)\,\Delta x`, with
    :math:`\varphi` the density, when the grid covers :math:`\mu \pm 8\sigma` and
    :math:`\Delta x \ll \sigma`.

    Parameters
    ----------
    grid
        The points :math:`x_i`, a 1-D array with at least two distinct values.
    mean, std
        :math:`\mu` (finite) and :math:`\sigma > 0`.

    Returns
    -------
    ndarray
        :math:`q`, the shape of ``grid``, non-negative and summing to 1.
    """
    x = _grid(grid)
    mu = v.real_number(mean, "mean")
    sigma = v.positive(std, "std")
    return np.exp(_log_gaussian(x, mu, sigma))


def kl_and_gradient(
    theta: Array, x: Array, p: Array, log_p: Array, direction: Direction
) -> tuple[float, Array]:
    r"""The divergence and its gradient with respect to :math:`\theta = (\mu, \log\sigma)`.

    The gradient with respect to the logits :math:`\ell` is :math:`q - p` for the forward
    divergence (the softmax cross-entropy's prediction minus target) and
    :math:`q \odot (\log q - \log p - D_{KL}(q \| p))` for the reverse one; the chain rule
    through :math:`\partial \ell_i / \partial \mu = u_i / \sigma` and
    :math:`\partial \ell_i / \partial \log\sigma = u_i^2`, :math:`u_i = (x_i - \mu)/\sigma`,
    gives the rest.
    """
    mean, sigma = theta[0], math.exp(theta[1])
    u = (x - mean) / sigma
    log_q = log_softmax_unchecked(-0.5 * u * u)
    q = np.exp(log_q)
    if direction == "forward":
        support = p > 0  # 0 log 0 = 0: grid points where p = 0 contribute nothing
        value = float(p[support] @ (log_p[support] - log_q[support]))
        g_logits = q - p
    else:
        log_ratio = log_q - log_p
        value = float(q @ log_ratio)
        g_logits = q * (log_ratio - value)
    return value, np.array([g_logits @ u / sigma, g_logits @ (u * u)])


def gaussian_kl_function(grid: ArrayLike, p: ArrayLike, direction: Direction = "forward") -> Callable[[float, float], float]:
    r"""The divergence between :math:`p` and :math:`q(\mu, \sigma)` as a function of :math:`(\mu, \sigma)`.

    Checks ``grid``, ``p`` and ``direction`` once and returns ``f(mean, std)``, cheap enough to
    evaluate on a whole grid of parameters (a contour plot of the divergence). See
    :func:`gaussian_kl` for the arguments; ``f`` checks only that ``std > 0``.
    """
    x = _grid(grid)
    target = _target(x, p).copy()  # a private copy: later changes to p must not leak in
    d = _direction(direction)
    log_p = log_target(target, d)

    def divergence(mean: float, std: float) -> float:
        sigma = v.positive(std, "std")
        return kl_and_gradient(np.array([float(mean), math.log(sigma)]), x, target, log_p, d)[0]

    return divergence


def gaussian_kl(grid: ArrayLike, p: ArrayLike, mean: float, std: float, direction: Direction = "forward") -> float:
    r"""The divergence between a target :math:`p` on a grid and the Gaussian :math:`q(\mu, \sigma)` on it.

    ``"forward"`` gives :math:`D_{KL}(p \| q)`, ``"reverse"`` gives :math:`D_{KL}(q \| p)`, both in
    nats and computed from :math:`\log q` directly, so a :math:`q_i` that underflows to 0 still
    counts (with :func:`lossbook.divergences.kl_divergence` on ``discretised_gaussian(...)`` it
    would give ``inf``).

    Parameters
    ----------
    grid
        The points :math:`x_i`, 1-D.
    p
        Target probabilities on the grid (summing to 1); strictly positive for ``"reverse"``.
    mean, std
        The Gaussian's :math:`\mu` and :math:`\sigma > 0`.
    direction
        ``"forward"`` or ``"reverse"``.
    """
    mu = v.real_number(mean, "mean")
    return gaussian_kl_function(grid, p, direction)(mu, std)


# -- the fit --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GaussianFit:
    """The outcome of :func:`fit_gaussian`.

    Attributes
    ----------
    mean, std
        The fitted :math:`\\mu` and :math:`\\sigma`.
    q
        The fitted Gaussian on the grid (a probability vector).
    divergence
        The minimised divergence, in nats.
    direction
        ``"forward"`` (:math:`D_{KL}(p \\| q)`) or ``"reverse"`` (:math:`D_{KL}(q \\| p)`).
    n_iter
        Iterations taken.
    converged
        Whether the scale-free gradient norm fell below ``tol``.
    path
        :math:`(\\mu, \\sigma)` at the start and after every iteration, shape ``(n_iter + 1, 2)``.
    """

    mean: float
    std: float
    q: Array
    divergence: float
    direction: Direction
    n_iter: int
    converged: bool
    path: Array

    def __repr__(self) -> str:
        return (
            f"GaussianFit({self.direction}: mean={self.mean:.6g}, std={self.std:.6g}, "
            f"divergence={self.divergence:.6g}, n_iter={self.n_iter}, converged={self.converged})"
        )


def fit_gaussian(
    grid: ArrayLike,
    p: ArrayLike,
    direction: Direction = "forward",
    *,
    mean0: float | None = None,
    std0: float | None = None,
    max_iter: int = 500,
    tol: float = 1e-10,
) -> GaussianFit:
    r"""Fit :math:`q = \mathcal N(\mu, \sigma^2)` on a grid to a target :math:`p` by minimising a KL divergence.

    Minimises :math:`D_{KL}(p \| q)` (``direction="forward"``) or :math:`D_{KL}(q \| p)`
    (``"reverse"``) over :math:`\theta = (\mu, \log\sigma)` by natural-gradient descent,

    .. math:: \theta \leftarrow \theta - \alpha\, F^{-1} \nabla_\theta D, \qquad
              F^{-1} = \operatorname{diag}(\sigma^2, \tfrac12),

    with :math:`\alpha` starting at 1 in every iteration and halved until :math:`D` decreases
    enough (Armijo's rule), and each step at most one unit long in the metric :math:`F` (the mean
    moves by at most :math:`\sigma` per iteration), so that the fit follows the slope from its
    starting point rather than jumping across :math:`p`. The forward divergence is convex in the
    Gaussian's natural parameters and has one minimiser, where the mean and variance of :math:`q`
    on the grid equal those of :math:`p`. The reverse divergence of a multi-modal :math:`p` has a
    local minimiser near each well-separated mode: the result depends on ``mean0`` and ``std0``.

    Parameters
    ----------
    grid
        The points :math:`x_i`, 1-D, fine enough and wide enough to hold both distributions.
    p
        Target probabilities on the grid, summing to 1; strictly positive for ``"reverse"``.
    direction
        ``"forward"`` or ``"reverse"``.
    mean0, std0
        Starting point; by default the mean and standard deviation of :math:`p` on the grid.
    max_iter
        Iteration limit.
    tol
        Stop when :math:`\lVert(\sigma\,\partial D/\partial\mu,\ \partial D/\partial\log\sigma)\rVert`,
        a gradient norm that does not depend on the units of :math:`x`, falls below ``tol``.

    Returns
    -------
    GaussianFit
    """
    x = _grid(grid)
    target = _target(x, p)
    d = _direction(direction)
    log_p = log_target(target, d)
    v.positive_integer(max_iter, "max_iter")
    tol = v.non_negative(tol, "tol")
    p_mean = float(target @ x)
    mu0 = p_mean if mean0 is None else v.real_number(mean0, "mean0")
    sigma0 = math.sqrt(float(target @ (x - p_mean) ** 2)) if std0 is None else v.positive(std0, "std0")
    if sigma0 <= 0.0:
        raise ValueError("p puts all its mass on one grid point: its standard deviation is 0; pass std0 > 0")

    theta = np.array([mu0, math.log(sigma0)])
    value, grad = kl_and_gradient(theta, x, target, log_p, d)
    path = [theta.copy()]
    converged = False
    while True:
        sigma = math.exp(theta[1])
        if float(np.hypot(sigma * grad[0], grad[1])) < tol:
            converged = True
            break
        if len(path) > max_iter:
            break
        descent = grad * np.array([sigma * sigma, 0.5])  # F^{-1} grad
        # Trust region: a step at most one unit long in the Fisher metric (the mean moves by at
        # most sigma, sigma changes by at most a factor e^{1/sqrt 2}). Without it a first step from
        # a poor start can jump to the far side of p, or to a huge sigma where q is flat on the
        # grid and every gradient vanishes.
        length = math.sqrt((descent[0] / sigma) ** 2 + 2.0 * descent[1] ** 2)
        if length > 1.0:
            descent = descent / length
        predicted = float(grad @ descent)  # > 0, so -descent points downhill
        step = 1.0
        for _ in range(_MAX_HALVINGS):
            candidate = theta - step * descent
            new_value, new_grad = kl_and_gradient(candidate, x, target, log_p, d)
            # The slack of a few rounding errors lets full steps continue near the minimum,
            # where the decrease is below the precision of the divergence but the gradient
            # still shrinks (close to the minimiser the natural-gradient step is nearly Newton's).
            if new_value <= value - _ARMIJO * step * predicted + _SLACK * abs(value):
                break
            step *= 0.5
        else:
            break  # no step decreases the divergence: stop where we are
        theta, value, grad = candidate, new_value, new_grad
        path.append(theta.copy())

    mean, std = float(theta[0]), math.exp(theta[1])
    trace = np.array(path)
    trace[:, 1] = np.exp(trace[:, 1])
    return GaussianFit(
        mean=mean, std=std, q=np.exp(_log_gaussian(x, mean, std)), divergence=value, direction=d,
        n_iter=len(path) - 1, converged=converged, path=trace,
    )
